// Topics written both inside transactions and by plain idempotent producers. read_committed consumers see
// the plain writes at once, outside any transaction: that part of the topic is not exactly-once (retries
// across restarts duplicate it), and a plain writer on an EOS topic is often an instance missing its
// transactional.id — or a zombie.
//
// Heuristic, tuned against false positives (DescribeProducers does not say whether a producer is
// transactional):
// - transactional = its producer id belongs to a transactional id (ListTransactions now, or any earlier
//   poll, including ids an epoch change moved away from), or it was ever seen with an open transaction;
// - plain = none of that, seen on at least two polls, and written within `mixedWriterActiveMs` (old
//   producer ids of a transactional id whose id we never saw linger for days in producer state, but idle);
// - nothing is concluded from a poll whose transactions phase failed.
import type { ClusterSnapshot } from "../../snapshot/types";
import { phasesClean } from "../finding-phases";
import { makeFinding, type Finding } from "../findings";
import type { DetectorSettings } from "../settings";
import { formatDuration, phaseFailed, type SnapshotIndex } from "../snapshot-index";
import type { TransactionalIdHistory } from "../transactional-id-history";

export interface TopicWriters {
  /** producer id → last poll time seen writing transactionally. */
  transactional: Record<string, number>;
  /** producer id → [first poll seen, last poll seen, polls seen]. */
  plain: Record<string, [firstSeen: number, lastSeen: number, polls: number]>;
}

export type WriterHistory = Record<string, TopicWriters>;

const MAX_PRODUCERS_PER_TOPIC = 500;

export function knownTransactionalProducerIds(
  snapshot: ClusterSnapshot,
  ids: Record<string, TransactionalIdHistory>,
): Set<number> {
  const known = new Set(snapshot.transactions.map((t) => t.producerId));
  for (const h of Object.values(ids)) {
    known.add(h.producerId);
    for (const c of h.changes) known.add(c.from[0]);
  }
  return known;
}

export function foldWriters(
  previous: WriterHistory | undefined,
  snapshot: ClusterSnapshot,
  ids: Record<string, TransactionalIdHistory>,
  settings: DetectorSettings,
): WriterHistory {
  const t = snapshot.collectedAt;
  const known = knownTransactionalProducerIds(snapshot, ids);
  const next: WriterHistory = {};
  for (const topic of snapshot.topics) {
    if (topic.internal) continue;
    const prev = previous?.[topic.name];
    const transactional = keepRecent(prev?.transactional ?? {}, (v) => v, t - settings.historyRetentionMs);
    const plain = keepRecent(prev?.plain ?? {}, (v) => v[1], t - settings.historyRetentionMs);
    const seenThisPoll = new Set<string>();
    for (const p of topic.partitions) {
      for (const producer of p.producers ?? []) {
        const id = String(producer.producerId);
        if (producer.currentTxnStartOffset >= 0 || known.has(producer.producerId) || id in transactional) {
          transactional[id] = t;
          delete plain[id];
        } else if (!seenThisPoll.has(id)) {
          const [first, , polls] = plain[id] ?? [t, t, 0];
          plain[id] = [first, t, polls + 1];
        }
        seenThisPoll.add(id);
      }
    }
    if (Object.keys(transactional).length || Object.keys(plain).length) {
      next[topic.name] = { transactional: cap(transactional, (v) => v), plain: cap(plain, (v) => v[1]) };
    }
  }
  // Topics a poll without metadata did not list are unknown, not gone.
  return phasesClean(snapshot, ["metadata"]) ? next : { ...previous, ...next };
}

function keepRecent<V>(record: Record<string, V>, lastSeen: (v: V) => number, cutoff: number): Record<string, V> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => lastSeen(v) >= cutoff));
}

function cap<V>(record: Record<string, V>, lastSeen: (v: V) => number): Record<string, V> {
  const entries = Object.entries(record);
  if (entries.length <= MAX_PRODUCERS_PER_TOPIC) return record;
  return Object.fromEntries(entries.sort((a, b) => lastSeen(b[1]) - lastSeen(a[1])).slice(0, MAX_PRODUCERS_PER_TOPIC));
}

export function detectMixedWriters(index: SnapshotIndex, writers: WriterHistory): Finding[] {
  if (phaseFailed(index.snapshot, "transactions") || phaseFailed(index.snapshot, "producers")) return [];
  const { settings, now } = index;
  const findings: Finding[] = [];
  for (const topic of index.snapshot.topics) {
    const history = writers[topic.name];
    if (!history || !Object.keys(history.transactional).length) continue;
    const lastWrite = new Map<string, number>();
    for (const p of topic.partitions) {
      for (const producer of p.producers ?? []) {
        const id = String(producer.producerId);
        lastWrite.set(id, Math.max(lastWrite.get(id) ?? 0, producer.lastTimestamp));
      }
    }
    const plain = Object.entries(history.plain)
      .filter(([id, [, , polls]]) => polls >= 2 && (lastWrite.get(id) ?? 0) >= now - settings.mixedWriterActiveMs)
      .map(([id]) => Number(id))
      .sort((a, b) => a - b);
    if (!plain.length) continue;
    findings.push(
      makeFinding({
        kind: "mixed-writers",
        severity: "warning",
        cluster: index.snapshot.cluster,
        subject: { topic: topic.name },
        title: `${topic.name} is written both transactionally and by ${plain.length} non-transactional producer(s)`,
        evidence: {
          plainProducerIds: plain,
          transactionalProducerIds: Object.keys(history.transactional).map(Number).sort((a, b) => a - b),
          plainLastWriteAgoMs: plain.map((id) => now - (lastWrite.get(String(id)) ?? now)),
        },
        explanation:
          `Producer(s) ${plain.join(", ")} wrote to ${topic.name} in the last ${formatDuration(settings.mixedWriterActiveMs)} ` +
          `without ever being part of a transaction, while other producers write to it transactionally. Their records are ` +
          `visible to read_committed consumers immediately and are not covered by exactly-once: a restart or retry can ` +
          `duplicate them. Often it is an instance deployed without transactional.id.`,
        remediation:
          `Find the client writing without transactions (the partition leaders' request logs, or the producer's client.id ` +
          `in broker metrics) and give it a transactional.id, or move its data to a separate topic.`,
      }),
    );
  }
  return findings;
}
