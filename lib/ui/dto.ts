import type { Pipeline } from "../analysis/pipelines";
import type { SecuritySummary } from "../config/cluster-security";
import type { GroupType } from "../snapshot/types";
import type { RemediationAuditView } from "../store/remediation-audit";
import type { ChartResolution } from "./downsample";

// JSON shapes the API routes return and the pages render. Times are epoch milliseconds (UTC).

export type Severity = "info" | "warning" | "critical";
export const SEVERITIES: readonly Severity[] = ["critical", "warning", "info"];
export type SeverityCounts = Record<Severity, number>;

export interface PollStatusDto {
  lastPollAt: number | null;
  lastPollComplete: boolean | null;
  lastPollError: string | null;
  lastSnapshotAt: number | null;
}

export interface ClusterListItemDto {
  name: string;
  poll: PollStatusDto;
  /** This cluster's own poll interval (clusters file), for its freshness. */
  pollIntervalMs: number;
  /** How the auditor connects, secrets left out; null for a stored cluster no longer configured. */
  security: SecuritySummary | null;
  openFindings: SeverityCounts;
}

export interface ClustersDto {
  /** The default interval (POLL_INTERVAL_MS); each cluster carries its own. */
  pollIntervalMs: number;
  /** Server clock, so ages are computed against one clock. */
  now: number;
  clusters: ClusterListItemDto[];
}

export interface FindingSubject {
  topic: string | null;
  partition: number | null;
  transactionalId: string | null;
  groupId: string | null;
  brokerId: number | null;
  /** Distinguishes findings sharing kind and subject, e.g. the config key. */
  detail: string | null;
}

/** One command of a finding, rendered for its cluster. */
export interface CommandDto {
  program: string;
  purpose: string;
  /** Every argument the program receives, connection options included. */
  argv: string[];
  /** Shell-quoted words; joined by single spaces they are `line`. Null when no shell can pass an argument (NUL). */
  words: string[] | null;
  /** Exactly what the copy button copies. */
  line: string | null;
}

export interface ClientPropertiesDto {
  /** The placeholder path the commands pass to `--command-config`. */
  path: string;
  /** What that file must hold, with placeholders for secrets and local paths. */
  template: string;
}

export interface FindingDto {
  id: string;
  key: string;
  kind: string;
  severity: Severity;
  subject: FindingSubject;
  title: string;
  evidence: unknown;
  explanation: string;
  /** Prose only: commands are in `commands`, never in this text. */
  remediation: string;
  commands: CommandDto[];
  /** Set when the commands carry `--command-config` (the cluster needs TLS or SASL settings). */
  clientProperties: ClientPropertiesDto | null;
  firstSeenAt: number;
  lastSeenAt: number;
  resolvedAt: number | null;
}

export interface BrokerRow {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
  isController: boolean;
  /** False for a broker that replicas name but metadata no longer lists (down or removed). */
  live: boolean;
  leaderCount: number;
  replicaCount: number;
}

export type PartitionProblem = "offline" | "under-min-isr" | "under-replicated";

export interface ProblemPartitionRow {
  topic: string;
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
  problem: PartitionProblem;
}

export interface PhaseRow {
  name: string;
  durationMs: number;
  requests: number;
  errors: { brokerId: number | null; code: string; message: string }[];
  unsupported: boolean;
}

export interface ClusterOverviewDto {
  cluster: string;
  clusterId: string | null;
  controllerId: number | null;
  collectedAt: number;
  complete: boolean;
  durationMs: number;
  transactionVersion: number;
  metadataVersion: number | null;
  brokers: BrokerRow[];
  topicCount: number;
  internalTopicCount: number;
  partitionCount: number;
  offlineCount: number;
  underReplicatedCount: number;
  underMinIsrCount: number;
  problemPartitions: ProblemPartitionRow[];
  groupCount: number;
  transactionCount: number;
  openTransactionCount: number;
  phases: PhaseRow[];
}

export interface TopicRow {
  name: string;
  internal: boolean;
  partitionCount: number;
  sizeBytes: number | null;
  /** Σ (HW − log start): records (and markers) still on disk. */
  retainedOffsets: number;
  /** Σ (HW − LSO): offsets read_committed consumers cannot see yet. */
  txnBlocked: number;
  partitionsWithOpenTxn: number;
  /** Records per second over the last poll interval, null without a previous poll. */
  ratePerSec: number | null;
  /** Busiest partition's rate ÷ mean partition rate (1 = even); null without rates. */
  skew: number | null;
  underReplicated: number;
  offline: number;
}

export interface ProducerRow {
  producerId: number;
  producerEpoch: number;
  lastSequence: number;
  lastTimestamp: number;
  currentTxnStartOffset: number;
  /** Transactional id owning this producer id, when the coordinator listed one. */
  transactionalId: string | null;
}

export interface PartitionRow {
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
  logStartOffset: number | null;
  highWatermark: number | null;
  lastStableOffset: number | null;
  txnBlocked: number | null;
  sizeBytes: number | null;
  ratePerSec: number | null;
  skew: number | null;
  producers: ProducerRow[] | null;
}

export interface TopicDetailDto {
  cluster: string;
  collectedAt: number;
  topic: TopicRow;
  configs: Record<string, string | null>;
  partitions: PartitionRow[];
}

export type LagVerdict = "OK" | "EXTERNAL" | "LAGGING" | "STALLED" | "STOPPED" | "REWIND" | "TXN_BLOCKED";

export interface GroupPartitionRow {
  topic: string;
  partition: number;
  committed: number | null;
  lastStableOffset: number | null;
  highWatermark: number | null;
  /** LSO − committed. */
  consumableLag: number | null;
  /** HW − LSO beyond what the group has already read. */
  txnBlockedLag: number | null;
  /** Client id of the member assigned to the partition, if any. */
  assignedTo: string | null;
}

export interface GroupRow {
  groupId: string;
  /** classic, consumer (KIP-848), streams or share; snapshots recorded before types were read say classic. */
  type: GroupType;
  state: string;
  protocolType: string;
  memberCount: number;
  topics: string[];
  /** LSO − committed; for share groups, which commit no offsets, the broker's share lag (records not yet acknowledged). */
  consumableLag: number;
  txnBlockedLag: number;
  verdict: LagVerdict | null;
}

export interface GroupMemberRow {
  memberId: string;
  clientId: string;
  host: string;
  /** consumer, streams and share members; null for classic ones. */
  memberEpoch: number | null;
  assignment: string[];
  /** consumer and streams members: where the coordinator is moving them; null for types without one. */
  targetAssignment: string[] | null;
}

/** A share group's position on one partition: start offset (first record not acknowledged by all) and lag. */
export interface SharePartitionRow {
  topic: string;
  partition: number;
  startOffset: number | null;
  lag: number | null;
  highWatermark: number | null;
  assignedTo: string | null;
}

export interface GroupDetailDto {
  cluster: string;
  collectedAt: number;
  group: GroupRow;
  coordinatorId: number | null;
  protocol: string;
  /** consumer, streams and share groups; null for classic groups. */
  groupEpoch: number | null;
  assignmentEpoch: number | null;
  /** What the state means for this type of group, when it is a transitional one (Assigning, Reconciling, ...). */
  stateNote: string | null;
  members: GroupMemberRow[];
  partitions: GroupPartitionRow[];
  /** Share groups only (they commit no offsets): start offsets and lag per partition. */
  shareOffsets: SharePartitionRow[] | null;
}

export interface TransactionRow {
  transactionalId: string;
  state: string;
  producerId: number;
  producerEpoch: number;
  coordinatorId: number;
  transactionTimeoutMs: number;
  transactionStartTimeMs: number;
  /** How long the current transaction has been open at poll time; null when none is open. */
  openForMs: number | null;
  overTimeout: boolean;
  partitions: { topic: string; partition: number }[];
}

export interface TransactionEventDto {
  at: number;
  kind: string;
  fromState: string | null;
  toState: string | null;
  producerId: number | null;
  epoch: number | null;
  prevProducerId: number | null;
  prevEpoch: number | null;
}

export interface BlockedGroupRow {
  groupId: string;
  topic: string;
  partition: number;
  committed: number;
  lastStableOffset: number;
  highWatermark: number;
}

export interface TransactionDetailDto {
  cluster: string;
  collectedAt: number;
  /** Null when the coordinator no longer lists the id (expired) at this poll. */
  transaction: TransactionRow | null;
  blockedGroups: BlockedGroupRow[];
  events: TransactionEventDto[];
  findings: FindingDto[];
  /** Guarded abort attempts on transactions of this id, newest first. */
  remediationAudit: RemediationAuditDto[];
}

/** One partition at one poll, from the store's partition samples. */
export interface PartitionPoint {
  at: number;
  partition: number;
  logStartOffset: number | null;
  highWatermark: number | null;
  lastStableOffset: number | null;
  sizeBytes: number | null;
}

export interface TopicHistoryDto {
  topic: string;
  from: number;
  to: number;
  resolution: ChartResolution;
  points: PartitionPoint[];
}

/** A group's lag on one topic at one poll, summed over its partitions. */
export interface GroupLagPoint {
  at: number;
  topic: string;
  /** Σ (LSO − committed). */
  consumable: number;
  /** Σ (HW − LSO). */
  txnBlocked: number;
}

export interface GroupHistoryDto {
  groupId: string;
  from: number;
  to: number;
  resolution: ChartResolution;
  points: GroupLagPoint[];
}

export interface ClusterDto {
  name: string;
  poll: PollStatusDto;
  pollIntervalMs: number;
  security: SecuritySummary | null;
  now: number;
  overview: ClusterOverviewDto;
}

export interface FindingsDto {
  cluster: string;
  findings: FindingDto[];
}

/** One observation of a transactional id for a finding's timeline (from its stored TransactionalIdEvents). */
export interface IdTimelinePoint {
  at: number;
  transactionalId: string;
  producerId: number | null;
  epoch: number | null;
  /** The stored event kind (appeared, epoch-bump, producer-id-change, …); "first seen" for an appearance from state. */
  event: string;
}

/**
 * epochs: the (producer id, epoch) history of the finding's id (fencing, fencing fights, timeouts);
 * appearances: when each id of a lost-fencing family was first seen.
 */
export interface IdTimelineDto {
  kind: "epochs" | "appearances";
  points: IdTimelinePoint[];
}

export interface FindingDetailDto {
  cluster: string;
  finding: FindingDto;
  now: number;
  /** For findings about transactional ids with no partition or group to chart; null otherwise. */
  idTimeline: IdTimelineDto | null;
  /** Guarded abort attempts about this finding, newest first. */
  remediationAudit: RemediationAuditDto[];
}

/** One guarded abort attempt (lib/store/remediation-audit.ts), whatever its outcome; `at` in ms. */
export type RemediationAuditDto = Omit<RemediationAuditView, "at" | "action" | "cluster"> & { at: number };

export interface TransactionsDto {
  cluster: string;
  collectedAt: number;
  rows: TransactionRow[];
}

export interface TopicsDto {
  cluster: string;
  collectedAt: number;
  /** False on the first poll: rates need two polls. */
  hasRates: boolean;
  rows: TopicRow[];
}

export interface GroupsDto {
  cluster: string;
  collectedAt: number;
  rows: GroupRow[];
}

export interface ConfigRiskGroup {
  scope: "topic" | "broker" | "cluster";
  /** Topic name, broker id, or the cluster name. */
  name: string;
  findings: FindingDto[];
}

export interface ConfigRisksDto {
  cluster: string;
  groups: ConfigRiskGroup[];
}

export interface SkewedPartitionRow {
  topic: string;
  partition: number;
  leader: number;
  ratePerSec: number;
  /** Partition rate ÷ mean rate of its topic. */
  skew: number;
}

export interface HeatmapDto {
  topic: string;
  cells: { partition: number; at: number; ratePerSec: number | null; records: number | null }[];
}

export interface HotPartitionsDto {
  cluster: string;
  collectedAt: number;
  top: SkewedPartitionRow[];
  heatmaps: HeatmapDto[];
  findings: FindingDto[];
}

export interface CapacityTopicRow {
  topic: string;
  partitionCount: number;
  recordsIn: number;
  avgRecordsPerSec: number;
  peakRecordsPerSec: number;
  bytesIn: number;
  maxSizeBytes: number | null;
  /** Busiest partition's records ÷ mean over the range (1 = even); null without partition roll-ups. */
  skew: number | null;
  maxLsoGap: number;
  maxGroupLag: number;
  maxOpenTxns: number;
}

/** Hourly (24 h, 7 d) or daily (30 d, 90 d) roll-up of one topic. */
export interface TopicRollupPoint {
  bucketStart: number;
  topic: string;
  partitionCount: number;
  recordsIn: number;
  bytesDelta: number;
  maxSizeBytes: number | null;
  maxLsoGap: number;
  maxGroupLag: number;
  maxOpenTxns: number;
}

export type CapacityRange = "24h" | "7d" | "30d" | "90d";

/**
 * A cluster's transactions in one hourly or daily bucket. Completions are *observed*: state changes into
 * CompleteCommit / CompleteAbort between two polls, at most one per transactional id per poll (a lower bound).
 */
export interface TransactionRollupPoint {
  bucketStart: number;
  observedCommits: number;
  observedAborts: number;
  /** Distinct transactional ids whose state changed in the bucket. */
  activeIds: number;
  /** Mean and longest age of the transactions open at the bucket's polls; null when none was open. */
  avgOpenMs: number | null;
  maxOpenMs: number | null;
  maxOpenTxns: number;
}

export interface TransactionCapacitySummary {
  observedCommits: number;
  observedAborts: number;
  /** Distinct over the whole range (not a sum of the buckets'). */
  activeIds: number;
  avgOpenMs: number | null;
  maxOpenMs: number | null;
  maxOpenTxns: number;
  /** Busiest bucket's observed completions (commits + aborts). */
  peakCompletionsPerBucket: number;
}

export interface CapacityDto {
  cluster: string;
  range: CapacityRange;
  granularity: "hour" | "day";
  from: number;
  to: number;
  rows: CapacityTopicRow[];
  points: TopicRollupPoint[];
  transactions: { points: TransactionRollupPoint[]; summary: TransactionCapacitySummary };
  /** The current hour or day, not finished: rolled up from the raw samples up to the newest (`partial.to`), not stored yet. */
  partial: CapacityPartial | null;
}

export interface CapacityPartial {
  bucketStart: number;
  to: number;
}

export interface PipelinesDto {
  cluster: string;
  collectedAt: number;
  /** False when the detectors' accumulated links were not available (time travel, or no poller state yet). */
  withHistory: boolean;
  pipelines: Pipeline[];
}

/** One webhook delivery of one of a finding's transitions (lib/notify), for the line on the finding page. */
export interface FindingNotificationDto {
  target: string;
  transition: "opened" | "escalated" | "resolved";
  severity: Severity;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  deliveredAt: number | null;
  lastError: string | null;
}

export interface FindingNotificationsDto {
  notifications: FindingNotificationDto[];
}
