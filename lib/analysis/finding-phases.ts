// Which collection phases each finding kind is computed from. A finding may only resolve on a poll whose phases
// for it were collected cleanly: a failed phase is missing evidence, not evidence that the problem is gone.
import type { ClusterSnapshot, PhaseName } from "../snapshot/types";
import type { FindingKind } from "./findings";

const TRANSACTIONS: PhaseName[] = ["metadata", "transactions", "producers"];
const LAG: PhaseName[] = ["metadata", "offsets", "groups", "groupOffsets"];
const CONFIG: PhaseName[] = ["metadata", "configs"];

export const FINDING_PHASES: Record<FindingKind, readonly PhaseName[]> = {
  "hanging-transaction": TRANSACTIONS,
  "stuck-lso": [...TRANSACTIONS, "offsets"],
  "long-transaction": [...TRANSACTIONS, "offsets"],
  "eos-lag": [...LAG, "transactions", "producers"],
  "transaction-timed-out": TRANSACTIONS,
  "zombie-fenced": TRANSACTIONS,
  "fencing-fight": TRANSACTIONS,
  "lost-fencing": [...TRANSACTIONS, "groups"],
  "unfenced-zombie": [...TRANSACTIONS, "groups", "groupOffsets"],
  "hot-partition": ["metadata", "offsets"],
  "hot-broker": ["metadata", "offsets"],
  "lag-concentration": LAG,
  "read-uncommitted": [...LAG, "producers"],
  "mixed-writers": TRANSACTIONS,
  "config-min-isr-one": CONFIG,
  "config-min-isr-unsafe": CONFIG,
  // Raised only for topics transactions write, which the transactions and producer state show.
  "config-low-replication": [...CONFIG, "transactions", "producers"],
  "config-unclean-election": CONFIG,
  "config-transaction-log": CONFIG,
  "config-max-timeout-high": CONFIG,
  "config-retention-below-segment": CONFIG,
  "config-verification-disabled": CONFIG,
  "internal-topic-unhealthy": ["metadata"],
  "compacted-lso-pinned": [...CONFIG, "offsets", "producers"],
  "pipeline-checklist": [...LAG, "transactions", "producers"],
};

/**
 * True when every phase the kind is computed from ran cleanly in this snapshot. A phase that did not run (the
 * collector skips the rest when metadata fails) is as unknown as a failed one; unknown kinds never resolve.
 */
export function canResolve(snapshot: ClusterSnapshot, kind: string): boolean {
  const phases = (FINDING_PHASES as Record<string, readonly PhaseName[] | undefined>)[kind];
  return phases !== undefined && phasesClean(snapshot, phases);
}

/**
 * True when each of these phases ran without an error. Folds of history use it too: what a partial poll does
 * not show is unknown, not gone, so its history is carried forward as it was.
 */
export function phasesClean(snapshot: ClusterSnapshot, phases: readonly PhaseName[]): boolean {
  return snapshot.complete || phases.every((name) => snapshot.phases.some((p) => p.name === name && p.errors.length === 0 && !p.unsupported));
}
