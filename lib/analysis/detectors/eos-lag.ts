// Lag the way a read_committed consumer experiences it: consumable = LSO − committed (what it could read
// now), txnBlocked = HW − LSO (held back by open transactions, the producer's fault). Verdicts judge the
// committed offset's movement over a window, so an idle consumer one marker behind is OK and a consumer
// waiting at the LSO behind an open transaction is TXN_BLOCKED, not STALLED (the mistakes Burrow makes).
import type { ClusterSnapshot, ConsumerGroupState, PhaseName } from "../../snapshot/types";
import { kafkaCommands } from "../commands";
import { phasesClean } from "../finding-phases";
import { makeFinding, type Finding, type Severity } from "../findings";
import { pinStart, type PartitionHistory } from "../partition-history";
import type { DetectorSettings } from "../settings";
import { buildIndex, formatDuration, type SnapshotIndex } from "../snapshot-index";

/**
 * EXTERNAL: an offset-only group (commits without ever joining, e.g. Flink or Spark checkpoints): it has no
 * members to judge, so its lag is shown but raises nothing.
 */
export type LagVerdict = "OK" | "EXTERNAL" | "LAGGING" | "STALLED" | "STOPPED" | "REWIND" | "TXN_BLOCKED";

/** Verdicts that are findings. */
type AlarmVerdict = Exclude<LagVerdict, "OK" | "EXTERNAL">;

const VERDICT_RANK: Record<LagVerdict, number> = {
  OK: 0,
  EXTERNAL: 1,
  LAGGING: 2,
  TXN_BLOCKED: 3,
  REWIND: 4,
  STALLED: 5,
  STOPPED: 6,
};

/** [collectedAt, committed, lso]. */
export type LagSample = [t: number, committed: number, lso: number | null];

/** groupId → "topic:partition" → recent samples, oldest first. */
export type GroupHistory = Record<string, Record<string, LagSample[]>>;

export interface PartitionLag {
  topic: string;
  partition: number;
  committed: number;
  highWatermark: number | null;
  lastStableOffset: number | null;
  /** LSO − committed, 0 when the gap is known to hold only markers; null when the LSO is unknown. */
  consumable: number | null;
  /** HW − LSO: records held back by open transactions. */
  txnBlocked: number | null;
  /** true/false from the collector's batch-header check, null when it was not checked. */
  gapIsControlOnly: boolean | null;
  /** The committed offset has not changed since this poll time. */
  committedSince: number;
  verdict: LagVerdict;
}

export interface GroupLag {
  groupId: string;
  state: string;
  members: number;
  verdict: LagVerdict;
  consumable: number;
  txnBlocked: number;
  partitions: PartitionLag[];
}

export function foldGroupOffsets(
  previous: GroupHistory | undefined,
  snapshot: ClusterSnapshot,
  settings: DetectorSettings,
  index: SnapshotIndex = buildIndex(snapshot, snapshot.collectedAt, settings),
): GroupHistory {
  const t = snapshot.collectedAt;
  const next: GroupHistory = {};
  index.snapshot.groups.forEach((group, g) => {
    const before = previous?.[group.groupId];
    const perPartition: Record<string, LagSample[]> = {};
    for (const { offset: o, key, ref } of index.groupOffsets[g]) {
      if (o.offset < 0) continue;
      perPartition[key] = appendLagSample(before?.[key], [t, o.offset, ref?.partition.lastStableOffset ?? null], settings);
    }
    next[group.groupId] = perPartition;
  });
  if (phasesClean(snapshot, GROUP_PHASES)) return next;
  // A group or partition a partial poll did not show is unknown, not gone: keep its samples as they were, or
  // a STALLED group's clock would restart and the finding resolve and re-open under a new id.
  const carried: GroupHistory = {};
  for (const [groupId, partitions] of Object.entries(previous ?? {})) carried[groupId] = { ...partitions, ...next[groupId] };
  return { ...next, ...carried };
}

/**
 * The samples within the lag window before `sample`, then `sample`, at most lagSamples of them. Samples are in
 * time order (each poll appends after dropping any at or past its own time), so the window is one slice: 25,000
 * committed offsets a poll make filter-and-spread copies the detectors' largest cost.
 */
function appendLagSample(samples: LagSample[] | undefined, sample: LagSample, settings: DetectorSettings): LagSample[] {
  const t = sample[0];
  if (!samples) return [sample];
  let end = samples.length;
  while (end > 0 && samples[end - 1][0] >= t) end--;
  let start = Math.max(0, end - (settings.lagSamples - 1));
  while (start < end && samples[start][0] <= t - settings.lagWindowMs) start++;
  const next = samples.slice(start, end);
  next.push(sample);
  return next;
}

/** The phases that list groups and read their committed offsets. */
const GROUP_PHASES: PhaseName[] = ["metadata", "groups", "groupOffsets"];

function hasActiveMembers(group: ConsumerGroupState): boolean {
  return group.members.length > 0 && group.state !== "Empty" && group.state !== "Dead";
}

/**
 * A classic group that only ever received offset commits (no JoinGroup): the coordinator keeps no protocol
 * type for it. KIP-848 groups seen through the classic describe look alike (Dead, no protocol) but are not.
 */
export function isOffsetOnlyGroup(group: ConsumerGroupState): boolean {
  return (group.type ?? "classic") === "classic" && group.protocolType === "" && group.members.length === 0;
}

export function computeGroupLag(
  index: SnapshotIndex,
  groups: GroupHistory,
  partitions: Record<string, PartitionHistory>,
): GroupLag[] {
  const { settings, now } = index;
  return index.snapshot.groups.map((group, g) => {
    const history = groups[group.groupId];
    const lags: PartitionLag[] = [];
    for (const { offset: o, key, ref } of index.groupOffsets[g]) {
      if (o.offset < 0) continue;
      const hw = ref?.partition.highWatermark ?? null;
      const lso = ref?.partition.lastStableOffset ?? null;
      const samples = history?.[key] ?? [];
      const consumable = lso === null ? null : o.gapIsControlOnly ? 0 : Math.max(0, lso - o.offset);
      const txnBlocked = hw !== null && lso !== null ? hw - lso : null;
      const committedSince = unchangedSince(samples, o.offset, index.snapshot.collectedAt);
      const aheadOfLso = lso !== null && o.offset > lso;
      lags.push({
        topic: o.topic,
        partition: o.partition,
        committed: o.offset,
        highWatermark: hw,
        lastStableOffset: lso,
        consumable,
        txnBlocked,
        gapIsControlOnly: o.gapIsControlOnly ?? null,
        committedSince,
        verdict: partitionVerdict({
          group,
          committed: o.offset,
          consumable,
          txnBlocked,
          aheadOfLso,
          controlOnly: o.gapIsControlOnly,
          samples,
          committedSince,
          // Only an LSO below the HW can be pinned: most offsets skip the history lookup.
          lsoPinnedSince: txnBlocked !== null && txnBlocked > 0 ? pinStart(index, ref, partitions[key]) : null,
          now,
          settings,
        }),
      });
    }
    return {
      groupId: group.groupId,
      state: group.state,
      members: group.members.length,
      verdict: lags.reduce<LagVerdict>((v, l) => (VERDICT_RANK[l.verdict] > VERDICT_RANK[v] ? l.verdict : v), "OK"),
      consumable: lags.reduce((sum, l) => sum + (l.consumable ?? 0), 0),
      txnBlocked: lags.reduce((sum, l) => sum + (l.txnBlocked ?? 0), 0),
      partitions: lags,
    };
  });
}

function unchangedSince(samples: LagSample[], committed: number, fallback: number): number {
  let since = fallback;
  for (let i = samples.length - 1; i >= 0 && samples[i][1] === committed; i--) since = samples[i][0];
  return since;
}

interface VerdictInput {
  group: ConsumerGroupState;
  committed: number;
  consumable: number | null;
  txnBlocked: number | null;
  /** Committed past the LSO: the group reads uncommitted records (read-uncommitted reports it), it waits on nothing. */
  aheadOfLso: boolean;
  controlOnly: boolean | undefined;
  samples: LagSample[];
  committedSince: number;
  /** Start of the open transaction pinning the LSO (see pinStart), null when none is open. */
  lsoPinnedSince: number | null;
  now: number;
  settings: DetectorSettings;
}

function partitionVerdict(v: VerdictInput): LagVerdict {
  const previous = v.samples.length >= 2 ? v.samples[v.samples.length - 2] : undefined;
  if (previous && previous[1] > v.committed) return "REWIND";
  if (v.consumable === null) return "OK";
  // Unchecked gaps up to the tolerance are the marker after the last data record, not lag.
  const caughtUp = v.consumable === 0 || (v.controlOnly === undefined && v.consumable <= v.settings.markerLagTolerance);
  if (caughtUp) {
    const heldByOpenTxn =
      !v.aheadOfLso && (v.txnBlocked ?? 0) > 0 && v.lsoPinnedSince !== null && v.now - v.lsoPinnedSince >= v.settings.txnBlockedMs;
    return heldByOpenTxn ? "TXN_BLOCKED" : "OK";
  }
  if (isOffsetOnlyGroup(v.group)) return "EXTERNAL";
  // Without members for a while: a restart, a rebalance, or a membership the classic describe cannot see
  // (KIP-848 groups read as Dead) is not a stopped application.
  if (!hasActiveMembers(v.group)) return v.now - v.committedSince >= v.settings.stoppedMs ? "STOPPED" : "OK";
  if (v.now - v.committedSince >= v.settings.stallMs) return "STALLED";
  const oldest = v.samples[0];
  const oldestLag = oldest && oldest[2] !== null ? oldest[2] - oldest[1] : null;
  if (v.consumable >= v.settings.laggingMinLag && oldestLag !== null && v.consumable > oldestLag) return "LAGGING";
  return "OK";
}

const VERDICT_SEVERITY: Record<AlarmVerdict, Severity> = {
  LAGGING: "info",
  TXN_BLOCKED: "warning",
  REWIND: "warning",
  STALLED: "warning",
  STOPPED: "warning",
};

const VERDICT_TEXT: Record<AlarmVerdict, { explanation: string; remediation: string }> = {
  LAGGING: {
    explanation: "The group commits progress but consumable lag (LSO − committed) keeps growing: it consumes slower than committed data arrives.",
    remediation: "Add consumers (up to the partition count), speed up processing, or look for hot partitions concentrating the lag.",
  },
  TXN_BLOCKED: {
    explanation:
      "The group has consumed everything up to the last stable offset; what looks like lag is held back by an open transaction on the producer side (HW − LSO). read_committed consumers cannot read past it. Classic lag tools report this as a stalled consumer.",
    remediation: "Fix the producer: see the stuck-LSO / hanging-transaction finding for the partition(s) listed, which names the transaction and the abort command.",
  },
  REWIND: {
    explanation:
      "The committed offset moved backwards: the group will reprocess records. With exactly-once output that is safe only if the reprocessing happens inside transactions with the same transactional.id; otherwise downstream sees duplicates.",
    remediation: "Check for a manual offset reset (--reset-offsets), auto.offset.reset after retention removed the committed offset, or an application seeking back.",
  },
  STALLED: {
    explanation: "The group has active members but its committed offset has not moved while committed records wait to be consumed (LSO − committed > 0): processing is stuck or failing and retrying.",
    remediation: "Inspect the consumer instances for errors, a poison record at the committed offset, or a blocked downstream call; look for long max.poll.interval.ms rebalances.",
  },
  STOPPED: {
    explanation: "The group has had no active members, and its committed offset has not moved, for a while (stoppedMs) while committed records wait to be consumed.",
    remediation: "Start the consumer application, or delete the group if it is retired (second command below).",
  },
};

export function detectEosLag(index: SnapshotIndex, lag: GroupLag[]): Finding[] {
  return lag
    .filter((g): g is GroupLag & { verdict: AlarmVerdict } => g.verdict !== "OK" && g.verdict !== "EXTERNAL")
    .map((g) => {
      const verdict = g.verdict;
      const affected = g.partitions.filter((p) => p.verdict === verdict);
      const oldestSince = Math.min(...affected.map((p) => p.committedSince));
      return makeFinding({
        kind: "eos-lag",
        severity: VERDICT_SEVERITY[verdict],
        cluster: index.snapshot.cluster,
        subject: { groupId: g.groupId, detail: verdict },
        title: `Consumer group ${g.groupId} is ${verdict} on ${affected.length} partition(s) (consumable lag ${g.consumable}, held back by transactions ${g.txnBlocked})`,
        evidence: {
          verdict,
          groupState: g.state,
          members: g.members,
          consumable: g.consumable,
          txnBlocked: g.txnBlocked,
          partitions: affected.map((p) => `${p.topic}-${p.partition}`),
          committedUnchangedForMs: index.now - oldestSince,
        },
        explanation: `${VERDICT_TEXT[verdict].explanation} Committed offset unchanged for up to ${formatDuration(index.now - oldestSince)}.`,
        remediation: VERDICT_TEXT[verdict].remediation,
        commands: [
          kafkaCommands.describeGroup(g.groupId, "Offsets, members and lag as the broker reports them (its LAG counts to the high watermark, not the LSO)."),
          ...(verdict === "STOPPED" ? [kafkaCommands.deleteGroup(g.groupId, "Only if the group is retired: delete it with its committed offsets.")] : []),
        ],
      });
    });
}
