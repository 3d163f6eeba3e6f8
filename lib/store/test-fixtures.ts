// Realistic ClusterSnapshot fixtures for store tests and measurements (others may reuse them).
// Deterministic: the same options always give the same snapshot.
import type {
  ClusterSnapshot,
  ConsumerGroupState,
  PhaseName,
  PollPhase,
  ProducerState,
  TopicState,
  TransactionState,
} from "@/lib/snapshot/types";

export const FIXTURE_T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

/** When the fixture's poll number `pollIndex` ran: polls every 15 s from FIXTURE_T0. */
export const fixturePollAt = (pollIndex: number) => FIXTURE_T0 + pollIndex * 15_000;

const PHASES: PhaseName[] = ["metadata", "configs", "offsets", "logDirs", "groups", "groupOffsets", "transactions", "producers"];

export interface FixtureTopic {
  name: string;
  partitions: number;
  /** Records appended per partition per poll (drives HW/LSO/size growth over `pollIndex`). */
  recordsPerPoll?: number;
  transactional?: boolean;
}

export interface SnapshotFixtureOptions {
  cluster?: string;
  collectedAt?: number;
  /** Position in a series of polls: offsets grow with it. */
  pollIndex?: number;
  topics?: FixtureTopic[];
  transactions?: TransactionState[];
  groups?: ConsumerGroupState[];
  /** Phases that failed this poll (each gets one TIMEOUT error; the snapshot becomes incomplete). */
  failedPhases?: PhaseName[];
  brokerCount?: number;
}

export const DEFAULT_FIXTURE_TOPICS: FixtureTopic[] = [
  { name: "orders", partitions: 6, recordsPerPoll: 40, transactional: true },
  { name: "payments", partitions: 3, recordsPerPoll: 10, transactional: true },
  { name: "audit-log", partitions: 2, recordsPerPoll: 5 },
];

const BYTES_PER_RECORD = 180;

export function fixtureTransaction(overrides: Partial<TransactionState> & { transactionalId: string }): TransactionState {
  return {
    coordinatorId: 1,
    state: "Empty",
    producerId: 4000,
    producerEpoch: 0,
    transactionTimeoutMs: 60_000,
    transactionStartTimeMs: -1,
    partitions: [],
    ...overrides,
  };
}

export function fixtureGroup(groupId: string, offsets: { topic: string; partition: number; offset: number }[]): ConsumerGroupState {
  return {
    groupId,
    state: "Stable",
    protocolType: "consumer",
    protocol: "range",
    coordinatorId: 2,
    members: [{ memberId: `${groupId}-member-1`, clientId: `${groupId}-client`, host: "/10.0.0.21", assignment: offsets.map(({ topic, partition }) => ({ topic, partition })) }],
    offsets: offsets.map((o) => ({ ...o, metadata: null })),
  };
}

function phase(name: PhaseName, start: number, failed: boolean, partitionCount: number): PollPhase {
  const heavy = name === "offsets" || name === "producers" || name === "logDirs";
  return {
    name,
    startedAt: start,
    durationMs: heavy ? 40 + Math.ceil(partitionCount / 50) : 12,
    requests: heavy ? 3 : 1,
    bytesSent: heavy ? 60 * partitionCount : 300,
    bytesReceived: heavy ? 90 * partitionCount : 2_000,
    errors: failed ? [{ brokerId: 2, code: "TIMEOUT", message: `${name} request to broker 2 timed out` }] : [],
    unsupported: false,
  };
}

function topicState(topic: FixtureTopic, pollIndex: number, brokerCount: number, openTxnProducer: ProducerState | null): TopicState {
  const perPoll = topic.recordsPerPoll ?? 10;
  return {
    name: topic.name,
    internal: topic.name.startsWith("__"),
    configs: { "min.insync.replicas": "2", "cleanup.policy": "delete", "retention.ms": "604800000", "segment.bytes": "1073741824" },
    partitions: Array.from({ length: topic.partitions }, (_, p) => {
      // Partitions differ a little so aggregates are not trivially equal.
      const hw = 1_000 + p * 17 + pollIndex * (perPoll + (p % 3));
      const open = topic.transactional && p === 0 && openTxnProducer ? openTxnProducer : null;
      const lso = open ? Math.min(hw, open.currentTxnStartOffset) : hw;
      const leader = (p % brokerCount) + 1;
      const replicas = [leader, (leader % brokerCount) + 1, ((leader + 1) % brokerCount) + 1];
      return {
        partition: p,
        leader,
        replicas,
        isr: replicas,
        offlineReplicas: [],
        logStartOffset: 0,
        highWatermark: hw,
        lastStableOffset: lso,
        sizeBytes: hw * BYTES_PER_RECORD,
        producers: topic.transactional ? (open ? [open] : []) : null,
      };
    }),
  };
}

/** A healthy-looking snapshot: 3 brokers, a few topics, transactional producers, one consumer group. */
export function makeSnapshot(options: SnapshotFixtureOptions = {}): ClusterSnapshot {
  const cluster = options.cluster ?? "fixture";
  const collectedAt = options.collectedAt ?? FIXTURE_T0;
  const pollIndex = options.pollIndex ?? 0;
  const brokerCount = options.brokerCount ?? 3;
  const topics = options.topics ?? DEFAULT_FIXTURE_TOPICS;
  const transactions = options.transactions ?? [
    fixtureTransaction({ transactionalId: "orders-processor-0", state: "CompleteCommit", producerId: 4000, producerEpoch: 3 }),
    fixtureTransaction({ transactionalId: "payments-processor-0", state: "Empty", producerId: 4001, producerEpoch: 1 }),
  ];
  const ongoing = transactions.find((t) => t.state === "Ongoing");
  const openTxnProducer: ProducerState | null = ongoing
    ? {
        producerId: ongoing.producerId,
        producerEpoch: ongoing.producerEpoch,
        lastSequence: 10,
        lastTimestamp: collectedAt - 1_000,
        coordinatorEpoch: 0,
        currentTxnStartOffset: 1_000,
      }
    : null;
  const topicStates = topics.map((t) => topicState(t, pollIndex, brokerCount, openTxnProducer));
  const partitionCount = topicStates.reduce((n, t) => n + t.partitions.length, 0);
  const failed = new Set(options.failedPhases ?? []);
  const phases = PHASES.map((name, i) => phase(name, collectedAt + i * 20, failed.has(name), partitionCount));
  const firstTopic = topicStates[0];
  const groups = options.groups ?? (firstTopic
    ? [fixtureGroup(`${firstTopic.name}-consumer`, firstTopic.partitions.map((p) => ({ topic: firstTopic.name, partition: p.partition, offset: (p.lastStableOffset ?? 0) - 5 })))]
    : []);
  return {
    cluster,
    clusterId: "q1Sh-9_ISia_zwGINzRvyQ",
    controllerId: 1,
    collectedAt,
    durationMs: phases.reduce((sum, p) => sum + p.durationMs, 0),
    complete: failed.size === 0,
    phases,
    brokers: Array.from({ length: brokerCount }, (_, i) => ({ nodeId: i + 1, host: `broker-${i + 1}.kafka.internal`, port: 9092, rack: `az-${(i % 3) + 1}` })),
    features: { transactionVersion: 2, metadataVersion: 25 },
    brokerConfigs: Array.from({ length: brokerCount }, (_, i) => ({
      nodeId: i + 1,
      configs: { "transaction.max.timeout.ms": "900000", "min.insync.replicas": "2", "unclean.leader.election.enable": "false" },
    })),
    topics: topicStates,
    groups,
    transactions,
  };
}

/**
 * A large cluster for sizing: `partitionCount` partitions over topics of 50, every fifth topic
 * transactional, `groupCount` groups each committed on one topic, and 200 transactional ids.
 */
export function makeLargeSnapshot(partitionCount: number, options: { pollIndex?: number; collectedAt?: number; cluster?: string; groupCount?: number } = {}): ClusterSnapshot {
  const perTopic = 50;
  const topics: FixtureTopic[] = Array.from({ length: Math.ceil(partitionCount / perTopic) }, (_, i) => ({
    name: `service-${String(i).padStart(3, "0")}.events.v1`,
    partitions: Math.min(perTopic, partitionCount - i * perTopic),
    recordsPerPoll: 20 + (i % 7) * 15,
    transactional: i % 5 === 0,
  }));
  const base = makeSnapshot({ ...options, topics, transactions: [] });
  const transactions = Array.from({ length: 200 }, (_, i) =>
    fixtureTransaction({
      transactionalId: `stream-app-${i}`,
      state: i % 3 === 0 ? "Ongoing" : "CompleteCommit",
      producerId: 10_000 + i,
      producerEpoch: 5 + (options.pollIndex ?? 0),
      transactionStartTimeMs: i % 3 === 0 ? base.collectedAt - 2_000 : -1,
      partitions: i % 3 === 0 ? [{ topic: topics[(i * 5) % topics.length].name, partition: i % 50 }] : [],
    }),
  );
  const groupCount = options.groupCount ?? Math.ceil(topics.length / 2);
  const groups = base.topics.slice(0, groupCount).map((t, i) =>
    fixtureGroup(`consumer-${i}`, t.partitions.map((p) => ({ topic: t.name, partition: p.partition, offset: (p.lastStableOffset ?? 0) - 3 }))),
  );
  return { ...base, transactions, groups };
}
