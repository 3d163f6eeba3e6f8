import type { ClusterSnapshot, PhaseName, PollPhase, TransactionState, ConsumerGroupState } from "@/lib/snapshot/types";
import { upsertCluster } from "./clusters";
import { db, type Db, type Prisma } from "./db";
import { applyFindingLifecycle, type FindingLifecycleResult } from "./finding-lifecycle";
import { encodeJson, encodeSnapshot } from "./snapshot-codec";
import { diffTransactionalIds } from "./transactional-ids";
import type { FindingRecordInput, RecordPollOptions, TransactionalIdEventRecord } from "./types";

export class ClusterMismatchError extends Error {
  constructor(snapshotCluster: string, findingCluster: string) {
    super(`A finding for cluster ${findingCluster} was passed with a snapshot of cluster ${snapshotCluster}`);
    this.name = "ClusterMismatchError";
  }
}

export interface RecordedPoll {
  pollId: number;
  transactionalIdEvents: TransactionalIdEventRecord[];
  findings: FindingLifecycleResult;
  snapshotBytes: { raw: number; gzip: number };
}

type Tx = Prisma.TransactionClient;

/** Large polls write tens of thousands of rows: give the transaction room beyond Prisma's 5 s default. */
const TRANSACTION_OPTIONS = { maxWait: 30_000, timeout: 120_000 };
const MAX_ERRORS_KEPT_PER_PHASE = 10;

const bigintOrNull = (n: number | null) => (n === null ? null : BigInt(n));

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

function partitionSampleRows(snapshot: ClusterSnapshot, pollId: number): Prisma.PartitionSampleCreateManyInput[] {
  return snapshot.topics.flatMap((topic) =>
    topic.partitions.map((p) => ({
      pollId,
      topic: topic.name,
      partition: p.partition,
      logStart: bigintOrNull(p.logStartOffset),
      hw: bigintOrNull(p.highWatermark),
      lso: bigintOrNull(p.lastStableOffset),
      sizeBytes: bigintOrNull(p.sizeBytes),
      leader: p.leader,
      isrCount: p.isr.length,
      replicaCount: p.replicas.length,
      openTxnCount: p.producers === null ? null : p.producers.filter((pr) => pr.currentTxnStartOffset >= 0).length,
    })),
  );
}

function groupOffsetSampleRows(snapshot: ClusterSnapshot, pollId: number): Prisma.GroupOffsetSampleCreateManyInput[] {
  const partitions = new Map(
    snapshot.topics.flatMap((t) => t.partitions.map((p) => [`${t.name}\u0000${p.partition}`, p] as const)),
  );
  return snapshot.groups.flatMap((group) =>
    group.offsets.map((o) => {
      const p = partitions.get(`${o.topic}\u0000${o.partition}`);
      return {
        pollId,
        groupId: group.groupId,
        topic: o.topic,
        partition: o.partition,
        committed: BigInt(o.offset),
        lso: bigintOrNull(p?.lastStableOffset ?? null),
        hw: bigintOrNull(p?.highWatermark ?? null),
      };
    }),
  );
}

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
  if (events.length) {
    await tx.transactionalIdEvent.createMany({
      data: events.map((e) => ({
        ...e,
        clusterId,
        pollId: poll.id,
        at: poll.at,
        producerId: bigintOrNull(e.producerId),
        prevProducerId: bigintOrNull(e.prevProducerId),
      })),
    });
  }
  const storedById = new Map(stored.map((s) => [s.transactionalId, s]));
  const unchanged: string[] = [];
  for (const txn of snapshot.transactions) {
    const fields = transactionalIdFields(txn);
    const before = storedById.get(txn.transactionalId);
    const changed =
      !before ||
      (Object.keys(fields) as (keyof typeof fields)[]).some(
        (k) => JSON.stringify(before[k], (_, v) => (typeof v === "bigint" ? String(v) : v)) !==
          JSON.stringify(fields[k], (_, v) => (typeof v === "bigint" ? String(v) : v)),
      );
    if (!changed) {
      unchanged.push(txn.transactionalId);
      continue;
    }
    await tx.transactionalIdState.upsert({
      where: { clusterId_transactionalId: { clusterId, transactionalId: txn.transactionalId } },
      create: { clusterId, transactionalId: txn.transactionalId, ...fields, firstSeenAt: poll.at, lastSeenAt: poll.at, lastChangedAt: poll.at },
      update: { ...fields, lastSeenAt: poll.at, lastChangedAt: poll.at },
    });
  }
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

function groupFields(group: ConsumerGroupState) {
  return {
    state: group.state,
    protocolType: group.protocolType,
    memberCount: group.members.length,
    coordinatorId: group.coordinatorId,
    offsets: group.offsets as unknown as Prisma.InputJsonValue,
  };
}

async function recordGroups(tx: Tx, clusterId: number, at: Date, snapshot: ClusterSnapshot): Promise<void> {
  for (const group of snapshot.groups) {
    const fields = groupFields(group);
    await tx.groupState.upsert({
      where: { clusterId_groupId: { clusterId, groupId: group.groupId } },
      create: { clusterId, groupId: group.groupId, ...fields, firstSeenAt: at, lastSeenAt: at },
      update: { ...fields, lastSeenAt: at },
    });
  }
  // A failed listing says nothing about which groups are gone.
  if (phaseIsClean(snapshot, "groups")) {
    await tx.groupState.deleteMany({
      where: { clusterId, groupId: { notIn: snapshot.groups.map((g) => g.groupId) } },
    });
  }
}

/**
 * Persists one poll in a single transaction: the poll, its samples, the snapshot (latest and time-travel
 * copy), transactional-id changes, current ids and groups, and the findings' lifecycle.
 */
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
  const analysisState = options.analysisState === undefined ? null : await encodeJson(options.analysisState);
  const detectorKinds = options.detectorKinds ? new Set(options.detectorKinds) : null;
  const resolvable = (kind: string) => (detectorKinds ? detectorKinds.has(kind) : snapshot.complete);

  return database.$transaction(async (tx) => {
    const clusterId = await upsertCluster(tx, snapshot.cluster, at, {
      kafkaClusterId: snapshot.clusterId,
      brokers: options.brokers,
    });
    const phases = snapshot.phases.map(phaseSummary);
    const poll = await tx.poll.create({
      data: {
        clusterId,
        startedAt: at,
        durationMs: Math.round(snapshot.durationMs),
        complete: snapshot.complete,
        phases: phases as unknown as Prisma.InputJsonValue,
        requestCount: phases.reduce((sum, p) => sum + p.requests, 0),
        errorCount: phases.reduce((sum, p) => sum + p.errorCount, 0),
        partitionCount: snapshot.topics.reduce((sum, t) => sum + t.partitions.length, 0),
      },
      select: { id: true },
    });
    const pollRef = { id: poll.id, at };
    await tx.partitionSample.createMany({ data: partitionSampleRows(snapshot, poll.id) });
    const groupRows = groupOffsetSampleRows(snapshot, poll.id);
    if (groupRows.length) await tx.groupOffsetSample.createMany({ data: groupRows });
    await tx.snapshotBlob.create({ data: { pollId: poll.id, gzip: encoded.gzip, rawBytes: encoded.rawBytes } });
    await tx.latestSnapshot.upsert({
      where: { clusterId },
      create: { clusterId, pollId: poll.id, collectedAt: at, gzip: encoded.gzip },
      update: { pollId: poll.id, collectedAt: at, gzip: encoded.gzip },
    });
    if (analysisState) {
      await tx.analysisState.upsert({
        where: { clusterId },
        create: { clusterId, collectedAt: at, gzip: analysisState.gzip },
        update: { collectedAt: at, gzip: analysisState.gzip },
      });
    }
    const transactionalIdEvents = await recordTransactionalIds(tx, clusterId, pollRef, snapshot);
    await recordGroups(tx, clusterId, at, snapshot);
    const lifecycle = await applyFindingLifecycle(tx, { id: clusterId, name: snapshot.cluster }, pollRef, findings, resolvable);
    return {
      pollId: poll.id,
      transactionalIdEvents,
      findings: lifecycle,
      snapshotBytes: { raw: encoded.rawBytes, gzip: encoded.gzip.length },
    };
  }, TRANSACTION_OPTIONS);
}

export interface FailedPollInput {
  cluster: string;
  startedAt: Date;
  durationMs: number;
  error: string;
  brokers?: readonly string[];
}

/** Records a poll that produced no snapshot (cluster unreachable, collector crashed). Findings are untouched. */
export async function recordFailedPoll(input: FailedPollInput, database: Db = db()): Promise<number> {
  return database.$transaction(async (tx) => {
    const clusterId = await upsertCluster(tx, input.cluster, input.startedAt, { brokers: input.brokers });
    const poll = await tx.poll.create({
      data: {
        clusterId,
        startedAt: input.startedAt,
        durationMs: Math.round(input.durationMs),
        complete: false,
        phases: [],
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
