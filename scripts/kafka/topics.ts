import type { Admin, ITopicConfig } from "kafkajs";

/**
 * Creates topics and waits until metadata names a leader for every partition. kafkajs's own waitForLeaders
 * gives up with UNKNOWN_TOPIC_OR_PARTITION ("does not host this topic-partition") while a just-created topic
 * propagates, most often on a busy 3-node cluster; here that answer just means "not yet".
 */
export async function createTopicsReady(admin: Admin, topics: ITopicConfig[], timeoutMs = 120_000): Promise<void> {
  await admin.createTopics({ topics, waitForLeaders: false });
  const expected = new Map(topics.map((t) => [t.topic, t.numPartitions ?? 1]));
  const deadline = Date.now() + timeoutMs;
  let lastProblem = "no metadata yet";
  while (Date.now() < deadline) {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [...expected.keys()] });
      const ready = metadata.topics.every(
        (t) => t.partitions.length === expected.get(t.name) && t.partitions.every((p) => p.leader >= 0),
      );
      if (ready && metadata.topics.length === expected.size) return;
      lastProblem = "some partitions have no leader yet";
    } catch (error) {
      lastProblem = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`topics ${[...expected.keys()].join(", ")} not ready after ${timeoutMs} ms: ${lastProblem}`);
}
