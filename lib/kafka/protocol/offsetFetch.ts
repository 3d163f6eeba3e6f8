import { ProtocolDecodeError, ProtocolEncodeError, type Reader, type Writer } from "./codec";
import { decodeResponseBody, encodeRequestBody, type ApiMessage } from "./message";

export interface OffsetFetchGroupRequest {
  groupId: string;
  /** null = every partition the group has committed offsets for. */
  topics: { name: string; partitions: number[] }[] | null;
}

export interface OffsetFetchRequest {
  /** v8+ takes several groups (all coordinated by the receiving broker); v6-7 exactly one. */
  groups: OffsetFetchGroupRequest[];
  /** v7+: answer UNSTABLE_OFFSET_COMMIT for partitions with a pending transactional commit. */
  requireStable?: boolean;
}

export interface OffsetFetchPartition {
  partition: number;
  /** -1 when the group has no committed offset for the partition. */
  committedOffset: number;
  committedLeaderEpoch: number;
  metadata: string | null;
  errorCode: number;
}

export interface OffsetFetchGroupResponse {
  groupId: string;
  errorCode: number;
  topics: { name: string; partitions: OffsetFetchPartition[] }[];
}

export interface OffsetFetchResponse {
  throttleTimeMs: number;
  groups: OffsetFetchGroupResponse[];
}

export const MULTI_GROUP_OFFSET_FETCH_VERSION = 8;

function readPartition(r: Reader): OffsetFetchPartition {
  const partition: OffsetFetchPartition = {
    partition: r.int32(),
    committedOffset: r.int64(),
    committedLeaderEpoch: r.int32(),
    metadata: r.nullableString(),
    errorCode: r.int16(),
  };
  r.taggedFields();
  return partition;
}

function readTopics(r: Reader): OffsetFetchGroupResponse["topics"] {
  return r.array((r) => {
    const name = r.string();
    const partitions = r.array(readPartition);
    r.taggedFields();
    return { name, partitions };
  });
}

function writeTopics(w: Writer, topics: OffsetFetchGroupRequest["topics"]): void {
  w.nullableArray(topics, (w, topic) => {
    w.string(topic.name);
    w.array(topic.partitions, (w, partition) => w.int32(partition));
    w.taggedFields();
  });
}

/**
 * Versions 6-9: kafkajs 2.2.4 stops at v4 and has neither multi-group fetches (v8, KIP-709) nor requireStable.
 * v10 (topic ids instead of names) is deliberately not implemented.
 */
export const offsetFetchApi: ApiMessage<OffsetFetchRequest, OffsetFetchResponse> = {
  apiKey: 9,
  apiName: "OffsetFetch",
  minVersion: 6,
  maxVersion: 9,
  firstFlexibleVersion: 6,
  responseHeaderHasTags: true,
  writeRequest(w: Writer, version: number, request: OffsetFetchRequest) {
    if (version < MULTI_GROUP_OFFSET_FETCH_VERSION) {
      if (request.groups.length !== 1) {
        throw new ProtocolEncodeError(`OffsetFetch v${version} takes exactly one group, got ${request.groups.length}`);
      }
      const [group] = request.groups;
      w.string(group.groupId);
      writeTopics(w, group.topics);
    } else {
      w.array(request.groups, (w, group) => {
        w.string(group.groupId);
        if (version >= 9) {
          w.nullableString(null); // member id: an admin read, not a group member
          w.int32(-1); // member epoch
        }
        writeTopics(w, group.topics);
        w.taggedFields();
      });
    }
    if (version >= 7) w.bool(request.requireStable ?? false);
    w.taggedFields();
  },
  readResponse(r: Reader, version: number, request?: OffsetFetchRequest) {
    const throttleTimeMs = r.int32();
    let groups: OffsetFetchGroupResponse[];
    if (version < MULTI_GROUP_OFFSET_FETCH_VERSION) {
      // Single-group versions do not echo the group id: take it from the request.
      const groupId = request?.groups[0]?.groupId;
      if (groupId === undefined) {
        throw new ProtocolDecodeError(`OffsetFetch v${version} response needs its request to name the group`);
      }
      const topics = readTopics(r);
      groups = [{ groupId, errorCode: r.int16(), topics }];
    } else {
      groups = r.array((r) => {
        const groupId = r.string();
        const topics = readTopics(r);
        const errorCode = r.int16();
        r.taggedFields();
        return { groupId, errorCode, topics };
      });
    }
    r.taggedFields();
    return { throttleTimeMs, groups };
  },
};

export function encodeOffsetFetchRequest(version: number, request: OffsetFetchRequest): Buffer {
  return encodeRequestBody(offsetFetchApi, version, request);
}

/** `request` is required for v6-7, whose response does not repeat the group id. */
export function decodeOffsetFetchResponse(
  version: number,
  payload: Buffer,
  request?: OffsetFetchRequest,
): OffsetFetchResponse {
  return decodeResponseBody(offsetFetchApi, version, payload, request);
}
