// Where a missed goal's time goes, on the real snapshots a `shapes` run keeps (data/bench/shape-<name>.snapshots.jsonl):
// runs the detectors, or the detectors and recordPoll, over them under the V8 profiler and prints the functions
// with the most self time.
// usage: npx tsx scripts/bench/profile.ts [--shape 5k] [--store]
import { Session } from "node:inspector/promises";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { runDetectors, type DetectorState } from "@/lib/analysis";
import type { ClusterSnapshot } from "@/lib/snapshot/types";
import { recordPoll } from "@/lib/store/polls";
import { openTestDatabase } from "@/lib/store/test-database";
import { RESULTS_DIR } from "./report";
import { BENCH_POLL_INTERVAL_MS } from "./scale";
import { HEADLINE_SHAPE } from "./shape-build";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function (ms), highest first. */
function selfTimes(profile: Profile, top: number): string[] {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = byNode.get(id)!.callFrame;
    const key = `${frame.functionName || "(anonymous)"} ${frame.url.replace(/^.*\/(lib|node_modules)\//, "$1/")}:${frame.lineNumber + 1}`;
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...totals].sort((a, b) => b[1] - a[1]).slice(0, top).map(([key, ms]) => `${ms.toFixed(0).padStart(7)} ms  ${key}`);
}

const { values } = parseArgs({ options: { shape: { type: "string", default: HEADLINE_SHAPE }, store: { type: "boolean", default: false } } });
const file = path.join(RESULTS_DIR, `shape-${values.shape}.snapshots.jsonl`);
const snapshots = readFileSync(file, "utf8").trim().split("\n").map((line) => JSON.parse(line) as ClusterSnapshot);
const database = values.store ? await openTestDatabase() : null;
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.start");
let state: DetectorState | null = null;
const t0 = snapshots[0].collectedAt;
for (let i = 0; i < snapshots.length; i++) {
  const snapshot = { ...snapshots[i], collectedAt: t0 + i * BENCH_POLL_INTERVAL_MS };
  const result = runDetectors({ snapshot, previous: state, now: snapshot.collectedAt + snapshot.durationMs });
  state = result.state;
  if (database) await recordPoll(snapshot, result.findings, { analysisState: state }, database.db);
}
const { profile } = (await session.post("Profiler.stop")) as { profile: Profile };
await database?.dispose();
const out = path.join(RESULTS_DIR, `profile-${values.shape}${values.store ? "-store" : ""}.cpuprofile`);
writeFileSync(out, JSON.stringify(profile));
console.log(`${snapshots.length} polls of ${values.shape}; self time by function (profile: ${out}):\n${selfTimes(profile, 25).join("\n")}`);
