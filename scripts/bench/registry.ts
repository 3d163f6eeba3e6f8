import type { BenchOutcome } from "./report";

export interface Benchmark {
  description: string;
  /** Loaded only in the child process that runs the benchmark. */
  load: () => Promise<{ run: () => Promise<BenchOutcome> }>;
}

// Order of `npm run bench`: cheapest first, so a broken setup shows up before the minutes-long ones; except
// that `shapes` runs the dashboard's `next build` beside its first cluster's start, and `api` then reuses it.
export const BENCHMARKS: Record<string, Benchmark> = {
  detect: { description: "runDetectors over a synthetic 5,000-partition snapshot chain", load: () => import("./detect") },
  metrics: { description: "/api/metrics series count and scrape time at 5,000 partitions", load: () => import("./metrics") },
  store: { description: "recordPoll latency and database growth at 5,000 partitions", load: () => import("./store") },
  shapes: {
    description: "real clusters of 1,000-10,000 partitions, 100-500 groups and transactional ids, 1 and 3 brokers: our poll, the protocol floor and the official CLIs side by side",
    load: () => import("./shapes"),
  },
  api: { description: "next start response times of the overview and a transaction page at 5,000 partitions", load: () => import("./api") },
};
