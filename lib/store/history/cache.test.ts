import { describe, expect, it } from "vitest";
import { makeSnapshot } from "../test-fixtures";
import type { Db } from "../db";
import type { BlockState } from "./codec";
import { DecodedBlocks, sharedSnapshot, SnapshotGone, SNAPSHOTS_KEPT } from "./cache";

const state = (values: number, records: string[] = []): BlockState => ({ keys: [], records, slots: [], partitionSlots: 0, values: new Float64Array(values) });

describe("decoded block cache", () => {
  it("evicts the least recently used states past its byte budget", () => {
    // Three 800-byte states fit in 2,700 bytes, a fourth does not.
    const cache = new DecodedBlocks(2_700);
    const [a, b, c, d] = [state(100), state(100), state(100), state(100)];
    cache.set("a", false, a);
    cache.set("b", false, b);
    cache.set("c", false, c);
    expect(cache.get("a", false)).toBe(a);
    cache.set("d", false, d);
    expect(cache.size).toBe(3);
    // b was the least recently used once a was read.
    expect(cache.get("b", false)).toBeUndefined();
    expect([cache.get("a", false), cache.get("c", false), cache.get("d", false)]).toEqual([a, c, d]);
  });

  it("serves a column read from a state with records, never a records read from a columns-only state", () => {
    const cache = new DecodedBlocks(1 << 20);
    const columns = state(10);
    const full = state(10, ["{}"]);
    cache.set("x", false, columns);
    expect(cache.get("x", true)).toBeUndefined();
    cache.set("y", true, full);
    expect(cache.get("y", false)).toBe(full);
    expect(cache.get("y", true)).toBe(full);
  });

  it("keeps nothing larger than its whole budget", () => {
    const cache = new DecodedBlocks(100);
    cache.set("big", false, state(100));
    expect(cache.size).toBe(0);
  });
});

describe("shared snapshots", () => {
  // Only its identity is used: the cache is a WeakMap per client.
  const client = () => ({}) as Db;
  const snapshot = (pollIndex: number) => makeSnapshot({ pollIndex });

  it("builds once for concurrent and later reads, frozen through and through", async () => {
    const database = client();
    let builds = 0;
    const build = async () => {
      builds += 1;
      return snapshot(1);
    };
    const [a, b] = await Promise.all([sharedSnapshot(database, "k", build), sharedSnapshot(database, "k", build)]);
    expect(await sharedSnapshot(database, "k", build)).toBe(a);
    expect(b).toBe(a);
    expect(builds).toBe(1);
    expect(Object.isFrozen(a!.topics[0].partitions[0].replicas)).toBe(true);
    expect(() => (a!.topics as unknown[]).push(1)).toThrow(TypeError);
  });

  it("keeps the most recently read few, not a failed or gone build", async () => {
    const database = client();
    let builds = 0;
    const read = (key: string) =>
      sharedSnapshot(database, key, async () => {
        builds += 1;
        return snapshot(builds);
      });
    for (let i = 0; i <= SNAPSHOTS_KEPT; i++) await read(`p${i}`);
    expect(builds).toBe(SNAPSHOTS_KEPT + 1);
    await read(`p${SNAPSHOTS_KEPT}`);
    expect(builds).toBe(SNAPSHOTS_KEPT + 1);
    // The oldest went to make room.
    await read("p0");
    expect(builds).toBe(SNAPSHOTS_KEPT + 2);

    expect(await sharedSnapshot(database, "gone", () => Promise.reject(new SnapshotGone()))).toBeNull();
    await expect(sharedSnapshot(database, "broken", () => Promise.reject(new Error("corrupt")))).rejects.toThrow("corrupt");
    expect(await sharedSnapshot(database, "broken", async () => snapshot(9))).toMatchObject({ cluster: snapshot(9).cluster });
  });
});
