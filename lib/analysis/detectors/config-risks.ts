// Configuration that silently weakens exactly-once: too few copies, unsafe elections, broker settings
// that disable KIP-890's protection or lengthen the worst-case LSO stall. Topic configs are the effective
// values the collector read (topic override or broker default), broker configs per broker.
import type { TopicState } from "../../snapshot/types";
import { kafkaCommands, type RemediationCommand } from "../commands";
import { makeFinding, type Finding, type FindingKind, type FindingSubject, type Severity } from "../findings";
import type { PartitionHistory } from "../partition-history";
import {
  CONSUMER_OFFSETS_TOPIC,
  KAFKA_INTERNAL_TXN_TOPICS,
  formatDuration,
  parseConfigNumber,
  type SnapshotIndex,
} from "../snapshot-index";
import { KAFKA_DEFAULT_TRANSACTION_MAX_TIMEOUT_MS } from "../settings";
import { findPinnedPartitions } from "./stuck-lso";

interface Risk {
  kind: FindingKind;
  severity: Severity;
  subject: FindingSubject;
  title: string;
  evidence: Finding["evidence"];
  explanation: string;
  remediation: string;
  commands?: RemediationCommand[];
}

const replicationFactor = (t: TopicState) => Math.max(0, ...t.partitions.map((p) => p.replicas.length));

/** Topics a transaction wrote to, now (open transactions, coordinator state) or earlier (remembered ids). */
export function transactionalTopics(index: SnapshotIndex, remembered: Iterable<string>): Set<string> {
  const topics = new Set(remembered);
  for (const txn of index.snapshot.transactions) for (const tp of txn.partitions) topics.add(tp.topic);
  for (const { topic, partition } of index.partitions.values()) {
    if ((partition.producers ?? []).some((p) => p.currentTxnStartOffset >= 0)) topics.add(topic.name);
  }
  return topics;
}

function topicRisks(topic: TopicState, transactional: boolean, brokerCount: number): Risk[] {
  const risks: Risk[] = [];
  const rf = replicationFactor(topic);
  const minIsr = parseConfigNumber(topic.configs["min.insync.replicas"]);
  const important = transactional || topic.internal;
  const subject = { topic: topic.name };
  const alter = (key: string, value: string | number) => [
    kafkaCommands.alterTopicConfig(topic.name, key, value, `Set ${key}=${value} on the topic (a dynamic config: no restart).`),
  ];
  if (minIsr === 1 && rf >= 2) {
    risks.push({
      kind: "config-min-isr-one",
      severity: important ? "warning" : "info",
      subject,
      title: `${topic.name}: min.insync.replicas=1 with replication factor ${rf}`,
      evidence: { replicationFactor: rf, minInsyncReplicas: minIsr, transactional },
      explanation:
        "With acks=all (mandatory for idempotent and transactional producers) a write is acknowledged once the leader alone has it; if that leader dies before followers copy it, the acknowledged write — or a transaction marker — is lost.",
      remediation: "Set min.insync.replicas=2 (with RF ≥ 3) with the command below.",
      commands: alter("min.insync.replicas", 2),
    });
  }
  if (minIsr !== null && rf >= 2 && minIsr >= rf) {
    risks.push({
      kind: "config-min-isr-unsafe",
      severity: minIsr > rf ? "critical" : "warning",
      subject,
      title: `${topic.name}: min.insync.replicas=${minIsr} ${minIsr > rf ? ">" : "="} replication factor ${rf}`,
      evidence: { replicationFactor: rf, minInsyncReplicas: minIsr, transactional },
      explanation:
        minIsr > rf
          ? "No acks=all write can ever succeed: producers get NOT_ENOUGH_REPLICAS and transactions on this topic cannot commit."
          : "A single broker restart drops the ISR below min.insync.replicas: acks=all writes and transaction commits fail until it is back.",
      remediation: "Use min.insync.replicas = RF − 1 (2 with RF 3), as the command below does.",
      commands: alter("min.insync.replicas", Math.max(1, rf - 1)),
    });
  }
  if (transactional && !topic.internal && rf > 0 && rf < 3) {
    risks.push({
      kind: "config-low-replication",
      // A cluster of fewer than 3 brokers cannot do better: a dev/test setup, not a mistake.
      severity: brokerCount < 3 ? "info" : "warning",
      subject,
      title: `${topic.name}: transactionally written with replication factor ${rf}`,
      evidence: { replicationFactor: rf, minInsyncReplicas: minIsr },
      explanation:
        "Exactly-once output needs committed data and markers to survive a broker loss while writes continue: that takes RF ≥ 3 with min.insync.replicas=2 (KafkaProducer documentation).",
      remediation: "Increase the replication factor to 3 with kafka-reassign-partitions.sh (a reassignment JSON listing three replicas per partition).",
    });
  }
  if (topic.configs["unclean.leader.election.enable"] === "true") {
    risks.push({
      kind: "config-unclean-election",
      severity: important ? "critical" : "warning",
      subject,
      title: `${topic.name}: unclean.leader.election.enable=true`,
      evidence: { transactional, internal: topic.internal },
      explanation:
        "An out-of-sync replica may become leader and truncate acknowledged records, including transaction markers: committed transactions can vanish or turn into hanging ones.",
      remediation: "Turn unclean leader election off with the command below.",
      commands: alter("unclean.leader.election.enable", "false"),
    });
  }
  const retentionBytes = parseConfigNumber(topic.configs["retention.bytes"]);
  const segmentBytes = parseConfigNumber(topic.configs["segment.bytes"]);
  if (retentionBytes !== null && segmentBytes !== null && retentionBytes >= 0 && retentionBytes < segmentBytes) {
    risks.push({
      kind: "config-retention-below-segment",
      severity: transactional ? "warning" : "info",
      subject,
      title: `${topic.name}: retention.bytes (${retentionBytes}) < segment.bytes (${segmentBytes})`,
      evidence: { retentionBytes, segmentBytes, transactional },
      explanation:
        "Retention only deletes closed segments, so the limit does not act until a segment rolls, and then it deletes whole segments at once; deleting a producer's last batch expires its state early (KAFKA-9144 caused hanging transactions this way).",
      remediation: "Make segment.bytes smaller than retention.bytes (or drop the size limit), e.g. with the command below.",
      commands: alter("segment.bytes", Math.max(1_048_576, Math.floor(retentionBytes / 4))),
    });
  }
  return risks;
}

function brokerRisks(index: SnapshotIndex): Risk[] {
  const risks: Risk[] = [];
  const small = index.snapshot.brokers.length < 3;
  const brokersWhere = (key: string, bad: (v: number | string) => boolean, numeric = true) =>
    index.snapshot.brokerConfigs
      .filter((b) => {
        const raw = b.configs[key];
        if (raw === null || raw === undefined) return false;
        const v = numeric ? parseConfigNumber(raw) : raw;
        return v !== null && bad(v);
      })
      .map((b) => b.nodeId);
  const valueOn = (brokerIds: number[], key: string) =>
    index.snapshot.brokerConfigs.find((b) => b.nodeId === brokerIds[0])?.configs[key] ?? null;

  for (const [key, minimum] of [
    ["transaction.state.log.replication.factor", 3],
    ["transaction.state.log.min.isr", 2],
  ] as const) {
    const brokerIds = brokersWhere(key, (v) => (v as number) < minimum);
    if (!brokerIds.length) continue;
    risks.push({
      kind: "config-transaction-log",
      severity: small ? "info" : "warning",
      subject: { detail: key },
      title: `${key}=${valueOn(brokerIds, key)} (< ${minimum}) on broker(s) ${brokerIds.join(", ")}`,
      evidence: { key, value: valueOn(brokerIds, key), recommendedMinimum: minimum, brokerIds, brokers: index.snapshot.brokers.length },
      explanation:
        "Transaction coordinator state lives in __transaction_state: with too few copies a broker loss loses transaction state, and when its min ISR cannot be met coordinator writes fail and no transaction can begin or commit.",
      remediation: `Set ${key}=${minimum} in every broker's server.properties (it applies when __transaction_state is created; for an existing topic also reassign its partitions to 3 replicas and set its min.insync.replicas=2).`,
    });
  }
  const highTimeout = brokersWhere("transaction.max.timeout.ms", (v) => (v as number) > KAFKA_DEFAULT_TRANSACTION_MAX_TIMEOUT_MS);
  if (highTimeout.length) {
    const value = Number(valueOn(highTimeout, "transaction.max.timeout.ms"));
    risks.push({
      kind: "config-max-timeout-high",
      severity: "warning",
      subject: { detail: "transaction.max.timeout.ms" },
      title: `transaction.max.timeout.ms=${value} (${formatDuration(value)}) on broker(s) ${highTimeout.join(", ")}`,
      evidence: { value, defaultValue: KAFKA_DEFAULT_TRANSACTION_MAX_TIMEOUT_MS, brokerIds: highTimeout },
      explanation: `Producers may then keep a transaction open up to ${formatDuration(value)}: that is the worst-case time an abandoned transaction pins the LSO and blocks every read_committed consumer of its partitions. find-hanging must also be run with a matching --max-transaction-timeout.`,
      remediation: "Lower transaction.max.timeout.ms to 900000 (15 min) or less, and keep producers' transaction.timeout.ms close to their real processing time.",
    });
  }
  const noVerification = brokersWhere("transaction.partition.verification.enable", (v) => v === "false", false);
  if (noVerification.length) {
    risks.push({
      kind: "config-verification-disabled",
      severity: "warning",
      subject: { detail: "transaction.partition.verification.enable" },
      title: `transaction.partition.verification.enable=false on broker(s) ${noVerification.join(", ")}`,
      evidence: { brokerIds: noVerification, transactionVersion: index.snapshot.features.transactionVersion },
      explanation:
        "KIP-890 verification makes a partition leader check with the coordinator before the first transactional write, which prevents most hanging transactions. Disabled, producers without TV2 (e.g. kafkajs, clients before 4.0) get no such protection.",
      remediation: "Set transaction.partition.verification.enable=true (the default since 3.6; use ≥ 3.6.1, which fixes a compression bug of 3.6.0).",
    });
  }
  return risks;
}

function internalTopicRisks(index: SnapshotIndex): Risk[] {
  const risks: Risk[] = [];
  for (const name of KAFKA_INTERNAL_TXN_TOPICS) {
    const topic = index.topics.get(name);
    if (!topic) continue;
    const offline = topic.partitions.filter((p) => p.leader < 0).map((p) => p.partition);
    const underReplicated = topic.partitions
      .filter((p) => p.leader >= 0 && (p.isr.length < p.replicas.length || p.offlineReplicas.length > 0))
      .map((p) => p.partition);
    if (!offline.length && !underReplicated.length) continue;
    const role = name === CONSUMER_OFFSETS_TOPIC ? "group coordinators (offset commits, including transactional ones)" : "transaction coordinators";
    risks.push({
      kind: "internal-topic-unhealthy",
      severity: offline.length ? "critical" : "warning",
      subject: { topic: name },
      title: `${name}: ${offline.length} offline and ${underReplicated.length} under-replicated partition(s)`,
      evidence: { offlinePartitions: offline, underReplicatedPartitions: underReplicated, partitions: topic.partitions.length },
      explanation: `${name} holds the state of the ${role}. Offline partitions make their coordinators unavailable (transactions or commits of the ids/groups hashed there fail); under-replicated ones are one failure away from that and may already be below min ISR.`,
      remediation: "Check the brokers hosting the replicas (the command below lists them per partition) and bring them back or reassign.",
      commands: [kafkaCommands.describeUnderReplicated(name, "Under-replicated partitions of the topic, with their replicas and ISR.")],
    });
  }
  return risks;
}

function pinnedCompactedRisks(index: SnapshotIndex, partitions: Record<string, PartitionHistory>): Risk[] {
  return findPinnedPartitions(index, partitions)
    .filter((p) => (index.topics.get(p.topic)?.configs["cleanup.policy"] ?? "").includes("compact"))
    .map((p) => ({
      kind: "compacted-lso-pinned" as const,
      severity: "warning" as const,
      subject: { topic: p.topic, partition: p.partition },
      title: `Compacted ${p.topic}-${p.partition}: LSO pinned at ${p.lso}, the log cleaner cannot pass it`,
      evidence: { lastStableOffset: p.lso, highWatermark: p.hw, pinnedSince: p.pinnedSince },
      explanation: "The log cleaner never compacts past the LSO: while an open transaction pins it, this compacted partition grows without bound (for __consumer_offsets: slower coordinator loading after failover).",
      remediation: "Resolve the open transaction (see the stuck-LSO / hanging-transaction finding for this partition).",
    }));
}

export function detectConfigRisks(
  index: SnapshotIndex,
  partitions: Record<string, PartitionHistory>,
  rememberedTransactionalTopics: Iterable<string>,
): Finding[] {
  const transactional = transactionalTopics(index, rememberedTransactionalTopics);
  const risks = [
    ...index.snapshot.topics.flatMap((t) => topicRisks(t, transactional.has(t.name), index.snapshot.brokers.length)),
    ...brokerRisks(index),
    ...internalTopicRisks(index),
    ...pinnedCompactedRisks(index, partitions),
  ];
  return risks.map((r) => makeFinding({ ...r, cluster: index.snapshot.cluster }));
}
