import type { ClusterSnapshot, PartitionState, TopicState } from "../snapshot/types";
import type { ProducerRow, TopicDetailDto, TopicRow } from "./dto";

/** Records per second per partition, keyed by `partitionKey`. */
export type PartitionRates = ReadonlyMap<string, number>;

export function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

function diff(a: number | null, b: number | null): number | null {
  return a == null || b == null ? null : Math.max(0, a - b);
}

function sumKnown(values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => v != null);
  return known.length ? known.reduce((s, v) => s + v, 0) : null;
}

function mean(values: number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

function topicRates(topic: TopicState, rates: PartitionRates): (number | null)[] {
  return topic.partitions.map((p) => rates.get(partitionKey(topic.name, p.partition)) ?? null);
}

export function topicRow(topic: TopicState, rates: PartitionRates): TopicRow {
  const ps = topic.partitions;
  const partRates = topicRates(topic, rates);
  const knownRates = partRates.filter((r): r is number => r != null);
  const total = knownRates.length ? knownRates.reduce((s, v) => s + v, 0) : null;
  const avg = knownRates.length ? mean(knownRates) : 0;
  return {
    name: topic.name,
    internal: topic.internal,
    partitionCount: ps.length,
    sizeBytes: sumKnown(ps.map((p) => p.sizeBytes)),
    retainedOffsets: sumKnown(ps.map((p) => diff(p.highWatermark, p.logStartOffset))) ?? 0,
    txnBlocked: sumKnown(ps.map((p) => diff(p.highWatermark, p.lastStableOffset))) ?? 0,
    partitionsWithOpenTxn: ps.filter((p) => (p.producers ?? []).some((pr) => pr.currentTxnStartOffset >= 0)).length,
    ratePerSec: total,
    skew: avg > 0 ? Math.max(...knownRates) / avg : null,
    underReplicated: ps.filter((p) => p.leader >= 0 && p.isr.length < p.replicas.length).length,
    offline: ps.filter((p) => p.leader < 0).length,
  };
}

export function topicRows(snapshot: ClusterSnapshot, rates: PartitionRates): TopicRow[] {
  return snapshot.topics.map((t) => topicRow(t, rates));
}

function producerRows(p: PartitionState, txnIdByProducer: Map<number, string>): ProducerRow[] | null {
  if (!p.producers) return null;
  return p.producers.map((pr) => ({
    producerId: pr.producerId,
    producerEpoch: pr.producerEpoch,
    lastSequence: pr.lastSequence,
    lastTimestamp: pr.lastTimestamp,
    currentTxnStartOffset: pr.currentTxnStartOffset,
    transactionalId: txnIdByProducer.get(pr.producerId) ?? null,
  }));
}

export function topicDetail(snapshot: ClusterSnapshot, topicName: string, rates: PartitionRates): TopicDetailDto | null {
  const topic = snapshot.topics.find((t) => t.name === topicName);
  if (!topic) return null;
  const txnIdByProducer = new Map(snapshot.transactions.map((t) => [t.producerId, t.transactionalId]));
  const partRates = topicRates(topic, rates);
  const known = partRates.filter((r): r is number => r != null);
  const avg = known.length ? mean(known) : 0;
  return {
    cluster: snapshot.cluster,
    collectedAt: snapshot.collectedAt,
    topic: topicRow(topic, rates),
    configs: topic.configs,
    partitions: topic.partitions.map((p, i) => ({
      partition: p.partition,
      leader: p.leader,
      replicas: p.replicas,
      isr: p.isr,
      logStartOffset: p.logStartOffset,
      highWatermark: p.highWatermark,
      lastStableOffset: p.lastStableOffset,
      txnBlocked: diff(p.highWatermark, p.lastStableOffset),
      sizeBytes: p.sizeBytes,
      ratePerSec: partRates[i],
      skew: partRates[i] != null && avg > 0 ? partRates[i]! / avg : null,
      producers: producerRows(p, txnIdByProducer),
    })),
  };
}
