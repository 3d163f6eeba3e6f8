import { describe, expect, it } from "vitest";
import type { ClusterSnapshot } from "@/lib/snapshot/types";
import { fixtureGroup, fixtureTransaction, makeLargeSnapshot, makeSnapshot } from "../test-fixtures";
import { decodeBlock, decodeHourSeries, encodeBlock, encodeHourSeries, joinSnapshot, PARTITION_WIDTH, parseSlot, splitSnapshot, type BlockState } from "./codec";

/** Encodes a series of snapshots as one chain (first block a keyframe) and decodes it back. */
function roundTrip(snapshots: ClusterSnapshot[]) {
  let encodedPrevious: BlockState | null = null;
  let decodedPrevious: BlockState | null = null;
  const sizes: number[] = [];
  const decoded: ClusterSnapshot[] = [];
  for (const snapshot of snapshots) {
    const state = splitSnapshot(snapshot);
    const block = encodeBlock(state, encodedPrevious);
    sizes.push(block.length);
    decodedPrevious = decodeBlock(block, decodedPrevious);
    decoded.push(joinSnapshot(decodedPrevious));
    encodedPrevious = state;
  }
  return { decoded, sizes };
}

describe("history block codec", () => {
  it("gives back every snapshot of a chain exactly, through layout changes, nulls and large offsets", () => {
    const hostile = "grp\u0000with\u0000separators <b>&";
    const snapshots = [0, 1, 2, 3, 4].map((i) => makeSnapshot({ collectedAt: 1_000_000 + i * 15_000, pollIndex: i }));
    // Poll 2: a topic appears, offsets become unknown, a group with a hostile id commits, offsets near 2^52.
    snapshots[2].topics.push({ name: "late", internal: false, configs: {}, partitions: [{ ...snapshots[2].topics[0].partitions[0], partition: 0, highWatermark: 2 ** 52, lastStableOffset: null }] });
    snapshots[2].topics[0].partitions[1].highWatermark = null;
    snapshots[2].groups.push(fixtureGroup(hostile, [{ topic: "late", partition: 0, offset: 2 ** 52 - 7 }]));
    // Poll 3: the first topic is gone, a transaction opens, offsets go backwards (an unclean election).
    snapshots[3].topics.shift();
    snapshots[3].transactions.push(fixtureTransaction({ transactionalId: "new-id", state: "Ongoing", transactionStartTimeMs: 999 }));
    snapshots[3].topics[0].partitions[0].highWatermark = 3;
    const { decoded } = roundTrip(snapshots);
    expect(decoded).toEqual(snapshots);
    expect(parseSlot(splitSnapshot(snapshots[2]).slots.at(-1)!)).toEqual({ topic: "late", partition: 0, groupId: hostile });
  });

  it("writes a steady poll as a fraction of its keyframe", () => {
    const snapshots = [0, 1, 2].map((i) => makeLargeSnapshot(1_000, { collectedAt: 1_000_000 + i * 15_000, pollIndex: i }));
    const { sizes } = roundTrip(snapshots);
    expect(sizes[1]).toBeLessThan(sizes[0] / 3);
  });

  it("refuses a delta without the block before it", () => {
    const [a, b] = [0, 1].map((i) => splitSnapshot(makeSnapshot({ pollIndex: i })));
    expect(() => decodeBlock(encodeBlock(b, a), null)).toThrow(/without its keyframe/);
  });
});

describe("hour series codec", () => {
  it("gives back every value of an hour row: nulls, absent partitions, offsets near 2^53 and going backwards", () => {
    const partitions = [0, 1, 4];
    const polls = 6;
    const values = new Float64Array(polls * partitions.length * PARTITION_WIDTH);
    values.forEach((_, i) => (values[i] = i * 37 + (i % 5)));
    values[3] = NaN;
    values[PARTITION_WIDTH * 4] = 2 ** 53 - 1;
    values[PARTITION_WIDTH * 7] = 2;
    // Partition 4 is absent from poll 2 (every column NaN).
    values.fill(NaN, (2 * partitions.length + 2) * PARTITION_WIDTH, (2 * partitions.length + 3) * PARTITION_WIDTH);
    const at = Array.from({ length: polls }, (_, k) => 1_000_000 + k * 15_000);
    const decoded = decodeHourSeries(encodeHourSeries({ at, keys: partitions, width: PARTITION_WIDTH, values }));
    expect(decoded).toEqual({ at, keys: partitions, width: PARTITION_WIDTH, values });
    // Group rows: topic names (untrusted text) as keys.
    const keys = ['t"<b>', "orders"];
    const lag = Float64Array.from([5, 0, 1, NaN, NaN, NaN, 7, 2, 1, 4, 0, 1]);
    expect(decodeHourSeries(encodeHourSeries({ at: at.slice(0, 2), keys, width: 3, values: lag }))).toEqual({ at: at.slice(0, 2), keys, width: 3, values: lag });
  });

  it("decodes one key alone to the values the whole row has for it", () => {
    const keys = [0, 1, 4];
    const polls = 5;
    const values = new Float64Array(polls * keys.length * PARTITION_WIDTH).map((_, i) => (i % 11 === 3 ? NaN : i * 1_000_003 - (i % 7) * 2 ** 40));
    const at = Array.from({ length: polls }, (_, k) => 1_000_000 + k * 15_000);
    const data = encodeHourSeries({ at, keys, width: PARTITION_WIDTH, values });
    const one = decodeHourSeries<number>(data, (p) => p === 4);
    const whole = decodeHourSeries<number>(data);
    expect(one.keys).toEqual([4]);
    for (let poll = 0; poll < polls; poll++) {
      const row = (s: typeof one, k: number) => [...s.values.subarray((poll * s.keys.length + k) * PARTITION_WIDTH, (poll * s.keys.length + k + 1) * PARTITION_WIDTH)];
      expect(row(one, 0)).toEqual(row(whole, 2));
    }
    expect(decodeHourSeries<number>(data, () => false)).toEqual({ at, keys: [], width: PARTITION_WIDTH, values: new Float64Array(0) });
  });

  it("reads hour rows of the first release (values poll after poll), all keys whatever is asked", () => {
    // encodeHourSeries of the first release, of the series below.
    const v1 = Buffer.from("s2VgYKhWKlOyMtRRSixRsoo2NAADHUMDQ1MIbQzix+ooZadWFitZRRvoGMfqKJVnppRkKFkZ1fIyCLKysjMwcDL+/Q8G/NzMAA==", "base64");
    const series = { at: [1_000_000, 1_015_000, 1_030_000], keys: [0, 3], width: 2, values: Float64Array.from([5, NaN, 7, 1, 6, 2, NaN, NaN, 9, 2 ** 53 - 1, 4, 0]) };
    expect(decodeHourSeries<number>(v1, (p) => p === 3)).toEqual(series);
    expect(decodeHourSeries(encodeHourSeries(series))).toEqual(series);
  });
});
