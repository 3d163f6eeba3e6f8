// recordPoll latency and database growth at 5,000 partitions on a temp SQLite file and a throw-away PostgreSQL
// database, measured by the store's own sizing script (scripts/db/measure-growth.ts) so the benchmark and the script
// can never disagree.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { runDetectors, type DetectorState } from "@/lib/analysis";
import { KEYFRAME_EVERY_POLLS } from "@/lib/store/history/codec";
import { scratchPostgresDatabase } from "@/lib/store/test-database";
import { REPO_ROOT } from "../kafka/paths";
import { measureGrowth, type GrowthReport } from "../db/measure-growth";
import { below, formatNumber, holds, kib, ms, type BenchOutcome, type Goal, type Row } from "./report";
import { BENCH_PARTITIONS as PARTITIONS, BENCH_POLL_INTERVAL_MS as INTERVAL_MS } from "./scale";

// 40 polls 15 s apart span 10 minutes, each with its history block (one keyframe, 39 deltas).
const POLLS = 40;
const GOALS = { recordPollP95Ms: 1_000, growthPerDayMB: 200, steadyStateMB: 2_048 };

/** A PostgreSQL server: TEST_POSTGRES_URL, or Debian's cluster started as the store tests' CI does. */
function postgresServer(): string {
  if (process.env.TEST_POSTGRES_URL) return process.env.TEST_POSTGRES_URL;
  const script = path.join(REPO_ROOT, "scripts", "db", "start-test-postgres.sh");
  return execFileSync("bash", [script], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/** measureGrowth on a database created for it on the server, dropped afterwards whatever happens. */
async function onThrowAwayPostgres(measure: (url: string) => Promise<GrowthReport>): Promise<GrowthReport> {
  const scratch = await scratchPostgresDatabase(postgresServer(), "auditor_bench");
  try {
    return await measure(scratch.url);
  } finally {
    await scratch.drop();
  }
}

function measure(postgresUrl?: string): Promise<GrowthReport> {
  // The poller saves the detectors' fold of history with every poll (about 3 MiB of JSON at 5,000 partitions).
  let state: DetectorState | null = null;
  const withDetectorState = (snapshot: Parameters<typeof runDetectors>[0]["snapshot"]) => {
    state = runDetectors({ snapshot, previous: state, now: snapshot.collectedAt }).state;
    return { analysisState: state };
  };
  return measureGrowth({ partitions: PARTITIONS, polls: POLLS, intervalMs: INTERVAL_MS, postgresUrl, recordOptions: withDetectorState });
}

function rowsOf(report: GrowthReport): Row[] {
  const latency = report.recordPollMs;
  const blocks = report.historyBlockBytes;
  const reads = report.reads;
  const steady = Object.entries(report.steadyStateMB)
    .map(([part, mb]) => `${part} ${formatNumber(mb)}`)
    .join(", ");
  const on = `(${report.database})`;
  return [
    [`polls recorded ${on}`, `${POLLS} x ${PARTITIONS.toLocaleString("en-US")} partitions, ${INTERVAL_MS / 1000} s apart, with detector state`],
    [`recordPoll, every poll ${on}`, `median ${ms(latency.median)}, p95 ${ms(latency.p95)}, max ${ms(latency.max)}, first ${ms(latency.first)}`],
    [`history block ${on}`, `keyframe ${kib(blocks.keyframe)}, delta ${kib(blocks.delta)} (a keyframe every ${blocks.keyframeEvery} polls)`],
    [
      `history reads, warm / cold cache ${on}`,
      `topic chart ${ms(reads.topicChart1hMs.warm)} / ${ms(reads.topicChart1hMs.cold)}, group chart ${ms(reads.groupChart1hMs.warm)} / ${ms(reads.groupChart1hMs.cold)} over ${reads.chartPolls} polls, ` +
        `time travel to a poll ${KEYFRAME_EVERY_POLLS - 1} past its keyframe ${ms(reads.timeTravelOldPollMs.warm)} / ${ms(reads.timeTravelOldPollMs.cold)}, ` +
        `a rolled-up hour's whole-topic / group chart ${ms(reads.rolledUpHourMs.topicChart)} / ${ms(reads.rolledUpHourMs.groupChart)} ` +
        `(48 h of them ~${ms(reads.chart48hMsEstimate.topic)} / ${ms(reads.chart48hMsEstimate.group)}; a page's chart reads one partition)`,
    ],
    [`snapshot ${on}`, `${kib(report.snapshot.rawBytes)} raw, ${kib(report.snapshot.gzipBytes)} gzipped`],
    [`roll-up of the first hour ${on}`, `${ms(report.rollupOfFirstHourMs.cold)} (${report.rollupOfFirstHourMs.polls} polls, nothing decoded before)`],
    [`growth per day ${on}`, `${formatNumber(report.growthPerDayMB)} MiB before retention`],
    [`retention steady state ${on}`, `${formatNumber(report.steadyStateTotalMB)} MiB (${steady} MiB)`],
  ];
}

function goalsOf(report: GrowthReport): Goal[] {
  const on = `(${report.database}, ${PARTITIONS} partitions)`;
  return [
    below(`recordPoll p95 ${on}`, report.recordPollMs.p95, GOALS.recordPollP95Ms, "ms"),
    below(`growth per day ${on}`, report.growthPerDayMB, GOALS.growthPerDayMB, "MiB"),
    below(`retention steady state ${on}`, report.steadyStateTotalMB, GOALS.steadyStateMB, "MiB"),
  ];
}

export async function run(): Promise<BenchOutcome> {
  const sqlite = await measure();
  let postgresql: GrowthReport | null = null;
  let postgresError: string | null = null;
  try {
    postgresql = await onThrowAwayPostgres((url) => measure(url));
  } catch (error) {
    postgresError = error instanceof Error ? error.message.split("\n")[0] : String(error);
  }
  return {
    rows: [...rowsOf(sqlite), ...(postgresql ? rowsOf(postgresql) : [["PostgreSQL", `not measured: ${postgresError}`] as Row])],
    goals: [...goalsOf(sqlite), ...(postgresql ? goalsOf(postgresql) : [holds("measured on PostgreSQL", false, postgresError ?? "")])],
    metrics: { ...sqlite, postgresql },
  };
}
