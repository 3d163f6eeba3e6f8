// Per transactional id memory across polls: first/last seen (for lost-fencing families), the last
// (producer id, epoch, state) and a classified timeline of its changes (for fencing), and the partitions
// its transactions touched (for pipelines). No admin API reports fencing: diffing polls is the only way.
import type { ClusterSnapshot, TransactionState } from "../snapshot/types";
import type { DetectorSettings } from "./settings";
import { CONSUMER_OFFSETS_TOPIC } from "./snapshot-index";

export type EpochChangeKind =
  /** InitProducerId from a new instance (restart, scale-out, duplicate deployment): the old one is fenced. */
  | "new-instance"
  /** InitProducerId while a transaction was open: the open transaction was aborted, its writer fenced. */
  | "fenced-open-transaction"
  /** The coordinator aborted a transaction that outlived its timeout (epoch + 1). */
  | "timeout-abort"
  /** A different producer id for the same transactional id (not explained by epoch exhaustion). */
  | "producer-id-changed"
  /** The epoch neared Short.MAX_VALUE and the coordinator issued a new producer id: routine. */
  | "epoch-exhausted"
  /** TV2 clients (Java 4.x) bump the epoch on every commit and abort: routine. */
  | "per-transaction-bump"
  /**
   * The epoch moved on a TV2 cluster before this id's commit style was known: commits of a TV2 client, or
   * new instances of a pre-TV2 one (kafkajs). Counted as fences once the id proves to commit without bumps.
   */
  | "ambiguous-bump";

/** Fences a change stands for, given what is known about the id now. */
export function fencesOf(change: EpochChange, history: Pick<TransactionalIdHistory, "commitStyle">): number {
  return change.kind === "ambiguous-bump" && history.commitStyle === "steady" ? change.bumps : change.fences;
}

export interface EpochChange {
  t: number;
  kind: EpochChangeKind;
  from: [producerId: number, epoch: number, state: string];
  to: [producerId: number, epoch: number, state: string];
  /** How far the epoch moved (k bumps); 0 when the producer id changed. */
  bumps: number;
  /** Instances fenced by this change (an InitProducerId during a transaction bumps twice but fences once). */
  fences: number;
}

export interface TransactionalIdHistory {
  firstSeen: number;
  lastSeen: number;
  producerId: number;
  producerEpoch: number;
  state: string;
  transactionStartTimeMs: number;
  transactionTimeoutMs: number;
  changes: EpochChange[];
  /**
   * Last proof of how this id's client commits: "bumps" = a commit moved the epoch by one (TV2, Java 4.x),
   * "steady" = a transaction ended without an epoch move (pre-TV2 clients such as kafkajs). null = unknown.
   */
  commitStyle: "bumps" | "steady" | null;
  /** Non-internal topics its transactions wrote to, and `__consumer_offsets` partitions it committed to. */
  outputTopics: string[];
  offsetsPartitions: number[];
}

const EPOCH_EXHAUSTION_MARGIN = 32767 - 10;
const MAX_CHANGES = 50;
const MAX_LINKS = 50;
const MAX_TRACKED_IDS = 5000;

const isAbortState = (s: string) => s === "PrepareAbort" || s === "CompleteAbort";

const isCommitState = (s: string) => s === "PrepareCommit" || s === "CompleteCommit";

/** Does this id's epoch move per transaction? Its own history decides; null = not known yet. */
function bumpsPerTransaction(h: TransactionalIdHistory, tv2Cluster: boolean): boolean | null {
  if (!tv2Cluster || h.commitStyle === "steady") return false;
  return h.commitStyle === "bumps" ? true : null;
}

/**
 * A transaction that ended between two polls proves the style: no epoch move = "steady", one move into a
 * commit = "bumps" (fences and timeouts end in aborts, never in commits). The coordinator keeps
 * transactionStartTimeMs after a transaction completes, so a changed start time reveals a new transaction.
 */
function observeCommitStyle(prev: TransactionalIdHistory, cur: TransactionState): TransactionalIdHistory["commitStyle"] {
  if (cur.producerId !== prev.producerId) return prev.commitStyle;
  const bumps = cur.producerEpoch - prev.producerEpoch;
  const newTransaction = cur.transactionStartTimeMs >= 0 && cur.transactionStartTimeMs !== prev.transactionStartTimeMs;
  const ended = cur.state !== "Ongoing" && cur.state !== "Empty";
  const aTransactionEnded = (prev.state === "Ongoing" && (newTransaction || ended)) || (newTransaction && ended);
  if (bumps === 0 && aTransactionEnded) return "steady";
  if (bumps === 1 && prev.state === "Ongoing" && !newTransaction && isCommitState(cur.state)) return "bumps";
  return prev.commitStyle;
}

export function classifyChange(
  prev: TransactionalIdHistory,
  cur: TransactionState,
  t: number,
  tv2Cluster: boolean,
): EpochChange | null {
  const from: EpochChange["from"] = [prev.producerId, prev.producerEpoch, prev.state];
  const to: EpochChange["to"] = [cur.producerId, cur.producerEpoch, cur.state];
  if (cur.producerId !== prev.producerId) {
    const kind = prev.producerEpoch >= EPOCH_EXHAUSTION_MARGIN ? "epoch-exhausted" : "producer-id-changed";
    return { t, kind, from, to, bumps: 0, fences: kind === "producer-id-changed" ? 1 : 0 };
  }
  const bumps = cur.producerEpoch - prev.producerEpoch;
  if (bumps <= 0) return null;
  const base = { t, from, to, bumps };
  const wasOngoing = prev.state === "Ongoing";
  const timedOut = wasOngoing && prev.transactionStartTimeMs >= 0 && prev.transactionStartTimeMs + prev.transactionTimeoutMs < t;
  if (timedOut) return { ...base, kind: "timeout-abort", fences: 0 };
  const lastChange = prev.changes[prev.changes.length - 1];
  if (cur.state === "Empty") {
    // The client's retry after a fence seen half-way (CompleteAbort, one bump) is the same fence.
    const finishesFence = isAbortState(prev.state) && lastChange?.kind === "fenced-open-transaction" && lastChange.bumps === 1;
    if (wasOngoing) return { ...base, kind: "fenced-open-transaction", fences: 1 + Math.max(0, bumps - 2) };
    return { ...base, kind: finishesFence ? "fenced-open-transaction" : "new-instance", fences: finishesFence ? bumps - 1 : bumps };
  }
  const perTransaction = bumpsPerTransaction(prev, tv2Cluster);
  if (perTransaction === null) return { ...base, kind: "ambiguous-bump", fences: 0 };
  if (perTransaction) return { ...base, kind: "per-transaction-bump", fences: 0 };
  if (wasOngoing && isAbortState(cur.state)) return { ...base, kind: "fenced-open-transaction", fences: 1 };
  // Commits never bump before TV2: a new instance initialised and already began transactions between polls.
  return { ...base, kind: "new-instance", fences: bumps };
}

export function foldTransactionalIds(
  previous: Record<string, TransactionalIdHistory> | undefined,
  snapshot: ClusterSnapshot,
  settings: DetectorSettings,
): Record<string, TransactionalIdHistory> {
  const t = snapshot.collectedAt;
  const tv2Cluster = snapshot.features.transactionVersion >= 2;
  const next: Record<string, TransactionalIdHistory> = {};
  for (const [id, h] of Object.entries(previous ?? {})) {
    if (h.lastSeen >= t - settings.historyRetentionMs) next[id] = h;
  }
  for (const cur of snapshot.transactions) {
    if (cur.state === "Dead") continue;
    const prev = next[cur.transactionalId];
    const commitStyle = prev ? observeCommitStyle(prev, cur) : null;
    const change = prev ? classifyChange({ ...prev, commitStyle }, cur, t, tv2Cluster) : null;
    const outputs = cur.partitions.filter((p) => !p.topic.startsWith("__")).map((p) => p.topic);
    const offsets = cur.partitions.filter((p) => p.topic === CONSUMER_OFFSETS_TOPIC).map((p) => p.partition);
    next[cur.transactionalId] = {
      firstSeen: prev?.firstSeen ?? t,
      lastSeen: t,
      producerId: cur.producerId,
      producerEpoch: cur.producerEpoch,
      state: cur.state,
      transactionStartTimeMs: cur.transactionStartTimeMs,
      transactionTimeoutMs: cur.transactionTimeoutMs,
      changes: [...(prev?.changes ?? []), ...(change ? [change] : [])]
        .filter((c) => c.t >= t - settings.fenceWindowMs)
        .slice(-MAX_CHANGES),
      commitStyle,
      outputTopics: union(prev?.outputTopics, outputs),
      offsetsPartitions: union(prev?.offsetsPartitions, offsets),
    };
  }
  const ids = Object.keys(next);
  if (ids.length <= MAX_TRACKED_IDS) return next;
  const keep = ids.sort((a, b) => next[b].lastSeen - next[a].lastSeen).slice(0, MAX_TRACKED_IDS);
  return Object.fromEntries(keep.map((id) => [id, next[id]]));
}

function union<T>(existing: T[] | undefined, added: T[]): T[] {
  return [...new Set([...(existing ?? []), ...added])].slice(-MAX_LINKS);
}
