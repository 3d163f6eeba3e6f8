// Timelines for findings about transactional ids, which have no partition or group to chart: a fencing shows
// the (producer id, epoch) history of the id, a lost-fencing family shows its ids appearing one after another.
import type { FindingDto, IdTimelineDto, IdTimelinePoint } from "./dto";

const BEFORE_MS = 30 * 60_000;
const AFTER_MS = 10 * 60_000;

/** The chart window: half an hour before the finding opened until shortly after it resolved (or now). */
export function timelineWindow(f: Pick<FindingDto, "firstSeenAt" | "resolvedAt">, now: number): { from: number; to: number } {
  return { from: f.firstSeenAt - BEFORE_MS, to: Math.min(now, (f.resolvedAt ?? now) + AFTER_MS) };
}

const EPOCH_KINDS = new Set(["zombie-fenced", "fencing-fight", "transaction-timed-out"]);

export function idTimelineKind(f: Pick<FindingDto, "kind" | "subject">): IdTimelineDto["kind"] | null {
  if (f.kind === "lost-fencing") return "appearances";
  return EPOCH_KINDS.has(f.kind) && f.subject.transactionalId != null ? "epochs" : null;
}

/** The ids a lost-fencing finding lists in its evidence. */
export function familyIds(evidence: unknown): string[] {
  const ids = (evidence as { ids?: unknown } | null)?.ids;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === "string") : [];
}

/** The epoch over time with its producer id, oldest first: the events where both are known. */
export function epochChart(points: IdTimelinePoint[]): { at: number; epoch: number; producerId: number }[] {
  return points
    .filter((p): p is IdTimelinePoint & { producerId: number; epoch: number } => p.producerId != null && p.epoch != null)
    .sort((a, b) => a.at - b.at)
    .map(({ at, epoch, producerId }) => ({ at, epoch, producerId }));
}

/** Producer ids in order of first appearance: more than one means the coordinator issued a new one. */
export function producerIds(points: IdTimelinePoint[]): number[] {
  return [...new Set(epochChart(points).map((p) => p.producerId))];
}

/** How many of the family's ids had appeared by each appearance. */
export function appearanceChart(points: IdTimelinePoint[]): { at: number; ids: number }[] {
  return [...points].sort((a, b) => a.at - b.at).map((p, i) => ({ at: p.at, ids: i + 1 }));
}
