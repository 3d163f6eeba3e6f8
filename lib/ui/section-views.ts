import type {
  CapacityDto,
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
import { formatRate, formatSkew } from "./format";

const CONFIG_KINDS = new Set(["internal-topic-unhealthy", "compacted-lso-pinned"]);
const SEVERITY_RANK = { critical: 0, warning: 1, info: 2 } as const;

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
  const worst = (g: ConfigRiskGroup) => Math.min(...g.findings.map((f) => SEVERITY_RANK[f.severity]));
  return [...groups.values()]
    .map((g) => ({ ...g, findings: sortFindings(g.findings) }))
    .sort((a, b) => worst(a) - worst(b) || a.scope.localeCompare(b.scope) || a.name.localeCompare(b.name));
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

export function heatmapGrid(cells: { partition: number; at: number; ratePerSec: number | null }[]): HeatmapGrid {
  const partitions = [...new Set(cells.map((c) => c.partition))].sort((a, b) => a - b);
  const times = [...new Set(cells.map((c) => c.at))].sort((a, b) => a - b);
  const row = new Map(partitions.map((p, i) => [p, i]));
  const col = new Map(times.map((t, i) => [t, i]));
  const values = partitions.map(() => times.map((): number | null => null));
  let max = 0;
  for (const c of cells) {
    values[row.get(c.partition)!][col.get(c.at)!] = c.ratePerSec;
    if (c.ratePerSec != null && c.ratePerSec > max) max = c.ratePerSec;
  }
  const medians = times.map((_, j) => median(values.map((r) => r[j]).filter((v): v is number => v != null)));
  return { partitions, times, values, medians, max };
}

/** What a heatmap cell says to a screen reader or in its tooltip: "orders-3 at 10:15 UTC: 812 records/s, 4.1× median". */
export function heatmapCellLabel(cell: { topic: string; partition: number; time: string; rate: number | null; median: number | null }): string {
  const subject = `${cell.topic}-${cell.partition} at ${cell.time}`;
  if (cell.rate == null) return `${subject}: no rate`;
  const relative = cell.median != null && cell.median > 0 ? `, ${formatSkew(cell.rate / cell.median)} median` : "";
  return `${subject}: ${formatRate(cell.rate, "records/s")}${relative}`;
}

/** Per-topic capacity summary over a range of roll-ups. */
export function capacityRows(
  points: TopicRollupPoint[],
  bucketMs: number,
  partitionRecords: ReadonlyMap<string, number[]>,
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
        avgRecordsPerSec: recordsIn / ((list.length * bucketMs) / 1000),
        peakRecordsPerSec: Math.max(...list.map((p) => p.recordsIn)) / (bucketMs / 1000),
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
export function throughputSeries(points: TopicRollupPoint[], topics: string[], bucketMs: number): Array<{ at: number } & Record<string, number>> {
  const wanted = new Set(topics);
  const byTime = new Map<number, { at: number } & Record<string, number>>();
  for (const p of points) {
    if (!wanted.has(p.topic)) continue;
    const row = byTime.get(p.bucketStart) ?? ({ at: p.bucketStart } as { at: number } & Record<string, number>);
    (row as Record<string, number>)[p.topic] = p.recordsIn / (bucketMs / 1000);
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
