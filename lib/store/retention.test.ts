import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { recordPoll } from "./polls";
import { getPartitionRollups, getSnapshotAt, getTopicRollups } from "./queries";
import { pruneAndRollup } from "./retention";
import { openTestDatabase, type TestDatabase } from "./test-database";
import { FIXTURE_T0, makeSnapshot } from "./test-fixtures";

const HOUR = 3_600_000;
const MIN = 60_000;
let t: TestDatabase;

// Polls every 20 minutes from 12:00 to 14:00; the fixture's orders-p grows by 40 + p % 3 records a poll.
const at = (i: number) => FIXTURE_T0 + i * 20 * MIN;
const ordersGrowthPerPoll = [0, 1, 2, 3, 4, 5].reduce((sum, p) => sum + 40 + (p % 3), 0);

beforeEach(async () => {
  t = await openTestDatabase();
  for (let i = 0; i <= 6; i++) await recordPoll(makeSnapshot({ collectedAt: at(i), pollIndex: i }), [], {}, t.db);
});
afterEach(async () => {
  await t.dispose();
});

describe("pruneAndRollup", () => {
  it("rolls finished hours up, anchoring each hour's deltas on the previous poll", async () => {
    const report = await pruneAndRollup(new Date(FIXTURE_T0 + 2 * HOUR + 10 * MIN), undefined, t.db);
    expect(report.hourlyBuckets).toBe(2);
    expect(report.deleted.historyBlocks).toBe(0);

    const p0 = await getPartitionRollups("fixture", { topic: "orders", partition: 0, granularity: "hour", from: new Date(0), to: new Date(at(6)) }, t.db);
    // 12:00 has no earlier poll (12:00 → 12:40: 2 intervals); 13:00 counts from the 12:40 poll (3 intervals).
    expect(p0.map((r) => [r.bucketStart.getTime(), r.recordsIn, r.samples])).toEqual([
      [FIXTURE_T0, 80, 3],
      [FIXTURE_T0 + HOUR, 120, 4],
    ]);
    expect(p0[1].bytesDelta).toBe(120 * 180);

    const topics = await getTopicRollups("fixture", { topic: "orders", granularity: "hour", from: new Date(0), to: new Date(at(6)) }, t.db);
    expect(topics.map((r) => [r.recordsIn, r.partitionCount])).toEqual([
      [2 * ordersGrowthPerPoll, 6],
      [3 * ordersGrowthPerPoll, 6],
    ]);
    // The fixture group trails the LSO by 5 on every partition.
    expect(topics[0].maxGroupLag).toBe(5);

    const again = await pruneAndRollup(new Date(FIXTURE_T0 + 2 * HOUR + 10 * MIN), undefined, t.db);
    expect(again.hourlyBuckets).toBe(0);
  });

  it("deletes history past retention after rolling them up, and builds daily roll-ups", async () => {
    await pruneAndRollup(new Date(FIXTURE_T0 + 2 * HOUR + 10 * MIN), undefined, t.db);
    const now = new Date(FIXTURE_T0 + 49 * HOUR);
    const report = await pruneAndRollup(now, undefined, t.db);
    // The history of 12:00-12:40 is older than 48 h: 3 blocks (polls 20 min apart are all keyframes).
    expect(report.deleted.historyBlocks).toBe(3);
    expect(report.deleted.polls).toBe(0);
    expect(report.hourlyBuckets).toBe(1);
    expect(report.dailyBuckets).toBe(1);

    expect(await getSnapshotAt("fixture", new Date(at(1)), t.db)).toBeNull();
    expect((await getSnapshotAt("fixture", new Date(at(4)), t.db))!.pollId).toBeGreaterThan(0);

    const daily = await getTopicRollups("fixture", { topic: "orders", granularity: "day", from: new Date(0), to: now }, t.db);
    expect(daily.map((r) => r.recordsIn)).toEqual([6 * ordersGrowthPerPoll]);
  });
});
