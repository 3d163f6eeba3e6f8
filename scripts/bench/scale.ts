// The scale every benchmark measures at (the goals are stated for it) and the production poll cadence.
export const BENCH_CLUSTER = "bench";
export const BENCH_PARTITIONS = 5_000;
export const BENCH_POLL_INTERVAL_MS = 15_000;
