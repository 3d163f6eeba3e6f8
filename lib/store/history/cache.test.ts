import { describe, expect, it } from "vitest";
import type { BlockState } from "./codec";
import { DecodedBlocks } from "./cache";

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
