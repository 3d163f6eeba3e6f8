// Capacity page-data timings at 5,000 partitions: seeds a database once (SQLite file or a PostgreSQL URL) with
// `--hours` of per-poll history blocks of the synthetic snapshot (one poll every 15 s, ending `--minutes` into an
// hour, the hourly roll-up job run as the poller does) and hourly roll-ups reaching back `--rollup-days` (the hours
// before the history copied from its first rolled-up hour), then times the capacity loader (7 days) with "now"
// pinned just after the last poll: "static" calls with no poll in between, and "polling" calls each after one more
// poll written as the poller writes it (not timed). Median and p95 of `--runs` calls each, after warm-up calls.
//   npx tsx scripts/db/measure-capacity.ts --db /tmp/capacity.db | --url postgresql://… [--partitions 5000] [--hours 48] [--seed-only]
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { useDatabase, type Db } from "@/lib/store/db";
import { writeHistoryBlock } from "@/lib/store/history";
import { migrateDeploy } from "@/lib/store/migrate";
import { recordPoll } from "@/lib/store/polls";
import { pruneAndRollup } from "@/lib/store/retention";
import { makeLargeSnapshot } from "@/lib/store/test-fixtures";
import { loadCapacity } from "@/lib/ui/server/loaders";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "@/lib/time";

const { values } = parseArgs({
  options: {
    db: { type: "string" },
    url: { type: "string" },
    partitions: { type: "string", default: "5000" },
    hours: { type: "string", default: "48" },
    minutes: { type: "string", default: "50" },
    "rollup-days": { type: "string", default: "7" },
    runs: { type: "string", default: "20" },
    warmup: { type: "string", default: "3" },
    "seed-only": { type: "boolean", default: false },
  },
});
const partitions = Number(values.partitions);
const intervalMs = 15_000;
const runs = Number(values.runs);
// The last seeded poll: `--minutes` into an hour, so the current hour holds that many minutes of polls.
const END = Date.UTC(2026, 5, 10, 0, 0, 0) + Number(values.minutes) * MINUTE_MS;
const START = END - Number(values.hours) * HOUR_MS;
const url = values.url ?? `file:${values.db ?? "/tmp/auditor-capacity.db"}`;
const seeded = values.url ? false : existsSync(values.db ?? "/tmp/auditor-capacity.db");

await migrateDeploy(url, undefined, () => {});
const db = await useDatabase(url);
const cluster = makeLargeSnapshot(partitions, { pollIndex: 0, collectedAt: START }).cluster;

/** One poll as the poller stores it for capacity: a poll row with its open-transaction figures, and its block. */
async function writePoll(db: Db, i: number) {
  const at = START + i * intervalMs;
  const snapshot = makeLargeSnapshot(partitions, { pollIndex: i, collectedAt: at });
  const block = await db.$transaction(async (tx) => {
    const poll = await tx.poll.create({
      data: {
        clusterId: 1,
        startedAt: new Date(at),
        durationMs: 100,
        complete: true,
        phases: [],
        requestCount: 1,
        errorCount: 0,
        partitionCount: partitions,
        sampled: true,
        openTxnCount: 67,
        sumOpenTxnMs: 67n * 2_000n,
        maxOpenTxnMs: 2_000n,
      },
    });
    return writeHistoryBlock(tx, db, 1, { id: poll.id, at: new Date(at) }, snapshot);
  });
  block?.committed();
}

const polls = Math.round((END - START) / intervalMs) + 1;
if (!seeded && (await db.poll.count()) === 0) {
  const started = performance.now();
  for (let i = 0; i < polls; i++) {
    const at = START + i * intervalMs;
    if (i === 0) await recordPoll(makeLargeSnapshot(partitions, { pollIndex: 0, collectedAt: at }), [], {}, db);
    else await writePoll(db, i);
    // The hourly job, a minute into each hour.
    if (at % HOUR_MS === HOUR_MS - intervalMs) await pruneAndRollup(new Date(at + MINUTE_MS), undefined, db);
    if (i % 500 === 0) console.error(`poll ${i}/${polls} ${Math.round((performance.now() - started) / 1000)} s`);
  }
  // Roll-ups older than the history: copies of the first rolled-up hour, in SQL (840,000 rows at 5,000 partitions).
  const first = await db.topicRollup.findFirst({ where: { granularity: "hour" }, orderBy: { bucketStart: "asc" }, select: { bucketStart: true } });
  if (first) {
    const firstMs = first.bucketStart.getTime();
    const postgres = url.startsWith("postgres");
    const columns: Record<string, string[]> = {
      PartitionRollup: ["topic", "partition", "recordsIn", "bytesDelta", "maxSizeBytes", "maxLsoGap", "maxGroupLag", "maxOpenTxns", "samples"],
      TopicRollup: ["topic", "partitionCount", "recordsIn", "bytesDelta", "maxSizeBytes", "maxLsoGap", "maxGroupLag", "maxOpenTxns"],
      TransactionRollup: ["observedCommits", "observedAborts", "activeIds", "polls", "openSamples", "sumOpenMs", "maxOpenMs", "maxOpenTxns"],
    };
    const oldest = END - Number(values["rollup-days"]) * DAY_MS;
    for (let hours = 1; firstMs - hours * HOUR_MS >= oldest - HOUR_MS; hours++) {
      for (const [table, own] of Object.entries(columns)) {
        const list = ["clusterId", "granularity", ...own].map((c) => `"${c}"`).join(", ");
        const at = postgres ? `to_timestamp(${firstMs / 1000})::timestamp` : String(firstMs);
        const shifted = postgres ? `"bucketStart" - interval '${hours} hours'` : `"bucketStart" - ${hours * HOUR_MS}`;
        await db.$executeRawUnsafe(
          `INSERT INTO "${table}" (${list}, "bucketStart") SELECT ${list}, ${shifted} FROM "${table}" WHERE "granularity" = 'hour' AND "bucketStart" = ${at}`,
        );
      }
    }
  }
  console.error(`seeded in ${Math.round((performance.now() - started) / 1000)} s`);
}

if (values["seed-only"]) process.exit(0);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
/** Index of the next poll to write. */
let next = await db.poll.count();

async function time(between: (() => Promise<void>) | null) {
  // Now: 10 s after the newest poll.
  const read = () => loadCapacity(cluster, "7d", new Date(START + (next - 1) * intervalMs + 10_000));
  for (let i = 0; i < Number(values.warmup); i++) await read();
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    if (between) await between();
    const start = performance.now();
    bytes = JSON.stringify(await read()).length;
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { median: Math.round(percentile(times, 0.5)), p95: Math.round(percentile(times, 0.95)), bytes };
}

const report: Record<string, unknown> = { url: url.replace(/\/\/[^@]*@/, "//"), partitions, blocks: await db.historyBlock.count(), partitionRollups: await db.partitionRollup.count() };
report.static = await time(null);
console.error("static", JSON.stringify(report.static));
report.polling = await time(async () => {
  await writePoll(db, next);
  next += 1;
});
console.error("polling", JSON.stringify(report.polling));
console.log(JSON.stringify(report, null, 2));
await db.$disconnect();
