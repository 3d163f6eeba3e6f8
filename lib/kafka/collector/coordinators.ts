import { coordinatorPartition } from "@/lib/analysis/java-hash";
import { CONSUMER_OFFSETS_TOPIC, TRANSACTION_STATE_TOPIC } from "@/lib/analysis/snapshot-index";
import type { TopicState } from "@/lib/snapshot/types";
import type { PhaseContext } from "./phases";

type Kind = "group" | "transaction";

/** Where each kind of id is placed, and what messages call it. */
const PLACED_BY: Record<Kind, { topic: string; noun: string }> = {
  group: { topic: CONSUMER_OFFSETS_TOPIC, noun: "group" },
  transaction: { topic: TRANSACTION_STATE_TOPIC, noun: "transactional id" },
};

/**
 * Which broker coordinates a group or transactional id by this poll's Metadata: the leader of the id's partition of
 * `__consumer_offsets` / `__transaction_state`. A broker that lists an id whose partition it does not lead is a
 * coordinator that has not noticed the move yet (a broker back from a freeze answers from its old state): its
 * answer is left out and the phase is partial, never two coordinators' views of one id, nor a stale one.
 */
export class Coordinators {
  private readonly leaders: Record<Kind, number[] | null>;

  constructor(topics: TopicState[]) {
    const leadersOf = (name: string) => {
      const partitions = topics.find((t) => t.name === name)?.partitions;
      if (!partitions) return null;
      const leaders: number[] = [];
      for (const p of partitions) leaders[p.partition] = p.leader;
      return leaders;
    };
    this.leaders = { group: leadersOf(PLACED_BY.group.topic), transaction: leadersOf(PLACED_BY.transaction.topic) };
  }

  /** The leader of the id's partition, or null when Metadata does not say (topic not shown, no leader). */
  private leaderOf(kind: Kind, id: string): number | null {
    const leaders = this.leaders[kind];
    if (!leaders?.length) return null;
    const leader = leaders[coordinatorPartition(id, leaders.length)];
    return leader === undefined || leader < 0 ? null : leader;
  }

  /** The ids `nodeId` listed that it coordinates (or that Metadata cannot place); the others recorded as failures. */
  keepCoordinated<T>(ctx: PhaseContext, kind: Kind, nodeId: number, listed: T[], id: (item: T) => string): T[] {
    const { topic, noun } = PLACED_BY[kind];
    return listed.filter((item) => {
      const leader = this.leaderOf(kind, id(item));
      if (leader === null || leader === nodeId) return true;
      ctx.fail(nodeId, new Error(`${noun} ${id(item)} listed by broker ${nodeId}, but broker ${leader} leads its ${topic} partition (coordinator moving): left out`));
      return false;
    });
  }

  /**
   * Records as failures the partitions of the kind's topic whose ids no listing covered: without a leader (an
   * election, a restart) or led by a broker that was not asked. Their ids are missing from this poll, not gone.
   */
  checkCoverage(ctx: PhaseContext, kind: Kind, asked: readonly number[]): void {
    const { topic, noun } = PLACED_BY[kind];
    (this.leaders[kind] ?? []).forEach((leader, partition) => {
      if (leader >= 0 && asked.includes(leader)) return;
      const why = leader < 0 ? "it has no leader" : `its leader, broker ${leader}, was not asked`;
      ctx.fail(leader < 0 ? null : leader, new Error(`${noun}s on ${topic}-${partition} not listed: ${why}`));
    });
  }

  /**
   * Each id once across the brokers' listings, the first broker's answer kept: two brokers list one id while a
   * coordinator moves in a way Metadata cannot place; which one is current is unknown, so the phase is partial.
   */
  keepFirstListing<T>(ctx: PhaseContext, kind: Kind, byBroker: Map<number, T[]>, id: (item: T) => string): Map<number, T[]> {
    const listedBy = new Map<string, number>();
    const kept = new Map<number, T[]>();
    for (const [nodeId, listed] of byBroker) {
      kept.set(
        nodeId,
        listed.filter((item) => {
          const key = id(item);
          const seen = listedBy.get(key);
          if (seen === undefined) {
            listedBy.set(key, nodeId);
            return true;
          }
          ctx.fail(nodeId, new Error(`${PLACED_BY[kind].noun} ${key} listed by brokers ${seen} and ${nodeId} (coordinator moving)`));
          return false;
        }),
      );
    }
    return kept;
  }
}
