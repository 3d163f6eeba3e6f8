import { describe, expect, it } from "vitest";
import {
  consumerGroupDescribeApi,
  decodeGroupDescribeResponse,
  encodeGroupDescribeRequest,
  shareGroupDescribeApi,
} from "./groupDescribe";
import { compactLengthHex, compactStringHex as str, hex } from "./testBytes";

const TOPIC_ID = "00112233445566778899aabbccddeeff";
const TOPIC_ID_TEXT = "ABEiM0RVZneImaq7zN3u_w";

/** One topic "t" with the given partitions, as the Assignment struct. */
const assignment = (...partitions: number[]) =>
  ["02", TOPIC_ID, str("t"), compactLengthHex(partitions.length), ...partitions.map((p) => p.toString(16).padStart(8, "0")), "00", "00"].join("");

const vanished = ["0045", str("gone"), str("g2"), "01", "00000000", "00000000", "01", "01", "80000000", "00"].join("");

describe("ConsumerGroupDescribe", () => {
  it("encodes group ids without authorized operations", () => {
    expect(encodeGroupDescribeRequest(consumerGroupDescribeApi, 1, { groupIds: ["g1", "g2"] })).toEqual(
      hex("00", "03", str("g1"), str("g2"), "00", "00"),
    );
  });

  it("v1: a Reconciling member with current and target assignment, and a vanished group", () => {
    const payload = hex(
      "00", "00000000",
      "03",
      "0000", "00", str("g1"), str("Reconciling"), "00000006", "00000006", str("uniform"),
      "02",
      str("m-1"), "00", "00", "00000005", str("app"), str("/127.0.0.1"), "02", str("t"), "00",
      assignment(0, 2), assignment(0), "01", "00",
      "80000000", "00",
      vanished,
      "00",
    );
    expect(decodeGroupDescribeResponse(consumerGroupDescribeApi, 1, payload)).toEqual({
      throttleTimeMs: 0,
      groups: [
        {
          errorCode: 0,
          errorMessage: null,
          groupId: "g1",
          groupState: "Reconciling",
          groupEpoch: 6,
          assignmentEpoch: 6,
          assignorName: "uniform",
          members: [
            {
              memberId: "m-1",
              instanceId: null,
              rackId: null,
              memberEpoch: 5,
              clientId: "app",
              clientHost: "/127.0.0.1",
              subscribedTopicNames: ["t"],
              subscribedTopicRegex: null,
              assignment: [{ topicId: TOPIC_ID_TEXT, topicName: "t", partitions: [0, 2] }],
              targetAssignment: [{ topicId: TOPIC_ID_TEXT, topicName: "t", partitions: [0] }],
              memberType: 1,
            },
          ],
        },
        { errorCode: 69, errorMessage: "gone", groupId: "g2", groupState: "", groupEpoch: 0, assignmentEpoch: 0, assignorName: "", members: [] },
      ],
    });
  });

  it("v0: no member type", () => {
    const payload = hex(
      "00", "00000000", "02",
      "0000", "00", str("g1"), str("Stable"), "00000002", "00000002", str("range"),
      "02", str("m"), str("i-1"), str("rack-a"), "00000002", str("c"), str("h"), "01", "00", assignment(), assignment(), "00",
      "80000000", "00", "00",
    );
    const [member] = decodeGroupDescribeResponse(consumerGroupDescribeApi, 0, payload).groups[0].members;
    expect(member).toMatchObject({ instanceId: "i-1", rackId: "rack-a", memberType: -1, assignment: [{ partitions: [] }] });
  });
});

describe("ShareGroupDescribe v1", () => {
  it("decodes members with their epoch and assignment (no target assignment)", () => {
    const payload = hex(
      "00", "00000000", "02",
      "0000", "00", str("s1"), str("Stable"), "00000004", "00000004", str("simple"),
      "02", str("m"), "00", "00000004", str("share-app"), str("/127.0.0.1"), "02", str("t"), assignment(1), "00",
      "80000000", "00", "00",
    );
    expect(decodeGroupDescribeResponse(shareGroupDescribeApi, 1, payload).groups).toEqual([
      {
        errorCode: 0,
        errorMessage: null,
        groupId: "s1",
        groupState: "Stable",
        groupEpoch: 4,
        assignmentEpoch: 4,
        assignorName: "simple",
        members: [
          {
            memberId: "m",
            rackId: null,
            memberEpoch: 4,
            clientId: "share-app",
            clientHost: "/127.0.0.1",
            subscribedTopicNames: ["t"],
            assignment: [{ topicId: TOPIC_ID_TEXT, topicName: "t", partitions: [1] }],
          },
        ],
      },
    ]);
  });

  it("implements only v1 (v0 was 4.0's early-access format)", () => {
    expect(() => encodeGroupDescribeRequest(shareGroupDescribeApi, 0, { groupIds: ["s1"] })).toThrow(/not implemented/);
  });
});
