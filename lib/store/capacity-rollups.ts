import { clusterIdOf } from "./clusters";
import { db, type Db } from "./db";
import { topicRollupView, type RollupGranularity } from "./queries";

// The stored roll-ups the capacity page reads, kept per client between requests: 7 days of hourly partition roll-ups
// are 840,000 rows at 5,000 partitions (seconds to read), and each request differs from the previous one by at most
// the bucket the hourly job added and the one the range left. A stored bucket is written once by the job (a rerun
// after a crash writes the same figures), so its rows are read once; buckets entering or leaving are read alone.

type TopicRollupRow = Readonly<ReturnType<typeof topicRollupView>>;

interface PartitionSum {
  topic: string;
  partition: number;
  recordsIn: number;
  /** Roll-up rows summed: the partition goes when the last one leaves the range. */
  rows: number;
}

interface RangeCache {
  /** Topic rows per bucket start, with the bucket's row count when read. */
  topics: Map<number, { count: number; rows: TopicRollupRow[] }>;
  /** Σ records in per partition over the partition roll-ups of `buckets` (bucket start → its row count). */
  partitions: { buckets: Map<number, number>; sums: Map<string, PartitionSum> } | null;
}

const caches = new WeakMap<Db, Map<string, RangeCache>>();

/** Buckets entering or leaving beyond which summing the range again in SQL is cheaper than reading their rows. */
const INCREMENTAL_BUCKETS = 24;

export interface CapacityRollups {
  /** Stored topic roll-ups in [from, to], by bucket then topic. */
  topics: TopicRollupRow[];
  /** Per topic and partition: Σ records in over the stored partition roll-ups in [from, to]. */
  partitionRecords: Map<string, Map<number, number>>;
}

/**
 * The stored roll-ups of a capacity view: what getTopicRollups and getPartitionRollups return over [from, to],
 * the partitions' records summed. Views of different spans are kept apart (a 24 h view does not evict the 7 days).
 */
export async function getCapacityRollups(
  cluster: string,
  query: { granularity: RollupGranularity; from: Date; to: Date },
  database: Db = db(),
): Promise<CapacityRollups> {
  const clusterId = await clusterIdOf(database, cluster);
  const { granularity } = query;
  const range = { gte: query.from, lte: query.to };
  let perClient = caches.get(database);
  if (!perClient) {
    perClient = new Map();
    caches.set(database, perClient);
  }
  const id = `${clusterId}/${granularity}/${query.to.getTime() - query.from.getTime()}`;
  const cache = perClient.get(id) ?? { topics: new Map(), partitions: null };
  perClient.set(id, cache);

  const buckets = await database.topicRollup.groupBy({
    by: ["bucketStart"],
    where: { clusterId, granularity, bucketStart: range },
    _count: { _all: true },
    orderBy: { bucketStart: "asc" },
  });
  const listed = new Set(buckets.map((b) => b.bucketStart.getTime()));
  for (const start of cache.topics.keys()) if (!listed.has(start)) cache.topics.delete(start);
  const unread = buckets.filter((b) => cache.topics.get(b.bucketStart.getTime())?.count !== b._count._all).map((b) => b.bucketStart);
  if (unread.length) {
    const rows = await database.topicRollup.findMany({
      where: { clusterId, granularity, bucketStart: { in: unread } },
      orderBy: [{ bucketStart: "asc" }, { topic: "asc" }],
    });
    for (const start of unread) cache.topics.set(start.getTime(), { count: 0, rows: [] });
    for (const row of rows) {
      const bucket = cache.topics.get(row.bucketStart.getTime())!;
      bucket.rows.push(Object.freeze(topicRollupView(row)));
      bucket.count += 1;
    }
  }
  const topics = buckets.flatMap((b) => cache.topics.get(b.bucketStart.getTime())!.rows);
  return { topics, partitionRecords: await partitionRecords(database, clusterId, granularity, query, buckets.map((b) => b.bucketStart.getTime()), cache) };
}

async function partitionRecords(
  database: Db,
  clusterId: number,
  granularity: RollupGranularity,
  query: { from: Date; to: Date },
  topicBuckets: number[],
  cache: RangeCache,
): Promise<Map<string, Map<number, number>>> {
  // Partition roll-ups may expire before the topics' (retention deletes the oldest first): those buckets from
  // the oldest one left.
  const oldest = await database.partitionRollup.findFirst({
    where: { clusterId, granularity, bucketStart: { gte: query.from, lte: query.to } },
    orderBy: { bucketStart: "asc" },
    select: { bucketStart: true },
  });
  const buckets = new Set(oldest ? topicBuckets.filter((b) => b >= oldest.bucketStart.getTime()) : []);
  const cached = cache.partitions;
  const entering = cached ? [...buckets].filter((b) => !cached.buckets.has(b)) : [];
  const leaving = cached ? [...cached.buckets.keys()].filter((b) => !buckets.has(b)) : [];
  const keyOf = (topic: string, partition: number) => `${topic}\u0000${partition}`;
  // A bucket leaving is subtracted with its rows, read back: unless retention deleted them first (then they no
  // longer add up to the count added), when the range is summed again.
  let incremental = cached !== null && entering.length + leaving.length <= INCREMENTAL_BUCKETS;
  if (incremental && cached && entering.length + leaving.length > 0) {
    const rows = await database.partitionRollup.findMany({
      where: { clusterId, granularity, bucketStart: { in: [...entering, ...leaving].map((b) => new Date(b)) } },
      select: { bucketStart: true, topic: true, partition: true, recordsIn: true },
    });
    const counts = new Map<number, number>();
    for (const r of rows) counts.set(r.bucketStart.getTime(), (counts.get(r.bucketStart.getTime()) ?? 0) + 1);
    incremental = leaving.every((b) => counts.get(b) === cached.buckets.get(b));
    if (incremental) {
      const leavingSet = new Set(leaving);
      for (const r of rows) {
        const key = keyOf(r.topic, r.partition);
        const sum = cached.sums.get(key) ?? { topic: r.topic, partition: r.partition, recordsIn: 0, rows: 0 };
        const sign = leavingSet.has(r.bucketStart.getTime()) ? -1 : 1;
        sum.recordsIn += sign * Number(r.recordsIn);
        sum.rows += sign;
        if (sum.rows === 0) cached.sums.delete(key);
        else cached.sums.set(key, sum);
      }
      for (const b of leaving) cached.buckets.delete(b);
      for (const b of entering) cached.buckets.set(b, counts.get(b) ?? 0);
    }
  }
  if (!incremental) {
    const where = { clusterId, granularity, bucketStart: { in: [...buckets].map((b) => new Date(b)) } };
    const sums = new Map<string, PartitionSum>();
    const counts = new Map<number, number>();
    if (buckets.size) {
      const [rows, perBucket] = await Promise.all([
        database.partitionRollup.groupBy({ by: ["topic", "partition"], where, _sum: { recordsIn: true }, _count: { _all: true } }),
        database.partitionRollup.groupBy({ by: ["bucketStart"], where, _count: { _all: true } }),
      ]);
      for (const r of rows) sums.set(keyOf(r.topic, r.partition), { topic: r.topic, partition: r.partition, recordsIn: Number(r._sum.recordsIn ?? 0), rows: r._count._all });
      for (const b of perBucket) counts.set(b.bucketStart.getTime(), b._count._all);
    }
    cache.partitions = { buckets: new Map([...buckets].map((b) => [b, counts.get(b) ?? 0])), sums };
  }
  const byTopic = new Map<string, Map<number, number>>();
  for (const { topic, partition, recordsIn } of cache.partitions!.sums.values()) {
    const partitions = byTopic.get(topic) ?? new Map<number, number>();
    byTopic.set(topic, partitions);
    partitions.set(partition, recordsIn);
  }
  return byTopic;
}
