// Linking transactional ids to consumer groups: sendOffsetsToTransaction adds the group's
// `__consumer_offsets` partition (coordinator hashing) to the transaction, so that partition, hashed back
// over the known group ids, names the candidate group(s). Several groups can hash to one partition: a
// candidate is linked only when its committed offsets move in the poll gaps in which the id commits.
import type { ClusterSnapshot } from "../snapshot/types";
import { coordinatorPartition } from "./java-hash";
import { CONSUMER_OFFSETS_TOPIC, parseConfigNumber } from "./snapshot-index";
import type { TransactionalIdHistory } from "./transactional-id-history";

const KAFKA_DEFAULT_OFFSETS_PARTITIONS = 50;

export function offsetsPartitionCount(snapshot: ClusterSnapshot): number {
  const fromTopic = snapshot.topics.find((t) => t.name === CONSUMER_OFFSETS_TOPIC)?.partitions.length;
  if (fromTopic) return fromTopic;
  const fromConfig = snapshot.brokerConfigs
    .map((b) => parseConfigNumber(b.configs["offsets.topic.num.partitions"]))
    .find((n): n is number => n !== null && n > 0);
  return fromConfig ?? KAFKA_DEFAULT_OFFSETS_PARTITIONS;
}

/** `__consumer_offsets` partition → known group ids hashed to it. */
export function groupsByOffsetsPartition(snapshot: ClusterSnapshot): Map<number, string[]> {
  const count = offsetsPartitionCount(snapshot);
  const map = new Map<number, string[]>();
  for (const group of snapshot.groups) {
    const p = coordinatorPartition(group.groupId, count);
    map.set(p, [...(map.get(p) ?? []), group.groupId]);
  }
  return map;
}

export interface GroupLinks {
  /** Groups whose committed offsets moved with this id's commits more often than not. */
  linked: string[];
  /** More than one group moved with its commits every time: the link cannot name one of them. */
  ambiguous: boolean;
}

/** Groups an id commits offsets for, on evidence that names them (see TransactionalIdHistory.groupEvidence). */
export function linkedGroups(history: Pick<TransactionalIdHistory, "groupEvidence"> | undefined): GroupLinks {
  const linked = Object.entries(history?.groupEvidence ?? {})
    .filter(([, [moved, still]]) => moved > still)
    .map(([groupId]) => groupId)
    .sort();
  return { linked, ambiguous: linked.length > 1 };
}
