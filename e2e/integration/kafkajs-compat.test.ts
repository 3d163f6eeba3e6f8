// kafkajs 2.2.4 (the project's client) end to end against the newest 4.x and against 3.9: plain produce/consume in a
// group, and a transactional consume-transform-produce loop with sendOffsets, each checked with the official CLIs.
import { Kafka, logLevel, type Admin, type EachMessagePayload } from "kafkajs";
import { createTopicsReady } from "../../scripts/kafka/topics";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  describeGroupOffsets,
  describeProducers,
  describeTransaction,
  findHanging,
  getOffsets,
  listTransactions,
} from "../../scripts/kafka/cli";
import { startKafka, type KafkaTestCluster } from "../../scripts/kafka/cluster";
import { ALL_KAFKA_VERSIONS } from "../../scripts/kafka/versions";

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(ALL_KAFKA_VERSIONS)("kafkajs 2.2.4 against Kafka %s", (version) => {
  let cluster: KafkaTestCluster;
  let kafka: Kafka;
  let admin: Admin;

  beforeAll(async () => {
    cluster = await startKafka({ version, name: `compat-${version}` });
    kafka = new Kafka({ clientId: "compat", brokers: cluster.brokers, logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.disconnect();
    await cluster?.stop();
  });

  it("produces, and consumes in a group whose committed offsets the official CLI sees", async () => {
    const topic = "compat-plain";
    const group = "compat-plain-group";
    await createTopicsReady(admin, [{ topic, numPartitions: 3 }]);
    // Idempotent: kafkajs retries a whole produce request when one partition answers NOT_LEADER (common right
    // after topic creation), which duplicates the partitions that had succeeded.
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })) });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: group });
    const seen: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value!.toString()) });
    // Distinct values: a consumer restarted while the coordinator loads re-reads what it had not committed yet.
    await until(() => new Set(seen).size === 30, 90_000, "30 distinct records consumed");
    await consumer.disconnect(); // commits the consumed offsets

    expect(new Set(seen).size).toBe(30);
    const offsets = await describeGroupOffsets(cluster, group);
    expect(offsets.map((o) => o.partition).sort()).toEqual([0, 1, 2]);
    for (const o of offsets) expect(o).toMatchObject({ group, topic, currentOffset: o.logEndOffset, lag: 0 });
    expect(offsets.reduce((sum, o) => sum + o.currentOffset!, 0)).toBe(30);
    const ends = await getOffsets(cluster, topic, { time: -1 });
    expect(ends.map((e) => e.offset)).toEqual(offsets.sort((a, b) => a.partition - b.partition).map((o) => o.logEndOffset));
  });

  it("runs a transactional consume-transform-produce loop with sendOffsets", async () => {
    const [input, output, group, transactionalId] = ["compat-in", "compat-out", "compat-eos-group", "compat-eos-tx"];
    await createTopicsReady(admin, [
        { topic: input, numPartitions: 2 },
        { topic: output, numPartitions: 2 },
      ]);
    const source = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await source.connect();
    await source.send({ topic: input, acks: -1, messages: Array.from({ length: 10 }, (_, i) => ({ value: `in-${i}` })) });
    await source.disconnect();

    const producer = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1 });
    const consumer = kafka.consumer({ groupId: group, readUncommitted: false });
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topic: input, fromBeginning: true });
    let processed = 0;
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }: EachMessagePayload) => {
        const transaction = await producer.transaction();
        try {
          await transaction.send({ topic: output, messages: [{ value: `out-${message.value!.toString()}` }] });
          await transaction.sendOffsets({
            consumerGroupId: group,
            topics: [{ topic, partitions: [{ partition, offset: (BigInt(message.offset) + 1n).toString() }] }],
          });
          await transaction.commit();
          processed++;
        } catch (error) {
          await transaction.abort();
          throw error;
        }
      },
    });
    // Wait for the committed state, not a counter: a consumer restarted by a rebalance re-reads uncommitted input.
    const committed = async () =>
      (await admin.fetchOffsets({ groupId: group, topics: [input] }))
        .flatMap((t) => t.partitions)
        .reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    await until(async () => processed >= 10 && (await committed()) === 10, 90_000, "input offsets committed through the transactions");
    await consumer.disconnect();

    const groupOffsets = await describeGroupOffsets(cluster, group);
    const inputEnds = await getOffsets(cluster, input, { time: -1 });
    expect(groupOffsets.map((o) => [o.partition, o.currentOffset]).sort()).toEqual(inputEnds.map((e) => [e.partition, e.offset]));

    const listed = (await listTransactions(cluster)).find((t) => t.transactionalId === transactionalId);
    expect(listed).toMatchObject({ transactionalId, state: "CompleteCommit" });
    const described = await describeTransaction(cluster, transactionalId);
    expect(described).toMatchObject({ transactionalId, producerId: listed!.producerId, state: "CompleteCommit", timeoutMs: 60_000 });

    // An open transaction pins the last stable offset at its first record, and the coordinator lists its partitions.
    const transaction = await producer.transaction();
    await transaction.send({ topic: output, messages: [{ value: "pending", partition: 1 }] });
    const highWatermarks = await getOffsets(cluster, output, { time: -1 });
    const open = await describeTransaction(cluster, transactionalId);
    expect(open.state).toBe("Ongoing");
    expect(open.topicPartitions).toEqual([{ topic: output, partition: 1 }]);
    const producers = await describeProducers(cluster, output, 1);
    const ours = producers.find((p) => p.producerId === listed!.producerId);
    expect(ours?.currentTransactionStartOffset).toBe(highWatermarks[1].offset - 1);
    const stable = await getOffsets(cluster, output, { time: -1, isolation: "read_committed" });
    expect(stable[1].offset).toBe(highWatermarks[1].offset - 1);
    expect(stable[0].offset).toBe(highWatermarks[0].offset);
    expect(await findHanging(cluster, { maxTransactionTimeoutMinutes: 0 })).toEqual([]);
    await transaction.abort();
    await producer.disconnect();

    const reader = kafka.consumer({ groupId: "compat-eos-reader", readUncommitted: false });
    const values: string[] = [];
    await reader.connect();
    await reader.subscribe({ topic: output, fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void values.push(message.value!.toString()) });
    await until(() => values.length >= 10, 90_000, "10 committed output records");
    await reader.disconnect();
    expect(values.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `out-in-${i}`).sort());
  });
});
