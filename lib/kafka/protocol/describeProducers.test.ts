import { describe, expect, it } from "vitest";
import { decodeDescribeProducersResponse, encodeDescribeProducersRequest } from "./describeProducers";
import { hex, utf8Hex } from "./testBytes";

describe("DescribeProducers v0", () => {
  it("encodes topics and partition indexes", () => {
    expect(encodeDescribeProducersRequest(0, { topics: [{ name: "orders", partitions: [0, 2] }] })).toEqual(
      hex("00", "02", "07", utf8Hex("orders"), "03 00000000 00000002", "00", "00"),
    );
  });

  it("decodes active producers, a null error message and a partition error with message", () => {
    const payload = hex(
      "00", // header tags
      "00000000", // throttle
      "02", "07", utf8Hex("orders"),
      "03",
      // partition 0: no error, null message, one producer with an open transaction at offset 41
      "00000000", "0000", "00",
      "02", "00000000000003e8", "00000002", "00000004", "0000018f00000000", "00000001", "0000000000000029", "00",
      "00",
      // partition 1: NOT_LEADER_OR_FOLLOWER with a message, no producers
      "00000001", "0006", "05", utf8Hex("gone"), "01", "00",
      "00", // topic tags
      "00", // response tags
    );
    expect(decodeDescribeProducersResponse(0, payload)).toEqual({
      throttleTimeMs: 0,
      topics: [
        {
          name: "orders",
          partitions: [
            {
              partition: 0,
              errorCode: 0,
              errorMessage: null,
              activeProducers: [
                {
                  producerId: 1000,
                  producerEpoch: 2,
                  lastSequence: 4,
                  lastTimestamp: 0x18f00000000,
                  coordinatorEpoch: 1,
                  currentTxnStartOffset: 41,
                },
              ],
            },
            { partition: 1, errorCode: 6, errorMessage: "gone", activeProducers: [] },
          ],
        },
      ],
    });
  });
});
