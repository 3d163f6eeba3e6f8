import { describe, expect, it } from "vitest";
import { decodeDescribeTransactionsResponse, encodeDescribeTransactionsRequest } from "./describeTransactions";
import { hex, utf8Hex } from "./testBytes";

describe("DescribeTransactions v0", () => {
  it("encodes transactional ids", () => {
    expect(encodeDescribeTransactionsRequest(0, { transactionalIds: ["txn-a", "b"] })).toEqual(
      hex("00", "03", "06", utf8Hex("txn-a"), "02", utf8Hex("b"), "00"),
    );
  });

  it("decodes an ongoing transaction and a not-found id", () => {
    const payload = hex(
      "00", "00000000",
      "03",
      "0000", "06", utf8Hex("txn-a"), "08", utf8Hex("Ongoing"), "0000ea60", "0000018f00000000",
      "0000000000000005", "0003", "02", "07", utf8Hex("orders"), "03 00000000 00000002", "00", "00",
      "0069", "02", utf8Hex("x"), "05", utf8Hex("Dead"), "00000000", "ffffffffffffffff", "ffffffffffffffff", "ffff", "01", "00",
      "00",
    );
    expect(decodeDescribeTransactionsResponse(0, payload)).toEqual({
      throttleTimeMs: 0,
      transactions: [
        {
          errorCode: 0,
          transactionalId: "txn-a",
          state: "Ongoing",
          transactionTimeoutMs: 60000,
          transactionStartTimeMs: 0x18f00000000,
          producerId: 5,
          producerEpoch: 3,
          topics: [{ topic: "orders", partitions: [0, 2] }],
        },
        {
          errorCode: 105,
          transactionalId: "x",
          state: "Dead",
          transactionTimeoutMs: 0,
          transactionStartTimeMs: -1,
          producerId: -1,
          producerEpoch: -1,
          topics: [],
        },
      ],
    });
  });
});
