import { SEVERITY_RANK } from "../analysis/findings";
import type {
  CapacityDto,
  CapacityPartial,
  CapacityTopicRow,
  ConfigRiskGroup,
  FindingDto,
  PartitionRow,
  SkewedPartitionRow,
  TopicRollupPoint,
  TransactionCapacitySummary,
  TransactionRollupPoint,
} from "./dto";
import { sortFindings } from "./finding-view";
import { formatPercent, formatRate, formatSkew, formatTimeTick } from "./format";

const CONFIG_KINDS = new Set(["internal-topic-unhealthy", "compacted-lso-pinned"]);

export function isConfigRisk(f: FindingDto): boolean {
  return f.kind.startsWith("config-") || CONFIG_KINDS.has(f.kind);
}

/** Config findings grouped by what to change: a topic, a broker, or the cluster; worst groups first. */
export function groupConfigRisks(findings: FindingDto[], cluster: string): ConfigRiskGroup[] {
  const groups = new Map<string, ConfigRiskGroup>();
  for (const f of findings.filter(isConfigRisk)) {
    const scope = f.subject.topic != null ? "topic" : f.subject.brokerId != null ? "broker" : "cluster";
    const name = scope === "topic" ? f.subject.topic! : scope === "broker" ? String(f.subject.brokerId) : cluster;
    const key = `${scope}\u0000${name}`;
    const group = groups.get(key) ?? { scope, name, findings: [] };
    group.findings.push(f);
    groups.set(key, group);
  }
  const worst = (g: ConfigRiskGroup) => Math.max(...g.findings.map((f) => SEVERITY_RANK[f.severity]));
  return [...groups.values()]
    .map((g) => ({ ...g, findings: sortFindings(g.findings) }))
    .sort((a, b) => worst(b) - worst(a) || a.scope.localeCompare(b.scope) || a.name.localeCompare(b.name));
}

/** Partitions busier than their topic's mean, most skewed first. */
export function topSkewedPartitions(topics: { topic: string; partitions: PartitionRow[] }[], limit = 20): SkewedPartitionRow[] {
  const rows: SkewedPartitionRow[] = [];
  for (const t of topics) {
    if (t.partitions.length < 2) continue;
    for (const p of t.partitions) {
      if (p.skew == null || p.ratePerSec == null || p.skew <= 1) continue;
      rows.push({ topic: t.topic, partition: p.partition, leader: p.leader, ratePerSec: p.ratePerSec, skew: p.skew });
    }
  }
  return rows.sort((a, b) => b.skew - a.skew || b.ratePerSec - a.ratePerSec).slice(0, limit);
}

export interface HeatmapGrid {
  partitions: number[];
  times: number[];
  /** values[row][column]: rate of partitions[row] at times[column]. */
  values: (number | null)[][];
  /** Median rate over the partitions at each time column (null when none has a rate). */
  medians: (number | null)[];
  max: number;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Cells laid out as partition rows by time columns. More columns than `maxColumns` (what the card's width shows
 * at a few pixels each) are merged, each merged column taking the mean of its rates.
 */
export function heatmapGrid(cells: { partition: number; at: number; ratePerSec: number | null }[], maxColumns = Infinity): HeatmapGrid {
  const partitions = [...new Set(cells.map((c) => c.partition))].sort((a, b) => a - b);
  const allTimes = [...new Set(cells.map((c) => c.at))].sort((a, b) => a - b);
  const merge = Math.max(1, Math.ceil(allTimes.length / Math.max(1, maxColumns)));
  const times = allTimes.filter((_, i) => i % merge === 0);
  const row = new Map(partitions.map((p, i) => [p, i]));
  const col = new Map(allTimes.map((t, i) => [t, Math.floor(i / merge)]));
  const sums = partitions.map(() => times.map(() => ({ sum: 0, n: 0 })));
  for (const c of cells) {
    if (c.ratePerSec == null) continue;
    const acc = sums[row.get(c.partition)!][col.get(c.at)!];
    acc.sum += c.ratePerSec;
    acc.n += 1;
  }
  const values = sums.map((r) => r.map((acc): number | null => (acc.n ? acc.sum / acc.n : null)));
  const max = Math.max(0, ...values.flat().filter((v): v is number => v != null));
  const medians = times.map((_, j) => median(values.map((r) => r[j]).filter((v): v is number => v != null)));
  return { partitions, times, values, medians, max };
}

/** Skew over time: the busiest partition's rate ÷ the mean partition rate, per time column (null below two rates or at zero traffic). */
export function skewOverTime(grid: HeatmapGrid): (number | null)[] {
  return grid.times.map((_, j) => {
    const rates = grid.values.map((r) => r[j]).filter((v): v is number => v != null);
    const mean = rates.reduce((s, v) => s + v, 0) / rates.length;
    return rates.length < 2 || !(mean > 0) ? null : Math.max(...rates) / mean;
  });
}

// Time labels: about 6.5 px a digit at the tick font size, plus a gap so neighbours never touch.
const TICK_CHAR_PX = 7;
const TICK_GAP_PX = 16;

/**
 * Which time columns get a label in a heatmap `widthPx` wide: evenly spaced, as many as fit without overlapping,
 * each label starting at its column's left edge and none running past the right edge.
 */
export function heatmapTicks(times: number[], widthPx: number): { column: number; label: string }[] {
  if (times.length === 0 || widthPx <= 0) return [];
  const span = times[times.length - 1] - times[0];
  const labelPx = formatTimeTick(times[0], span).length * TICK_CHAR_PX;
  const columnPx = widthPx / times.length;
  const step = Math.ceil((labelPx + TICK_GAP_PX) / columnPx);
  const ticks: { column: number; label: string }[] = [];
  for (let column = 0; column < times.length && column * columnPx + labelPx <= widthPx; column += step) {
    ticks.push({ column, label: formatTimeTick(times[column], span) });
  }
  return ticks;
}

export interface PartitionShare {
  partition: number;
  /** HW deltas summed over the window (records and transaction markers). */
  records: number;
  /** Fraction of the topic's records over the window; 0 when the topic received none. */
  share: number;
}

/** Each partition's share of its topic's records over the window, busiest first. */
export function partitionShares(cells: { partition: number; records: number | null }[]): PartitionShare[] {
  const records = new Map<number, number>();
  for (const c of cells) records.set(c.partition, (records.get(c.partition) ?? 0) + (c.records ?? 0));
  const total = [...records.values()].reduce((s, v) => s + v, 0);
  return [...records.entries()]
    .map(([partition, n]) => ({ partition, records: n, share: total > 0 ? n / total : 0 }))
    .sort((a, b) => b.records - a.records || a.partition - b.partition);
}

export interface PartitionerHint {
  kind: "few-keys" | "heavy-key";
  /** What the shares show, with figures. */
  finding: string;
  /** What usually causes it and what spreads the load. */
  advice: string;
}

// A partition is idle below a tenth of an even share, hot from twice an even share.
const IDLE_OF_EVEN = 0.1;
const HOT_OF_EVEN = 2;

/**
 * What the shares say about the producer's keys. Which keys are hot is not knowable from offsets, but how the
 * records spread is: a few hot partitions with the rest idle means the key takes few distinct values; one or two
 * hot partitions over an even spread means a few heavy keys. Null for an even spread, below 3 partitions, or no traffic.
 */
export function partitionerHint(shares: PartitionShare[]): PartitionerHint | null {
  const n = shares.length;
  if (n < 3 || shares.every((s) => s.records === 0)) return null;
  const even = 1 / n;
  const idle = shares.filter((s) => s.share < IDLE_OF_EVEN * even);
  const hot = shares.filter((s) => s.share >= HOT_OF_EVEN * even);
  if (hot.length === 0) return null;
  const hotShare = hot.reduce((s, p) => s + p.share, 0);
  const names = hot.slice(0, 4).map((p) => `p${p.partition}`).join(", ") + (hot.length > 4 ? ", …" : "");
  if (idle.length >= n / 2) {
    return {
      kind: "few-keys",
      finding: `${hot.length} of ${n} partitions (${names}) take ${formatPercent(hotShare)} of the records; ${idle.length} are idle.`,
      advice:
        "Keyed records hash to only a few partitions: the key takes few distinct values, as a composite key with a small bucket count " +
        "(e.g. customer-id % 4) does. A key with many more distinct values than partitions spreads the load; adding partitions does not " +
        "help while the key has fewer values than partitions.",
    };
  }
  return {
    kind: "heavy-key",
    finding: `${names} take${hot.length === 1 ? "s" : ""} ${formatPercent(hotShare)} of the records, against an even share of ${formatPercent(even)} per partition; the rest are busy too.`,
    advice:
      "A few heavy keys on top of an even spread (a large tenant, or a default value such as an empty id). Salting that key " +
      "(a suffix from a small range) spreads it, at the cost of its ordering across the salted keys.",
  };
}

/** What a heatmap cell says to a screen reader or in its tooltip: "orders-3 at 10:15 UTC: 812 records/s, 4.1× median". */
export function heatmapCellLabel(cell: { topic: string; partition: number; time: string; rate: number | null; median: number | null }): string {
  const subject = `${cell.topic}-${cell.partition} at ${cell.time}`;
  if (cell.rate == null) return `${subject}: no rate`;
  const relative = cell.median != null && cell.median > 0 ? `, ${formatSkew(cell.rate / cell.median)} median` : "";
  return `${subject}: ${formatRate(cell.rate, "records/s")}${relative}`;
}

/** Seconds a bucket's figures cover: all of it, or up to now for the unfinished current one. */
export function bucketSeconds(bucketStart: number, bucketMs: number, partial: CapacityPartial | null): number {
  return (partial?.bucketStart === bucketStart ? Math.max(1_000, partial.to - bucketStart) : bucketMs) / 1000;
}

/** Per-topic capacity summary over a range of roll-ups. */
export function capacityRows(
  points: TopicRollupPoint[],
  bucketMs: number,
  partitionRecords: ReadonlyMap<string, number[]>,
  partial: CapacityPartial | null = null,
): CapacityTopicRow[] {
  const byTopic = new Map<string, TopicRollupPoint[]>();
  for (const p of points) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p]);
  return [...byTopic.entries()]
    .map(([topic, list]) => {
      const recordsIn = list.reduce((s, p) => s + p.recordsIn, 0);
      const perPartition = partitionRecords.get(topic) ?? [];
      const mean = perPartition.length ? perPartition.reduce((s, v) => s + v, 0) / perPartition.length : 0;
      const sizes = list.map((p) => p.maxSizeBytes).filter((v): v is number => v != null);
      return {
        topic,
        partitionCount: Math.max(...list.map((p) => p.partitionCount)),
        recordsIn,
        avgRecordsPerSec: recordsIn / list.reduce((s, p) => s + bucketSeconds(p.bucketStart, bucketMs, partial), 0),
        peakRecordsPerSec: Math.max(...list.map((p) => p.recordsIn / bucketSeconds(p.bucketStart, bucketMs, partial))),
        bytesIn: list.reduce((s, p) => s + Math.max(0, p.bytesDelta), 0),
        maxSizeBytes: sizes.length ? Math.max(...sizes) : null,
        skew: mean > 0 ? Math.max(...perPartition) / mean : null,
        maxLsoGap: Math.max(...list.map((p) => p.maxLsoGap)),
        maxGroupLag: Math.max(...list.map((p) => p.maxGroupLag)),
        maxOpenTxns: Math.max(...list.map((p) => p.maxOpenTxns)),
      };
    })
    .sort((a, b) => b.recordsIn - a.recordsIn || a.topic.localeCompare(b.topic));
}

/** One object per bucket with a records/s field per topic, for a multi-line throughput chart. */
export function throughputSeries(
  points: TopicRollupPoint[],
  topics: string[],
  bucketMs: number,
  partial: CapacityPartial | null = null,
): Array<{ at: number } & Record<string, number>> {
  const wanted = new Set(topics);
  const byTime = new Map<number, { at: number } & Record<string, number>>();
  for (const p of points) {
    if (!wanted.has(p.topic)) continue;
    const row = byTime.get(p.bucketStart) ?? ({ at: p.bucketStart } as { at: number } & Record<string, number>);
    (row as Record<string, number>)[p.topic] = p.recordsIn / bucketSeconds(p.bucketStart, bucketMs, partial);
    byTime.set(p.bucketStart, row);
  }
  return [...byTime.values()].sort((a, b) => a.at - b.at);
}

export const CAPACITY_CSV_HEADER = [
  "topic",
  "partitions",
  "records_in",
  "avg_records_per_sec",
  "peak_records_per_sec",
  "bytes_in",
  "max_size_bytes",
  "partition_skew",
  "max_hw_minus_lso",
  "max_group_lag",
  "max_open_transactions",
];

export function capacityCsvRows(rows: CapacityTopicRow[]): (string | number | null)[][] {
  return rows.map((r) => [
    r.topic,
    r.partitionCount,
    r.recordsIn,
    Number(r.avgRecordsPerSec.toFixed(3)),
    Number(r.peakRecordsPerSec.toFixed(3)),
    r.bytesIn,
    r.maxSizeBytes,
    r.skew == null ? null : Number(r.skew.toFixed(2)),
    r.maxLsoGap,
    r.maxGroupLag,
    r.maxOpenTxns,
  ]);
}

/** A stored transaction roll-up with its time as epoch ms. */
export interface TransactionRollupRow {
  bucketStart: number;
  observedCommits: number;
  observedAborts: number;
  activeIds: number;
  openSamples: number;
  sumOpenMs: number;
  maxOpenMs: number;
  maxOpenTxns: number;
}

/** Chart points per bucket and a summary over the range; `activeIds` is the range's own distinct count. */
export function transactionCapacity(
  rows: TransactionRollupRow[],
  activeIds: number,
): { points: TransactionRollupPoint[]; summary: TransactionCapacitySummary } {
  const points = rows.map((r) => ({
    bucketStart: r.bucketStart,
    observedCommits: r.observedCommits,
    observedAborts: r.observedAborts,
    activeIds: r.activeIds,
    avgOpenMs: r.openSamples > 0 ? r.sumOpenMs / r.openSamples : null,
    maxOpenMs: r.openSamples > 0 ? r.maxOpenMs : null,
    maxOpenTxns: r.maxOpenTxns,
  }));
  const openSamples = rows.reduce((s, r) => s + r.openSamples, 0);
  return {
    points,
    summary: {
      observedCommits: rows.reduce((s, r) => s + r.observedCommits, 0),
      observedAborts: rows.reduce((s, r) => s + r.observedAborts, 0),
      activeIds,
      avgOpenMs: openSamples > 0 ? rows.reduce((s, r) => s + r.sumOpenMs, 0) / openSamples : null,
      maxOpenMs: openSamples > 0 ? rows.reduce((max, r) => Math.max(max, r.maxOpenMs), 0) : null,
      maxOpenTxns: rows.reduce((max, r) => Math.max(max, r.maxOpenTxns), 0),
      peakCompletionsPerBucket: rows.reduce((max, r) => Math.max(max, r.observedCommits + r.observedAborts), 0),
    },
  };
}

/** Chart rows: observed completions per bucket, and open-transaction age in seconds. */
export function transactionSeries(points: TransactionRollupPoint[]) {
  return points.map((p) => ({
    at: p.bucketStart,
    commits: p.observedCommits,
    aborts: p.observedAborts,
    activeIds: p.activeIds,
    avgOpenSec: p.avgOpenMs == null ? null : p.avgOpenMs / 1000,
    maxOpenSec: p.maxOpenMs == null ? null : p.maxOpenMs / 1000,
  }));
}

export const TRANSACTION_CSV_HEADER = [
  "bucket_start",
  "observed_commits",
  "observed_aborts",
  "transactional_ids_changed",
  "avg_open_ms",
  "max_open_ms",
  "max_open_transactions",
];

export function transactionCsvRows(points: TransactionRollupPoint[]): (string | number | null)[][] {
  return points.map((p) => [
    new Date(p.bucketStart).toISOString(),
    p.observedCommits,
    p.observedAborts,
    p.activeIds,
    p.avgOpenMs == null ? null : Math.round(p.avgOpenMs),
    p.maxOpenMs,
    p.maxOpenTxns,
  ]);
}

/** The rows of one capacity CSV table. */
export function capacityCsv(capacity: CapacityDto, table: "topics" | "transactions") {
  return table === "topics"
    ? { header: CAPACITY_CSV_HEADER, rows: capacityCsvRows(capacity.rows) }
    : { header: TRANSACTION_CSV_HEADER, rows: transactionCsvRows(capacity.transactions.points) };
}
