import type { Reader, Writer } from "./codec";
import { formatUuid } from "./groupDescribe";
import { decodeResponseBody, encodeRequestBody, type ApiMessage } from "./message";

export interface DescribeShareGroupOffsetsRequest {
  /** null topics = every partition the group has state for. */
  groups: { groupId: string; topics: { name: string; partitions: number[] }[] | null }[];
}

export interface ShareGroupPartitionOffset {
  partition: number;
  /** The share-partition start offset: records below it are all acknowledged; -1 when never initialized. */
  startOffset: number;
  leaderEpoch: number;
  /** v1+ (KIP-1226): records from the start offset not yet acknowledged, per the broker; -1 when unknown or v0. */
  lag: number;
  errorCode: number;
  errorMessage: string | null;
}

export interface ShareGroupOffsetsResult {
  groupId: string;
  topics: { topicName: string; topicId: string; partitions: ShareGroupPartitionOffset[] }[];
  errorCode: number;
  errorMessage: string | null;
}

export interface DescribeShareGroupOffsetsResponse {
  throttleTimeMs: number;
  groups: ShareGroupOffsetsResult[];
}

/** KIP-932: start offsets of share groups (their "committed offsets"), from the group coordinator. */
export const describeShareGroupOffsetsApi: ApiMessage<DescribeShareGroupOffsetsRequest, DescribeShareGroupOffsetsResponse> = {
  apiKey: 90,
  apiName: "DescribeShareGroupOffsets",
  minVersion: 0,
  maxVersion: 1,
  firstFlexibleVersion: 0,
  responseHeaderHasTags: true,
  writeRequest(w: Writer, _version: number, request: DescribeShareGroupOffsetsRequest) {
    w.array(request.groups, (w, group) => {
      w.string(group.groupId);
      w.nullableArray(group.topics, (w, topic) => {
        w.string(topic.name);
        w.array(topic.partitions, (w, p) => w.int32(p));
        w.taggedFields();
      });
      w.taggedFields();
    });
    w.taggedFields();
  },
  readResponse(r: Reader, version: number) {
    const throttleTimeMs = r.int32();
    const groups = r.array((r): ShareGroupOffsetsResult => {
      const groupId = r.string();
      const topics = r.array((r) => {
        const topicName = r.string();
        const topicId = formatUuid(r.uuid());
        const partitions = r.array((r): ShareGroupPartitionOffset => {
          const partition = r.int32();
          const startOffset = r.int64();
          const leaderEpoch = r.int32();
          const lag = version >= 1 ? r.int64() : -1;
          const errorCode = r.int16();
          const errorMessage = r.nullableString();
          r.taggedFields();
          return { partition, startOffset, leaderEpoch, lag, errorCode, errorMessage };
        });
        r.taggedFields();
        return { topicName, topicId, partitions };
      });
      const errorCode = r.int16();
      const errorMessage = r.nullableString();
      r.taggedFields();
      return { groupId, topics, errorCode, errorMessage };
    });
    r.taggedFields();
    return { throttleTimeMs, groups };
  },
};

export function encodeDescribeShareGroupOffsetsRequest(version: number, request: DescribeShareGroupOffsetsRequest): Buffer {
  return encodeRequestBody(describeShareGroupOffsetsApi, version, request);
}

export function decodeDescribeShareGroupOffsetsResponse(version: number, payload: Buffer): DescribeShareGroupOffsetsResponse {
  return decodeResponseBody(describeShareGroupOffsetsApi, version, payload);
}
