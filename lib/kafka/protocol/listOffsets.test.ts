import { describe, expect, it } from "vitest";
import { ProtocolEncodeError } from "./codec";
import { decodeListOffsetsResponse, encodeListOffsetsRequest, ISOLATION_LEVEL, OFFSET_TIMESTAMP } from "./listOffsets";
import { hex } from "./testBytes";

const latestCommitted = {
  isolationLevel: ISOLATION_LEVEL.READ_COMMITTED,
  topics: [{ name: "t", partitions: [{ partition: 0, timestamp: OFFSET_TIMESTAMP.LATEST }] }],
};

describe("ListOffsets request", () => {
  it("v7 (flexible): header tags, compact arrays, leader epoch -1, tags per struct", () => {
    expect(encodeListOffsetsRequest(7, latestCommitted)).toEqual(
      hex(
        "00", // request header v2 tagged fields
        "ffffffff", // replica id -1
        "01", // READ_COMMITTED
        "02", "02 74", // 1 topic, "t"
        "02", "00000000", "ffffffff", "ffffffffffffffff", "00", // 1 partition: 0, epoch -1, LATEST, tags
        "00", // topic tags
        "00", // request tags
      ),
    );
  });

  it("v2 (classic): int32 counts, int16 strings, no leader epoch, no tags", () => {
    const request = {
      isolationLevel: ISOLATION_LEVEL.READ_UNCOMMITTED,
      topics: [{ name: "t", partitions: [{ partition: 3, timestamp: OFFSET_TIMESTAMP.EARLIEST }] }],
    };
    expect(encodeListOffsetsRequest(2, request)).toEqual(
      hex("ffffffff", "00", "00000001", "0001 74", "00000001", "00000003", "fffffffffffffffe"),
    );
  });

  it("v10 appends the tiered-storage timeout", () => {
    expect(encodeListOffsetsRequest(10, { ...latestCommitted, timeoutMs: 5000 })).toEqual(
      hex("00", "ffffffff", "01", "02", "02 74", "02", "00000000", "ffffffff", "ffffffffffffffff", "00", "00", "00001388", "00"),
    );
  });

  it("refuses versions it does not implement", () => {
    expect(() => encodeListOffsetsRequest(1, latestCommitted)).toThrow(ProtocolEncodeError);
    expect(() => encodeListOffsetsRequest(12, latestCommitted)).toThrow(ProtocolEncodeError);
  });
});

describe("ListOffsets response", () => {
  it("v7: skips header tags and unknown tagged fields", () => {
    const payload = hex(
      "01", "09 01 ff", // response header v1: one unknown tag
      "00000000", // throttle
      "03", // 2 topics
      "02 74", "02", "00000000", "0000", "ffffffffffffffff", "000000000000000a", "00000003", "01 07 02 abcd", "00",
      "02 75", "02", "00000001", "0006", "ffffffffffffffff", "ffffffffffffffff", "ffffffff", "00", "00",
      "00",
    );
    expect(decodeListOffsetsResponse(7, payload)).toEqual({
      throttleTimeMs: 0,
      topics: [
        { name: "t", partitions: [{ partition: 0, errorCode: 0, timestamp: -1, offset: 10, leaderEpoch: 3 }] },
        { name: "u", partitions: [{ partition: 1, errorCode: 6, timestamp: -1, offset: -1, leaderEpoch: -1 }] },
      ],
    });
  });

  it("v3 (classic): no leader epoch, reported as -1", () => {
    const payload = hex("00000005", "00000001", "0001 74", "00000001", "00000000", "0000", "0000000000000001", "0000000000000007");
    expect(decodeListOffsetsResponse(3, payload)).toEqual({
      throttleTimeMs: 5,
      topics: [{ name: "t", partitions: [{ partition: 0, errorCode: 0, timestamp: 1, offset: 7, leaderEpoch: -1 }] }],
    });
  });

  it("rejects trailing bytes and truncated payloads", () => {
    const valid = hex("00", "00000000", "01", "00");
    expect(decodeListOffsetsResponse(6, valid).topics).toEqual([]);
    expect(() => decodeListOffsetsResponse(6, Buffer.concat([valid, hex("00")]))).toThrow(/trailing bytes/);
    expect(() => decodeListOffsetsResponse(6, valid.subarray(0, 3))).toThrow(/need 4 bytes/);
  });
});
