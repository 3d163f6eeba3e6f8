// Java scenarios around consume-transform-produce and consumer groups, on the official Java client:
// - runJavaEosPipeline: a read_committed EosPipeline (transactional.id, sendOffsetsToTransaction with the
//   consumer's group metadata) fed by an idempotent Generator. On a TV2 cluster (4.x) its epoch rises on every
//   commit, which is healthy.
// - runJavaOpenTransaction: a transaction left open by a SIGKILLed producer on a topic no one else writes, and a
//   read_committed group held behind it until the coordinator aborts it after transaction.timeout.ms.
// - runJavaKip848Groups: KIP-848 (group.protocol=consumer) groups: one keeping up, one slow with growing lag.
import { assignedPartitions, generated, scenarioProgram, type JavaProcess } from "./java-programs";
import { createTopics, startScenario, type Scenario } from "./support";

export interface JavaEosPipelineOptions {
  partitions: number;
  /** Generator: this many records every intervalMs. */
  batch: number;
  intervalMs: number;
}

export interface JavaEosPipelineInfo {
  inputTopic: string;
  outputTopic: string;
  groupId: string;
  transactionalId: string;
  generator: JavaProcess;
  pipeline: JavaProcess;
}

export const runJavaEosPipeline: Scenario<JavaEosPipelineOptions, JavaEosPipelineInfo> = (ctx, opts) =>
  startScenario(ctx, "java-eos-pipeline", async (tools) => {
    const options = { partitions: 3, batch: 10, intervalMs: 200, ...opts };
    const { name, kafka } = tools;
    const inputTopic = name("orders");
    const outputTopic = name("payments");
    const groupId = name("payment-service");
    const transactionalId = name("payment-service-0");
    await createTopics(kafka, [
      { topic: inputTopic, numPartitions: options.partitions },
      { topic: outputTopic, numPartitions: options.partitions },
    ]);
    const pipeline = await scenarioProgram(ctx, tools, "EosPipeline", "eos-pipeline", {
      input: inputTopic,
      output: outputTopic,
      group: groupId,
      "transactional-id": transactionalId,
    });
    await assignedPartitions(pipeline);
    const generator = await scenarioProgram(ctx, tools, "Generator", "generator", {
      topic: inputTopic,
      batch: options.batch,
      "interval-ms": options.intervalMs,
    });
    return {
      info: { inputTopic, outputTopic, groupId, transactionalId, generator, pipeline },
      progress: () => ({ generated: generated(generator), commits: pipeline.count("commit") }),
    };
  });

export interface JavaOpenTransactionOptions {
  committedBefore: number;
  recordsInTransaction: number;
  /** The coordinator aborts the abandoned transaction this long after it began (the broker's maximum here). */
  transactionTimeoutMs: number;
}

export interface JavaOpenTransactionInfo {
  topic: string;
  partition: number;
  transactionalId: string;
  groupId: string;
  /** First offset of the open transaction: the partition's LSO until the coordinator aborts it. */
  openOffset: number;
  /** When the producer was SIGKILLed, transaction open. */
  killedAt: number;
  transactionTimeoutMs: number;
  reader: JavaProcess;
}

export const runJavaOpenTransaction: Scenario<JavaOpenTransactionOptions, JavaOpenTransactionInfo> = (ctx, opts) =>
  startScenario(ctx, "java-open-transaction", async (tools) => {
    const options = { committedBefore: 5, recordsInTransaction: 3, transactionTimeoutMs: 60_000, ...opts };
    const { name, kafka } = tools;
    const topic = name("ledger");
    const transactionalId = name("ledger-writer");
    const groupId = name("ledger-reader");
    await createTopics(kafka, [{ topic }]);
    const writer = await scenarioProgram(
      ctx,
      tools,
      "OpenTransaction",
      "open-transaction",
      {
        topic,
        "transactional-id": transactionalId,
        "committed-before": options.committedBefore,
        "records-in-transaction": options.recordsInTransaction,
      },
      { "transaction.timeout.ms": options.transactionTimeoutMs },
    );
    const open = await writer.waitForEvent("open");
    await writer.crash();
    const killedAt = Date.now();
    const reader = await scenarioProgram(ctx, tools, "GroupConsumer", "held-reader", { topic, group: groupId }, {
      "isolation.level": "read_committed",
    });
    return {
      info: {
        topic,
        partition: Number(open.partition),
        transactionalId,
        groupId,
        openOffset: Number(open.offset),
        killedAt,
        transactionTimeoutMs: options.transactionTimeoutMs,
        reader,
      },
      progress: () => ({ consumed: Number(reader.last("consumed")?.n ?? 0) }),
    };
  });

export interface JavaKip848GroupsOptions {
  partitions: number;
  batch: number;
  intervalMs: number;
  /** The slow group's time per record: it reads 1000 / slowProcessMs records a second, less than it is sent. */
  slowProcessMs: number;
}

export interface JavaKip848GroupsInfo {
  topic: string;
  /** Keeps up; the test stops it to see the group go Empty. */
  groupId: string;
  slowGroupId: string;
  generator: JavaProcess;
  consumer: JavaProcess;
  slowConsumer: JavaProcess;
}

export const runJavaKip848Groups: Scenario<JavaKip848GroupsOptions, JavaKip848GroupsInfo> = (ctx, opts) =>
  startScenario(ctx, "java-kip848-groups", async (tools) => {
    const options = { partitions: 3, batch: 10, intervalMs: 200, slowProcessMs: 100, ...opts };
    const { name, kafka } = tools;
    const topic = name("clicks");
    const groupId = name("click-counter");
    const slowGroupId = name("click-archiver");
    await createTopics(kafka, [{ topic, numPartitions: options.partitions }]);
    const kip848 = { "group.protocol": "consumer" };
    const consumer = await scenarioProgram(ctx, tools, "GroupConsumer", "kip848-consumer", { topic, group: groupId }, kip848);
    const slowConsumer = await scenarioProgram(
      ctx,
      tools,
      "GroupConsumer",
      "kip848-slow-consumer",
      { topic, group: slowGroupId, "process-ms": options.slowProcessMs, "max-poll-records": 10 },
      kip848,
    );
    await Promise.all([assignedPartitions(consumer), assignedPartitions(slowConsumer)]);
    const generator = await scenarioProgram(ctx, tools, "Generator", "generator", {
      topic,
      batch: options.batch,
      "interval-ms": options.intervalMs,
    });
    return {
      info: { topic, groupId, slowGroupId, generator, consumer, slowConsumer },
      progress: () => ({
        generated: generated(generator),
        consumed: Number(consumer.last("consumed")?.n ?? 0),
        slowConsumed: Number(slowConsumer.last("consumed")?.n ?? 0),
      }),
    };
  });
