import type { ProtocolClient } from "../protocol";
import { isRetriable, type PhaseContext } from "./phases";

const RETRY_DELAY_MS = 300;

/**
 * Runs `request` against every broker in parallel. A retriable failure gets exactly one retry after a metadata
 * refresh; a second failure is recorded on the phase and that broker's result is missing from the map.
 */
export async function perBroker<T>(
  client: ProtocolClient,
  ctx: PhaseContext,
  nodeIds: Iterable<number>,
  request: (nodeId: number) => Promise<T>,
): Promise<Map<number, T>> {
  const results = new Map<number, T>();
  await Promise.all(
    [...new Set(nodeIds)].map(async (nodeId) => {
      try {
        results.set(nodeId, await request(nodeId));
      } catch (first) {
        if (!isRetriable(first)) return ctx.fail(nodeId, first);
        try {
          // Long enough for a moved leader or a loading coordinator to settle, short against a poll interval.
          await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
          await client.refreshMetadata();
          results.set(nodeId, await request(nodeId));
        } catch (second) {
          ctx.fail(nodeId, second);
        }
      }
    }),
  );
  return results;
}

/** Groups items by a key, preserving order within each group. */
export function groupBy<T, K>(items: Iterable<T>, key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** Topic → partitions, the request shape most Kafka admin APIs share. */
export function byTopic<P extends { topic: string; partition: number }>(
  partitions: Iterable<P>,
): { name: string; partitions: number[] }[] {
  return [...groupBy(partitions, (p) => p.topic)].map(([name, ps]) => ({
    name,
    partitions: ps.map((p) => p.partition),
  }));
}

/** Values by topic and partition: a poll looks up every partition several times, and a `topic:partition` string key per lookup showed in its CPU profile. */
export class PartitionMap<T> {
  private readonly byTopic = new Map<string, Map<number, T>>();

  set(topic: string, partition: number, value: T): void {
    let partitions = this.byTopic.get(topic);
    if (!partitions) this.byTopic.set(topic, (partitions = new Map()));
    partitions.set(partition, value);
  }

  get(topic: string, partition: number): T | undefined {
    return this.byTopic.get(topic)?.get(partition);
  }
}
