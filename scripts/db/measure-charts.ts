// Chart and time-travel API timings over 48 h of per-poll history: seeds a SQLite file once (a cluster of
// `--partitions` partitions in topics of 50, one poll every `--interval-ms`, the hourly roll-up run as the poller
// does), then times the loaders behind the topic and group chart APIs for 1 h, 6 h and 48 h windows, warm (the
// client's decoded-block cache holding what the poller wrote) and cold (cache emptied), with response sizes,
// and time travel to the oldest and the newest kept poll: median and slowest of 7 calls.
//   npx tsx scripts/db/measure-charts.ts --db /tmp/charts.db [--partitions 500] [--hours 48]
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { useDatabase } from "@/lib/store/db";
import { migrateDeploy } from "@/lib/store/migrate";
import { recordPoll } from "@/lib/store/polls";
import { writeHistoryBlock } from "@/lib/store/history";
import { forgetDecodedBlocks } from "@/lib/store/history/cache";
import { pruneAndRollup } from "@/lib/store/retention";
import { FIXTURE_T0, makeLargeSnapshot } from "@/lib/store/test-fixtures";
import { loadGroupHistory, loadTopic, loadTopicHistory } from "@/lib/ui/server/loaders";
import { HOUR_MS } from "@/lib/time";

const { values } = parseArgs({
  options: {
    db: { type: "string", default: "/tmp/auditor-charts.db" },
    partitions: { type: "string", default: "500" },
    hours: { type: "string", default: "48" },
    "interval-ms": { type: "string", default: "15000" },
  },
});
const partitions = Number(values.partitions);
const intervalMs = Number(values["interval-ms"]);
const polls = (Number(values.hours) * HOUR_MS) / intervalMs;
const url = `file:${values.db}`;
const lastAt = FIXTURE_T0 + (polls - 1) * intervalMs;

const seeded = existsSync(values.db!);
await migrateDeploy(url, undefined, () => {});
const db = await useDatabase(url);
if (!seeded) {
  const started = performance.now();
  for (let i = 0; i < polls; i++) {
    const at = FIXTURE_T0 + i * intervalMs;
    const snapshot = makeLargeSnapshot(partitions, { pollIndex: i, collectedAt: at });
    if (i === 0) await recordPoll(snapshot, [], {}, db);
    else {
      // What charts read (a poll row and its block), without the rest of recordPoll: 11,520 full polls take an hour.
      const block = await db.$transaction(async (tx) => {
        const poll = await tx.poll.create({
          data: { clusterId: 1, startedAt: new Date(at), durationMs: 100, complete: true, phases: [], requestCount: 1, errorCount: 0, partitionCount: partitions, sampled: true },
        });
        return writeHistoryBlock(tx, db, 1, { id: poll.id, at: new Date(at) }, snapshot);
      });
      block?.committed();
    }
    // The hourly job, a minute into each hour.
    if ((at - FIXTURE_T0) % HOUR_MS === HOUR_MS - intervalMs) await pruneAndRollup(new Date(at + 60_000), undefined, db);
    if (i % 1000 === 0) console.error(`poll ${i}/${polls} ${Math.round((performance.now() - started) / 1000)} s`);
  }
}

const first = makeLargeSnapshot(partitions, { pollIndex: 0, collectedAt: FIXTURE_T0 });
const topic = first.topics[0].name;
const groupId = first.groups[0].groupId;

async function time(read: () => Promise<unknown>, cold: boolean) {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 7; i++) {
    if (cold) forgetDecodedBlocks(db);
    const start = performance.now();
    bytes = JSON.stringify(await read()).length;
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { ms: Math.round(times[3]), maxMs: Math.round(times[6]), bytes };
}

const report: Record<string, unknown> = { partitions, polls, intervalMs, topic, groupId };
for (const hours of [1, 6, 48]) {
  const range = { to: new Date(lastAt), windowMs: hours * HOUR_MS };
  for (const cold of [false, true]) {
    const key = `${hours}h ${cold ? "cold" : "warm"}`;
    report[`topic ${key}`] = await time(() => loadTopicHistory("fixture", topic, { ...range, partition: 7 }), cold);
    report[`group ${key}`] = await time(() => loadGroupHistory("fixture", groupId, range), cold);
  }
}
const oldest = new Date(FIXTURE_T0 + 19 * intervalMs);
report["time travel (oldest chain) cold"] = await time(() => loadTopic("fixture", topic, oldest), true);
report["time travel (oldest chain) warm"] = await time(() => loadTopic("fixture", topic, oldest), false);
report["time travel (newest) cold"] = await time(() => loadTopic("fixture", topic, new Date(lastAt)), true);
report["time travel (newest) warm"] = await time(() => loadTopic("fixture", topic, new Date(lastAt)), false);
console.log(JSON.stringify(report, null, 2));
await db.$disconnect();
