// The one shape a poll produces. The collector (lib/kafka) fills it, detectors (lib/analysis) read it,
// the store persists it. Plain data only: no class instances, JSON round-trips losslessly.
// Offsets, producer ids and timestamps are JS numbers: int64 values above 2^53 do not occur in practice.

export type PhaseName =
  | "metadata"
  | "configs"
  | "offsets"
  | "logDirs"
  | "groups"
  | "groupOffsets"
  | "transactions"
  | "producers";

export interface PhaseError {
  /** Broker the failing request went to, when there was one. */
  brokerId: number | null;
  /** Kafka error name (e.g. NOT_COORDINATOR) or a transport error class (e.g. TIMEOUT, CONNECTION). */
  code: string;
  message: string;
}

export interface PollPhase {
  name: PhaseName;
  startedAt: number;
  durationMs: number;
  requests: number;
  bytesSent: number;
  bytesReceived: number;
  errors: PhaseError[];
  /** The broker does not implement the API this phase needs (e.g. transactions admin APIs before 3.0). */
  unsupported: boolean;
}

export interface BrokerInfo {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
}

/** Config values as strings, exactly as DescribeConfigs returns them; null when the broker hides the value. */
export type ConfigMap = Record<string, string | null>;

export interface BrokerConfig {
  nodeId: number;
  configs: ConfigMap;
}

export interface ProducerState {
  producerId: number;
  producerEpoch: number;
  lastSequence: number;
  /** Max timestamp of the producer's last batch (client CreateTime unless the topic uses LogAppendTime). */
  lastTimestamp: number;
  coordinatorEpoch: number;
  /** First offset of this producer's open transaction on the partition, or -1 when none is open. */
  currentTxnStartOffset: number;
}

export interface PartitionState {
  partition: number;
  leader: number; // -1 when leaderless
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
  /** null when the offset could not be read this poll (leader down, error): never guessed. */
  logStartOffset: number | null;
  highWatermark: number | null;
  lastStableOffset: number | null;
  /** Size on the leader's disk in bytes, null when unknown. */
  sizeBytes: number | null;
  /** null when DescribeProducers failed or is unsupported for this partition. */
  producers: ProducerState[] | null;
}

export interface TopicState {
  name: string;
  internal: boolean;
  configs: ConfigMap;
  partitions: PartitionState[];
}

export interface TopicPartitionRef {
  topic: string;
  partition: number;
}

export interface GroupMember {
  memberId: string;
  clientId: string;
  host: string;
  assignment: TopicPartitionRef[];
  /** KIP-848 / streams / share member epoch; absent for classic members. */
  memberEpoch?: number;
}

/**
 * The group's protocol family from ListGroups v5: classic (JoinGroup/SyncGroup), consumer (KIP-848),
 * streams (KIP-1071) or share (KIP-932). Each has its own describe API and its own states.
 */
export type GroupType = "classic" | "consumer" | "streams" | "share";

export interface CommittedOffset extends TopicPartitionRef {
  offset: number;
  metadata: string | null;
  /**
   * Optional, filled by the collector when it read the batch header(s) between the committed offset and
   * the LSO: true when only control batches (commit/abort markers) lie there, so the group is caught up.
   * Absent when not checked.
   */
  gapIsControlOnly?: boolean;
}

export interface ConsumerGroupState {
  groupId: string;
  /** Absent in snapshots recorded before group types were collected: those are classic groups. */
  type?: GroupType;
  /** Stable, Empty, PreparingRebalance, CompletingRebalance, Dead, Unknown, ... as the broker says. */
  state: string;
  protocolType: string;
  protocol: string;
  coordinatorId: number | null;
  members: GroupMember[];
  offsets: CommittedOffset[];
}

export type TransactionStateName =
  | "Empty"
  | "Ongoing"
  | "PrepareCommit"
  | "PrepareAbort"
  | "CompleteCommit"
  | "CompleteAbort"
  | "PrepareEpochFence"
  | "Dead"
  | string;

export interface TransactionState {
  transactionalId: string;
  coordinatorId: number;
  state: TransactionStateName;
  producerId: number;
  producerEpoch: number;
  transactionTimeoutMs: number;
  /**
   * Start of the current or, in Complete* states, the last transaction in epoch ms (brokers keep it after the
   * commit or abort); -1 when the id never had one.
   */
  transactionStartTimeMs: number;
  partitions: TopicPartitionRef[];
}

export interface ClusterFeatures {
  /** Finalized `transaction.version` feature level (0 when absent: pre-TV2 cluster). */
  transactionVersion: number;
  /** Finalized `metadata.version` feature level, null when unknown. */
  metadataVersion: number | null;
}

export interface ClusterSnapshot {
  /** Configured cluster name (the key in the cluster config), not Kafka's cluster id. */
  cluster: string;
  clusterId: string | null;
  controllerId: number | null;
  /** Poll start, epoch ms. */
  collectedAt: number;
  durationMs: number;
  /** False when any phase had an error or was skipped: such a poll is never presented as complete. */
  complete: boolean;
  phases: PollPhase[];
  brokers: BrokerInfo[];
  features: ClusterFeatures;
  brokerConfigs: BrokerConfig[];
  topics: TopicState[];
  groups: ConsumerGroupState[];
  transactions: TransactionState[];
}
