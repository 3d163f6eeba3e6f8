// ConsumerGroupDescribe (API 69, KIP-848) and ShareGroupDescribe (API 77, KIP-932): the describe APIs of the
// group types that classic DescribeGroups cannot see. Both take a list of group ids (all coordinated by the
// receiving broker) and share their assignment struct.
import type { Reader, Writer } from "./codec";
import { decodeResponseBody, encodeRequestBody, type ApiMessage } from "./message";

export interface GroupDescribeRequest {
  groupIds: string[];
}

export interface AssignedTopicPartitions {
  /** Kafka's string form of the topic id (URL-safe base64, as the CLIs print it). */
  topicId: string;
  topicName: string;
  partitions: number[];
}

/** The head every epoch-based group describe (consumer, share, streams) starts with. */
export interface DescribedGroupHeader {
  errorCode: number;
  errorMessage: string | null;
  groupId: string;
  groupState: string;
  groupEpoch: number;
  assignmentEpoch: number;
}

interface DescribedGroupBase extends DescribedGroupHeader {
  assignorName: string;
}

export interface ConsumerGroupMember {
  memberId: string;
  instanceId: string | null;
  rackId: string | null;
  memberEpoch: number;
  clientId: string;
  clientHost: string;
  subscribedTopicNames: string[];
  subscribedTopicRegex: string | null;
  assignment: AssignedTopicPartitions[];
  targetAssignment: AssignedTopicPartitions[];
  /** v1+: 0 = a classic member of a consumer group (upgrade in progress), 1 = consumer; -1 unknown (v0). */
  memberType: number;
}

export interface DescribedConsumerGroup extends DescribedGroupBase {
  members: ConsumerGroupMember[];
}

export interface ShareGroupMember {
  memberId: string;
  rackId: string | null;
  memberEpoch: number;
  clientId: string;
  clientHost: string;
  subscribedTopicNames: string[];
  assignment: AssignedTopicPartitions[];
}

export interface DescribedShareGroup extends DescribedGroupBase {
  members: ShareGroupMember[];
}

export interface GroupDescribeResponse<G> {
  throttleTimeMs: number;
  groups: G[];
}

/** Kafka's Uuid.toString(): URL-safe base64 without padding. */
export function formatUuid(bytes: Buffer): string {
  return bytes.toString("base64url");
}

function writeDescribeRequest(w: Writer, _version: number, request: GroupDescribeRequest): void {
  w.array(request.groupIds, (w, id) => w.string(id));
  w.bool(false); // includeAuthorizedOperations
  w.taggedFields();
}

/** The `Assignment` struct: topic partitions, each with its topic id and name. */
export function readAssignment(r: Reader): AssignedTopicPartitions[] {
  const topics = r.array((r): AssignedTopicPartitions => {
    const topicId = formatUuid(r.uuid());
    const topicName = r.string();
    const partitions = r.array((r) => r.int32());
    r.taggedFields();
    return { topicId, topicName, partitions };
  });
  r.taggedFields();
  return topics;
}

function readStrings(r: Reader): string[] {
  return r.array((r) => r.string());
}

/** Reads ThrottleTimeMs, then each group: header fields, members (by `readMember`), authorized operations. */
function readGroups<M, G extends DescribedGroupBase & { members: M[] }>(
  r: Reader,
  readMember: (r: Reader) => M,
): GroupDescribeResponse<G> {
  const throttleTimeMs = r.int32();
  const groups = r.array((r) => {
    const base: DescribedGroupBase = {
      errorCode: r.int16(),
      errorMessage: r.nullableString(),
      groupId: r.string(),
      groupState: r.string(),
      groupEpoch: r.int32(),
      assignmentEpoch: r.int32(),
      assignorName: r.string(),
    };
    const members = r.array(readMember);
    r.int32(); // authorized operations: not requested
    r.taggedFields();
    return { ...base, members } as G;
  });
  r.taggedFields();
  return { throttleTimeMs, groups };
}

/** KIP-848 consumer groups (`group.protocol=consumer`): states Empty, Assigning, Reconciling, Stable, Dead. */
export const consumerGroupDescribeApi: ApiMessage<GroupDescribeRequest, GroupDescribeResponse<DescribedConsumerGroup>> = {
  apiKey: 69,
  apiName: "ConsumerGroupDescribe",
  minVersion: 0,
  maxVersion: 1,
  firstFlexibleVersion: 0,
  responseHeaderHasTags: true,
  writeRequest: writeDescribeRequest,
  readResponse(r: Reader, version: number) {
    return readGroups<ConsumerGroupMember, DescribedConsumerGroup>(r, (r) => {
      const member: ConsumerGroupMember = {
        memberId: r.string(),
        instanceId: r.nullableString(),
        rackId: r.nullableString(),
        memberEpoch: r.int32(),
        clientId: r.string(),
        clientHost: r.string(),
        subscribedTopicNames: readStrings(r),
        subscribedTopicRegex: r.nullableString(),
        assignment: readAssignment(r),
        targetAssignment: readAssignment(r),
        memberType: version >= 1 ? r.int8() : -1,
      };
      r.taggedFields();
      return member;
    });
  },
};

/**
 * KIP-932 share groups: states Empty, Stable, Dead. Only v1 (4.1+): v0 was the 4.0 early-access format, which
 * brokers stopped accepting, so a 4.0 broker reads as "unsupported".
 */
export const shareGroupDescribeApi: ApiMessage<GroupDescribeRequest, GroupDescribeResponse<DescribedShareGroup>> = {
  apiKey: 77,
  apiName: "ShareGroupDescribe",
  minVersion: 1,
  maxVersion: 1,
  firstFlexibleVersion: 0,
  responseHeaderHasTags: true,
  writeRequest: writeDescribeRequest,
  readResponse(r: Reader) {
    return readGroups<ShareGroupMember, DescribedShareGroup>(r, (r) => {
      const member: ShareGroupMember = {
        memberId: r.string(),
        rackId: r.nullableString(),
        memberEpoch: r.int32(),
        clientId: r.string(),
        clientHost: r.string(),
        subscribedTopicNames: readStrings(r),
        assignment: readAssignment(r),
      };
      r.taggedFields();
      return member;
    });
  },
};

export function encodeGroupDescribeRequest<G>(
  api: ApiMessage<GroupDescribeRequest, GroupDescribeResponse<G>>,
  version: number,
  request: GroupDescribeRequest,
): Buffer {
  return encodeRequestBody(api, version, request);
}

export function decodeGroupDescribeResponse<G>(
  api: ApiMessage<GroupDescribeRequest, GroupDescribeResponse<G>>,
  version: number,
  payload: Buffer,
): GroupDescribeResponse<G> {
  return decodeResponseBody(api, version, payload);
}
