import type { ClusterSnapshot } from "@/lib/snapshot/types";
import type { Db } from "../db";
import type { BlockState, HourSeries } from "./codec";

// Decoded blocks, per database client. A block never changes once written, so its decoded state is reused by every
// later read: charts refetched every poll, several charts over the same hour, time travel next to a charted poll,
// and the roll-up of an hour the charts already decoded. Hour rows (a 48 h chart reads 47) share the budget.
// Bounded by an estimate of the bytes the states hold.

/** Default budget: about an hour of 5,000-partition polls (a state is ~360 KB of values there). */
export const DECODED_CACHE_BYTES = 96 * 1024 * 1024;

/** Rough size of a state: its values and records (records shared with the previous state counted again: an upper bound). */
function sizeOf(state: BlockState | HourSeries<number | string>): number {
  let bytes = state.values.byteLength + 64;
  if ("records" in state) for (const r of state.records) bytes += 2 * r.length + 16;
  else bytes += 8 * state.at.length;
  return bytes;
}

type Entry = { state: BlockState; bytes: number } | { series: HourSeries<number | string>; bytes: number };

export class DecodedBlocks {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(private readonly budget: number) {}

  /** A decoded block: with records when asked for, else any (a state with records serves column reads too). */
  get(key: string, records: boolean): BlockState | undefined {
    const full = this.touch(`${key}:r`);
    return full ?? (records ? undefined : this.touch(`${key}:c`));
  }

  set(key: string, records: boolean, state: BlockState): void {
    this.put(`${key}:${records ? "r" : "c"}`, { state, bytes: sizeOf(state) });
  }

  /** A decoded hour row (see hourKey). */
  getSeries<K extends number | string>(key: string): HourSeries<K> | undefined {
    const entry = this.touchEntry(`${key}:h`);
    return entry && "series" in entry ? (entry.series as HourSeries<K>) : undefined;
  }

  setSeries(key: string, series: HourSeries<number | string>): void {
    this.put(`${key}:h`, { series, bytes: sizeOf(series) });
  }

  private put(id: string, entry: Entry) {
    if (entry.bytes > this.budget) return;
    this.delete(id);
    this.entries.set(id, entry);
    this.bytes += entry.bytes;
    for (const [oldest] of this.entries) {
      if (this.bytes <= this.budget) break;
      this.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  private touch(id: string): BlockState | undefined {
    const entry = this.touchEntry(id);
    return entry && "state" in entry ? entry.state : undefined;
  }

  private touchEntry(id: string): Entry | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    this.entries.delete(id);
    this.entries.set(id, entry);
    return entry;
  }

  private delete(id: string) {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    this.bytes -= entry.bytes;
  }
}

const caches = new WeakMap<Db, DecodedBlocks>();

/** The decoded-block cache of a database client. */
export function decodedBlocks(database: Db): DecodedBlocks {
  let cache = caches.get(database);
  if (!cache) {
    cache = new DecodedBlocks(DECODED_CACHE_BYTES);
    caches.set(database, cache);
  }
  return cache;
}

/** Drops a client's decoded blocks and snapshots (a measurement of reads that find nothing decoded). */
export function forgetDecodedBlocks(database: Db): void {
  caches.delete(database);
  snapshots.delete(database);
}

// Whole snapshots rebuilt for readers: at 5,000 partitions one takes tens of ms to inflate and parse, and every
// page of a poll (overview, topics, a topic, a group, a transaction; refetched each poll) reads the same one.

/** Snapshots kept per client: the latest, and a few time-travel targets. */
export const SNAPSHOTS_KEPT = 4;

const snapshots = new WeakMap<Db, Map<string, Promise<ClusterSnapshot>>>();

/** Freezes a snapshot through and through: it is shared by every reader, so none may change it. */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return value;
  for (const child of Object.values(value)) deepFreeze(child);
  return Object.freeze(value);
}

/** Thrown by a build whose stored row went (pruned, or replaced by a newer poll) after the caller looked it up. */
export class SnapshotGone extends Error {}

/**
 * The snapshot stored under `key` (a poll's, immutable once written), built once per client and shared, frozen,
 * by later reads; null when the build found its row gone. Concurrent reads share one build; a failed build is not kept.
 */
export async function sharedSnapshot(database: Db, key: string, build: () => Promise<ClusterSnapshot>): Promise<ClusterSnapshot | null> {
  let kept = snapshots.get(database);
  if (!kept) {
    kept = new Map();
    snapshots.set(database, kept);
  }
  let snapshot = kept.get(key);
  if (snapshot) kept.delete(key);
  else {
    snapshot = build().then(deepFreeze);
    snapshot.catch(() => kept.delete(key));
  }
  kept.set(key, snapshot);
  for (const [oldest] of kept) {
    if (kept.size <= SNAPSHOTS_KEPT) break;
    kept.delete(oldest);
  }
  return snapshot.catch((e) => {
    if (e instanceof SnapshotGone) return null;
    throw e;
  });
}

/** Cache key of a block: its poll and start (a poll id SQLite reuses after a delete comes with another start). */
export const blockKey = (block: { pollId: number; startedAt: Date }) => `${block.pollId}@${block.startedAt.getTime()}`;

/**
 * Cache key of an hour row. The roll-up may write an hour's rows again (a crash between its steps): from the same
 * blocks, so the same series; the row's size is in the key all the same.
 */
export const hourKey = (row: { clusterId: number; kind: string; name: string; bucketStart: Date; bytes: number }) =>
  `${row.clusterId}/${row.kind}/${row.bucketStart.getTime()}/${row.bytes}/${row.name}`;
