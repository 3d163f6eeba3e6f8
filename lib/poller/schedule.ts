// When the next poll of a cluster starts. Pure: the caller supplies the randomness.

export const JITTER_FRACTION = 0.1;
export const MAX_BACKOFF_MS = 5 * 60_000;

/** `ms` spread uniformly over ±10 %, so replicas and clusters started together drift apart. */
export function jittered(ms: number, random: () => number): number {
  return Math.round(ms * (1 + (random() * 2 - 1) * JITTER_FRACTION));
}

/**
 * Delay before the next poll: the interval after a success, doubling per consecutive failure
 * (interval × 2^failures) while the cluster is unreachable, jittered, and never above the cap.
 */
export function nextPollDelay(
  intervalMs: number,
  consecutiveFailures: number,
  random: () => number,
  maxBackoffMs = MAX_BACKOFF_MS,
): number {
  const base = consecutiveFailures === 0 ? intervalMs : Math.min(maxBackoffMs, intervalMs * 2 ** consecutiveFailures);
  return Math.min(Math.max(maxBackoffMs, intervalMs), jittered(base, random));
}
