// runDetectors over a chain of synthetic 5,000-partition snapshots (lib/store's sizing fixture: 100 topics,
// every fifth transactional, 50 groups, 200 transactional ids of which a third are mid-transaction), each
// poll folding the previous poll's state, as the poller does.
import { gzipSync } from "node:zlib";
import { runDetectors, type DetectorState } from "@/lib/analysis";
import { FIXTURE_T0, makeLargeSnapshot } from "@/lib/store/test-fixtures";
import { below, kib, ms, spread, summarize, type BenchOutcome } from "./report";
import { BENCH_PARTITIONS as PARTITIONS, BENCH_POLL_INTERVAL_MS as INTERVAL_MS } from "./scale";

const POLLS = 40;
const GOAL_MS = 200;

export async function run(): Promise<BenchOutcome> {
  const durations: number[] = [];
  const cpuTimes: number[] = [];
  const findingCounts: number[] = [];
  let state: DetectorState | null = null;
  for (let i = 0; i < POLLS; i++) {
    const snapshot = makeLargeSnapshot(PARTITIONS, { pollIndex: i, collectedAt: FIXTURE_T0 + i * INTERVAL_MS });
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const result = runDetectors({ snapshot, previous: state, now: snapshot.collectedAt + snapshot.durationMs });
    const cpu = process.cpuUsage(cpuStart);
    durations.push(performance.now() - start);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
    state = result.state;
    findingCounts.push(result.findings.length);
  }
  const stateJson = JSON.stringify(state);
  const stateBytes = Buffer.byteLength(stateJson);
  const stateGzipBytes = gzipSync(stateJson).length;
  const perPoll = summarize(durations);
  // CPU time is what the detectors cost; wall time also holds whatever else the shared machine was doing.
  const cpuPerPoll = summarize(cpuTimes);

  return {
    rows: [
      ["snapshot chain", `${POLLS} polls x ${PARTITIONS.toLocaleString("en-US")} partitions, ${INTERVAL_MS / 1000} s apart`],
      ["runDetectors per poll", spread(perPoll)],
      ["CPU time per poll", spread(cpuPerPoll)],
      ["first poll (cold JIT)", ms(durations[0])],
      ["findings on the last poll", String(findingCounts.at(-1))],
      ["detector state (JSON)", `${kib(stateBytes)} (${kib(stateGzipBytes)} gzipped as stored)`],
    ],
    // Checked on CPU time: the machine is shared, and wall time there measures the neighbours as much as the detectors.
    goals: [below(`runDetectors median CPU time per poll at ${PARTITIONS} partitions`, cpuPerPoll.median, GOAL_MS, "ms")],
    metrics: {
      partitions: PARTITIONS,
      polls: POLLS,
      intervalMs: INTERVAL_MS,
      runDetectorsMs: perPoll,
      runDetectorsCpuMs: cpuPerPoll,
      firstPollMs: durations[0],
      findingsPerPoll: findingCounts,
      stateBytes,
      stateGzipBytes,
    },
  };
}
