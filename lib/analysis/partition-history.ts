// Per-partition memory across polls: since when the LSO has not moved (and where the HW was then), since
// when an open transaction has held it below the HW, and a few recent HW/size samples for rates. Bounded:
// only partitions of the current snapshot, a few samples.
import type { ClusterSnapshot, PartitionState } from "../snapshot/types";
import { phasesClean } from "./finding-phases";
import type { DetectorSettings } from "./settings";
import { OPEN_TRANSACTION_STATES } from "../snapshot/transaction-states";
import { buildIndex, type PartitionRef, type SnapshotIndex } from "./snapshot-index";

/** [collectedAt, highWatermark, sizeBytes]: tuples keep the serialised state small. */
export type PartitionSample = [t: number, hw: number | null, size: number | null];

export interface PartitionHistory {
  /** Last LSO seen, and the poll time it was first seen at (it has not moved since). */
  lso: number | null;
  lsoSince: number;
  /** HW when the LSO reached its current value: an LSO that stays while this grows is pinned. */
  hwAtLsoSince: number | null;
  /**
   * First poll at which this LSO was below the HW (an open transaction starting there), null while LSO = HW.
   * Unlike lsoSince it never counts the idle time before the transaction began.
   */
  openSince: number | null;
  samples: PartitionSample[];
  /** Consecutive polls this partition was hot. */
  hotStreak: number;
}

export function foldPartitions(
  previous: Record<string, PartitionHistory> | undefined,
  snapshot: ClusterSnapshot,
  settings: DetectorSettings,
  index: SnapshotIndex = buildIndex(snapshot, snapshot.collectedAt, settings),
): Record<string, PartitionHistory> {
  const t = snapshot.collectedAt;
  const next: Record<string, PartitionHistory> = {};
  for (const [key, { partition: p }] of index.partitions) {
    const prev = previous?.[key];
    const before = prev?.samples ?? [];
    // An unread HW (leader down, failed phase) adds no sample: rates and hot streaks span real reads only.
    const samples = p.highWatermark === null ? before.slice(-settings.rateSamples) : [...before, [t, p.highWatermark, p.sizeBytes] as PartitionSample].slice(-settings.rateSamples);
    // An unreadable LSO (leader down) neither moves nor resets the clock.
    const lsoMoved = p.lastStableOffset !== null && p.lastStableOffset !== prev?.lso;
    next[key] =
      prev && !lsoMoved
        ? continuedHistory(prev, samples, nextOpenSince(prev.openSince ?? null, p, t), prev.hotStreak)
        : {
            lso: p.lastStableOffset,
            lsoSince: t,
            hwAtLsoSince: p.highWatermark,
            openSince: nextOpenSince(null, p, t),
            samples,
            hotStreak: prev?.hotStreak ?? 0,
          };
  }
  // Without metadata the partitions are unknown, not gone: keep their clocks (stuck since, open since) as they were.
  return phasesClean(snapshot, ["metadata"]) ? next : { ...previous, ...next };
}

/**
 * A partition's history with the same LSO clock and new samples, open-since and hot streak. Spelled out: an object
 * spread per partition per poll showed in the detectors' profile.
 */
export function continuedHistory(h: PartitionHistory, samples: PartitionSample[], openSince: number | null, hotStreak: number): PartitionHistory {
  return { lso: h.lso, lsoSince: h.lsoSince, hwAtLsoSince: h.hwAtLsoSince, openSince, samples, hotStreak };
}

/** Did this poll read the partition's offsets (its latest sample is from this poll)? */
export function sampledAt(history: PartitionHistory | undefined, t: number): boolean {
  return history?.samples.at(-1)?.[0] === t;
}

export interface PartitionRates {
  recordsPerSec: number | null;
  /** null when sizes are unknown or shrank (retention deleted a segment between the polls). */
  bytesPerSec: number | null;
}

/** Rates between the two most recent samples, or between the two `intervalsBack` intervals before them. */
export function partitionRates(history: Pick<PartitionHistory, "samples"> | undefined, intervalsBack = 0): PartitionRates {
  const samples = history?.samples ?? [];
  const last = samples.length - 1 - intervalsBack;
  if (last < 1) return { recordsPerSec: null, bytesPerSec: null };
  const [t1, hw1, size1] = samples[last - 1];
  const [t2, hw2, size2] = samples[last];
  const seconds = (t2 - t1) / 1000;
  if (seconds <= 0) return { recordsPerSec: null, bytesPerSec: null };
  const records = hw1 !== null && hw2 !== null && hw2 >= hw1 ? (hw2 - hw1) / seconds : null;
  const bytes = size1 !== null && size2 !== null && size2 >= size1 ? (size2 - size1) / seconds : null;
  return { recordsPerSec: records, bytesPerSec: bytes };
}

function nextOpenSince(openSince: number | null, p: PartitionState, t: number): number | null {
  if (p.lastStableOffset === null || p.highWatermark === null) return openSince;
  return p.lastStableOffset < p.highWatermark ? (openSince ?? t) : null;
}

/**
 * When the transaction pinning this partition's LSO began: the coordinator's transactionStartTimeMs of the
 * open transaction whose producer starts at the LSO and which lists the partition, else the first poll that
 * saw the LSO held below the HW. null when nothing is open (LSO = HW) or the offsets are unknown.
 */
export function pinStart(index: SnapshotIndex, ref: PartitionRef | undefined, history: PartitionHistory | undefined): number | null {
  if (!ref || !history) return null;
  const { topic, partition: p } = ref;
  const lso = p.lastStableOffset;
  if (lso === null || p.highWatermark === null || lso >= p.highWatermark) return null;
  const starts = (p.producers ?? [])
    .filter((producer) => producer.currentTxnStartOffset === lso)
    .flatMap((producer) => index.transactionsByProducerId.get(producer.producerId) ?? [])
    .filter(
      (txn) =>
        OPEN_TRANSACTION_STATES.has(txn.state) &&
        txn.transactionStartTimeMs >= 0 &&
        txn.partitions.some((tp) => tp.topic === topic.name && tp.partition === p.partition),
    )
    .map((txn) => txn.transactionStartTimeMs);
  if (starts.length) return Math.min(...starts);
  return history.lso === lso ? history.openSince : null;
}
