// Skew: partitions, and the brokers leading them, that take far more than their share of writes (a hot
// key, a bad partitioner), and consumer lag piled on a few partitions. Rates come from HW/size deltas
// between polls. Only a partition hot on several consecutive polls is a finding: a one-poll burst (a consumer
// catching up on one partition after a restart, a batch job) is normal traffic, and the heatmap shows it.
import type { ClusterSnapshot } from "../../snapshot/types";
import { kafkaCommands } from "../commands";
import { makeFinding, type Finding } from "../findings";
import { continuedHistory, partitionRates, sampledAt, type PartitionHistory } from "../partition-history";
import type { DetectorSettings } from "../settings";
import { buildIndex, tpKey, type SnapshotIndex } from "../snapshot-index";
import type { GroupLag } from "./eos-lag";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface TopicRates {
  median: number;
  total: number;
  rates: Map<number, number>;
}

/** Rates of every topic, or of the named ones only. */
function topicRates(index: SnapshotIndex, partitions: Record<string, PartitionHistory>, only?: Set<string>): Map<string, TopicRates> {
  const byTopic = new Map<string, Map<number, number>>();
  for (const [key, { topic, partition: p }] of index.partitions) {
    if (topic.internal || topic.partitions.length < 2 || (only && !only.has(topic.name))) continue;
    const history = partitions[key];
    // A rate from an earlier poll's samples says nothing about this poll.
    const rate = sampledAt(history, index.snapshot.collectedAt) ? partitionRates(history).recordsPerSec : null;
    if (rate === null) continue;
    const rates = byTopic.get(topic.name) ?? new Map<number, number>();
    rates.set(p.partition, rate);
    byTopic.set(topic.name, rates);
  }
  const result = new Map<string, TopicRates>();
  for (const [name, rates] of byTopic) {
    if (rates.size < 2) continue;
    const values = [...rates.values()];
    result.set(name, { median: median(values), total: values.reduce((a, b) => a + b, 0), rates });
  }
  return result;
}

function isHot(rate: number, topic: TopicRates, partitionCount: number, settings: DetectorSettings): boolean {
  if (rate < settings.hotMinRecordsPerSec) return false;
  const skewed = topic.median === 0 || rate >= settings.hotSkewFactor * topic.median;
  const dominant = partitionCount >= 3 && topic.total > 0 && rate / topic.total >= settings.hotShare;
  return skewed || dominant;
}

/** Second fold step: consecutive hot polls per partition, once the new samples are in. */
export function foldHotStreaks(
  partitions: Record<string, PartitionHistory>,
  snapshot: ClusterSnapshot,
  settings: DetectorSettings,
  index: SnapshotIndex = buildIndex(snapshot, snapshot.collectedAt, settings),
): Record<string, PartitionHistory> {
  const hot = new Set<string>();
  for (const [topicName, topic] of topicRates(index, partitions)) {
    for (const [partition, rate] of topic.rates) if (isHot(rate, topic, topic.rates.size, settings)) hot.add(tpKey(topicName, partition));
  }
  const next: Record<string, PartitionHistory> = {};
  for (const key in partitions) {
    const history = partitions[key];
    // An unread partition neither extends nor breaks its streak.
    next[key] = sampledAt(history, snapshot.collectedAt) ? continuedHistory(history, history.samples, history.openSince, hot.has(key) ? history.hotStreak + 1 : 0) : history;
  }
  return next;
}

export function detectHotPartitions(
  index: SnapshotIndex,
  partitions: Record<string, PartitionHistory>,
  groupLag: GroupLag[],
): Finding[] {
  return [...hotPartitions(index, partitions), ...hotBrokers(index, partitions), ...lagConcentration(index, groupLag)];
}

function hotPartitions(index: SnapshotIndex, partitions: Record<string, PartitionHistory>): Finding[] {
  const { settings } = index;
  const findings: Finding[] = [];
  // Only topics with a persistently hot partition can have a finding: most polls have none, and skip the rates.
  const persistent = new Set<string>();
  for (const [key, { topic }] of index.partitions) {
    if ((partitions[key]?.hotStreak ?? 0) >= settings.hotPersistentPolls) persistent.add(topic.name);
  }
  if (persistent.size === 0) return findings;
  for (const [topicName, topic] of topicRates(index, partitions, persistent)) {
    for (const [partition, rate] of topic.rates) {
      const history = partitions[tpKey(topicName, partition)];
      if (!history || history.hotStreak < settings.hotPersistentPolls) continue;
      const share = topic.total > 0 ? rate / topic.total : 0;
      const leader = index.partitions.get(tpKey(topicName, partition))?.partition.leader ?? null;
      findings.push(
        makeFinding({
          kind: "hot-partition",
          severity: "warning",
          cluster: index.snapshot.cluster,
          subject: { topic: topicName, partition },
          title: `Persistently hot ${topicName}-${partition}: ${rate.toFixed(1)} records/s, ${(share * 100).toFixed(0)} % of the topic`,
          evidence: {
            recordsPerSec: round(rate),
            bytesPerSec: roundOrNull(partitionRates(history).bytesPerSec),
            topicMedianRecordsPerSec: round(topic.median),
            skew: topic.median > 0 ? round(rate / topic.median) : null,
            shareOfTopic: round(share),
            consecutiveHotPolls: history.hotStreak,
            leader,
          },
          explanation:
            `One partition of ${topicName} receives ${topic.median > 0 ? `${(rate / topic.median).toFixed(1)}×` : "far more than"} the ` +
            `median partition's writes. Its consumer (one per partition) becomes the pipeline's bottleneck, its ` +
            `transactions are larger and longer, and its leader broker (${leader}) carries the load.`,
          remediation:
            "Look for a dominant key (keyed records all hash to one partition) or a custom partitioner; spread the key (add a suffix, salt) or increase partitions only if keys allow it.",
        }),
      );
    }
  }
  return findings;
}

/** Records/s each broker leads over one interval (`intervalsBack` before the latest), or null below the minimum. */
function brokerRates(index: SnapshotIndex, partitions: Record<string, PartitionHistory>, intervalsBack: number) {
  const perBroker = new Map<number, number>();
  let total = 0;
  let writtenPartitions = 0;
  for (const [key, { topic, partition }] of index.partitions) {
    if (topic.internal || partition.leader < 0) continue;
    const rate = partitionRates(partitions[key], intervalsBack).recordsPerSec;
    if (!rate) continue;
    perBroker.set(partition.leader, (perBroker.get(partition.leader) ?? 0) + rate);
    total += rate;
    writtenPartitions++;
  }
  // With fewer written partitions than brokers, some broker must lead more than its share.
  if (total < index.settings.hotMinRecordsPerSec || writtenPartitions < index.snapshot.brokers.length) return null;
  return { perBroker, total };
}

/** A broker is hot when it led more than its share in each of the last hotPersistentPolls intervals, like a partition. */
function hotBrokers(index: SnapshotIndex, partitions: Record<string, PartitionHistory>): Finding[] {
  const { settings, snapshot } = index;
  if (snapshot.brokers.length < 2) return [];
  const fairShare = 1 / snapshot.brokers.length;
  const intervals = Array.from({ length: settings.hotPersistentPolls }, (_, back) => brokerRates(index, partitions, back));
  const latest = intervals[0];
  if (!latest || intervals.some((i) => i === null)) return [];
  const hotIn = (brokerId: number) => intervals.every((i) => (i!.perBroker.get(brokerId) ?? 0) / i!.total >= settings.brokerShareFactor * fairShare);
  const { perBroker, total } = latest;
  return [...perBroker]
    .filter(([brokerId]) => hotIn(brokerId))
    .map(([brokerId, rate]) =>
      makeFinding({
        kind: "hot-broker",
        severity: "warning",
        cluster: snapshot.cluster,
        subject: { brokerId },
        title: `Broker ${brokerId} leads ${((rate / total) * 100).toFixed(0)} % of the cluster's writes (fair share ${(fairShare * 100).toFixed(0)} %)`,
        evidence: {
          recordsPerSec: round(rate),
          clusterRecordsPerSec: round(total),
          share: round(rate / total),
          fairShare: round(fairShare),
          leaderPartitions: [...index.partitions.values()].filter((r) => !r.topic.internal && r.partition.leader === brokerId).length,
        },
        explanation:
          "Leadership of the busiest partitions is concentrated on one broker: its request handlers, disks and network limit every producer's commit latency, and losing it moves the whole load at once.",
        remediation: "Move leadership back to the preferred replicas (command below) and, if preferred leaders are skewed, reassign replicas.",
        commands: [kafkaCommands.preferredLeaderElection("Elect the preferred leader of every partition.")],
      }),
    );
}

function lagConcentration(index: SnapshotIndex, groupLag: GroupLag[]): Finding[] {
  const { settings } = index;
  const findings: Finding[] = [];
  for (const group of groupLag) {
    const lags = group.partitions.map((p) => p.consumable ?? 0).sort((a, b) => b - a);
    const total = lags.reduce((a, b) => a + b, 0);
    if (lags.length < 5 || total < settings.laggingMinLag) continue;
    const top = Math.ceil(lags.length * 0.2);
    const share = lags.slice(0, top).reduce((a, b) => a + b, 0) / total;
    if (share < settings.lagConcentrationShare) continue;
    const worst = [...group.partitions].sort((a, b) => (b.consumable ?? 0) - (a.consumable ?? 0)).slice(0, top);
    findings.push(
      makeFinding({
        kind: "lag-concentration",
        severity: "info",
        cluster: index.snapshot.cluster,
        subject: { groupId: group.groupId },
        title: `${(share * 100).toFixed(0)} % of group ${group.groupId}'s lag sits on ${top} of ${lags.length} partitions`,
        evidence: {
          consumable: total,
          shareOnTopPartitions: round(share),
          topPartitions: worst.map((p) => `${p.topic}-${p.partition}`),
          partitions: lags.length,
        },
        explanation:
          "The group keeps up on most partitions but not on a few: more consumers will not help, since each partition is read by one. Usually a hot key or one slow instance.",
        remediation: "Check which member owns those partitions (command below) and whether the partitions are hot.",
        commands: [kafkaCommands.describeGroupMembers(group.groupId, "The group's members and the partitions each one owns.")],
      }),
    );
  }
  return findings;
}

const round = (n: number) => Math.round(n * 100) / 100;
const roundOrNull = (n: number | null) => (n === null ? null : round(n));
