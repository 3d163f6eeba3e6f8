import type { GroupLag, LagVerdict } from "../analysis/detectors/eos-lag";
import type { ClusterSnapshot } from "../snapshot/types";
import type { FindingDto, GroupDetailDto, GroupPartitionRow, GroupRow } from "./dto";
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

function groupRow(lag: GroupLag, protocolType: string, verdicts: ReadonlyMap<string, LagVerdict>): GroupRow {
  return {
    groupId: lag.groupId,
    state: lag.state,
    protocolType,
    memberCount: lag.members,
    topics: [...new Set(lag.partitions.map((p) => p.topic))].sort(),
    consumableLag: lag.consumable,
    txnBlockedLag: lag.txnBlocked,
    // EXTERNAL (offset-only group) raises no finding: it comes from the lag itself.
    verdict: verdicts.get(lag.groupId) ?? (lag.verdict === "EXTERNAL" ? "EXTERNAL" : "OK"),
  };
}

export function groupRows(snapshot: ClusterSnapshot, lags: GroupLag[], verdicts: ReadonlyMap<string, LagVerdict>): GroupRow[] {
  const protocolType = new Map(snapshot.groups.map((g) => [g.groupId, g.protocolType]));
  return lags.map((l) => groupRow(l, protocolType.get(l.groupId) ?? "", verdicts));
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
  const owner = new Map<string, string>();
  for (const m of group.members) for (const a of m.assignment) owner.set(partitionKey(a.topic, a.partition), m.clientId);
  const rows: GroupPartitionRow[] = lag.partitions.map((p) => ({
    topic: p.topic,
    partition: p.partition,
    committed: p.committed,
    lastStableOffset: p.lastStableOffset,
    highWatermark: p.highWatermark,
    consumableLag: p.consumable,
    txnBlockedLag: p.txnBlocked,
    assignedTo: owner.get(partitionKey(p.topic, p.partition)) ?? null,
  }));
  const committed = new Set(rows.map((r) => partitionKey(r.topic, r.partition)));
  for (const m of group.members) {
    for (const a of m.assignment) {
      if (committed.has(partitionKey(a.topic, a.partition))) continue;
      rows.push({ topic: a.topic, partition: a.partition, committed: null, lastStableOffset: null, highWatermark: null, consumableLag: null, txnBlockedLag: null, assignedTo: m.clientId });
    }
  }
  rows.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  return {
    cluster: snapshot.cluster,
    collectedAt: snapshot.collectedAt,
    group: groupRow(lag, group.protocolType, verdicts),
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
