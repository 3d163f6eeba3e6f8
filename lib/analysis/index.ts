// Entry point for the poller and the audit CLI: one snapshot + the previous fold of history in, findings +
// the next fold + per-partition/per-group figures for the UI out. Pure: the caller owns the clock and storage.
import type { ClusterSnapshot } from "../snapshot/types";
import { detectConfigRisks } from "./detectors/config-risks";
import { computeGroupLag, detectEosLag, foldGroupOffsets, type GroupHistory, type GroupLag } from "./detectors/eos-lag";
import { detectFencing } from "./detectors/fencing";
import { detectHotPartitions, foldHotStreaks } from "./detectors/hot-partitions";
import { detectHangingTransactions, foldHangingCandidates, type HangingCandidates } from "./detectors/hanging-transactions";
import { detectLostFencing } from "./detectors/lost-fencing";
import { detectMixedWriters, foldWriters, type WriterHistory } from "./detectors/mixed-writers";
import { detectReadUncommitted } from "./detectors/read-uncommitted";
import { detectStuckLso } from "./detectors/stuck-lso";
import { mostSevereFirst, type Finding } from "./findings";
import { foldPartitions, partitionRates, type PartitionHistory } from "./partition-history";
import { detectPipelineGaps } from "./pipelines";
import { resolveSettings, type DetectorSettings } from "./settings";
import { buildIndex, type SnapshotIndex } from "./snapshot-index";
import { foldTransactionalIds, type TransactionalIdHistory } from "./transactional-id-history";

export type { Finding, FindingKind, Severity } from "./findings";
export type { DetectorSettings } from "./settings";
export { DEFAULT_SETTINGS } from "./settings";
export type { GroupLag, LagVerdict, PartitionLag } from "./detectors/eos-lag";
export { discoverPipelines, type Pipeline, type ChecklistItem } from "./pipelines";

const STATE_VERSION = 2;

/** Compact, JSON-serialisable fold of the history detectors need; bounded by time windows and counts. */
export interface DetectorState {
  version: typeof STATE_VERSION;
  cluster: string;
  collectedAt: number;
  partitions: Record<string, PartitionHistory>;
  transactionalIds: Record<string, TransactionalIdHistory>;
  groups: GroupHistory;
  writers: WriterHistory;
  hanging: HangingCandidates;
}

export interface PartitionFigures {
  topic: string;
  partition: number;
  recordsPerSec: number | null;
  bytesPerSec: number | null;
  /** HW − LSO. */
  txnBlocked: number | null;
  /** Poll time since which the LSO has not moved. */
  lsoUnchangedSince: number | null;
  /** Consecutive polls the partition was hot (0 = not hot). */
  hotStreak: number;
}

export interface Derived {
  partitions: PartitionFigures[];
  groups: GroupLag[];
}

export interface RunDetectorsInput {
  snapshot: ClusterSnapshot;
  previous: DetectorState | null;
  now: number;
  settings?: Partial<DetectorSettings>;
}

export interface RunDetectorsResult {
  findings: Finding[];
  state: DetectorState;
  derived: Derived;
}

export function foldState(
  previous: DetectorState | null,
  snapshot: ClusterSnapshot,
  settings: DetectorSettings,
  index: SnapshotIndex = buildIndex(snapshot, snapshot.collectedAt, settings),
): DetectorState {
  const usable = previous && previous.version === STATE_VERSION && previous.cluster === snapshot.cluster ? previous : null;
  // A snapshot that is not newer (re-run, clock skew) adds no history: rates would divide by zero.
  if (usable && snapshot.collectedAt <= usable.collectedAt) return usable;
  const transactionalIds = foldTransactionalIds(usable?.transactionalIds, snapshot, settings, {
    partitions: usable?.partitions,
    groups: usable?.groups,
  });
  return {
    version: STATE_VERSION,
    cluster: snapshot.cluster,
    collectedAt: snapshot.collectedAt,
    partitions: foldHotStreaks(foldPartitions(usable?.partitions, snapshot, settings, index), snapshot, settings, index),
    transactionalIds,
    groups: foldGroupOffsets(usable?.groups, snapshot, settings, index),
    writers: foldWriters(usable?.writers, snapshot, transactionalIds, settings),
    hanging: foldHangingCandidates(usable?.hanging, index),
  };
}

export function runDetectors({ snapshot, previous, now, settings: overrides }: RunDetectorsInput): RunDetectorsResult {
  const settings = resolveSettings(overrides);
  const index = buildIndex(snapshot, now, settings);
  const state = foldState(previous, snapshot, settings, index);
  const groupLag = computeGroupLag(index, state.groups, state.partitions);

  const findings = [
    ...detectHangingTransactions(index, state.hanging),
    ...detectStuckLso(index, state.partitions),
    ...detectEosLag(index, groupLag),
    ...detectFencing(index, state.transactionalIds),
    ...detectHotPartitions(index, state.partitions, groupLag),
    ...detectReadUncommitted(index, state.groups, state.partitions),
    ...detectMixedWriters(index, state.writers),
    ...detectLostFencing(index, state.transactionalIds),
    ...detectPipelineGaps(index, state),
    ...detectConfigRisks(
      index,
      state.partitions,
      Object.values(state.transactionalIds).flatMap((h) => h.outputTopics),
    ),
  ].sort((a, b) => mostSevereFirst(a, b) || a.key.localeCompare(b.key));

  const partitions: PartitionFigures[] = [];
  for (const [key, { topic, partition }] of index.partitions) {
    const history = state.partitions[key];
    const hw = partition.highWatermark;
    const lso = partition.lastStableOffset;
    partitions.push({
      topic: topic.name,
      partition: partition.partition,
      ...partitionRates(history),
      txnBlocked: hw !== null && lso !== null ? hw - lso : null,
      lsoUnchangedSince: history?.lsoSince ?? null,
      hotStreak: history?.hotStreak ?? 0,
    });
  }
  return { findings: dedupeByKey(findings), state, derived: { partitions, groups: groupLag } };
}

/** The store keys lifecycles by `key`: never hand it two findings with one key. */
function dedupeByKey(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => (seen.has(f.key) ? false : (seen.add(f.key), true)));
}
