import type { Reader, Writer } from "./codec";
import { decodeResponseBody, encodeRequestBody, type ApiMessage } from "./message";

export interface DescribeTransactionsRequest {
  transactionalIds: string[];
}

export interface DescribedTransaction {
  errorCode: number;
  transactionalId: string;
  state: string;
  transactionTimeoutMs: number;
  /** Epoch ms, -1 when no transaction is open. */
  transactionStartTimeMs: number;
  producerId: number;
  producerEpoch: number;
  topics: { topic: string; partitions: number[] }[];
}

export interface DescribeTransactionsResponse {
  throttleTimeMs: number;
  transactions: DescribedTransaction[];
}

/** KIP-664; must be sent to the transaction coordinator of each id. */
export const describeTransactionsApi: ApiMessage<DescribeTransactionsRequest, DescribeTransactionsResponse> = {
  apiKey: 65,
  apiName: "DescribeTransactions",
  minVersion: 0,
  maxVersion: 0,
  firstFlexibleVersion: 0,
  responseHeaderHasTags: true,
  writeRequest(w: Writer, _version: number, request: DescribeTransactionsRequest) {
    w.array(request.transactionalIds, (w, id) => w.string(id));
    w.taggedFields();
  },
  readResponse(r: Reader) {
    const throttleTimeMs = r.int32();
    const transactions = r.array((r) => {
      const errorCode = r.int16();
      const transactionalId = r.string();
      const state = r.string();
      const transactionTimeoutMs = r.int32();
      const transactionStartTimeMs = r.int64();
      const producerId = r.int64();
      const producerEpoch = r.int16();
      const topics = r.array((r) => {
        const topic = r.string();
        const partitions = r.array((r) => r.int32());
        r.taggedFields();
        return { topic, partitions };
      });
      r.taggedFields();
      return {
        errorCode,
        transactionalId,
        state,
        transactionTimeoutMs,
        transactionStartTimeMs,
        producerId,
        producerEpoch,
        topics,
      };
    });
    r.taggedFields();
    return { throttleTimeMs, transactions };
  },
};

export function encodeDescribeTransactionsRequest(version: number, request: DescribeTransactionsRequest): Buffer {
  return encodeRequestBody(describeTransactionsApi, version, request);
}

export function decodeDescribeTransactionsResponse(version: number, payload: Buffer): DescribeTransactionsResponse {
  return decodeResponseBody(describeTransactionsApi, version, payload);
}
