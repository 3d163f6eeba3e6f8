// Server response times of the dashboard at 5,000 partitions: a temp SQLite database seeded through lib/store
// with polls of the synthetic 5,000-partition snapshot (detector findings and state included), a production
// build served by `next start` with POLLER=off, and N sequential requests per URL, timed to the last body byte.
import { readFileSync } from "node:fs";
import { runDetectors, type DetectorState } from "@/lib/analysis";
import { recordPoll } from "@/lib/store/polls";
import { openTestDatabase } from "@/lib/store/test-database";
import { makeLargeSnapshot } from "@/lib/store/test-fixtures";
import { apiPaths, paths } from "@/lib/ui/urls";
import { ensureBuild, startServer } from "./next-app";
import { below, formatNumber, holds, kib, mib, ms, spread, summarize, type BenchOutcome, type Row, type Summary } from "./report";
import { BENCH_CLUSTER as CLUSTER, BENCH_PARTITIONS as PARTITIONS, BENCH_POLL_INTERVAL_MS as INTERVAL_MS } from "./scale";

const SEEDED_POLLS = 20;
const WARMUP_REQUESTS = 3;
const TIMED_REQUESTS = 30;
const GOAL_MEDIAN_MS = 500;
/** Ongoing in every poll of the fixture (every third id is mid-transaction); made to hang below. */
const TRANSACTIONAL_ID = "stream-app-0";

export interface Target {
  label: string;
  url: string;
  /** The brief's goal applies to the overview and transaction pages and their API routes; the rest is context. */
  goal: boolean;
}

const TARGETS: Target[] = [
  { label: "overview page /", url: paths.overview(), goal: true },
  { label: "overview API", url: apiPaths.clusters(), goal: true },
  { label: "transaction page", url: paths.transaction(CLUSTER, TRANSACTIONAL_ID), goal: true },
  { label: "transaction API", url: apiPaths.transaction(CLUSTER, TRANSACTIONAL_ID), goal: true },
  { label: "cluster API (5,000-partition overview)", url: apiPaths.cluster(CLUSTER), goal: false },
  { label: "topics API (rates over two snapshots)", url: apiPaths.topics(CLUSTER), goal: false },
];

async function seed(db: Awaited<ReturnType<typeof openTestDatabase>>["db"]): Promise<number> {
  const now = Date.now();
  let state: DetectorState | null = null;
  let findings = 0;
  const firstPollAt = now - (SEEDED_POLLS - 1) * INTERVAL_MS;
  for (let i = 0; i < SEEDED_POLLS; i++) {
    const snapshot = makeLargeSnapshot(PARTITIONS, { cluster: CLUSTER, pollIndex: i, collectedAt: firstPollAt + i * INTERVAL_MS });
    // The timed transaction hangs since the first poll, so its page has findings and events to show.
    const hung = snapshot.transactions.find((t) => t.transactionalId === TRANSACTIONAL_ID)!;
    hung.transactionStartTimeMs = firstPollAt;
    const result = runDetectors({ snapshot, previous: state, now: snapshot.collectedAt });
    state = result.state;
    findings = result.findings.length;
    await recordPoll(snapshot, result.findings, { analysisState: state }, db);
  }
  return findings;
}

export interface Timed {
  target: Target;
  statuses: number[];
  bytes: number;
  latency: Summary;
}

export async function time(baseUrl: string, target: Target, timedRequests = TIMED_REQUESTS): Promise<Timed> {
  const statuses: number[] = [];
  const latencies: number[] = [];
  let bytes = 0;
  for (let i = 0; i < WARMUP_REQUESTS + timedRequests; i++) {
    const start = performance.now();
    const response = await fetch(`${baseUrl}${target.url}`, { headers: { accept: target.url.startsWith("/api/") ? "application/json" : "text/html" } });
    const body = await response.arrayBuffer();
    const elapsed = performance.now() - start;
    if (i < WARMUP_REQUESTS) continue;
    latencies.push(elapsed);
    statuses.push(response.status);
    bytes = body.byteLength;
  }
  return { target, statuses, bytes, latency: summarize(latencies) };
}

export function rssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmRSS:"));
  return line ? Number(line.replace(/\D+/g, "")) * 1024 : 0;
}

export async function run(): Promise<BenchOutcome> {
  const log = (msg: string) => console.log(`[api] ${msg}`);
  const build = await ensureBuild(log);
  log(build.built ? `built in ${formatNumber(build.buildMs / 1000)} s` : "build is up to date");
  const database = await openTestDatabase();
  try {
    log(`seeding ${SEEDED_POLLS} polls of ${formatNumber(PARTITIONS)} partitions`);
    const findings = await seed(database.db);
    await database.db.$disconnect();
    const server = await startServer(database.url);
    const results: Timed[] = [];
    let serverRss = 0;
    try {
      for (const target of TARGETS) {
        log(`timing ${target.url}`);
        results.push(await time(server.baseUrl, target));
      }
      serverRss = rssOf(server.pid);
    } finally {
      await server.stop();
    }
    const rows: Row[] = [
      ["data", `${SEEDED_POLLS} polls x ${formatNumber(PARTITIONS)} partitions (${findings} open findings), SQLite`],
      ["requests", `${WARMUP_REQUESTS} warm-up + ${TIMED_REQUESTS} timed, sequential, per URL`],
      ...results.map((r): Row => [r.target.label, `${spread(r.latency)}; ${kib(r.bytes)}; HTTP ${[...new Set(r.statuses)].join(",")}`]),
      ["server RSS after the run", mib(serverRss)],
      ["next build", build.built ? ms(build.buildMs) : "reused (sources unchanged)"],
    ];
    const failedResponses = results.flatMap((r) => (r.statuses.every((s) => s === 200) ? [] : [`${r.target.url}: ${[...new Set(r.statuses)].join(",")}`]));
    return {
      rows,
      goals: [
        ...results.filter((r) => r.target.goal).map((r) => below(`${r.target.label} median`, r.latency.median, GOAL_MEDIAN_MS, "ms")),
        holds("every timed response is HTTP 200", failedResponses.length === 0, failedResponses.join("; ") || "all 200"),
      ],
      metrics: {
        partitions: PARTITIONS,
        seededPolls: SEEDED_POLLS,
        timedRequests: TIMED_REQUESTS,
        warmupRequests: WARMUP_REQUESTS,
        build,
        serverRssBytes: serverRss,
        urls: results.map((r) => ({ label: r.target.label, url: r.target.url, goal: r.target.goal, latencyMs: r.latency, bodyBytes: r.bytes, statuses: [...new Set(r.statuses)] })),
      },
    };
  } finally {
    await database.dispose();
  }
}
