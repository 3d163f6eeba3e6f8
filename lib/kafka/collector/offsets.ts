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
import { groupBy, perBroker } from "./fanout";
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

/**
 * Log start, HW and LSO of every partition from its leader: three ListOffsets requests per broker whatever the
 * number of topics. The LSO is read before the HW so that LSO <= HW holds within the snapshot.
 */
export async function collectOffsets(client: ProtocolClient, ctx: PhaseContext, topics: TopicState[]): Promise<void> {
  const byLeader = partitionsByLeader(topics);
  await perBroker(client, ctx, byLeader.keys(), async (nodeId) => {
    const led = byLeader.get(nodeId) ?? [];
    const query = async (isolationLevel: IsolationLevel, timestamp: number) => {
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
      const offsets = new Map<string, number>();
      for (const t of response.topics) {
        for (const p of t.partitions) {
          if (p.errorCode === 0) offsets.set(`${t.name}\u0000${p.partition}`, p.offset);
          else ctx.fail(nodeId, new KafkaProtocolError(p.errorCode, `ListOffsets ${t.name}-${p.partition}`));
        }
      }
      return offsets;
    };
    const lso = await query(ISOLATION_LEVEL.READ_COMMITTED, OFFSET_TIMESTAMP.LATEST);
    const hw = await query(ISOLATION_LEVEL.READ_UNCOMMITTED, OFFSET_TIMESTAMP.LATEST);
    const logStart = await query(ISOLATION_LEVEL.READ_UNCOMMITTED, OFFSET_TIMESTAMP.EARLIEST);
    for (const p of led) {
      const key = `${p.topic}\u0000${p.partition}`;
      p.state.lastStableOffset = lso.get(key) ?? null;
      p.state.highWatermark = hw.get(key) ?? null;
      p.state.logStartOffset = logStart.get(key) ?? null;
    }
  });
}

/** Size on disk of each partition's leader replica: one DescribeLogDirs per leader broker. */
export async function collectLogDirs(client: ProtocolClient, ctx: PhaseContext, topics: TopicState[]): Promise<void> {
  const byLeader = partitionsByLeader(topics);
  await perBroker(client, ctx, byLeader.keys(), async (nodeId) => {
    const { response } = await client.call(nodeId, describeLogDirsApi, { topics: null }, ctx.meter);
    if (response.errorCode !== 0) throw new KafkaProtocolError(response.errorCode, "DescribeLogDirs");
    const sizes = new Map<string, number>();
    for (const dir of response.results) {
      if (dir.errorCode !== 0) continue; // an offline log dir: its partitions stay unknown
      for (const t of dir.topics) {
        for (const p of t.partitions) {
          if (!p.isFuture) sizes.set(`${t.name}\u0000${p.partition}`, p.sizeBytes);
        }
      }
    }
    for (const p of byLeader.get(nodeId) ?? []) p.state.sizeBytes = sizes.get(`${p.topic}\u0000${p.partition}`) ?? null;
  });
}
