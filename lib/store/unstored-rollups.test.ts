import { describe, expect, it } from "vitest";
import { recordPoll } from "./polls";
import { getTopicRollups, getTransactionRollups } from "./queries";
import { pruneAndRollup, unstoredRollups, type BucketRollup } from "./retention";
import { FIXTURE_T0, makeSnapshot } from "./test-fixtures";
import { useTestDatabase } from "./use-test-database";

const HOUR = 3_600_000;
const MIN = 60_000;
const t = useTestDatabase();

// Polls every 20 minutes from 12:00 to 14:00; the fixture's orders-p grows by 40 + p % 3 records a poll.
const at = (i: number) => FIXTURE_T0 + i * 20 * MIN;
const ordersGrowthPerPoll = [0, 1, 2, 3, 4, 5].reduce((sum, p) => sum + 40 + (p % 3), 0);
const NOW = new Date(FIXTURE_T0 + 2 * HOUR + 10 * MIN);

async function recordPolls(count: number) {
  for (let i = 0; i < count; i++) await recordPoll(makeSnapshot({ collectedAt: at(i), pollIndex: i }), [], {}, t.db);
}

const orders = (r: BucketRollup) => r.topics.find((topic) => topic.topic === "orders")!;
const storedCount = async () => (await t.db.topicRollup.count()) + (await t.db.partitionRollup.count()) + (await t.db.transactionRollup.count());

describe("unstoredRollups", () => {
  it("computes the first, unfinished hour and day of a fresh install from its samples, writing nothing", async () => {
    await recordPolls(3); // 12:00, 12:20, 12:40
    const hour = await unstoredRollups("fixture", new Date(FIXTURE_T0 + 50 * MIN), "hour", t.db);
    const day = await unstoredRollups("fixture", new Date(FIXTURE_T0 + 50 * MIN), "day", t.db);
    expect(hour.map((h) => h.bucketStart.getTime())).toEqual([FIXTURE_T0]);
    expect(Number(orders(hour[0]).recordsIn)).toBe(2 * ordersGrowthPerPoll);
    expect(hour[0].lastSampleAt?.getTime()).toBe(at(2));
    expect(orders(hour[0]).partitionCount).toBe(6);
    expect(day.map((d) => [d.bucketStart.getTime(), Number(orders(d).recordsIn)])).toEqual([[Date.UTC(2026, 0, 1), 2 * ordersGrowthPerPoll]]);
    expect(day[0].transactions.polls).toBe(hour[0].transactions.polls);
    expect(await storedCount()).toBe(0);
  });

  it("matches what the roll-up job stores for the finished hours, and anchors the current hour on the last poll before it", async () => {
    await recordPolls(7);
    const unstored = { hour: await unstoredRollups("fixture", NOW, "hour", t.db) };
    expect(unstored.hour.map((h) => h.bucketStart.getTime())).toEqual([FIXTURE_T0, FIXTURE_T0 + HOUR, FIXTURE_T0 + 2 * HOUR]);
    // 14:00 is one poll after 13:40: one interval so far.
    expect(Number(orders(unstored.hour[2]).recordsIn)).toBe(ordersGrowthPerPoll);

    await pruneAndRollup(NOW, undefined, t.db);
    const stored = await getTopicRollups("fixture", { topic: "orders", granularity: "hour", from: new Date(0), to: NOW }, t.db);
    expect(stored.map((r) => [r.bucketStart.getTime(), r.recordsIn, r.partitionCount, r.maxGroupLag])).toEqual(
      unstored.hour.slice(0, 2).map((h) => [h.bucketStart.getTime(), Number(orders(h).recordsIn), orders(h).partitionCount, Number(orders(h).maxGroupLag)]),
    );
    const storedTxns = await getTransactionRollups("fixture", { granularity: "hour", from: new Date(0), to: NOW }, t.db);
    expect(storedTxns.map((r) => r.polls)).toEqual(unstored.hour.slice(0, 2).map((h) => h.transactions.polls));

    // Once the job has stored 12:00 and 13:00, only the current hour is left; the day adds it to the stored hours.
    const after = { hour: await unstoredRollups("fixture", NOW, "hour", t.db), day: await unstoredRollups("fixture", NOW, "day", t.db) };
    expect(after.hour.map((h) => h.bucketStart.getTime())).toEqual([FIXTURE_T0 + 2 * HOUR]);
    expect(after.day.map((d) => Number(orders(d).recordsIn))).toEqual([6 * ordersGrowthPerPoll]);
    expect(after.day[0].transactions.polls).toBe(7);
    expect(after.day[0].lastSampleAt?.getTime()).toBe(at(6));
  });

  it("has nothing to show before the first sampled poll", async () => {
    await t.db.cluster.create({ data: { name: "fixture", brokers: "localhost:9092", createdAt: NOW } });
    expect(await unstoredRollups("fixture", NOW, "hour", t.db)).toEqual([]);
    expect(await unstoredRollups("fixture", NOW, "day", t.db)).toEqual([]);
  });
});
