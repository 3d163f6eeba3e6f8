import { deflateRawSync, inflateRawSync } from "node:zlib";
import type { ClusterSnapshot, ConsumerGroupState, PartitionState, TopicState } from "@/lib/snapshot/types";

// One history block per poll per cluster, the way time-series databases store samples. A snapshot is split into
//  - columns: the numbers that move every poll (per partition log start, HW, LSO, size; per group committed
//    offset), written as zigzag varints of the difference to the previous block's value in the same slot;
//  - records: everything else as small JSON strings (one per topic, partition, group, transactional id, plus
//    the poll's own fields), written only when they differ from the previous block's.
// Slot and record keys (topic names, group ids, transactional ids: the dictionary) appear only in keyframes
// and in blocks whose layout changed; other blocks address slots and records by position. A keyframe depends
// on nothing, so any block decodes from the newest keyframe at or before it, and retention can drop
// everything before a keyframe. Columns and records are deflated apart: charts and roll-ups read columns only
// (leader and replica counts are columns too), time travel reads both.

export const BLOCK_VERSION = 1;

/** A keyframe at least every this many blocks: time travel decodes at most this many, retention frees in these steps. */
export const KEYFRAME_EVERY_POLLS = 20;

/** Per-partition columns, in slot order. */
const PARTITION_COLUMNS = ["logStart", "hw", "lso", "sizeBytes", "leader", "isrCount", "replicaCount", "openTxnCount"] as const;
export const PARTITION_WIDTH = PARTITION_COLUMNS.length;
export type PartitionValues = Record<(typeof PARTITION_COLUMNS)[number], number | null>;

/** Decoded state after a block: what the next block is encoded against, and what a snapshot is rebuilt from. */
export interface BlockState {
  /** Record keys in snapshot order ("m" poll fields, "t" topic, "p" partition, "g" group, "x" transactional id). */
  keys: string[];
  /** Empty when decoded without records (see decodeBlock). */
  records: string[];
  /** Column slot keys: one per partition (PARTITION_WIDTH values each), then one per committed group offset. */
  slots: string[];
  /** Flat column values: PARTITION_WIDTH per partition slot, one per group-offset slot; NaN stands for null. */
  values: Float64Array;
  /** Number of partition slots (they come first). */
  partitionSlots: number;
}

interface BlockHeader {
  v: number;
  /** Present when the record layout changed (always in a keyframe). */
  keys?: string[];
  /** Present when the column layout changed (always in a keyframe). */
  slots?: string[];
  partitionSlots?: number;
}

/** Changed records: [index into keys, JSON]. */
type ChangedRecords = [number, string][];

const SEP = "\u0000";
const nan = (v: number | null) => v ?? NaN;
const orNull = (v: number) => (Number.isNaN(v) ? null : v);
// Topic names cannot hold the separator; group ids are untrusted and may, so they come last in a key.
const partitionSlot = (topic: string, partition: number) => `p${SEP}${topic}${SEP}${partition}`;
const offsetSlot = (groupId: string, topic: string, partition: number) => `c${SEP}${topic}${SEP}${partition}${SEP}${groupId}`;

export interface SlotRef {
  topic: string;
  partition: number;
  /** Group-offset slots: the group. */
  groupId?: string;
}

/** What a slot key addresses. */
export function parseSlot(key: string): SlotRef {
  const end = key.indexOf(SEP, 2);
  const partitionEnd = key.indexOf(SEP, end + 1);
  const topic = key.slice(2, end);
  if (key[0] === "p") return { topic, partition: Number(key.slice(end + 1)) };
  return { topic, partition: Number(key.slice(end + 1, partitionEnd)), groupId: key.slice(partitionEnd + 1) };
}

/** A snapshot as records and columns (the state a block encodes). */
export function splitSnapshot(snapshot: ClusterSnapshot): BlockState {
  const { topics, groups, transactions, ...poll } = snapshot;
  const keys: string[] = ["m"];
  const records: string[] = [JSON.stringify(poll)];
  const slots: string[] = [];
  const values: number[] = [];
  for (const topic of topics) {
    const { partitions, ...rest } = topic;
    keys.push(`t${SEP}${topic.name}`);
    records.push(JSON.stringify(rest));
    for (const p of partitions) {
      const { logStartOffset, highWatermark, lastStableOffset, sizeBytes, ...meta } = p;
      const slot = partitionSlot(topic.name, p.partition);
      keys.push(slot);
      records.push(JSON.stringify(meta));
      slots.push(slot);
      const openTxns = p.producers === null ? null : p.producers.filter((pr) => pr.currentTxnStartOffset >= 0).length;
      values.push(nan(logStartOffset), nan(highWatermark), nan(lastStableOffset), nan(sizeBytes), p.leader, p.isr.length, p.replicas.length, nan(openTxns));
    }
  }
  const partitionSlots = slots.length;
  for (const group of groups) {
    keys.push(`g${SEP}${group.groupId}`);
    records.push(JSON.stringify({ ...group, offsets: group.offsets.map(({ offset: _offset, ...o }) => o) }));
    for (const o of group.offsets) {
      slots.push(offsetSlot(group.groupId, o.topic, o.partition));
      values.push(o.offset);
    }
  }
  for (const t of transactions) {
    keys.push(`x${SEP}${t.transactionalId}`);
    records.push(JSON.stringify(t));
  }
  return { keys, records, slots, values: Float64Array.from(values), partitionSlots };
}

/** The committed offset in a group-offset slot (slots from `partitionSlots` on). */
export const committedValue = (state: BlockState, slot: number) => orNull(state.values[state.partitionSlots * (PARTITION_WIDTH - 1) + slot]);

/** The snapshot a state holds (inverse of splitSnapshot). */
export function joinSnapshot(state: BlockState): ClusterSnapshot {
  // One parse of every record (thousands of small parses cost several times as much); the parsed objects are
  // fresh, so the column values are set on them in place.
  const records = JSON.parse(`[${state.records.join(",")}]`) as Record<string, unknown>[];
  const poll = records[0] as Omit<ClusterSnapshot, "topics" | "groups" | "transactions">;
  const snapshot: ClusterSnapshot = { ...poll, topics: [], groups: [], transactions: [] };
  let topic: TopicState | undefined;
  let partitionSlot = 0;
  let offsetSlot = state.partitionSlots;
  const v = state.values;
  for (let i = 1; i < state.keys.length; i++) {
    const record = records[i];
    switch (state.keys[i][0]) {
      case "t":
        topic = record as unknown as TopicState;
        topic.partitions = [];
        snapshot.topics.push(topic);
        break;
      case "p": {
        const base = partitionSlot++ * PARTITION_WIDTH;
        const p = record as unknown as PartitionState;
        p.logStartOffset = orNull(v[base]);
        p.highWatermark = orNull(v[base + 1]);
        p.lastStableOffset = orNull(v[base + 2]);
        p.sizeBytes = orNull(v[base + 3]);
        topic!.partitions.push(p);
        break;
      }
      case "g": {
        const group = record as unknown as ConsumerGroupState;
        for (const o of group.offsets) o.offset = committedValue(state, offsetSlot++) as number;
        snapshot.groups.push(group);
        break;
      }
      case "x":
        snapshot.transactions.push(record as unknown as ClusterSnapshot["transactions"][number]);
        break;
    }
  }
  return snapshot;
}

export const sameList = (a: readonly string[], b: readonly string[]) => a === b || a.length === b.length && a.every((x, i) => x === b[i]);

/** The values of `previous` each value of `next` is a delta against, matched by slot key (NaN: none, a delta from 0). */
function baseValues(next: { slots: string[]; partitionSlots: number }, previous: BlockState | null): Float64Array {
  const width = (partitionSlots: number, i: number) => (i < partitionSlots ? PARTITION_WIDTH : 1);
  const count = next.partitionSlots * PARTITION_WIDTH + (next.slots.length - next.partitionSlots);
  if (!previous) return new Float64Array(count).fill(NaN);
  if (sameList(next.slots, previous.slots)) return previous.values;
  const offsetOf = new Map<string, number>();
  let at = 0;
  previous.slots.forEach((slot, i) => {
    offsetOf.set(slot, at);
    at += width(previous.partitionSlots, i);
  });
  const base = new Float64Array(count).fill(NaN);
  let to = 0;
  next.slots.forEach((slot, i) => {
    const from = offsetOf.get(slot);
    const w = width(next.partitionSlots, i);
    for (let k = 0; k < w; k++, to++) if (from !== undefined) base[to] = previous.values[from + k];
  });
  return base;
}

// Zigzag varints in plain arithmetic: offsets exceed 32 bits, so no bitwise operators.
function writeVarint(out: number[], n: number) {
  while (n >= 128) {
    out.push((n % 128) + 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
}

// A value is one varint: 0 for null, else the zigzag of its delta plus ESCAPES; deltas whose zigzag would pass
// 2^53 (offsets near the top of the safe range) are an escape (1 up, 2 down) followed by the magnitude.
const ESCAPES = 3;
const BIG_DELTA = 2 ** 50;

function encodeValue(out: number[], value: number, base: number) {
  if (Number.isNaN(value)) return writeVarint(out, 0);
  const delta = value - (Number.isNaN(base) ? 0 : base);
  if (Math.abs(delta) >= BIG_DELTA) {
    writeVarint(out, delta > 0 ? 1 : 2);
    return writeVarint(out, Math.abs(delta));
  }
  writeVarint(out, (delta >= 0 ? delta * 2 : -delta * 2 - 1) + ESCAPES);
}

function section(header: unknown, tail: Buffer = Buffer.alloc(0)): Buffer {
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  return deflateRawSync(Buffer.concat([length, json, tail]));
}

/** Encodes `next` against `previous` (null: a keyframe): [columns length][deflated columns][deflated records]. */
export function encodeBlock(next: BlockState, previous: BlockState | null): Buffer {
  const header: BlockHeader = { v: BLOCK_VERSION };
  const sameKeys = previous !== null && sameList(next.keys, previous.keys);
  if (!sameKeys) header.keys = next.keys;
  if (!previous || !sameList(next.slots, previous.slots)) {
    header.slots = next.slots;
    header.partitionSlots = next.partitionSlots;
  }
  const changed: ChangedRecords = [];
  if (sameKeys) {
    next.records.forEach((r, i) => {
      if (r !== previous.records[i]) changed.push([i, r]);
    });
  } else {
    const before = new Map(previous?.keys.map((k, i) => [k, previous.records[i]]));
    next.records.forEach((r, i) => {
      if (before.get(next.keys[i]) !== r) changed.push([i, r]);
    });
  }
  const base = baseValues(next, previous);
  const columns: number[] = [];
  next.values.forEach((v, i) => encodeValue(columns, v, base[i]));
  const head = section(header, Buffer.from(columns));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(head.length);
  return Buffer.concat([length, head, section(changed)]);
}

export class BlockChainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BlockChainError";
  }
}

function readSection(data: Buffer): { header: unknown; tail: Buffer } {
  const raw = inflateRawSync(data);
  const length = raw.readUInt32LE(0);
  return { header: JSON.parse(raw.subarray(4, 4 + length).toString("utf8")), tail: raw.subarray(4 + length) };
}

/**
 * Decodes a block against the state of the block before it (null only for a keyframe). Without `records`, the
 * records section is not even inflated and the state carries none: enough for every column read.
 */
export function decodeBlock(block: Uint8Array, previous: BlockState | null, options: { records: boolean } = { records: true }): BlockState {
  const packed = Buffer.from(block.buffer, block.byteOffset, block.byteLength);
  const columnsLength = packed.readUInt32LE(0);
  const { header: parsed, tail: buffer } = readSection(packed.subarray(4, 4 + columnsLength));
  const header = parsed as BlockHeader;
  if (header.v !== BLOCK_VERSION) throw new BlockChainError(`Unknown history block version ${header.v}`);
  if (!previous && (!header.keys || !header.slots)) throw new BlockChainError("A history block without its keyframe");
  const keys = header.keys ?? previous!.keys;
  const slots = header.slots ?? previous!.slots;
  const partitionSlots = header.partitionSlots ?? previous!.partitionSlots;
  let records: string[] = [];
  if (options.records) {
    if (!header.keys) records = previous!.records.slice();
    else {
      const before = new Map(previous?.keys.map((k, i) => [k, previous.records[i]]));
      records = keys.map((k) => before.get(k) as string);
    }
    for (const [i, r] of readSection(packed.subarray(4 + columnsLength)).header as ChangedRecords) records[i] = r;
  }
  const values = readValues(buffer, baseValues({ slots, partitionSlots }, previous));
  return { keys, records, slots, partitionSlots, values };
}

/**
 * Varint values as encodeValue wrote them: each a delta against `base[i]`, or, with a number, against the value
 * that many places before it (NaN before the first: a delta from 0).
 */
function readValues(buffer: Uint8Array, base: Float64Array | { count: number; stride: number }): Float64Array {
  const bases = base instanceof Float64Array ? base : null;
  const stride = bases ? 0 : (base as { stride: number }).stride;
  const count = bases ? bases.length : (base as { count: number }).count;
  const values = new Float64Array(count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    // Varints inline: this loop runs once per value per block, the hot path of every chart.
    let code = 0;
    for (let scale = 1, byte = 128; byte >= 128; scale *= 128) {
      byte = buffer[at++];
      code += (byte & 127) * scale;
    }
    const b = bases ? bases[i] : i >= stride ? values[i - stride] : NaN;
    const from = Number.isNaN(b) ? 0 : b;
    if (code === 0) values[i] = NaN;
    else if (code <= 2) {
      let magnitude = 0;
      for (let scale = 1, byte = 128; byte >= 128; scale *= 128) {
        byte = buffer[at++];
        magnitude += (byte & 127) * scale;
      }
      values[i] = code === 1 ? from + magnitude : from - magnitude;
    } else {
      const z = code - ESCAPES;
      values[i] = from + (z % 2 === 0 ? z / 2 : -(z + 1) / 2);
    }
  }
  return values;
}

/**
 * Columns of one topic or group over the polls of an hour (the hour rows charts read instead of the blocks):
 * `values` holds, per poll, `width` values per key (a topic's partitions: its PARTITION_WIDTH columns; a group's
 * topics: its lag columns), NaN everywhere when the key was not in that poll; each value is a delta against the
 * same key's value one poll before.
 */
export interface HourSeries<K extends number | string> {
  at: number[];
  keys: K[];
  width: number;
  values: Float64Array;
}

/** Hour rows of the first release: the values poll after poll, every key's decoded together. */
const SERIES_BY_POLL = 1;
/**
 * Key after key: each key's values over the hour in one run at the byte offset the header gives, so a chart of
 * one partition decodes that partition's run only (a topic's row holds all its partitions).
 */
const SERIES_BY_KEY = 2;

export function encodeHourSeries(series: HourSeries<number | string>): Buffer {
  const { at, keys, width, values } = series;
  const stride = keys.length * width;
  const columns: number[] = [];
  const offsets: number[] = [];
  keys.forEach((_, k) => {
    offsets.push(columns.length);
    for (let poll = 0; poll < at.length; poll++) {
      for (let c = 0, i = poll * stride + k * width; c < width; c++, i++) encodeValue(columns, values[i], poll > 0 ? values[i - stride] : NaN);
    }
  });
  return section({ v: SERIES_BY_KEY, at, keys, width, offsets }, Buffer.from(columns));
}

/**
 * An hour row's series, of the keys `only` accepts (all without it; rows of the first release always give all:
 * callers pick their keys from `keys`).
 */
export function decodeHourSeries<K extends number | string>(data: Uint8Array, only?: (key: K) => boolean): HourSeries<K> {
  const { header, tail } = readSection(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  const { v, at, keys, width, offsets } = header as { v: number; at: number[]; keys: K[]; width: number; offsets?: number[] };
  if (v === SERIES_BY_POLL) return { at, keys, width, values: readValues(tail, { count: at.length * keys.length * width, stride: keys.length * width }) };
  if (v !== SERIES_BY_KEY || !offsets) throw new BlockChainError(`Unknown history series version ${v}`);
  const wanted = keys.flatMap((key, k) => (!only || only(key) ? [k] : []));
  const stride = wanted.length * width;
  const values = new Float64Array(at.length * stride);
  wanted.forEach((k, n) => {
    const run = readValues(tail.subarray(offsets[k]), { count: at.length * width, stride: width });
    for (let poll = 0; poll < at.length; poll++) values.set(run.subarray(poll * width, (poll + 1) * width), poll * stride + n * width);
  });
  return { at, keys: wanted.map((k) => keys[k]), width, values };
}

/** Everything a block holds, as text (to search stored data for what must never be stored). */
export function blockText(block: Uint8Array): string {
  const packed = Buffer.from(block.buffer, block.byteOffset, block.byteLength);
  const columnsLength = packed.readUInt32LE(0);
  return [packed.subarray(4, 4 + columnsLength), packed.subarray(4 + columnsLength)].map((part) => inflateRawSync(part).toString("utf8")).join("\n");
}

/** Column values of one partition slot in a state. */
export function partitionValues(state: Pick<BlockState, "values">, slotIndex: number): PartitionValues {
  const base = slotIndex * PARTITION_WIDTH;
  const v = state.values;
  return {
    logStart: orNull(v[base]),
    hw: orNull(v[base + 1]),
    lso: orNull(v[base + 2]),
    sizeBytes: orNull(v[base + 3]),
    leader: orNull(v[base + 4]),
    isrCount: orNull(v[base + 5]),
    replicaCount: orNull(v[base + 6]),
    openTxnCount: orNull(v[base + 7]),
  };
}

export { partitionSlot };
