import { gunzipSync } from "node:zlib";
import type { ClusterSnapshot, ConsumerGroupState, TopicState } from "@/lib/snapshot/types";
import type { DatabaseKind } from "../db";
import { mapStrings, unescapeStoredText } from "../stored-text";
import { encodeBlock, KEYFRAME_EVERY_POLLS, splitSnapshot, type BlockState } from "./codec";

// The upgrade from per-row samples (PartitionSample, GroupOffsetSample, SnapshotBlob) to history blocks. It runs
// inside the migration runner, before the migration that drops those tables, on the runner's own connection:
// every poll that kept samples or a snapshot gets its block, in one transaction, so nothing stored is lost.

export interface LegacyConnection {
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  run(sql: string, params?: unknown[]): Promise<void>;
  script(sql: string): Promise<void>;
}

/** The migration whose tables this step empties first (suffix of its directory name). */
export const DROPS_LEGACY_SAMPLES = "_drop_legacy_samples";

interface LegacyPoll {
  id: number;
  clusterId: number;
  cluster: string;
  startedAt: unknown;
  durationMs: number;
}

interface PartitionRow {
  topic: string;
  partition: number;
  logStart: unknown;
  hw: unknown;
  lso: unknown;
  sizeBytes: unknown;
  leader: number;
  isrCount: number;
  replicaCount: number;
  openTxnCount: number | null;
}

interface GroupRow {
  groupId: string;
  topic: string;
  partition: number;
  committed: unknown;
}

// PostgreSQL returns BIGINT as strings and timestamps as Dates, SQLite (unixepoch-ms) both as numbers.
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const epochMs = (v: unknown) => (v instanceof Date ? v.getTime() : typeof v === "string" && !/^\d+$/.test(v) ? Date.parse(v) : Number(v));

/**
 * A poll that kept samples but no snapshot (a snapshot retention shorter than the samples'): its offsets exactly,
 * the rest as the samples knew it. Replica node ids were never sampled, only counted: -1 stands for each.
 */
async function snapshotFromSamples(connection: LegacyConnection, poll: LegacyPoll, kind: DatabaseKind): Promise<ClusterSnapshot> {
  // Raw reads bypass the client's unescaping of PostgreSQL text (stored-text.ts).
  const text = <T>(rows: T[]) => (kind === "postgresql" ? mapStrings(rows, unescapeStoredText) : rows);
  const partitions = text(await connection.query<PartitionRow>(
    `SELECT "topic", "partition", "logStart", "hw", "lso", "sizeBytes", "leader", "isrCount", "replicaCount", "openTxnCount"
     FROM "PartitionSample" WHERE "pollId" = $1 ORDER BY "topic", "partition"`,
    [poll.id],
  ));
  const offsets = text(await connection.query<GroupRow>(
    `SELECT "groupId", "topic", "partition", "committed" FROM "GroupOffsetSample" WHERE "pollId" = $1 ORDER BY "groupId", "topic", "partition"`,
    [poll.id],
  ));
  const topics = new Map<string, TopicState>();
  for (const r of partitions) {
    let topic = topics.get(r.topic);
    if (!topic) {
      topic = { name: r.topic, internal: r.topic.startsWith("__"), configs: {}, partitions: [] };
      topics.set(r.topic, topic);
    }
    const unknownNodes = (n: number) => new Array<number>(Number(n)).fill(-1);
    topic.partitions.push({
      partition: Number(r.partition),
      leader: Number(r.leader),
      replicas: unknownNodes(r.replicaCount),
      isr: unknownNodes(r.isrCount),
      offlineReplicas: [],
      logStartOffset: num(r.logStart),
      highWatermark: num(r.hw),
      lastStableOffset: num(r.lso),
      sizeBytes: num(r.sizeBytes),
      producers:
        r.openTxnCount === null
          ? null
          : Array.from({ length: Number(r.openTxnCount) }, () => ({ producerId: -1, producerEpoch: -1, lastSequence: -1, lastTimestamp: -1, coordinatorEpoch: -1, currentTxnStartOffset: 0 })),
    });
  }
  const groups = new Map<string, ConsumerGroupState>();
  for (const r of offsets) {
    let group = groups.get(r.groupId);
    if (!group) {
      group = { groupId: r.groupId, state: "Unknown", protocolType: "", protocol: "", coordinatorId: null, members: [], offsets: [] };
      groups.set(r.groupId, group);
    }
    group.offsets.push({ topic: r.topic, partition: Number(r.partition), offset: Number(r.committed), metadata: null });
  }
  return {
    cluster: text([poll.cluster])[0],
    clusterId: null,
    controllerId: null,
    collectedAt: epochMs(poll.startedAt),
    durationMs: Number(poll.durationMs),
    complete: false,
    phases: [],
    brokers: [],
    features: { transactionVersion: 0, metadataVersion: null },
    brokerConfigs: [],
    topics: [...topics.values()],
    groups: [...groups.values()],
    transactions: [],
  };
}

/** Writes a history block for every poll that kept samples or a snapshot blob and has none yet. */
export async function moveSamplesIntoHistoryBlocks(connection: LegacyConnection, kind: DatabaseKind): Promise<number> {
  const polls = await connection.query<LegacyPoll>(
    `SELECT p."id", p."clusterId", c."name" AS "cluster", p."startedAt", p."durationMs" FROM "Poll" p JOIN "Cluster" c ON c."id" = p."clusterId"
     WHERE (EXISTS (SELECT 1 FROM "SnapshotBlob" b WHERE b."pollId" = p."id") OR EXISTS (SELECT 1 FROM "PartitionSample" s WHERE s."pollId" = p."id"))
       AND NOT EXISTS (SELECT 1 FROM "HistoryBlock" h WHERE h."pollId" = p."id")
     ORDER BY p."clusterId", p."startedAt", p."id"`,
  );
  if (polls.length === 0) return 0;
  await connection.script("BEGIN");
  try {
    let previous: { clusterId: number; state: BlockState; sinceKeyframe: number } | null = null;
    for (const poll of polls) {
      const [blob] = await connection.query<{ gzip: Uint8Array }>(`SELECT "gzip" FROM "SnapshotBlob" WHERE "pollId" = $1`, [poll.id]);
      const snapshot = blob
        ? (JSON.parse(gunzipSync(blob.gzip).toString("utf8")) as ClusterSnapshot)
        : await snapshotFromSamples(connection, poll, kind);
      const state = splitSnapshot(snapshot);
      const delta: boolean = previous !== null && previous.clusterId === poll.clusterId && previous.sinceKeyframe + 1 < KEYFRAME_EVERY_POLLS;
      const data = encodeBlock(state, delta ? previous!.state : null);
      await connection.run(
        `INSERT INTO "HistoryBlock" ("pollId", "clusterId", "startedAt", "keyframe", "data") SELECT "id", "clusterId", "startedAt", $1, $2 FROM "Poll" WHERE "id" = $3`,
        [kind === "sqlite" ? Number(!delta) : !delta, data, poll.id],
      );
      previous = { clusterId: poll.clusterId, state, sinceKeyframe: delta ? previous!.sinceKeyframe + 1 : 0 };
    }
    await connection.script("COMMIT");
  } catch (error) {
    await connection.script("ROLLBACK");
    throw error;
  }
  return polls.length;
}
