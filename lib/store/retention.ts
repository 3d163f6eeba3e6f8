import { db, LARGE_TRANSACTION, type Db, type Prisma } from "./db";
import { aggregatePartitions, newestHistoryAt, oldestHistoryAt, pruneHistory, writeHistoryHour } from "./history";
import { DEFAULT_RETENTION, type RetentionPolicy } from "./types";

// Hourly job: roll finished hours (and days) up from the history blocks before they expire, then delete what is
// past retention. Every step is idempotent, so a crash half-way or two runs in a row do no harm.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const floorTo = (t: number, unit: number) => Math.floor(t / unit) * unit;
const big = (v: unknown) => BigInt((v as bigint | number | string | null) ?? 0);
const bigOrNull = (v: unknown) => (v === null || v === undefined ? null : BigInt(v as bigint | number | string));

export interface PruneReport {
  hourlyBuckets: number;
  dailyBuckets: number;
  deleted: Record<string, number>;
}

/**
 * Partition roll-up rows of `bucketStart` up to `bucketEnd` (an hour, or the part of the current hour so far) from
 * the kept history; the last poll of the hour before anchors the deltas. Null when no poll is kept in the bucket.
 */
export async function partitionRollupRows(
  database: Db,
  clusterId: number,
  bucketStart: Date,
  bucketEnd: Date = new Date(bucketStart.getTime() + HOUR),
): Promise<Prisma.PartitionRollupCreateManyInput[] | null> {
  if (!(await newestHistoryAt(database, clusterId, { from: bucketStart, to: bucketEnd }))) return null;
  const anchor = await newestHistoryAt(database, clusterId, { from: new Date(bucketStart.getTime() - HOUR), to: bucketStart });
  // HW only grows (short of an unclean election), so max − min over the anchored window is the records
  // produced in the hour; sizes shrink with retention, so bytes use last − first instead.
  const aggregates = await aggregatePartitions(database, clusterId, { from: anchor ?? bucketStart, to: new Date(bucketEnd.getTime() - 1) });
  return aggregates.map((a) => ({
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
}

/** Roll-up of one finished cluster-hour. */
async function rollUpHour(database: Db, clusterId: number, bucketStart: Date): Promise<boolean> {
  const rows = await partitionRollupRows(database, clusterId, bucketStart);
  if (!rows) return false;
  await database.$transaction(
    [database.partitionRollup.deleteMany({ where: { clusterId, granularity: "hour", bucketStart } }), database.partitionRollup.createMany({ data: rows })],
    LARGE_TRANSACTION,
  );
  // The hour's chart rows, while its blocks are still decoded in the cache (before the topic roll-up, which marks
  // the hour done).
  await writeHistoryHour(database, clusterId, bucketStart);
  await rollUpTopics(database, clusterId, "hour", bucketStart);
  await rollUpTransactionsHour(database, clusterId, bucketStart);
  return true;
}

/** Topic roll-up of a bucket from its partition roll-ups. */
async function rollUpTopics(database: Db, clusterId: number, granularity: "hour" | "day", bucketStart: Date) {
  const byTopic = await database.partitionRollup.groupBy({
    by: ["topic"],
    where: { clusterId, granularity, bucketStart },
    _sum: { recordsIn: true, bytesDelta: true, maxSizeBytes: true },
    _max: { maxLsoGap: true, maxGroupLag: true, maxOpenTxns: true },
    _count: { _all: true },
  });
  await database.$transaction([
    database.topicRollup.deleteMany({ where: { clusterId, granularity, bucketStart } }),
    database.topicRollup.createMany({
      data: byTopic.map((t) => ({
        clusterId,
        granularity,
        bucketStart,
        topic: t.topic,
        partitionCount: t._count._all,
        recordsIn: t._sum.recordsIn ?? 0n,
        bytesDelta: t._sum.bytesDelta ?? 0n,
        maxSizeBytes: t._sum.maxSizeBytes,
        maxLsoGap: t._max.maxLsoGap ?? 0n,
        maxGroupLag: t._max.maxGroupLag ?? 0n,
        maxOpenTxns: t._max.maxOpenTxns ?? 0,
      })),
    }),
  ], LARGE_TRANSACTION);
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

async function replaceTransactionRollup(database: Db, row: Prisma.TransactionRollupCreateManyInput) {
  const { clusterId, granularity, bucketStart } = row;
  await database.$transaction([
    database.transactionRollup.deleteMany({ where: { clusterId, granularity, bucketStart } }),
    database.transactionRollup.createMany({ data: [row] }),
  ]);
}

/**
 * A cluster-hour of transactions: completions are state changes into CompleteCommit / CompleteAbort (a poll
 * sees at most one transition per id, so faster transactions go uncounted), open durations come from the polls.
 */
async function rollUpTransactionsHour(database: Db, clusterId: number, bucketStart: Date) {
  const bucket = { gte: bucketStart, lt: new Date(bucketStart.getTime() + HOUR) };
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
  await replaceTransactionRollup(database, {
    clusterId,
    granularity: "hour",
    bucketStart,
    observedCommits: completed("CompleteCommit"),
    observedAborts: completed("CompleteAbort"),
    activeIds: await activeTransactionalIds(database, clusterId, bucket),
    polls: polls._count._all,
    openSamples: polls._sum.openTxnCount ?? 0,
    sumOpenMs: polls._sum.sumOpenTxnMs ?? 0n,
    maxOpenMs: polls._max.maxOpenTxnMs ?? 0n,
    maxOpenTxns: polls._max.openTxnCount ?? 0,
  });
}

/** A cluster-day of transactions from its hourly roll-ups; distinct ids are recounted over the whole day. */
async function rollUpTransactionsDay(database: Db, clusterId: number, dayStart: Date) {
  const bucket = { gte: dayStart, lt: new Date(dayStart.getTime() + DAY) };
  const hours = await database.transactionRollup.aggregate({
    where: { clusterId, granularity: "hour", bucketStart: bucket },
    _count: { _all: true },
    _sum: { observedCommits: true, observedAborts: true, polls: true, openSamples: true, sumOpenMs: true },
    _max: { maxOpenMs: true, maxOpenTxns: true },
  });
  if (hours._count._all === 0) return;
  await replaceTransactionRollup(database, {
    clusterId,
    granularity: "day",
    bucketStart: dayStart,
    observedCommits: hours._sum.observedCommits ?? 0,
    observedAborts: hours._sum.observedAborts ?? 0,
    activeIds: await activeTransactionalIds(database, clusterId, bucket),
    polls: hours._sum.polls ?? 0,
    openSamples: hours._sum.openSamples ?? 0,
    sumOpenMs: hours._sum.sumOpenMs ?? 0n,
    maxOpenMs: hours._max.maxOpenMs ?? 0n,
    maxOpenTxns: hours._max.maxOpenTxns ?? 0,
  });
}

/** Daily partition roll-up from the day's hourly ones. */
async function rollUpDay(database: Db, clusterId: number, dayStart: Date): Promise<boolean> {
  const hours = await database.partitionRollup.groupBy({
    by: ["topic", "partition"],
    where: { clusterId, granularity: "hour", bucketStart: { gte: dayStart, lt: new Date(dayStart.getTime() + DAY) } },
    _sum: { recordsIn: true, bytesDelta: true, samples: true },
    _max: { maxSizeBytes: true, maxLsoGap: true, maxGroupLag: true, maxOpenTxns: true },
  });
  if (hours.length === 0) return false;
  await database.$transaction([
    database.partitionRollup.deleteMany({ where: { clusterId, granularity: "day", bucketStart: dayStart } }),
    database.partitionRollup.createMany({
      data: hours.map((h) => ({
        clusterId,
        granularity: "day",
        bucketStart: dayStart,
        topic: h.topic,
        partition: h.partition,
        recordsIn: h._sum.recordsIn ?? 0n,
        bytesDelta: h._sum.bytesDelta ?? 0n,
        maxSizeBytes: h._max.maxSizeBytes,
        maxLsoGap: h._max.maxLsoGap ?? 0n,
        maxGroupLag: h._max.maxGroupLag ?? 0n,
        maxOpenTxns: h._max.maxOpenTxns ?? 0,
        samples: h._sum.samples ?? 0,
      })),
    }),
  ], LARGE_TRANSACTION);
  await rollUpTopics(database, clusterId, "day", dayStart);
  await rollUpTransactionsDay(database, clusterId, dayStart);
  return true;
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

export async function pruneAndRollup(
  now: Date,
  policy: RetentionPolicy = DEFAULT_RETENTION,
  database: Db = db(),
): Promise<PruneReport> {
  const report: PruneReport = { hourlyBuckets: 0, dailyBuckets: 0, deleted: {} };
  const clusters = await database.cluster.findMany({ select: { id: true } });
  const currentHour = floorTo(now.getTime(), HOUR);
  const currentDay = floorTo(now.getTime(), DAY);
  for (const { id } of clusters) {
    const firstHour = await firstPendingBucket(database, id, "hour", HOUR);
    // Only finished hours, and none older than the samples they need.
    for (let h = Math.max(firstHour ?? currentHour, floorTo(now.getTime() - policy.samplesMs, HOUR)); h < currentHour; h += HOUR) {
      if (await rollUpHour(database, id, new Date(h))) report.hourlyBuckets += 1;
    }
    const firstDay = await firstPendingBucket(database, id, "day", DAY);
    for (let d = firstDay ?? currentDay; d < currentDay; d += DAY) {
      if (await rollUpDay(database, id, new Date(d))) report.dailyBuckets += 1;
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
