import { describe, expect, it } from "vitest";
import { decodeDescribeShareGroupOffsetsResponse, encodeDescribeShareGroupOffsetsRequest } from "./describeShareGroupOffsets";
import { compactStringHex as str, hex } from "./testBytes";

const TOPIC_ID = "00112233445566778899aabbccddeeff";

describe("DescribeShareGroupOffsets request", () => {
  it("several groups; null topics = all, or named partitions", () => {
    const request = { groups: [{ groupId: "s1", topics: null }, { groupId: "s2", topics: [{ name: "t", partitions: [0, 1] }] }] };
    expect(encodeDescribeShareGroupOffsetsRequest(1, request)).toEqual(
      hex("00", "03", str("s1"), "00", "00", str("s2"), "02", str("t"), "03 00000000 00000001", "00", "00", "00"),
    );
  });
});

describe("DescribeShareGroupOffsets response", () => {
  const partition = (index: string, start: string, lag: string | null) =>
    [index, start, "00000000", lag ?? "", "0000", "00", "00"].join("");

  it("v1: start offset and lag per partition, an uninitialized partition, a group error", () => {
    const payload = hex(
      "00", "00000000",
      "03",
      str("s1"), "02", str("t"), TOPIC_ID, "03", partition("00000000", "000000000000000a", "0000000000000005"), partition("00000001", "ffffffffffffffff", "ffffffffffffffff"), "00", "0000", "00", "00",
      str("s2"), "01", "0010", str("not coordinator"), "00",
      "00",
    );
    expect(decodeDescribeShareGroupOffsetsResponse(1, payload)).toEqual({
      throttleTimeMs: 0,
      groups: [
        {
          groupId: "s1",
          topics: [
            {
              topicName: "t",
              topicId: "ABEiM0RVZneImaq7zN3u_w",
              partitions: [
                { partition: 0, startOffset: 10, leaderEpoch: 0, lag: 5, errorCode: 0, errorMessage: null },
                { partition: 1, startOffset: -1, leaderEpoch: 0, lag: -1, errorCode: 0, errorMessage: null },
              ],
            },
          ],
          errorCode: 0,
          errorMessage: null,
        },
        { groupId: "s2", topics: [], errorCode: 16, errorMessage: "not coordinator" },
      ],
    });
  });

  it("v0: no lag field (reported as -1)", () => {
    const payload = hex("00", "00000000", "02", str("s1"), "02", str("t"), TOPIC_ID, "02", partition("00000000", "0000000000000003", null), "00", "0000", "00", "00", "00");
    expect(decodeDescribeShareGroupOffsetsResponse(0, payload).groups[0].topics[0].partitions).toEqual([
      { partition: 0, startOffset: 3, leaderEpoch: 0, lag: -1, errorCode: 0, errorMessage: null },
    ]);
  });
});
