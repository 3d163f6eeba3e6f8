import { describe, expect, it } from "vitest";
import { decodeWriteTxnMarkersResponse, encodeWriteTxnMarkersRequest } from "./writeTxnMarkers";
import { hex, utf8Hex } from "./testBytes";

const abort = {
  markers: [
    {
      producerId: 1000,
      producerEpoch: 3,
      transactionResult: false,
      topics: [{ name: "orders", partitionIndexes: [2] }],
      coordinatorEpoch: 0,
    },
  ],
};

describe("WriteTxnMarkers", () => {
  it("v1 (flexible): one abort marker for one partition", () => {
    expect(encodeWriteTxnMarkersRequest(1, abort)).toEqual(
      hex(
        "00", // request header tags
        "02", // one marker
        "00000000000003e8", "0003", "00", // producer id, epoch, ABORT
        "02", "07", utf8Hex("orders"), "02 00000002", "00", // topic, partitions [2], topic tags
        "00000000", // coordinator epoch
        "00", // marker tags
        "00", // request tags
      ),
    );
  });

  it("v0 (classic): int32 array lengths and int16 string lengths", () => {
    expect(encodeWriteTxnMarkersRequest(0, abort)).toEqual(
      hex(
        "00000001",
        "00000000000003e8", "0003", "00",
        "00000001", "0006", utf8Hex("orders"), "00000001 00000002",
        "00000000",
      ),
    );
  });

  it("v1 decodes per-partition error codes", () => {
    const payload = hex(
      "00", // response header tags
      "02", "00000000000003e8",
      "02", "07", utf8Hex("orders"),
      "03", "00000002 0000", "00", "00000003 002f", "00", // partition 2: NONE; partition 3: INVALID_PRODUCER_EPOCH
      "00", // topic tags
      "00", // marker tags
      "00", // response tags
    );
    expect(decodeWriteTxnMarkersResponse(1, payload)).toEqual({
      markers: [
        {
          producerId: 1000,
          topics: [{ name: "orders", partitions: [{ partitionIndex: 2, errorCode: 0 }, { partitionIndex: 3, errorCode: 47 }] }],
        },
      ],
    });
  });

  it("v0 decodes without tagged fields", () => {
    const payload = hex("00000001", "00000000000003e8", "00000001", "0006", utf8Hex("orders"), "00000001", "00000002 0034");
    expect(decodeWriteTxnMarkersResponse(0, payload).markers[0].topics[0].partitions).toEqual([{ partitionIndex: 2, errorCode: 52 }]);
  });
});
