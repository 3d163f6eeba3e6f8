// The side-by-side benchmark on real clusters of every shape (shape-build.ts): per shape, collect() in its own
// process (poll-worker.ts: wall time, requests, bytes, RSS), the detectors and the store's public write path over the
// collected snapshots (CPU per poll, write time and bytes per poll), the API on the database so written (`next
// start`), the protocol floor (floor.ts) and the official CLIs (clis.ts), all on the same cluster.
// BENCH_SHAPE=<name> (npm run bench -- --shape <name>) runs one shape on a cluster of its own.
import { spawn } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runDetectors, type DetectorState } from "@/lib/analysis";
import { collectSnapshot } from "@/lib/kafka/collector";
import { ProtocolClient } from "@/lib/kafka/protocol";
import { createKafka } from "@/lib/kafka/client";
import { clusterConfig } from "@/lib/config/clusters";
import type { ClusterSnapshot } from "@/lib/snapshot/types";
import { recordPoll } from "@/lib/store/polls";
import { openTestDatabase } from "@/lib/store/test-database";
import { apiPaths } from "@/lib/ui/urls";
import { REPO_ROOT } from "../kafka/paths";
import { time, type Target } from "./api";
import { runClis, type CliResult } from "./clis";
import { measureFloor, type FloorResult } from "./floor";
import { ensureBuild, startServer } from "./next-app";
import type { PollWorkerReport } from "./poll-worker";
import { below, formatNumber, holds, kib, mib, ms, RESULTS_DIR, summarize, type BenchOutcome, type Goal, type Row } from "./report";
import { BENCH_CLUSTER, BENCH_POLL_INTERVAL_MS } from "./scale";
import {
  BENCH_KAFKA_VERSION,
  groupName,
  HEADLINE_SHAPE,
  ShapeCluster,
  SHAPES,
  topicName,
  transactionalIdName,
  type BuildTimings,
  type Shape,
} from "./shape-build";
import { DAY_MS } from "@/lib/time";

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), "poll-worker.ts");
const WARMUP_POLLS = 2;
const MEASURED_POLLS = 10;
/** Polls written to the store: the collected snapshots, replayed 15 s apart; 20 intervals are 5 minutes of polling. */
const STORED_POLLS = 21;
const API_REQUESTS = 20;
/** New partitions are served tens of seconds after CreateTopics on a busy machine; polls before that are incomplete. */
const SERVED_TIMEOUT_MS = 900_000;
const FLOOR_ROUNDS = 10;

export const GOALS = {
  pollMedianMs: 1_000,
  pollOverFloor: 1.3,
  cliOverPoll: 10,
  collectorRssMb: 250,
  detectorCpuMs: 200,
  dbBytesPerDay: 200 * 1024 * 1024,
  apiP95Ms: 150,
} as const;

function runWorker(brokers: string[], snapshotsFile: string): Promise<PollWorkerReport> {
  const request = { brokers, polls: MEASURED_POLLS, warmupPolls: WARMUP_POLLS, snapshotsFile };
  const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", WORKER, JSON.stringify(request)], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  return new Promise((resolve, reject) =>
    child.once("exit", (code) => (code === 0 ? resolve(JSON.parse(out) as PollWorkerReport) : reject(new Error(`poll worker exited with ${code}`)))),
  );
}

function pollMetrics(report: PollWorkerReport) {
  const polls = report.polls;
  const phaseNames = [...new Set(polls.flatMap((p) => p.phases.map((ph) => ph.name)))];
  return {
    snapshotPartitions: polls[0].partitions,
    groups: polls[0].groups,
    transactions: polls[0].transactions,
    incompletePolls: polls.filter((p) => !p.complete).length,
    errors: [...new Set(polls.flatMap((p) => p.errors))],
    wallMs: summarize(polls.map((p) => p.wallMs)),
    requests: summarize(polls.map((p) => p.requests)),
    bytesSent: summarize(polls.map((p) => p.bytesSent)),
    bytesReceived: summarize(polls.map((p) => p.bytesReceived)),
    snapshotJsonBytes: summarize(polls.map((p) => p.snapshotJsonBytes)),
    phases: Object.fromEntries(
      phaseNames.map((name) => {
        const of = polls.map((p) => p.phases.find((ph) => ph.name === name)!);
        return [name, { durationMs: summarize(of.map((ph) => ph.durationMs)), requests: summarize(of.map((ph) => ph.requests)) }];
      }),
    ),
    /** The collecting process's whole RSS (Node itself included), at its peak over the measured polls. */
    collectorPeakRssBytes: report.peakRss,
    collectorWarmRssBytes: report.warm.rss,
  };
}

function sqliteBytes(databaseUrl: string): number {
  const file = databaseUrl.replace(/^file:/, "");
  return [file, `${file}-wal`].reduce((n, f) => {
    try {
      return n + statSync(f).size;
    } catch {
      return n;
    }
  }, 0);
}

/** Detectors and recordPoll as the poller runs them, over the collected snapshots replayed at the production cadence. */
async function analyseAndStore(snapshots: ClusterSnapshot[], database: Awaited<ReturnType<typeof openTestDatabase>>) {
  const cpu: number[] = [];
  const writes: number[] = [];
  let state: DetectorState | null = null;
  let findings = 0;
  const t0 = snapshots[0].collectedAt;
  let bytesAfterFirst = 0;
  for (let i = 0; i < STORED_POLLS; i++) {
    const snapshot: ClusterSnapshot = { ...snapshots[i % snapshots.length], collectedAt: t0 + i * BENCH_POLL_INTERVAL_MS };
    const cpuStart = process.cpuUsage();
    const result = runDetectors({ snapshot, previous: state, now: snapshot.collectedAt + snapshot.durationMs });
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
    state = result.state;
    findings = result.findings.length;
    const start = performance.now();
    await recordPoll(snapshot, result.findings, { analysisState: state }, database.db);
    writes.push(performance.now() - start);
    if (i === 0) bytesAfterFirst = sqliteBytes(database.url);
  }
  const bytesPerPoll = (sqliteBytes(database.url) - bytesAfterFirst) / (STORED_POLLS - 1);
  return {
    storedPolls: STORED_POLLS,
    openFindings: findings,
    firstPollAt: new Date(t0).toISOString(),
    detectorCpuMs: summarize(cpu.slice(1)),
    dbWriteMs: summarize(writes.slice(1)),
    dbBytesPerPoll: bytesPerPoll,
    dbBytesPerDay: bytesPerPoll * (DAY_MS / BENCH_POLL_INTERVAL_MS),
  };
}

function apiTargets(firstPollAt: string): Target[] {
  return [
    { label: "overview", url: apiPaths.clusters(), goal: true },
    { label: "findings", url: apiPaths.findings(BENCH_CLUSTER), goal: true },
    { label: "topics list", url: apiPaths.topics(BENCH_CLUSTER), goal: true },
    { label: "topics list, ?at= first poll", url: `${apiPaths.topics(BENCH_CLUSTER)}?at=${encodeURIComponent(firstPollAt)}`, goal: true },
    { label: "a topic", url: apiPaths.topic(BENCH_CLUSTER, topicName(0)), goal: true },
    { label: "a group", url: apiPaths.group(BENCH_CLUSTER, groupName(0)), goal: true },
    { label: "a transaction", url: apiPaths.transaction(BENCH_CLUSTER, transactionalIdName(0)), goal: true },
  ];
}

async function measureApi(databaseUrl: string, firstPollAt: string) {
  const server = await startServer(databaseUrl);
  try {
    const urls = [];
    for (const target of apiTargets(firstPollAt)) {
      const r = await time(server.baseUrl, target, API_REQUESTS);
      urls.push({ label: target.label, url: target.url, latencyMs: r.latency, bodyBytes: r.bytes, statuses: [...new Set(r.statuses)] });
    }
    return { urls, p95MaxMs: Math.max(...urls.map((u) => u.latencyMs.p95)) };
  } finally {
    await server.stop();
  }
}

export interface ShapeMetrics {
  shape: Shape;
  build: BuildTimings & { servedMs: number };
  poll: ReturnType<typeof pollMetrics>;
  store: Awaited<ReturnType<typeof analyseAndStore>>;
  api: Awaited<ReturnType<typeof measureApi>>;
  floor: { cli: FloorResult; poll: FloorResult };
  clis: CliResult;
  pollOverFloor: number;
  pollOverCliFloor: number;
  cliOverPoll: number;
}

async function measureShape(cluster: ShapeCluster, shape: Shape, build: BuildTimings, log: (msg: string) => void): Promise<ShapeMetrics> {
  const config = clusterConfig({ name: BENCH_CLUSTER, brokers: cluster.brokers });
  const servedStart = performance.now();
  for (;;) {
    const snapshot = await collectSnapshot(config);
    if (snapshot.complete) break;
    if (performance.now() - servedStart > SERVED_TIMEOUT_MS) throw new Error(`polls still incomplete: ${JSON.stringify(snapshot.phases.flatMap((p) => p.errors)[0])}`);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  const servedMs = performance.now() - servedStart;
  log(`  every partition served after ${formatNumber(servedMs / 1000)} s`);
  const snapshotsFile = path.join(RESULTS_DIR, `shape-${shape.name}.snapshots.jsonl`);
  log(`  polling: ${WARMUP_POLLS} warm-up + ${MEASURED_POLLS} measured`);
  const poll = pollMetrics(await runWorker(cluster.brokers, snapshotsFile));
  // The file stays (data/ is not committed): the input for profiling the detectors and the store on real snapshots.
  const snapshots = readFileSync(snapshotsFile, "utf8").trim().split("\n").map((line) => JSON.parse(line) as ClusterSnapshot);

  log(`  detectors + store: ${STORED_POLLS} polls`);
  const database = await openTestDatabase();
  try {
    const store = await analyseAndStore(snapshots, database);
    await database.db.$disconnect();
    log("  API");
    const api = await measureApi(database.url, store.firstPollAt);

    log("  protocol floor");
    const protocol = ProtocolClient.fromKafka(createKafka(config));
    await protocol.connect();
    let floor: ShapeMetrics["floor"];
    try {
      floor = { cli: await measureFloor(protocol, "cli", FLOOR_ROUNDS), poll: await measureFloor(protocol, "poll", FLOOR_ROUNDS) };
    } finally {
      await protocol.disconnect();
    }

    log("  official CLIs");
    const clis = await runClis(BENCH_KAFKA_VERSION, cluster.brokers[0], cluster.cluster.nodes.map((n) => n.nodeId));
    return {
      shape,
      build: { ...build, servedMs },
      poll,
      store,
      api,
      floor,
      clis,
      pollOverFloor: poll.wallMs.median / floor.poll.wallMs.median,
      pollOverCliFloor: poll.wallMs.median / floor.cli.wallMs.median,
      cliOverPoll: clis.totalMs / poll.wallMs.median,
    };
  } finally {
    await database.dispose();
  }
}

const x = (n: number) => `${formatNumber(n)}x`;

function shapeRows(m: ShapeMetrics): Row[] {
  const s = m.shape;
  const label = `${s.name} (${formatNumber(s.partitions)} partitions, ${s.groups} groups, ${s.transactionalIds} ids, ${s.brokers} broker${s.brokers > 1 ? "s" : ""})`;
  const p = m.poll;
  return [
    [label, ""],
    ["  our poll: collect()", `median ${ms(p.wallMs.median)}, p95 ${ms(p.wallMs.p95)}, min ${ms(p.wallMs.min)}, max ${ms(p.wallMs.max)} (n=${p.wallMs.n})`],
    ["  requests / bytes per poll", `${formatNumber(p.requests.median)} requests (min ${p.requests.min}, max ${p.requests.max}); ${kib(p.bytesSent.median)} sent, ${kib(p.bytesReceived.median)} received`],
    ["  phases (median)", Object.entries(p.phases).map(([n, ph]) => `${n} ${formatNumber(ph.durationMs.median)} ms/${formatNumber(ph.requests.median)} req`).join(", ")],
    ["  snapshot", `${formatNumber(p.snapshotPartitions)} partitions, ${p.groups} groups, ${p.transactions} ids; ${p.incompletePolls} incomplete polls`],
    ["  collector RSS (peak, whole process)", mib(p.collectorPeakRssBytes)],
    ["  detectors CPU per poll", `median ${ms(m.store.detectorCpuMs.median)}, p95 ${ms(m.store.detectorCpuMs.p95)}`],
    ["  DB write per poll (SQLite)", `median ${ms(m.store.dbWriteMs.median)}, p95 ${ms(m.store.dbWriteMs.p95)}`],
    ["  DB bytes per poll / per day", `${kib(m.store.dbBytesPerPoll)} / ${mib(m.store.dbBytesPerDay)}`],
    ...m.api.urls.map((u): Row => [`  API ${u.label}`, `p95 ${ms(u.latencyMs.p95)}, median ${ms(u.latencyMs.median)}; ${kib(u.bodyBytes)}; HTTP ${u.statuses.join(",")}`]),
    ["  protocol floor, poll's questions", `median ${ms(m.floor.poll.wallMs.median)}, ${m.floor.poll.requests} requests, ${kib(m.floor.poll.bytesReceived)} received`],
    ["  protocol floor, CLIs' questions", `median ${ms(m.floor.cli.wallMs.median)}, ${m.floor.cli.requests} requests`],
    ...m.clis.steps.map((c): Row => [`  CLI ${c.label}`, `${ms(c.wallMs)} (${c.how}; ${formatNumber(c.rows)} rows)`]),
    ["  CLI describe, for reference", `one cold JVM ${ms(m.clis.coldDescribeMs)}; warm per id median ${ms(m.clis.warmDescribeMs.median)}`],
    ["  CLIs total / our poll", `${ms(m.clis.totalMs)} / ${ms(p.wallMs.median)} = ${x(m.cliOverPoll)}`],
    ["  our poll / floor", `${x(m.pollOverFloor)} (poll's questions), ${x(m.pollOverCliFloor)} (CLIs' questions only)`],
  ];
}

function goals(all: ShapeMetrics[]): Goal[] {
  const head = all.find((m) => m.shape.name === HEADLINE_SHAPE) ?? all[0];
  const at = ` at ${head.shape.name}`;
  const result: Goal[] = [
    below(`poll median${at}`, head.poll.wallMs.median, GOALS.pollMedianMs, "ms"),
    below(`poll / floor${at}`, head.pollOverFloor, GOALS.pollOverFloor, "x"),
    holds(`CLIs / poll >= ${GOALS.cliOverPoll}x${at}`, head.cliOverPoll >= GOALS.cliOverPoll, x(head.cliOverPoll)),
    below(`collector RSS${at}`, head.poll.collectorPeakRssBytes / 1024 / 1024, GOALS.collectorRssMb, "MiB"),
    below(`detectors CPU per poll (median)${at}`, head.store.detectorCpuMs.median, GOALS.detectorCpuMs, "ms"),
    below(`DB bytes per day${at}`, head.store.dbBytesPerDay / 1024 / 1024, GOALS.dbBytesPerDay / 1024 / 1024, "MiB"),
    below(`API p95, slowest page${at}`, head.api.p95MaxMs, GOALS.apiP95Ms, "ms"),
    holds("every measured poll complete", all.every((m) => m.poll.incompletePolls === 0), all.flatMap((m) => m.poll.errors).slice(0, 2).join("; ") || "all complete"),
  ];
  // Requests are batched per broker and coordinator: the same count whatever the topics and groups, per broker count.
  for (const brokers of [1, 3]) {
    const same = all.filter((m) => m.shape.brokers === brokers);
    if (same.length < 2) continue;
    const counts = same.map((m) => `${m.shape.name}: ${m.poll.requests.median}`);
    result.push(holds(`requests per poll independent of topics and groups (${brokers} broker)`, new Set(same.map((m) => m.poll.requests.median)).size === 1, counts.join(", ")));
  }
  return result;
}

/** Least-squares slope of poll median against partitions (1-broker shapes with 500 groups and ids). */
function slope(all: ShapeMetrics[]): { msPer1000Partitions: number; points: [number, number][] } | null {
  const points = all
    .filter((m) => m.shape.brokers === 1 && m.shape.groups === 500 && m.shape.transactionalIds === 500)
    .map((m): [number, number] => [m.shape.partitions, m.poll.wallMs.median]);
  if (points.length < 2) return null;
  const mx = points.reduce((n, [px]) => n + px, 0) / points.length;
  const my = points.reduce((n, [, py]) => n + py, 0) / points.length;
  const num = points.reduce((n, [px, py]) => n + (px - mx) * (py - my), 0);
  const den = points.reduce((n, [px]) => n + (px - mx) ** 2, 0);
  return { msPer1000Partitions: (num / den) * 1000, points };
}

export async function run(): Promise<BenchOutcome> {
  const started = performance.now();
  const log = (msg: string) => console.log(`[shapes ${Math.round((performance.now() - started) / 1000)} s] ${msg}`);
  const only = process.env.BENCH_SHAPE;
  const shapes = only ? SHAPES.filter((s) => s.name === only) : SHAPES;
  if (shapes.length === 0) throw new Error(`unknown shape '${only}'; shapes: ${SHAPES.map((s) => s.name).join(", ")}`);
  const build = await ensureBuild(log);
  log(build.built ? `next build took ${formatNumber(build.buildMs / 1000)} s` : "next build is up to date");

  const measured: ShapeMetrics[] = [];
  const failed: { shape: string; error: string }[] = [];
  let cluster: ShapeCluster | undefined;
  try {
    for (const shape of shapes) {
      if (cluster && !cluster.canGrowTo(shape)) {
        await cluster.stop();
        cluster = undefined;
      }
      try {
        if (!cluster) {
          log(`starting Kafka ${BENCH_KAFKA_VERSION}, ${shape.brokers} broker(s)`);
          cluster = await ShapeCluster.start(shape.brokers, log);
        }
        log(`shape ${shape.name}: growing the cluster`);
        const timings = await cluster.grow(shape);
        measured.push(await measureShape(cluster, shape, timings, log));
      } catch (error) {
        // One shape's failure (a coordinator that never loaded) must not throw away the shapes already measured.
        failed.push({ shape: shape.name, error: String((error as Error)?.stack ?? error) });
        log(`shape ${shape.name} FAILED: ${(error as Error)?.message}`);
        await cluster?.stop();
        cluster = undefined;
      }
    }
  } finally {
    await cluster?.stop();
  }
  if (measured.length === 0) throw new Error(`every shape failed: ${failed.map((f) => f.error).join("\n")}`);
  const linear = slope(measured);
  return {
    rows: [
      ["broker", `Kafka ${BENCH_KAFKA_VERSION} (KRaft, -Xmx512m), 10 partitions per topic; polls ${BENCH_POLL_INTERVAL_MS / 1000} s apart in the store`],
      ...measured.flatMap(shapeRows),
      ...(linear ? [["poll median slope", `${formatNumber(linear.msPer1000Partitions)} ms per 1,000 partitions (${linear.points.map(([px, py]) => `${formatNumber(px)}: ${ms(py)}`).join(", ")})`] as Row] : []),
    ],
    goals: [
      ...goals(measured),
      holds("every shape measured", failed.length === 0, failed.map((f) => `${f.shape}: ${f.error.split("\n")[0]}`).join("; ") || "all"),
    ],
    metrics: { kafkaVersion: BENCH_KAFKA_VERSION, headlineShape: HEADLINE_SHAPE, goals: GOALS, nextBuild: build, slope: linear, shapes: measured, failedShapes: failed },
  };
}
