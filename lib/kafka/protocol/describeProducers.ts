import type { Reader, Writer } from "./codec";
import { decodeResponseBody, encodeRequestBody, type ApiMessage } from "./message";

export interface DescribeProducersRequest {
  topics: { name: string; partitions: number[] }[];
}

export interface ActiveProducer {
  producerId: number;
  producerEpoch: number;
  lastSequence: number;
  lastTimestamp: number;
  coordinatorEpoch: number;
  /** First offset of the producer's open transaction on this partition, -1 when none is open. */
  currentTxnStartOffset: number;
}

export interface DescribeProducersPartition {
  partition: number;
  errorCode: number;
  errorMessage: string | null;
  activeProducers: ActiveProducer[];
}

export interface DescribeProducersResponse {
  throttleTimeMs: number;
  topics: { name: string; partitions: DescribeProducersPartition[] }[];
}

/** KIP-664; must be sent to each partition's leader. */
export const describeProducersApi: ApiMessage<DescribeProducersRequest, DescribeProducersResponse> = {
  apiKey: 61,
  apiName: "DescribeProducers",
  minVersion: 0,
  maxVersion: 0,
  firstFlexibleVersion: 0,
  responseHeaderHasTags: true,
  writeRequest(w: Writer, _version: number, request: DescribeProducersRequest) {
    w.array(request.topics, (w, topic) => {
      w.string(topic.name);
      w.array(topic.partitions, (w, partition) => w.int32(partition));
      w.taggedFields();
    });
    w.taggedFields();
  },
  readResponse(r: Reader) {
    const throttleTimeMs = r.int32();
    const topics = r.array((r) => {
      const name = r.string();
      const partitions = r.array((r) => {
        const partition = r.int32();
        const errorCode = r.int16();
        const errorMessage = r.nullableString();
        const activeProducers = r.array((r) => {
          const producer: ActiveProducer = {
            producerId: r.int64(),
            producerEpoch: r.int32(),
            lastSequence: r.int32(),
            lastTimestamp: r.int64(),
            coordinatorEpoch: r.int32(),
            currentTxnStartOffset: r.int64(),
          };
          r.taggedFields();
          return producer;
        });
        r.taggedFields();
        return { partition, errorCode, errorMessage, activeProducers };
      });
      r.taggedFields();
      return { name, partitions };
    });
    r.taggedFields();
    return { throttleTimeMs, topics };
  },
};

export function encodeDescribeProducersRequest(version: number, request: DescribeProducersRequest): Buffer {
  return encodeRequestBody(describeProducersApi, version, request);
}

export function decodeDescribeProducersResponse(version: number, payload: Buffer): DescribeProducersResponse {
  return decodeResponseBody(describeProducersApi, version, payload);
}
