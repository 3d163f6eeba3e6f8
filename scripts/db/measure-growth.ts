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

export async function measureGrowth({ partitions, polls, intervalMs, postgresUrl, recordOptions }: GrowthOptions) {
  const dir = postgresUrl ? null : mkdtempSync(path.join(tmpdir(), "auditor-growth-"));
  const dbUrl = postgresUrl ?? `file:${path.join(dir!, "growth.db")}`;
  const kind = databaseKind(dbUrl);
  await migrateDeploy(dbUrl, undefined, () => {});
  const db = createDb(dbUrl);

  try {
    const before = await tableBytes(db, kind);
    const latencies: number[] = [];
    const sampledLatencies: number[] = [];
    let snapshotBytes = { raw: 0, gzip: 0 };
    for (let i = 0; i < polls; i++) {
      const snapshot = makeLargeSnapshot(partitions, { pollIndex: i, collectedAt: FIXTURE_T0 + i * intervalMs });
      const options = recordOptions?.(snapshot) ?? {};
      const start = performance.now();
      const result = await recordPoll(snapshot, [], options, db);
      const elapsedMs = performance.now() - start;
      latencies.push(elapsedMs);
      if (result.sampled) sampledLatencies.push(elapsedMs);
      snapshotBytes = result.snapshotBytes;
    }
    const after = await tableBytes(db, kind);
    const sampleRows = await db.partitionSample.count();
    const groupRows = await db.groupOffsetSample.count();

    // Roll the measured polls up as one hour would be, to size the roll-up rows.
    const rollupStart = performance.now();
    await pruneAndRollup(new Date(FIXTURE_T0 + 2 * HOUR_MS), DEFAULT_RETENTION, db);
    const rollupMs = performance.now() - rollupStart;
    const withRollups = await tableBytes(db, kind);

    const grown = (table: string, from = before, to = after) => (to.get(table) ?? 0) - (from.get(table) ?? 0);
    const perPoll = (table: string) => grown(table) / polls;
    const pollsPerDay = DAY_MS / intervalMs;
    const samplesPerPoll = perPoll("PartitionSample") + perPoll("GroupOffsetSample");
    const blobPerPoll = perPoll("SnapshotBlob");
    const pollRowPerPoll = perPoll("Poll");
    const hourlyPartitionRollupPerHour = grown("PartitionRollup", after, withRollups);
    const hourlyTopicRollupPerHour = grown("TopicRollup", after, withRollups);

    const retained = (bytesPerPoll: number, retentionMs: number) => (bytesPerPoll * retentionMs) / intervalMs;
    const steady = {
      samples: retained(samplesPerPoll, DEFAULT_RETENTION.samplesMs),
      snapshots: retained(blobPerPoll, DEFAULT_RETENTION.snapshotsMs),
      polls: retained(pollRowPerPoll, DEFAULT_RETENTION.pollsMs),
      hourlyPartitionRollups: (hourlyPartitionRollupPerHour * DEFAULT_RETENTION.hourlyPartitionRollupsMs) / HOUR_MS,
      hourlyTopicRollups: (hourlyTopicRollupPerHour * DEFAULT_RETENTION.hourlyTopicRollupsMs) / HOUR_MS,
      // One daily row per partition/topic costs about what one hourly row does.
      dailyRollups: ((hourlyPartitionRollupPerHour + hourlyTopicRollupPerHour) * DEFAULT_RETENTION.dailyRollupsMs) / DAY_MS,
    };
    const steadyTotal = Object.values(steady).reduce((a, b) => a + b, 0);
    const sorted = [...latencies].sort((a, b) => a - b);
    const pct = (p: number, values = sorted) => values[Math.min(values.length - 1, Math.floor(p * values.length))];
    const sampledSorted = [...sampledLatencies].sort((a, b) => a - b);

    return {
      database: kind,
      partitions,
      polls,
      intervalMs,
      rowsPerPoll: { partitionSamples: sampleRows / polls, groupOffsetSamples: groupRows / polls },
      snapshot: { rawBytes: snapshotBytes.raw, gzipBytes: snapshotBytes.gzip },
      recordPollMs: { first: Math.round(latencies[0]), median: Math.round(pct(0.5)), p90: Math.round(pct(0.9)), p95: Math.round(pct(0.95)), max: Math.round(sorted.at(-1)!) },
      // Polls that also wrote samples and a time-travel snapshot (one per sampling period): the slow ones.
      sampledRecordPollMs: { count: sampledSorted.length, median: Math.round(pct(0.5, sampledSorted)), max: Math.round(sampledSorted.at(-1)!) },
      rollupOfOneHourMs: Math.round(rollupMs),
      bytesPerPoll: {
        samples: Math.round(samplesPerPoll),
        samplesPerRow: Math.round(samplesPerPoll / ((sampleRows + groupRows) / polls)),
        snapshotBlob: Math.round(blobPerPoll),
        pollRow: Math.round(pollRowPerPoll),
      },
      growthPerDayMB: Math.round(((samplesPerPoll + blobPerPoll + pollRowPerPoll) * pollsPerDay) / MB),
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
