import type { Db } from "../db";
import type { BlockState } from "./codec";

// Decoded blocks, per database client. A block never changes once written, so its decoded state is reused by every
// later read: charts refetched every poll, several charts over the same hour, time travel next to a charted poll,
// and the roll-up of an hour the charts already decoded. Bounded by an estimate of the bytes the states hold.

/** Default budget: about an hour of 5,000-partition polls (a state is ~360 KB of values there). */
export const DECODED_CACHE_BYTES = 96 * 1024 * 1024;

/** Rough size of a state: its values and records (records shared with the previous state counted again: an upper bound). */
function sizeOf(state: BlockState): number {
  let bytes = state.values.byteLength + 64;
  for (const r of state.records) bytes += 2 * r.length + 16;
  return bytes;
}

export class DecodedBlocks {
  private readonly entries = new Map<string, { state: BlockState; bytes: number }>();
  private bytes = 0;

  constructor(private readonly budget: number) {}

  /** A decoded block: with records when asked for, else any (a state with records serves column reads too). */
  get(key: string, records: boolean): BlockState | undefined {
    const full = this.touch(`${key}:r`);
    return full ?? (records ? undefined : this.touch(`${key}:c`));
  }

  set(key: string, records: boolean, state: BlockState): void {
    const id = `${key}:${records ? "r" : "c"}`;
    const bytes = sizeOf(state);
    if (bytes > this.budget) return;
    this.delete(id);
    this.entries.set(id, { state, bytes });
    this.bytes += bytes;
    for (const [oldest] of this.entries) {
      if (this.bytes <= this.budget) break;
      this.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  private touch(id: string): BlockState | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    this.entries.delete(id);
    this.entries.set(id, entry);
    return entry.state;
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

/** Drops a client's decoded blocks (a measurement of reads that find nothing decoded). */
export function forgetDecodedBlocks(database: Db): void {
  caches.delete(database);
}

/** Cache key of a block: its poll and start (a poll id SQLite reuses after a delete comes with another start). */
export const blockKey = (block: { pollId: number; startedAt: Date }) => `${block.pollId}@${block.startedAt.getTime()}`;
