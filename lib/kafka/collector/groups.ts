import type {
  CommittedOffset,
  ConsumerGroupState,
  GroupMember,
  GroupType,
  ShareGroupOffset,
  TopicPartitionRef,
  TopicState,
} from "@/lib/snapshot/types";
import {
  consumerGroupDescribeApi,
  decodeMemberAssignment,
  describeShareGroupOffsetsApi,
  ISOLATION_LEVEL,
  KafkaProtocolError,
  kafkajsBroker,
  listGroupsApi,
  metadataApi,
  MULTI_GROUP_OFFSET_FETCH_VERSION,
  offsetFetchApi,
  pickVersion,
  shareGroupDescribeApi,
  streamsGroupDescribeApi,
  UnsupportedApiError,
  type AssignedTopicPartitions,
  type DescribedGroupHeader,
  type KafkajsFetchPartition,
  type ListedGroup,
  type OffsetFetchTopic,
  type ProtocolClient,
  type StreamsTaskIds,
} from "../protocol";
import type { Coordinators } from "./coordinators";
import { groupBy, PartitionMap, perBroker } from "./fanout";
import type { PhaseContext } from "./phases";

/** Gaps up to this many offsets between a committed offset and the LSO are read by default (checkMarkerGaps). */
export const DEFAULT_MARKER_CHECK_MAX_GAP = 64;
/** The marker-gap Fetch's limits: the whole answer, and each partition's share of it. */
export const MARKER_FETCH_MAX_BYTES = 1024 * 1024;
export const MARKER_FETCH_PARTITION_MAX_BYTES = 64 * 1024;

/** GROUP_ID_NOT_FOUND: the group was deleted (or expired) between ListGroups and its describe. */
const GROUP_ID_NOT_FOUND = 69;

/**
 * The type of a listed group, or null for groups this auditor does not read (Connect workers, types it does not
 * know). Before ListGroups v5 (brokers < 3.8) only the protocol type hints at it.
 */
export function auditedGroupType(group: Pick<ListedGroup, "groupType" | "protocolType">): GroupType | null {
  const type = (group.groupType ?? (group.protocolType === "share" || group.protocolType === "streams" ? group.protocolType : "classic")).toLowerCase();
  if (type === "classic") return group.protocolType === "consumer" || group.protocolType === "" ? "classic" : null;
  return type === "consumer" || type === "streams" || type === "share" ? type : null;
}

interface Listed extends ListedGroup {
  type: GroupType;
}

/**
 * Each coordinator's listed groups, handed from the groups phase to the offsets read as soon as its ListGroups
 * answers: the offsets are asked beside the describes rather than a round trip after them.
 */
export class GroupListings {
  private readonly byCoordinator = new Map<number, { listed: Promise<Listed[] | null>; resolve(groups: Listed[] | null): void }>();

  constructor(nodeIds: Iterable<number>) {
    for (const nodeId of nodeIds) {
      let resolve: (groups: Listed[] | null) => void = () => {};
      const listed = new Promise<Listed[] | null>((r) => (resolve = r));
      this.byCoordinator.set(nodeId, { listed, resolve });
    }
  }

  get nodeIds(): number[] {
    return [...this.byCoordinator.keys()];
  }

  /** The first listing of a coordinator counts (a retried one lists again; see attachGroupOffsets). */
  listed(nodeId: number, groups: Listed[]): void {
    this.byCoordinator.get(nodeId)?.resolve(groups);
  }

  /** A coordinator's listing, or null once the groups phase ended without one. */
  of(nodeId: number): Promise<Listed[] | null> {
    return this.byCoordinator.get(nodeId)?.listed ?? Promise.resolve(null);
  }

  /** After the groups phase: whoever never listed has nothing to read. */
  close(): void {
    for (const { resolve } of this.byCoordinator.values()) resolve(null);
  }
}

/**
 * Every consumer, streams and share group, from its own coordinator: each broker lists the groups it coordinates
 * (so no FindCoordinator per group), then describes them with one request per group type, each type with its
 * own API (classic DescribeGroups reports KIP-848 groups as Dead with no members).
 */
export async function collectGroups(
  client: ProtocolClient,
  ctx: PhaseContext,
  brokerIds: number[],
  coordinators: Coordinators,
  listings?: GroupListings,
): Promise<ConsumerGroupState[]> {
  const perCoordinator = await perBroker(client, ctx, brokerIds, async (nodeId) => {
    const { response: listed } = await client.call(nodeId, listGroupsApi, {}, ctx.meter);
    if (listed.errorCode !== 0) throw new KafkaProtocolError(listed.errorCode, "ListGroups");
    const coordinated = coordinators.keepCoordinated(ctx, "group", nodeId, listed.groups, (g) => g.groupId);
    const audited = coordinated.flatMap((g): Listed[] => {
      const type = auditedGroupType(g);
      return type ? [{ ...g, type }] : [];
    });
    listings?.listed(nodeId, audited);
    const byType = groupBy(audited, (g) => g.type);
    const described = await Promise.all(
      [...byType].map(([type, groups]) => describeOrUnsupported(ctx, nodeId, groups, () => DESCRIBE[type](client, ctx, nodeId, groups))),
    );
    return described.flat();
  });
  coordinators.checkCoverage(ctx, "group", brokerIds);
  return [...coordinators.keepFirstListing(ctx, "group", perCoordinator, (g) => g.groupId).values()]
    .flat()
    .sort((a, b) => a.groupId.localeCompare(b.groupId));
}

type Describe = (client: ProtocolClient, ctx: PhaseContext, nodeId: number, groups: Listed[]) => Promise<ConsumerGroupState[]>;

const DESCRIBE: Record<GroupType, Describe> = {
  classic: describeClassic,
  consumer: describeConsumer,
  share: describeShare,
  streams: describeStreams,
};

/**
 * A broker without the describe API of a listed type (e.g. 4.0's early-access share groups) keeps the phase
 * working: the groups stay listed with the state ListGroups gave, and the phase is marked unsupported.
 */
async function describeOrUnsupported(
  ctx: PhaseContext,
  nodeId: number,
  groups: Listed[],
  describe: () => Promise<ConsumerGroupState[]>,
): Promise<ConsumerGroupState[]> {
  try {
    return await describe();
  } catch (error) {
    if (!(error instanceof UnsupportedApiError)) throw error;
    ctx.fail(nodeId, error);
    return groups.map((g) => listedOnly(g, nodeId, g.groupState ?? "Unknown"));
  }
}

function listedOnly(listed: Listed, nodeId: number, state: string): ConsumerGroupState {
  return {
    groupId: listed.groupId,
    type: listed.type,
    state,
    protocolType: listed.protocolType,
    protocol: "",
    coordinatorId: nodeId,
    members: [],
    offsets: [],
  };
}

/** Per-group errors of the new describe APIs: a vanished group is dropped, any other error kept as Unknown. */
function describedOrFailed<G extends { errorCode: number; groupId: string }>(
  ctx: PhaseContext,
  nodeId: number,
  apiName: string,
  listed: Listed[],
  groups: G[],
  toState: (group: G, listed: Listed) => ConsumerGroupState,
): ConsumerGroupState[] {
  const byId = new Map(listed.map((g) => [g.groupId, g]));
  return groups.flatMap((g) => {
    const origin = byId.get(g.groupId);
    if (!origin || g.errorCode === GROUP_ID_NOT_FOUND) return [];
    if (g.errorCode !== 0) {
      ctx.fail(nodeId, new KafkaProtocolError(g.errorCode, `${apiName} ${g.groupId}`));
      return [listedOnly(origin, nodeId, "Unknown")];
    }
    return [toState(g, origin)];
  });
}

async function describeClassic(client: ProtocolClient, ctx: PhaseContext, nodeId: number, groups: Listed[]): Promise<ConsumerGroupState[]> {
  const broker = kafkajsBroker(await client.broker(nodeId));
  ctx.meter.requests += 1;
  const described = await broker.describeGroups({ groupIds: groups.map((g) => g.groupId) });
  return described.groups.map((g): ConsumerGroupState => {
    if (g.errorCode !== 0) ctx.fail(nodeId, new KafkaProtocolError(g.errorCode, `DescribeGroups ${g.groupId}`));
    return {
      groupId: g.groupId,
      type: "classic",
      state: g.errorCode === 0 ? g.state : "Unknown",
      protocolType: g.protocolType,
      protocol: g.protocol,
      coordinatorId: nodeId,
      members: g.members.map((m) => ({
        memberId: m.memberId,
        clientId: m.clientId,
        host: m.clientHost,
        assignment: safeAssignment(m.memberAssignment),
      })),
      offsets: [],
    };
  });
}

function safeAssignment(bytes: Buffer | null) {
  try {
    return decodeMemberAssignment(bytes);
  } catch {
    return []; // a non-standard assignor's bytes: membership is still shown, the assignment is not
  }
}

function byTopicPartition(a: TopicPartitionRef, b: TopicPartitionRef): number {
  return a.topic.localeCompare(b.topic) || a.partition - b.partition;
}

function topicPartitions(assigned: AssignedTopicPartitions[]): TopicPartitionRef[] {
  return assigned.flatMap((t) => t.partitions.map((partition) => ({ topic: t.topicName, partition }))).sort(byTopicPartition);
}

function memberOf(m: { memberId: string; clientId: string; clientHost: string; memberEpoch: number }): GroupMember {
  return { memberId: m.memberId, clientId: m.clientId, host: m.clientHost, memberEpoch: m.memberEpoch, assignment: [] };
}

/** The fields the epoch-based group types (consumer, streams, share) share. */
function epochGroupState(
  nodeId: number,
  listed: Listed,
  g: DescribedGroupHeader,
  protocol: string,
  members: GroupMember[],
): ConsumerGroupState {
  return {
    groupId: g.groupId,
    type: listed.type,
    state: g.groupState,
    protocolType: listed.protocolType,
    protocol,
    coordinatorId: nodeId,
    groupEpoch: g.groupEpoch,
    assignmentEpoch: g.assignmentEpoch,
    members,
    offsets: [],
  };
}

const idsOf = (groups: Listed[]) => ({ groupIds: groups.map((g) => g.groupId) });

async function describeConsumer(client: ProtocolClient, ctx: PhaseContext, nodeId: number, groups: Listed[]): Promise<ConsumerGroupState[]> {
  const { response } = await client.call(nodeId, consumerGroupDescribeApi, idsOf(groups), ctx.meter);
  return describedOrFailed(ctx, nodeId, consumerGroupDescribeApi.apiName, groups, response.groups, (g, listed) =>
    epochGroupState(
      nodeId,
      listed,
      g,
      g.assignorName,
      g.members.map((m) => ({ ...memberOf(m), assignment: topicPartitions(m.assignment), targetAssignment: topicPartitions(m.targetAssignment) })),
    ),
  );
}

async function describeShare(client: ProtocolClient, ctx: PhaseContext, nodeId: number, groups: Listed[]): Promise<ConsumerGroupState[]> {
  const { response } = await client.call(nodeId, shareGroupDescribeApi, idsOf(groups), ctx.meter);
  return describedOrFailed(ctx, nodeId, shareGroupDescribeApi.apiName, groups, response.groups, (g, listed) =>
    epochGroupState(nodeId, listed, g, g.assignorName, g.members.map((m) => ({ ...memberOf(m), assignment: topicPartitions(m.assignment) }))),
  );
}

/** A Streams task (sub-topology, partition) reads that partition of every source topic of its sub-topology. */
function taskInputs(tasks: StreamsTaskIds[], inputs: ReadonlyMap<string, string[]>): TopicPartitionRef[] {
  return tasks
    .flatMap((task) => (inputs.get(task.subtopologyId) ?? []).flatMap((topic) => task.partitions.map((partition) => ({ topic, partition }))))
    .sort(byTopicPartition);
}

async function describeStreams(client: ProtocolClient, ctx: PhaseContext, nodeId: number, groups: Listed[]): Promise<ConsumerGroupState[]> {
  const { response } = await client.call(nodeId, streamsGroupDescribeApi, idsOf(groups), ctx.meter);
  return describedOrFailed(ctx, nodeId, streamsGroupDescribeApi.apiName, groups, response.groups, (g, listed) => {
    const inputs = new Map(
      (g.topology?.subtopologies ?? []).map((s) => [s.subtopologyId, [...s.sourceTopics, ...s.repartitionSourceTopics]]),
    );
    const members = g.members.map((m) => ({
      ...memberOf(m),
      assignment: taskInputs(m.assignment.activeTasks, inputs),
      targetAssignment: taskInputs(m.targetAssignment.activeTasks, inputs),
    }));
    return epochGroupState(nodeId, listed, g, g.assignorName ?? "", members);
  });
}

/**
 * A coordinator's answers per group id: offsets, an error, or null for a group gone since it was listed (nothing to
 * attach, nothing wrong).
 */
type OffsetAnswers<T> = Map<string, T[] | KafkaProtocolError | null>;

export interface CoordinatorOffsets {
  committed: OffsetAnswers<CommittedOffset>;
  share: OffsetAnswers<ShareGroupOffset>;
}

/**
 * Offsets of every listed group, per coordinator, asked as soon as it has listed them and the partitions' offsets
 * are read (committed offsets are checked against those LSOs, so they are read after them): committed offsets in one
 * OffsetFetch carrying all its groups (v8+, Kafka 3.0+; one per group on older brokers, where the protocol forces
 * it), and share groups' start offsets and lag in one DescribeShareGroupOffsets. Where the coordinator offers v10
 * (Kafka 4.1+) its answer names topics by id, resolved to names through Metadata v12+ (kafkajs's metadata has no
 * ids), cached per client.
 */
export async function collectGroupOffsets(
  client: ProtocolClient,
  ctx: PhaseContext,
  listings: GroupListings,
  offsetsRead: Promise<unknown>,
): Promise<Map<number, CoordinatorOffsets>> {
  return perBroker(client, ctx, listings.nodeIds, async (nodeId) => {
    const listed = await listings.of(nodeId);
    await offsetsRead;
    const [committed, share] = await Promise.all([
      fetchCommittedOffsets(client, ctx, nodeId, (listed ?? []).filter((g) => g.type !== "share")),
      fetchShareOffsets(client, ctx, nodeId, (listed ?? []).filter((g) => g.type === "share")),
    ]);
    return { committed, share };
  });
}

/**
 * Gives each group its coordinator's answer. A group its coordinator's offsets read did not ask for (listed only by
 * a retried listing) is missing data: the poll is partial, never a group shown without its commits.
 */
export function attachGroupOffsets(ctx: PhaseContext, groups: ConsumerGroupState[], read: Map<number, CoordinatorOffsets>): void {
  for (const group of groups) {
    const { coordinatorId, groupId } = group;
    const answers = coordinatorId === null ? undefined : read.get(coordinatorId);
    if (!answers) continue; // that coordinator's read failed, already recorded
    const usable = <T>(answer: T[] | KafkaProtocolError | null | undefined): T[] | null => {
      if (answer === undefined) ctx.fail(coordinatorId, new Error(`group ${groupId} was listed after its coordinator's offsets were read`));
      else if (answer instanceof KafkaProtocolError) ctx.fail(coordinatorId, answer);
      else return answer;
      return null;
    };
    if (group.type === "share") {
      const offsets = usable(answers.share.get(groupId));
      if (offsets) group.shareOffsets = offsets;
    } else {
      group.offsets = usable(answers.committed.get(groupId)) ?? [];
    }
  }
}

/** The OffsetFetch version the collector uses with a broker (null: none it speaks). */
export async function offsetFetchVersion(client: ProtocolClient, nodeId: number): Promise<number | null> {
  return pickVersion(offsetFetchApi.apiKey, offsetFetchApi.minVersion, offsetFetchApi.maxVersion, await client.apiVersions(nodeId));
}

/** Topic id → name per client: ids never change for a topic, so Metadata is asked again only for an unknown id. */
const topicNamesByClient = new WeakMap<ProtocolClient, Map<string, string>>();

async function topicNames(client: ProtocolClient, ctx: PhaseContext, nodeId: number, ids: string[]): Promise<Map<string, string>> {
  const known = topicNamesByClient.get(client) ?? new Map<string, string>();
  topicNamesByClient.set(client, known);
  if (ids.every((id) => known.has(id))) return known;
  const { response } = await client.call(nodeId, metadataApi, { topics: null }, ctx.meter);
  for (const t of response.topics) if (t.errorCode === 0 && t.name !== null) known.set(t.topicId, t.name);
  return known;
}

async function fetchCommittedOffsets(client: ProtocolClient, ctx: PhaseContext, nodeId: number, listed: Listed[]): Promise<OffsetAnswers<CommittedOffset>> {
  const answers: OffsetAnswers<CommittedOffset> = new Map();
  if (listed.length === 0) return answers;
  const version = await offsetFetchVersion(client, nodeId);
  const batches = version !== null && version >= MULTI_GROUP_OFFSET_FETCH_VERSION ? [listed] : listed.map((g) => [g]);
  for (const batch of batches) {
    const { response } = await client.call(
      nodeId,
      offsetFetchApi,
      { groups: batch.map((g) => ({ groupId: g.groupId, topics: null })) },
      ctx.meter,
    );
    const ids = response.groups.flatMap((g) => g.topics.flatMap((t) => (t.topicId === null ? [] : [t.topicId])));
    const names = ids.length ? await topicNames(client, ctx, nodeId, ids) : new Map<string, string>();
    for (const answer of response.groups) {
      answers.set(
        answer.groupId,
        answer.errorCode === 0 ? committedOffsets(answer.topics, names) : new KafkaProtocolError(answer.errorCode, `OffsetFetch ${answer.groupId}`),
      );
    }
  }
  return answers;
}

/**
 * A group's answer as committed offsets in topic, partition order: topics sorted by name, then each topic's
 * partitions by number (the order of sorting them all by both, at a fraction of the comparisons: 25,000 offsets a
 * poll at 500 groups).
 */
export function committedOffsets(topics: OffsetFetchTopic[], names: ReadonlyMap<string, string>): CommittedOffset[] {
  const named: { topic: string; partitions: OffsetFetchTopic["partitions"] }[] = [];
  for (const t of topics) {
    // An id no Metadata names is a topic deleted since the commit: no partition left to measure against.
    const topic = t.name ?? names.get(t.topicId);
    if (topic !== undefined) named.push({ topic, partitions: t.partitions });
  }
  named.sort((a, b) => a.topic.localeCompare(b.topic));
  const offsets: CommittedOffset[] = [];
  let from = 0;
  for (let i = 0; i < named.length; i++) {
    const { topic, partitions } = named[i];
    for (const p of partitions) {
      if (p.errorCode === 0 && p.committedOffset >= 0) offsets.push({ topic, partition: p.partition, offset: p.committedOffset, metadata: p.metadata });
    }
    // Two ids can name one topic (deleted and created again): its partitions are sorted together.
    if (named[i + 1]?.topic === topic) continue;
    if (!isSortedByPartition(offsets, from)) {
      const sorted = offsets.splice(from).sort((a, b) => a.partition - b.partition);
      for (const o of sorted) offsets.push(o);
    }
    from = offsets.length;
  }
  return offsets;
}

function isSortedByPartition(offsets: CommittedOffset[], from: number): boolean {
  for (let i = from + 1; i < offsets.length; i++) if (offsets[i - 1].partition > offsets[i].partition) return false;
  return true;
}

async function fetchShareOffsets(client: ProtocolClient, ctx: PhaseContext, nodeId: number, listed: Listed[]): Promise<OffsetAnswers<ShareGroupOffset>> {
  const answers: OffsetAnswers<ShareGroupOffset> = new Map();
  if (listed.length === 0) return answers;
  const request = { groups: listed.map((g) => ({ groupId: g.groupId, topics: null })) };
  const answered = await client.call(nodeId, describeShareGroupOffsetsApi, request, ctx.meter).catch((error: unknown) => {
    if (!(error instanceof UnsupportedApiError)) throw error;
    ctx.fail(nodeId, error);
    return null;
  });
  // Unsupported: the groups stay without offsets, the phase says why.
  if (!answered) return new Map(listed.map((g) => [g.groupId, null]));
  for (const answer of answered.response.groups) {
    if (answer.errorCode === GROUP_ID_NOT_FOUND) {
      answers.set(answer.groupId, null);
      continue;
    }
    if (answer.errorCode !== 0) {
      answers.set(answer.groupId, new KafkaProtocolError(answer.errorCode, `DescribeShareGroupOffsets ${answer.groupId}`));
      continue;
    }
    answers.set(
      answer.groupId,
      answer.topics
        .flatMap((t) =>
          t.partitions.flatMap((p): ShareGroupOffset[] => {
            if (p.errorCode !== 0) {
              ctx.fail(nodeId, new KafkaProtocolError(p.errorCode, `DescribeShareGroupOffsets ${answer.groupId} ${t.topicName}-${p.partition}`));
              return [];
            }
            return [{ topic: t.topicName, partition: p.partition, startOffset: p.startOffset < 0 ? null : p.startOffset, lag: p.lag < 0 ? null : p.lag }];
          }),
        )
        .sort(byTopicPartition),
    );
  }
  return answers;
}

/**
 * For committed offsets a few records short of the LSO, reads what lies between (READ_COMMITTED fetch from the
 * leader) and flags the gap when it holds only transaction markers or aborted records: a read_committed group
 * there has nothing left to consume (the "lag of 1" every HW-based tool reports).
 */
export async function checkMarkerGaps(
  client: ProtocolClient,
  ctx: PhaseContext,
  topics: TopicState[],
  groups: ConsumerGroupState[],
  maxGap: number,
): Promise<void> {
  const partitions = new PartitionMap<TopicState["partitions"][number]>();
  for (const t of topics) for (const p of t.partitions) partitions.set(t.name, p.partition, p);
  const gaps: GapCheck[] = [];
  for (const group of groups) {
    for (const offset of group.offsets) {
      const p = partitions.get(offset.topic, offset.partition);
      if (!p || p.lastStableOffset === null || p.leader < 0) continue;
      const gap = p.lastStableOffset - offset.offset;
      if (gap > 0 && gap <= maxGap) gaps.push({ offset, leader: p.leader, lso: p.lastStableOffset });
    }
  }
  await perBroker(client, ctx, new Set(gaps.map((g) => g.leader)), async (nodeId) => {
    // A fetch names each partition once, so groups at different offsets of one partition take separate rounds;
    // groups at the same offset share one read.
    const starts = groupBy(gaps.filter((g) => g.leader === nodeId), (g) => `${partitionKey(g.offset.topic, g.offset.partition)}\u0000${g.offset.offset}`);
    const rounds = groupBy(starts.values(), (() => {
      const seen = new Map<string, number>();
      return (same: GapCheck[]) => {
        const key = partitionKey(same[0].offset.topic, same[0].offset.partition);
        const round = seen.get(key) ?? 0;
        seen.set(key, round + 1);
        return round;
      };
    })());
    for (const round of rounds.values()) {
      ctx.meter.requests += 1;
      // Over "main", not kafkajs's Fetch connection, which carries the slow log-dir and config answers.
      const fetched = await kafkajsBroker(await client.broker(nodeId), "main").fetch({
        replicaId: -1,
        isolationLevel: ISOLATION_LEVEL.READ_COMMITTED,
        maxWaitTime: 0,
        minBytes: 0,
        maxBytes: MARKER_FETCH_MAX_BYTES,
        topics: [...groupBy(round, (same) => same[0].offset.topic)].map(([topic, sames]) => ({
          topic,
          partitions: sames.map((same) => ({ partition: same[0].offset.partition, fetchOffset: String(same[0].offset.offset), maxBytes: MARKER_FETCH_PARTITION_MAX_BYTES })),
        })),
      });
      const byPartition = new Map(round.map((same) => [partitionKey(same[0].offset.topic, same[0].offset.partition), same]));
      for (const topic of fetched.responses) {
        for (const answer of topic.partitions) {
          const same = byPartition.get(partitionKey(topic.topicName, answer.partition));
          if (!same || answer.errorCode !== 0) continue;
          const controlOnly = gapIsControlOnly(answer, same[0].offset.offset, same[0].lso);
          if (controlOnly !== undefined) for (const g of same) g.offset.gapIsControlOnly = controlOnly;
        }
      }
    }
  });
}

interface GapCheck {
  offset: CommittedOffset;
  leader: number;
  lso: number;
}

function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

/**
 * True when nothing a read_committed consumer would receive lies in [committed, lso): only control records
 * (markers) or records of aborted transactions. Undefined when the read stopped short of the LSO (response cut
 * by maxBytes): an unseen gap is not declared empty.
 */
export function gapIsControlOnly(answer: KafkajsFetchPartition, committed: number, lso: number): boolean | undefined {
  const aborted = answer.abortedTransactions.map((a) => ({ producerId: a.producerId, firstOffset: Number(a.firstOffset) }));
  let lastSeen = committed - 1;
  for (const record of answer.messages) {
    const offset = Number(record.offset);
    lastSeen = Math.max(lastSeen, offset);
    if (offset < committed || offset >= lso || record.isControlRecord) continue;
    const isAborted =
      record.batchContext.inTransaction &&
      aborted.some((a) => a.producerId === record.batchContext.producerId && a.firstOffset <= offset);
    if (!isAborted) return false;
  }
  return lastSeen >= lso - 1 ? true : undefined;
}
