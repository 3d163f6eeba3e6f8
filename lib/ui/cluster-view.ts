import type { ClusterSnapshot, PartitionState, TopicState } from "../snapshot/types";
import { OPEN_TRANSACTION_STATES } from "../snapshot/transaction-states";
import type { BrokerRow, ClusterOverviewDto, PartitionProblem, ProblemPartitionRow } from "./dto";

export { OPEN_TRANSACTION_STATES };

const MAX_PROBLEM_ROWS = 500;

function minInsyncReplicas(topic: TopicState, brokerDefault: number): number {
  const value = Number(topic.configs["min.insync.replicas"]);
  return Number.isFinite(value) && value > 0 ? value : brokerDefault;
}

export function partitionProblem(p: PartitionState, minIsr: number): PartitionProblem | null {
  if (p.leader < 0) return "offline";
  if (p.isr.length < Math.min(minIsr, p.replicas.length)) return "under-min-isr";
  if (p.isr.length < p.replicas.length) return "under-replicated";
  return null;
}

function brokerDefaultMinIsr(snapshot: ClusterSnapshot): number {
  for (const b of snapshot.brokerConfigs) {
    const value = Number(b.configs["min.insync.replicas"]);
    if (Number.isFinite(value) && value > 0) return value;
  }
  return 1;
}

export function clusterOverview(snapshot: ClusterSnapshot): ClusterOverviewDto {
  const defaultMinIsr = brokerDefaultMinIsr(snapshot);
  const brokers = new Map<number, BrokerRow>();
  for (const b of snapshot.brokers) {
    brokers.set(b.nodeId, {
      ...b,
      isController: b.nodeId === snapshot.controllerId,
      live: true,
      leaderCount: 0,
      replicaCount: 0,
    });
  }
  const brokerRow = (id: number): BrokerRow => {
    let row = brokers.get(id);
    if (!row) {
      row = { nodeId: id, host: "", port: 0, rack: null, isController: false, live: false, leaderCount: 0, replicaCount: 0 };
      brokers.set(id, row);
    }
    return row;
  };

  let partitionCount = 0;
  const counts: Record<PartitionProblem, number> = { offline: 0, "under-min-isr": 0, "under-replicated": 0 };
  const problems: ProblemPartitionRow[] = [];
  for (const topic of snapshot.topics) {
    const minIsr = minInsyncReplicas(topic, defaultMinIsr);
    for (const p of topic.partitions) {
      partitionCount++;
      if (p.leader >= 0) brokerRow(p.leader).leaderCount++;
      for (const r of p.replicas) brokerRow(r).replicaCount++;
      const problem = partitionProblem(p, minIsr);
      if (!problem) continue;
      counts[problem]++;
      if (problems.length < MAX_PROBLEM_ROWS) {
        problems.push({ topic: topic.name, partition: p.partition, leader: p.leader, replicas: p.replicas, isr: p.isr, problem });
      }
    }
  }
  const severityOrder: Record<PartitionProblem, number> = { offline: 0, "under-min-isr": 1, "under-replicated": 2 };
  problems.sort((a, b) => severityOrder[a.problem] - severityOrder[b.problem] || a.topic.localeCompare(b.topic) || a.partition - b.partition);

  return {
    cluster: snapshot.cluster,
    clusterId: snapshot.clusterId,
    controllerId: snapshot.controllerId,
    collectedAt: snapshot.collectedAt,
    complete: snapshot.complete,
    durationMs: snapshot.durationMs,
    transactionVersion: snapshot.features.transactionVersion,
    metadataVersion: snapshot.features.metadataVersion,
    brokers: [...brokers.values()].sort((a, b) => a.nodeId - b.nodeId),
    topicCount: snapshot.topics.filter((t) => !t.internal).length,
    internalTopicCount: snapshot.topics.filter((t) => t.internal).length,
    partitionCount,
    offlineCount: counts.offline,
    underMinIsrCount: counts["under-min-isr"],
    underReplicatedCount: counts["under-replicated"],
    problemPartitions: problems,
    groupCount: snapshot.groups.length,
    transactionCount: snapshot.transactions.length,
    openTransactionCount: snapshot.transactions.filter((t) => OPEN_TRANSACTION_STATES.has(t.state)).length,
    phases: snapshot.phases.map((p) => ({
      name: p.name,
      durationMs: p.durationMs,
      requests: p.requests,
      errors: p.errors,
      unsupported: p.unsupported,
    })),
  };
}
