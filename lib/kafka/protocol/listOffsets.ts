import type { Reader, Writer } from "./codec";
import { decodeResponseBody, encodeRequestBody, type ApiMessage } from "./message";

export const ISOLATION_LEVEL = { READ_UNCOMMITTED: 0, READ_COMMITTED: 1 } as const;
export type IsolationLevel = (typeof ISOLATION_LEVEL)[keyof typeof ISOLATION_LEVEL];

/** Special timestamps: LATEST gives the high watermark (READ_UNCOMMITTED) or the LSO (READ_COMMITTED). */
export const OFFSET_TIMESTAMP = { LATEST: -1, EARLIEST: -2 } as const;

export interface ListOffsetsPartitionRequest {
  partition: number;
  timestamp: number;
  /** Leader epoch fencing (v4+); -1 skips the check. */
  currentLeaderEpoch?: number;
}

export interface ListOffsetsRequest {
  /** Explicit on purpose: the same LATEST query means HW or LSO depending on it. */
  isolationLevel: IsolationLevel;
  topics: { name: string; partitions: ListOffsetsPartitionRequest[] }[];
  /** v10+: how long the broker may wait for tiered-storage lookups. */
  timeoutMs?: number;
}

export interface ListOffsetsPartitionResponse {
  partition: number;
  errorCode: number;
  timestamp: number;
  offset: number;
  /** -1 before v4. */
  leaderEpoch: number;
}

export interface ListOffsetsResponse {
  throttleTimeMs: number;
  topics: { name: string; partitions: ListOffsetsPartitionResponse[] }[];
}

const DEFAULT_TIMEOUT_MS = 30_000;

// v0 has a different response shape and no isolation level: v2 is the oldest version that can ask for the LSO.
export const listOffsetsApi: ApiMessage<ListOffsetsRequest, ListOffsetsResponse> = {
  apiKey: 2,
  apiName: "ListOffsets",
  minVersion: 2,
  maxVersion: 11,
  firstFlexibleVersion: 6,
  responseHeaderHasTags: true,
  writeRequest(w: Writer, version: number, request: ListOffsetsRequest) {
    w.int32(-1); // replica id: a client, not a follower
    w.int8(request.isolationLevel);
    w.array(request.topics, (w, topic) => {
      w.string(topic.name);
      w.array(topic.partitions, (w, p) => {
        w.int32(p.partition);
        if (version >= 4) w.int32(p.currentLeaderEpoch ?? -1);
        w.int64(p.timestamp);
        w.taggedFields();
      });
      w.taggedFields();
    });
    if (version >= 10) w.int32(request.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    w.taggedFields();
  },
  readResponse(r: Reader, version: number) {
    const throttleTimeMs = r.int32();
    const topics = r.array((r) => {
      const name = r.string();
      const partitions = r.array((r) => {
        const partition: ListOffsetsPartitionResponse = {
          partition: r.int32(),
          errorCode: r.int16(),
          timestamp: r.int64(),
          offset: r.int64(),
          leaderEpoch: version >= 4 ? r.int32() : -1,
        };
        r.taggedFields();
        return partition;
      });
      r.taggedFields();
      return { name, partitions };
    });
    r.taggedFields();
    return { throttleTimeMs, topics };
  },
};

export function encodeListOffsetsRequest(version: number, request: ListOffsetsRequest): Buffer {
  return encodeRequestBody(listOffsetsApi, version, request);
}

export function decodeListOffsetsResponse(version: number, payload: Buffer): ListOffsetsResponse {
  return decodeResponseBody(listOffsetsApi, version, payload);
}
