// Hand-built snapshots for detector unit tests: healthy defaults, override only what a test is about.
import type {
  ClusterSnapshot,
  CommittedOffset,
  ConfigMap,
  ConsumerGroupState,
  PartitionState,
  ProducerState,
  TopicState,
  TransactionState,
} from "../../snapshot/types";

export const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

export const HEALTHY_TOPIC_CONFIGS: ConfigMap = {
  "min.insync.replicas": "2",
  "cleanup.policy": "delete",
  "unclean.leader.election.enable": "false",
  "retention.bytes": "-1",
  "segment.bytes": "1073741824",
};

export function buildPartition(partition: number, fields: Partial<PartitionState> = {}): PartitionState {
  return {
    partition,
    leader: 1,
    replicas: [1, 2, 3],
    isr: [1, 2, 3],
    offlineReplicas: [],
    logStartOffset: 0,
    highWatermark: 0,
    lastStableOffset: 0,
    sizeBytes: 0,
    producers: [],
    ...fields,
  };
}

export function buildTopic(
  name: string,
  partitions: PartitionState[],
  configs: ConfigMap = {},
  internal = name.startsWith("__"),
): TopicState {
  return { name, internal, configs: { ...HEALTHY_TOPIC_CONFIGS, ...configs }, partitions };
}

/** `count` partitions of a topic, all at the same offsets unless `fields` says otherwise. */
export function buildUniformTopic(
  name: string,
  count: number,
  fields: (p: number) => Partial<PartitionState> = () => ({}),
  configs: ConfigMap = {},
): TopicState {
  return buildTopic(
    name,
    Array.from({ length: count }, (_, p) => buildPartition(p, fields(p))),
    configs,
  );
}

export function buildProducer(fields: Partial<ProducerState> & { producerId: number }): ProducerState {
  return {
    producerEpoch: 0,
    lastSequence: 0,
    lastTimestamp: T0,
    coordinatorEpoch: 0,
    currentTxnStartOffset: -1,
    ...fields,
  };
}

export function buildTransaction(
  fields: Partial<TransactionState> & { transactionalId: string; producerId: number },
): TransactionState {
  return {
    coordinatorId: 1,
    state: "Empty",
    producerEpoch: 0,
    transactionTimeoutMs: 60_000,
    transactionStartTimeMs: -1,
    partitions: [],
    ...fields,
  };
}

export function buildGroup(
  groupId: string,
  offsets: Array<[topic: string, partition: number, offset: number] | CommittedOffset>,
  fields: Partial<ConsumerGroupState> = {},
): ConsumerGroupState {
  return {
    groupId,
    state: "Stable",
    protocolType: "consumer",
    protocol: "range",
    coordinatorId: 1,
    members: [{ memberId: `${groupId}-m1`, clientId: "client", host: "/127.0.0.1", assignment: [] }],
    offsets: offsets.map((o) =>
      Array.isArray(o) ? { topic: o[0], partition: o[1], offset: o[2], metadata: null } : o,
    ),
    ...fields,
  };
}

export function buildSnapshot(fields: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
  return {
    cluster: "test",
    clusterId: "abc",
    controllerId: 1,
    collectedAt: T0,
    durationMs: 100,
    complete: true,
    phases: [],
    brokers: [1, 2, 3].map((nodeId) => ({ nodeId, host: "127.0.0.1", port: 9090 + nodeId, rack: null })),
    features: { transactionVersion: 0, metadataVersion: null },
    brokerConfigs: [1, 2, 3].map((nodeId) => ({
      nodeId,
      configs: {
        "transaction.max.timeout.ms": "900000",
        "transaction.state.log.replication.factor": "3",
        "transaction.state.log.min.isr": "2",
        "transaction.partition.verification.enable": "true",
      },
    })),
    topics: [],
    groups: [],
    transactions: [],
    ...fields,
  };
}
