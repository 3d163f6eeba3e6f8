import { formatAge, formatDuration } from "./format";

// How much to trust what the page shows: data older than three poll intervals is stale, and a partial last
// poll means some numbers are missing. Both must be impossible to overlook.

export const STALE_AFTER_INTERVALS = 3;

export interface PollStatusInput {
  /** Start of the newest poll, whatever its outcome (epoch ms). */
  lastPollAt: number | null;
  lastPollComplete: boolean | null;
  /** Why the newest poll collected nothing at all, when it failed. */
  lastPollError: string | null;
  /** Start of the newest poll that produced a snapshot (complete or partial). */
  lastSnapshotAt: number | null;
}

export type FreshnessLevel = "fresh" | "partial" | "stale" | "never";

export interface Freshness {
  level: FreshnessLevel;
  /** Short text for the header. */
  label: string;
  /** Sentence for the banner; null when everything is fine. */
  banner: string | null;
  tone: "ok" | "warning" | "critical" | "unknown";
}

export function freshness(input: PollStatusInput, pollIntervalMs: number, now: number): Freshness {
  if (input.lastSnapshotAt == null) {
    const why = input.lastPollError ? ` The last attempt failed: ${input.lastPollError}` : "";
    return {
      level: "never",
      label: "no data yet",
      banner: `No poll has produced data for this cluster yet.${why}`,
      tone: "unknown",
    };
  }
  const age = now - input.lastSnapshotAt;
  const label = `polled ${formatAge(input.lastSnapshotAt, now)}`;
  if (age > STALE_AFTER_INTERVALS * pollIntervalMs) {
    const why = input.lastPollError ? ` Last attempt failed: ${input.lastPollError}` : "";
    return {
      level: "stale",
      label,
      banner:
        `Data is stale: the last successful poll was ${formatDuration(age)} ago ` +
        `(expected every ${formatDuration(pollIntervalMs)}).${why}`,
      tone: "critical",
    };
  }
  if (input.lastPollComplete === false) {
    return {
      level: "partial",
      label: `${label} (partial)`,
      // A failed poll (e.g. rejected credentials) collected nothing: say why, not "some requests failed".
      banner: input.lastPollError
        ? `The last poll failed: ${input.lastPollError}. Values below are from the last successful poll.`
        : "The last poll was partial: some requests failed, so some values below are missing or older.",
      tone: "warning",
    };
  }
  return { level: "fresh", label, banner: null, tone: "ok" };
}
