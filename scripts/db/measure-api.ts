// Page-data loader timings at 5,000 partitions, in process (no HTTP): seeds a SQLite file once with polls of the
// synthetic snapshot through recordPoll (detector findings and state included, as the bench's API run does), then
// times the loaders behind the overview, findings, topics list, topic, group and transaction pages (now and with
// time travel to the oldest poll) and the other list pages: median and p95 of `--runs` calls each, after warm-up calls.
//   npx tsx scripts/db/measure-api.ts --db /tmp/api.db [--partitions 5000] [--polls 25] [--runs 20]
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { runDetectors, type DetectorState } from "@/lib/analysis";
import { useDatabase } from "@/lib/store/db";
import { migrateDeploy } from "@/lib/store/migrate";
import { recordPoll } from "@/lib/store/polls";
import { FIXTURE_T0, makeLargeSnapshot } from "@/lib/store/test-fixtures";
import {
  loadCapacity,
  loadCluster,
  loadClusters,
  loadFindings,
  loadGroup,
  loadGroups,
  loadHotPartitions,
  loadPipelines,
  loadTopic,
  loadTopics,
  loadTransaction,
  loadTransactions,
} from "@/lib/ui/server/loaders";

const { values } = parseArgs({
  options: {
    db: { type: "string", default: "/tmp/auditor-api.db" },
    partitions: { type: "string", default: "5000" },
    polls: { type: "string", default: "25" },
    runs: { type: "string", default: "20" },
  },
});
const partitions = Number(values.partitions);
const polls = Number(values.polls);
const runs = Number(values.runs);
const intervalMs = 15_000;
const url = `file:${values.db}`;

const seeded = existsSync(values.db!);
await migrateDeploy(url, undefined, () => {});
const db = await useDatabase(url);
if (!seeded) {
  let state: DetectorState | null = null;
  for (let i = 0; i < polls; i++) {
    const snapshot = makeLargeSnapshot(partitions, { pollIndex: i, collectedAt: FIXTURE_T0 + i * intervalMs });
    const result = runDetectors({ snapshot, previous: state, now: snapshot.collectedAt });
    state = result.state;
    await recordPoll(snapshot, result.findings, { analysisState: state }, db);
    console.error(`poll ${i + 1}/${polls}`);
  }
}

const first = makeLargeSnapshot(partitions, { pollIndex: 0, collectedAt: FIXTURE_T0 });
const cluster = first.cluster;
const topic = first.topics[0].name;
const groupId = first.groups[0].groupId;
const transactionalId = first.transactions[0].transactionalId;
const oldest = new Date(FIXTURE_T0);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];

async function time(read: () => Promise<unknown>) {
  for (let i = 0; i < 3; i++) await read();
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    bytes = JSON.stringify(await read()).length;
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { median: Math.round(percentile(times, 0.5)), p95: Math.round(percentile(times, 0.95)), bytes };
}

const loaders: Record<string, () => Promise<unknown>> = {
  overview: () => loadClusters(undefined),
  cluster: () => loadCluster(cluster, undefined),
  findings: () => loadFindings(cluster, undefined, "open"),
  "topics list": () => loadTopics(cluster, undefined),
  "topics list at oldest": () => loadTopics(cluster, oldest),
  topic: () => loadTopic(cluster, topic, undefined),
  "topic at oldest": () => loadTopic(cluster, topic, oldest),
  group: () => loadGroup(cluster, groupId, undefined),
  "group at oldest": () => loadGroup(cluster, groupId, oldest),
  transaction: () => loadTransaction(cluster, transactionalId, undefined),
  "transactions list": () => loadTransactions(cluster, undefined),
  "groups list": () => loadGroups(cluster, undefined),
  pipelines: () => loadPipelines(cluster, undefined),
  "hot partitions": () => loadHotPartitions(cluster, undefined, undefined),
  "capacity 7d": () => loadCapacity(cluster, "7d"),
};
const only = process.env.MEASURE_ONLY;
const report: Record<string, unknown> = { partitions, polls, runs };
for (const [name, read] of Object.entries(loaders)) {
  if (only && !name.startsWith(only)) continue;
  report[name] = await time(read);
  console.error(name, JSON.stringify(report[name]));
}
console.log(JSON.stringify(report, null, 2));
await db.$disconnect();
