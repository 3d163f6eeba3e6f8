import { Gauge, Registry } from "prom-client";
import type { GroupLag, LagVerdict } from "../analysis/detectors/eos-lag";
import type { ClusterSnapshot } from "../snapshot/types";
import { OPEN_TRANSACTION_STATES } from "../snapshot/transaction-states";
import type { FindingDto, GroupRow, PartitionRow, PollStatusDto, TransactionRow } from "./dto";
import { freshness } from "./freshness";
import { partitionKey, topicDetail } from "./topic-view";

// /api/metrics in the Prometheus text format, from the same view models the pages render (group rows and
// details, topic partitions, transaction rows, open findings, poll status), so a number on a dashboard panel
// is the number on the page for the same poll. A fresh Registry per scrape: no series outlives the poll it
// describes. Families and label sets are documented in docs/metrics.md.

/** Everything one cluster contributes to a scrape; `snapshot` and what derives from it are absent before its first poll. */
export interface ClusterMetricsInput {
  name: string;
  poll: PollStatusDto;
  pollIntervalMs: number;
  lastPollDurationMs: number | null;
  lastCompletePollAt: number | null;
  data: {
    snapshot: ClusterSnapshot;
    groups: GroupRow[];
    /** computeGroupLag of the snapshot: the per-partition lag the group pages show. */
    lags: GroupLag[];
    transactions: TransactionRow[];
  } | null;
  openFindings: FindingDto[];
}

export type MetricsPartitions = "active" | "all";

export interface MetricsOptions {
  partitions: MetricsPartitions;
  dashboardUrl: string | null;
  version: string;
  now: number;
}

export const LAG_VERDICTS: readonly LagVerdict[] = ["OK", "EXTERNAL", "LAGGING", "TXN_BLOCKED", "REWIND", "STALLED", "STOPPED"];
const POLL_STATUSES = ["complete", "partial", "failed"] as const;
const CLUSTER = "cluster_name";
const PARTITION_LABELS = [CLUSTER, "topic", "partition"] as const;
const FINDING_LABELS = [CLUSTER, "kind", "severity", "key"] as const;

const seconds = (ms: number) => ms / 1000;

function families(registry: Registry) {
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Gauge<L>({ name, help, labelNames, registers: [registry] });
  return {
    info: gauge("eos_auditor_info", "Always 1; dashboard_url is where alert links point (DASHBOARD_URL).", ["version", "dashboard_url"]),
    // kafka-lag-exporter's names and labels, with the lag measured against the LSO (see docs/metrics.md).
    groupLag: gauge("kafka_consumergroup_group_lag", "Consumable lag per partition: LSO - committed offset, 0 when only transaction markers lie between (share groups: the broker's share lag).", [CLUSTER, "group", "topic", "partition"]),
    groupMaxLag: gauge("kafka_consumergroup_group_max_lag", "Largest kafka_consumergroup_group_lag of the group.", [CLUSTER, "group"]),
    groupSumLag: gauge("kafka_consumergroup_group_sum_lag", "Sum of kafka_consumergroup_group_lag of the group (the groups page's consumable lag).", [CLUSTER, "group"]),
    groupTopicSumLag: gauge("kafka_consumergroup_group_topic_sum_lag", "Sum of kafka_consumergroup_group_lag of the group per topic.", [CLUSTER, "group", "topic"]),
    groupTxnHeldLag: gauge("eos_auditor_consumergroup_txn_held_lag", "Records held back by open transactions (HW - LSO) on the partitions the group commits to.", [CLUSTER, "group"]),
    groupVerdict: gauge("eos_auditor_consumergroup_verdict", "1 for the group's current EOS lag verdict, 0 for the others.", [CLUSTER, "group", "verdict"]),
    lso: gauge("eos_auditor_partition_last_stable_offset", "Last stable offset (read_committed end of the partition).", PARTITION_LABELS),
    hw: gauge("eos_auditor_partition_high_watermark", "High watermark.", PARTITION_LABELS),
    txnHeld: gauge("eos_auditor_partition_txn_held_offsets", "HW - LSO: offsets held back from read_committed consumers by open transactions.", PARTITION_LABELS),
    partitionOpenTxns: gauge("eos_auditor_partition_open_transactions", "Producers with a transaction open on the partition (DescribeProducers).", PARTITION_LABELS),
    oldestTxnAge: gauge("eos_auditor_partition_oldest_open_transaction_age_seconds", "Age at poll time of the oldest transaction open on the partition (coordinator start time; for a transaction the coordinator does not list, time since the producer's last write).", PARTITION_LABELS),
    openTxns: gauge("eos_auditor_open_transactions", "Transactions open at the coordinators, by state.", [CLUSTER, "state"]),
    hanging: gauge("eos_auditor_hanging_transactions", "Open hanging-transaction findings (find-hanging, confirmed on two polls).", [CLUSTER]),
    fences: gauge("eos_auditor_fences_in_window", "Fences the detectors counted in their fence window, summed over open zombie-fenced and fencing-fight findings.", [CLUSTER]),
    openFindings: gauge("eos_auditor_open_findings", "Open findings by kind and severity.", [CLUSTER, "kind", "severity"]),
    findingOpen: gauge("eos_auditor_finding_open", "1 per open finding; key is the stable finding key (/clusters/<cluster>/findings/key/<key>).", FINDING_LABELS),
    findingFirstSeen: gauge("eos_auditor_finding_first_seen_timestamp_seconds", "When the open finding was first seen (unix seconds).", FINDING_LABELS),
    pollDuration: gauge("eos_auditor_poll_duration_seconds", "Duration of the cluster's latest poll.", [CLUSTER]),
    lastPoll: gauge("eos_auditor_last_poll_timestamp_seconds", "Start of the latest poll, whatever its outcome (unix seconds).", [CLUSTER]),
    lastCompletePoll: gauge("eos_auditor_last_complete_poll_timestamp_seconds", "Start of the latest complete poll (unix seconds).", [CLUSTER]),
    pollStatus: gauge("eos_auditor_last_poll_status", "1 for the latest poll's outcome (complete, partial: some requests failed, failed: nothing collected), 0 for the others.", [CLUSTER, "status"]),
    dataAge: gauge("eos_auditor_data_age_seconds", "Age of the newest snapshot (the data the pages show).", [CLUSTER]),
    stale: gauge("eos_auditor_data_stale", "1 when the newest snapshot is older than three poll intervals or there is none, as the dashboard's stale banner.", [CLUSTER]),
  };
}

type Families = ReturnType<typeof families>;

/** Partitions that get per-partition series under METRICS_PARTITIONS=active: open transactions or consuming groups. */
function activePartitions(snapshot: ClusterSnapshot, transactions: TransactionRow[]): Set<string> {
  const active = new Set<string>();
  for (const t of transactions) if (t.openForMs != null) for (const p of t.partitions) active.add(partitionKey(p.topic, p.partition));
  for (const topic of snapshot.topics) {
    for (const p of topic.partitions) {
      const held = p.highWatermark != null && p.lastStableOffset != null && p.highWatermark > p.lastStableOffset;
      if (held || (p.producers ?? []).some((pr) => pr.currentTxnStartOffset >= 0)) active.add(partitionKey(topic.name, p.partition));
    }
  }
  for (const g of snapshot.groups) {
    for (const o of g.offsets) active.add(partitionKey(o.topic, o.partition));
    for (const o of g.shareOffsets ?? []) active.add(partitionKey(o.topic, o.partition));
    for (const m of g.members) for (const a of m.assignment) active.add(partitionKey(a.topic, a.partition));
  }
  return active;
}

/** Oldest open transaction on a partition: the coordinator's, else (not listed by any: hanging) its producer's last write. */
function oldestOpenTransactionMs(row: PartitionRow, topic: string, transactions: TransactionRow[], collectedAt: number): number | null {
  const open = (row.producers ?? []).filter((p) => p.currentTxnStartOffset >= 0);
  if (open.length === 0) return null;
  let oldest = 0;
  for (const producer of open) {
    const listed = transactions.find(
      (t) => t.producerId === producer.producerId && t.openForMs != null && t.partitions.some((p) => p.topic === topic && p.partition === row.partition),
    );
    oldest = Math.max(oldest, listed ? listed.openForMs! : Math.max(0, collectedAt - producer.lastTimestamp));
  }
  return oldest;
}

function partitionMetrics(m: Families, cluster: string, data: NonNullable<ClusterMetricsInput["data"]>, scope: MetricsPartitions): void {
  const { snapshot, transactions } = data;
  const active = scope === "active" ? activePartitions(snapshot, transactions) : null;
  const noRates = new Map<string, number>();
  for (const topic of snapshot.topics) {
    if (active && !topic.partitions.some((p) => active.has(partitionKey(topic.name, p.partition)))) continue;
    for (const row of topicDetail(snapshot, topic.name, noRates)!.partitions) {
      if (active && !active.has(partitionKey(topic.name, row.partition))) continue;
      const labels = { [CLUSTER]: cluster, topic: topic.name, partition: String(row.partition) };
      if (row.lastStableOffset != null) m.lso.set(labels, row.lastStableOffset);
      if (row.highWatermark != null) m.hw.set(labels, row.highWatermark);
      if (row.txnBlocked != null) m.txnHeld.set(labels, row.txnBlocked);
      if (row.producers) m.partitionOpenTxns.set(labels, row.producers.filter((p) => p.currentTxnStartOffset >= 0).length);
      const oldest = oldestOpenTransactionMs(row, topic.name, transactions, snapshot.collectedAt);
      if (oldest != null) m.oldestTxnAge.set(labels, seconds(oldest));
    }
  }
}

function groupMetrics(m: Families, cluster: string, data: NonNullable<ClusterMetricsInput["data"]>): void {
  const lags = new Map(data.lags.map((l) => [l.groupId, l]));
  const groups = new Map(data.snapshot.groups.map((g) => [g.groupId, g]));
  for (const row of data.groups) {
    const group = { [CLUSTER]: cluster, group: row.groupId };
    // As groupDetail lists them: committed partitions' consumable lag, and share groups' start-offset lag.
    const perPartition = [
      ...(lags.get(row.groupId)?.partitions ?? []).map((p) => ({ topic: p.topic, partition: p.partition, lag: p.consumable })),
      ...(row.type === "share" ? (groups.get(row.groupId)?.shareOffsets ?? []) : []).map((o) => ({ topic: o.topic, partition: o.partition, lag: o.lag })),
    ].filter((p): p is { topic: string; partition: number; lag: number } => p.lag != null);
    const byTopic = new Map<string, number>();
    for (const p of perPartition) {
      m.groupLag.set({ ...group, topic: p.topic, partition: String(p.partition) }, p.lag);
      byTopic.set(p.topic, (byTopic.get(p.topic) ?? 0) + p.lag);
    }
    for (const [topic, sum] of byTopic) m.groupTopicSumLag.set({ ...group, topic }, sum);
    m.groupMaxLag.set(group, Math.max(0, ...perPartition.map((p) => p.lag)));
    m.groupSumLag.set(group, row.consumableLag);
    m.groupTxnHeldLag.set(group, row.txnBlockedLag);
    for (const verdict of LAG_VERDICTS) m.groupVerdict.set({ ...group, verdict }, verdict === row.verdict ? 1 : 0);
  }
}

function findingMetrics(m: Families, cluster: string, findings: FindingDto[]): void {
  const counts = new Map<string, { kind: string; severity: string; n: number }>();
  let hanging = 0;
  let fences = 0;
  for (const f of findings) {
    const labels = { [CLUSTER]: cluster, kind: f.kind, severity: f.severity, key: f.key };
    m.findingOpen.set(labels, 1);
    m.findingFirstSeen.set(labels, seconds(f.firstSeenAt));
    const id = `${f.kind}\u0000${f.severity}`;
    const count = counts.get(id) ?? { kind: f.kind, severity: f.severity, n: 0 };
    counts.set(id, { ...count, n: count.n + 1 });
    if (f.kind === "hanging-transaction") hanging++;
    if (f.kind === "fencing-fight" || f.kind === "zombie-fenced") {
      const inWindow = (f.evidence as { fencesInWindow?: unknown } | null)?.fencesInWindow;
      if (typeof inWindow === "number") fences += inWindow;
    }
  }
  for (const { kind, severity, n } of counts.values()) m.openFindings.set({ [CLUSTER]: cluster, kind, severity }, n);
  m.hanging.set({ [CLUSTER]: cluster }, hanging);
  m.fences.set({ [CLUSTER]: cluster }, fences);
}

function pollMetrics(m: Families, c: ClusterMetricsInput, now: number): void {
  const cluster = { [CLUSTER]: c.name };
  if (c.lastPollDurationMs != null) m.pollDuration.set(cluster, seconds(c.lastPollDurationMs));
  if (c.poll.lastPollAt != null) {
    m.lastPoll.set(cluster, seconds(c.poll.lastPollAt));
    const status = c.poll.lastPollError ? "failed" : c.poll.lastPollComplete ? "complete" : "partial";
    for (const s of POLL_STATUSES) m.pollStatus.set({ ...cluster, status: s }, s === status ? 1 : 0);
  }
  if (c.lastCompletePollAt != null) m.lastCompletePoll.set(cluster, seconds(c.lastCompletePollAt));
  if (c.poll.lastSnapshotAt != null) m.dataAge.set(cluster, seconds(Math.max(0, now - c.poll.lastSnapshotAt)));
  const level = freshness(c.poll, c.pollIntervalMs, now).level;
  m.stale.set(cluster, level === "stale" || level === "never" ? 1 : 0);
}

export function metricsRegistry(clusters: ClusterMetricsInput[], options: MetricsOptions): Registry {
  const registry = new Registry();
  const m = families(registry);
  m.info.set({ version: options.version, dashboard_url: options.dashboardUrl ?? "" }, 1);
  for (const c of clusters) {
    pollMetrics(m, c, options.now);
    findingMetrics(m, c.name, c.openFindings);
    if (!c.data) continue;
    const states = new Map([...OPEN_TRANSACTION_STATES].map((s) => [s, 0]));
    for (const t of c.data.transactions) if (states.has(t.state)) states.set(t.state, states.get(t.state)! + 1);
    for (const [state, n] of states) m.openTxns.set({ [CLUSTER]: c.name, state }, n);
    groupMetrics(m, c.name, c.data);
    partitionMetrics(m, c.name, c.data, options.partitions);
  }
  return registry;
}
