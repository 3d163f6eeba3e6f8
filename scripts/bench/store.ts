// recordPoll latency and database growth at 5,000 partitions on a temp SQLite file, measured by the store's own
// sizing script (scripts/db/measure-growth.ts) so the benchmark and the script can never disagree.
import { runDetectors, type DetectorState } from "@/lib/analysis";
import { KEYFRAME_EVERY_POLLS } from "@/lib/store/history/codec";
import { measureGrowth } from "../db/measure-growth";
import { below, formatNumber, kib, ms, type BenchOutcome } from "./report";
import { BENCH_PARTITIONS as PARTITIONS, BENCH_POLL_INTERVAL_MS as INTERVAL_MS } from "./scale";

// 40 polls 15 s apart span 10 minutes, each with its history block (one keyframe, 39 deltas).
const POLLS = 40;
const GOAL_MS = 1_000;

export async function run(): Promise<BenchOutcome> {
  // The poller saves the detectors' fold of history with every poll (about 3 MiB of JSON at 5,000 partitions).
  let state: DetectorState | null = null;
  const withDetectorState = (snapshot: Parameters<typeof runDetectors>[0]["snapshot"]) => {
    state = runDetectors({ snapshot, previous: state, now: snapshot.collectedAt }).state;
    return { analysisState: state };
  };
  const report = await measureGrowth({ partitions: PARTITIONS, polls: POLLS, intervalMs: INTERVAL_MS, recordOptions: withDetectorState });
  const latency = report.recordPollMs;
  const blocks = report.historyBlockBytes;
  const reads = report.reads;
  const steady = Object.entries(report.steadyStateMB)
    .map(([part, mb]) => `${part} ${formatNumber(mb)}`)
    .join(", ");
  return {
    rows: [
      ["polls recorded", `${POLLS} x ${PARTITIONS.toLocaleString("en-US")} partitions, ${INTERVAL_MS / 1000} s apart, with detector state (${report.database})`],
      ["recordPoll, every poll", `median ${ms(latency.median)}, p95 ${ms(latency.p95)}, max ${ms(latency.max)}, first ${ms(latency.first)}`],
      ["history block", `keyframe ${kib(blocks.keyframe)}, delta ${kib(blocks.delta)} (a keyframe every ${blocks.keyframeEvery} polls)`],
      [
        "history reads (warm / cold cache)",
        `topic chart ${ms(reads.topicChart1hMs.warm)} / ${ms(reads.topicChart1hMs.cold)}, group chart ${ms(reads.groupChart1hMs.warm)} / ${ms(reads.groupChart1hMs.cold)} over ${reads.chartPolls} polls, ` +
          `time travel to a poll ${KEYFRAME_EVERY_POLLS - 1} past its keyframe ${ms(reads.timeTravelOldPollMs.warm)} / ${ms(reads.timeTravelOldPollMs.cold)}, ` +
          `a rolled-up hour's topic / group chart ${ms(reads.rolledUpHourMs.topicChart)} / ${ms(reads.rolledUpHourMs.groupChart)} ` +
          `(48 h ~${ms(reads.chart48hMsEstimate.topic)} / ${ms(reads.chart48hMsEstimate.group)})`,
      ],
      ["snapshot", `${kib(report.snapshot.rawBytes)} raw, ${kib(report.snapshot.gzipBytes)} gzipped`],
      ["roll-up of the first hour", `${ms(report.rollupOfFirstHourMs.cold)} (${report.rollupOfFirstHourMs.polls} polls, nothing decoded before)`],
      ["growth per day", `${formatNumber(report.growthPerDayMB)} MiB before retention`],
      ["retention steady state", `${formatNumber(report.steadyStateTotalMB)} MiB (${steady} MiB)`],
    ],
    goals: [below(`recordPoll p95 at ${PARTITIONS} partitions`, latency.p95, GOAL_MS, "ms")],
    metrics: { ...report },
  };
}
