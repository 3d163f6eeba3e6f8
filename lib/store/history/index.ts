import type { ClusterSnapshot } from "@/lib/snapshot/types";
import { clusterIdOf } from "../clusters";
import { db, LARGE_TRANSACTION, type Db, type Prisma } from "../db";
import { blockKey, decodedBlocks } from "./cache";
import { committedValue, decodeBlock, decodeTopicSeries, encodeTopicSeries, PARTITION_WIDTH, type TopicSeries, encodeBlock, joinSnapshot, KEYFRAME_EVERY_POLLS, parseSlot, partitionSlot, partitionValues, sameList, splitSnapshot, type BlockState, type PartitionValues, type SlotRef } from "./codec";

// The one way into per-poll history: the poller writes a block per poll here, and charts (topic, group, finding
// pages), time travel (`?at=`), the hourly roll-ups and capacity read samples only through these functions.

/** And at least this often in time, so sparse sampling does not stretch a chain over hours. */
const KEYFRAME_EVERY_MS = 10 * 60_000;
/** Blocks read per query while walking a range (bounds memory on 48 h ranges). */
const PAGE = 200;

interface ChainHead {
  pollId: number;
  state: BlockState;
  keyframeAt: number;
  sinceKeyframe: number;
}

// The last block written per client and cluster, so the next one is a delta without reading the chain back.
const heads = new WeakMap<Db, Map<number, ChainHead>>();

type Tx = Prisma.TransactionClient;

export interface WrittenBlock {
  bytes: number;
  keyframe: boolean;
  /** Call once the transaction that wrote the block committed: later blocks are encoded against it. */
  committed(): void;
}

/**
 * Writes the history block of a poll inside the poll's transaction. A poll older than the cluster's newest block
 * (a clock stepped back) gets none: blocks decode in time order, so it would break the chain it falls into.
 */
export async function writeHistoryBlock(
  tx: Tx,
  database: Db,
  clusterId: number,
  poll: { id: number; at: Date },
  snapshot: ClusterSnapshot,
): Promise<WrittenBlock | null> {
  const at = poll.at.getTime();
  const perCluster = heads.get(database) ?? new Map<number, ChainHead>();
  heads.set(database, perCluster);
  const head = perCluster.get(clusterId);
  const newest = await tx.historyBlock.findFirst({
    where: { clusterId },
    orderBy: [{ startedAt: "desc" }, { pollId: "desc" }],
    select: { pollId: true, startedAt: true },
  });
  if (newest && newest.startedAt.getTime() >= at) return null;
  // Delta only against the block that really is the newest stored one (another process or a rolled-back poll
  // breaks the chain: then a keyframe).
  const delta =
    head !== undefined &&
    newest?.pollId === head.pollId &&
    head.sinceKeyframe + 1 < KEYFRAME_EVERY_POLLS &&
    at - head.keyframeAt < KEYFRAME_EVERY_MS;
  const state = splitSnapshot(snapshot);
  // An unchanged layout shares the previous state's lists, as decoded states do (readers index a layout once).
  if (head && sameList(state.slots, head.state.slots)) state.slots = head.state.slots;
  if (head && sameList(state.keys, head.state.keys)) state.keys = head.state.keys;
  const data = encodeBlock(state, delta ? head.state : null);
  await tx.historyBlock.create({ data: { pollId: poll.id, clusterId, startedAt: poll.at, keyframe: !delta, data: new Uint8Array(data) } });
  return {
    bytes: data.length,
    keyframe: !delta,
    committed: () => {
      // The columns of the newest polls are what charts read most: cached as written (records are not, they are
      // fresh strings every poll and would take several times the room).
      decodedBlocks(database).set(blockKey({ pollId: poll.id, startedAt: poll.at }), false, { ...state, records: [] });
      perCluster.set(clusterId, { pollId: poll.id, state, keyframeAt: delta ? head.keyframeAt : at, sinceKeyframe: delta ? head.sinceKeyframe + 1 : 0 });
    },
  };
}

interface DecodedPoll {
  pollId: number;
  at: Date;
  state: BlockState;
}

/**
 * Every kept poll of a cluster from `from` to `to` (inclusive) in time order, decoded from the newest keyframe at
 * or before `from`, or from a cached decoded block nearer to it. Blocks whose keyframe is gone are skipped.
 */
async function* decodePolls(database: Db, clusterId: number, from: Date, to: Date, options = { records: false }): AsyncGenerator<DecodedPoll> {
  const keyframe = await database.historyBlock.findFirst({
    where: { clusterId, keyframe: true, startedAt: { lte: from } },
    orderBy: [{ startedAt: "desc" }, { pollId: "desc" }],
    select: { startedAt: true },
  });
  const blocks = await database.historyBlock.findMany({
    where: { clusterId, startedAt: { gte: keyframe?.startedAt ?? from, lte: to } },
    orderBy: [{ startedAt: "asc" }, { pollId: "asc" }],
    select: { pollId: true, startedAt: true, keyframe: true },
  });
  const cache = decodedBlocks(database);
  const firstWanted = blocks.findIndex((b) => b.startedAt >= from);
  if (firstWanted < 0) return;
  // Start at the newest cached block or keyframe at or before the first wanted one.
  let start = firstWanted;
  let state: BlockState | null = null;
  for (let i = firstWanted; i >= 0; i--) {
    const cached = cache.get(blockKey(blocks[i]), options.records);
    if (cached || blocks[i].keyframe) {
      start = i;
      break;
    }
  }
  const fetched = new Map<number, Uint8Array>();
  for (let i = start; i < blocks.length; i++) {
    const block = blocks[i];
    const key = blockKey(block);
    const cached = cache.get(key, options.records);
    if (cached) state = cached;
    else if (!block.keyframe && !state) continue;
    else {
      if (!fetched.has(block.pollId)) {
        // The data of the next page of blocks not decoded yet, in one query.
        const missing = blocks
          .slice(i, i + PAGE)
          .filter((b) => !cache.get(blockKey(b), options.records))
          .map((b) => b.pollId);
        fetched.clear();
        for (const row of await database.historyBlock.findMany({ where: { pollId: { in: missing } }, select: { pollId: true, data: true } })) {
          fetched.set(row.pollId, row.data);
        }
      }
      const data = fetched.get(block.pollId);
      // Pruned since the listing: the chain ends here.
      if (!data) return;
      state = decodeBlock(data, block.keyframe ? null : state, options);
      cache.set(key, options.records, state);
    }
    if (i >= firstWanted) yield { pollId: block.pollId, at: block.startedAt, state: state! };
  }
}

export interface StoredSnapshot {
  pollId: number;
  collectedAt: Date;
  snapshot: ClusterSnapshot;
}

/** The snapshot of the newest poll at or before `at` whose history is kept (null when none is). */
export async function getSnapshotAt(cluster: string, at: Date, database: Db = db()): Promise<StoredSnapshot | null> {
  const clusterId = await clusterIdOf(database, cluster);
  const target = await database.historyBlock.findFirst({
    where: { clusterId, startedAt: { lte: at } },
    orderBy: [{ startedAt: "desc" }, { pollId: "desc" }],
    select: { startedAt: true, pollId: true },
  });
  if (!target) return null;
  let found: StoredSnapshot | null = null;
  for await (const poll of decodePolls(database, clusterId, target.startedAt, target.startedAt, { records: true })) {
    if (poll.pollId === target.pollId) found = { pollId: poll.pollId, collectedAt: poll.at, snapshot: joinSnapshot(poll.state) };
  }
  return found;
}

/** Index of slots by key, recomputed only when a block changes the layout. */
function layoutIndex() {
  let slots: string[] | null = null;
  let slotOf = new Map<string, number>();
  let refs: SlotRef[] = [];
  return (state: BlockState) => {
    if (state.slots !== slots) {
      slots = state.slots;
      slotOf = new Map(slots.map((k, i) => [k, i]));
      refs = slots.map(parseSlot);
    }
    return { slotOf, refs };
  };
}

export interface PartitionValuesAt {
  pollId: number;
  collectedAt: Date;
  /** A partition's columns; undefined when the partition was not in that poll. */
  valuesOf(topic: string, partition: number): PartitionValues | undefined;
}

/**
 * The offsets and sizes of every partition at the newest kept poll at or before `at`, from the columns alone
 * (no records decoded): what a rate between two polls needs, at a fraction of a full time travel's cost.
 */
export async function getPartitionValuesAt(cluster: string, at: Date, database: Db = db()): Promise<PartitionValuesAt | null> {
  const clusterId = await clusterIdOf(database, cluster);
  const target = await database.historyBlock.findFirst({
    where: { clusterId, startedAt: { lte: at } },
    orderBy: [{ startedAt: "desc" }, { pollId: "desc" }],
    select: { startedAt: true, pollId: true },
  });
  if (!target) return null;
  let found: PartitionValuesAt | null = null;
  for await (const poll of decodePolls(database, clusterId, target.startedAt, target.startedAt)) {
    if (poll.pollId !== target.pollId) continue;
    const { state } = poll;
    const slotOf = new Map(state.slots.slice(0, state.partitionSlots).map((key, slot) => [key, slot]));
    found = {
      pollId: poll.pollId,
      collectedAt: poll.at,
      valuesOf: (topic, partition) => {
        const slot = slotOf.get(partitionSlot(topic, partition));
        return slot === undefined ? undefined : partitionValues(state, slot);
      },
    };
  }
  return found;
}

export interface PartitionPoint {
  at: Date;
  partition: number;
  logStart: number | null;
  hw: number | null;
  lso: number | null;
  sizeBytes: number | null;
  leader: number;
  isrCount: number;
  replicaCount: number;
  openTxnCount: number | null;
}

const HOUR = 3_600_000;
const floorToHour = (t: number) => Math.floor(t / HOUR) * HOUR;

/** Every kept poll's values of a topic's partitions (all, or one) in a time range, in time then partition order. */
export async function getPartitionHistory(
  cluster: string,
  query: { topic: string; partition?: number; from: Date; to: Date },
  database: Db = db(),
): Promise<PartitionPoint[]> {
  const clusterId = await clusterIdOf(database, cluster);
  const from = query.from.getTime();
  const to = query.to.getTime();
  // Finished hours read their hour row; the hours without one (the current hour, hours not rolled up) the blocks.
  const rows = await database.historyHour.findMany({
    where: { clusterId, topic: query.topic, bucketStart: { gte: new Date(floorToHour(from)), lte: query.to } },
    orderBy: { bucketStart: "asc" },
  });
  const points: PartitionPoint[] = [];
  let cursor = from;
  const fromBlocks = async (until: number) => {
    if (until > cursor) points.push(...(await partitionPointsFromBlocks(database, clusterId, { ...query, from: new Date(cursor), to: new Date(until - 1) })));
  };
  for (const row of rows) {
    const start = row.bucketStart.getTime();
    await fromBlocks(start);
    points.push(...topicSeriesPoints(decodeTopicSeries(row.data), query.partition, from, to));
    cursor = Math.max(cursor, start + HOUR);
  }
  await fromBlocks(to + 1);
  return points;
}

/** The points of an hour row within [from, to], in time then partition order. */
function topicSeriesPoints(series: TopicSeries, partition: number | undefined, from: number, to: number): PartitionPoint[] {
  const points: PartitionPoint[] = [];
  const wanted = series.partitions.map((p, i) => ({ p, i })).filter(({ p }) => partition === undefined || p === partition);
  const view = { values: series.values };
  series.at.forEach((ms, k) => {
    if (ms < from || ms > to) return;
    const at = new Date(ms);
    for (const { p, i } of wanted) {
      const { leader, isrCount, replicaCount, ...v } = partitionValues(view, k * series.partitions.length + i);
      // A partition not in this poll: no point, as from the blocks.
      if (leader === null) continue;
      points.push({ at, partition: p, ...v, leader, isrCount: isrCount ?? 0, replicaCount: replicaCount ?? 0 });
    }
  });
  return points;
}

async function partitionPointsFromBlocks(
  database: Db,
  clusterId: number,
  query: { topic: string; partition?: number; from: Date; to: Date },
): Promise<PartitionPoint[]> {
  const index = layoutIndex();
  const points: PartitionPoint[] = [];
  let layout = null as { slots: string[]; wanted: { slot: number; partition: number }[] } | null;
  for await (const { at, state } of decodePolls(database, clusterId, query.from, query.to)) {
    if (layout?.slots !== state.slots) {
      const { refs } = index(state);
      const wanted = [];
      for (let slot = 0; slot < state.partitionSlots; slot++) {
        const { topic, partition } = refs[slot];
        if (topic === query.topic && (query.partition === undefined || partition === query.partition)) wanted.push({ slot, partition });
      }
      layout = { slots: state.slots, wanted: wanted.sort((a, b) => a.partition - b.partition) };
    }
    for (const { slot, partition } of layout.wanted) {
      const { leader, isrCount, replicaCount, ...v } = partitionValues(state, slot);
      points.push({ at, partition, ...v, leader: leader ?? -1, isrCount: isrCount ?? 0, replicaCount: replicaCount ?? 0 });
    }
  }
  return points;
}

/**
 * Writes (or rewrites) the hour rows of a finished hour: per topic, its partitions' columns at every kept poll of
 * the hour, decoded from the blocks. Idempotent; false when no block of the hour is kept.
 */
export async function writeHistoryHour(database: Db, clusterId: number, bucketStart: Date): Promise<boolean> {
  type Collected = { at: number; partitions: number[]; values: Float64Array };
  const byTopic = new Map<string, Collected[]>();
  const index = layoutIndex();
  // Per layout: each topic's partitions and the (contiguous) range of its partition slots.
  let layout = null as { slots: string[]; topics: { topic: string; partitions: number[]; first: number; end: number }[] } | null;
  for await (const { at, state } of decodePolls(database, clusterId, bucketStart, new Date(bucketStart.getTime() + HOUR - 1))) {
    if (layout?.slots !== state.slots) {
      const { refs } = index(state);
      const topics: { topic: string; partitions: number[]; first: number; end: number }[] = [];
      for (let slot = 0; slot < state.partitionSlots; slot++) {
        const last = topics.at(-1);
        if (last?.topic === refs[slot].topic) {
          last.partitions.push(refs[slot].partition);
          last.end = slot + 1;
        } else topics.push({ topic: refs[slot].topic, partitions: [refs[slot].partition], first: slot, end: slot + 1 });
      }
      layout = { slots: state.slots, topics };
    }
    for (const t of layout.topics) {
      const polls = byTopic.get(t.topic) ?? [];
      byTopic.set(t.topic, polls);
      polls.push({ at: at.getTime(), partitions: t.partitions, values: state.values.subarray(t.first * PARTITION_WIDTH, t.end * PARTITION_WIDTH) });
    }
  }
  if (byTopic.size === 0) return false;
  const rows = [...byTopic].map(([topic, polls]) => {
    const partitions = [...new Set(polls.flatMap((p) => p.partitions))].sort((a, b) => a - b);
    const column = new Map(partitions.map((p, i) => [p, i]));
    const stride = partitions.length * PARTITION_WIDTH;
    const values = new Float64Array(polls.length * stride).fill(NaN);
    polls.forEach((poll, k) => {
      poll.partitions.forEach((p, j) => {
        values.set(poll.values.subarray(j * PARTITION_WIDTH, (j + 1) * PARTITION_WIDTH), k * stride + column.get(p)! * PARTITION_WIDTH);
      });
    });
    const data = encodeTopicSeries({ at: polls.map((p) => p.at), partitions, values });
    return { clusterId, topic, bucketStart, data: new Uint8Array(data) };
  });
  await database.$transaction(
    [database.historyHour.deleteMany({ where: { clusterId, bucketStart } }), database.historyHour.createMany({ data: rows })],
    LARGE_TRANSACTION,
  );
  return true;
}

export interface GroupLagPoint {
  at: Date;
  topic: string;
  /** Σ (LSO − committed): what a read_committed consumer can still read. */
  lag: number;
  /** Σ (HW − LSO): records held back by open transactions. */
  heldBackByTransactions: number;
  partitions: number;
}

/** EOS-aware lag of a group per kept poll and topic (partitions with an unknown LSO or HW are left out). */
export async function getGroupLagSeries(
  cluster: string,
  query: { groupId: string; topic?: string; from: Date; to: Date },
  database: Db = db(),
): Promise<GroupLagPoint[]> {
  const clusterId = await clusterIdOf(database, cluster);
  const index = layoutIndex();
  const points: GroupLagPoint[] = [];
  type Layout = { slots: string[]; offsets: { topic: string; slot: number; partitionSlot: number | undefined }[] };
  let layout = null as Layout | null;
  for await (const { at, state } of decodePolls(database, clusterId, query.from, query.to)) {
    const { slotOf, refs } = index(state);
    if (layout?.slots !== state.slots) {
      const offsets = [];
      for (let slot = state.partitionSlots; slot < state.slots.length; slot++) {
        const { groupId, topic, partition } = refs[slot];
        if (groupId !== query.groupId || (query.topic !== undefined && topic !== query.topic)) continue;
        offsets.push({ topic, slot, partitionSlot: slotOf.get(partitionSlot(topic, partition)) });
      }
      layout = { slots: state.slots, offsets };
    }
    const byTopic = new Map<string, GroupLagPoint>();
    for (const o of layout.offsets) {
      if (o.partitionSlot === undefined) continue;
      const { hw, lso } = partitionValues(state, o.partitionSlot);
      if (hw === null || lso === null) continue;
      const committed = committedValue(state, o.slot) as number;
      let point = byTopic.get(o.topic);
      if (!point) {
        point = { at, topic: o.topic, lag: 0, heldBackByTransactions: 0, partitions: 0 };
        byTopic.set(o.topic, point);
      }
      point.lag += Math.max(0, lso - committed);
      point.heldBackByTransactions += hw - lso;
      point.partitions += 1;
    }
    points.push(...byTopic.values());
  }
  return points;
}

/** One partition over a time range, as the capacity roll-ups need it. */
export interface PartitionAggregate {
  topic: string;
  partition: number;
  /** Polls that saw the partition. */
  samples: number;
  minHw: number | null;
  maxHw: number | null;
  /** Size at the first and last poll of the range (null when unknown or the partition was absent then). */
  firstSize: number | null;
  lastSize: number | null;
  maxSize: number | null;
  /** Max HW − LSO (offsets held back by open transactions), null when never known. */
  maxLsoGap: number | null;
  maxOpenTxns: number | null;
  /** Max LSO − committed over every group, null when no group committed on it. */
  maxGroupLag: number | null;
}

const maxOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));
const minOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));

/**
 * Per-partition aggregates over every kept poll from `from` to `to` (inclusive): what the hourly roll-up stores,
 * and what a partial current hour or day is computed from.
 */
export async function aggregatePartitions(database: Db, clusterId: number, range: { from: Date; to: Date }): Promise<PartitionAggregate[]> {
  const byKey = new Map<string, PartitionAggregate>();
  // Per layout: the aggregate of each partition slot, and the partition slot of each group-offset slot.
  let layout = null as { slots: string[]; aggregates: PartitionAggregate[]; offsetPartition: number[] } | null;
  let polls = 0;
  let lastPoll: PartitionAggregate[] = [];
  for await (const { state } of decodePolls(database, clusterId, range.from, range.to)) {
    if (layout?.slots !== state.slots) {
      const refs = state.slots.map(parseSlot);
      const slotOf = new Map(state.slots.map((k, i) => [k, i]));
      const aggregates = refs.slice(0, state.partitionSlots).map(({ topic, partition }, slot) => {
        let a = byKey.get(state.slots[slot]);
        if (!a) {
          a = { topic, partition, samples: 0, minHw: null, maxHw: null, firstSize: null, lastSize: null, maxSize: null, maxLsoGap: null, maxOpenTxns: null, maxGroupLag: null };
          byKey.set(state.slots[slot], a);
        }
        return a;
      });
      const offsetPartition = refs.slice(state.partitionSlots).map((r) => slotOf.get(partitionSlot(r.topic, r.partition)) ?? -1);
      layout = { slots: state.slots, aggregates, offsetPartition };
    }
    for (let slot = 0; slot < state.partitionSlots; slot++) {
      const a = layout.aggregates[slot];
      const v = partitionValues(state, slot);
      if (polls === 0) a.firstSize = v.sizeBytes;
      a.samples += 1;
      a.minHw = minOf(a.minHw, v.hw);
      a.maxHw = maxOf(a.maxHw, v.hw);
      a.maxSize = maxOf(a.maxSize, v.sizeBytes);
      a.lastSize = v.sizeBytes;
      a.maxLsoGap = maxOf(a.maxLsoGap, v.hw !== null && v.lso !== null ? v.hw - v.lso : null);
      a.maxOpenTxns = maxOf(a.maxOpenTxns, v.openTxnCount);
    }
    layout.offsetPartition.forEach((p, i) => {
      if (p < 0) return;
      const lso = partitionValues(state, p).lso;
      const committed = committedValue(state, state.partitionSlots + i);
      if (lso !== null && committed !== null) layout!.aggregates[p].maxGroupLag = maxOf(layout!.aggregates[p].maxGroupLag, lso - committed);
    });
    lastPoll = layout.aggregates;
    polls += 1;
  }
  // A partition missing from the last poll has no last size (the roll-up then records no size change).
  const inLastPoll = new Set(lastPoll);
  for (const a of byKey.values()) if (!inLastPoll.has(a)) a.lastSize = null;
  return [...byKey.values()];
}

/** Start of the oldest kept block of a cluster (null when none is). */
export async function oldestHistoryAt(database: Db, clusterId: number): Promise<Date | null> {
  const oldest = await database.historyBlock.findFirst({ where: { clusterId }, orderBy: { startedAt: "asc" }, select: { startedAt: true } });
  return oldest?.startedAt ?? null;
}

/** Start of the newest kept block of a cluster in [from, to) (null when none is). */
export async function newestHistoryAt(database: Db, clusterId: number, range: { from: Date; to: Date }): Promise<Date | null> {
  const newest = await database.historyBlock.findFirst({
    where: { clusterId, startedAt: { gte: range.from, lt: range.to } },
    orderBy: { startedAt: "desc" },
    select: { startedAt: true },
  });
  return newest?.startedAt ?? null;
}

/**
 * Drops the blocks older than `before`, except those that blocks at or after it still need: everything from the
 * newest keyframe at or before `before` on is kept, so every kept block still decodes.
 */
export async function pruneHistory(database: Db, before: Date): Promise<number> {
  const clusters = await database.cluster.findMany({ select: { id: true } });
  let deleted = 0;
  for (const { id } of clusters) {
    const keyframe = await database.historyBlock.findFirst({
      where: { clusterId: id, keyframe: true, startedAt: { lte: before } },
      orderBy: [{ startedAt: "desc" }, { pollId: "desc" }],
      select: { startedAt: true },
    });
    if (!keyframe) continue;
    deleted += (await database.historyBlock.deleteMany({ where: { clusterId: id, startedAt: { lt: keyframe.startedAt } } })).count;
  }
  // An hour row goes once its whole hour is past the cut-off.
  await database.historyHour.deleteMany({ where: { bucketStart: { lt: new Date(before.getTime() - HOUR) } } });
  return deleted;
}
