// Linking transactional ids to consumer groups: sendOffsetsToTransaction adds the group's
// `__consumer_offsets` partition (coordinator hashing) to the transaction, so that partition, hashed back
// over the known group ids, names the candidate group(s). Several groups can hash to one partition: a
// candidate is linked only when its committed offsets move in the poll gaps in which the id commits.
import type { ClusterSnapshot } from "../snapshot/types";
import { coordinatorPartition } from "./java-hash";
import { CONSUMER_OFFSETS_TOPIC, parseConfigNumber } from "./snapshot-index";
import type { TransactionalIdHistory } from "./transactional-id-history";

const KAFKA_DEFAULT_OFFSETS_PARTITIONS = 50;

/** A UUID as Java prints it (Kafka Streams' process id). */
export const UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
/** Kafka Streams exactly_once_v2 names its producers `<application.id>-<process UUID>-<thread index>`. */
const STREAMS_PRODUCER_ID = new RegExp(`^(.+)-${UUID_PATTERN}-\\d+$`, "i");

/** The application.id (which is the Streams app's group id) a Streams producer's transactional id names, else null. */
export function streamsApplicationId(transactionalId: string): string | null {
  return STREAMS_PRODUCER_ID.exec(transactionalId)?.[1] ?? null;
}

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

/**
 * proven: one group's offsets moved with the id's commits; ambiguous: several did (or, before any evidence,
 * several groups hash to its partition); provisional: no evidence yet, a single group hashes there.
 */
export type GroupLinkKind = "proven" | "ambiguous" | "provisional" | "none";

export interface GroupLinks {
  groupIds: string[];
  link: GroupLinkKind;
}

/**
 * Groups an id commits offsets for: those whose offsets moved with its commits more often than not (see
 * TransactionalIdHistory.groupEvidence); before any gap was judged, the groups hashed to its partitions.
 */
export function linkedGroups(
  history: Pick<TransactionalIdHistory, "groupEvidence"> | undefined,
  hashed: string[],
  /** Narrows the candidates further (e.g. drops groups that read the id's own output). */
  narrow: (groupIds: string[]) => string[] = (groupIds) => groupIds,
): GroupLinks {
  const evidence = Object.entries(history?.groupEvidence ?? {}).filter(([, [moved, still]]) => moved + still > 0);
  const proven = evidence.length > 0;
  const candidates = proven ? evidence.filter(([, [moved, still]]) => moved > still).map(([groupId]) => groupId) : hashed;
  const groupIds = [...new Set(narrow(candidates))].sort();
  return { groupIds, link: groupIds.length > 1 ? "ambiguous" : !groupIds.length ? "none" : proven ? "proven" : "provisional" };
}

/** Offsets committed inside its transactions: KIP-447 lets the group generation fence its zombies. */
export function isGroupFenced(history: Pick<TransactionalIdHistory, "offsetsPartitions">): boolean {
  return history.offsetsPartitions.length > 0;
}
