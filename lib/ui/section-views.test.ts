import { describe, expect, it } from "vitest";
import type { FindingDto, PartitionRow, TopicRollupPoint } from "./dto";
import {
  capacityCsvRows,
  capacityRows,
  groupConfigRisks,
  heatmapCellLabel,
  heatmapGrid,
  heatmapTicks,
  partitionerHint,
  partitionShares,
  skewOverTime,
  throughputSeries,
  topSkewedPartitions,
  TRANSACTION_CSV_HEADER,
  transactionCapacity,
  transactionCsvRows,
  transactionSeries,
  type TransactionRollupRow,
} from "./section-views";

const finding = (id: string, kind: string, severity: FindingDto["severity"], subject: Partial<FindingDto["subject"]>) =>
  ({
    id,
    kind,
    severity,
    lastSeenAt: 0,
    subject: { topic: null, partition: null, transactionalId: null, groupId: null, brokerId: null, detail: null, ...subject },
  }) as FindingDto;

describe("groupConfigRisks", () => {
  it("groups config findings by topic, broker and cluster, worst first, ignoring other kinds", () => {
    const groups = groupConfigRisks(
      [
        finding("a", "config-min-isr-one", "warning", { topic: "payments" }),
        finding("b", "config-unclean-election", "critical", { brokerId: 2 }),
        finding("c", "config-transaction-log", "warning", {}),
        finding("d", "config-low-replication", "info", { topic: "payments" }),
        finding("e", "hanging-transaction", "critical", { topic: "orders" }),
      ],
      "prod",
    );
    expect(groups.map((g) => [g.scope, g.name, g.findings.map((f) => f.id)])).toEqual([
      ["broker", "2", ["b"]],
      ["cluster", "prod", ["c"]],
      ["topic", "payments", ["a", "d"]],
    ]);
  });
});

describe("topSkewedPartitions", () => {
  const p = (partition: number, ratePerSec: number | null, skew: number | null) => ({ partition, leader: 1, ratePerSec, skew }) as PartitionRow;

  it("keeps partitions above their topic mean, most skewed first", () => {
    const rows = topSkewedPartitions([
      { topic: "a", partitions: [p(0, 30, 1.5), p(1, 10, 0.5)] },
      { topic: "b", partitions: [p(0, 90, 2.7), p(1, 5, 0.15), p(2, 5, 0.15)] },
      { topic: "single", partitions: [p(0, 100, 1)] },
      { topic: "unknown", partitions: [p(0, null, null), p(1, null, null)] },
    ]);
    expect(rows.map((r) => [r.topic, r.partition, r.skew])).toEqual([
      ["b", 0, 2.7],
      ["a", 0, 1.5],
    ]);
  });
});

describe("heatmapGrid", () => {
  it("lays cells out as partition rows by time columns", () => {
    const grid = heatmapGrid([
      { partition: 1, at: 20, ratePerSec: 5 },
      { partition: 0, at: 10, ratePerSec: 2 },
      { partition: 0, at: 20, ratePerSec: null },
    ]);
    expect(grid).toEqual({ partitions: [0, 1], times: [10, 20], values: [[2, null], [null, 5]], medians: [2, 5], max: 5 });
  });

  it("takes each time column's median over the partitions that have a rate", () => {
    const cells = [0, 1, 2, 3].map((partition) => ({ partition, at: 10, ratePerSec: [4, 1, 3, null][partition] }));
    expect(heatmapGrid(cells).medians).toEqual([3]);
    expect(heatmapGrid([...cells, { partition: 4, at: 10, ratePerSec: 10 }]).medians).toEqual([3.5]);
    expect(heatmapGrid([{ partition: 0, at: 10, ratePerSec: null }]).medians).toEqual([null]);
  });
});

describe("heatmapGrid column merging", () => {
  it("merges columns beyond what the width shows, each taking the mean of its rates", () => {
    const cells = [0, 1, 2, 3, 4].map((i) => ({ partition: 0, at: i * 10, ratePerSec: i === 1 ? null : i * 2 }));
    const grid = heatmapGrid(cells, 2);
    expect(grid.times).toEqual([0, 30]);
    // Columns {0, 10, 20} → mean of 0 and 4; {30, 40} → mean of 6 and 8.
    expect(grid.values).toEqual([[2, 7]]);
    expect(grid.max).toBe(7);
    expect(heatmapGrid(cells, 10).times).toHaveLength(5);
  });
});

describe("skewOverTime", () => {
  it("divides the busiest partition's rate by the mean, per column", () => {
    const grid = heatmapGrid([
      { partition: 0, at: 0, ratePerSec: 9 },
      { partition: 1, at: 0, ratePerSec: 3 },
      { partition: 2, at: 0, ratePerSec: 0 },
      { partition: 0, at: 10, ratePerSec: 0 },
      { partition: 1, at: 10, ratePerSec: 0 },
      { partition: 0, at: 20, ratePerSec: 5 },
      { partition: 1, at: 20, ratePerSec: null },
    ]);
    expect(skewOverTime(grid)).toEqual([2.25, null, null]);
  });
});

describe("heatmapTicks", () => {
  const minute = 60_000;
  const times = Array.from({ length: 60 }, (_, i) => Date.UTC(2026, 0, 1, 10, 0) + i * minute);

  it("labels as many columns as fit the width, never closer than a label and a gap, none past the right edge", () => {
    for (const width of [300, 600, 1200]) {
      const ticks = heatmapTicks(times, width);
      const columnPx = width / times.length;
      const starts = ticks.map((t) => t.column * columnPx);
      for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBeGreaterThanOrEqual(5 * 7 + 16);
      expect(starts.at(-1)! + 5 * 7).toBeLessThanOrEqual(width);
      expect(ticks.length).toBeGreaterThanOrEqual(Math.floor(width / (2 * (5 * 7 + 16))));
    }
    expect(heatmapTicks(times, 1200)[0]).toEqual({ column: 0, label: "10:00" });
    expect(heatmapTicks(times, 1200).length).toBeGreaterThan(heatmapTicks(times, 300).length);
  });

  it("has nothing to label without columns or width", () => {
    expect(heatmapTicks([], 500)).toEqual([]);
    expect(heatmapTicks(times, 0)).toEqual([]);
  });
});

describe("partitionShares and partitionerHint", () => {
  const cells = (records: number[]) => records.flatMap((n, partition) => [{ partition, records: n / 2 }, { partition, records: n / 2 }]);

  it("gives each partition's share of the topic's records over the window, busiest first", () => {
    expect(partitionShares([...cells([10, 30, 60]), { partition: 1, records: null }])).toEqual([
      { partition: 2, records: 60, share: 0.6 },
      { partition: 1, records: 30, share: 0.3 },
      { partition: 0, records: 10, share: 0.1 },
    ]);
    expect(partitionShares(cells([0, 0])).map((s) => s.share)).toEqual([0, 0]);
  });

  it("reads a few hot partitions with the rest idle as a key with few distinct values", () => {
    // A composite key with 3 buckets on 12 partitions: 3 busy partitions, 9 idle.
    const hint = partitionerHint(partitionShares(cells([0, 400, 0, 0, 350, 0, 0, 0, 250, 0, 0, 0])));
    expect(hint?.kind).toBe("few-keys");
    expect(hint?.finding).toBe("3 of 12 partitions (p1, p4, p8) take 100% of the records; 9 are idle.");
    expect(hint?.advice).toContain("composite key with a small bucket count");
  });

  it("reads one hot partition over a busy rest as a heavy key", () => {
    const hint = partitionerHint(partitionShares(cells([100, 100, 100, 100, 100, 700])));
    expect(hint).toMatchObject({ kind: "heavy-key" });
    expect(hint?.finding).toBe("p5 takes 58% of the records, against an even share of 17% per partition; the rest are busy too.");
  });

  it("says nothing about an even spread, two partitions or an idle topic", () => {
    expect(partitionerHint(partitionShares(cells([100, 120, 90, 110, 95, 105])))).toBeNull();
    expect(partitionerHint(partitionShares(cells([0, 100])))).toBeNull();
    expect(partitionerHint(partitionShares(cells([0, 0, 0, 0])))).toBeNull();
  });
});

describe("heatmapCellLabel", () => {
  it("names the partition, time, rate and rate relative to the median", () => {
    expect(heatmapCellLabel({ topic: "orders", partition: 3, time: "10:15 UTC", rate: 812, median: 198 })).toBe(
      "orders-3 at 10:15 UTC: 812 records/s, 4.1× median",
    );
  });

  it("leaves the ratio out without a median and says when there is no rate", () => {
    expect(heatmapCellLabel({ topic: "orders", partition: 0, time: "10:15 UTC", rate: 5, median: 0 })).toBe("orders-0 at 10:15 UTC: 5 records/s");
    expect(heatmapCellLabel({ topic: "orders", partition: 0, time: "10:15 UTC", rate: null, median: 3 })).toBe("orders-0 at 10:15 UTC: no rate");
  });
});

describe("capacity", () => {
  const hour = 3_600_000;
  const pt = (bucketStart: number, topic: string, recordsIn: number, extra: Partial<TopicRollupPoint> = {}): TopicRollupPoint => ({
    bucketStart,
    topic,
    partitionCount: 2,
    recordsIn,
    bytesDelta: recordsIn * 100,
    maxSizeBytes: 1000,
    maxLsoGap: 0,
    maxGroupLag: 0,
    maxOpenTxns: 0,
    ...extra,
  });

  it("summarises throughput, peaks, skew and EOS maxima per topic", () => {
    const rows = capacityRows(
      [pt(0, "a", 3600), pt(hour, "a", 7200, { maxLsoGap: 50, maxOpenTxns: 3, bytesDelta: -10 }), pt(0, "b", 36)],
      hour,
      new Map([["a", [8100, 2700]]]),
    );
    expect(rows[0]).toMatchObject({
      topic: "a",
      recordsIn: 10800,
      avgRecordsPerSec: 1.5,
      peakRecordsPerSec: 2,
      bytesIn: 360000,
      skew: 1.5,
      maxLsoGap: 50,
      maxOpenTxns: 3,
    });
    expect(rows[1]).toMatchObject({ topic: "b", skew: null });
    expect(capacityCsvRows(rows)[0]).toEqual(["a", 2, 10800, 1.5, 2, 360000, 1000, 1.5, 50, 0, 3]);
  });

  it("rates the unfinished current bucket over its elapsed part only", () => {
    const partial = { bucketStart: hour, to: hour + hour / 4 };
    const rows = capacityRows([pt(0, "a", 3600), pt(hour, "a", 1800)], hour, new Map(), partial);
    // 5,400 records over 1 h 15 min; the partial quarter hour runs at 2 records/s.
    expect(rows[0]).toMatchObject({ recordsIn: 5400, avgRecordsPerSec: 1.2, peakRecordsPerSec: 2 });
    expect(throughputSeries([pt(0, "a", 3600), pt(hour, "a", 1800)], ["a"], hour, partial)).toEqual([
      { at: 0, a: 1 },
      { at: hour, a: 2 },
    ]);
  });

  it("builds a records/s series for the chosen topics", () => {
    expect(throughputSeries([pt(hour, "a", 7200), pt(0, "a", 3600), pt(0, "b", 36)], ["a"], hour)).toEqual([
      { at: 0, a: 1 },
      { at: hour, a: 2 },
    ]);
  });
});

describe("transaction capacity", () => {
  const hour = 3_600_000;
  const row = (bucketStart: number, extra: Partial<TransactionRollupRow> = {}): TransactionRollupRow => ({
    bucketStart,
    observedCommits: 10,
    observedAborts: 1,
    activeIds: 3,
    openSamples: 4,
    sumOpenMs: 8_000,
    maxOpenMs: 5_000,
    maxOpenTxns: 2,
    ...extra,
  });

  it("averages open durations per open transaction, not per bucket, and keeps the range's distinct id count", () => {
    const { points, summary } = transactionCapacity([row(0), row(hour, { observedCommits: 30, openSamples: 1, sumOpenMs: 60_000, maxOpenMs: 60_000 })], 4);
    expect(points.map((p) => [p.avgOpenMs, p.maxOpenMs])).toEqual([
      [2_000, 5_000],
      [60_000, 60_000],
    ]);
    expect(summary).toEqual({
      observedCommits: 40,
      observedAborts: 2,
      activeIds: 4,
      avgOpenMs: 68_000 / 5,
      maxOpenMs: 60_000,
      maxOpenTxns: 2,
      peakCompletionsPerBucket: 31,
    });
  });

  it("has no open duration when no transaction was open", () => {
    const { points, summary } = transactionCapacity([row(0, { openSamples: 0, sumOpenMs: 0, maxOpenMs: 0, maxOpenTxns: 0 })], 0);
    expect(points[0]).toMatchObject({ avgOpenMs: null, maxOpenMs: null });
    expect(summary).toMatchObject({ avgOpenMs: null, maxOpenMs: null, maxOpenTxns: 0 });
    expect(transactionCapacity([], 0).summary).toMatchObject({ observedCommits: 0, avgOpenMs: null, peakCompletionsPerBucket: 0 });
  });

  it("charts completions and open ages in seconds", () => {
    const { points } = transactionCapacity([row(hour)], 3);
    expect(transactionSeries(points)).toEqual([{ at: hour, commits: 10, aborts: 1, activeIds: 3, avgOpenSec: 2, maxOpenSec: 5 }]);
  });

  it("exports one CSV row per bucket with an ISO time and whole milliseconds", () => {
    const { points } = transactionCapacity([row(0, { sumOpenMs: 10_001, openSamples: 3 })], 3);
    expect(TRANSACTION_CSV_HEADER).toHaveLength(transactionCsvRows(points)[0].length);
    expect(transactionCsvRows(points)).toEqual([["1970-01-01T00:00:00.000Z", 10, 1, 3, 3334, 5_000, 2]]);
  });
});
