// Measures what the store costs at scale: recordPoll latency and database growth for a synthetic cluster,
// extrapolated to a day and to the retention steady state. `measureGrowth` is also used by `npm run bench -- store`.
//
// usage: npm exec tsx scripts/db/measure-growth.ts -- [--partitions 5000] [--polls 40] [--interval-ms 15000]
//   DATABASE_URL=postgresql://... measures an (empty, throw-away) PostgreSQL database instead of a temp SQLite file.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { createDb, databaseKind, type Db } from "@/lib/store/db";
import { migrateDeploy } from "@/lib/store/migrate";
import { recordPoll } from "@/lib/store/polls";
import { getGroupLagSeries, getPartitionHistory, getSnapshotAt } from "@/lib/store/history";
import { forgetDecodedBlocks } from "@/lib/store/history/cache";
import { KEYFRAME_EVERY_POLLS } from "@/lib/store/history/codec";
import { pruneAndRollup } from "@/lib/store/retention";
import { FIXTURE_T0, makeLargeSnapshot } from "@/lib/store/test-fixtures";
import { DEFAULT_RETENTION, type RecordPollOptions } from "@/lib/store/types";
import type { ClusterSnapshot } from "@/lib/snapshot/types";
import { DAY_MS, HOUR_MS } from "@/lib/time";

export interface GrowthOptions {
  partitions: number;
  polls: number;
  intervalMs: number;
  /** A throw-away PostgreSQL database; without it a temp SQLite file is created and deleted. */
  postgresUrl?: string;
  /** Per-poll recordPoll options (e.g. the detectors' analysisState, as the poller stores it); computed untimed. */
  recordOptions?: (snapshot: ClusterSnapshot) => RecordPollOptions;
}

const MB = 1024 * 1024;

/** Bytes of each table with its indexes (SQLite: pages in use after a WAL checkpoint, free pages not counted). */
export async function tableBytes(db: Db, kind: "sqlite" | "postgresql"): Promise<Map<string, number>> {
  if (kind === "sqlite") {
    await db.$queryRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");
    // dbstat attributes every page (tables and their indexes) to its table.
    const rows = await db.$queryRawUnsafe<{ name: string; tbl: string; bytes: number | bigint }[]>(
      `SELECT s.name AS name, COALESCE(m.tbl_name, s.name) AS tbl, SUM(s.pgsize) AS bytes
       FROM dbstat s LEFT JOIN sqlite_master m ON m.name = s.name GROUP BY s.name`,
    );
    const byTable = new Map<string, number>();
    for (const r of rows) byTable.set(r.tbl, (byTable.get(r.tbl) ?? 0) + Number(r.bytes));
    return byTable;
  }
  const rows = await db.$queryRawUnsafe<{ name: string; bytes: bigint }[]>(
    `SELECT relname AS name, pg_total_relation_size(relid) AS bytes FROM pg_catalog.pg_statio_user_tables`,
  );
  return new Map(rows.map((r) => [r.name, Number(r.bytes)]));
}

export type GrowthReport = Awaited<ReturnType<typeof measureGrowth>>;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const timed = async (read: () => Promise<unknown>, runs = 5) => {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await read();
    times.push(performance.now() - start);
  }
  return Math.round(median(times));
};

/**
 * A read with nothing decoded in the client's cache (a restarted server, or a range no one read yet): median of 3,
 * each after emptying the cache (the first run also pays the client's one-time query compilation).
 */
async function cold(db: Db, read: (db: Db) => Promise<unknown>) {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    forgetDecodedBlocks(db);
    times.push(await timed(() => read(db), 1));
  }
  return median(times);
}

/**
 * Read latencies over the recorded polls. Warm: median of 5 on the writing client, whose cache holds the columns
 * of the polls it wrote (the poller and the API share a process). Cold: once, with that cache emptied. The charts span
 * the last hour of polls (or all of them when fewer were recorded).
 */
async function measureReads(db: Db, first: ClusterSnapshot, polls: number, intervalMs: number) {
  const lastAt = FIXTURE_T0 + (polls - 1) * intervalMs;
  const hour = { from: new Date(Math.max(FIXTURE_T0, lastAt - HOUR_MS + 1)), to: new Date(lastAt) };
  const topic = first.topics[0].name;
  const groupId = first.groups[0].groupId;
  const topicChart = (d: Db) => getPartitionHistory(first.cluster, { topic, ...hour }, d);
  const groupChart = (d: Db) => getGroupLagSeries(first.cluster, { groupId, ...hour }, d);
  // The poll farthest from its keyframe in the first chain: the longest decode a time travel does.
  const oldPoll = new Date(FIXTURE_T0 + (Math.min(polls, KEYFRAME_EVERY_POLLS) - 1) * intervalMs);
  const timeTravel = (d: Db) => getSnapshotAt(first.cluster, oldPoll, d);
  const chartPolls = Math.round((hour.to.getTime() - hour.from.getTime()) / intervalMs) + 1;
  return {
    chartPolls,
    topicChart1hMs: { warm: await timed(() => topicChart(db)), cold: await cold(db, topicChart) },
    groupChart1hMs: { warm: await timed(() => groupChart(db)), cold: await cold(db, groupChart) },
    timeTravelOldPollMs: { cold: await cold(db, timeTravel), warm: await timed(() => timeTravel(db)) },
  };
}

/**
 * After the roll-up: a chart over the rolled-up hour reads its hour row; 48 h = 47 such hours (scaled to full
 * hours when fewer polls were recorded: a row's cost is per poll) + the current hour.
 */
async function measureHourRowReads(db: Db, first: ClusterSnapshot, currentHour: { topic: number; group: number }, hourScale: number) {
  const range = { from: new Date(FIXTURE_T0), to: new Date(FIXTURE_T0 + HOUR_MS - 1) };
  const topicMs = await cold(db, (d) => getPartitionHistory(first.cluster, { topic: first.topics[0].name, ...range }, d));
  const groupMs = await cold(db, (d) => getGroupLagSeries(first.cluster, { groupId: first.groups[0].groupId, ...range }, d));
  return {
    rolledUpHourMs: { topicChart: topicMs, groupChart: groupMs },
    chart48hMsEstimate: { topic: Math.round(topicMs * hourScale * 47 + currentHour.topic), group: Math.round(groupMs * hourScale * 47 + currentHour.group) },
  };
}

export async function measureGrowth({ partitions, polls, intervalMs, postgresUrl, recordOptions }: GrowthOptions) {
  const dir = postgresUrl ? null : mkdtempSync(path.join(tmpdir(), "auditor-growth-"));
  const dbUrl = postgresUrl ?? `file:${path.join(dir!, "growth.db")}`;
  const kind = databaseKind(dbUrl);
  await migrateDeploy(dbUrl, undefined, () => {});
  const db = createDb(dbUrl);

  try {
    const before = await tableBytes(db, kind);
    const latencies: number[] = [];
    let snapshotBytes = { raw: 0, gzip: 0 };
    const blockBytes = { keyframe: [] as number[], delta: [] as number[] };
    let firstSnapshot: ClusterSnapshot | null = null;
    for (let i = 0; i < polls; i++) {
      const snapshot = makeLargeSnapshot(partitions, { pollIndex: i, collectedAt: FIXTURE_T0 + i * intervalMs });
      firstSnapshot ??= snapshot;
      const options = recordOptions?.(snapshot) ?? {};
      const start = performance.now();
      const result = await recordPoll(snapshot, [], options, db);
      latencies.push(performance.now() - start);
      snapshotBytes = result.snapshotBytes;
      blockBytes[i % KEYFRAME_EVERY_POLLS === 0 ? "keyframe" : "delta"].push(result.historyBytes);
    }
    const after = await tableBytes(db, kind);
    const reads = await measureReads(db, firstSnapshot!, polls, intervalMs);

    // Roll the first hour of the measured polls up (nothing decoded before), to time it and size the roll-up and
    // hour rows.
    forgetDecodedBlocks(db);
    const rollupMs = await timed(() => pruneAndRollup(new Date(FIXTURE_T0 + HOUR_MS), DEFAULT_RETENTION, db), 1);
    const withRollups = await tableBytes(db, kind);
    const polledInFirstHour = Math.min(polls, HOUR_MS / intervalMs);
    const hourScale = HOUR_MS / intervalMs / polledInFirstHour;
    const hourRowReads = await measureHourRowReads(db, firstSnapshot!, { topic: reads.topicChart1hMs.warm, group: reads.groupChart1hMs.warm }, hourScale);

    const grown = (table: string, from = before, to = after) => (to.get(table) ?? 0) - (from.get(table) ?? 0);
    const perPoll = (table: string) => grown(table) / polls;
    const pollsPerDay = DAY_MS / intervalMs;
    const historyPerPoll = perPoll("HistoryBlock");
    const pollRowPerPoll = perPoll("Poll");
    const hourlyPartitionRollupPerHour = grown("PartitionRollup", after, withRollups);
    const hourlyTopicRollupPerHour = grown("TopicRollup", after, withRollups);
    // Hour rows (per topic) of the rolled-up hour, scaled to a full hour of polls.
    const historyHourPerHour = grown("HistoryHour", after, withRollups) * hourScale;

    const retained = (bytesPerPoll: number, retentionMs: number) => (bytesPerPoll * retentionMs) / intervalMs;
    const steady = {
      // Blocks before the newest keyframe at the cut-off stay until the next one: up to KEYFRAME_EVERY_POLLS more.
      history: retained(historyPerPoll, DEFAULT_RETENTION.samplesMs + KEYFRAME_EVERY_POLLS * intervalMs),
      historyHours: (historyHourPerHour * (DEFAULT_RETENTION.samplesMs + HOUR_MS)) / HOUR_MS,
      polls: retained(pollRowPerPoll, DEFAULT_RETENTION.pollsMs),
      hourlyPartitionRollups: (hourlyPartitionRollupPerHour * DEFAULT_RETENTION.hourlyPartitionRollupsMs) / HOUR_MS,
      hourlyTopicRollups: (hourlyTopicRollupPerHour * DEFAULT_RETENTION.hourlyTopicRollupsMs) / HOUR_MS,
      // One daily row per partition/topic costs about what one hourly row does.
      dailyRollups: ((hourlyPartitionRollupPerHour + hourlyTopicRollupPerHour) * DEFAULT_RETENTION.dailyRollupsMs) / DAY_MS,
    };
    const steadyTotal = Object.values(steady).reduce((a, b) => a + b, 0);
    const sorted = [...latencies].sort((a, b) => a - b);
    const pct = (p: number, values = sorted) => values[Math.min(values.length - 1, Math.floor(p * values.length))];
    const mean = (values: number[]) => Math.round(values.reduce((a, b) => a + b, 0) / Math.max(1, values.length));

    return {
      database: kind,
      partitions,
      polls,
      intervalMs,
      historyBlockBytes: { keyframe: mean(blockBytes.keyframe), delta: mean(blockBytes.delta), keyframeEvery: KEYFRAME_EVERY_POLLS },
      snapshot: { rawBytes: snapshotBytes.raw, gzipBytes: snapshotBytes.gzip },
      recordPollMs: { first: Math.round(latencies[0]), median: Math.round(pct(0.5)), p90: Math.round(pct(0.9)), p95: Math.round(pct(0.95)), max: Math.round(sorted.at(-1)!) },
      reads: { ...reads, ...hourRowReads },
      rollupOfFirstHourMs: { polls: polledInFirstHour, cold: rollupMs },
      bytesPerPoll: { history: Math.round(historyPerPoll), pollRow: Math.round(pollRowPerPoll) },
      historyHourBytesPerHour: Math.round(historyHourPerHour),
      growthPerDayMB: Math.round(((historyPerPoll + pollRowPerPoll) * pollsPerDay + historyHourPerHour * 24) / MB),
      steadyStateMB: Object.fromEntries(Object.entries(steady).map(([k, v]) => [k, Math.round(v / MB)])),
      steadyStateTotalMB: Math.round(steadyTotal / MB),
    };
  } finally {
    await db.$disconnect();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      partitions: { type: "string", default: "5000" },
      polls: { type: "string", default: "40" },
      "interval-ms": { type: "string", default: "15000" },
    },
  });
  const postgresUrl = process.env.DATABASE_URL?.startsWith("postgres") ? process.env.DATABASE_URL : undefined;
  const report = await measureGrowth({
    partitions: Number(values.partitions),
    polls: Number(values.polls),
    intervalMs: Number(values["interval-ms"]),
    postgresUrl,
  });
  console.log(JSON.stringify(report, null, 2));
  if (postgresUrl) console.error("note: the PostgreSQL database now holds the measurement's rows");
}
