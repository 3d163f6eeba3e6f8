import type { Reader, Writer } from "./codec";
import { decodeResponseBody, encodeRequestBody, type ApiMessage } from "./message";

// Metadata for every topic, with each topic's and partition's error code kept. kafkajs's own Metadata parse
// throws the whole answer away when one partition has an error (LEADER_NOT_AVAILABLE while a broker is down),
// which left a poll with no metadata at all instead of every partition but that one.

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
  /** Null only when the broker names a topic by id alone (v12+, never for a request of every topic). */
  name: string | null;
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

const int32s = (r: Reader) => r.array((r) => r.int32());

/** Metadata v9-12 (flexible) for every topic; every broker since 2.4 answers one of them. */
export const metadataApi: ApiMessage<Record<string, never>, MetadataResponse> = {
  apiKey: 3,
  apiName: "Metadata",
  minVersion: 9,
  maxVersion: 12,
  firstFlexibleVersion: 9,
  responseHeaderHasTags: true,
  writeRequest(w: Writer, version: number) {
    w.nullableArray(null, () => {}); // null topics = every topic
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
      if (version >= 10) r.uuid();
      const internal = r.bool();
      const partitions = r.array((r): MetadataPartition => {
        const partition = { errorCode: r.int16(), partition: r.int32(), leader: r.int32() };
        r.int32(); // leader epoch
        const p = { ...partition, replicas: int32s(r), isr: int32s(r), offlineReplicas: int32s(r) };
        r.taggedFields();
        return p;
      });
      r.int32(); // topic authorized operations
      r.taggedFields();
      return { errorCode, name, internal, partitions };
    });
    if (version <= 10) r.int32(); // cluster authorized operations
    r.taggedFields();
    return { throttleTimeMs, brokers, clusterId, controllerId, topics };
  },
};

export function encodeMetadataRequest(version: number): Buffer {
  return encodeRequestBody(metadataApi, version, {});
}

export function decodeMetadataResponse(version: number, payload: Buffer): MetadataResponse {
  return decodeResponseBody(metadataApi, version, payload);
}
