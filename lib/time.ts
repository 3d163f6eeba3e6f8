// Durations in milliseconds and the roll-up buckets built from them, defined once for the store, the loaders,
// the pages and the scripts.

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export type BucketGranularity = "hour" | "day";

export function bucketMs(granularity: BucketGranularity): number {
  return granularity === "hour" ? HOUR_MS : DAY_MS;
}

/** Start of the bucket of `unit` milliseconds holding `t` (UTC: hours and days since the epoch). */
export function floorTo(t: number, unit: number): number {
  return Math.floor(t / unit) * unit;
}
