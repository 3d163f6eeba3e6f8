import { HOUR_MS } from "@/lib/time";

// Long chart windows the way time-series databases draw them: a 48 h window of 15 s polls is 11,520 points per
// line, several times the pixels a chart has. Beyond a few hours, polls older than the last hour are thinned per
// time bucket to the first, last, lowest and highest poll of the bucket (spikes and dips survive, every point
// shown is a real poll's value); the last hour keeps every poll.

/** Windows up to this long are sent with every poll. */
export const EVERY_POLL_WINDOW_MS = 6 * HOUR_MS;
/** The newest part of a longer window that still has every poll. */
export const EVERY_POLL_TAIL_MS = HOUR_MS;
/** Buckets over a long window: about the width in pixels of a wide chart, at four points a bucket at most. */
export const CHART_BUCKETS = 360;

/** What a chart response holds: every poll from `everyPollFrom` on, before it the extremes of each bucket. */
export interface ChartResolution {
  /** Null: every poll of the window. */
  bucketMs: number | null;
  everyPollFrom: number;
}

export function chartResolution(from: number, to: number): ChartResolution {
  if (to - from <= EVERY_POLL_WINDOW_MS) return { bucketMs: null, everyPollFrom: from };
  return { bucketMs: Math.ceil((to - EVERY_POLL_TAIL_MS - from) / CHART_BUCKETS), everyPollFrom: to - EVERY_POLL_TAIL_MS };
}

/**
 * The polls a chart at `resolution` shows: every poll from everyPollFrom on; before it, per bucket, the first and
 * last poll and those of the lowest and highest `value` (a poll whose value is null is kept only as first or last).
 * `polls` are in time order; the ones kept stay in it.
 */
export function thinPolls<P extends { at: number }>(polls: P[], resolution: ChartResolution, value: (poll: P) => number | null): P[] {
  const { bucketMs, everyPollFrom } = resolution;
  if (bucketMs === null) return polls;
  const kept: P[] = [];
  let bucket: P[] = [];
  let bucketIndex = NaN;
  const flush = () => {
    if (bucket.length === 0) return;
    let low: P | null = null;
    let high: P | null = null;
    for (const p of bucket) {
      const v = value(p);
      if (v === null) continue;
      if (low === null || v < value(low)!) low = p;
      if (high === null || v > value(high)!) high = p;
    }
    const chosen = new Set([bucket[0], low, high, bucket[bucket.length - 1]]);
    kept.push(...bucket.filter((p) => chosen.has(p)));
    bucket = [];
  };
  for (const p of polls) {
    if (p.at >= everyPollFrom) {
      flush();
      kept.push(p);
      continue;
    }
    const index = Math.floor((p.at - everyPollFrom) / bucketMs);
    if (index !== bucketIndex) flush();
    bucketIndex = index;
    bucket.push(p);
  }
  flush();
  return kept;
}
