import { canResolve } from "@/lib/analysis/finding-phases";
import type { ClusterSnapshot, PhaseName, PollPhase, TransactionState, ConsumerGroupState } from "@/lib/snapshot/types";
import { upsertCluster } from "./clusters";
import { bulkInsert, type Columns } from "./bulk";
import { db, kindOf, LARGE_TRANSACTION, type DatabaseKind, type Db, type Prisma } from "./db";
import { applyFindingLifecycle, type FindingLifecycleResult } from "./finding-lifecycle";
import { enqueueTransitions } from "./notifications";
import { writeHistoryBlock, type WrittenBlock } from "./history";
import { encodeJson, encodeSnapshot } from "./snapshot-codec";
import { diffTransactionalIds, openTransactionFigures } from "./transactional-ids";
import { DEFAULT_SAMPLE_EVERY_MS, type FailedPollInput, type FindingRecordInput, type RecordPollOptions, type TransactionalIdEventRecord } from "./types";

export type { FailedPollInput };

export class ClusterMismatchError extends Error {
  constructor(snapshotCluster: string, findingCluster: string) {
    super(`A finding for cluster ${findingCluster} was passed with a snapshot of cluster ${snapshotCluster}`);
    this.name = "ClusterMismatchError";
  }
}

export interface RecordedPoll {
  pollId: number;
  /** Whether this poll's history block was kept (see RecordPollOptions.sampleEveryMs). */
  sampled: boolean;
  transactionalIdEvents: TransactionalIdEventRecord[];
  findings: FindingLifecycleResult;
  snapshotBytes: { raw: number; gzip: number };
  /** Size of the history block written (0 when the poll was not sampled). */
  historyBytes: number;
}

type Tx = Prisma.TransactionClient;

const MAX_ERRORS_KEPT_PER_PHASE = 10;
const ANALYSIS_STATE_EVERY_MS = 60_000;

/** Whether `period` has passed since `last`, with 10 % slack: with jittered 15 s polls, a strict 60 s test would keep one poll in five, not in four. */
const dueAfter = (last: Date, at: Date, period: number) => at.getTime() - last.getTime() >= period * 0.9;

function phaseIsClean(snapshot: ClusterSnapshot, name: PhaseName): boolean {
  const phase = snapshot.phases.find((p) => p.name === name);
  return phase !== undefined && phase.errors.length === 0 && !phase.unsupported;
}

function phaseSummary(phase: PollPhase) {
  return {
    name: phase.name,
    durationMs: phase.durationMs,
    requests: phase.requests,
    bytesSent: phase.bytesSent,
    bytesReceived: phase.bytesReceived,
    errorCount: phase.errors.length,
    errors: phase.errors.slice(0, MAX_ERRORS_KEPT_PER_PHASE),
    unsupported: phase.unsupported,
  };
}

const TRANSACTIONAL_ID_EVENT_COLUMNS: Columns = {
  clusterId: "int", pollId: "int", at: "date", transactionalId: "text", kind: "text", fromState: "text",
  toState: "text", producerId: "bigint", epoch: "int", prevProducerId: "bigint", prevEpoch: "int",
};
const TRANSACTIONAL_ID_STATE_COLUMNS: Columns = {
  clusterId: "int", transactionalId: "text", state: "text", producerId: "bigint", producerEpoch: "int",
  coordinatorId: "int", transactionTimeoutMs: "int", transactionStartTimeMs: "bigint", partitions: "json",
  firstSeenAt: "date", lastSeenAt: "date", lastChangedAt: "date",
};
const GROUP_STATE_COLUMNS: Columns = {
  clusterId: "int", groupId: "text", state: "text", protocolType: "text", memberCount: "int",
  coordinatorId: "int", offsets: "json", firstSeenAt: "date", lastSeenAt: "date",
};

function transactionalIdFields(txn: TransactionState) {
  return {
    state: txn.state,
    producerId: BigInt(txn.producerId),
    producerEpoch: txn.producerEpoch,
    coordinatorId: txn.coordinatorId,
    transactionTimeoutMs: txn.transactionTimeoutMs,
    transactionStartTimeMs: BigInt(txn.transactionStartTimeMs),
    partitions: txn.partitions as unknown as Prisma.InputJsonValue,
  };
}

async function recordTransactionalIds(
  tx: Tx,
  kind: DatabaseKind,
  clusterId: number,
  poll: { id: number; at: Date },
  snapshot: ClusterSnapshot,
): Promise<TransactionalIdEventRecord[]> {
  const stored = await tx.transactionalIdState.findMany({ where: { clusterId } });
  const events = diffTransactionalIds(
    stored.map((s) => ({ ...s, producerId: Number(s.producerId) })),
    snapshot.transactions,
    phaseIsClean(snapshot, "transactions"),
  );
  await bulkInsert(
    tx,
    kind,
    "TransactionalIdEvent",
    TRANSACTIONAL_ID_EVENT_COLUMNS,
    events.map((e) => ({ ...e, clusterId, pollId: poll.id, at: poll.at })),
  );
  const storedById = new Map(stored.map((s) => [s.transactionalId, s]));
  const changed: Record<string, unknown>[] = [];
  const unchanged: string[] = [];
  for (const txn of snapshot.transactions) {
    const fields = transactionalIdFields(txn);
    const before = storedById.get(txn.transactionalId);
    const same =
      before !== undefined &&
      (Object.keys(fields) as (keyof typeof fields)[]).every((k) => sameValue(before[k], fields[k]));
    if (same) unchanged.push(txn.transactionalId);
    else changed.push({ clusterId, transactionalId: txn.transactionalId, ...fields, firstSeenAt: poll.at, lastSeenAt: poll.at, lastChangedAt: poll.at });
  }
  await bulkInsert(tx, kind, "TransactionalIdState", TRANSACTIONAL_ID_STATE_COLUMNS, changed, {
    target: ["clusterId", "transactionalId"],
    update: Object.keys(TRANSACTIONAL_ID_STATE_COLUMNS).filter((c) => !["clusterId", "transactionalId", "firstSeenAt"].includes(c)),
  });
  if (unchanged.length) {
    await tx.transactionalIdState.updateMany({
      where: { clusterId, transactionalId: { in: unchanged } },
      data: { lastSeenAt: poll.at },
    });
  }
  const gone = events.filter((e) => e.kind === "disappeared").map((e) => e.transactionalId);
  if (gone.length) await tx.transactionalIdState.deleteMany({ where: { clusterId, transactionalId: { in: gone } } });
  return events;
}

const sameValue = (a: unknown, b: unknown) =>
  JSON.stringify(a, (_, v) => (typeof v === "bigint" ? String(v) : v)) ===
  JSON.stringify(b, (_, v) => (typeof v === "bigint" ? String(v) : v));

function groupFields(group: ConsumerGroupState) {
  return {
    state: group.state,
    protocolType: group.protocolType,
    memberCount: group.members.length,
    coordinatorId: group.coordinatorId,
    offsets: group.offsets as unknown as Prisma.InputJsonValue,
  };
}

async function recordGroups(tx: Tx, kind: DatabaseKind, clusterId: number, at: Date, snapshot: ClusterSnapshot): Promise<void> {
  await bulkInsert(
    tx,
    kind,
    "GroupState",
    GROUP_STATE_COLUMNS,
    snapshot.groups.map((g) => ({ clusterId, groupId: g.groupId, ...groupFields(g), firstSeenAt: at, lastSeenAt: at })),
    { target: ["clusterId", "groupId"], update: ["state", "protocolType", "memberCount", "coordinatorId", "offsets", "lastSeenAt"] },
  );
  // A failed listing says nothing about which groups are gone.
  if (phaseIsClean(snapshot, "groups")) {
    await tx.groupState.deleteMany({
      where: { clusterId, groupId: { notIn: snapshot.groups.map((g) => g.groupId) } },
    });
  }
}

/**
 * Persists one poll in a single transaction: the poll, its history block, the latest snapshot, transactional-id changes, current ids and groups, the findings' lifecycle and its notification outbox.
 */
/** Partitions of every topic in a snapshot, internal ones included: what a poll row counts. */
export const countPartitions = (snapshot: ClusterSnapshot) => snapshot.topics.reduce((sum, t) => sum + t.partitions.length, 0);

export async function recordPoll(
  snapshot: ClusterSnapshot,
  findings: readonly FindingRecordInput[],
  options: RecordPollOptions = {},
  database: Db = db(),
): Promise<RecordedPoll> {
  const foreign = findings.find((f) => f.cluster !== snapshot.cluster);
  if (foreign) throw new ClusterMismatchError(snapshot.cluster, foreign.cluster);
  const at = new Date(snapshot.collectedAt);
  const encoded = await encodeSnapshot(snapshot);
  const detectorKinds = options.detectorKinds ? new Set(options.detectorKinds) : null;
  const resolvable = (kind: string) => (detectorKinds ? detectorKinds.has(kind) : true) && canResolve(snapshot, kind);
  const kind = kindOf(database);
  const sampleEveryMs = options.sampleEveryMs ?? DEFAULT_SAMPLE_EVERY_MS;

  let block: WrittenBlock | null = null;
  const recorded = await database.$transaction(async (tx) => {
    const clusterId = await upsertCluster(tx, snapshot.cluster, at, {
      kafkaClusterId: snapshot.clusterId,
      brokers: options.brokers,
    });
    const phases = snapshot.phases.map(phaseSummary);
    const lastSampled = await tx.poll.findFirst({
      where: { clusterId, sampled: true, startedAt: { lte: at } },
      orderBy: { startedAt: "desc" },
      select: { startedAt: true },
    });
    const sampled = !lastSampled || dueAfter(lastSampled.startedAt, at, sampleEveryMs);
    const poll = await tx.poll.create({
      data: {
        clusterId,
        startedAt: at,
        durationMs: Math.round(snapshot.durationMs),
        complete: snapshot.complete,
        phases: phases as unknown as Prisma.InputJsonValue,
        requestCount: phases.reduce((sum, p) => sum + p.requests, 0),
        errorCount: phases.reduce((sum, p) => sum + p.errorCount, 0),
        partitionCount: countPartitions(snapshot),
        sampled,
        ...openTransactionFigures(snapshot),
      },
      select: { id: true },
    });
    const pollRef = { id: poll.id, at };
    if (sampled) {
      block = await writeHistoryBlock(tx, database, clusterId, pollRef, snapshot);
      if (!block) await tx.poll.update({ where: { id: poll.id }, data: { sampled: false } });
    }
    await tx.latestSnapshot.upsert({
      where: { clusterId },
      create: { clusterId, pollId: poll.id, collectedAt: at, gzip: encoded.gzip },
      update: { pollId: poll.id, collectedAt: at, gzip: encoded.gzip },
    });
    // The detectors' fold is megabytes at thousands of partitions and the poller keeps it in memory: persisting it
    // once a minute only bounds what a restart forgets to a minute.
    const savedState = options.analysisState === undefined ? null : await tx.analysisState.findUnique({ where: { clusterId }, select: { collectedAt: true } });
    if (options.analysisState !== undefined && (!savedState || dueAfter(savedState.collectedAt, at, ANALYSIS_STATE_EVERY_MS))) {
      const analysisState = await encodeJson(options.analysisState);
      await tx.analysisState.upsert({
        where: { clusterId },
        create: { clusterId, collectedAt: at, gzip: analysisState.gzip },
        update: { collectedAt: at, gzip: analysisState.gzip },
      });
    }
    const transactionalIdEvents = await recordTransactionalIds(tx, kind, clusterId, pollRef, snapshot);
    await recordGroups(tx, kind, clusterId, at, snapshot);
    const lifecycle = await applyFindingLifecycle(tx, { id: clusterId, name: snapshot.cluster }, pollRef, findings, resolvable);
    // The outbox row commits or rolls back with the state change it reports.
    await enqueueTransitions(tx, kind, lifecycle.transitions, at);
    return {
      pollId: poll.id,
      sampled: block !== null,
      transactionalIdEvents,
      findings: lifecycle,
      snapshotBytes: { raw: encoded.rawBytes, gzip: encoded.gzip.length },
      historyBytes: block?.bytes ?? 0,
    };
  }, LARGE_TRANSACTION);
  (block as WrittenBlock | null)?.committed();
  return recorded;
}

/** A failed poll's one phase row when the failure was not Kafka's (the poll's phases say where it failed). */
function failedPhase(input: FailedPollInput) {
  if (!input.phase) return [];
  const error = { brokerId: null, code: input.phase.toUpperCase(), message: input.error };
  return [{ name: input.phase, durationMs: Math.round(input.durationMs), requests: 0, bytesSent: 0, bytesReceived: 0, errorCount: 1, errors: [error], unsupported: false }];
}

/**
 * Records a poll that produced no snapshot (cluster unreachable, collector crashed, the database did not take
 * it). Findings are untouched.
 */
export async function recordFailedPoll(input: FailedPollInput, database: Db = db()): Promise<number> {
  return database.$transaction(async (tx) => {
    const clusterId = await upsertCluster(tx, input.cluster, input.startedAt, { brokers: input.brokers });
    const poll = await tx.poll.create({
      data: {
        clusterId,
        startedAt: input.startedAt,
        durationMs: Math.round(input.durationMs),
        complete: false,
        phases: failedPhase(input),
        requestCount: 0,
        errorCount: 1,
        error: input.error,
        partitionCount: 0,
      },
      select: { id: true },
    });
    return poll.id;
  });
}
