// A read_committed consumer never gets past the LSO, so a group whose committed offset is beyond an open
// transaction's first offset reads uncommitted (possibly later aborted) records: its output is not
// exactly-once. Offsets are read after the LSO within a poll, so a caught-up read_committed group can
// legitimately commit past the LSO read moments earlier; to rule that out the committed offset is taken
// from the previous poll, and the LSO must have stayed at the same value since before that poll.
import { makeFinding, type Finding } from "../findings";
import type { PartitionHistory } from "../partition-history";
import type { SnapshotIndex } from "../snapshot-index";
import type { GroupHistory } from "./eos-lag";

export interface UncommittedRead {
  groupId: string;
  topic: string;
  partition: number;
  committed: number;
  lastStableOffset: number;
  highWatermark: number;
}

export function findUncommittedReads(
  index: SnapshotIndex,
  groups: GroupHistory,
  partitions: Record<string, PartitionHistory>,
): UncommittedRead[] {
  const reads: UncommittedRead[] = [];
  index.snapshot.groups.forEach((group, g) => {
    for (const { offset: o, key, ref } of index.groupOffsets[g]) {
      const p = ref?.partition;
      const lso = p?.lastStableOffset ?? null;
      const hw = p?.highWatermark ?? null;
      if (lso === null || hw === null || lso >= hw) continue;
      const samples = groups[group.groupId]?.[key] ?? [];
      const earlier = samples.length >= 2 ? samples[samples.length - 2] : undefined;
      const lsoSince = partitions[key]?.lsoSince;
      if (!earlier || lsoSince === undefined || lsoSince > earlier[0] || earlier[1] <= lso) continue;
      reads.push({ groupId: group.groupId, topic: o.topic, partition: o.partition, committed: o.offset, lastStableOffset: lso, highWatermark: hw });
    }
  });
  return reads;
}

export function detectReadUncommitted(
  index: SnapshotIndex,
  groups: GroupHistory,
  partitions: Record<string, PartitionHistory>,
): Finding[] {
  const byGroup = new Map<string, UncommittedRead[]>();
  for (const read of findUncommittedReads(index, groups, partitions)) {
    byGroup.set(read.groupId, [...(byGroup.get(read.groupId) ?? []), read]);
  }
  return [...byGroup].map(([groupId, reads]) =>
    makeFinding({
      kind: "read-uncommitted",
      severity: "warning",
      cluster: index.snapshot.cluster,
      subject: { groupId },
      title: `Group ${groupId} reads past open transactions on ${reads.length} partition(s): it is not read_committed`,
      evidence: {
        partitions: reads.map((r) => `${r.topic}-${r.partition}`),
        committed: reads.map((r) => r.committed),
        lastStableOffset: reads.map((r) => r.lastStableOffset),
        maxAheadOfLso: Math.max(...reads.map((r) => r.committed - r.lastStableOffset)),
      },
      explanation:
        `Group ${groupId} committed offsets beyond the first offset of a transaction that is still open. A read_committed ` +
        `consumer cannot do that, so this group consumes with isolation.level=read_uncommitted (the Kafka default): it ` +
        `processes records of transactions that may still abort, and the pipeline it feeds is not exactly-once.`,
      remediation: `Set isolation.level=read_committed in the consumers of group ${groupId} (Kafka Streams does this with processing.guarantee=exactly_once_v2).`,
    }),
  );
}
