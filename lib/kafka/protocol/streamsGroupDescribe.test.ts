import { describe, expect, it } from "vitest";
import { decodeStreamsGroupDescribeResponse, encodeStreamsGroupDescribeRequest } from "./streamsGroupDescribe";
import { compactLengthHex, compactStringHex as str, hex } from "./testBytes";

const tasks = (subtopology: string, ...partitions: number[]) =>
  ["02", str(subtopology), compactLengthHex(partitions.length), ...partitions.map((p) => p.toString(16).padStart(8, "0")), "00"].join("");
const noTasks = "01";
const topicInfo = (name: string) => ["02", str(name), "00000000", "0000", "02", str("k"), str("v"), "00", "00"].join("");

const topology = [
  "01", "00000001",
  "02", str("0"), "02", str("in"), "01", topicInfo("app-store-changelog"), topicInfo("app-repartition"), "00",
  "00",
].join("");

const member = [
  str("m"), "00000007", "00", "00", str("app-1-StreamThread-1"), str("/127.0.0.1"), "00000001", str("proc-1"),
  "01", str("localhost"), "1f90", "00", // endpoint localhost:8080
  "02", str("zone"), str("a"), "00", // client tags
  "02", str("0"), "00000000", "0000000000000005", "00", // task offsets
  "01", // task end offsets
  tasks("0", 0, 1), noTasks, noTasks, "00", // assignment
  tasks("0", 0), tasks("0", 1), noTasks, "00", // target assignment
  "00", "00", // isClassic, tags
].join("");

describe("StreamsGroupDescribe", () => {
  it("v1 request asks for neither authorized operations nor the topology description; v0 has no such flag", () => {
    expect(encodeStreamsGroupDescribeRequest(1, { groupIds: ["app"] })).toEqual(hex("00", "02", str("app"), "00", "00", "00"));
    expect(encodeStreamsGroupDescribeRequest(0, { groupIds: ["app"] })).toEqual(hex("00", "02", str("app"), "00", "00"));
  });

  it("v1: topology (source and repartition source topics), a member's active tasks and target", () => {
    const payload = hex(
      "00", "00000000", "02",
      "0000", "00", str("app"), str("Reconciling"), "00000008", "00000008", topology, "02", member, "80000000",
      "ff", "00", "00", // no topology description, status NOT_REQUESTED, no assignor name
      "00", "00",
    );
    expect(decodeStreamsGroupDescribeResponse(1, payload).groups).toEqual([
      {
        errorCode: 0,
        errorMessage: null,
        groupId: "app",
        groupState: "Reconciling",
        groupEpoch: 8,
        assignmentEpoch: 8,
        topology: { epoch: 1, subtopologies: [{ subtopologyId: "0", sourceTopics: ["in"], repartitionSourceTopics: ["app-repartition"] }] },
        members: [
          {
            memberId: "m",
            memberEpoch: 7,
            instanceId: null,
            rackId: null,
            clientId: "app-1-StreamThread-1",
            clientHost: "/127.0.0.1",
            topologyEpoch: 1,
            processId: "proc-1",
            assignment: { activeTasks: [{ subtopologyId: "0", partitions: [0, 1] }], standbyTasks: [], warmupTasks: [] },
            targetAssignment: {
              activeTasks: [{ subtopologyId: "0", partitions: [0] }],
              standbyTasks: [{ subtopologyId: "0", partitions: [1] }],
              warmupTasks: [],
            },
            isClassic: false,
          },
        ],
        assignorName: null,
      },
    ]);
  });

  it("v1: skips a topology description the broker sends anyway", () => {
    const node = (name: string) => [str(name), "01", "02", str("in"), "00", "01", "02", str("next"), "00"].join("");
    const description = ["01", "02", str("0"), "02", node("KSTREAM-SOURCE-0000000000"), "00", "02", node("src"), node("proc"), "00", "00"].join("");
    const payload = hex(
      "00", "00000000", "02",
      "0000", "00", str("app"), str("Empty"), "00000001", "00000001", "ff", "01", "80000000",
      description, "03", str("sticky"), "00", "00",
    );
    expect(decodeStreamsGroupDescribeResponse(1, payload).groups[0]).toMatchObject({ groupState: "Empty", topology: null, members: [], assignorName: "sticky" });
  });

  it("v0: no topology description, status or assignor", () => {
    const payload = hex("00", "00000000", "02", "0045", str("gone"), str("app"), "01", "00000000", "00000000", "ff", "01", "80000000", "00", "00");
    expect(decodeStreamsGroupDescribeResponse(0, payload).groups[0]).toMatchObject({ errorCode: 69, errorMessage: "gone", topology: null, assignorName: null });
  });
});
