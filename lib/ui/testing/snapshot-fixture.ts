import type { ClusterSnapshot, PartitionState, TopicState } from "../../snapshot/types";

// A small hand-made snapshot for the view-mapper tests: one transactional topic with a pinned LSO, one
// consumer group reading it, one open and one idle transaction.

export const FIXTURE_AT = Date.UTC(2024, 5, 1, 3, 0, 0);

export function partition(overrides: Partial<PartitionState> & { partition: number }): PartitionState {
  return {
    leader: 1,
    replicas: [1, 2, 3],
    isr: [1, 2, 3],
    offlineReplicas: [],
    logStartOffset: 0,
    highWatermark: 100,
    lastStableOffset: 100,
    sizeBytes: 1000,
    producers: [],
    ...overrides,
  };
}

export function topic(name: string, partitions: PartitionState[], configs: TopicState["configs"] = {}): TopicState {
  return { name, internal: name.startsWith("__"), configs, partitions };
}

export function fixtureSnapshot(overrides: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
  return {
    cluster: "prod",
    clusterId: "abc",
    controllerId: 1,
    collectedAt: FIXTURE_AT,
    durationMs: 420,
    complete: true,
    phases: [],
    brokers: [
      { nodeId: 1, host: "b1", port: 9092, rack: null },
      { nodeId: 2, host: "b2", port: 9092, rack: null },
      { nodeId: 3, host: "b3", port: 9092, rack: null },
    ],
    features: { transactionVersion: 2, metadataVersion: 20 },
    brokerConfigs: [{ nodeId: 1, configs: { "min.insync.replicas": "2" } }],
    topics: [
      topic("orders", [
        partition({
          partition: 0,
          highWatermark: 150,
          lastStableOffset: 120,
          producers: [
            {
              producerId: 7,
              producerEpoch: 3,
              lastSequence: 10,
              lastTimestamp: FIXTURE_AT - 60_000,
              coordinatorEpoch: 0,
              currentTxnStartOffset: 120,
            },
          ],
        }),
        partition({ partition: 1, isr: [1, 2], highWatermark: 80, lastStableOffset: 80, sizeBytes: 500 }),
        partition({ partition: 2, leader: -1, isr: [], highWatermark: null, lastStableOffset: null, sizeBytes: null, producers: null }),
      ]),
      topic("__consumer_offsets", [partition({ partition: 0 })]),
    ],
    groups: [
      {
        groupId: "billing",
        state: "Stable",
        protocolType: "consumer",
        protocol: "range",
        coordinatorId: 1,
        members: [{ memberId: "m1", clientId: "c1", host: "/10.0.0.1", assignment: [{ topic: "orders", partition: 0 }] }],
        offsets: [
          { topic: "orders", partition: 0, offset: 110, metadata: null },
          { topic: "orders", partition: 1, offset: 80, metadata: null },
        ],
      },
    ],
    transactions: [
      {
        transactionalId: "writer-1",
        coordinatorId: 1,
        state: "Ongoing",
        producerId: 7,
        producerEpoch: 3,
        transactionTimeoutMs: 60_000,
        transactionStartTimeMs: FIXTURE_AT - 90_000,
        partitions: [{ topic: "orders", partition: 0 }],
      },
      {
        transactionalId: "writer-2",
        coordinatorId: 2,
        state: "CompleteCommit",
        producerId: 8,
        producerEpoch: 1,
        transactionTimeoutMs: 60_000,
        transactionStartTimeMs: -1,
        partitions: [],
      },
    ],
    ...overrides,
  };
}
