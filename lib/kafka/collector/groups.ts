import type { CommittedOffset, ConsumerGroupState, TopicState } from "@/lib/snapshot/types";
import {
  decodeMemberAssignment,
  ISOLATION_LEVEL,
  KafkaProtocolError,
  kafkajsBroker,
  MULTI_GROUP_OFFSET_FETCH_VERSION,
  offsetFetchApi,
  pickVersion,
  type KafkajsFetchPartition,
  type ProtocolClient,
} from "../protocol";
import { groupBy, perBroker } from "./fanout";
import type { PhaseContext } from "./phases";

/**
 * Every consumer group, from its own coordinator: each broker lists the groups it coordinates (so no
 * FindCoordinator per group), then describes them in one DescribeGroups request.
 */
export async function collectGroups(
  client: ProtocolClient,
  ctx: PhaseContext,
  brokerIds: number[],
): Promise<ConsumerGroupState[]> {
  const perCoordinator = await perBroker(client, ctx, brokerIds, async (nodeId) => {
    const broker = kafkajsBroker(await client.broker(nodeId));
    ctx.meter.requests += 1;
    const listed = await broker.listGroups();
    if (listed.errorCode !== 0) throw new KafkaProtocolError(listed.errorCode, "ListGroups");
    // Consumer groups, including offset-only ones (empty protocol type); not Connect workers or others.
    const groupIds = listed.groups.filter((g) => g.protocolType === "consumer" || g.protocolType === "").map((g) => g.groupId);
    if (groupIds.length === 0) return [];
    ctx.meter.requests += 1;
    const described = await broker.describeGroups({ groupIds });
    return described.groups.map((g): ConsumerGroupState => {
      if (g.errorCode !== 0) ctx.fail(nodeId, new KafkaProtocolError(g.errorCode, `DescribeGroups ${g.groupId}`));
      return {
        groupId: g.groupId,
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
  });
  return [...perCoordinator.values()].flat().sort((a, b) => a.groupId.localeCompare(b.groupId));
}

function safeAssignment(bytes: Buffer | null) {
  try {
    return decodeMemberAssignment(bytes);
  } catch {
    return []; // a non-standard assignor's bytes: membership is still shown, the assignment is not
  }
}

/**
 * Committed offsets of every group: one OffsetFetch per coordinator carrying all its groups (v8+, Kafka 3.0+),
 * or one per group on older brokers where the protocol forces it.
 */
export async function collectGroupOffsets(
  client: ProtocolClient,
  ctx: PhaseContext,
  groups: ConsumerGroupState[],
): Promise<void> {
  const byCoordinator = groupBy(
    groups.filter((g) => g.coordinatorId !== null),
    (g) => g.coordinatorId as number,
  );
  await perBroker(client, ctx, byCoordinator.keys(), async (nodeId) => {
    const coordinated = byCoordinator.get(nodeId) ?? [];
    const ranges = await client.apiVersions(nodeId);
    const version = pickVersion(offsetFetchApi.apiKey, offsetFetchApi.minVersion, offsetFetchApi.maxVersion, ranges);
    const batches =
      version !== null && version >= MULTI_GROUP_OFFSET_FETCH_VERSION ? [coordinated] : coordinated.map((g) => [g]);
    for (const batch of batches) {
      const { response } = await client.call(
        nodeId,
        offsetFetchApi,
        { groups: batch.map((g) => ({ groupId: g.groupId, topics: null })) },
        ctx.meter,
      );
      const byId = new Map(batch.map((g) => [g.groupId, g]));
      for (const answer of response.groups) {
        const group = byId.get(answer.groupId);
        if (!group) continue;
        if (answer.errorCode !== 0) {
          ctx.fail(nodeId, new KafkaProtocolError(answer.errorCode, `OffsetFetch ${answer.groupId}`));
          continue;
        }
        group.offsets = answer.topics
          .flatMap((t) =>
            t.partitions
              .filter((p) => p.errorCode === 0 && p.committedOffset >= 0)
              .map((p): CommittedOffset => ({ topic: t.name, partition: p.partition, offset: p.committedOffset, metadata: p.metadata })),
          )
          .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
      }
    }
  });
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
  const partitions = new Map(topics.flatMap((t) => t.partitions.map((p) => [partitionKey(t.name, p.partition), p])));
  const gaps: GapCheck[] = [];
  for (const offset of groups.flatMap((g) => g.offsets)) {
    const p = partitions.get(partitionKey(offset.topic, offset.partition));
    if (!p || p.lastStableOffset === null || p.leader < 0) continue;
    const gap = p.lastStableOffset - offset.offset;
    if (gap > 0 && gap <= maxGap) gaps.push({ offset, leader: p.leader, lso: p.lastStableOffset });
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
      const fetched = await kafkajsBroker(await client.broker(nodeId)).fetch({
        replicaId: -1,
        isolationLevel: ISOLATION_LEVEL.READ_COMMITTED,
        maxWaitTime: 0,
        minBytes: 0,
        maxBytes: 1024 * 1024,
        topics: [...groupBy(round, (same) => same[0].offset.topic)].map(([topic, sames]) => ({
          topic,
          partitions: sames.map((same) => ({ partition: same[0].offset.partition, fetchOffset: String(same[0].offset.offset), maxBytes: 64 * 1024 })),
        })),
      });
      for (const topic of fetched.responses) {
        for (const answer of topic.partitions) {
          const same = round.find((s) => s[0].offset.topic === topic.topicName && s[0].offset.partition === answer.partition);
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
