import { describe, expect, it } from "vitest";
import { decodeMetadataResponse, encodeMetadataRequest } from "./metadata";
import { hex } from "./testBytes";

// Bytes written by Kafka 4.4.0's own MetadataRequestData / MetadataResponseData, header tag byte first.
describe("Metadata v12-13 (topic ids)", () => {
  it("request: every topic (null), or named topics with a zero id", () => {
    expect(encodeMetadataRequest(12, { topics: null })).toEqual(hex("00", "00000000"));
    expect(encodeMetadataRequest(12, { topics: ["t"] })).toEqual(hex("00", "0200000000000000000000000000000000027400000000"));
  });

  const body =
    "000000000200000001026800002384000002630000000103000002740102030405060708090a0b0c0d0e0f10000200000000000000000001000000000200000001020000000101008000000000000305676f6e65000000000000000000000000000000000001800000000000";
  const expected = {
    throttleTimeMs: 0,
    topics: [
      { errorCode: 0, name: "t", topicId: "AQIDBAUGBwgJCgsMDQ4PEA", isInternal: false, partitions: [0] },
      { errorCode: 3, name: "gone", topicId: "AAAAAAAAAAAAAAAAAAAAAA", isInternal: false, partitions: [] },
    ],
  };

  it("response v12: topic names with their ids", () => {
    expect(decodeMetadataResponse(12, hex("00", body))).toEqual(expected);
  });

  it("response v13: a top-level error code before the tags", () => {
    expect(decodeMetadataResponse(13, hex("00", body.slice(0, -2), "0000", "00"))).toEqual(expected);
  });
});
