import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { ClusterSnapshot } from "@/lib/snapshot/types";
import { bulkInsert } from "../bulk";
import { createDb, kindOf, Prisma } from "../db";
import { migrateDeploy } from "../migrate";
import { recordPoll } from "../polls";
import { pruneAndRollup } from "../retention";
import { openTestDatabase } from "../test-database";
import { fixtureGroup, fixturePollAt as at, FIXTURE_T0, makeSnapshot } from "../test-fixtures";
import { useTestDatabase } from "../use-test-database";
import { KEYFRAME_EVERY_POLLS } from "./codec";
import { getGroupLagSeries, getPartitionHistory, getPartitionValuesAt, getSnapshotAt, pruneHistory } from "./index";

const t = useTestDatabase();

/** Poll `i` of a cluster whose shape changes along the way (a topic appears, a group goes, a transaction opens). */
function changingSnapshot(i: number): ClusterSnapshot {
  const snapshot = makeSnapshot({ collectedAt: at(i), pollIndex: i });
  if (i >= 10) snapshot.topics.push({ name: "late", internal: false, configs: {}, partitions: [{ ...snapshot.topics[0].partitions[0], partition: 0, highWatermark: 50 + i }] });
  if (i >= 20) snapshot.groups = [];
  if (i % 7 === 3) snapshot.topics[1].partitions[0].lastStableOffset = null;
  if (i >= 30) snapshot.transactions[0] = { ...snapshot.transactions[0], state: "Ongoing", transactionStartTimeMs: at(30) };
  return snapshot;
}

const keyframes = async (database = t.db) => (await database.historyBlock.findMany({ where: { keyframe: true }, orderBy: { startedAt: "asc" } })).map((b) => b.startedAt.getTime());

describe("history blocks", () => {
  it("time-travels to every kept poll exactly, across keyframes and layout changes", async () => {
    const polls = KEYFRAME_EVERY_POLLS + 5;
    for (let i = 0; i < polls; i++) await recordPoll(changingSnapshot(i), [], {}, t.db);
    expect(await keyframes()).toEqual([at(0), at(KEYFRAME_EVERY_POLLS)]);
    for (let i = 0; i < polls; i++) {
      const stored = await getSnapshotAt("fixture", new Date(at(i) + 1), t.db);
      expect(stored!.snapshot).toEqual(changingSnapshot(i));
      // The columns-only read gives the same offsets.
      const values = await getPartitionValuesAt("fixture", new Date(at(i) + 1), t.db);
      const p = changingSnapshot(i).topics[1].partitions[0];
      expect(values!.valuesOf(changingSnapshot(i).topics[1].name, 0)).toMatchObject({ hw: p.highWatermark, lso: p.lastStableOffset, sizeBytes: p.sizeBytes });
      expect(values!.valuesOf("late", 0) === undefined).toBe(i < 10);
    }
    const late = await getPartitionHistory("fixture", { topic: "late", from: new Date(at(0)), to: new Date(at(polls)) }, t.db);
    expect(late.map((p) => p.hw)).toEqual(Array.from({ length: polls - 10 }, (_, k) => 60 + k));
    const lag = await getGroupLagSeries("fixture", { groupId: "orders-consumer", from: new Date(at(0)), to: new Date(at(polls)) }, t.db);
    // The group commits 5 short of each partition's LSO until it disappears at poll 20.
    expect(lag.map((p) => p.at.getTime())).toEqual(Array.from({ length: 20 }, (_, i) => at(i)));
    expect(lag.every((p) => p.lag === 30)).toBe(true);
  });

  it("starts a new chain with a keyframe when the writer did not write the newest block (a restart, another replica)", async () => {
    const own = await openTestDatabase();
    const restarted = createDb(own.url);
    const snapshot = (i: number, collectedAt = at(i)) => makeSnapshot({ collectedAt, pollIndex: i });
    try {
      await recordPoll(snapshot(0), [], {}, own.db);
      await recordPoll(snapshot(1), [], {}, own.db);
      await recordPoll(snapshot(2), [], {}, restarted);
      // The first client's last block (poll 1) is no longer the newest: a keyframe again, then deltas.
      await recordPoll(snapshot(3), [], {}, own.db);
      await recordPoll(snapshot(4), [], {}, own.db);
      // A poll older than the newest block (a clock stepped back) keeps no history: it would break a chain.
      expect((await recordPoll(snapshot(9, at(4) - 5_000), [], {}, own.db)).sampled).toBe(false);
      await recordPoll(snapshot(5), [], {}, own.db);
      expect(await keyframes(own.db)).toEqual([at(0), at(2), at(3)]);
      for (const i of [0, 1, 2, 3, 4, 5]) expect((await getSnapshotAt("fixture", new Date(at(i)), own.db))!.snapshot).toEqual(snapshot(i));
      expect((await getSnapshotAt("fixture", new Date(at(4) - 1), own.db))!.snapshot).toEqual(snapshot(3));
    } finally {
      await restarted.$disconnect();
      await own.dispose();
    }
  });

  it("prunes only whole chains: every block left still decodes", async () => {
    const polls = 2 * KEYFRAME_EVERY_POLLS + 3;
    for (let i = 0; i < polls; i++) await recordPoll(makeSnapshot({ collectedAt: at(i), pollIndex: i }), [], {}, t.db);
    // A cut-off inside the second chain keeps that chain from its keyframe on.
    expect(await pruneHistory(t.db, new Date(at(KEYFRAME_EVERY_POLLS + 7)))).toBe(KEYFRAME_EVERY_POLLS);
    expect(await getSnapshotAt("fixture", new Date(at(KEYFRAME_EVERY_POLLS - 1)), t.db)).toBeNull();
    for (const i of [KEYFRAME_EVERY_POLLS, KEYFRAME_EVERY_POLLS + 7, polls - 1]) {
      expect((await getSnapshotAt("fixture", new Date(at(i)), t.db))!.snapshot).toEqual(makeSnapshot({ collectedAt: at(i), pollIndex: i }));
    }
    const history = await getPartitionHistory("fixture", { topic: "orders", partition: 0, from: new Date(0), to: new Date(at(polls)) }, t.db);
    expect(history).toHaveLength(polls - KEYFRAME_EVERY_POLLS);
  });
});

describe("hour rows", () => {
  // Polls every 2 minutes from 12:00 to 14:10: the hours 12:00 and 13:00 finish.
  const MIN = 60_000;
  const HOUR = 60 * MIN;
  const pollAt = (i: number) => FIXTURE_T0 + i * 2 * MIN;
  const POLLS = 66;
  const HOSTILE = 'g"<b>/ &';
  function snapshot(i: number): ClusterSnapshot {
    const s = makeSnapshot({ collectedAt: pollAt(i), pollIndex: i });
    // A partition missing from three polls, a topic appearing mid-hour, offsets becoming unknown.
    if (i >= 10 && i < 13) s.topics[0].partitions.splice(1, 1);
    if (i >= 40) s.topics.push({ name: "late", internal: false, configs: {}, partitions: [{ ...s.topics[0].partitions[0], partition: 0, highWatermark: 2 ** 52 + i }] });
    if (i % 9 === 4) s.topics[0].partitions[0].lastStableOffset = null;
    // A group with a hostile id that commits on two topics, then only one.
    s.groups.push(fixtureGroup(HOSTILE, [{ topic: "orders", partition: 0, offset: 10 + i }, ...(i < 50 ? [{ topic: "payments", partition: 1, offset: 3 * i }] : [])]));
    return s;
  }
  const charts = (database = t.db, from = new Date(0), to = new Date(pollAt(POLLS))) =>
    Promise.all([
      getPartitionHistory("fixture", { topic: "orders", from, to }, database),
      getPartitionHistory("fixture", { topic: "orders", partition: 1, from, to }, database),
      getPartitionHistory("fixture", { topic: "late", from, to }, database),
      getGroupLagSeries("fixture", { groupId: "orders-consumer", from, to }, database),
      getGroupLagSeries("fixture", { groupId: "orders-consumer", topic: "payments", from, to }, database),
      getGroupLagSeries("fixture", { groupId: HOSTILE, from, to }, database),
    ]);

  it("hold exactly the points the blocks of their hour hold, and charts read them once the blocks are gone", async () => {
    for (let i = 0; i < POLLS; i++) await recordPoll(snapshot(i), [], {}, t.db);
    const fromBlocks = await charts();
    expect(fromBlocks[0].filter((p) => p.partition === 1)).toHaveLength(POLLS - 3);
    expect(fromBlocks[2]).toHaveLength(POLLS - 40);
    // Both topics until poll 50, then orders only; orders has no lag at the 7 polls its LSO is unknown.
    expect(fromBlocks[5]).toHaveLength(50 * 2 + (POLLS - 50) - 7);

    expect((await pruneAndRollup(new Date(FIXTURE_T0 + 2 * HOUR + 15 * MIN), undefined, t.db)).hourlyBuckets).toBe(2);
    const rows = await t.db.historyHour.findMany();
    const topics = makeSnapshot().topics.map((x) => x.name).sort();
    const groups = [...makeSnapshot().groups.map((g) => g.groupId), HOSTILE].sort();
    // Sorted here: PostgreSQL's collation orders punctuation differently.
    const byKey = (a: string, b: string) => a.localeCompare(b);
    const key = (hour: number, kind: string, name: string) => JSON.stringify([hour, kind, name]);
    const expected = [[FIXTURE_T0, topics], [FIXTURE_T0 + HOUR, ["late", ...topics].sort()]] as const;
    expect(rows.map((r) => key(r.bucketStart.getTime(), r.kind, r.name)).sort(byKey)).toEqual(
      expected.flatMap(([hour, names]) => [...groups.map((name) => key(hour, "group", name)), ...names.map((name) => key(hour, "topic", name))]).sort(byKey),
    );
    // Rows for the finished hours, blocks for 14:00 on; a fresh client has no decoded block cached.
    const fresh = createDb(t.url);
    try {
      expect(await charts(fresh)).toEqual(fromBlocks);
      const from = new Date(pollAt(15) + 1);
      const to = new Date(pollAt(52));
      const inRange = (points: { at: Date }[]) => points.filter((p) => p.at >= from && p.at <= to);
      expect(await charts(fresh, from, to)).toEqual(fromBlocks.map(inRange));
      // Without the blocks of 12:00-12:50 the chart still has every poll of that hour, from its rows.
      expect(await pruneHistory(fresh, new Date(FIXTURE_T0 + HOUR))).toBeGreaterThan(0);
      expect(await getSnapshotAt("fixture", new Date(pollAt(3)), fresh)).toBeNull();
      expect(await charts(fresh)).toEqual(fromBlocks);
    } finally {
      await fresh.$disconnect();
    }
  });

  it("are pruned once their whole hour is past the cut-off", async () => {
    for (let i = 0; i < POLLS; i++) await recordPoll(snapshot(i), [], {}, t.db);
    await pruneAndRollup(new Date(FIXTURE_T0 + 2 * HOUR + 15 * MIN), undefined, t.db);
    const hours = async () => [...new Set((await t.db.historyHour.findMany()).map((r) => r.bucketStart.getTime()))].sort();
    // A cut-off inside an hour keeps that hour's rows (it still has polls after the cut-off).
    await pruneHistory(t.db, new Date(FIXTURE_T0 + 30 * MIN));
    expect(await hours()).toEqual([FIXTURE_T0, FIXTURE_T0 + HOUR]);
    await pruneHistory(t.db, new Date(FIXTURE_T0 + HOUR + 30 * MIN));
    expect(await hours()).toEqual([FIXTURE_T0 + HOUR]);
  });
});

// The sample tables as the release before history blocks wrote them.
const PARTITION_SAMPLE_COLUMNS = {
  pollId: "int", topic: "text", partition: "int", logStart: "bigint", hw: "bigint", lso: "bigint",
  sizeBytes: "bigint", leader: "int", isrCount: "int", replicaCount: "int", openTxnCount: "int",
} as const;
const GROUP_OFFSET_SAMPLE_COLUMNS = { pollId: "int", groupId: "text", topic: "text", partition: "int", committed: "bigint", lso: "bigint", hw: "bigint" } as const;

describe("upgrade from per-row samples", () => {
  it("moves every stored sample and snapshot into history blocks, answering every chart and time travel as before", async () => {
    const legacy = await openTestDatabase({ migrationsBefore: "_history_blocks" });
    try {
      const database = legacy.db;
      const kind = kindOf(database);
      // NUL too: Kafka accepts it in group ids (PostgreSQL holds it escaped, see stored-text.ts).
      const hostile = 'grp"<b>/ &\u0000';
      const snapshots = Array.from({ length: 50 }, (_, i) => {
        const s = makeSnapshot({ collectedAt: FIXTURE_T0 + i * 60_000, pollIndex: i });
        s.groups.push(fixtureGroup(hostile, [{ topic: "payments", partition: 1, offset: 1_000 + i }]));
        return s;
      });
      const cluster = await database.cluster.create({ data: { name: "fixture", brokers: "b:9092", createdAt: new Date(FIXTURE_T0) } });
      for (const [i, s] of snapshots.entries()) {
        const poll = await database.poll.create({
          data: { clusterId: cluster.id, startedAt: new Date(s.collectedAt), durationMs: 100, complete: true, phases: [], requestCount: 1, errorCount: 0, partitionCount: 11, sampled: true },
        });
        const u = (n: number | null) => (n === null ? null : BigInt(n));
        await bulkInsert(database, kind, "PartitionSample", PARTITION_SAMPLE_COLUMNS, s.topics.flatMap((topic) => topic.partitions.map((p) => ({
          pollId: poll.id, topic: topic.name, partition: p.partition, logStart: u(p.logStartOffset), hw: u(p.highWatermark), lso: u(p.lastStableOffset),
          sizeBytes: u(p.sizeBytes), leader: p.leader, isrCount: p.isr.length, replicaCount: p.replicas.length,
          openTxnCount: p.producers === null ? null : p.producers.filter((x) => x.currentTxnStartOffset >= 0).length,
        }))));
        await bulkInsert(database, kind, "GroupOffsetSample", GROUP_OFFSET_SAMPLE_COLUMNS, s.groups.flatMap((g) => g.offsets.map((o) => {
          const p = s.topics.find((x) => x.name === o.topic)!.partitions[o.partition];
          return { pollId: poll.id, groupId: g.groupId, topic: o.topic, partition: o.partition, committed: BigInt(o.offset), lso: u(p.lastStableOffset), hw: u(p.highWatermark) };
        })));
        // The last poll kept samples only (a snapshot retention shorter than the samples').
        if (i < snapshots.length - 1) {
          await database.$executeRaw(Prisma.sql`INSERT INTO "SnapshotBlob" ("pollId", "gzip", "rawBytes") VALUES (${poll.id}, ${gzipSync(JSON.stringify(s))}, ${1})`);
        }
      }
      const lines: string[] = [];
      await migrateDeploy(legacy.url, undefined, (line) => lines.push(line));
      expect(lines).toContain("moved the samples of 50 poll(s) into history blocks");

      const range = { from: new Date(0), to: new Date(FIXTURE_T0 + 3_600_000) };
      for (const s of snapshots.slice(0, -1)) expect((await getSnapshotAt("fixture", new Date(s.collectedAt), database))!.snapshot).toEqual(s);
      const last = snapshots.at(-1)!;
      const fromSamples = (await getSnapshotAt("fixture", new Date(last.collectedAt), database))!.snapshot;
      // Samples never kept the order of topics: compare by name.
      const offsets = (x: ClusterSnapshot) =>
        [...x.topics].sort((a, b) => a.name.localeCompare(b.name)).map((topic) => topic.partitions.map((p) => [p.highWatermark, p.lastStableOffset, p.sizeBytes, p.leader, p.isr.length]));
      expect(offsets(fromSamples)).toEqual(offsets(last));
      expect(fromSamples.complete).toBe(false);
      for (const topic of last.topics) {
        const history = await getPartitionHistory("fixture", { topic: topic.name, ...range }, database);
        expect(history.map((p) => [p.at.getTime(), p.partition, p.hw, p.lso, p.sizeBytes, p.logStart, p.leader, p.isrCount, p.replicaCount, p.openTxnCount])).toEqual(
          snapshots.flatMap((s) => s.topics.find((x) => x.name === topic.name)!.partitions.map((p) => [
            s.collectedAt, p.partition, p.highWatermark, p.lastStableOffset, p.sizeBytes, p.logStartOffset, p.leader, p.isr.length, p.replicas.length,
            p.producers === null ? null : p.producers.filter((x) => x.currentTxnStartOffset >= 0).length,
          ])),
        );
      }
      const lag = await getGroupLagSeries("fixture", { groupId: hostile, ...range }, database);
      expect(lag.map((p) => p.lag)).toEqual(snapshots.map((s, i) => s.topics[1].partitions[1].lastStableOffset! - (1_000 + i)));
      // Roll-ups read the moved history like the samples before.
      expect((await pruneAndRollup(new Date(FIXTURE_T0 + 2 * 3_600_000), undefined, database)).hourlyBuckets).toBe(1);
    } finally {
      await legacy.dispose();
    }
  });
});
