// A pinned LSO is what an EOS pipeline feels: read_committed consumers stop at it while the log grows.
// Two views of the same problem: the partition (an open transaction holding the LSO below the HW for
// longer than lsoStuckMs, timed from that transaction's start, whether or not the HW still grows) and the
// coordinator (an Ongoing transaction older than its own timeout, which it should already have aborted).
import type { TransactionState } from "../../snapshot/types";
import { kafkaCommands } from "../commands";
import { makeFinding, type Finding } from "../findings";
import { pinStart, type PartitionHistory } from "../partition-history";
import { formatDuration, tpKey, type SnapshotIndex } from "../snapshot-index";
import { findHangingTransactions, hangingKey } from "./hanging-transactions";

/** The coordinator sweeps for timed-out transactions every 10 s; allow that plus a poll's skew. */
const ABORT_SWEEP_SLACK_MS = 30_000;

export interface BlockedGroup {
  groupId: string;
  committed: number;
  /** The group has consumed everything up to the LSO and waits on the open transaction. */
  waitingAtLso: boolean;
}

export interface PinnedPartition {
  topic: string;
  partition: number;
  lso: number;
  hw: number;
  pinnedSince: number;
  hwAtPinStart: number;
  culpritProducerIds: number[];
  culpritTransactions: TransactionState[];
  blockedGroups: BlockedGroup[];
}

export function findPinnedPartitions(
  index: SnapshotIndex,
  partitions: Record<string, PartitionHistory>,
): PinnedPartition[] {
  const pinned: PinnedPartition[] = [];
  for (const [key, ref] of index.partitions) {
    const { topic, partition } = ref;
    const history = partitions[key];
    const lso = partition.lastStableOffset;
    const hw = partition.highWatermark;
    const pinnedSince = pinStart(index, ref, history);
    if (!history || lso === null || hw === null || pinnedSince === null) continue;
    if (index.now - pinnedSince < index.settings.lsoStuckMs) continue;
    const culpritProducerIds = (partition.producers ?? [])
      .filter((p) => p.currentTxnStartOffset === lso)
      .map((p) => p.producerId);
    pinned.push({
      topic: topic.name,
      partition: partition.partition,
      lso,
      hw,
      pinnedSince,
      hwAtPinStart: history.lso === lso && history.hwAtLsoSince !== null ? history.hwAtLsoSince : hw,
      culpritProducerIds,
      culpritTransactions: culpritProducerIds.flatMap((id) => index.transactionsByProducerId.get(id) ?? []),
      blockedGroups: index.snapshot.groups.flatMap((g) =>
        g.offsets
          .filter((o) => o.topic === topic.name && o.partition === partition.partition)
          .map((o) => ({ groupId: g.groupId, committed: o.offset, waitingAtLso: o.offset >= lso })),
      ),
    });
  }
  return pinned;
}

export function detectStuckLso(index: SnapshotIndex, partitions: Record<string, PartitionHistory>): Finding[] {
  // A transaction its coordinator does not know is the hanging-transaction detector's, with the abort command.
  const hanging = new Set(findHangingTransactions(index).map(hangingKey));
  const pinned = findPinnedPartitions(index, partitions).filter(
    (p) =>
      !p.culpritProducerIds.length ||
      !p.culpritProducerIds.every((producerId) => hanging.has(hangingKey({ ...p, producerId, startOffset: p.lso }))),
  );
  return [...pinned.map((p) => pinnedFinding(index, p)), ...longTransactions(index)];
}

function pinnedFinding(index: SnapshotIndex, p: PinnedPartition): Finding {
  const pinnedForMs = index.now - p.pinnedSince;
  const txn = p.culpritTransactions[0];
  const culprit = txn
    ? `transactional id "${txn.transactionalId}" (producer ${txn.producerId}, epoch ${txn.producerEpoch}, state ${txn.state})`
    : p.culpritProducerIds.length
      ? `producer ${p.culpritProducerIds.join(", ")}, which no transactional id maps to`
      : "an open transaction whose producer was not reported by DescribeProducers";
  const waiting = p.blockedGroups.filter((g) => g.waitingAtLso).map((g) => g.groupId);
  return makeFinding({
    kind: "stuck-lso",
    severity: pinnedForMs > index.maxTransactionTimeoutMs ? "critical" : "warning",
    cluster: index.snapshot.cluster,
    subject: { topic: p.topic, partition: p.partition, transactionalId: txn?.transactionalId },
    title: `LSO of ${p.topic}-${p.partition} held at ${p.lso} by a transaction open for ${formatDuration(pinnedForMs)} (HW ${p.hw})`,
    evidence: {
      lastStableOffset: p.lso,
      highWatermark: p.hw,
      recordsHeldBack: p.hw - p.lso,
      hwAdvancedBy: p.hw - p.hwAtPinStart,
      pinnedSince: p.pinnedSince,
      pinnedForMs,
      culpritProducerIds: p.culpritProducerIds,
      culpritTransactionalId: txn?.transactionalId ?? null,
      culpritState: txn?.state ?? null,
      culpritTransactionStartTimeMs: txn?.transactionStartTimeMs ?? null,
      culpritTransactionTimeoutMs: txn?.transactionTimeoutMs ?? null,
      groupsWithOffsets: p.blockedGroups.map((g) => g.groupId),
      groupsWaitingAtLso: waiting,
    },
    explanation:
      `The first open transaction on ${p.topic}-${p.partition} starts at offset ${p.lso} and belongs to ${culprit}. ` +
      `Until it commits or aborts, read_committed consumers cannot read past offset ${p.lso}: ${p.hw - p.lso} records ` +
      `written since are held back (HW ${p.hw}). ` +
      (waiting.length
        ? `Consumer group(s) ${waiting.join(", ")} have consumed everything up to the LSO and are blocked by it; their lag is the producer's fault, not theirs.`
        : p.blockedGroups.length
          ? `Consumer group(s) ${p.blockedGroups.map((g) => g.groupId).join(", ")} read this partition and will stop at the LSO.`
          : "No consumer group has committed offsets on this partition yet."),
    remediation: txn
      ? `Find the producer instance with transactional.id="${txn.transactionalId}": it is stuck between beginTransaction() and ` +
        `commitTransaction() (slow processing, a blocked call, a GC pause). Restarting it with the same transactional.id ` +
        `fences the old instance and aborts the open transaction; the coordinator also aborts it once its ` +
        `${formatDuration(txn.transactionTimeoutMs)} timeout passes. If the coordinator no longer tracks it, abort it with the command below.`
      : "No live transactional id owns this transaction. Check with find-hanging, then abort it with the commands below.",
    commands: [
      txn
        ? kafkaCommands.describeTransaction(txn.transactionalId, "The coordinator's view of the culprit: state, timeout and partitions.")
        : kafkaCommands.findHanging(p, index.maxTransactionTimeoutMs, "Confirm the broker also reports the transaction as hanging."),
      kafkaCommands.abortTransaction(
        p,
        p.lso,
        txn ? "Only if the coordinator no longer tracks the transaction: write its abort marker (brokers ≥ 3.0)." : "Write the abort marker (brokers ≥ 3.0).",
      ),
    ],
  });
}

function longTransactions(index: SnapshotIndex): Finding[] {
  return index.snapshot.transactions
    .filter(
      (t) =>
        t.state === "Ongoing" &&
        t.transactionStartTimeMs >= 0 &&
        index.now - t.transactionStartTimeMs > t.transactionTimeoutMs + ABORT_SWEEP_SLACK_MS,
    )
    .map((t) => {
      const openForMs = index.now - t.transactionStartTimeMs;
      const heldBack = t.partitions.map((tp) => {
        const p = index.partitions.get(tpKey(tp.topic, tp.partition))?.partition;
        return p?.highWatermark != null && p.lastStableOffset != null ? p.highWatermark - p.lastStableOffset : 0;
      });
      return makeFinding({
        kind: "long-transaction",
        severity: "critical",
        cluster: index.snapshot.cluster,
        subject: { transactionalId: t.transactionalId },
        title: `Transaction "${t.transactionalId}" Ongoing for ${formatDuration(openForMs)}, past its ${formatDuration(t.transactionTimeoutMs)} timeout`,
        evidence: {
          producerId: t.producerId,
          producerEpoch: t.producerEpoch,
          coordinatorId: t.coordinatorId,
          transactionStartTimeMs: t.transactionStartTimeMs,
          transactionTimeoutMs: t.transactionTimeoutMs,
          openForMs,
          partitions: t.partitions.map((tp) => `${tp.topic}-${tp.partition}`),
          recordsHeldBack: heldBack.reduce((a, b) => a + b, 0),
        },
        explanation:
          `The coordinator (broker ${t.coordinatorId}) should have aborted this transaction ${formatDuration(openForMs - t.transactionTimeoutMs)} ago. ` +
          `While it stays Ongoing, the LSO of each of its ${t.partitions.length} partition(s) stays at the transaction's first ` +
          `offset and read_committed consumers stop there.`,
        remediation:
          `Check broker ${t.coordinatorId}'s log for errors writing to __transaction_state or sending transaction markers ` +
          `(under-replicated __transaction_state, min ISR not met, an unreachable partition leader). Restarting the producer ` +
          `with transactional.id="${t.transactionalId}" makes the coordinator fence and abort it.`,
        commands: [kafkaCommands.describeTransaction(t.transactionalId, "The coordinator's current view of the transaction (state, start time, partitions).")],
      });
    });
}
