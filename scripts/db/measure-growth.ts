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
import { KEYFRAME_EVERY_POLLS } from "@/lib/store/history/codec";
import { pruneAndRollup } from "@/lib/store/retention";
import { FIXTURE_T0, makeLargeSnapshot } from "@/lib/store/test-fixtures";
import { DEFAULT_RETENTION, type RecordPollOptions } from "@/lib/store/types";
import type { ClusterSnapshot } from "@/lib/snapshot/types";

export interface GrowthOptions {
  partitions: number;
  polls: number;
  intervalMs: number;
  /** A throw-away PostgreSQL database; without it a temp SQLite file is created and deleted. */
  postgresUrl?: string;
  /** Per-poll recordPoll options (e.g. the detectors' analysisState, as the poller stores it); computed untimed. */
  recordOptions?: (snapshot: ClusterSnapshot) => RecordPollOptions;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MB = 1024 * 1024;

async function tableBytes(db: Db, kind: "sqlite" | "postgresql"): Promise<Map<string, number>> {
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

/**
 * Read latencies over the recorded polls (median of 5): a topic's chart and a group's lag chart over all of them,
 * time travel to the last poll (the farthest from its keyframe) and the per-poll cost of a chart, from which
 * a 48 h chart is extrapolated.
 */
async function measureReads(db: Db, first: ClusterSnapshot, polls: number, intervalMs: number) {
  const from = new Date(FIXTURE_T0);
  const to = new Date(FIXTURE_T0 + polls * intervalMs);
  const topic = first.topics[0].name;
  const groupId = first.groups[0].groupId;
  const timed = async (read: () => Promise<unknown>) => {
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      await read();
      runs.push(performance.now() - start);
    }
    return median(runs);
  };
  const topicChartMs = await timed(() => getPartitionHistory(first.cluster, { topic, from, to }, db));
  const groupChartMs = await timed(() => getGroupLagSeries(first.cluster, { groupId, from, to }, db));
  const lastPoll = new Date(FIXTURE_T0 + (polls - 1) * intervalMs);
  const timeTravelMs = await timed(() => getSnapshotAt(first.cluster, lastPoll, db));
  const perPollMs = topicChartMs / polls;
  return {
    polls,
    topicChartMs: Math.round(topicChartMs),
    groupChartMs: Math.round(groupChartMs),
    timeTravelWorstMs: Math.round(timeTravelMs),
    topicChartMsPerPoll: Number(perPollMs.toFixed(2)),
    topicChart48hMsExtrapolated: Math.round((perPollMs * 48 * HOUR) / intervalMs),
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

    // Roll the measured polls up as one hour would be, to size the roll-up rows.
    const rollupStart = performance.now();
    await pruneAndRollup(new Date(FIXTURE_T0 + 2 * HOUR), DEFAULT_RETENTION, db);
    const rollupMs = performance.now() - rollupStart;
    const withRollups = await tableBytes(db, kind);

    const grown = (table: string, from = before, to = after) => (to.get(table) ?? 0) - (from.get(table) ?? 0);
    const perPoll = (table: string) => grown(table) / polls;
    const pollsPerDay = DAY / intervalMs;
    const historyPerPoll = perPoll("HistoryBlock");
    const pollRowPerPoll = perPoll("Poll");
    const hourlyPartitionRollupPerHour = grown("PartitionRollup", after, withRollups);
    const hourlyTopicRollupPerHour = grown("TopicRollup", after, withRollups);

    const retained = (bytesPerPoll: number, retentionMs: number) => (bytesPerPoll * retentionMs) / intervalMs;
    const steady = {
      // Blocks before the newest keyframe at the cut-off stay until the next one: up to KEYFRAME_EVERY_POLLS more.
      history: retained(historyPerPoll, DEFAULT_RETENTION.samplesMs + KEYFRAME_EVERY_POLLS * intervalMs),
      polls: retained(pollRowPerPoll, DEFAULT_RETENTION.pollsMs),
      hourlyPartitionRollups: (hourlyPartitionRollupPerHour * DEFAULT_RETENTION.hourlyPartitionRollupsMs) / HOUR,
      hourlyTopicRollups: (hourlyTopicRollupPerHour * DEFAULT_RETENTION.hourlyTopicRollupsMs) / HOUR,
      // One daily row per partition/topic costs about what one hourly row does.
      dailyRollups: ((hourlyPartitionRollupPerHour + hourlyTopicRollupPerHour) * DEFAULT_RETENTION.dailyRollupsMs) / DAY,
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
      reads,
      rollupOfOneHourMs: Math.round(rollupMs),
      bytesPerPoll: { history: Math.round(historyPerPoll), pollRow: Math.round(pollRowPerPoll) },
      growthPerDayMB: Math.round(((historyPerPoll + pollRowPerPoll) * pollsPerDay) / MB),
      steadyStateMB: Object.fromEntries(Object.entries(steady).map(([k, v]) => [k, Math.round(v / MB)])),
      steadyStateTotalMB: Math.round(steadyTotal / MB),
    };
  } finally {
    await db.$disconnect();
    if (dir) rmSync(dir, { recursive: true, force: true });
    else if (kind === "postgresql") console.error("note: the PostgreSQL database now holds the measurement's rows");
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
}
