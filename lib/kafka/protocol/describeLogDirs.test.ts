import { describe, expect, it } from "vitest";
import { decodeDescribeLogDirsResponse, encodeDescribeLogDirsRequest } from "./describeLogDirs";
import { hex, utf8Hex } from "./testBytes";

describe("DescribeLogDirs request", () => {
  it("null topics asks for everything (compact null = 00)", () => {
    expect(encodeDescribeLogDirsRequest(4, { topics: null })).toEqual(hex("00", "00", "00"));
  });

  it("v1 (classic) null topics is int32 -1", () => {
    expect(encodeDescribeLogDirsRequest(1, { topics: null })).toEqual(hex("ffffffff"));
  });

  it("encodes a topic filter", () => {
    expect(encodeDescribeLogDirsRequest(2, { topics: [{ topic: "t", partitions: [1] }] })).toEqual(
      hex("00", "02", "02 74", "02 00000001", "00", "00"),
    );
  });
});

describe("DescribeLogDirs response", () => {
  const dir = utf8Hex("/data");
  const partition = hex("00000000", "0000000000001000", "0000000000000000", "00", "00").toString("hex");

  it("v4: top-level error, sizes and disk totals", () => {
    const payload = hex(
      "00", "00000000", "0000",
      "02", "0000", "06", dir, "02", "02 74", "02", partition, "00",
      "0000000000010000", "0000000000008000", "00",
      "00",
    );
    expect(decodeDescribeLogDirsResponse(4, payload)).toEqual({
      throttleTimeMs: 0,
      errorCode: 0,
      results: [
        {
          errorCode: 0,
          logDir: "/data",
          topics: [{ name: "t", partitions: [{ partition: 0, sizeBytes: 4096, offsetLag: 0, isFuture: false }] }],
          totalBytes: 65536,
          usableBytes: 32768,
          isCordoned: false,
        },
      ],
    });
  });

  it("v2: no top-level error or totals (defaults), v5: cordoned flag", () => {
    const v2 = hex("00", "00000000", "02", "0000", "06", dir, "01", "00", "00");
    expect(decodeDescribeLogDirsResponse(2, v2).results[0]).toMatchObject({ totalBytes: -1, usableBytes: -1, isCordoned: false });
    const v5 = hex("00", "00000000", "0000", "02", "0000", "06", dir, "01", "ffffffffffffffff", "ffffffffffffffff", "01", "00", "00");
    expect(decodeDescribeLogDirsResponse(5, v5).results[0].isCordoned).toBe(true);
  });

  it("v1 (classic): int16 strings and int32 counts", () => {
    const v1 = hex("00000000", "00000001", "0000", "0005", dir, "00000001", "0001 74", "00000001", "00000002", "0000000000000010", "0000000000000001", "01");
    expect(decodeDescribeLogDirsResponse(1, v1).results[0].topics).toEqual([
      { name: "t", partitions: [{ partition: 2, sizeBytes: 16, offsetLag: 1, isFuture: true }] },
    ]);
  });
});
