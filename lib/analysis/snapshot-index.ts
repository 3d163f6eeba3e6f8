// Lookups every detector needs, built once per snapshot.
import type {
  ClusterSnapshot,
  CommittedOffset,
  PartitionState,
  PhaseName,
  TopicPartitionRef,
  TopicState,
  TransactionState,
} from "../snapshot/types";
import { KAFKA_DEFAULT_TRANSACTION_MAX_TIMEOUT_MS, type DetectorSettings } from "./settings";

export const CONSUMER_OFFSETS_TOPIC = "__consumer_offsets";
export const TRANSACTION_STATE_TOPIC = "__transaction_state";
export const KAFKA_INTERNAL_TXN_TOPICS = [TRANSACTION_STATE_TOPIC, CONSUMER_OFFSETS_TOPIC] as const;

/** Topic names cannot contain ':', so this is unambiguous. */
export function tpKey(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}

export interface PartitionRef {
  topic: TopicState;
  partition: PartitionState;
}

/** A group's committed offset with its partition's key, and the partition when the snapshot has it. */
export interface IndexedOffset {
  offset: CommittedOffset;
  key: string;
  ref: PartitionRef | undefined;
}

export interface SnapshotIndex {
  snapshot: ClusterSnapshot;
  now: number;
  settings: DetectorSettings;
  partitions: Map<string, PartitionRef>;
  topics: Map<string, TopicState>;
  /** Transactions by producer id; Dead ids are left out: find-hanging treats them as unknown. */
  transactionsByProducerId: Map<number, TransactionState[]>;
  /**
   * Each group's offsets, position for position with `snapshot.groups` and their `offsets`: the folds and
   * detectors that walk all committed offsets (25,000 at 500 groups) key and look each one up once per poll.
   */
  groupOffsets: IndexedOffset[][];
  maxTransactionTimeoutMs: number;
}

export function buildIndex(snapshot: ClusterSnapshot, now: number, settings: DetectorSettings): SnapshotIndex {
  const partitions = new Map<string, PartitionRef>();
  const topics = new Map<string, TopicState>();
  for (const topic of snapshot.topics) {
    topics.set(topic.name, topic);
    for (const partition of topic.partitions) partitions.set(tpKey(topic.name, partition.partition), { topic, partition });
  }
  const transactionsByProducerId = new Map<number, TransactionState[]>();
  for (const txn of snapshot.transactions) {
    if (txn.state === "Dead") continue;
    const list = transactionsByProducerId.get(txn.producerId) ?? [];
    list.push(txn);
    transactionsByProducerId.set(txn.producerId, list);
  }
  const groupOffsets = snapshot.groups.map((group) =>
    group.offsets.map((offset) => {
      const key = tpKey(offset.topic, offset.partition);
      return { offset, key, ref: partitions.get(key) };
    }),
  );
  return {
    snapshot,
    now,
    settings,
    partitions,
    topics,
    transactionsByProducerId,
    groupOffsets,
    maxTransactionTimeoutMs:
      settings.maxTransactionTimeoutMs ??
      maxBrokerConfig(snapshot, "transaction.max.timeout.ms") ??
      KAFKA_DEFAULT_TRANSACTION_MAX_TIMEOUT_MS,
  };
}

/** Producer id → partitions whose producer state lists it: where it wrote, transaction open or not. */
export function partitionsByProducerId(snapshot: ClusterSnapshot): Map<number, TopicPartitionRef[]> {
  const written = new Map<number, TopicPartitionRef[]>();
  for (const topic of snapshot.topics) {
    for (const partition of topic.partitions) {
      for (const producer of partition.producers ?? []) {
        const list = written.get(producer.producerId) ?? [];
        list.push({ topic: topic.name, partition: partition.partition });
        written.set(producer.producerId, list);
      }
    }
  }
  return written;
}

/** Largest numeric value of a broker config across brokers, null when no broker reports it. */
export function maxBrokerConfig(snapshot: ClusterSnapshot, key: string): number | null {
  const values = snapshot.brokerConfigs
    .map((b) => parseConfigNumber(b.configs[key]))
    .filter((v): v is number => v !== null);
  return values.length ? Math.max(...values) : null;
}

export function parseConfigNumber(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value.trim() === "") return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** A phase that ran and failed (errors or unsupported API); a missing phase is not known to have failed. */
export function phaseFailed(snapshot: ClusterSnapshot, name: PhaseName): boolean {
  const phase = snapshot.phases.find((p) => p.name === name);
  return phase !== undefined && (phase.unsupported || phase.errors.length > 0);
}

/** Partition count of an internal topic, null when the snapshot does not include it. */
export function partitionCount(index: SnapshotIndex, topic: string): number | null {
  return index.topics.get(topic)?.partitions.length ?? null;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 120) return `${m} min`;
  return `${(m / 60).toFixed(1)} h`;
}
