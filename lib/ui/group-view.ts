import type { GroupLag, LagVerdict } from "../analysis/detectors/eos-lag";
import type { ClusterSnapshot, ConsumerGroupState, GroupMember, GroupType, TopicPartitionRef } from "../snapshot/types";
import type { FindingDto, GroupDetailDto, GroupMemberRow, GroupPartitionRow, GroupRow, SharePartitionRow } from "./dto";
import { partitionKey } from "./topic-view";

// Lag arithmetic comes from lib/analysis (computeGroupLag); verdicts come from the eos-lag detector's open
// findings, because a verdict needs the committed-offset history only the poller keeps.

const VERDICT_RANK: Record<LagVerdict, number> = { OK: 0, EXTERNAL: 1, LAGGING: 2, TXN_BLOCKED: 3, REWIND: 4, STALLED: 5, STOPPED: 6 };

/** groupId → worst verdict among its open eos-lag findings; groups without one are OK (or EXTERNAL). */
export function verdictsFromFindings(findings: FindingDto[]): Map<string, LagVerdict> {
  const verdicts = new Map<string, LagVerdict>();
  for (const f of findings) {
    if (f.kind !== "eos-lag" || f.resolvedAt != null || f.subject.groupId == null) continue;
    const evidence = f.evidence as { verdict?: unknown } | null;
    const verdict = typeof evidence?.verdict === "string" && evidence.verdict in VERDICT_RANK ? (evidence.verdict as LagVerdict) : null;
    if (!verdict) continue;
    const prev = verdicts.get(f.subject.groupId);
    if (!prev || VERDICT_RANK[verdict] > VERDICT_RANK[prev]) verdicts.set(f.subject.groupId, verdict);
  }
  return verdicts;
}

/** Snapshots recorded before group types were collected hold classic groups only. */
function typeOf(group: ConsumerGroupState | undefined): GroupType {
  return group?.type ?? "classic";
}

function shareLag(group: ConsumerGroupState): number {
  return (group.shareOffsets ?? []).reduce((sum, o) => sum + (o.lag ?? 0), 0);
}

function groupRow(lag: GroupLag, group: ConsumerGroupState | undefined, verdicts: ReadonlyMap<string, LagVerdict>): GroupRow {
  const type = typeOf(group);
  const shareTopics = (group?.shareOffsets ?? []).map((o) => o.topic);
  return {
    groupId: lag.groupId,
    type,
    state: lag.state,
    protocolType: group?.protocolType ?? "",
    memberCount: lag.members,
    topics: [...new Set([...lag.partitions.map((p) => p.topic), ...shareTopics])].sort(),
    consumableLag: type === "share" && group ? shareLag(group) : lag.consumable,
    txnBlockedLag: lag.txnBlocked,
    // EXTERNAL (offset-only group) raises no finding: it comes from the lag itself.
    verdict: verdicts.get(lag.groupId) ?? (lag.verdict === "EXTERNAL" ? "EXTERNAL" : "OK"),
  };
}

export function groupRows(snapshot: ClusterSnapshot, lags: GroupLag[], verdicts: ReadonlyMap<string, LagVerdict>): GroupRow[] {
  const groups = new Map(snapshot.groups.map((g) => [g.groupId, g]));
  return lags.map((l) => groupRow(l, groups.get(l.groupId), verdicts));
}

/** What a transitional state means for each group type; steady states need no note. */
const STATE_NOTES: Partial<Record<GroupType, Record<string, string>>> = {
  classic: {
    PreparingRebalance: "Members are rejoining (JoinGroup): every member stops consuming until the rebalance completes.",
    CompletingRebalance: "Members have joined and wait for the leader's assignment (SyncGroup).",
  },
  consumer: {
    Assigning: "The coordinator is computing a new target assignment (assignment epoch below group epoch); members keep consuming what they own.",
    Reconciling: "Members are moving to their target assignment: partitions are revoked and handed over member by member, the rest keep consuming.",
  },
  streams: {
    NotReady: "The topology's source or internal topics are missing: no tasks are assigned until they exist.",
    Assigning: "The coordinator is computing a new task assignment (assignment epoch below group epoch); members keep processing their tasks.",
    Reconciling: "Members are moving to their target tasks: tasks are revoked and handed over member by member, the rest keep processing.",
  },
};

function partitionList(refs: TopicPartitionRef[]): string[] {
  return refs.map((a) => `${a.topic}-${a.partition}`);
}

function memberRow(type: GroupType, m: GroupMember): GroupMemberRow {
  return {
    memberId: m.memberId,
    clientId: m.clientId,
    host: m.host,
    memberEpoch: m.memberEpoch ?? null,
    assignment: partitionList(m.assignment),
    targetAssignment: type === "consumer" || type === "streams" ? partitionList(m.targetAssignment ?? []) : null,
  };
}

export function groupDetail(
  snapshot: ClusterSnapshot,
  lags: GroupLag[],
  groupId: string,
  verdicts: ReadonlyMap<string, LagVerdict>,
): GroupDetailDto | null {
  const group = snapshot.groups.find((g) => g.groupId === groupId);
  const lag = lags.find((l) => l.groupId === groupId);
  if (!group || !lag) return null;
  // Client ids owning each partition: one, except in share groups, whose consumers share partitions.
  const owners = new Map<string, Set<string>>();
  for (const m of group.members) {
    for (const a of m.assignment) {
      const key = partitionKey(a.topic, a.partition);
      owners.set(key, (owners.get(key) ?? new Set()).add(m.clientId));
    }
  }
  const ownerOf = (topic: string, partition: number) => [...(owners.get(partitionKey(topic, partition)) ?? [])].join(", ") || null;
  const rows: GroupPartitionRow[] = lag.partitions.map((p) => ({
    topic: p.topic,
    partition: p.partition,
    committed: p.committed,
    lastStableOffset: p.lastStableOffset,
    highWatermark: p.highWatermark,
    consumableLag: p.consumable,
    txnBlockedLag: p.txnBlocked,
    assignedTo: ownerOf(p.topic, p.partition),
  }));
  const committed = new Set(rows.map((r) => partitionKey(r.topic, r.partition)));
  const type = typeOf(group);
  // Share groups commit nothing: their partitions are listed with start offsets below, not here.
  for (const m of type === "share" ? [] : group.members) {
    for (const a of m.assignment) {
      if (committed.has(partitionKey(a.topic, a.partition))) continue;
      rows.push({ topic: a.topic, partition: a.partition, committed: null, lastStableOffset: null, highWatermark: null, consumableLag: null, txnBlockedLag: null, assignedTo: m.clientId });
    }
  }
  rows.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  let shareOffsets: SharePartitionRow[] | null = null;
  if (type === "share") {
    // Indexed only here: every partition of a large cluster, for the few a share group reads.
    const hwOf = new Map(snapshot.topics.flatMap((t) => t.partitions.map((p) => [partitionKey(t.name, p.partition), p.highWatermark])));
    shareOffsets = (group.shareOffsets ?? []).map((o) => ({
      topic: o.topic,
      partition: o.partition,
      startOffset: o.startOffset,
      lag: o.lag,
      highWatermark: hwOf.get(partitionKey(o.topic, o.partition)) ?? null,
      assignedTo: ownerOf(o.topic, o.partition),
    }));
  }
  return {
    cluster: snapshot.cluster,
    collectedAt: snapshot.collectedAt,
    group: groupRow(lag, group, verdicts),
    coordinatorId: group.coordinatorId,
    protocol: group.protocol,
    groupEpoch: group.groupEpoch ?? null,
    assignmentEpoch: group.assignmentEpoch ?? null,
    stateNote: STATE_NOTES[type]?.[group.state] ?? null,
    members: group.members.map((m) => memberRow(type, m)),
    partitions: rows,
    shareOffsets,
  };
}
