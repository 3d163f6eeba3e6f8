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
  /**
   * Partitions a listed transactional producer wrote: LSO and HW read right before the coordinators' describe,
   * and the HW right after it. Absent elsewhere, when a read failed, and in older snapshots.
   */
  transactionBracket?: { lastStableOffset: number; highWatermark: number; highWatermarkAfter: number };
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
  /**
   * KIP-848 / streams: the partitions the coordinator wants this member to own. It differs from `assignment`
   * (what the member owns now) while the group is Reconciling. Absent for classic and share members.
   * Streams members own tasks; both lists hold the input partitions of their active tasks.
   */
  targetAssignment?: TopicPartitionRef[];
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

/**
 * A share group's progress on one partition (DescribeShareGroupOffsets). Share groups commit no offsets: the
 * start offset is the first record not yet acknowledged by every consumer, and records past it may already be
 * delivered. Lag is the broker's own count (KIP-1226, brokers 4.2+).
 */
export interface ShareGroupOffset extends TopicPartitionRef {
  /** null while the share partition is not initialized (no record delivered yet). */
  startOffset: number | null;
  /** null when the broker does not report it (DescribeShareGroupOffsets v0) or does not know it yet. */
  lag: number | null;
}

export interface ConsumerGroupState {
  groupId: string;
  /** Absent in snapshots recorded before group types were collected: those are classic groups. */
  type?: GroupType;
  /**
   * As the broker says. classic: Empty, PreparingRebalance, CompletingRebalance, Stable, Dead; consumer and
   * streams: Empty, Assigning, Reconciling, Stable, Dead (streams also NotReady); share: Empty, Stable, Dead.
   * Unknown when the group could not be described.
   */
  state: string;
  protocolType: string;
  protocol: string;
  coordinatorId: number | null;
  members: GroupMember[];
  /** Committed offsets (OffsetFetch). Always empty for share groups: see `shareOffsets`. */
  offsets: CommittedOffset[];
  /** consumer / streams / share: bumped on every membership or subscription change. Absent for classic groups. */
  groupEpoch?: number;
  /** consumer / streams / share: epoch of the target assignment; below `groupEpoch` while Assigning. */
  assignmentEpoch?: number;
  /** Share groups only: start offsets and lag, kept apart from `offsets` so no committed-offset logic reads them. */
  shareOffsets?: ShareGroupOffset[];
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
