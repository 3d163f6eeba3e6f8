import { ProtocolEncodeError, type Reader, type Writer } from "./codec";
import { decodeResponseBody, encodeRequestBody, type ApiMessage } from "./message";

export interface ListTransactionsRequest {
  /** Empty = every state. */
  stateFilters?: string[];
  /** Empty = every producer id. */
  producerIdFilters?: number[];
  /** v1+: only transactions running longer than this many ms; negative or absent = no filter. */
  durationFilterMs?: number;
  /** v2+: regular expression on the transactional id; null or absent = no filter. */
  transactionalIdPattern?: string | null;
}

export interface ListedTransaction {
  transactionalId: string;
  producerId: number;
  state: string;
}

export interface ListTransactionsResponse {
  throttleTimeMs: number;
  errorCode: number;
  unknownStateFilters: string[];
  transactions: ListedTransaction[];
}

/** KIP-664; answered by each broker for the transactional ids it coordinates, so send it to every broker. */
export const listTransactionsApi: ApiMessage<ListTransactionsRequest, ListTransactionsResponse> = {
  apiKey: 66,
  apiName: "ListTransactions",
  minVersion: 0,
  maxVersion: 2,
  firstFlexibleVersion: 0,
  responseHeaderHasTags: true,
  writeRequest(w: Writer, version: number, request: ListTransactionsRequest) {
    const durationFilterMs = request.durationFilterMs ?? -1;
    const pattern = request.transactionalIdPattern ?? null;
    // Silently dropping a filter would return transactions the caller excluded.
    if (version < 1 && durationFilterMs >= 0) {
      throw new ProtocolEncodeError("ListTransactions v0 cannot filter by duration (needs v1+)");
    }
    if (version < 2 && pattern !== null) {
      throw new ProtocolEncodeError("ListTransactions v0-1 cannot filter by transactional id pattern (needs v2+)");
    }
    w.array(request.stateFilters ?? [], (w, state) => w.string(state));
    w.array(request.producerIdFilters ?? [], (w, producerId) => w.int64(producerId));
    if (version >= 1) w.int64(durationFilterMs);
    if (version >= 2) w.nullableString(pattern);
    w.taggedFields();
  },
  readResponse(r: Reader) {
    const throttleTimeMs = r.int32();
    const errorCode = r.int16();
    const unknownStateFilters = r.array((r) => r.string());
    const transactions = r.array((r) => {
      const txn: ListedTransaction = { transactionalId: r.string(), producerId: r.int64(), state: r.string() };
      r.taggedFields();
      return txn;
    });
    r.taggedFields();
    return { throttleTimeMs, errorCode, unknownStateFilters, transactions };
  },
};

export function encodeListTransactionsRequest(version: number, request: ListTransactionsRequest): Buffer {
  return encodeRequestBody(listTransactionsApi, version, request);
}

export function decodeListTransactionsResponse(version: number, payload: Buffer): ListTransactionsResponse {
  return decodeResponseBody(listTransactionsApi, version, payload);
}
