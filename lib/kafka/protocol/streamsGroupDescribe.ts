// StreamsGroupDescribe (API 89, KIP-1071): groups of Kafka Streams applications on the streams rebalance
// protocol. Members own tasks (sub-topology, partition), not topic partitions: the topology says which source
// topics each sub-topology reads.
import type { Reader, Writer } from "./codec";
import type { DescribedGroupHeader, GroupDescribeRequest, GroupDescribeResponse } from "./groupDescribe";
import { decodeResponseBody, encodeRequestBody, type ApiMessage } from "./message";

export interface StreamsTaskIds {
  subtopologyId: string;
  partitions: number[];
}

export interface StreamsAssignment {
  activeTasks: StreamsTaskIds[];
  standbyTasks: StreamsTaskIds[];
  warmupTasks: StreamsTaskIds[];
}

export interface StreamsSubtopology {
  subtopologyId: string;
  sourceTopics: string[];
  /** Internal repartition topics this sub-topology reads (also inputs of its tasks). */
  repartitionSourceTopics: string[];
}

export interface StreamsGroupMember {
  memberId: string;
  memberEpoch: number;
  instanceId: string | null;
  rackId: string | null;
  clientId: string;
  clientHost: string;
  topologyEpoch: number;
  processId: string;
  assignment: StreamsAssignment;
  targetAssignment: StreamsAssignment;
  isClassic: boolean;
}

/** groupState: Empty, NotReady, Assigning, Reconciling, Stable, Dead. */
export interface DescribedStreamsGroup extends DescribedGroupHeader {
  /** null on a describe error, or while the group has no initialized topology. */
  topology: { epoch: number; subtopologies: StreamsSubtopology[] | null } | null;
  members: StreamsGroupMember[];
  /** v1+: the task assignor the coordinator uses next; null on v0 or a describe error. */
  assignorName: string | null;
}

/** A nullable struct: int8 -1 for null, 1 followed by the struct otherwise. */
function nullableStruct<T>(r: Reader, read: (r: Reader) => T): T | null {
  return r.int8() < 0 ? null : read(r);
}

function strings(r: Reader): string[] {
  return r.array((r) => r.string());
}

function skipKeyValues(r: Reader): void {
  r.array((r) => {
    r.string();
    r.string();
    r.taggedFields();
  });
}

function readTopicInfoNames(r: Reader): string[] {
  return r.array((r) => {
    const name = r.string();
    r.int32(); // partitions
    r.int16(); // replication factor
    skipKeyValues(r);
    r.taggedFields();
    return name;
  });
}

function skipTaskOffsets(r: Reader): void {
  r.array((r) => {
    r.string();
    r.int32();
    r.int64();
    r.taggedFields();
  });
}

function readTaskIds(r: Reader): StreamsTaskIds[] {
  return r.array((r) => {
    const subtopologyId = r.string();
    const partitions = r.array((r) => r.int32());
    r.taggedFields();
    return { subtopologyId, partitions };
  });
}

function readAssignment(r: Reader): StreamsAssignment {
  const assignment = { activeTasks: readTaskIds(r), standbyTasks: readTaskIds(r), warmupTasks: readTaskIds(r) };
  r.taggedFields();
  return assignment;
}

function skipTopologyNode(r: Reader): void {
  r.string(); // name
  r.int8(); // node type
  strings(r); // source topics
  r.nullableString(); // sink topic
  strings(r); // stores
  strings(r); // successors
  r.taggedFields();
}

/** v1's full topology description (sent only when asked for; we never ask, but a broker may still send it). */
function skipTopologyDescription(r: Reader): void {
  r.array((r) => {
    r.string();
    r.array(skipTopologyNode);
    r.taggedFields();
  });
  r.array((r) => {
    skipTopologyNode(r);
    skipTopologyNode(r);
    r.taggedFields();
  });
  r.taggedFields();
}

function readMember(r: Reader): StreamsGroupMember {
  const memberId = r.string();
  const memberEpoch = r.int32();
  const instanceId = r.nullableString();
  const rackId = r.nullableString();
  const clientId = r.string();
  const clientHost = r.string();
  const topologyEpoch = r.int32();
  const processId = r.string();
  nullableStruct(r, (r) => {
    r.string(); // endpoint host
    r.int16(); // endpoint port (uint16)
    r.taggedFields();
  });
  skipKeyValues(r); // client tags
  skipTaskOffsets(r); // task offsets
  skipTaskOffsets(r); // task end offsets
  const assignment = readAssignment(r);
  const targetAssignment = readAssignment(r);
  const isClassic = r.bool();
  r.taggedFields();
  return { memberId, memberEpoch, instanceId, rackId, clientId, clientHost, topologyEpoch, processId, assignment, targetAssignment, isClassic };
}

export const streamsGroupDescribeApi: ApiMessage<GroupDescribeRequest, GroupDescribeResponse<DescribedStreamsGroup>> = {
  apiKey: 89,
  apiName: "StreamsGroupDescribe",
  minVersion: 0,
  maxVersion: 1,
  firstFlexibleVersion: 0,
  responseHeaderHasTags: true,
  writeRequest(w: Writer, version: number, request: GroupDescribeRequest) {
    w.array(request.groupIds, (w, id) => w.string(id));
    w.bool(false); // includeAuthorizedOperations
    if (version >= 1) w.bool(false); // includeTopologyDescription
    w.taggedFields();
  },
  readResponse(r: Reader, version: number) {
    const throttleTimeMs = r.int32();
    const groups = r.array((r): DescribedStreamsGroup => {
      const errorCode = r.int16();
      const errorMessage = r.nullableString();
      const groupId = r.string();
      const groupState = r.string();
      const groupEpoch = r.int32();
      const assignmentEpoch = r.int32();
      const topology = nullableStruct(r, (r) => {
        const epoch = r.int32();
        const subtopologies = r.nullableArray((r): StreamsSubtopology => {
          const subtopologyId = r.string();
          const sourceTopics = strings(r);
          strings(r); // repartition sink topics
          readTopicInfoNames(r); // state changelog topics
          const repartitionSourceTopics = readTopicInfoNames(r);
          r.taggedFields();
          return { subtopologyId, sourceTopics, repartitionSourceTopics };
        });
        r.taggedFields();
        return { epoch, subtopologies };
      });
      const members = r.array(readMember);
      r.int32(); // authorized operations: not requested
      let assignorName: string | null = null;
      if (version >= 1) {
        nullableStruct(r, skipTopologyDescription);
        r.int8(); // topology description status
        assignorName = r.nullableString();
      }
      r.taggedFields();
      return { errorCode, errorMessage, groupId, groupState, groupEpoch, assignmentEpoch, topology, members, assignorName };
    });
    r.taggedFields();
    return { throttleTimeMs, groups };
  },
};

export function encodeStreamsGroupDescribeRequest(version: number, request: GroupDescribeRequest): Buffer {
  return encodeRequestBody(streamsGroupDescribeApi, version, request);
}

export function decodeStreamsGroupDescribeResponse(version: number, payload: Buffer): GroupDescribeResponse<DescribedStreamsGroup> {
  return decodeResponseBody(streamsGroupDescribeApi, version, payload);
}
