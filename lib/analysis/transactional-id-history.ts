// Per transactional id memory across polls: first/last seen (for lost-fencing families), the last
// (producer id, epoch, state) and a classified timeline of its changes (for fencing), the partitions
// its transactions touched and the groups whose offsets move with its commits (for pipelines), and how
// often it transacts (for "inactive"). No admin API reports fencing: diffing polls is the only way.
import type { ClusterSnapshot, PartitionState, TopicPartitionRef, TransactionState } from "../snapshot/types";
import type { GroupHistory } from "./detectors/eos-lag";
import { groupsByOffsetsPartition } from "./links";
import type { PartitionHistory } from "./partition-history";
import type { DetectorSettings } from "./settings";
import { OPEN_TRANSACTION_STATES } from "../snapshot/transaction-states";
import { CONSUMER_OFFSETS_TOPIC, partitionsByProducerId, phaseFailed, tpKey } from "./snapshot-index";

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
   * The epoch moved on a (possibly) TV2 cluster before this id's commit style was known: commits of a TV2
   * client, or new instances of a pre-TV2 one (kafkajs). Counted as fences once the id proves to commit
   * without bumps.
   */
  | "ambiguous-bump";

/**
 * Fences a change stands for, given what is known about the id now: once an id proves it commits without
 * bumps (pre-TV2 client), every bump it made while its style was unknown was an InitProducerId.
 */
export function fencesOf(change: EpochChange, history: Pick<TransactionalIdHistory, "commitStyle">): number {
  const instanceChange = change.kind === "ambiguous-bump" || change.kind === "new-instance" || change.kind === "fenced-open-transaction";
  if (!change.styleUnknown || !instanceChange || history.commitStyle !== "steady") return change.fences;
  // An InitProducerId during a transaction bumps twice (fence, then the client's retry) for one fence.
  return Math.max(change.fences, change.kind === "fenced-open-transaction" ? change.bumps - 1 : change.bumps);
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
  /**
   * Most transactions the id can have ended in the gap, from the growth of the `__consumer_offsets`
   * partition it commits to (each transaction adds an offset record and a marker there); absent when unknown.
   */
  maxTransactions?: number;
  /** Classified before the id's commit style was known (see fencesOf). */
  styleUnknown?: true;
  /** Time since the id's previous observation: its fences happened somewhere in it. Absent in older state. */
  gapMs?: number;
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
  /** Latest evidence of a transaction of this id: a transaction start, or an epoch/state change seen. */
  lastActivity: number;
  /** Usual time between two of its transactions (a running estimate), null until two were seen. */
  commitIntervalMs: number | null;
  /**
   * Groups hashed to its `__consumer_offsets` partitions, with the poll gaps in which this id committed and
   * the group's committed offsets moved too, or stayed put: groupId → [moved, still].
   */
  groupEvidence: Record<string, [moved: number, still: number]>;
  /**
   * Its growth anchors (tp keys) as read right before the last poll's coordinator read (transactionBracket): the
   * HW, and whether its transaction, Ongoing at that read, may already have had records there (LSO < HW): those
   * records fall into the gap before and its bump into the next. Absent when that poll bracketed not every anchor.
   */
  bracket?: Record<string, [hw: number, open: boolean]>;
}

const MAX_EPOCH = 32767;
const EPOCH_EXHAUSTION_MARGIN = 10;
const MIN_BUMPS_PROVING_STYLE = 10;
const MAX_CHANGES = 50;
const MAX_LINKS = 50;
const MAX_TRACKED_IDS = 5000;

const isAbortState = (s: string) => s === "PrepareAbort" || s === "CompleteAbort";

const isCompleting = (s: string) => s === "PrepareCommit" || s === "PrepareAbort";

const isCommitState = (s: string) => s === "PrepareCommit" || s === "CompleteCommit";

/**
 * Can commits bump the epoch on this cluster? Yes on TV2 clusters, and also when `transaction.version` could
 * not be read (the features request failed): then per-commit bumps must not be taken for fences.
 */
export function transactionVersion2Possible(snapshot: ClusterSnapshot): boolean {
  const { transactionVersion, metadataVersion } = snapshot.features;
  if (transactionVersion >= 2) return true;
  return transactionVersion === 0 && metadataVersion === null && phaseFailed(snapshot, "metadata");
}

/** Does this id's epoch move per transaction? Its own history decides; null = not known yet. */
function bumpsPerTransaction(h: TransactionalIdHistory, tv2Possible: boolean): boolean | null {
  if (!tv2Possible || h.commitStyle === "steady") return false;
  return h.commitStyle === "bumps" ? true : null;
}

/** Facts about the poll gap that the coordinator's record alone does not give. */
export interface GapEvidence {
  /** Most transactions the id can have ended since the previous poll; null when not measurable. */
  maxTransactions: number | null;
  /**
   * The bound came from HW reads bracketing both coordinator reads: every bump beyond it is an InitProducerId
   * (one per fence under TV2), not a transaction that straddled unaligned reads.
   */
  bracketed?: true;
}

/**
 * A transaction that ended between two polls proves the style: no epoch move = "steady", one move into a
 * commit = "bumps" (fences and timeouts end in aborts, never in commits), as does an epoch that moved exactly
 * as often as transactions ended. The coordinator keeps transactionStartTimeMs after a transaction completes,
 * so a changed start time reveals a new transaction.
 */
function observeCommitStyle(
  prev: TransactionalIdHistory,
  cur: TransactionState,
  gap: GapEvidence,
): TransactionalIdHistory["commitStyle"] {
  if (cur.producerId !== prev.producerId) return prev.commitStyle;
  const bumps = cur.producerEpoch - prev.producerEpoch;
  const newTransaction = cur.transactionStartTimeMs >= 0 && cur.transactionStartTimeMs !== prev.transactionStartTimeMs;
  const ended = cur.state !== "Ongoing" && cur.state !== "Empty";
  const aTransactionEnded = (prev.state === "Ongoing" && (newTransaction || ended)) || (newTransaction && ended);
  if (bumps === 0 && aTransactionEnded) return "steady";
  if (bumps === 1 && prev.state === "Ongoing" && !newTransaction && isCommitState(cur.state)) return "bumps";
  // Enough bumps that matching the transaction count is no coincidence (a pre-TV2 fence of an open
  // transaction bumps twice, and two commits beside it would match).
  const provenByCount = bumps >= MIN_BUMPS_PROVING_STYLE && gap.maxTransactions === bumps;
  if (provenByCount && newTransaction && cur.state !== "Empty" && !isAbortState(cur.state)) {
    return "bumps";
  }
  return prev.commitStyle;
}

/**
 * A producer id change is the coordinator's rotation when the old chain could have reached the epoch limit
 * in the gap: within a few bumps of it, or, for an id that bumps per transaction, within the transactions
 * it made (the new producer id starts again from 0).
 */
function isRotation(prev: TransactionalIdHistory, cur: TransactionState, perTransaction: boolean | null, gap: GapEvidence): boolean {
  const bumpsToLimit = MAX_EPOCH - 1 - prev.producerEpoch;
  if (bumpsToLimit <= EPOCH_EXHAUSTION_MARGIN) return true;
  if (perTransaction === false) return false;
  // Without a count of its transactions, trust the id's usual pace (one bump per transaction).
  const possible =
    gap.maxTransactions ??
    (prev.commitIntervalMs ? Math.ceil((cur.transactionStartTimeMs - prev.lastActivity) / prev.commitIntervalMs) * 2 : 0);
  return bumpsToLimit + cur.producerEpoch <= possible + EPOCH_EXHAUSTION_MARGIN;
}

/**
 * Only the coordinator's own record proves a timeout, never the poll gap: the transaction ended somewhere in
 * the gap, maybe well before its deadline (a client abort after a restart, a Streams task aborted by a
 * rebalance). Proof is the coordinator showing this transaction still open past its deadline, or, for a
 * client whose aborts never bump the epoch (pre-TV2), the coordinator's own one-bump abort of it.
 */
function timedOut(prev: TransactionalIdHistory, cur: TransactionState, t: number, coordinatorBump: boolean): boolean {
  const start = cur.transactionStartTimeMs;
  if (start < 0 || start + cur.transactionTimeoutMs >= t) return false;
  const seenOpenPastDeadline =
    start === prev.transactionStartTimeMs && OPEN_TRANSACTION_STATES.has(prev.state) && prev.lastSeen > start + cur.transactionTimeoutMs;
  return seenOpenPastDeadline || coordinatorBump;
}

/**
 * Instances that k unexplained bumps stand for. With a bracketed bound each fence leaves one: an InitProducerId
 * fencing an open transaction bumps twice, but that transaction's abort writes its marker, so it counts among the
 * transactions ended. Otherwise the bound may have missed that transaction (pre-TV2 clients add a partition before
 * writing to it), and an excess of two may be a single fence.
 */
const fencesForExcess = (excess: number, gap: GapEvidence) => (gap.bracketed ? excess : Math.ceil(excess / 2));

export function classifyChange(
  prev: TransactionalIdHistory,
  cur: TransactionState,
  t: number,
  tv2Possible: boolean,
  gap: GapEvidence = { maxTransactions: null },
): EpochChange | null {
  const from: EpochChange["from"] = [prev.producerId, prev.producerEpoch, prev.state];
  const to: EpochChange["to"] = [cur.producerId, cur.producerEpoch, cur.state];
  const perTransaction = bumpsPerTransaction(prev, tv2Possible);
  const measured = {
    ...(gap.maxTransactions === null ? {} : { maxTransactions: gap.maxTransactions }),
    ...(perTransaction === null ? { styleUnknown: true as const } : {}),
  };
  if (cur.producerId !== prev.producerId) {
    const kind = isRotation(prev, cur, perTransaction, gap) ? "epoch-exhausted" : "producer-id-changed";
    return { t, kind, from, to, bumps: 0, fences: kind === "producer-id-changed" ? 1 : 0, ...measured };
  }
  const bumps = cur.producerEpoch - prev.producerEpoch;
  if (bumps <= 0) return null;
  const base = { t, from, to, bumps, ...measured, gapMs: t - prev.lastSeen };
  if (isAbortState(cur.state) && timedOut(prev, cur, t, perTransaction === false && bumps === 1)) {
    return { ...base, kind: "timeout-abort", fences: 0 };
  }
  const wasOngoing = prev.state === "Ongoing";
  const lastChange = prev.changes[prev.changes.length - 1];
  // Bumps that no ended transaction explains are InitProducerIds (or aborts of fenced transactions).
  const excess = gap.maxTransactions === null ? null : Math.max(0, bumps - gap.maxTransactions);
  if (cur.state === "Empty") {
    // The client's retry after a fence seen half-way (CompleteAbort, one bump) is the same fence.
    const finishesFence = isAbortState(prev.state) && lastChange?.kind === "fenced-open-transaction" && lastChange.bumps === 1;
    if (perTransaction !== false) {
      const fences = excess === null ? (finishesFence ? 0 : 1) : Math.max(finishesFence ? 0 : 1, fencesForExcess(excess, gap));
      return { ...base, kind: wasOngoing || finishesFence ? "fenced-open-transaction" : "new-instance", fences };
    }
    if (wasOngoing) return { ...base, kind: "fenced-open-transaction", fences: 1 + Math.max(0, bumps - 2) };
    return { ...base, kind: finishesFence ? "fenced-open-transaction" : "new-instance", fences: finishesFence ? bumps - 1 : bumps };
  }
  if (perTransaction !== false) {
    // A transaction that is still the same one (same start) cannot have committed: its epoch moved by a fence.
    const sameTransaction =
      wasOngoing && cur.state === "Ongoing" && cur.transactionStartTimeMs >= 0 && cur.transactionStartTimeMs === prev.transactionStartTimeMs;
    if (sameTransaction) return { ...base, kind: "fenced-open-transaction", fences: Math.max(1, fencesForExcess(excess ?? 0, gap)) };
    if (excess) return { ...base, kind: "new-instance", fences: fencesForExcess(excess, gap) };
    return { ...base, kind: perTransaction ? "per-transaction-bump" : "ambiguous-bump", fences: 0 };
  }
  if (wasOngoing && isAbortState(cur.state)) return { ...base, kind: "fenced-open-transaction", fences: 1 };
  // Commits never bump before TV2: a new instance initialised and already began transactions between polls.
  return { ...base, kind: "new-instance", fences: bumps };
}

/** Previous folds the id history reads from: where the partitions and groups were at the previous poll. */
export interface FoldContext {
  partitions?: Record<string, PartitionHistory>;
  groups?: GroupHistory;
}

type PartitionOffsets = Map<string, { hw: number | null; lso: number | null; bracket?: PartitionState["transactionBracket"] }>;

function partitionOffsets(snapshot: ClusterSnapshot): PartitionOffsets {
  const offsets: PartitionOffsets = new Map();
  for (const topic of snapshot.topics) {
    for (const p of topic.partitions) {
      offsets.set(tpKey(topic.name, p.partition), { hw: p.highWatermark, lso: p.lastStableOffset, bracket: p.transactionBracket });
    }
  }
  return offsets;
}

/**
 * The partitions whose growth bounds the transactions an id can have ended: each transaction writes at least
 * one record and a marker to every partition it touches. A consume-transform-produce commits its offsets
 * to its group's `__consumer_offsets` partition in every transaction, so that partition alone bounds them
 * (two offsets per transaction); a producer that commits no offsets is bounded by the sum over the
 * partitions it writes (tight when each transaction writes one partition, loose otherwise, never wrong).
 */
function growthAnchors(offsetsPartitions: number[], cur: TransactionState, written: TopicPartitionRef[]): string[] {
  if (offsetsPartitions.length) return offsetsPartitions.map((p) => tpKey(CONSUMER_OFFSETS_TOPIC, p));
  return [...new Set([...cur.partitions, ...written].filter((tp) => !tp.topic.startsWith("__")).map((tp) => tpKey(tp.topic, tp.partition)))];
}

/** The anchors as read before this poll's coordinator read, for the next gap; undefined unless all were. */
function bracketOf(anchors: string[], cur: TransactionState, offsets: PartitionOffsets): TransactionalIdHistory["bracket"] {
  const read = anchors.map((key) => [key, offsets.get(key)?.bracket] as const);
  if (!read.length || read.some(([, b]) => b === undefined)) return undefined;
  return Object.fromEntries(read.map(([key, b]) => [key, [b!.highWatermark, cur.state === "Ongoing" && b!.lastStableOffset < b!.highWatermark]]));
}

/**
 * At most half the growth of each anchor partition in transactions (other writers only loosen the bound).
 * Bracketed (both polls read the anchors right before and after their coordinator read): the growth from the
 * previous poll's first read to this poll's last holds every transaction ended between the two coordinator reads,
 * but for one half-written at the previous read (only its marker counts here) and one in Prepare* now (maybe
 * only its records): each adds a half. Otherwise the reads are not aligned: where a read caught a transaction
 * half-written (LSO < HW, or the id in Prepare*), that transaction's bump and its records may fall into different
 * gaps, so each such read allows one more. null when the growth over this exact gap is unknown.
 */
function gapEvidence(
  anchors: string[],
  prev: TransactionalIdHistory,
  cur: TransactionState,
  offsets: PartitionOffsets,
  partitions: Record<string, PartitionHistory> | undefined,
): GapEvidence {
  const unknown: GapEvidence = { maxTransactions: null };
  if (!anchors.length) return unknown;
  const before = prev.bracket;
  if (before && anchors.every((key) => before[key] && offsets.get(key)?.bracket)) {
    let total = 0;
    for (const key of anchors) {
      const [hw, open] = before[key];
      const growth = offsets.get(key)!.bracket!.highWatermarkAfter - hw;
      if (growth < 0) return unknown;
      total += Math.floor((growth + (open ? 1 : 0) + (isCompleting(cur.state) ? 1 : 0)) / 2);
    }
    return { maxTransactions: total, bracketed: true };
  }
  if (!partitions) return unknown;
  let total = 0;
  for (const key of anchors) {
    const history = partitions[key];
    const last = history?.samples.at(-1);
    const now = offsets.get(key);
    if (!history || !last || last[0] !== prev.lastSeen || last[1] === null || !now || now.hw === null || now.hw < last[1]) return unknown;
    const straddledBefore = isCompleting(prev.state) || (history.lso !== null && history.lso < last[1]) ? 1 : 0;
    const straddledNow = isCompleting(cur.state) || (now.lso !== null && now.lso < now.hw) ? 1 : 0;
    total += Math.floor((now.hw - last[1]) / 2) + straddledBefore + straddledNow;
  }
  return { maxTransactions: total };
}

/** Did the group's committed offsets change between its previous sample (at the previous poll) and now? */
function groupMoved(groups: GroupHistory | undefined, snapshot: ClusterSnapshot, groupId: string, prevSeen: number): boolean | null {
  const previous = groups?.[groupId];
  const group = snapshot.groups.find((g) => g.groupId === groupId);
  if (!previous || !group) return null;
  let compared = false;
  for (const o of group.offsets) {
    const last = previous[tpKey(o.topic, o.partition)]?.at(-1);
    if (!last || last[0] !== prevSeen) continue;
    compared = true;
    if (last[1] !== o.offset) return true;
  }
  return compared ? false : null;
}

/** The next estimate of the time between transactions, from one poll gap. */
function nextCommitInterval(prev: TransactionalIdHistory, cur: TransactionState, transactions: number): number | null {
  if (transactions <= 0 || cur.transactionStartTimeMs <= prev.transactionStartTimeMs || prev.transactionStartTimeMs < 0) {
    return prev.commitIntervalMs;
  }
  const estimate = (cur.transactionStartTimeMs - prev.transactionStartTimeMs) / transactions;
  return prev.commitIntervalMs === null ? estimate : (prev.commitIntervalMs * 3 + estimate) / 4;
}

export function foldTransactionalIds(
  previous: Record<string, TransactionalIdHistory> | undefined,
  snapshot: ClusterSnapshot,
  settings: DetectorSettings,
  context: FoldContext = {},
): Record<string, TransactionalIdHistory> {
  const t = snapshot.collectedAt;
  const tv2Possible = transactionVersion2Possible(snapshot);
  const offsets = partitionOffsets(snapshot);
  const writtenBy = partitionsByProducerId(snapshot);
  const groupsByPartition = groupsByOffsetsPartition(snapshot);
  const next: Record<string, TransactionalIdHistory> = {};
  for (const [id, h] of Object.entries(previous ?? {})) {
    if (h.lastSeen >= t - settings.historyRetentionMs) next[id] = h;
  }
  for (const cur of snapshot.transactions) {
    if (cur.state === "Dead") continue;
    const prev = next[cur.transactionalId];
    const written = writtenBy.get(cur.producerId) ?? [];
    // Its producer state on a partition is proof of a transactional write there, whether or not DescribeTransactions
    // ever catches a transaction open on it (a TV2 client between frequent commits rarely is).
    const outputs = [...cur.partitions, ...written].filter((p) => !p.topic.startsWith("__")).map((p) => p.topic);
    const offsetsPartitions = union(
      prev?.offsetsPartitions,
      [...cur.partitions, ...written].filter((p) => p.topic === CONSUMER_OFFSETS_TOPIC).map((p) => p.partition),
    );
    const anchors = growthAnchors(offsetsPartitions, cur, written);
    const gap: GapEvidence = prev ? gapEvidence(anchors, prev, cur, offsets, context.partitions) : { maxTransactions: null };
    const bracket = bracketOf(anchors, cur, offsets);
    const commitStyle = prev ? observeCommitStyle(prev, cur, gap) : null;
    const change = prev ? classifyChange({ ...prev, commitStyle }, cur, t, tv2Possible, gap) : null;
    const newTransaction = prev !== undefined && cur.transactionStartTimeMs !== prev.transactionStartTimeMs;
    const committed = prev !== undefined && (newTransaction || (change !== null && change.fences === 0 && change.kind !== "timeout-abort"));
    const transactions = !prev ? 0 : commitStyle === "bumps" && cur.producerId === prev.producerId ? cur.producerEpoch - prev.producerEpoch : newTransaction ? 1 : 0;
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
      offsetsPartitions,
      lastActivity: Math.max(prev?.lastActivity ?? -1, cur.transactionStartTimeMs, change ? t : -1),
      commitIntervalMs: prev ? nextCommitInterval(prev, cur, transactions) : null,
      groupEvidence: prev
        ? foldGroupEvidence(prev, offsetsPartitions.flatMap((p) => groupsByPartition.get(p) ?? []), committed, (groupId) =>
            groupMoved(context.groups, snapshot, groupId, prev.lastSeen),
          )
        : {},
      ...(bracket === undefined ? {} : { bracket }),
    };
  }
  const ids = Object.keys(next);
  if (ids.length <= MAX_TRACKED_IDS) return next;
  const keep = ids.sort((a, b) => next[b].lastSeen - next[a].lastSeen).slice(0, MAX_TRACKED_IDS);
  return Object.fromEntries(keep.map((id) => [id, next[id]]));
}

/** Counts, per candidate group, the gaps in which this id committed and the group's offsets moved or not. */
function foldGroupEvidence(
  prev: TransactionalIdHistory,
  candidates: string[],
  committed: boolean,
  moved: (groupId: string) => boolean | null,
): TransactionalIdHistory["groupEvidence"] {
  const evidence: TransactionalIdHistory["groupEvidence"] = {};
  for (const groupId of new Set(candidates)) {
    const [m, s] = prev.groupEvidence?.[groupId] ?? [0, 0];
    const didMove = committed ? moved(groupId) : null;
    evidence[groupId] = didMove === null ? [m, s] : didMove ? [m + 1, s] : [m, s + 1];
  }
  return evidence;
}

/**
 * The id's instance is gone: no transaction open and none started for inactiveIntervals times its usual
 * interval between transactions (at least inactiveMinMs), instead of looking live until
 * transactional.id.expiration.ms removes it.
 */
export function isInactive(
  h: Pick<TransactionalIdHistory, "lastActivity" | "commitIntervalMs">,
  current: Pick<TransactionState, "state">,
  now: number,
  settings: Pick<DetectorSettings, "inactiveIntervals" | "inactiveMinMs">,
): boolean {
  if (OPEN_TRANSACTION_STATES.has(current.state)) return false;
  const quietFor = Math.max(settings.inactiveMinMs, settings.inactiveIntervals * (h.commitIntervalMs ?? 0));
  return now - h.lastActivity > quietFor;
}

function union<T>(existing: T[] | undefined, added: T[]): T[] {
  return [...new Set([...(existing ?? []), ...added])].slice(-MAX_LINKS);
}
