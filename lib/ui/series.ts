import type { GroupLagPoint, PartitionPoint } from "./dto";

// Chart-ready series: one object per poll time, numeric fields only, sorted by time. Recharts draws gaps
// where a value is null, which is what an unreadable offset should look like.

export interface OffsetSeriesPoint {
  at: number;
  logStart: number | null;
  hw: number | null;
  lso: number | null;
  /** HW − LSO: offsets held back by open transactions. */
  txnBlocked: number | null;
}

export function partitionOffsetSeries(points: PartitionPoint[], partition: number): OffsetSeriesPoint[] {
  return points
    .filter((p) => p.partition === partition)
    .sort((a, b) => a.at - b.at)
    .map((p) => ({
      at: p.at,
      logStart: p.logStartOffset,
      hw: p.highWatermark,
      lso: p.lastStableOffset,
      txnBlocked: p.highWatermark != null && p.lastStableOffset != null ? p.highWatermark - p.lastStableOffset : null,
    }));
}

export interface LagSeriesPoint {
  at: number;
  consumable: number;
  txnBlocked: number;
}

/** Group lag per poll, summed over topics, split the EOS way for a stacked chart. */
export function groupLagSeries(points: GroupLagPoint[]): LagSeriesPoint[] {
  const byTime = new Map<number, LagSeriesPoint>();
  for (const p of points) {
    const row = byTime.get(p.at) ?? { at: p.at, consumable: 0, txnBlocked: 0 };
    row.consumable += p.consumable;
    row.txnBlocked += p.txnBlocked;
    byTime.set(p.at, row);
  }
  return [...byTime.values()].sort((a, b) => a.at - b.at);
}

export interface RateCell {
  partition: number;
  /** Start of the interval (the earlier poll). */
  at: number;
  ratePerSec: number | null;
  /** HW delta over the interval (records and transaction markers); null where the rate is. */
  records: number | null;
}

/** Records per second per partition between consecutive polls: the cells of a partition × time heatmap. */
export function partitionRateCells(points: PartitionPoint[]): RateCell[] {
  const byPartition = new Map<number, PartitionPoint[]>();
  for (const p of points) {
    const list = byPartition.get(p.partition) ?? [];
    list.push(p);
    byPartition.set(p.partition, list);
  }
  const cells: RateCell[] = [];
  for (const [partition, list] of [...byPartition.entries()].sort((a, b) => a[0] - b[0])) {
    list.sort((a, b) => a.at - b.at);
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1];
      const cur = list[i];
      const seconds = (cur.at - prev.at) / 1000;
      const ok = seconds > 0 && prev.highWatermark != null && cur.highWatermark != null && cur.highWatermark >= prev.highWatermark;
      const records = ok ? cur.highWatermark! - prev.highWatermark! : null;
      cells.push({ partition, at: prev.at, ratePerSec: records == null ? null : records / seconds, records });
    }
  }
  return cells;
}

/** Time span of a series, for choosing tick formats. */
export function seriesSpan(series: { at: number }[]): number {
  return series.length < 2 ? 0 : series[series.length - 1].at - series[0].at;
}
