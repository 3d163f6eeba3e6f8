// Linking transactional ids to consumer groups: sendOffsetsToTransaction adds the group's
// `__consumer_offsets` partition (coordinator hashing) to the transaction, so that partition, hashed back
// over the known group ids, names the group(s) whose offsets the transaction commits.
import { coordinatorPartition } from "./java-hash";
import { CONSUMER_OFFSETS_TOPIC, parseConfigNumber, type SnapshotIndex } from "./snapshot-index";

const KAFKA_DEFAULT_OFFSETS_PARTITIONS = 50;

export function offsetsPartitionCount(index: SnapshotIndex): number {
  const fromTopic = index.topics.get(CONSUMER_OFFSETS_TOPIC)?.partitions.length;
  if (fromTopic) return fromTopic;
  const fromConfig = index.snapshot.brokerConfigs
    .map((b) => parseConfigNumber(b.configs["offsets.topic.num.partitions"]))
    .find((n): n is number => n !== null && n > 0);
  return fromConfig ?? KAFKA_DEFAULT_OFFSETS_PARTITIONS;
}

/** `__consumer_offsets` partition → known group ids hashed to it. */
export function groupsByOffsetsPartition(index: SnapshotIndex): Map<number, string[]> {
  const count = offsetsPartitionCount(index);
  const map = new Map<number, string[]>();
  for (const group of index.snapshot.groups) {
    const p = coordinatorPartition(group.groupId, count);
    map.set(p, [...(map.get(p) ?? []), group.groupId]);
  }
  return map;
}
