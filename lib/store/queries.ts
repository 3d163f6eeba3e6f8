import { mostSevereFirst } from "@/lib/analysis/findings";
import { db, type Db, type Prisma } from "./db";
import type { StoredSnapshot } from "./history";
import { sharedSnapshot, SnapshotGone } from "./history/cache";
import { decodeJson, decodeSnapshot } from "./snapshot-codec";
import { readStoredEvidence } from "./finding-lifecycle";
import type { FindingSeverity, StoredCommand, TransactionalIdEventKind, TransactionalIdEventRecord } from "./types";

// Read side for the UI and the detectors. Offsets come back as numbers (see lib/snapshot/types.ts).

const num = (v: bigint | null) => (v === null ? null : Number(v));

export interface PollSummary {
  id: number;
  startedAt: Date;
  durationMs: number;
  complete: boolean;
  requestCount: number;
  errorCount: number;
  error: string | null;
  partitionCount: number;
}

const POLL_SUMMARY = {
  id: true,
  startedAt: true,
  durationMs: true,
  complete: true,
  requestCount: true,
  errorCount: true,
  error: true,
  partitionCount: true,
} satisfies Prisma.PollSelect;

export interface ClusterOverview {
  name: string;
  kafkaClusterId: string | null;
  brokers: string[];
  lastPoll: PollSummary | null;
  /** Last poll that produced a snapshot (the last poll may have failed). */
  lastSnapshotAt: Date | null;
  openFindings: Record<FindingSeverity, number> & { total: number };
}

/** A finding was open at `at` when it had been seen by then and not resolved by then. */
function openAsOf(at: Date): Prisma.FindingWhereInput {
  return { firstSeenAt: { lte: at }, OR: [{ resolvedAt: null }, { resolvedAt: { gt: at } }] };
}

/**
 * Every cluster with its last poll and open findings: now, or (with `at`) as of `at`: the last poll at or
 * before it and the findings open then. Clusters first seen after `at` are left out.
 */
export async function listClusters(query: { at?: Date } = {}, database: Db = db()): Promise<ClusterOverview[]> {
  const { at } = query;
  const rows = await database.cluster.findMany({
    where: at ? { createdAt: { lte: at } } : undefined,
    orderBy: { name: "asc" },
    include: { latestSnapshot: { select: { collectedAt: true } } },
  });
  // The newest poll of each cluster on its own (an included `take: 1` relation reads every poll of the cluster
  // and keeps one: 11,520 rows per cluster with 48 h of 15 s polls).
  const clusters = await Promise.all(
    rows.map(async (c) => ({
      ...c,
      polls: await database.poll.findMany({ where: { clusterId: c.id, ...(at ? { startedAt: { lte: at } } : {}) }, orderBy: { startedAt: "desc" }, take: 1, select: POLL_SUMMARY }),
    })),
  );
  const counts = await database.finding.groupBy({
    by: ["clusterId", "severity"],
    where: at ? openAsOf(at) : { resolvedAt: null },
    _count: { _all: true },
  });
  // A poll without an error produced a snapshot: the newest such poll by `at` is what LatestSnapshot was then.
  const snapshotsAsOf = at
    ? await database.poll.groupBy({ by: ["clusterId"], where: { startedAt: { lte: at }, error: null }, _max: { startedAt: true } })
    : [];
  return clusters.map((c) => {
    const openFindings = { info: 0, warning: 0, critical: 0, total: 0 };
    for (const row of counts.filter((r) => r.clusterId === c.id)) {
      openFindings[row.severity as FindingSeverity] += row._count._all;
      openFindings.total += row._count._all;
    }
    const lastSnapshotAt = at
      ? (snapshotsAsOf.find((r) => r.clusterId === c.id)?._max.startedAt ?? null)
      : (c.latestSnapshot?.collectedAt ?? null);
    return {
      name: c.name,
      kafkaClusterId: c.kafkaClusterId,
      brokers: c.brokers ? c.brokers.split(",") : [],
      lastPoll: c.polls[0] ?? null,
      lastSnapshotAt,
      openFindings,
    };
  });
}

// Per-poll history (charts, time travel) is read through lib/store/history.
export {
  getSnapshotAt,
  getPartitionValuesAt,
  getPartitionHistory,
  getGroupLagSeries,
  type StoredSnapshot,
  type PartitionValuesAt,
  type PartitionPoint,
  type GroupLagPoint,
} from "./history";

export async function getLatestSnapshot(cluster: string, database: Db = db()): Promise<StoredSnapshot | null> {
  const row = await database.latestSnapshot.findFirst({ where: { cluster: { name: cluster } }, select: { clusterId: true, pollId: true, collectedAt: true } });
  if (!row) return null;
  const { clusterId, pollId, collectedAt } = row;
  const snapshot = await sharedSnapshot(database, `latest/${clusterId}/${pollId}@${collectedAt.getTime()}`, async () => {
    // The row of this poll: a newer poll may have replaced it since (then that one is read next time).
    const stored = await database.latestSnapshot.findFirst({ where: { clusterId, pollId }, select: { gzip: true } });
    if (!stored) throw new SnapshotGone();
    return decodeSnapshot(stored.gzip);
  });
  return snapshot ? { pollId, collectedAt, snapshot } : getLatestSnapshot(cluster, database);
}

/** The detectors' state saved with the cluster's latest poll, null before the first one. */
export async function getAnalysisState(cluster: string, database: Db = db()): Promise<unknown | null> {
  const row = await database.analysisState.findFirst({ where: { cluster: { name: cluster } } });
  return row ? decodeJson(row.gzip) : null;
}

/** Start of the cluster's newest complete poll, null when none is kept. */
export async function getLastCompletePollAt(cluster: string, database: Db = db()): Promise<Date | null> {
  const poll = await database.poll.findFirst({
    where: { cluster: { name: cluster }, complete: true },
    orderBy: { startedAt: "desc" },
    select: { startedAt: true },
  });
  return poll?.startedAt ?? null;
}

export async function getPollHistory(
  cluster: string,
  range: { from?: Date; to?: Date; limit?: number } = {},
  database: Db = db(),
): Promise<PollSummary[]> {
  return database.poll.findMany({
    where: { cluster: { name: cluster }, startedAt: { gte: range.from, lte: range.to } },
    orderBy: { startedAt: "desc" },
    take: range.limit ?? 500,
    select: POLL_SUMMARY,
  });
}

export interface TransactionalIdEventView extends TransactionalIdEventRecord {
  id: number;
  pollId: number;
  at: Date;
}

export async function getTransactionalIdEvents(
  cluster: string,
  query: { transactionalId?: string; from?: Date; to?: Date; limit?: number } = {},
  database: Db = db(),
): Promise<TransactionalIdEventView[]> {
  const rows = await database.transactionalIdEvent.findMany({
    where: {
      cluster: { name: cluster },
      transactionalId: query.transactionalId,
      at: { gte: query.from, lte: query.to },
    },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: query.limit ?? 1000,
  });
  return rows.map((r) => ({
    id: r.id,
    pollId: r.pollId,
    at: r.at,
    transactionalId: r.transactionalId,
    kind: r.kind as TransactionalIdEventKind,
    fromState: r.fromState,
    toState: r.toState,
    producerId: num(r.producerId),
    epoch: r.epoch,
    prevProducerId: num(r.prevProducerId),
    prevEpoch: r.prevEpoch,
  }));
}

export async function getTransactionalIdStates(cluster: string, database: Db = db()) {
  const rows = await database.transactionalIdState.findMany({
    where: { cluster: { name: cluster } },
    orderBy: { transactionalId: "asc" },
  });
  return rows.map(({ clusterId: _clusterId, producerId, transactionStartTimeMs, ...rest }) => ({
    ...rest,
    producerId: Number(producerId),
    transactionStartTimeMs: Number(transactionStartTimeMs),
  }));
}

export async function getGroupStates(cluster: string, database: Db = db()) {
  const rows = await database.groupState.findMany({ where: { cluster: { name: cluster } }, orderBy: { groupId: "asc" } });
  return rows.map(({ clusterId: _clusterId, ...rest }) => rest);
}

export type FindingStatus = "open" | "resolved" | "all";

export interface FindingView {
  id: string;
  cluster: string;
  key: string;
  kind: string;
  severity: FindingSeverity;
  subject: { topic: string | null; partition: number | null; transactionalId: string | null; groupId: string | null; brokerId: number | null; detail: string | null };
  title: string;
  explanation: string;
  remediation: string;
  evidence: Record<string, unknown>;
  commands: StoredCommand[];
  firstSeenAt: Date;
  lastSeenAt: Date;
  resolvedAt: Date | null;
}

type FindingRow = Prisma.FindingGetPayload<{ include: { cluster: { select: { name: true } } } }>;

function findingView(row: FindingRow): FindingView {
  const { evidence, commands } = readStoredEvidence(row.evidence);
  return {
    id: row.id,
    cluster: row.cluster.name,
    key: row.key,
    kind: row.kind,
    severity: row.severity as FindingSeverity,
    subject: {
      topic: row.topic,
      partition: row.partition,
      transactionalId: row.transactionalId,
      groupId: row.groupId,
      brokerId: row.brokerId,
      detail: row.detail,
    },
    title: row.title,
    explanation: row.explanation,
    remediation: row.remediation,
    evidence,
    commands,
    firstSeenAt: row.firstSeenAt,
    lastSeenAt: row.lastSeenAt,
    resolvedAt: row.resolvedAt,
  };
}

function findingStatusWhere(status: FindingStatus, at: Date | undefined): Prisma.FindingWhereInput {
  if (!at) return { resolvedAt: status === "open" ? null : status === "resolved" ? { not: null } : undefined };
  if (status === "open") return openAsOf(at);
  if (status === "resolved") return { firstSeenAt: { lte: at }, resolvedAt: { lte: at } };
  return { firstSeenAt: { lte: at } };
}

/**
 * Findings, most severe then most recent first. With `at`, as the store knew them then: only findings first
 * seen by `at`, and "open"/"resolved" as of `at`.
 */
export async function listFindings(
  query: { cluster?: string; status?: FindingStatus; severity?: FindingSeverity; kind?: string; at?: Date; limit?: number } = {},
  database: Db = db(),
): Promise<FindingView[]> {
  const status = query.status ?? "open";
  const rows = await database.finding.findMany({
    where: {
      cluster: query.cluster ? { name: query.cluster } : undefined,
      severity: query.severity,
      kind: query.kind,
      ...findingStatusWhere(status, query.at),
    },
    include: { cluster: { select: { name: true } } },
    orderBy: { lastSeenAt: "desc" },
    take: query.limit ?? 1000,
  });
  return rows
    .map(findingView)
    .sort((a, b) => mostSevereFirst(a, b) || b.lastSeenAt.getTime() - a.lastSeenAt.getTime());
}

export async function getFinding(id: string, database: Db = db()): Promise<FindingView | null> {
  const row = await database.finding.findUnique({ where: { id }, include: { cluster: { select: { name: true } } } });
  return row ? findingView(row) : null;
}

/** Earlier occurrences of the same condition (same key), newest first: "this came back". */
export async function getFindingOccurrences(cluster: string, key: string, database: Db = db()): Promise<FindingView[]> {
  const rows = await database.finding.findMany({
    where: { cluster: { name: cluster }, key },
    include: { cluster: { select: { name: true } } },
    orderBy: { firstSeenAt: "desc" },
  });
  return rows.map(findingView);
}

export type RollupGranularity = "hour" | "day";

export async function getTopicRollups(
  cluster: string,
  query: { topic?: string; granularity: RollupGranularity; from: Date; to: Date },
  database: Db = db(),
) {
  const rows = await database.topicRollup.findMany({
    where: { cluster: { name: cluster }, topic: query.topic, granularity: query.granularity, bucketStart: { gte: query.from, lte: query.to } },
    orderBy: [{ bucketStart: "asc" }, { topic: "asc" }],
  });
  return rows.map(topicRollupView);
}

type Count = bigint | number;

/** A topic roll-up row, stored or computed (unstoredRollups), as the pages read it. */
export function topicRollupView(r: {
  bucketStart: Date;
  topic: string;
  partitionCount: number;
  recordsIn: Count;
  bytesDelta: Count;
  maxSizeBytes?: Count | null;
  maxLsoGap: Count;
  maxGroupLag: Count;
  maxOpenTxns: number;
}) {
  return {
    bucketStart: r.bucketStart,
    topic: r.topic,
    partitionCount: r.partitionCount,
    recordsIn: Number(r.recordsIn),
    bytesDelta: Number(r.bytesDelta),
    maxSizeBytes: r.maxSizeBytes == null ? null : Number(r.maxSizeBytes),
    maxLsoGap: Number(r.maxLsoGap),
    maxGroupLag: Number(r.maxGroupLag),
    maxOpenTxns: r.maxOpenTxns,
  };
}

export async function getPartitionRollups(
  cluster: string,
  /** Without a topic: every topic's, in one query. */
  query: { topic?: string; partition?: number; granularity: RollupGranularity; from: Date; to: Date },
  database: Db = db(),
) {
  const rows = await database.partitionRollup.findMany({
    where: {
      cluster: { name: cluster },
      topic: query.topic,
      partition: query.partition,
      granularity: query.granularity,
      bucketStart: { gte: query.from, lte: query.to },
    },
    orderBy: [{ bucketStart: "asc" }, { partition: "asc" }],
  });
  return rows.map((r) => ({
    bucketStart: r.bucketStart,
    topic: r.topic,
    partition: r.partition,
    recordsIn: Number(r.recordsIn),
    bytesDelta: Number(r.bytesDelta),
    maxSizeBytes: num(r.maxSizeBytes),
    maxLsoGap: Number(r.maxLsoGap),
    maxGroupLag: Number(r.maxGroupLag),
    maxOpenTxns: r.maxOpenTxns,
    samples: r.samples,
  }));
}

export interface TransactionRollupView {
  bucketStart: Date;
  /** State changes into CompleteCommit / CompleteAbort seen between polls: a lower bound (one per id per poll). */
  observedCommits: number;
  observedAborts: number;
  /** Distinct transactional ids whose state changed in the bucket. */
  activeIds: number;
  polls: number;
  openSamples: number;
  sumOpenMs: number;
  maxOpenMs: number;
  maxOpenTxns: number;
}

export async function getTransactionRollups(
  cluster: string,
  query: { granularity: RollupGranularity; from: Date; to: Date },
  database: Db = db(),
): Promise<TransactionRollupView[]> {
  const rows = await database.transactionRollup.findMany({
    where: { cluster: { name: cluster }, granularity: query.granularity, bucketStart: { gte: query.from, lte: query.to } },
    orderBy: { bucketStart: "asc" },
  });
  return rows.map(transactionRollupView);
}

/** A transaction roll-up row, stored or computed (unstoredRollups), as the pages read it. */
export function transactionRollupView({
  clusterId: _clusterId,
  granularity: _granularity,
  sumOpenMs,
  maxOpenMs,
  ...rest
}: Omit<TransactionRollupView, "sumOpenMs" | "maxOpenMs"> & { clusterId: number; granularity: string; sumOpenMs: Count; maxOpenMs: Count }): TransactionRollupView {
  return { ...rest, sumOpenMs: Number(sumOpenMs), maxOpenMs: Number(maxOpenMs) };
}

/** Distinct transactional ids whose state changed in a time range (per-bucket counts cannot be added up). */
export async function countActiveTransactionalIds(cluster: string, range: { from: Date; to: Date }, database: Db = db()): Promise<number> {
  const ids = await database.transactionalIdEvent.groupBy({
    by: ["transactionalId"],
    where: { cluster: { name: cluster }, at: { gte: range.from, lte: range.to }, kind: "state-change" },
  });
  return ids.length;
}
