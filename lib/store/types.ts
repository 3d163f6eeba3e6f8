// Input and output shapes of the store. Dates are Date objects, offsets plain numbers (see lib/snapshot/types.ts).

import { DAY_MS, HOUR_MS } from "@/lib/time";

export type FindingSeverity = "info" | "warning" | "critical";

export type NotificationTransition = "opened" | "escalated" | "resolved";

/** A change of a finding's state that notifications report (see lib/notify). */
export interface FindingTransition {
  findingId: string;
  transition: NotificationTransition;
  /** The severity after the transition; for resolved, the last one. */
  severity: FindingSeverity;
  /** escalated: the severity before; null otherwise. */
  previousSeverity: FindingSeverity | null;
}

export interface FindingSubjectInput {
  topic?: string;
  partition?: number;
  transactionalId?: string;
  groupId?: string;
  brokerId?: number;
  detail?: string;
}

/** What the store needs of a detector finding (lib/analysis `Finding` is assignable to it). */
export interface FindingRecordInput {
  /** Identical for the same condition on every poll: the finding's identity across polls. */
  key: string;
  kind: string;
  severity: FindingSeverity;
  cluster: string;
  subject: FindingSubjectInput;
  title: string;
  evidence: Record<string, unknown>;
  explanation: string;
  remediation: string;
  /** Structured commands (program, arguments, purpose); absent on findings stored before commands existed. */
  commands?: readonly StoredCommand[];
}

export interface StoredCommand {
  program: string;
  args: readonly string[];
  purpose: string;
}

export interface RecordPollOptions {
  /**
   * Finding kinds whose detectors ran on complete input this poll: their open findings that were not
   * reported again are resolved. Default: every kind when the snapshot is complete, none otherwise
   * (a partial poll must not resolve what it could not see).
   */
  detectorKinds?: readonly string[];
  /** Bootstrap brokers as configured, stored on the cluster row. */
  brokers?: readonly string[];
  /**
   * Keep a history block (charts, time travel) for at most one poll per this period; 0 (the default) keeps
   * every poll. The latest snapshot, transactional-id events and findings are recorded on every poll regardless.
   */
  sampleEveryMs?: number;
  /** The detectors' fold of history after this poll (JSON-serialisable), saved for getAnalysisState. */
  analysisState?: unknown;
}

export type TransactionalIdEventKind =
  | "appeared"
  | "state-change"
  | "epoch-bump"
  | "producer-id-change"
  | "disappeared";

export interface TransactionalIdEventRecord {
  transactionalId: string;
  kind: TransactionalIdEventKind;
  fromState: string | null;
  toState: string | null;
  producerId: number | null;
  epoch: number | null;
  prevProducerId: number | null;
  prevEpoch: number | null;
}

export const DEFAULT_SAMPLE_EVERY_MS = 0;

/** How long each kind of data is kept, in ms. */
export interface RetentionPolicy {
  /** Per-poll history blocks (charts and time travel at full resolution). */
  samplesMs: number;
  pollsMs: number;
  hourlyPartitionRollupsMs: number;
  hourlyTopicRollupsMs: number;
  dailyRollupsMs: number;
  transactionalIdEventsMs: number;
  resolvedFindingsMs: number;
}


export const DEFAULT_RETENTION: RetentionPolicy = {
  samplesMs: 48 * HOUR_MS,
  pollsMs: 14 * DAY_MS,
  // Per-partition hourly rows are the bulk of the roll-ups (5,000 partitions x 24 a day): two weeks of
  // them; topics keep hourly resolution and everything keeps daily resolution for the 90-day trends.
  hourlyPartitionRollupsMs: 14 * DAY_MS,
  hourlyTopicRollupsMs: 90 * DAY_MS,
  dailyRollupsMs: 90 * DAY_MS,
  transactionalIdEventsMs: 90 * DAY_MS,
  resolvedFindingsMs: 90 * DAY_MS,
};

export class UnknownClusterError extends Error {
  constructor(readonly cluster: string) {
    super(`Unknown cluster: ${cluster}`);
    this.name = "UnknownClusterError";
  }
}

export interface FailedPollInput {
  cluster: string;
  startedAt: Date;
  durationMs: number;
  error: string;
  brokers?: readonly string[];
  /** The phase that failed when it was not the collection: "store" for a poll the database did not take. */
  phase?: "store";
}
