import type { ClusterSnapshot } from "@/lib/snapshot/types";
import { HOUR_MS, MINUTE_MS, floorTo } from "@/lib/time";
import { clusterIdOf } from "../clusters";
import { db, LARGE_TRANSACTION, type Db, type Prisma } from "../db";
import { blockKey, decodedBlocks, hourKey, sharedSnapshot, SnapshotGone } from "./cache";
import {
  committedValue,
  decodeBlock,
  decodeHourSeries,
  encodeBlock,
  encodeHourSeries,
  joinSnapshot,
  KEYFRAME_EVERY_POLLS,
  PARTITION_WIDTH,
  parseSlot,
  partitionSlot,
  partitionValues,
  sameList,
  splitSnapshot,
  type BlockState,
  type HourSeries,
  type PartitionValues,
  type SlotRef,
} from "./codec";

// The one way into per-poll history: the poller writes a block per poll here, and charts (topic, group, finding
// pages), time travel (`?at=`), the hourly roll-ups and capacity read samples only through these functions.

/** And at least this often in time, so sparse sampling does not stretch a chain over hours. */
const KEYFRAME_EVERY_MS = 10 * MINUTE_MS;
/** Blocks whose data is read per query while walking a range (bounds memory on 48 h ranges). */
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

/** The block of the newest kept poll at or before `at`, what time travel to `at` shows. */
async function newestBlockAtOrBefore(database: Db, cluster: string, at: Date) {
  const clusterId = await clusterIdOf(database, cluster);
  const target = await database.historyBlock.findFirst({
    where: { clusterId, startedAt: { lte: at } },
    orderBy: [{ startedAt: "desc" }, { pollId: "desc" }],
    select: { startedAt: true, pollId: true },
  });
  return { clusterId, target };
}

/** The snapshot of the newest poll at or before `at` whose history is kept (null when none is). */
export async function getSnapshotAt(cluster: string, at: Date, database: Db = db()): Promise<StoredSnapshot | null> {
  const { clusterId, target } = await newestBlockAtOrBefore(database, cluster, at);
  if (!target) return null;
  const snapshot = await sharedSnapshot(database, `block/${blockKey(target)}`, async () => {
    let state: BlockState | null = null;
    for await (const poll of decodePolls(database, clusterId, target.startedAt, target.startedAt, { records: true })) {
      if (poll.pollId === target.pollId) state = poll.state;
    }
    if (!state) throw new SnapshotGone();
    return joinSnapshot(state);
  });
  return snapshot ? { pollId: target.pollId, collectedAt: target.startedAt, snapshot } : null;
}

interface Layout {
  slotOf: Map<string, number>;
  refs: SlotRef[];
  /** Partition slots per topic, in partition order. */
  topics: Map<string, { slot: number; partition: number }[]>;
}

// Parsed layouts per slot list: decoded blocks of one layout share their list, so a reader parses it once, not
// once per read (a heatmap of 5 topics parsed 5,000 slot keys 5 times per request).
const layouts = new WeakMap<string[], Layout>();

function layoutOf(state: BlockState): Layout {
  let layout = layouts.get(state.slots);
  if (!layout) {
    const refs = state.slots.map(parseSlot);
    const topics = new Map<string, { slot: number; partition: number }[]>();
    for (let slot = 0; slot < state.partitionSlots; slot++) {
      const list = topics.get(refs[slot].topic) ?? [];
      topics.set(refs[slot].topic, list);
      list.push({ slot, partition: refs[slot].partition });
    }
    for (const list of topics.values()) list.sort((a, b) => a.partition - b.partition);
    layout = { slotOf: new Map(state.slots.map((k, i) => [k, i])), refs, topics };
    layouts.set(state.slots, layout);
  }
  return layout;
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
  const { clusterId, target } = await newestBlockAtOrBefore(database, cluster, at);
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

// Written out, not spread: a 48 h chart builds 11,520 of these, and object rest/spread is V8's slow path.
const partitionPoint = (at: Date, partition: number, v: PartitionValues, leader: number): PartitionPoint => ({
  at,
  partition,
  logStart: v.logStart,
  hw: v.hw,
  lso: v.lso,
  sizeBytes: v.sizeBytes,
  leader,
  isrCount: v.isrCount ?? 0,
  replicaCount: v.replicaCount ?? 0,
  openTxnCount: v.openTxnCount,
});

/**
 * Points over [from, to] from the hour rows of `name` where the roll-up wrote them, and from the blocks for the
 * rest (the current hour, hours not rolled up), in time order.
 */
async function fromHoursAndBlocks<P, K extends number | string>(
  database: Db,
  clusterId: number,
  row: { kind: "topic" | "group"; name: string; only?: K },
  range: { from: Date; to: Date },
  read: { hour(series: HourSeries<K>, from: number, to: number): P[]; blocks(from: Date, to: Date): Promise<P[]> },
): Promise<P[]> {
  const from = range.from.getTime();
  const to = range.to.getTime();
  const { only, ...rowKey } = row;
  const rows = await database.historyHour.findMany({
    where: { clusterId, ...rowKey, bucketStart: { gte: new Date(floorTo(from, HOUR_MS)), lte: range.to } },
    orderBy: { bucketStart: "asc" },
    select: { bucketStart: true, data: true },
  });
  const points: P[] = [];
  let cursor = from;
  const fromBlocks = async (until: number) => {
    if (until > cursor) points.push(...(await read.blocks(new Date(cursor), new Date(until - 1))));
  };
  const cache = decodedBlocks(database);
  for (const { bucketStart, data } of rows) {
    await fromBlocks(bucketStart.getTime());
    const key = hourKey({ clusterId, ...rowKey, bucketStart, bytes: data.byteLength });
    // Every key's series serves one key's read too.
    const keys = only === undefined ? "*" : `=${only}`;
    let series = cache.getSeries<K>(`${key}#*`) ?? cache.getSeries<K>(`${key}#${keys}`);
    if (!series) {
      series = decodeHourSeries<K>(data, only === undefined ? undefined : (k) => k === only);
      cache.setSeries(`${key}#${keys}`, series);
    }
    points.push(...read.hour(series, from, to));
    cursor = Math.max(cursor, bucketStart.getTime() + HOUR_MS);
  }
  await fromBlocks(to + 1);
  return points;
}

/** Every kept poll's values of a topic's partitions (all, or one) in a time range, in time then partition order. */
export async function getPartitionHistory(
  cluster: string,
  query: { topic: string; partition?: number; from: Date; to: Date },
  database: Db = db(),
): Promise<PartitionPoint[]> {
  const clusterId = await clusterIdOf(database, cluster);
  return fromHoursAndBlocks(database, clusterId, { kind: "topic", name: query.topic, only: query.partition }, query, {
    hour: (series: HourSeries<number>, from, to) => {
      const points: PartitionPoint[] = [];
      const wanted = series.keys.map((p, i) => ({ p, i })).filter(({ p }) => query.partition === undefined || p === query.partition);
      const view = { values: series.values };
      series.at.forEach((ms, k) => {
        if (ms < from || ms > to) return;
        const at = new Date(ms);
        for (const { p, i } of wanted) {
          const v = partitionValues(view, k * series.keys.length + i);
          // A partition not in this poll: no point, as from the blocks.
          if (v.leader === null) continue;
          points.push(partitionPoint(at, p, v, v.leader));
        }
      });
      return points;
    },
    blocks: (from, to) => partitionPointsFromBlocks(database, clusterId, { ...query, from, to }),
  });
}

async function partitionPointsFromBlocks(
  database: Db,
  clusterId: number,
  query: { topic: string; partition?: number; from: Date; to: Date },
): Promise<PartitionPoint[]> {
  const points: PartitionPoint[] = [];
  let layout = null as { slots: string[]; wanted: { slot: number; partition: number }[] } | null;
  for await (const { at, state } of decodePolls(database, clusterId, query.from, query.to)) {
    if (layout?.slots !== state.slots) {
      const slots = layoutOf(state).topics.get(query.topic) ?? [];
      layout = { slots: state.slots, wanted: query.partition === undefined ? slots : slots.filter((s) => s.partition === query.partition) };
    }
    for (const { slot, partition } of layout.wanted) {
      const v = partitionValues(state, slot);
      points.push(partitionPoint(at, partition, v, v.leader ?? -1));
    }
  }
  return points;
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

/** A group's committed offsets in a layout: the slot of each and of its partition. */
type GroupOffsets = { topic: string; slot: number; partitionSlot: number | undefined }[];

/** Committed-offset slots of every group (or of the groups `wanted` accepts) in a state's layout. */
function groupOffsets(state: BlockState, wanted: (groupId: string, topic: string) => boolean) {
  const { slotOf, refs } = layoutOf(state);
  const byGroup = new Map<string, GroupOffsets>();
  for (let slot = state.partitionSlots; slot < state.slots.length; slot++) {
    const { groupId, topic, partition } = refs[slot];
    if (!wanted(groupId!, topic)) continue;
    const offsets = byGroup.get(groupId!) ?? [];
    byGroup.set(groupId!, offsets);
    offsets.push({ topic, slot, partitionSlot: slotOf.get(partitionSlot(topic, partition)) });
  }
  return byGroup;
}

/** A group's lag per topic at one poll (partitions with an unknown LSO or HW are left out). */
function lagPoints(state: BlockState, offsets: GroupOffsets, at: Date): GroupLagPoint[] {
  const byTopic = new Map<string, GroupLagPoint>();
  for (const o of offsets) {
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
  return [...byTopic.values()];
}

/** Lag columns of a group's hour row, per topic. */
const LAG_WIDTH = 3;

/** EOS-aware lag of a group per kept poll and topic (partitions with an unknown LSO or HW are left out). */
export async function getGroupLagSeries(
  cluster: string,
  query: { groupId: string; topic?: string; from: Date; to: Date },
  database: Db = db(),
): Promise<GroupLagPoint[]> {
  const clusterId = await clusterIdOf(database, cluster);
  return fromHoursAndBlocks(database, clusterId, { kind: "group", name: query.groupId }, query, {
    hour: (series: HourSeries<string>, from, to) => {
      const points: GroupLagPoint[] = [];
      series.at.forEach((ms, k) => {
        if (ms < from || ms > to) return;
        series.keys.forEach((topic, i) => {
          const base = (k * series.keys.length + i) * LAG_WIDTH;
          // A topic without a lag at this poll: no point, as from the blocks.
          if (Number.isNaN(series.values[base]) || (query.topic !== undefined && topic !== query.topic)) return;
          points.push({ at: new Date(ms), topic, lag: series.values[base], heldBackByTransactions: series.values[base + 1], partitions: series.values[base + 2] });
        });
      });
      return points;
    },
    blocks: async (from, to) => {
      const points: GroupLagPoint[] = [];
      let layout = null as { slots: string[]; offsets: GroupOffsets } | null;
      for await (const { at, state } of decodePolls(database, clusterId, from, to)) {
        if (layout?.slots !== state.slots) {
          const byGroup = groupOffsets(state, (groupId, topic) => groupId === query.groupId && (query.topic === undefined || topic === query.topic));
          layout = { slots: state.slots, offsets: byGroup.get(query.groupId) ?? [] };
        }
        points.push(...lagPoints(state, layout.offsets, at));
      }
      return points;
    },
  });
}

/** Columns keyed per poll, laid out as an hour row: keys in first-seen order, NaN where a poll lacks a key. */
function hourSeries<K extends number | string>(polls: { at: number; rows: Map<K, ArrayLike<number>> }[], width: number, order?: (a: K, b: K) => number): HourSeries<K> {
  const keys = [...new Set(polls.flatMap((p) => [...p.rows.keys()]))];
  if (order) keys.sort(order);
  const column = new Map(keys.map((key, i) => [key, i]));
  const stride = keys.length * width;
  const values = new Float64Array(polls.length * stride).fill(NaN);
  polls.forEach((poll, k) => {
    for (const [key, row] of poll.rows) values.set(row, k * stride + column.get(key)! * width);
  });
  return { at: polls.map((p) => p.at), keys, width, values };
}

/**
 * Writes (or rewrites) the hour rows of a finished hour from its blocks: per topic, its partitions' columns at
 * every kept poll of the hour; per group, its lag per topic. Idempotent; false when no block of the hour is kept.
 */
export async function writeHistoryHour(database: Db, clusterId: number, bucketStart: Date): Promise<boolean> {
  type Poll<K> = { at: number; rows: Map<K, ArrayLike<number>> };
  const topics = new Map<string, Poll<number>[]>();
  const groups = new Map<string, Poll<string>[]>();
  type Layout = { slots: string[]; topics: { topic: string; slots: { slot: number; partition: number }[] }[]; groups: Map<string, GroupOffsets> };
  let layout = null as Layout | null;
  for await (const { at, state } of decodePolls(database, clusterId, bucketStart, new Date(bucketStart.getTime() + HOUR_MS - 1))) {
    if (layout?.slots !== state.slots) {
      const { refs } = layoutOf(state);
      const byTopic = new Map<string, { slot: number; partition: number }[]>();
      for (let slot = 0; slot < state.partitionSlots; slot++) {
        const list = byTopic.get(refs[slot].topic) ?? [];
        byTopic.set(refs[slot].topic, list);
        list.push({ slot, partition: refs[slot].partition });
      }
      layout = { slots: state.slots, topics: [...byTopic].map(([topic, slots]) => ({ topic, slots })), groups: groupOffsets(state, () => true) };
    }
    const ms = at.getTime();
    for (const t of layout.topics) {
      const rows = new Map(t.slots.map(({ slot, partition }) => [partition, state.values.subarray(slot * PARTITION_WIDTH, (slot + 1) * PARTITION_WIDTH)]));
      const polls = topics.get(t.topic) ?? [];
      topics.set(t.topic, polls);
      polls.push({ at: ms, rows });
    }
    for (const [groupId, offsets] of layout.groups) {
      const rows = new Map(lagPoints(state, offsets, at).map((p) => [p.topic, [p.lag, p.heldBackByTransactions, p.partitions]]));
      const polls = groups.get(groupId) ?? [];
      groups.set(groupId, polls);
      polls.push({ at: ms, rows });
    }
  }
  if (topics.size === 0) return false;
  const row = (kind: "topic" | "group", name: string, series: HourSeries<number | string>) => ({ clusterId, kind, name, bucketStart, data: new Uint8Array(encodeHourSeries(series)) });
  const rows = [
    ...[...topics].map(([topic, polls]) => row("topic", topic, hourSeries(polls, PARTITION_WIDTH, (a, b) => a - b))),
    ...[...groups].map(([groupId, polls]) => row("group", groupId, hourSeries(polls, LAG_WIDTH))),
  ];
  await database.$transaction(
    [database.historyHour.deleteMany({ where: { clusterId, bucketStart } }), database.historyHour.createMany({ data: rows })],
    LARGE_TRANSACTION,
  );
  return true;
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

/** Per-partition aggregates over polls fed in time order, one decoded state at a time. */
class PartitionAggregator {
  private readonly byKey = new Map<string, PartitionAggregate>();
  // Per layout: the aggregate of each partition slot, and the partition slot of each group-offset slot.
  private layout = null as { slots: string[]; aggregates: PartitionAggregate[]; offsetPartition: number[] } | null;
  private polls = 0;
  private lastPoll: PartitionAggregate[] = [];

  add(state: BlockState): void {
    if (this.layout?.slots !== state.slots) {
      const refs = state.slots.map(parseSlot);
      const slotOf = new Map(state.slots.map((k, i) => [k, i]));
      const aggregates = refs.slice(0, state.partitionSlots).map(({ topic, partition }, slot) => {
        let a = this.byKey.get(state.slots[slot]);
        if (!a) {
          a = { topic, partition, samples: 0, minHw: null, maxHw: null, firstSize: null, lastSize: null, maxSize: null, maxLsoGap: null, maxOpenTxns: null, maxGroupLag: null };
          this.byKey.set(state.slots[slot], a);
        }
        return a;
      });
      const offsetPartition = refs.slice(state.partitionSlots).map((r) => slotOf.get(partitionSlot(r.topic, r.partition)) ?? -1);
      this.layout = { slots: state.slots, aggregates, offsetPartition };
    }
    const { aggregates, offsetPartition } = this.layout;
    for (let slot = 0; slot < state.partitionSlots; slot++) {
      const a = aggregates[slot];
      const v = partitionValues(state, slot);
      if (this.polls === 0) a.firstSize = v.sizeBytes;
      a.samples += 1;
      a.minHw = minOf(a.minHw, v.hw);
      a.maxHw = maxOf(a.maxHw, v.hw);
      a.maxSize = maxOf(a.maxSize, v.sizeBytes);
      a.lastSize = v.sizeBytes;
      a.maxLsoGap = maxOf(a.maxLsoGap, v.hw !== null && v.lso !== null ? v.hw - v.lso : null);
      a.maxOpenTxns = maxOf(a.maxOpenTxns, v.openTxnCount);
    }
    offsetPartition.forEach((p, i) => {
      if (p < 0) return;
      const lso = partitionValues(state, p).lso;
      const committed = committedValue(state, state.partitionSlots + i);
      if (lso !== null && committed !== null) aggregates[p].maxGroupLag = maxOf(aggregates[p].maxGroupLag, lso - committed);
    });
    this.lastPoll = aggregates;
    this.polls += 1;
  }

  /** The aggregates of the polls fed so far, as copies (more polls may follow). */
  result(): PartitionAggregate[] {
    // A partition missing from the last poll has no last size (the roll-up then records no size change).
    const inLastPoll = new Set(this.lastPoll);
    return [...this.byKey.values()].map((a) => (inLastPoll.has(a) ? { ...a } : { ...a, lastSize: null }));
  }
}

/** A range's aggregator and the blocks it was fed from (their keys, as listed: decoded or skipped). */
interface RangeAggregate {
  blocks: string[];
  aggregator: PartitionAggregator;
}

/**
 * Ranges aggregated per client, by cluster and start: the current hour is asked for on every capacity request,
 * and each time only the polls written since are added (a from-scratch pass over an hour of 5,000-partition
 * polls took ~470 ms). A few per cluster: the current hour, and a finished one the hourly job has not stored yet.
 */
const rangeAggregates = new WeakMap<Db, Map<string, RangeAggregate>>();
const RANGES_KEPT = 8;

/**
 * Per-partition aggregates over every kept poll from `from` to `to` (inclusive): what the hourly roll-up stores,
 * and what a partial current hour or day is computed from. Extends the aggregate of an earlier call over the same
 * start when the blocks it read are still the first ones listed (none pruned or replaced), else starts over.
 */
export async function aggregatePartitions(database: Db, clusterId: number, range: { from: Date; to: Date }): Promise<PartitionAggregate[]> {
  const listing = await database.historyBlock.findMany({
    where: { clusterId, startedAt: { gte: range.from, lte: range.to } },
    orderBy: [{ startedAt: "asc" }, { pollId: "asc" }],
    select: { pollId: true, startedAt: true },
  });
  const keys = listing.map(blockKey);
  let kept = rangeAggregates.get(database);
  if (!kept) {
    kept = new Map();
    rangeAggregates.set(database, kept);
  }
  const id = `${clusterId}@${range.from.getTime()}`;
  let entry = kept.get(id);
  kept.delete(id);
  const continues = entry !== undefined && entry.blocks.length <= keys.length && entry.blocks.every((k, i) => k === keys[i]);
  if (!entry || !continues) entry = { blocks: [], aggregator: new PartitionAggregator() };
  else if (entry.blocks.length < keys.length) {
    // Only the new blocks; any other outcome than each of them decoded in order (one pruned meanwhile, a broken
    // chain) is left to a pass from scratch, whose result is the reference.
    const wanted = keys.slice(entry.blocks.length);
    const added: BlockState[] = [];
    for await (const poll of decodePolls(database, clusterId, listing[entry.blocks.length].startedAt, range.to)) {
      if (blockKey({ pollId: poll.pollId, startedAt: poll.at }) !== wanted[added.length]) break;
      added.push(poll.state);
    }
    if (added.length === wanted.length) {
      for (const state of added) entry.aggregator.add(state);
      entry.blocks = keys;
    } else entry = { blocks: [], aggregator: new PartitionAggregator() };
  }
  if (entry.blocks.length === 0 && keys.length > 0) {
    for await (const { state } of decodePolls(database, clusterId, range.from, range.to)) entry.aggregator.add(state);
    entry.blocks = keys;
  }
  kept.set(id, entry);
  for (const [oldest] of kept) {
    if (kept.size <= RANGES_KEPT) break;
    kept.delete(oldest);
  }
  return entry.aggregator.result();
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
  await database.historyHour.deleteMany({ where: { bucketStart: { lt: new Date(before.getTime() - HOUR_MS) } } });
  return deleted;
}
