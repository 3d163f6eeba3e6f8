// Scenario 1: a healthy exactly-once consume-transform-produce pipeline. A read_committed group reads
// orders; each batch becomes one transaction that writes payments and commits the input offsets
// (sendOffsets) under a stable transactional.id. An idempotent generator keeps orders flowing.
import type { KafkaMessage, Message } from "kafkajs";
import {
  createTopics,
  idempotentProducer,
  inTransaction,
  orderMessages,
  startScenario,
  transactionalProducer,
  type Scenario,
} from "./support";

export interface HealthyPipelineOptions {
  partitions: number;
  ordersPerTick: number;
  tickMs: number;
  transactionTimeoutMs: number;
}

export interface HealthyPipelineInfo {
  inputTopic: string;
  outputTopic: string;
  groupId: string;
  transactionalId: string;
  partitions: number;
}

const defaults: HealthyPipelineOptions = {
  partitions: 3,
  ordersPerTick: 5,
  tickMs: 500,
  transactionTimeoutMs: 30000,
};

function toPayment(order: KafkaMessage): Message {
  const parsed = JSON.parse(order.value?.toString() ?? "{}") as { orderId?: string; amountCents?: number };
  return {
    key: order.key,
    value: JSON.stringify({ orderId: parsed.orderId, amountCents: parsed.amountCents, status: "captured" }),
  };
}

export const runHealthyPipeline: Scenario<HealthyPipelineOptions, HealthyPipelineInfo> = (ctx, opts) =>
  startScenario(ctx, "healthy-pipeline", async ({ name, kafka, cleanup, every }) => {
    const options = { ...defaults, ...opts };
    const info: HealthyPipelineInfo = {
      inputTopic: name("orders"),
      outputTopic: name("payments"),
      groupId: name("payments-service"),
      transactionalId: name("payments-writer"),
      partitions: options.partitions,
    };
    const counters = { ordersProduced: 0, paymentsCommitted: 0, transactionsCommitted: 0 };
    await createTopics(kafka, [
      { topic: info.inputTopic, numPartitions: options.partitions },
      { topic: info.outputTopic, numPartitions: options.partitions },
    ]);

    const writer = cleanup.client(
      "payments writer",
      transactionalProducer(kafka, info.transactionalId, { transactionTimeout: options.transactionTimeoutMs }),
    );
    await writer.connect();

    const consumer = cleanup.client(
      "payments service",
      kafka.consumer({ groupId: info.groupId, maxWaitTimeInMs: 250 }),
    );
    await consumer.connect();
    await consumer.subscribe({ topic: info.inputTopic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const last = batch.messages.at(-1);
        if (!last) return;
        await inTransaction(writer, async (transaction) => {
          await transaction.send({ topic: info.outputTopic, messages: batch.messages.map(toPayment) });
          await transaction.sendOffsets({
            consumerGroupId: info.groupId,
            topics: [
              {
                topic: batch.topic,
                partitions: [{ partition: batch.partition, offset: String(BigInt(last.offset) + 1n) }],
              },
            ],
          });
        });
        counters.paymentsCommitted += batch.messages.length;
        counters.transactionsCommitted += 1;
      },
    });

    const generator = cleanup.client("order generator", idempotentProducer(kafka));
    await generator.connect();
    every("order generator", options.tickMs, async () => {
      await generator.send({
        topic: info.inputTopic,
        messages: orderMessages(counters.ordersProduced, options.ordersPerTick),
      });
      counters.ordersProduced += options.ordersPerTick;
    });

    return { info, progress: () => ({ ...counters }) };
  });
