import type { Reader, Writer } from "./codec";
import { formatUuid } from "./groupDescribe";
import { decodeResponseBody, encodeRequestBody, type ApiMessage } from "./message";

// Our own Metadata, for two things kafkajs 2.2.4's (v6) lacks: each topic's and partition's error code kept
// (kafkajs throws the whole answer away when one partition has an error, e.g. LEADER_NOT_AVAILABLE while a
// broker is down, which left a poll with no metadata at all), and topic ids (v10+), which OffsetFetch v10
// answers with instead of names.

export interface MetadataRequest {
  /** Topic names; null = every topic. */
  topics: string[] | null;
}

export interface MetadataPartition {
  errorCode: number;
  partition: number;
  /** -1 when the partition has no leader. */
  leader: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
}

export interface MetadataTopic {
  errorCode: number;
  /** Null only when the broker names a topic by id alone (v12+, never for a request by name or of every topic). */
  name: string | null;
  /** Kafka's Uuid.toString() form; all zeros (AAAAAAAAAAAAAAAAAAAAAA) before v10 or when the topic has none (an error). */
  topicId: string;
  internal: boolean;
  partitions: MetadataPartition[];
}

export interface MetadataResponse {
  throttleTimeMs: number;
  brokers: { nodeId: number; host: string; port: number; rack: string | null }[];
  clusterId: string | null;
  controllerId: number;
  topics: MetadataTopic[];
}

const NO_TOPIC_ID = formatUuid(Buffer.alloc(16));
const int32s = (r: Reader) => r.array((r) => r.int32());

/** Metadata v9-13 (flexible); every broker since 2.4 answers one of them. */
export const metadataApi: ApiMessage<MetadataRequest, MetadataResponse> = {
  apiKey: 3,
  apiName: "Metadata",
  minVersion: 9,
  maxVersion: 13,
  firstFlexibleVersion: 9,
  responseHeaderHasTags: true,
  writeRequest(w: Writer, version: number, request: MetadataRequest) {
    w.nullableArray(request.topics, (w, name) => {
      if (version >= 10) w.uuid(Buffer.alloc(16)); // topic id: zero, the topic is named
      if (version >= 10) w.nullableString(name);
      else w.string(name);
      w.taggedFields();
    });
    w.bool(false); // allow_auto_topic_creation
    if (version <= 10) w.bool(false); // include_cluster_authorized_operations
    w.bool(false); // include_topic_authorized_operations
    w.taggedFields();
  },
  readResponse(r: Reader, version: number) {
    const throttleTimeMs = r.int32();
    const brokers = r.array((r) => {
      const broker = { nodeId: r.int32(), host: r.string(), port: r.int32(), rack: r.nullableString() };
      r.taggedFields();
      return broker;
    });
    const clusterId = r.nullableString();
    const controllerId = r.int32();
    const topics = r.array((r): MetadataTopic => {
      const errorCode = r.int16();
      const name = version >= 12 ? r.nullableString() : r.string();
      const topicId = version >= 10 ? formatUuid(r.uuid()) : NO_TOPIC_ID;
      const internal = r.bool();
      const partitions = r.array((r): MetadataPartition => {
        // One object literal, no spread: spreading a partial object here made decoding 5,000 partitions 7x slower.
        const errorCode = r.int16();
        const partition = r.int32();
        const leader = r.int32();
        r.int32(); // leader epoch
        const p = { errorCode, partition, leader, replicas: int32s(r), isr: int32s(r), offlineReplicas: int32s(r) };
        r.taggedFields();
        return p;
      });
      r.int32(); // topic authorized operations
      r.taggedFields();
      return { errorCode, name, topicId, internal, partitions };
    });
    if (version <= 10) r.int32(); // cluster authorized operations
    if (version >= 13) r.int16(); // top-level error code: only set for errors that leave the topics empty
    r.taggedFields();
    return { throttleTimeMs, brokers, clusterId, controllerId, topics };
  },
};

export function encodeMetadataRequest(version: number, request: MetadataRequest = { topics: null }): Buffer {
  return encodeRequestBody(metadataApi, version, request);
}

export function decodeMetadataResponse(version: number, payload: Buffer): MetadataResponse {
  return decodeResponseBody(metadataApi, version, payload);
}
