import { describe, expect, it } from "vitest";
import { ProtocolDecodeError, ProtocolEncodeError } from "./codec";
import { decodeOffsetFetchResponse, encodeOffsetFetchRequest } from "./offsetFetch";
import { hex, utf8Hex } from "./testBytes";

const g1 = utf8Hex("g1");
const g2 = utf8Hex("g2");

describe("OffsetFetch request", () => {
  it("v8: several groups, null topics = all, requireStable", () => {
    const request = { groups: [{ groupId: "g1", topics: null }, { groupId: "g2", topics: [{ name: "t", partitions: [0] }] }], requireStable: true };
    expect(encodeOffsetFetchRequest(8, request)).toEqual(
      hex("00", "03", "03", g1, "00", "00", "03", g2, "02", "02 74", "02 00000000", "00", "00", "01", "00"),
    );
  });

  it("v9: adds a null member id and member epoch -1 per group", () => {
    expect(encodeOffsetFetchRequest(9, { groups: [{ groupId: "g1", topics: null }] })).toEqual(
      hex("00", "02", "03", g1, "00", "ffffffff", "00", "00", "00", "00"),
    );
  });

  it("v7: one group at top level; v6 without requireStable", () => {
    const request = { groups: [{ groupId: "g1", topics: null }], requireStable: true };
    expect(encodeOffsetFetchRequest(7, request)).toEqual(hex("00", "03", g1, "00", "01", "00"));
    expect(encodeOffsetFetchRequest(6, request)).toEqual(hex("00", "03", g1, "00", "00"));
  });

  it("single-group versions refuse several groups", () => {
    const request = { groups: [{ groupId: "g1", topics: null }, { groupId: "g2", topics: null }] };
    expect(() => encodeOffsetFetchRequest(7, request)).toThrow(ProtocolEncodeError);
  });
});

describe("OffsetFetch response", () => {
  const partition = (index: string, offset: string, metadata: string, error = "0000") =>
    [index, offset, "ffffffff", metadata, error, "00"].join("");

  it("v8: per-group topics, null metadata and group errors", () => {
    const payload = hex(
      "00", "00000000",
      "03",
      "03", g1, "02", "02 74", "03", partition("00000000", "000000000000000a", "01"), partition("00000001", "ffffffffffffffff", "00"), "00", "0000", "00",
      "03", g2, "01", "0010", "00",
      "00",
    );
    expect(decodeOffsetFetchResponse(8, payload)).toEqual({
      throttleTimeMs: 0,
      groups: [
        {
          groupId: "g1",
          errorCode: 0,
          topics: [
            {
              name: "t",
              topicId: null,
              partitions: [
                { partition: 0, committedOffset: 10, committedLeaderEpoch: -1, metadata: "", errorCode: 0 },
                { partition: 1, committedOffset: -1, committedLeaderEpoch: -1, metadata: null, errorCode: 0 },
              ],
            },
          ],
        },
        { groupId: "g2", errorCode: 16, topics: [] },
      ],
    });
  });

  it("v7: group id comes from the request", () => {
    const payload = hex("00", "00000000", "02", "02 74", "02", partition("00000000", "0000000000000003", "01"), "00", "0000", "00");
    const request = { groups: [{ groupId: "g1", topics: null }] };
    expect(decodeOffsetFetchResponse(7, payload, request).groups).toEqual([
      {
        groupId: "g1",
        errorCode: 0,
        topics: [{ name: "t", topicId: null, partitions: [{ partition: 0, committedOffset: 3, committedLeaderEpoch: -1, metadata: "", errorCode: 0 }] }],
      },
    ]);
    expect(() => decodeOffsetFetchResponse(7, payload)).toThrow(ProtocolDecodeError);
  });
});

// Bytes written by Kafka 4.4.0's own OffsetFetchRequestData / OffsetFetchResponseData at v10, header tag byte first.
describe("OffsetFetch v10 (topic ids)", () => {
  const topicId = Buffer.from("0102030405060708090a0b0c0d0e0f10", "hex").toString("base64url");

  it("request: topics by id; a topic by name is refused", () => {
    const request = {
      groups: [{ groupId: "g1", topics: null }, { groupId: "g2", topics: [{ topicId, partitions: [0] }] }],
      requireStable: true,
    };
    expect(encodeOffsetFetchRequest(10, request)).toEqual(
      hex("00", "03", "03", g1, "00", "ffffffff", "00", "00", "03", g2, "00", "ffffffff", "02", "0102030405060708090a0b0c0d0e0f10", "02 00000000", "00", "00", "01", "00"),
    );
    expect(() => encodeOffsetFetchRequest(10, { groups: [{ groupId: "g1", topics: [{ name: "t", partitions: [0] }] }] })).toThrow(ProtocolEncodeError);
    expect(() => encodeOffsetFetchRequest(9, { groups: [{ groupId: "g1", topics: [{ topicId, partitions: [0] }] }] })).toThrow(ProtocolEncodeError);
  });

  it("response: topic ids instead of names", () => {
    const payload = hex(
      "00",
      "0000000003036731020102030405060708090a0b0c0d0e0f100300000000000000000000000affffffff0100000000000001ffffffffffffffffffffffff00000000000000000367320100100000",
    );
    expect(decodeOffsetFetchResponse(10, payload)).toEqual({
      throttleTimeMs: 0,
      groups: [
        {
          groupId: "g1",
          errorCode: 0,
          topics: [
            {
              name: null,
              topicId,
              partitions: [
                { partition: 0, committedOffset: 10, committedLeaderEpoch: -1, metadata: "", errorCode: 0 },
                { partition: 1, committedOffset: -1, committedLeaderEpoch: -1, metadata: null, errorCode: 0 },
              ],
            },
          ],
        },
        { groupId: "g2", errorCode: 16, topics: [] },
      ],
    });
    expect(topicId).toBe("AQIDBAUGBwgJCgsMDQ4PEA");
  });
});
