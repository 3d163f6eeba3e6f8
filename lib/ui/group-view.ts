import type { ClusterSnapshot, ConsumerGroupState, PartitionState } from "../snapshot/types";
import type { GroupDetailDto, GroupPartitionRow, GroupRow, LagVerdict } from "./dto";
import { partitionKey } from "./topic-view";

export type GroupVerdicts = ReadonlyMap<string, LagVerdict>;

function partitionIndex(snapshot: ClusterSnapshot): Map<string, PartitionState> {
  const index = new Map<string, PartitionState>();
  for (const t of snapshot.topics) for (const p of t.partitions) index.set(partitionKey(t.name, p.partition), p);
  return index;
}

/**
 * EOS-aware lag of one partition: a read_committed consumer can only reach the LSO, so LSO − committed is what
 * it could consume now and HW − LSO is held back by open transactions (not the consumer's fault).
 */
export function groupPartitionLag(
  committed: number | null,
  lso: number | null,
  hw: number | null,
): { consumableLag: number | null; txnBlockedLag: number | null } {
  if (committed == null || lso == null || hw == null) return { consumableLag: null, txnBlockedLag: null };
  return {
    consumableLag: Math.max(0, lso - committed),
    txnBlockedLag: Math.max(0, hw - Math.max(lso, committed)),
  };
}

function partitionRows(group: ConsumerGroupState, index: Map<string, PartitionState>): GroupPartitionRow[] {
  const owner = new Map<string, string>();
  for (const m of group.members) for (const a of m.assignment) owner.set(partitionKey(a.topic, a.partition), m.clientId);
  const rows = new Map<string, GroupPartitionRow>();
  const add = (topic: string, partition: number, committed: number | null) => {
    const key = partitionKey(topic, partition);
    const p = index.get(key);
    const lso = p?.lastStableOffset ?? null;
    const hw = p?.highWatermark ?? null;
    rows.set(key, {
      topic,
      partition,
      committed,
      lastStableOffset: lso,
      highWatermark: hw,
      ...groupPartitionLag(committed, lso, hw),
      assignedTo: owner.get(key) ?? null,
    });
  };
  for (const o of group.offsets) add(o.topic, o.partition, o.offset);
  for (const m of group.members) for (const a of m.assignment) if (!rows.has(partitionKey(a.topic, a.partition))) add(a.topic, a.partition, null);
  return [...rows.values()].sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
}

function groupRow(group: ConsumerGroupState, rows: GroupPartitionRow[], verdicts: GroupVerdicts): GroupRow {
  return {
    groupId: group.groupId,
    state: group.state,
    protocolType: group.protocolType,
    memberCount: group.members.length,
    topics: [...new Set(rows.map((r) => r.topic))].sort(),
    consumableLag: rows.reduce((s, r) => s + (r.consumableLag ?? 0), 0),
    txnBlockedLag: rows.reduce((s, r) => s + (r.txnBlockedLag ?? 0), 0),
    verdict: verdicts.get(group.groupId) ?? null,
  };
}

export function groupRows(snapshot: ClusterSnapshot, verdicts: GroupVerdicts): GroupRow[] {
  const index = partitionIndex(snapshot);
  return snapshot.groups.map((g) => groupRow(g, partitionRows(g, index), verdicts));
}

export function groupDetail(snapshot: ClusterSnapshot, groupId: string, verdicts: GroupVerdicts): GroupDetailDto | null {
  const group = snapshot.groups.find((g) => g.groupId === groupId);
  if (!group) return null;
  const rows = partitionRows(group, partitionIndex(snapshot));
  return {
    cluster: snapshot.cluster,
    collectedAt: snapshot.collectedAt,
    group: groupRow(group, rows, verdicts),
    coordinatorId: group.coordinatorId,
    protocol: group.protocol,
    members: group.members.map((m) => ({
      memberId: m.memberId,
      clientId: m.clientId,
      host: m.host,
      assignment: m.assignment.map((a) => `${a.topic}-${a.partition}`),
    })),
    partitions: rows,
  };
}
