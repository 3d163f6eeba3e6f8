import type { PartitionState, TopicState } from "@/lib/snapshot/types";
import {
  describeLogDirsApi,
  ISOLATION_LEVEL,
  KafkaProtocolError,
  listOffsetsApi,
  OFFSET_TIMESTAMP,
  type IsolationLevel,
  type ProtocolClient,
} from "../protocol";
import { groupBy, PartitionMap, perBroker } from "./fanout";
import type { PhaseContext } from "./phases";

interface LedPartition {
  topic: string;
  partition: number;
  state: PartitionState;
}

export function partitionsByLeader(topics: TopicState[]): Map<number, LedPartition[]> {
  const led = topics.flatMap((t) =>
    t.partitions.filter((p) => p.leader >= 0).map((p) => ({ topic: t.name, partition: p.partition, state: p })),
  );
  return groupBy(led, (p) => p.state.leader);
}

/** One ListOffsets to a leader for its partitions: offsets by topic and partition, failures recorded on the phase. */
async function listOffsets(
  client: ProtocolClient,
  ctx: PhaseContext,
  nodeId: number,
  led: LedPartition[],
  isolationLevel: IsolationLevel,
  timestamp: number,
): Promise<PartitionMap<number>> {
  const { response } = await client.call(
    nodeId,
    listOffsetsApi,
    {
      isolationLevel,
      topics: [...groupBy(led, (p) => p.topic)].map(([name, ps]) => ({
        name,
        partitions: ps.map((p) => ({ partition: p.partition, timestamp })),
      })),
    },
    ctx.meter,
  );
  const offsets = new PartitionMap<number>();
  for (const t of response.topics) {
    for (const p of t.partitions) {
      if (p.errorCode === 0) offsets.set(t.name, p.partition, p.offset);
      else ctx.fail(nodeId, new KafkaProtocolError(p.errorCode, `ListOffsets ${t.name}-${p.partition}`));
    }
  }
  return offsets;
}

/**
 * Log start, HW and LSO of every partition from its leader: three ListOffsets requests per broker whatever the
 * number of topics. The LSO is read before the HW so that LSO <= HW holds within the snapshot: the three are sent
 * together (pipelined) over the leader's one connection, which the broker answers strictly in the order sent
 * (a Kafka protocol guarantee), so the order holds without a round trip between them.
 */
export async function collectOffsets(client: ProtocolClient, ctx: PhaseContext, topics: TopicState[]): Promise<void> {
  const byLeader = partitionsByLeader(topics);
  await perBroker(client, ctx, byLeader.keys(), async (nodeId) => {
    const led = byLeader.get(nodeId) ?? [];
    const [lso, hw, logStart] = await Promise.all([
      listOffsets(client, ctx, nodeId, led, ISOLATION_LEVEL.READ_COMMITTED, OFFSET_TIMESTAMP.LATEST),
      listOffsets(client, ctx, nodeId, led, ISOLATION_LEVEL.READ_UNCOMMITTED, OFFSET_TIMESTAMP.LATEST),
      listOffsets(client, ctx, nodeId, led, ISOLATION_LEVEL.READ_UNCOMMITTED, OFFSET_TIMESTAMP.EARLIEST),
    ]);
    for (const p of led) {
      p.state.lastStableOffset = lso.get(p.topic, p.partition) ?? null;
      p.state.highWatermark = hw.get(p.topic, p.partition) ?? null;
      p.state.logStartOffset = logStart.get(p.topic, p.partition) ?? null;
    }
  });
}

/**
 * The offsets of the partitions a listed transactional producer wrote, read again right before the coordinators'
 * describe (LSO, then HW) and right after it (HW): `transactionBracket`. Their growth from one poll's first read to
 * the next poll's last holds every transaction an id can have ended between the two describes, with at most one
 * round trip on each side for a transaction to straddle (the fencing detector's bound on per-commit epoch bumps).
 */
export async function readTransactionBracket(
  client: ProtocolClient,
  ctx: PhaseContext,
  topics: TopicState[],
  when: "before" | "after",
  producerIds: Set<number>,
): Promise<void> {
  const written = topics.map((t) => ({
    ...t,
    partitions: t.partitions.filter((p) => p.producers?.some((producer) => producerIds.has(producer.producerId))),
  }));
  const byLeader = partitionsByLeader(written);
  await perBroker(client, ctx, byLeader.keys(), async (nodeId) => {
    const led = byLeader.get(nodeId) ?? [];
    // LSO before HW, pipelined in that order over the leader's connection (as in collectOffsets).
    const [lso, hw] = await Promise.all([
      when === "before" ? listOffsets(client, ctx, nodeId, led, ISOLATION_LEVEL.READ_COMMITTED, OFFSET_TIMESTAMP.LATEST) : null,
      listOffsets(client, ctx, nodeId, led, ISOLATION_LEVEL.READ_UNCOMMITTED, OFFSET_TIMESTAMP.LATEST),
    ]);
    for (const p of led) {
      const [lsoBefore, hwNow] = [lso?.get(p.topic, p.partition), hw.get(p.topic, p.partition)];
      if (when === "before") {
        p.state.transactionBracket = lsoBefore === undefined || hwNow === undefined ? undefined : { lastStableOffset: lsoBefore, highWatermark: hwNow, highWatermarkAfter: -1 };
      } else if (p.state.transactionBracket && hwNow !== undefined) {
        p.state.transactionBracket.highWatermarkAfter = hwNow;
      }
    }
  });
  if (when === "before") return;
  // A bracket is whole or absent (the after-read failed on a broker that answered before).
  for (const p of [...byLeader.values()].flat()) {
    if (p.state.transactionBracket?.highWatermarkAfter === -1) delete p.state.transactionBracket;
  }
}

/**
 * Size on disk of each partition's leader replica: one DescribeLogDirs per leader broker, the slowest answer of a
 * poll (every replica's size) and one nothing else waits for, so it goes over the "bulk" connection, beside
 * the offsets-producers-transactions chain rather than in front of it.
 */
export async function collectLogDirs(client: ProtocolClient, ctx: PhaseContext, topics: TopicState[]): Promise<void> {
  const byLeader = partitionsByLeader(topics);
  await perBroker(client, ctx, byLeader.keys(), async (nodeId) => {
    const { response } = await client.call(nodeId, describeLogDirsApi, { topics: null }, ctx.meter, "bulk");
    if (response.errorCode !== 0) throw new KafkaProtocolError(response.errorCode, "DescribeLogDirs");
    const sizes = new PartitionMap<number>();
    for (const dir of response.results) {
      if (dir.errorCode !== 0) continue; // an offline log dir: its partitions stay unknown
      for (const t of dir.topics) {
        for (const p of t.partitions) {
          if (!p.isFuture) sizes.set(t.name, p.partition, p.sizeBytes);
        }
      }
    }
    for (const p of byLeader.get(nodeId) ?? []) p.state.sizeBytes = sizes.get(p.topic, p.partition) ?? null;
  });
}
