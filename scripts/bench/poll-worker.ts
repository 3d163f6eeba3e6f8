// The collecting process of the poll benchmark: nothing but a warm ClusterCollector, so its memory figures are
// the collector's own (the benchmark's producers and consumers live in the parent). Right after each poll (warm-up ones
// included) it sends one protocol-floor round of each set over the collector's own connections: poll and floor meet
// the same load on this shared machine, which a floor measured minutes later does not.
// usage: node --expose-gc --import tsx scripts/bench/poll-worker.ts '{"brokers":["127.0.0.1:9092"],"polls":10,"warmupPolls":2}'
// Prints one JSON object (PollWorkerReport) on stdout.
import { appendFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { clusterConfig } from "@/lib/config/clusters";
import { ClusterCollector } from "@/lib/kafka/collector";
import type { ClusterSnapshot, PhaseName } from "@/lib/snapshot/types";
import { floorRound, type FloorRound, type FloorSet } from "./floor";

export interface PollWorkerRequest {
  brokers: string[];
  polls: number;
  warmupPolls: number;
  /** Every snapshot (warm-up ones included) is appended here as one JSON line, after its poll is timed. */
  snapshotsFile?: string;
}

export interface MemoryFigures {
  rss: number;
  heapUsed: number;
  external: number;
}

export interface MeasuredPoll {
  wallMs: number;
  /** CPU time of the collecting process during the poll: decoding and building the snapshot, not waiting. */
  cpuMs: number;
  complete: boolean;
  errors: string[];
  partitions: number;
  groups: number;
  transactions: number;
  requests: number;
  bytesSent: number;
  bytesReceived: number;
  snapshotJsonBytes: number;
  /** The floor rounds sent right after this poll, one per set, in FLOOR_SETS order. */
  floor: Record<FloorSet, FloorRound>;
  /** The machine's 1-minute load average when the poll ended. */
  loadAverage1m: number;
  phases: { name: PhaseName; durationMs: number; requests: number; bytesSent: number; bytesReceived: number }[];
}

export interface PollWorkerReport {
  /** After loading the collector's modules, before connecting. */
  baseline: MemoryFigures;
  /** After the warm-up polls (connections open, code compiled). */
  warm: MemoryFigures;
  /** After the measured polls, with no snapshot referenced any more. */
  after: MemoryFigures;
  peakRss: number;
  polls: MeasuredPoll[];
}

function memory(): MemoryFigures {
  globalThis.gc?.();
  const { rss, heapUsed, external } = process.memoryUsage();
  return { rss, heapUsed, external };
}

const FLOOR_SETS: FloorSet[] = ["poll", "cli"];

function describe(snapshot: ClusterSnapshot, wallMs: number, cpuMs: number, floor: MeasuredPoll["floor"]): MeasuredPoll {
  const sum = (field: "requests" | "bytesSent" | "bytesReceived") => snapshot.phases.reduce((n, p) => n + p[field], 0);
  return {
    wallMs,
    cpuMs,
    complete: snapshot.complete,
    errors: snapshot.phases.flatMap((p) => p.errors.map((e) => `${p.name}: ${e.code} ${e.message}`)),
    partitions: snapshot.topics.reduce((n, t) => n + t.partitions.length, 0),
    groups: snapshot.groups.length,
    transactions: snapshot.transactions.length,
    requests: sum("requests"),
    bytesSent: sum("bytesSent"),
    bytesReceived: sum("bytesReceived"),
    snapshotJsonBytes: Buffer.byteLength(JSON.stringify(snapshot)),
    floor,
    loadAverage1m: os.loadavg()[0],
    phases: snapshot.phases.map(({ name, durationMs, requests, bytesSent, bytesReceived }) => ({
      name,
      durationMs,
      requests,
      bytesSent,
      bytesReceived,
    })),
  };
}

const request = JSON.parse(process.argv[2]) as PollWorkerRequest;
const baseline = memory();
const collector = new ClusterCollector(clusterConfig({ name: "bench", brokers: request.brokers }));
const keep = (snapshot: ClusterSnapshot) => {
  if (request.snapshotsFile) appendFileSync(request.snapshotsFile, `${JSON.stringify(snapshot)}\n`);
};
/** One round of each floor set over the collector's connections, which the poll just used (warm). */
async function floorRounds(): Promise<MeasuredPoll["floor"]> {
  const rounds: Partial<MeasuredPoll["floor"]> = {};
  for (const set of FLOOR_SETS) rounds[set] = await floorRound(collector.protocol, set);
  return rounds as MeasuredPoll["floor"];
}

if (request.snapshotsFile) writeFileSync(request.snapshotsFile, "");
for (let i = 0; i < request.warmupPolls; i++) {
  keep(await collector.collect());
  await floorRounds();
}
const warm = memory();
let peakRss = warm.rss;
const polls: MeasuredPoll[] = [];
for (let i = 0; i < request.polls; i++) {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const snapshot = await collector.collect();
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  polls.push(describe(snapshot, wallMs, (cpu.user + cpu.system) / 1000, await floorRounds()));
  keep(snapshot);
}
const after = memory();
await collector.close();
const report: PollWorkerReport = { baseline, warm, after, peakRss, polls };
process.stdout.write(JSON.stringify(report), () => process.exit(0));
