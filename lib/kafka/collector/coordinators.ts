import { coordinatorPartition } from "@/lib/analysis/java-hash";
import { CONSUMER_OFFSETS_TOPIC, TRANSACTION_STATE_TOPIC } from "@/lib/analysis/snapshot-index";
import type { TopicState } from "@/lib/snapshot/types";
import type { PhaseContext } from "./phases";

/**
 * Which broker coordinates a group or transactional id by this poll's Metadata: the leader of the id's partition of
 * `__consumer_offsets` / `__transaction_state`. A broker that lists an id whose partition it does not lead is a
 * coordinator that has not noticed the move yet (a broker back from a freeze answers from its old state): its
 * answer is left out and the phase is partial, never two coordinators' views of one id, nor a stale one.
 */
export class Coordinators {
  private readonly leaders: Record<"group" | "transaction", number[] | null>;

  constructor(topics: TopicState[]) {
    const leadersOf = (name: string) => {
      const partitions = topics.find((t) => t.name === name)?.partitions;
      if (!partitions) return null;
      const leaders: number[] = [];
      for (const p of partitions) leaders[p.partition] = p.leader;
      return leaders;
    };
    this.leaders = { group: leadersOf(CONSUMER_OFFSETS_TOPIC), transaction: leadersOf(TRANSACTION_STATE_TOPIC) };
  }

  /** The leader of the id's partition, or null when Metadata does not say (topic not shown, no leader). */
  private leaderOf(kind: "group" | "transaction", id: string): number | null {
    const leaders = this.leaders[kind];
    if (!leaders?.length) return null;
    const leader = leaders[coordinatorPartition(id, leaders.length)];
    return leader === undefined || leader < 0 ? null : leader;
  }

  /** The ids `nodeId` listed that it coordinates (or that Metadata cannot place); the others recorded as failures. */
  keepCoordinated<T>(ctx: PhaseContext, kind: "group" | "transaction", nodeId: number, listed: T[], id: (item: T) => string): T[] {
    const topic = kind === "group" ? CONSUMER_OFFSETS_TOPIC : TRANSACTION_STATE_TOPIC;
    return listed.filter((item) => {
      const leader = this.leaderOf(kind, id(item));
      if (leader === null || leader === nodeId) return true;
      ctx.fail(nodeId, new Error(`${kind === "group" ? "group" : "transactional id"} ${id(item)} listed by broker ${nodeId}, but broker ${leader} leads its ${topic} partition (coordinator moving): left out`));
      return false;
    });
  }

  /**
   * Each id once across the brokers' listings, the first broker's answer kept: two brokers list one id while a
   * coordinator moves in a way Metadata cannot place; which one is current is unknown, so the phase is partial.
   */
  keepFirstListing<T>(ctx: PhaseContext, kind: "group" | "transaction", byBroker: Map<number, T[]>, id: (item: T) => string): Map<number, T[]> {
    const listedBy = new Map<string, number>();
    const kept = new Map<number, T[]>();
    for (const [nodeId, listed] of byBroker) {
      kept.set(
        nodeId,
        listed.filter((item) => {
          const seen = listedBy.get(id(item));
          if (seen === undefined) {
            listedBy.set(id(item), nodeId);
            return true;
          }
          ctx.fail(nodeId, new Error(`${kind === "group" ? "group" : "transactional id"} ${id(item)} listed by brokers ${seen} and ${nodeId} (coordinator moving)`));
          return false;
        }),
      );
    }
    return kept;
  }
}
