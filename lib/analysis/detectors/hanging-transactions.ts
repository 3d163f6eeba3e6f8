// KIP-664 `kafka-transactions.sh find-hanging`, run on every poll: an open transaction older than any
// transaction may legitimately live, that the coordinator does not know about, will never be completed
// by the coordinator, so it pins the LSO until someone aborts it by hand. One poll's reads are not atomic (a
// transaction can complete between the producer read and the coordinator read), so a candidate is reported
// only once the same (producer id, start offset) was a candidate on the previous poll too.
import { kafkaCommands } from "../commands";
import { FINDING_PHASES, phasesClean } from "../finding-phases";
import { makeFinding, type Finding } from "../findings";
import { formatDuration, phaseFailed, tpKey, type SnapshotIndex } from "../snapshot-index";

export type HangingReason = "no-transactional-id" | "partition-not-in-transaction";

export interface HangingTransaction {
  topic: string;
  partition: number;
  producerId: number;
  producerEpoch: number;
  startOffset: number;
  lastTimestamp: number;
  transactionalId: string | null;
  reason: HangingReason;
}

export function findHangingTransactions(index: SnapshotIndex): HangingTransaction[] {
  const hanging: HangingTransaction[] = [];
  for (const { topic, partition } of index.partitions.values()) {
    for (const producer of partition.producers ?? []) {
      if (producer.currentTxnStartOffset < 0) continue;
      if (index.now - producer.lastTimestamp <= index.maxTransactionTimeoutMs) continue;
      const owners = index.transactionsByProducerId.get(producer.producerId) ?? [];
      const owner = owners.find((t) =>
        t.partitions.some((tp) => tp.topic === topic.name && tp.partition === partition.partition),
      );
      if (owner) continue;
      hanging.push({
        topic: topic.name,
        partition: partition.partition,
        producerId: producer.producerId,
        producerEpoch: producer.producerEpoch,
        startOffset: producer.currentTxnStartOffset,
        lastTimestamp: producer.lastTimestamp,
        transactionalId: owners[0]?.transactionalId ?? null,
        reason: owners.length ? "partition-not-in-transaction" : "no-transactional-id",
      });
    }
  }
  return hanging;
}

/** Identity of a candidate across polls: the same open transaction, not just the same partition. */
export function hangingKey(h: Pick<HangingTransaction, "topic" | "partition" | "producerId" | "startOffset">): string {
  return `${tpKey(h.topic, h.partition)}:${h.producerId}:${h.startOffset}`;
}

/** Candidate key → collectedAt of the first poll of its current run of consecutive polls as a candidate. */
export type HangingCandidates = Record<string, number>;

export function foldHangingCandidates(previous: HangingCandidates | undefined, index: SnapshotIndex): HangingCandidates {
  const t = index.snapshot.collectedAt;
  const next = Object.fromEntries(findHangingTransactions(index).map((h) => [hangingKey(h), previous?.[hangingKey(h)] ?? t]));
  if (phasesClean(index.snapshot, FINDING_PHASES["hanging-transaction"])) return next;
  // A partial poll cannot tell a completed transaction from an unread one: earlier candidates stay (for a
  // bounded time), so the next clean poll confirms them instead of starting over.
  const kept = Object.entries(previous ?? {}).filter(([, since]) => since >= t - index.settings.historyRetentionMs);
  return { ...Object.fromEntries(kept), ...next };
}

export function detectHangingTransactions(index: SnapshotIndex, candidates: HangingCandidates): Finding[] {
  // Without the coordinators' answer every candidate looks owner-less: reporting it would open a second finding
  // (no transactional id in its subject) beside the one already open, and resolve it on the next clean poll. Such a
  // poll reports none of them; it cannot resolve the open ones either (see finding-phases).
  if (phaseFailed(index.snapshot, "transactions")) return [];
  const confirmed = findHangingTransactions(index).filter((h) => (candidates[hangingKey(h)] ?? Infinity) < index.snapshot.collectedAt);
  return confirmed.map((h) => {
    const ref = index.partitions.get(`${h.topic}:${h.partition}`)!.partition;
    const openForMs = index.now - h.lastTimestamp;
    const why =
      h.reason === "no-transactional-id"
        ? `no transactional id maps to producer ${h.producerId}`
        : `transactional id "${h.transactionalId}" (producer ${h.producerId}) does not list ${h.topic}-${h.partition} in its current transaction`;
    return makeFinding({
      kind: "hanging-transaction",
      severity: "critical",
      cluster: index.snapshot.cluster,
      subject: { topic: h.topic, partition: h.partition, transactionalId: h.transactionalId ?? undefined },
      title: `Hanging transaction on ${h.topic}-${h.partition} from offset ${h.startOffset} (producer ${h.producerId}, open ${formatDuration(openForMs)})`,
      evidence: {
        producerId: h.producerId,
        producerEpoch: h.producerEpoch,
        startOffset: h.startOffset,
        lastTimestamp: h.lastTimestamp,
        openForMs,
        maxTransactionTimeoutMs: index.maxTransactionTimeoutMs,
        transactionalId: h.transactionalId,
        reason: h.reason,
        lastStableOffset: ref.lastStableOffset,
        highWatermark: ref.highWatermark,
        recordsHeldBack:
          ref.highWatermark !== null && ref.lastStableOffset !== null ? ref.highWatermark - ref.lastStableOffset : null,
      },
      explanation:
        `Producer ${h.producerId} opened a transaction on ${h.topic}-${h.partition} at offset ${h.startOffset} and last wrote ` +
        `${formatDuration(openForMs)} ago, longer than transaction.max.timeout.ms (${formatDuration(index.maxTransactionTimeoutMs)}), ` +
        `and ${why}. The coordinator will therefore never write its commit or abort marker: the last stable offset stays ` +
        `pinned at ${h.startOffset}, read_committed consumers of this partition receive nothing past it, and if the ` +
        `partition is compacted the cleaner cannot pass it either.`,
      remediation:
        `Confirm no live producer still owns it (the transactional id, if any, is not in an Ongoing transaction that ` +
        `includes this partition), then write an abort marker for it with the abort command below (brokers ≥ 3.0). ` +
        `The LSO then moves past the aborted records. To prevent recurrence keep transaction.partition.verification.enable=true ` +
        `(Kafka ≥ 3.6.1) and do not let retention delete a producer's last batch.`,
      commands: [
        ...(h.transactionalId !== null
          ? [kafkaCommands.describeTransaction(h.transactionalId, "Check that the transactional id's current transaction does not include this partition.")]
          : []),
        kafkaCommands.describeProducers(h, "Check that the producer still has a transaction open at this start offset (CurrentTransactionStartOffset)."),
        kafkaCommands.abortTransaction(h, h.startOffset, "Write the abort marker (brokers ≥ 3.0); the LSO then moves past the transaction."),
      ],
    });
  });
}
