// The side-by-side benchmark on real clusters of every shape (shape-build.ts): per shape, collect() in its own
// process (poll-worker.ts: wall time, requests, bytes, RSS, and the protocol floor (floor.ts) right after each poll over
// the same connections), the detectors and the store's public write path over the
// collected snapshots (CPU per poll, write time and bytes per poll), the API on the database so written (`next
// start`) and the official CLIs (clis.ts), all on the same cluster.
// BENCH_SHAPE=<name> (npm run bench -- --shape <name>) runs one shape on a cluster of its own.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runDetectors, type DetectorState } from "@/lib/analysis";
import { collectSnapshot } from "@/lib/kafka/collector";
import { clusterConfig } from "@/lib/config/clusters";
import type { ClusterSnapshot } from "@/lib/snapshot/types";
import { kindOf } from "@/lib/store/db";
import { KEYFRAME_EVERY_POLLS } from "@/lib/store/history/codec";
import { recordPoll } from "@/lib/store/polls";
import { openTestDatabase } from "@/lib/store/test-database";
import { apiPaths } from "@/lib/ui/urls";
import { tableBytes } from "../db/measure-growth";
import { REPO_ROOT } from "../kafka/paths";
import { time, type Target } from "./api";
import { runClis, type CliResult } from "./clis";
import type { FloorSet } from "./floor";
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
/** Polls written to the store: the collected snapshots, each once, replayed 15 s apart (11 intervals, 2.75 minutes). */
const STORED_POLLS = WARMUP_POLLS + MEASURED_POLLS;
const API_REQUESTS = 20;
/** New partitions are served tens of seconds after CreateTopics on a busy machine; polls before that are incomplete. */
const SERVED_TIMEOUT_MS = 900_000;

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
  // BENCH_POLL_CPU_PROFILE=1: a V8 CPU profile of the polling process in data/bench (where the poll's CPU goes).
  const profile = process.env.BENCH_POLL_CPU_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${RESULTS_DIR}`] : [];
  const child = spawn(process.execPath, ["--expose-gc", ...profile, "--import", "tsx", WORKER, JSON.stringify(request)], {
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
    cpuMs: summarize(polls.map((p) => p.cpuMs)),
    requests: summarize(polls.map((p) => p.requests)),
    bytesSent: summarize(polls.map((p) => p.bytesSent)),
    bytesReceived: summarize(polls.map((p) => p.bytesReceived)),
    snapshotJsonBytes: summarize(polls.map((p) => p.snapshotJsonBytes)),
    loadAverage1m: summarize(polls.map((p) => p.loadAverage1m)),
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

/** The floor rounds sent right after each measured poll: each set's own figures, and our poll against the poll's set. */
function floorMetrics(report: PollWorkerReport) {
  const polls = report.polls;
  const set = (name: FloorSet) => ({
    wallMs: summarize(polls.map((p) => p.floor[name].wallMs)),
    requests: polls[0].floor[name].requests,
    bytesReceived: summarize(polls.map((p) => p.floor[name].bytesReceived)).median,
  });
  const poll = set("poll");
  const cli = set("cli");
  return {
    poll,
    cli,
    /** Each poll over the floor round right after it: the pair met the same load, so this is the headline ratio. */
    pollOverFloorPerRound: summarize(polls.map((p) => p.wallMs / p.floor.poll.wallMs)),
    pollOverFloorOfMedians: summarize(polls.map((p) => p.wallMs)).median / poll.wallMs.median,
    /** Against the floor's first two rounds only (the floor before it read marker gaps and transaction brackets). */
    pollOverTwoRoundFloorPerRound: summarize(polls.map((p) => p.wallMs / p.floor.poll.twoRoundsMs)),
    pollOverCliFloorOfMedians: summarize(polls.map((p) => p.wallMs)).median / cli.wallMs.median,
  };
}

/** Tables recordPoll rewrites in place (one row per cluster, group or id): their size levels off, a day does not add to it. */
const REPLACED_TABLES = ["Cluster", "LatestSnapshot", "AnalysisState", "GroupState", "TransactionalIdState"];

/**
 * Detectors and recordPoll as the poller runs them, over the collected snapshots replayed at the production cadence.
 * What a day adds is counted per table (pages in use after a WAL checkpoint, indexes included): the appended tables
 * (poll rows, history blocks, events, findings, notifications) per poll, history weighted as the store writes it (a
 * keyframe every KEYFRAME_EVERY_POLLS polls, deltas between; a dozen polls hold one keyframe), and the tables
 * rewritten in place (latest snapshot, detector state, current groups and ids) reported apart: their growth over a
 * dozen polls is the detectors' fold filling up, not what a day adds.
 */
async function analyseAndStore(snapshots: ClusterSnapshot[], database: Awaited<ReturnType<typeof openTestDatabase>>) {
  const cpu: number[] = [];
  const writes: number[] = [];
  let state: DetectorState | null = null;
  let findings = 0;
  const t0 = snapshots[0].collectedAt;
  const replayed = (i: number): ClusterSnapshot => ({ ...snapshots[i % snapshots.length], collectedAt: t0 + i * BENCH_POLL_INTERVAL_MS });
  // The poller runs the same detectors for days: the goal is a warm process's cost. A first chain over the same
  // polls, stored nowhere, warms the JIT; its own cost is reported as the cold figure.
  const coldCpu: number[] = [];
  let coldState: DetectorState | null = null;
  for (let i = 0; i < STORED_POLLS; i++) {
    const snapshot = replayed(i);
    const cpuStart = process.cpuUsage();
    coldState = runDetectors({ snapshot, previous: coldState, now: snapshot.collectedAt + snapshot.durationMs }).state;
    const used = process.cpuUsage(cpuStart);
    coldCpu.push((used.user + used.system) / 1000);
  }
  const kind = kindOf(database.db);
  const tables = [await tableBytes(database.db, kind)];
  const keyframes: boolean[] = [];
  const blockBytes: number[] = [];
  const opened: number[] = [];
  let openKeys = new Set<string>();
  for (let i = 0; i < STORED_POLLS; i++) {
    const snapshot = replayed(i);
    const cpuStart = process.cpuUsage();
    const result = runDetectors({ snapshot, previous: state, now: snapshot.collectedAt + snapshot.durationMs });
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
    state = result.state;
    findings = result.findings.length;
    const keys = new Set(result.findings.map((f) => f.key));
    opened.push([...keys].filter((k) => !openKeys.has(k)).length);
    openKeys = keys;
    const start = performance.now();
    const recorded = await recordPoll(snapshot, result.findings, { analysisState: state }, database.db);
    writes.push(performance.now() - start);
    keyframes.push(i % KEYFRAME_EVERY_POLLS === 0);
    blockBytes.push(recorded.historyBytes);
    tables.push(await tableBytes(database.db, kind));
  }
  const names = [...new Set(tables.flatMap((t) => [...t.keys()]))].filter((n) => !n.startsWith("_") && !n.startsWith("sqlite_"));
  /** Bytes table `name` grew by with poll i (0-based). */
  const grew = (name: string, i: number) => (tables[i + 1].get(name) ?? 0) - (tables[i].get(name) ?? 0);
  const mean = (values: number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);
  const polls = [...Array(STORED_POLLS).keys()];
  const history = {
    keyframeBytes: mean(polls.filter((i) => keyframes[i]).map((i) => grew("HistoryBlock", i))),
    deltaBytes: mean(polls.filter((i) => !keyframes[i]).map((i) => grew("HistoryBlock", i))),
    keyframeBlockBytes: mean(polls.filter((i) => keyframes[i]).map((i) => blockBytes[i])),
    deltaBlockBytes: mean(polls.filter((i) => !keyframes[i]).map((i) => blockBytes[i])),
  };
  const historyPerPoll = (history.keyframeBytes + (KEYFRAME_EVERY_POLLS - 1) * history.deltaBytes) / KEYFRAME_EVERY_POLLS;
  // The first poll creates the cluster's rows. A finding's row and its notification are written when it opens, so
  // what they add follows problems, not polls: the steady part is what the later polls that opened no finding
  // added (all later polls if each opened one), and the polls that opened findings give bytes per finding opened.
  const later = polls.slice(1);
  const quiet = later.filter((i) => opened[i] === 0);
  const steady = quiet.length > 0 ? quiet : later;
  const appendedTables = names.filter((n) => n !== "HistoryBlock" && !REPLACED_TABLES.includes(n));
  const appended = Object.fromEntries(appendedTables.map((n) => [n, mean(steady.map((i) => grew(n, i)))]));
  const opening = later.filter((i) => opened[i] > 0);
  const findingsOpened = opening.reduce((n, i) => n + opened[i], 0);
  const openingBytes = opening.reduce((n, i) => n + appendedTables.reduce((m, t) => m + grew(t, i) - appended[t], 0), 0);
  const otherPerPoll = Object.values(appended).reduce((a, b) => a + b, 0);
  const bytesPerPoll = historyPerPoll + otherPerPoll;
  const last = tables[STORED_POLLS];
  return {
    storedPolls: STORED_POLLS,
    openFindings: findings,
    firstPollAt: new Date(t0).toISOString(),
    /** Polls 2-12 of the second chain (warm process), and of the first (cold: JIT warm-up included). */
    detectorCpuMs: summarize(cpu.slice(1)),
    detectorColdCpuMs: summarize(coldCpu.slice(1)),
    dbWriteMs: summarize(writes.slice(1)),
    /** History block table growth of a keyframe and of a delta poll (with row and index overhead), and the blocks alone. */
    history: { ...history, keyframeEvery: KEYFRAME_EVERY_POLLS, perPollBytes: historyPerPoll },
    /** Mean growth per poll of every other appended table, over the later polls that opened no finding. */
    appendedBytesPerPoll: appended,
    /** Polls (after the first) that opened no finding, of STORED_POLLS - 1: the ones appendedBytesPerPoll is measured on. */
    steadyPolls: quiet.length,
    /** Findings the later polls opened, and what each added beyond a steady poll (its row, events, notifications). */
    findingsOpened,
    bytesPerFindingOpened: findingsOpened > 0 ? openingBytes / findingsOpened : null,
    /** Tables rewritten in place: their size after the last poll, and what they grew by from the first poll to it. */
    replaced: Object.fromEntries(
      REPLACED_TABLES.map((n) => [n, { bytes: last.get(n) ?? 0, grewSinceFirstPoll: (last.get(n) ?? 0) - (tables[1].get(n) ?? 0) }]),
    ),
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
    { label: "capacity, 7 days", url: `${apiPaths.capacity(BENCH_CLUSTER)}?range=7d`, goal: true },
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

/** Wall time of each stage of one shape (building and measuring), in the order they run. */
export type StageTimings = BuildTimings & Record<"servedMs" | "pollMs" | "storeMs" | "apiMs" | "clisMs", number>;

export interface ShapeMetrics {
  shape: Shape;
  /** Wall time of building the shape and of each measurement. */
  stagesMs: StageTimings;
  poll: ReturnType<typeof pollMetrics>;
  store: Awaited<ReturnType<typeof analyseAndStore>>;
  api: Awaited<ReturnType<typeof measureApi>>;
  floor: ReturnType<typeof floorMetrics>;
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
  let stageStart = performance.now();
  const stage = () => {
    const elapsed = performance.now() - stageStart;
    stageStart = performance.now();
    return elapsed;
  };
  const snapshotsFile = path.join(RESULTS_DIR, `shape-${shape.name}.snapshots.jsonl`);
  log(`  polling: ${WARMUP_POLLS} warm-up + ${MEASURED_POLLS} measured`);
  const report = await runWorker(cluster.brokers, snapshotsFile);
  const poll = pollMetrics(report);
  const floor = floorMetrics(report);
  const pollMs = stage();
  // The file stays (data/ is not committed): the input for profiling the detectors and the store on real snapshots.
  const snapshots = readFileSync(snapshotsFile, "utf8").trim().split("\n").map((line) => JSON.parse(line) as ClusterSnapshot);

  log(`  detectors + store: ${STORED_POLLS} polls`);
  const database = await openTestDatabase();
  try {
    const store = await analyseAndStore(snapshots, database);
    await database.db.$disconnect();
    const storeMs = stage();
    log("  API");
    const api = await measureApi(database.url, store.firstPollAt);
    const apiMs = stage();

    log("  official CLIs");
    const clis = await runClis(BENCH_KAFKA_VERSION, cluster.brokers[0], cluster.cluster.nodes.map((n) => n.nodeId));
    const stages: StageTimings = { ...build, servedMs, pollMs, storeMs, apiMs, clisMs: stage() };
    log(`  stages: ${formatStages(stages)}`);
    return {
      shape,
      stagesMs: stages,
      poll,
      store,
      api,
      floor,
      clis,
      pollOverFloor: floor.pollOverFloorPerRound.median,
      pollOverCliFloor: floor.pollOverCliFloorOfMedians,
      cliOverPoll: clis.totalMs / poll.wallMs.median,
    };
  } finally {
    await database.dispose();
  }
}

const x = (n: number) => `${formatNumber(n)}x`;

const STAGE_LABELS: Record<keyof StageTimings, string> = {
  clusterStartMs: "cluster start",
  topicsMs: "topics",
  recordsMs: "records",
  transactionsMs: "transactional ids",
  groupsMs: "groups",
  servedMs: "partitions served",
  pollMs: "polls + floor",
  storeMs: "detectors + store",
  apiMs: "API",
  clisMs: "CLIs",
};

function formatStages(stages: Record<keyof StageTimings, number>): string {
  return (Object.keys(STAGE_LABELS) as (keyof StageTimings)[]).map((k) => `${STAGE_LABELS[k]} ${formatNumber(stages[k] / 1000)} s`).join(", ");
}

function shapeRows(m: ShapeMetrics): Row[] {
  const s = m.shape;
  const label = `${s.name} (${formatNumber(s.partitions)} partitions, ${s.groups} groups, ${s.transactionalIds} ids, ${s.brokers} broker${s.brokers > 1 ? "s" : ""})`;
  const p = m.poll;
  return [
    [label, ""],
    ["  our poll: collect()", `median ${ms(p.wallMs.median)}, p95 ${ms(p.wallMs.p95)}, min ${ms(p.wallMs.min)}, max ${ms(p.wallMs.max)} (n=${p.wallMs.n})`],
    ["  collector CPU per poll", `median ${ms(p.cpuMs.median)}, p95 ${ms(p.cpuMs.p95)}`],
    ["  requests / bytes per poll", `${formatNumber(p.requests.median)} requests (min ${p.requests.min}, max ${p.requests.max}); ${kib(p.bytesSent.median)} sent, ${kib(p.bytesReceived.median)} received`],
    ["  phases (median)", Object.entries(p.phases).map(([n, ph]) => `${n} ${formatNumber(ph.durationMs.median)} ms/${formatNumber(ph.requests.median)} req`).join(", ")],
    ["  snapshot", `${formatNumber(p.snapshotPartitions)} partitions, ${p.groups} groups, ${p.transactions} ids; ${p.incompletePolls} incomplete polls`],
    ["  collector RSS (peak, whole process)", mib(p.collectorPeakRssBytes)],
    ["  detectors CPU per poll", `median ${ms(m.store.detectorCpuMs.median)}, p95 ${ms(m.store.detectorCpuMs.p95)} (warm process; cold, the same polls first: median ${ms(m.store.detectorColdCpuMs.median)})`],
    ["  DB write per poll (SQLite)", `median ${ms(m.store.dbWriteMs.median)}, p95 ${ms(m.store.dbWriteMs.p95)}`],
    ["  DB bytes per poll / per day", `${kib(m.store.dbBytesPerPoll)} / ${mib(m.store.dbBytesPerDay)} (appended tables, ${m.store.steadyPolls} of ${m.store.storedPolls - 1} polls opened no finding; history ${kib(m.store.history.perPollBytes)} a poll)`],
    ["  per finding opened", m.store.bytesPerFindingOpened === null ? "no finding opened after the first poll" : `${kib(m.store.bytesPerFindingOpened)} (${m.store.findingsOpened} opened after the first poll)`],
    [
      "  history block (table growth; block alone)",
      `keyframe ${kib(m.store.history.keyframeBytes)} (${kib(m.store.history.keyframeBlockBytes)}), delta ${kib(m.store.history.deltaBytes)} (${kib(m.store.history.deltaBlockBytes)}), a keyframe every ${m.store.history.keyframeEvery} polls`,
    ],
    ["  tables rewritten in place (size; growth over the polls)", Object.entries(m.store.replaced).map(([n, r]) => `${n} ${kib(r.bytes)} (+${kib(r.grewSinceFirstPoll)})`).join(", ")],
    ...m.api.urls.map((u): Row => [`  API ${u.label}`, `p95 ${ms(u.latencyMs.p95)}, median ${ms(u.latencyMs.median)}; ${kib(u.bodyBytes)}; HTTP ${u.statuses.join(",")}`]),
    ["  protocol floor, poll's questions", `median ${ms(m.floor.poll.wallMs.median)}, min ${ms(m.floor.poll.wallMs.min)}, ${m.floor.poll.requests} requests, ${kib(m.floor.poll.bytesReceived)} received (a round right after each poll)`],
    ["  protocol floor, CLIs' questions", `median ${ms(m.floor.cli.wallMs.median)}, ${m.floor.cli.requests} requests`],
    ["  load average (1 min) while polling", `median ${formatNumber(p.loadAverage1m.median)}, min ${formatNumber(p.loadAverage1m.min)}, max ${formatNumber(p.loadAverage1m.max)}`],
    ...m.clis.steps.map((c): Row => [`  CLI ${c.label}`, `${ms(c.wallMs)} (${c.how}; ${formatNumber(c.rows)} rows)`]),
    ["  CLI describe, for reference", `one cold JVM ${ms(m.clis.coldDescribeMs)}; warm per id median ${ms(m.clis.warmDescribeMs.median)}`],
    ["  wall time per stage", formatStages(m.stagesMs)],
    ["  CLIs total / our poll", `${ms(m.clis.totalMs)} / ${ms(p.wallMs.median)} = ${x(m.cliOverPoll)}`],
    [
      "  our poll / floor",
      `median of per-round ratios ${x(m.pollOverFloor)} (p95 ${x(m.floor.pollOverFloorPerRound.p95)}); ratio of medians ${x(m.floor.pollOverFloorOfMedians)} (poll's questions), ${x(m.pollOverCliFloor)} (CLIs' questions only); over the floor's first two rounds alone ${x(m.floor.pollOverTwoRoundFloorPerRound.median)}`,
    ],
  ];
}

function goals(all: ShapeMetrics[]): Goal[] {
  const head = all.find((m) => m.shape.name === HEADLINE_SHAPE) ?? all[0];
  const at = ` at ${head.shape.name}`;
  const result: Goal[] = [
    below(`poll median${at}`, head.poll.wallMs.median, GOALS.pollMedianMs, "ms"),
    below(`poll / floor (median of per-round ratios)${at}`, head.pollOverFloor, GOALS.pollOverFloor, "x"),
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

/** The costs whose growth with partitions the issue asks about, read from one shape's metrics. */
const SLOPE_COSTS: Record<string, (m: ShapeMetrics) => number> = {
  "poll median (ms)": (m) => m.poll.wallMs.median,
  "collector CPU per poll (ms)": (m) => m.poll.cpuMs.median,
  "requests per poll": (m) => m.poll.requests.median,
  "bytes received per poll": (m) => m.poll.bytesReceived.median,
  "collector peak RSS (bytes)": (m) => m.poll.collectorPeakRssBytes,
  "DB bytes per poll": (m) => m.store.dbBytesPerPoll,
  "detectors CPU per poll (ms)": (m) => m.store.detectorCpuMs.median,
};

export interface CostSlope {
  cost: string;
  /** Least-squares slope per 1,000 partitions and the fit's intercept at 0 partitions. */
  per1000Partitions: number;
  intercept: number;
  /** Coefficient of determination of the straight line: 1 is exactly linear. */
  r2: number;
  points: [number, number][];
}

/** Least-squares line of each cost against partitions over the 1-broker shapes with 500 groups and ids. */
function slopes(all: ShapeMetrics[]): CostSlope[] {
  const same = all.filter((m) => m.shape.brokers === 1 && m.shape.groups === 500 && m.shape.transactionalIds === 500);
  if (same.length < 2) return [];
  return Object.entries(SLOPE_COSTS).map(([cost, read]) => {
    const points = same.map((m): [number, number] => [m.shape.partitions, read(m)]);
    const mx = points.reduce((n, [px]) => n + px, 0) / points.length;
    const my = points.reduce((n, [, py]) => n + py, 0) / points.length;
    const slope = points.reduce((n, [px, py]) => n + (px - mx) * (py - my), 0) / points.reduce((n, [px]) => n + (px - mx) ** 2, 0);
    const intercept = my - slope * mx;
    const residual = points.reduce((n, [px, py]) => n + (py - (intercept + slope * px)) ** 2, 0);
    const total = points.reduce((n, [, py]) => n + (py - my) ** 2, 0);
    return { cost, per1000Partitions: slope * 1000, intercept, r2: total === 0 ? 1 : 1 - residual / total, points };
  });
}

function slopeRows(all: CostSlope[]): Row[] {
  if (all.length === 0) return [];
  return [
    ["cost against partitions (1 broker, 500 groups, 500 ids)", "least-squares slope per 1,000 partitions; intercept; R² (1 = a straight line)"],
    ...all.map((c): Row => [
      `  ${c.cost}`,
      `${formatNumber(c.per1000Partitions)} per 1,000; intercept ${formatNumber(c.intercept)}; R² ${c.r2.toFixed(3)} (${c.points.map(([px, py]) => `${formatNumber(px)}: ${formatNumber(py)}`).join(", ")})`,
    ]),
  ];
}

export async function run(): Promise<BenchOutcome> {
  const started = performance.now();
  const log = (msg: string) => console.log(`[shapes ${Math.round((performance.now() - started) / 1000)} s] ${msg}`);
  const only = process.env.BENCH_SHAPE;
  const shapes = only ? SHAPES.filter((s) => s.name === only) : SHAPES;
  if (shapes.length === 0) throw new Error(`unknown shape '${only}'; shapes: ${SHAPES.map((s) => s.name).join(", ")}`);
  // next build needs no cluster: it runs while the first cluster starts and grows, and is awaited before measuring.
  const nextBuild = ensureBuild(log).then((build) => {
    log(build.built ? `next build took ${formatNumber(build.buildMs / 1000)} s` : "next build is up to date");
    return build;
  });
  nextBuild.catch(() => undefined);

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
        let clusterStartMs = 0;
        if (!cluster) {
          log(`starting Kafka ${BENCH_KAFKA_VERSION}, ${shape.brokers} broker(s)`);
          const start = performance.now();
          cluster = await ShapeCluster.start(shape.brokers, log);
          clusterStartMs = performance.now() - start;
        }
        log(`shape ${shape.name}: growing the cluster`);
        const timings = { clusterStartMs, ...(await cluster.grow(shape)) };
        await nextBuild;
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
  const costs = slopes(measured);
  const build = await nextBuild;
  const wallMs = performance.now() - started;
  const stageTotals = Object.fromEntries(
    (Object.keys(STAGE_LABELS) as (keyof StageTimings)[]).map((k) => [k, measured.reduce((n, m) => n + m.stagesMs[k], 0)]),
  ) as Record<keyof StageTimings, number>;
  return {
    rows: [
      ["broker", `Kafka ${BENCH_KAFKA_VERSION} (KRaft, -Xmx512m), 10 partitions per topic; polls ${BENCH_POLL_INTERVAL_MS / 1000} s apart in the store`],
      ...measured.flatMap(shapeRows),
      ...slopeRows(costs),
      ["wall time of the run", `${formatNumber(wallMs / 1000)} s; next build ${formatNumber(build.buildMs / 1000)} s (beside the first cluster's start); all shapes: ${formatStages(stageTotals)}`],
    ],
    goals: [
      ...goals(measured),
      holds("every shape measured", failed.length === 0, failed.map((f) => `${f.shape}: ${f.error.split("\n")[0]}`).join("; ") || "all"),
    ],
    metrics: {
      kafkaVersion: BENCH_KAFKA_VERSION,
      headlineShape: HEADLINE_SHAPE,
      goals: GOALS,
      nextBuild: build,
      wallMs,
      stageTotalsMs: stageTotals,
      slopes: costs,
      shapes: measured,
      failedShapes: failed,
    },
  };
}
