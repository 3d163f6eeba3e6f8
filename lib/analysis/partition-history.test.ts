import { describe, expect, it } from "vitest";
import { foldPartitions, partitionRates } from "./partition-history";
import { resolveSettings } from "./settings";
import { T0, buildPartition, buildSnapshot, buildTopic } from "./testing/snapshot-builder";

const settings = resolveSettings({ rateSamples: 3, hotPersistentPolls: 2 });
const poll = (t: number, hw: number | null, lso: number | null, size: number | null = null) =>
  buildSnapshot({
    collectedAt: t,
    topics: [buildTopic("t", [buildPartition(0, { highWatermark: hw, lastStableOffset: lso, sizeBytes: size })])],
  });

describe("foldPartitions", () => {
  it("keeps the time the LSO stopped moving and the HW at that time", () => {
    let s = foldPartitions(undefined, poll(T0, 100, 100), settings);
    s = foldPartitions(s, poll(T0 + 15_000, 150, 120), settings);
    s = foldPartitions(s, poll(T0 + 30_000, 200, 120), settings);
    s = foldPartitions(s, poll(T0 + 45_000, 260, null), settings);
    expect(s["t:0"]).toMatchObject({ lso: 120, lsoSince: T0 + 15_000, hwAtLsoSince: 150 });
    expect(s["t:0"].samples).toHaveLength(3);
    expect(s["t:0"].samples[0][0]).toBe(T0 + 15_000);
  });

  it("drops partitions that disappeared", () => {
    const s = foldPartitions({ "gone:0": { lso: 1, lsoSince: 0, hwAtLsoSince: 1, openSince: null, samples: [], hotStreak: 0 } }, poll(T0, 1, 1), settings);
    expect(Object.keys(s)).toEqual(["t:0"]);
  });
});

describe("partitionRates", () => {
  it("computes records and bytes per second from the last two samples", () => {
    let s = foldPartitions(undefined, poll(T0, 100, 100, 1000), settings);
    s = foldPartitions(s, poll(T0 + 10_000, 600, 600, 51_000), settings);
    expect(partitionRates(s["t:0"])).toEqual({ recordsPerSec: 50, bytesPerSec: 5000 });
  });

  it("returns null bytes when retention shrank the log, and nulls with one sample", () => {
    let s = foldPartitions(undefined, poll(T0, 100, 100, 9000), settings);
    expect(partitionRates(s["t:0"])).toEqual({ recordsPerSec: null, bytesPerSec: null });
    s = foldPartitions(s, poll(T0 + 10_000, 200, 200, 1000), settings);
    expect(partitionRates(s["t:0"])).toEqual({ recordsPerSec: 10, bytesPerSec: null });
  });
});
