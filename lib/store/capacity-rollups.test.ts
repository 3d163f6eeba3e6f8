// The capacity page's inputs as a long-running process reads them (the current hour's aggregate extended poll by
// poll, stored roll-ups kept between requests) against the same figures computed from scratch by a client that
// has read nothing before, after every poll: across hour boundaries, the hourly job, a retention prune and a
// restart (a new client).
import { afterEach, describe, expect, it } from "vitest";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "@/lib/time";
import { getCapacityRollups } from "./capacity-rollups";
import { createDb, type Db } from "./db";
import { recordPoll } from "./polls";
import { getPartitionRollups, getTopicRollups, type RollupGranularity } from "./queries";
import { pruneAndRollup, unstoredRollups } from "./retention";
import { DEFAULT_FIXTURE_TOPICS, FIXTURE_T0, makeSnapshot } from "./test-fixtures";
import { DEFAULT_RETENTION } from "./types";
import { useTestDatabase } from "./use-test-database";

const t = useTestDatabase();
const INTERVAL = 4 * MINUTE_MS;
const at = (i: number) => FIXTURE_T0 + i * INTERVAL;
// A topic that exists for a while only: partitions join and leave the aggregates' layout.
const LATE = { name: "late", partitions: 4, recordsPerPoll: 25 };
const topicsAt = (i: number) => (i >= 5 && i < 22 ? [...DEFAULT_FIXTURE_TOPICS, LATE] : DEFAULT_FIXTURE_TOPICS);

const clients: Db[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.$disconnect()));
});
function freshClient(): Db {
  const client = createDb(t.url);
  clients.push(client);
  return client;
}

/** What the capacity loader reads before this change: every stored row, partitions summed as it summed them. */
async function storedFromScratch(database: Db, query: { granularity: RollupGranularity; from: Date; to: Date }) {
  const topics = await getTopicRollups("fixture", query, database);
  const partitionRecords = new Map<string, Map<number, number>>();
  for (const r of await getPartitionRollups("fixture", query, database)) {
    const partitions = partitionRecords.get(r.topic) ?? new Map<number, number>();
    partitionRecords.set(r.topic, partitions);
    partitions.set(r.partition, (partitions.get(r.partition) ?? 0) + r.recordsIn);
  }
  return { topics, partitionRecords };
}

/** The capacity inputs of `process` at `now` equal those of a client that has read nothing yet. */
async function expectFromScratch(process: Db, now: Date, label: string) {
  // Its own connection pool, closed at once: one per check would exhaust PostgreSQL's max_connections.
  const reference = createDb(t.url);
  try {
    await compareWithReference(process, reference, now, label);
  } finally {
    await reference.$disconnect();
  }
}

async function compareWithReference(process: Db, reference: Db, now: Date, label: string) {
  for (const granularity of ["hour", "day"] as const) {
    expect(await unstoredRollups("fixture", now, granularity, process), `${label}: unstored ${granularity}s`).toEqual(
      await unstoredRollups("fixture", now, granularity, reference),
    );
  }
  for (const [granularity, span] of [["hour", DAY_MS], ["hour", 7 * DAY_MS], ["day", 30 * DAY_MS]] as const) {
    const query = { granularity, from: new Date(now.getTime() - span), to: now };
    const stored = await getCapacityRollups("fixture", query, process);
    const expected = await storedFromScratch(reference, query);
    const what = `${label}: stored ${granularity}s over ${span / HOUR_MS} h`;
    expect(stored.topics, what).toEqual(expected.topics);
    expect(stored.partitionRecords, what).toEqual(expected.partitionRecords);
  }
}

describe("capacity inputs kept between requests", () => {
  it("equal the from-scratch figures after every poll, across hours, the hourly job, a prune and a restart", async () => {
    let process = freshClient();
    const polls = 50; // 12:00 to 15:16: the job rolls 12:00 up at 13:20 and 13:00 at 14:20
    let hoursRolledUp = 0;
    let restarted = false;
    let pruned = 0;
    for (let i = 0; i < polls; i++) {
      await recordPoll(makeSnapshot({ collectedAt: at(i), pollIndex: i, topics: topicsAt(i) }), [], {}, process);
      const now = new Date(at(i) + MINUTE_MS);
      await expectFromScratch(process, now, `poll ${i}`);
      // The hourly job 20 minutes into each hour: until then the finished hour is computed from its blocks too.
      if ((at(i) - FIXTURE_T0) % HOUR_MS === 20 * MINUTE_MS) {
        const report = await pruneAndRollup(now, undefined, process);
        hoursRolledUp += report.hourlyBuckets;
        await expectFromScratch(process, now, `poll ${i}, after the hourly job`);
      }
      // A prune keeping only 30 minutes of polls, and later hourly partition roll-ups of 2 hours: blocks the
      // current hour's aggregate read and partition buckets the stored sums hold go.
      if (i === 35 || i === 45) {
        const report = await pruneAndRollup(now, { ...DEFAULT_RETENTION, samplesMs: 30 * MINUTE_MS, hourlyPartitionRollupsMs: i === 45 ? 2 * HOUR_MS : DAY_MS }, process);
        pruned += report.deleted.historyBlocks;
        await expectFromScratch(process, now, `poll ${i}, after a prune`);
      }
      if (i === 40) {
        process = freshClient();
        restarted = true;
      }
    }
    expect(hoursRolledUp).toBe(2);
    expect(pruned).toBeGreaterThan(0);
    expect(restarted).toBe(true);
    // The figures compared are not empty: the current hour and the stored hours carry records.
    const now = new Date(at(polls - 1) + MINUTE_MS);
    const stored = await getCapacityRollups("fixture", { granularity: "hour", from: new Date(now.getTime() - DAY_MS), to: now }, process);
    expect(stored.topics.filter((r) => r.topic === "orders" && r.recordsIn > 0).length).toBeGreaterThanOrEqual(2);
    expect(stored.partitionRecords.get("orders")?.size).toBe(6);
    const [current] = await unstoredRollups("fixture", now, "hour", process);
    expect(current.topics.find((r) => r.topic === "orders")?.recordsIn).toBeGreaterThan(0n);
  }, 300_000);
});
