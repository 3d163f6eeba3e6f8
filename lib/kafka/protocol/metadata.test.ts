import { describe, expect, it } from "vitest";
import { decodeMetadataResponse, encodeMetadataRequest } from "./metadata";
import { compactLengthHex, compactStringHex, hex } from "./testBytes";

describe("Metadata request", () => {
  it("asks for every topic (null topics), nothing created, no authorized operations", () => {
    // Request header tags, null topics, allow_auto_topic_creation, [v8-10 cluster operations,] topic operations, tags.
    expect(encodeMetadataRequest(12)).toEqual(hex("00", "00", "00", "00", "00"));
    expect(encodeMetadataRequest(10)).toEqual(hex("00", "00", "00", "00", "00", "00"));
  });

  it("names topics with a zero id from v10, by name alone before", () => {
    expect(encodeMetadataRequest(12, { topics: ["t"] })).toEqual(hex("00", "02", "00".repeat(16), "0274", "00", "00", "00", "00"));
    expect(encodeMetadataRequest(9, { topics: ["t"] })).toEqual(hex("00", "02", "0274", "00", "00", "00", "00", "00"));
  });
});

describe("Metadata response", () => {
  const uuid = "00".repeat(16);
  const partition = (error: string, index: string, leader: string, replicas: string[], isr: string[]) =>
    [error, index, leader, "00000003", compactLengthHex(replicas.length), ...replicas, compactLengthHex(isr.length), ...isr, "01", "00"].join("");

  it("keeps a partition without a leader, with its error, beside the healthy ones (v12)", () => {
    const payload = hex(
      "00", "00000000",
      "03", "00000001", compactStringHex("127.0.0.1"), "00002384", "00", "00",
      /**/ "00000002", compactStringHex("127.0.0.1"), "00002385", "00", "00",
      compactStringHex("cluster-id"), "00000001",
      "02", "0000", compactStringHex("orders"), uuid, "00",
      "03",
      partition("0000", "00000000", "00000001", ["00000001", "00000002"], ["00000001", "00000002"]),
      partition("0005", "00000001", "ffffffff", ["00000003", "00000002"], ["00000003"]),
      "80000000", "00",
      "00",
    );
    const response = decodeMetadataResponse(12, payload);
    expect(response.brokers.map((b) => b.nodeId)).toEqual([1, 2]);
    expect(response).toMatchObject({ clusterId: "cluster-id", controllerId: 1 });
    expect(response.topics).toEqual([
      {
        errorCode: 0,
        name: "orders",
        topicId: "AAAAAAAAAAAAAAAAAAAAAA",
        internal: false,
        partitions: [
          { errorCode: 0, partition: 0, leader: 1, replicas: [1, 2], isr: [1, 2], offlineReplicas: [] },
          { errorCode: 5, partition: 1, leader: -1, replicas: [3, 2], isr: [3], offlineReplicas: [] },
        ],
      },
    ]);
  });
});

// Bytes written by Kafka 4.4.0's own MetadataResponseData, header tag byte first.
describe("Metadata response v12-13 (topic ids)", () => {
  const body =
    "000000000200000001026800002384000002630000000103000002740102030405060708090a0b0c0d0e0f10000200000000000000000001000000000200000001020000000101008000000000000305676f6e65000000000000000000000000000000000001800000000000";
  const expected = {
    throttleTimeMs: 0,
    brokers: [{ nodeId: 1, host: "h", port: 9092, rack: null }],
    clusterId: "c",
    controllerId: 1,
    topics: [
      {
        errorCode: 0,
        name: "t",
        topicId: "AQIDBAUGBwgJCgsMDQ4PEA",
        internal: false,
        partitions: [{ errorCode: 0, partition: 0, leader: 1, replicas: [1], isr: [1], offlineReplicas: [] }],
      },
      { errorCode: 3, name: "gone", topicId: "AAAAAAAAAAAAAAAAAAAAAA", internal: false, partitions: [] },
    ],
  };

  it("v12: topic names with their ids", () => {
    expect(decodeMetadataResponse(12, hex("00", body))).toEqual(expected);
  });

  it("v13: a top-level error code before the tags", () => {
    expect(decodeMetadataResponse(13, hex("00", body.slice(0, -2), "0000", "00"))).toEqual(expected);
  });
});
