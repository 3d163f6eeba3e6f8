import { describe, expect, it } from "vitest";
import { ProtocolEncodeError } from "./codec";
import { decodeListTransactionsResponse, encodeListTransactionsRequest } from "./listTransactions";
import { hex, utf8Hex } from "./testBytes";

describe("ListTransactions request", () => {
  it("v0: state and producer id filters", () => {
    expect(encodeListTransactionsRequest(0, { stateFilters: ["Ongoing"], producerIdFilters: [7] })).toEqual(
      hex("00", "02 08", utf8Hex("Ongoing"), "02 0000000000000007", "00"),
    );
  });

  it("v1: duration filter, -1 when absent", () => {
    expect(encodeListTransactionsRequest(1, { durationFilterMs: 60000 })).toEqual(hex("00", "01", "01", "000000000000ea60", "00"));
    expect(encodeListTransactionsRequest(1, {})).toEqual(hex("00", "01", "01", "ffffffffffffffff", "00"));
  });

  it("v2: nullable transactional id pattern", () => {
    expect(encodeListTransactionsRequest(2, {})).toEqual(hex("00", "01", "01", "ffffffffffffffff", "00", "00"));
    expect(encodeListTransactionsRequest(2, { transactionalIdPattern: "a.*" })).toEqual(
      hex("00", "01", "01", "ffffffffffffffff", "04", utf8Hex("a.*"), "00"),
    );
  });

  it("refuses filters the chosen version cannot express", () => {
    expect(() => encodeListTransactionsRequest(0, { durationFilterMs: 1 })).toThrow(ProtocolEncodeError);
    expect(() => encodeListTransactionsRequest(1, { transactionalIdPattern: "x" })).toThrow(ProtocolEncodeError);
  });
});

describe("ListTransactions response", () => {
  it("decodes states and unknown state filters", () => {
    const payload = hex(
      "00", "00000000", "0000",
      "02 04", utf8Hex("Bad"),
      "03",
      "06", utf8Hex("txn-a"), "0000000000000005", "08", utf8Hex("Ongoing"), "00",
      "06", utf8Hex("txn-b"), "0000000000000006", "06", utf8Hex("Empty"), "00",
      "00",
    );
    expect(decodeListTransactionsResponse(1, payload)).toEqual({
      throttleTimeMs: 0,
      errorCode: 0,
      unknownStateFilters: ["Bad"],
      transactions: [
        { transactionalId: "txn-a", producerId: 5, state: "Ongoing" },
        { transactionalId: "txn-b", producerId: 6, state: "Empty" },
      ],
    });
  });
});
