import type { Reader, Writer } from "./codec";
import { formatUuid } from "./groupDescribe";
import { decodeResponseBody, encodeRequestBody, type ApiMessage } from "./message";

export interface MetadataRequest {
  /** Topic names; null = every topic. */
  topics: string[] | null;
}

export interface MetadataTopic {
  errorCode: number;
  name: string | null;
  /** Kafka's Uuid.toString() form; all zeros (AAAAAAAAAAAAAAAAAAAAAA) when the topic has none (an error). */
  topicId: string;
  isInternal: boolean;
  partitions: number[];
}

export interface MetadataResponse {
  throttleTimeMs: number;
  topics: MetadataTopic[];
}

function skipInt32Array(r: Reader): void {
  r.array((r) => r.int32());
}

/**
 * Metadata v12-13, only for what kafkajs 2.2.4's metadata (v6) lacks: topic ids (v10+), which OffsetFetch v10
 * answers with instead of names. Brokers are read and left out; kafkajs keeps the cluster's broker list.
 */
export const metadataApi: ApiMessage<MetadataRequest, MetadataResponse> = {
  apiKey: 3,
  apiName: "Metadata",
  minVersion: 12,
  maxVersion: 13,
  firstFlexibleVersion: 9,
  responseHeaderHasTags: true,
  writeRequest(w: Writer, _version: number, request: MetadataRequest) {
    w.nullableArray(request.topics, (w, name) => {
      w.uuid(Buffer.alloc(16)); // topic id: zero, the topic is named
      w.nullableString(name);
      w.taggedFields();
    });
    w.bool(false); // allowAutoTopicCreation
    w.bool(false); // includeTopicAuthorizedOperations
    w.taggedFields();
  },
  readResponse(r: Reader, version: number) {
    const throttleTimeMs = r.int32();
    r.array((r) => {
      r.int32(); // node id
      r.string(); // host
      r.int32(); // port
      r.nullableString(); // rack
      r.taggedFields();
    });
    r.nullableString(); // cluster id
    r.int32(); // controller id
    const topics = r.array((r): MetadataTopic => {
      const errorCode = r.int16();
      const name = r.nullableString();
      const topicId = formatUuid(r.uuid());
      const isInternal = r.bool();
      const partitions = r.array((r) => {
        r.int16(); // error code
        const partition = r.int32();
        r.int32(); // leader id
        r.int32(); // leader epoch
        skipInt32Array(r); // replicas
        skipInt32Array(r); // isr
        skipInt32Array(r); // offline replicas
        r.taggedFields();
        return partition;
      });
      r.int32(); // topic authorized operations
      r.taggedFields();
      return { errorCode, name, topicId, isInternal, partitions };
    });
    if (version >= 13) r.int16(); // top-level error code: only set for errors that leave the topics empty
    r.taggedFields();
    return { throttleTimeMs, topics };
  },
};

export function encodeMetadataRequest(version: number, request: MetadataRequest): Buffer {
  return encodeRequestBody(metadataApi, version, request);
}

export function decodeMetadataResponse(version: number, payload: Buffer): MetadataResponse {
  return decodeResponseBody(metadataApi, version, payload);
}
