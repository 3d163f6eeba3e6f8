// Fenced zombies, fencing fights and coordinator timeouts, from the classified epoch timeline of each
// transactional id (under TV2 an epoch that moved more often than the id could have ended transactions). A fence is EOS working (the old instance can no longer write), but repeated fences
// mean instances are fighting over one id and no transaction completes.
import { makeFinding, type Finding } from "../findings";
import { isGroupFenced } from "../links";
import { formatDuration, type SnapshotIndex } from "../snapshot-index";
import { fencesOf, type EpochChange, type TransactionalIdHistory } from "../transactional-id-history";
import { classifyTransactionalId } from "./lost-fencing";

const describeChange = (c: EpochChange) =>
  `${new Date(c.t).toISOString()} ${c.kind}: producer ${c.from[0]} epoch ${c.from[1]} (${c.from[2]}) → producer ${c.to[0]} epoch ${c.to[1]} (${c.to[2]})` +
  (c.maxTransactions === undefined ? "" : `, ${c.bumps} bumps for at most ${c.maxTransactions} transactions`);

/**
 * Fences of one change that surely fell into a single window. A change seen after a gap longer than the window
 * (auditor restart, backoff, failed polls) may spread its fences over the whole gap: restarts during a night
 * of downtime are not a burst. Of k fences in a gap n windows long, some window holds at least ceil(k / n).
 */
function provableInWindow(change: EpochChange, fences: number, windowMs: number): number {
  const windows = Math.ceil((change.gapMs ?? 0) / windowMs);
  return windows > 1 ? Math.ceil(fences / windows) : fences;
}

export function detectFencing(index: SnapshotIndex, ids: Record<string, TransactionalIdHistory>): Finding[] {
  const { settings, now } = index;
  const cluster = index.snapshot.cluster;
  const findings: Finding[] = [];
  for (const [transactionalId, h] of Object.entries(ids)) {
    const recent = h.changes.filter((c) => c.t >= now - settings.fenceWindowMs);
    const fenceChanges = recent.filter((c) => fencesOf(c, h) > 0);
    const fences = fenceChanges.reduce((n, c) => n + provableInWindow(c, fencesOf(c, h), settings.fenceWindowMs), 0);
    const subject = { transactionalId };
    const evidenceBase = {
      producerId: h.producerId,
      producerEpoch: h.producerEpoch,
      state: h.state,
      fencesInWindow: fences,
      windowMs: settings.fenceWindowMs,
      commitStyle: h.commitStyle,
      timeline: recent.map(describeChange),
    };
    if (fences >= settings.fenceFightCount) {
      findings.push(
        makeFinding({
          kind: "fencing-fight",
          severity: "critical",
          cluster,
          subject,
          title: `Fencing fight on transactional id "${transactionalId}": ${fences} fences in ${formatDuration(settings.fenceWindowMs)}`,
          evidence: evidenceBase,
          explanation:
            `Instances keep calling InitProducerId with transactional.id="${transactionalId}", each fencing the previous one ` +
            `and aborting its open transaction. Every fenced instance fails with PRODUCER_FENCED / INVALID_PRODUCER_EPOCH, ` +
            `so transactions rarely complete: output stalls and input is reprocessed over and over.`,
          remediation:
            `Find every process configured with transactional.id="${transactionalId}" (two deployments or replicas sharing ` +
            `one id, or a crash loop that restarts on PRODUCER_FENCED). Give each instance its own stable id (e.g. derived ` +
            `from the input partition or a StatefulSet ordinal) and treat ProducerFencedException as fatal, not retriable.`,
        }),
      );
      continue;
    }
    // Kafka Streams' `<application.id>-<process UUID>-<thread>` is new on every start, and its zombies are fenced by
    // the group generation (KIP-447): no second instance can share it, so a bump beyond its commits is a task aborted
    // by a rebalance, not a takeover. A fight above still counts: that many bumps would be something else.
    const takeoverImpossible = isGroupFenced(h) && classifyTransactionalId(transactionalId).generated;
    if (fences > 0 && !takeoverImpossible) {
      const openTxnFenced = fenceChanges.some((c) => c.kind === "fenced-open-transaction");
      findings.push(
        makeFinding({
          kind: "zombie-fenced",
          severity: openTxnFenced ? "warning" : "info",
          cluster,
          subject,
          title: openTxnFenced
            ? `An instance of "${transactionalId}" was fenced in the middle of a transaction`
            : `A new instance took over transactional id "${transactionalId}"`,
          evidence: evidenceBase,
          explanation: openTxnFenced
            ? `A new instance initialised transactional.id="${transactionalId}" while the previous one had a transaction open. ` +
              `The coordinator aborted that transaction and fenced the old instance: exactly-once held, but that work is redone. ` +
              `If the old instance is still running it is a zombie that fails on its next send.`
            : `A new instance initialised transactional.id="${transactionalId}" (restart or failover) and fenced the previous ` +
              `one. This is the fencing that keeps exactly-once safe; it is reported so restarts can be correlated.`,
          remediation: openTxnFenced
            ? `Check why an instance was replaced mid-transaction (crash, rebalance, liveness probe, duplicate deployment) and ` +
              `make sure the fenced instance exits on ProducerFencedException instead of retrying.`
            : `Nothing to do if the restart was intended.`,
        }),
      );
    }
    const timeouts = recent.filter((c) => c.kind === "timeout-abort");
    if (timeouts.length) {
      findings.push(
        makeFinding({
          kind: "transaction-timed-out",
          severity: "warning",
          cluster,
          subject,
          title: `The coordinator aborted ${timeouts.length} timed-out transaction(s) of "${transactionalId}"`,
          evidence: { ...evidenceBase, timeouts: timeouts.length, transactionTimeoutMs: h.transactionTimeoutMs },
          explanation:
            `A transaction of "${transactionalId}" stayed open longer than its transaction.timeout.ms ` +
            `(${formatDuration(h.transactionTimeoutMs)}), so the coordinator aborted it and bumped the epoch. The producer's ` +
            `next request fails (INVALID_PRODUCER_EPOCH / PRODUCER_FENCED) and the work of that transaction is lost and ` +
            `must be redone; meanwhile its partitions' LSO was pinned for the whole timeout.`,
          remediation:
            `Make transactions shorter than transaction.timeout.ms (smaller batches between beginTransaction and ` +
            `commitTransaction, no slow external calls inside), or raise transaction.timeout.ms (≤ the broker's ` +
            `transaction.max.timeout.ms) if processing legitimately takes longer.`,
        }),
      );
    }
  }
  return findings;
}
