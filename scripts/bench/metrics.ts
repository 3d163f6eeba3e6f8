// /api/metrics at 5,000 partitions: series count per family (the cardinality docs/metrics.md promises) and scrape
// time, for METRICS_PARTITIONS=active and all. A temp SQLite database seeded through lib/store with polls of the
// synthetic 5,000-partition snapshot (lib/store's sizing fixture: 100 topics, 50 groups each committed on one
// topic, 200 transactional ids of which a third are mid-transaction), detector findings and state included.
import { runDetectors, type DetectorState } from "@/lib/analysis";
import { useDatabase } from "@/lib/store/db";
import { recordPoll } from "@/lib/store/polls";
import { openTestDatabase } from "@/lib/store/test-database";
import { makeLargeSnapshot } from "@/lib/store/test-fixtures";
import type { MetricsPartitions } from "@/lib/ui/metrics";
import { loadMetrics } from "@/lib/ui/server/loaders";
import { parsePrometheusText } from "@/lib/ui/testing/prometheus-text";
import { below, formatNumber, holds, kib, spread, summarize, type BenchOutcome, type Row } from "./report";
import { BENCH_CLUSTER as CLUSTER, BENCH_PARTITIONS as PARTITIONS, BENCH_POLL_INTERVAL_MS as INTERVAL_MS } from "./scale";

const SEEDED_POLLS = 3;
const SCRAPES = 10;
const GOAL_SCRAPE_MS = 1000;
/** Every partition exported (METRICS_PARTITIONS=all) stays within 5 series per partition, groups and findings included. */
const GOAL_SERIES_PER_PARTITION = 5;

async function measure(partitions: MetricsPartitions) {
  const durations: number[] = [];
  let body = "";
  for (let i = 0; i < SCRAPES + 1; i++) {
    const start = performance.now();
    body = (await loadMetrics(partitions)).body;
    if (i > 0) durations.push(performance.now() - start);
  }
  const families = new Map<string, number>();
  for (const s of parsePrometheusText(body)) families.set(s.name, (families.get(s.name) ?? 0) + 1);
  const series = [...families.values()].reduce((n, c) => n + c, 0);
  return { partitions, series, families: Object.fromEntries([...families].sort(([a], [b]) => a.localeCompare(b))), bytes: body.length, latency: summarize(durations) };
}

export async function run(): Promise<BenchOutcome> {
  const database = await openTestDatabase();
  try {
    const now = Date.now();
    let state: DetectorState | null = null;
    let findings = 0;
    for (let i = 0; i < SEEDED_POLLS; i++) {
      const snapshot = makeLargeSnapshot(PARTITIONS, { cluster: CLUSTER, pollIndex: i, collectedAt: now - (SEEDED_POLLS - 1 - i) * INTERVAL_MS });
      const result = runDetectors({ snapshot, previous: state, now: snapshot.collectedAt });
      state = result.state;
      findings = result.findings.length;
      await recordPoll(snapshot, result.findings, { analysisState: state }, database.db);
    }
    await useDatabase(database.url);
    const active = await measure("active");
    const all = await measure("all");
    const familyRows = (m: Awaited<ReturnType<typeof measure>>): Row[] =>
      Object.entries(m.families).map(([name, n]): Row => [`  ${name}`, formatNumber(n)]);
    return {
      rows: [
        ["data", `${formatNumber(PARTITIONS)} partitions, 50 groups, 200 transactional ids (${findings} open findings), SQLite`],
        [`series, METRICS_PARTITIONS=active (default)`, `${formatNumber(active.series)}; ${kib(active.bytes)}; scrape ${spread(active.latency)}`],
        ...familyRows(active),
        [`series, METRICS_PARTITIONS=all`, `${formatNumber(all.series)}; ${kib(all.bytes)}; scrape ${spread(all.latency)}`],
      ],
      goals: [
        below("series at 5,000 partitions (all)", all.series, GOAL_SERIES_PER_PARTITION * PARTITIONS, "series"),
        holds("active exports fewer series than all", active.series < all.series, `${formatNumber(active.series)} < ${formatNumber(all.series)}`),
        below("scrape median (active)", active.latency.median, GOAL_SCRAPE_MS, "ms"),
        below("scrape median (all)", all.latency.median, GOAL_SCRAPE_MS, "ms"),
      ],
      metrics: { partitions: PARTITIONS, seededPolls: SEEDED_POLLS, scrapes: SCRAPES, openFindings: findings, active, all },
    };
  } finally {
    await database.dispose();
  }
}
