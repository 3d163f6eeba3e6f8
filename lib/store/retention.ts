import { DAY_MS, HOUR_MS, bucketMs, floorTo } from "@/lib/time";
import { clusterIdOf } from "./clusters";
import { db, LARGE_TRANSACTION, type Db, type Prisma } from "./db";
import { aggregatePartitions, newestHistoryAt, oldestHistoryAt, pruneHistory, writeHistoryHour } from "./history";
import { DEFAULT_RETENTION, type RetentionPolicy } from "./types";

// Hourly job: roll finished hours (and days) up from the history blocks before they expire, then delete what is
// past retention. Every step is idempotent, so a crash half-way or two runs in a row do no harm.

const big = (v: unknown) => BigInt((v as bigint | number | string | null) ?? 0);
const bigOrNull = (v: unknown) => (v === null || v === undefined ? null : BigInt(v as bigint | number | string));

export interface PruneReport {
  hourlyBuckets: number;
  dailyBuckets: number;
  deleted: Record<string, number>;
}

type PartitionRow = Prisma.PartitionRollupCreateManyInput & { bucketStart: Date };
type TopicRow = Prisma.TopicRollupCreateManyInput & { bucketStart: Date };
type TransactionRow = Prisma.TransactionRollupCreateManyInput & { bucketStart: Date };

/** The rows of one cluster-bucket, as the roll-up job stores them (or computes them for a bucket still open). */
export interface BucketRollup {
  bucketStart: Date;
  /** The newest poll rolled up: where an unfinished bucket's figures end. */
  lastSampleAt: Date | null;
  partitions: PartitionRow[];
  topics: TopicRow[];
  transactions: TransactionRow;
}

/**
 * Roll-up of one cluster-hour from its history blocks up to bucketEnd (the hour's end, or now for the current
 * hour); the last poll of the hour before anchors the deltas. Null when no poll is kept in the bucket.
 */
async function hourRollup(database: Db, clusterId: number, bucketStart: Date, bucketEnd: Date): Promise<BucketRollup | null> {
  const lastSampleAt = await newestHistoryAt(database, clusterId, { from: bucketStart, to: bucketEnd });
  if (!lastSampleAt) return null;
  const anchor = await newestHistoryAt(database, clusterId, { from: new Date(bucketStart.getTime() - HOUR_MS), to: bucketStart });
  // HW only grows (short of an unclean election), so max − min over the anchored window is the records
  // produced in the hour; sizes shrink with retention, so bytes use last − first instead.
  const aggregates = await aggregatePartitions(database, clusterId, { from: anchor ?? bucketStart, to: new Date(bucketEnd.getTime() - 1) });
  const partitions: PartitionRow[] = aggregates.map((a) => ({
    clusterId,
    granularity: "hour",
    bucketStart,
    topic: a.topic,
    partition: a.partition,
    recordsIn: big(a.maxHw) - big(a.minHw),
    bytesDelta: a.firstSize !== null && a.lastSize !== null ? big(a.lastSize) - big(a.firstSize) : 0n,
    maxSizeBytes: bigOrNull(a.maxSize),
    maxLsoGap: big(a.maxLsoGap),
    maxGroupLag: a.maxGroupLag !== null && a.maxGroupLag > 0 ? big(a.maxGroupLag) : 0n,
    maxOpenTxns: a.maxOpenTxns ?? 0,
    samples: a.samples,
  }));
  return {
    bucketStart,
    lastSampleAt,
    partitions,
    topics: topicRows(partitions),
    transactions: await transactionsHour(database, clusterId, { gte: bucketStart, lt: bucketEnd }),
  };
}

type Figure = bigint | number | null | undefined;
/** Σ and max the way SQL's SUM and MAX do them: null when every value is null. */
const sum = (values: Figure[]) => values.reduce<bigint | null>((s, v) => (v == null ? s : (s ?? 0n) + BigInt(v)), null);
const max = (values: Figure[]) => values.reduce<bigint | null>((m, v) => (v == null ? m : m == null || BigInt(v) > m ? BigInt(v) : m), null);

function grouped<T>(rows: T[], key: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const row of rows) groups.set(key(row), [...(groups.get(key(row)) ?? []), row]);
  return [...groups.values()];
}

/** A column of partition roll-ups, and the figures every level combines alike: volumes add up, EOS pressure takes the worst. */
function combine(rows: PartitionRow[]) {
  const col = (k: keyof PartitionRow) => rows.map((r) => r[k] as Figure);
  return {
    col,
    figures: {
      recordsIn: sum(col("recordsIn")) ?? 0n,
      bytesDelta: sum(col("bytesDelta")) ?? 0n,
      maxLsoGap: max(col("maxLsoGap")) ?? 0n,
      maxGroupLag: max(col("maxGroupLag")) ?? 0n,
      maxOpenTxns: Number(max(col("maxOpenTxns")) ?? 0),
    },
  };
}

/** Topic roll-up of a bucket from its partition roll-ups: sizes add up over the partitions. */
function topicRows(partitions: PartitionRow[]): TopicRow[] {
  return grouped(partitions, (p) => p.topic).map((rows) => {
    const { clusterId, granularity, bucketStart, topic } = rows[0];
    const { col, figures } = combine(rows);
    return { clusterId, granularity, bucketStart, topic, partitionCount: rows.length, ...figures, maxSizeBytes: sum(col("maxSizeBytes")) };
  });
}

type Bucket = { gte: Date; lt: Date };

/** Transactional ids whose state changed in the bucket, counted from the events (kept as long as the roll-ups). */
async function activeTransactionalIds(database: Db, clusterId: number, bucket: Bucket): Promise<number> {
  const ids = await database.transactionalIdEvent.groupBy({
    by: ["transactionalId"],
    where: { clusterId, at: bucket, kind: "state-change" },
  });
  return ids.length;
}

/**
 * A cluster-hour of transactions: completions are state changes into CompleteCommit / CompleteAbort (a poll
 * sees at most one transition per id, so faster transactions go uncounted), open durations come from the polls.
 */
async function transactionsHour(database: Db, clusterId: number, bucket: Bucket): Promise<TransactionRow> {
  const polls = await database.poll.aggregate({
    where: { clusterId, startedAt: bucket, openTxnCount: { not: null } },
    _count: { _all: true },
    _sum: { openTxnCount: true, sumOpenTxnMs: true },
    _max: { openTxnCount: true, maxOpenTxnMs: true },
  });
  const completions = await database.transactionalIdEvent.groupBy({
    by: ["toState"],
    where: { clusterId, at: bucket, kind: "state-change", toState: { in: ["CompleteCommit", "CompleteAbort"] } },
    _count: { _all: true },
  });
  const completed = (state: string) => completions.find((c) => c.toState === state)?._count._all ?? 0;
  return {
    clusterId,
    granularity: "hour",
    bucketStart: bucket.gte,
    observedCommits: completed("CompleteCommit"),
    observedAborts: completed("CompleteAbort"),
    activeIds: await activeTransactionalIds(database, clusterId, bucket),
    polls: polls._count._all,
    openSamples: polls._sum.openTxnCount ?? 0,
    sumOpenMs: polls._sum.sumOpenTxnMs ?? 0n,
    maxOpenMs: polls._max.maxOpenTxnMs ?? 0n,
    maxOpenTxns: polls._max.openTxnCount ?? 0,
  };
}

/**
 * A cluster-day [dayStart, dayEnd) from its stored hourly roll-ups plus hours not stored yet (the current one);
 * distinct transactional ids are recounted over the whole day.
 */
async function dayRollup(database: Db, clusterId: number, dayStart: Date, dayEnd: Date, unstoredHours: BucketRollup[] = []): Promise<BucketRollup | null> {
  const bucket = { gte: dayStart, lt: dayEnd };
  const unstored = unstoredHours.filter((h) => h.bucketStart >= dayStart && h.bucketStart < dayEnd);
  const [storedPartitions, storedTransactions] = await Promise.all([
    database.partitionRollup.findMany({ where: { clusterId, granularity: "hour", bucketStart: bucket } }),
    database.transactionRollup.findMany({ where: { clusterId, granularity: "hour", bucketStart: bucket } }),
  ]);
  const hours = [...storedPartitions, ...unstored.flatMap((h) => h.partitions)];
  if (hours.length === 0) return null;
  const day = { clusterId, granularity: "day", bucketStart: dayStart };
  // A partition's day: its largest size over the hours, not their sum.
  const partitions: PartitionRow[] = grouped(hours, (h) => `${h.topic}\u0000${h.partition}`).map((rows) => {
    const { col, figures } = combine(rows);
    const { topic, partition } = rows[0];
    return { ...day, topic, partition, ...figures, maxSizeBytes: max(col("maxSizeBytes")), samples: Number(sum(col("samples")) ?? 0) };
  });
  const txHours: TransactionRow[] = [...storedTransactions, ...unstored.map((h) => h.transactions)];
  const tx = (k: keyof TransactionRow) => txHours.map((r) => r[k] as Figure);
  return {
    bucketStart: dayStart,
    lastSampleAt: unstored.at(-1)?.lastSampleAt ?? null,
    partitions,
    topics: topicRows(partitions),
    transactions: {
      ...day,
      observedCommits: Number(sum(tx("observedCommits")) ?? 0),
      observedAborts: Number(sum(tx("observedAborts")) ?? 0),
      activeIds: await activeTransactionalIds(database, clusterId, bucket),
      polls: Number(sum(tx("polls")) ?? 0),
      openSamples: Number(sum(tx("openSamples")) ?? 0),
      sumOpenMs: sum(tx("sumOpenMs")) ?? 0n,
      maxOpenMs: max(tx("maxOpenMs")) ?? 0n,
      maxOpenTxns: Number(max(tx("maxOpenTxns")) ?? 0),
    },
  };
}

/** Replaces a bucket's stored roll-ups, all tables at once. */
async function storeRollup(database: Db, clusterId: number, granularity: "hour" | "day", rollup: BucketRollup) {
  const where = { clusterId, granularity, bucketStart: rollup.bucketStart };
  await database.$transaction([
    database.partitionRollup.deleteMany({ where }),
    database.partitionRollup.createMany({ data: rollup.partitions }),
    database.topicRollup.deleteMany({ where }),
    database.topicRollup.createMany({ data: rollup.topics }),
    database.transactionRollup.deleteMany({ where }),
    database.transactionRollup.createMany({ data: [rollup.transactions] }),
  ], LARGE_TRANSACTION);
}

/** First bucket not rolled up yet: after the newest roll-up, or at the oldest kept history block. */
async function firstPendingBucket(database: Db, clusterId: number, granularity: "hour" | "day", unit: number) {
  const newest = await database.topicRollup.findFirst({
    where: { clusterId, granularity },
    orderBy: { bucketStart: "desc" },
    select: { bucketStart: true },
  });
  if (newest) return newest.bucketStart.getTime() + unit;
  const oldest = await oldestHistoryAt(database, clusterId);
  return oldest ? floorTo(oldest.getTime(), unit) : null;
}

/** Starts of the buckets not rolled up yet that begin before `before`, none older than `oldest`. */
async function pendingBuckets(database: Db, clusterId: number, granularity: "hour" | "day", oldest: number, before: number) {
  const unit = bucketMs(granularity);
  const starts: number[] = [];
  for (let b = Math.max((await firstPendingBucket(database, clusterId, granularity, unit)) ?? before, floorTo(oldest, unit)); b < before; b += unit) {
    starts.push(b);
  }
  return starts;
}

/**
 * The roll-ups of one granularity the hourly job has not stored yet, computed by its own code without writing:
 * finished hours or days it has not reached, and the current hour or day up to now (partial). A fresh install has
 * only these.
 */
export async function unstoredRollups(cluster: string, now: Date, granularity: "hour" | "day", database: Db = db()): Promise<BucketRollup[]> {
  const clusterId = await clusterIdOf(database, cluster);
  const t = now.getTime();
  const hour: BucketRollup[] = [];
  for (const h of await pendingBuckets(database, clusterId, "hour", t - DEFAULT_RETENTION.samplesMs, t)) {
    const rollup = await hourRollup(database, clusterId, new Date(h), new Date(Math.min(h + HOUR_MS, t)));
    if (rollup) hour.push(rollup);
  }
  if (granularity === "hour") return hour;
  const day: BucketRollup[] = [];
  for (const d of await pendingBuckets(database, clusterId, "day", 0, t)) {
    const rollup = await dayRollup(database, clusterId, new Date(d), new Date(Math.min(d + DAY_MS, t)), hour);
    if (rollup) day.push(rollup);
  }
  return day;
}

export async function pruneAndRollup(
  now: Date,
  policy: RetentionPolicy = DEFAULT_RETENTION,
  database: Db = db(),
): Promise<PruneReport> {
  const report: PruneReport = { hourlyBuckets: 0, dailyBuckets: 0, deleted: {} };
  const clusters = await database.cluster.findMany({ select: { id: true } });
  const t = now.getTime();
  for (const { id } of clusters) {
    // Only finished hours, and none older than the samples they need.
    for (const h of await pendingBuckets(database, id, "hour", t - policy.samplesMs, floorTo(t, HOUR_MS))) {
      const rollup = await hourRollup(database, id, new Date(h), new Date(h + HOUR_MS));
      if (!rollup) continue;
      // The hour's chart rows first, while its blocks are still decoded in the cache (the topic roll-up marks the
      // hour done, so a crash in between writes them again next run).
      await writeHistoryHour(database, id, new Date(h));
      await storeRollup(database, id, "hour", rollup);
      report.hourlyBuckets += 1;
    }
    for (const d of await pendingBuckets(database, id, "day", 0, floorTo(t, DAY_MS))) {
      const rollup = await dayRollup(database, id, new Date(d), new Date(d + DAY_MS));
      if (!rollup) continue;
      await storeRollup(database, id, "day", rollup);
      report.dailyBuckets += 1;
    }
  }

  const before = (ms: number) => new Date(now.getTime() - ms);
  const deleted = report.deleted;
  deleted.historyBlocks = await pruneHistory(database, before(policy.samplesMs));
  // A block cascades with its poll: polls outlive the blocks' retention (pruneHistory keeps a keyframe's chain).
  deleted.polls = (
    await database.poll.deleteMany({
      where: { startedAt: { lt: before(Math.max(policy.pollsMs, policy.samplesMs)) }, historyBlock: { is: null } },
    })
  ).count;
  deleted.hourlyPartitionRollups = (
    await database.partitionRollup.deleteMany({
      where: { granularity: "hour", bucketStart: { lt: before(policy.hourlyPartitionRollupsMs) } },
    })
  ).count;
  deleted.hourlyTopicRollups = (
    await database.topicRollup.deleteMany({ where: { granularity: "hour", bucketStart: { lt: before(policy.hourlyTopicRollupsMs) } } })
  ).count;
  // Cluster-level transaction roll-ups are one row per bucket: hourly ones live as long as the topics'.
  deleted.hourlyTransactionRollups = (
    await database.transactionRollup.deleteMany({ where: { granularity: "hour", bucketStart: { lt: before(policy.hourlyTopicRollupsMs) } } })
  ).count;
  deleted.dailyRollups =
    (await database.partitionRollup.deleteMany({ where: { granularity: "day", bucketStart: { lt: before(policy.dailyRollupsMs) } } })).count +
    (await database.topicRollup.deleteMany({ where: { granularity: "day", bucketStart: { lt: before(policy.dailyRollupsMs) } } })).count +
    (await database.transactionRollup.deleteMany({ where: { granularity: "day", bucketStart: { lt: before(policy.dailyRollupsMs) } } })).count;
  deleted.transactionalIdEvents = (
    await database.transactionalIdEvent.deleteMany({ where: { at: { lt: before(policy.transactionalIdEventsMs) } } })
  ).count;
  deleted.resolvedFindings = (
    await database.finding.deleteMany({ where: { resolvedAt: { lt: before(policy.resolvedFindingsMs) } } })
  ).count;
  return report;
}
