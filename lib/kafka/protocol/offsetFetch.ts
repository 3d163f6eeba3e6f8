import { ProtocolDecodeError, ProtocolEncodeError, type Reader, type Writer } from "./codec";
import { formatUuid } from "./groupDescribe";
import { decodeResponseBody, encodeRequestBody, type ApiMessage } from "./message";

/** A topic by name (v6-9) or by id (v10+, Kafka's Uuid.toString() form). */
export type OffsetFetchTopicRef = { name: string; partitions: number[] } | { topicId: string; partitions: number[] };

export interface OffsetFetchGroupRequest {
  groupId: string;
  /** null = every partition the group has committed offsets for. */
  topics: OffsetFetchTopicRef[] | null;
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

/** v6-9 name the topic, v10+ give its id instead (name null). */
export type OffsetFetchTopic = { name: string; topicId: null; partitions: OffsetFetchPartition[] } | { name: null; topicId: string; partitions: OffsetFetchPartition[] };

export interface OffsetFetchGroupResponse {
  groupId: string;
  errorCode: number;
  topics: OffsetFetchTopic[];
}

export interface OffsetFetchResponse {
  throttleTimeMs: number;
  groups: OffsetFetchGroupResponse[];
}

export const MULTI_GROUP_OFFSET_FETCH_VERSION = 8;
/** First version with topic ids instead of names (Kafka 4.1+). */
export const TOPIC_ID_OFFSET_FETCH_VERSION = 10;

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

function readTopics(r: Reader, version: number): OffsetFetchTopic[] {
  return r.array((r): OffsetFetchTopic => {
    if (version >= TOPIC_ID_OFFSET_FETCH_VERSION) {
      const topicId = formatUuid(r.uuid());
      const partitions = r.array(readPartition);
      r.taggedFields();
      return { name: null, topicId, partitions };
    }
    const name = r.string();
    const partitions = r.array(readPartition);
    r.taggedFields();
    return { name, topicId: null, partitions };
  });
}

function writeTopics(w: Writer, version: number, topics: OffsetFetchGroupRequest["topics"]): void {
  w.nullableArray(topics, (w, topic) => {
    const byId = version >= TOPIC_ID_OFFSET_FETCH_VERSION;
    if (byId !== "topicId" in topic) {
      throw new ProtocolEncodeError(`OffsetFetch v${version} names topics by ${byId ? "id" : "name"}`);
    }
    if ("topicId" in topic) w.uuid(Buffer.from(topic.topicId, "base64url"));
    else w.string(topic.name);
    w.array(topic.partitions, (w, partition) => w.int32(partition));
    w.taggedFields();
  });
}

/**
 * Versions 6-10: kafkajs 2.2.4 stops at v4 and has neither multi-group fetches (v8, KIP-709), requireStable, nor
 * topic ids (v10: the response names topics by id only; see metadataApi for the names).
 */
export const offsetFetchApi: ApiMessage<OffsetFetchRequest, OffsetFetchResponse> = {
  apiKey: 9,
  apiName: "OffsetFetch",
  minVersion: 6,
  maxVersion: 10,
  firstFlexibleVersion: 6,
  responseHeaderHasTags: true,
  writeRequest(w: Writer, version: number, request: OffsetFetchRequest) {
    if (version < MULTI_GROUP_OFFSET_FETCH_VERSION) {
      if (request.groups.length !== 1) {
        throw new ProtocolEncodeError(`OffsetFetch v${version} takes exactly one group, got ${request.groups.length}`);
      }
      const [group] = request.groups;
      w.string(group.groupId);
      writeTopics(w, version, group.topics);
    } else {
      w.array(request.groups, (w, group) => {
        w.string(group.groupId);
        if (version >= 9) {
          w.nullableString(null); // member id: an admin read, not a group member
          w.int32(-1); // member epoch
        }
        writeTopics(w, version, group.topics);
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
      const topics = readTopics(r, version);
      groups = [{ groupId, errorCode: r.int16(), topics }];
    } else {
      groups = r.array((r) => {
        const groupId = r.string();
        const topics = readTopics(r, version);
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
