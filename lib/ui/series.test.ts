import { describe, expect, it } from "vitest";
import { groupLagSeries, partitionOffsetSeries, partitionRateCells, seriesSpan } from "./series";

const pt = (at: number, partition: number, hw: number | null, lso: number | null) => ({
  at,
  partition,
  logStartOffset: 0,
  highWatermark: hw,
  lastStableOffset: lso,
  sizeBytes: null,
});

describe("partitionOffsetSeries", () => {
  it("keeps one partition, sorted, with HW − LSO and gaps for unknown offsets", () => {
    const series = partitionOffsetSeries([pt(2000, 0, 50, 40), pt(1000, 0, 10, 10), pt(1000, 1, 99, 99), pt(3000, 0, null, null)], 0);
    expect(series).toEqual([
      { at: 1000, logStart: 0, hw: 10, lso: 10, txnBlocked: 0 },
      { at: 2000, logStart: 0, hw: 50, lso: 40, txnBlocked: 10 },
      { at: 3000, logStart: 0, hw: null, lso: null, txnBlocked: null },
    ]);
    expect(seriesSpan(series)).toBe(2000);
  });
});

describe("groupLagSeries", () => {
  it("sums consumable and txn-blocked lag over topics per poll, in time order", () => {
    const series = groupLagSeries([
      { at: 1, topic: "a", consumable: 5, txnBlocked: 20 },
      { at: 1, topic: "b", consumable: 0, txnBlocked: 2 },
      { at: 0, topic: "a", consumable: 0, txnBlocked: 0 },
    ]);
    expect(series).toEqual([
      { at: 0, consumable: 0, txnBlocked: 0 },
      { at: 1, consumable: 5, txnBlocked: 22 },
    ]);
  });
});

describe("partitionRateCells", () => {
  it("derives per-interval rates and leaves resets unknown", () => {
    const cells = partitionRateCells([pt(0, 0, 0, 0), pt(10_000, 0, 100, 100), pt(20_000, 0, 50, 50), pt(0, 1, 0, 0), pt(10_000, 1, 0, 0)]);
    expect(cells).toEqual([
      { partition: 0, at: 0, ratePerSec: 10, records: 100 },
      { partition: 0, at: 10_000, ratePerSec: null, records: null },
      { partition: 1, at: 0, ratePerSec: 0, records: 0 },
    ]);
  });
});
