// Scenario 3: a genuine hanging transaction (KIP-664). A transactional batch lands on a partition the
// coordinator never added to the transaction: InitProducerId, then a raw transactional Produce with
// no AddPartitionsToTxn. The coordinator knows of no open transaction, so it never times it out and
// the partition's LSO stays pinned for good. Needs a broker with
// transaction.partition.verification.enable=false (KIP-890 verification rejects the write otherwise).
// The batch's CreateTime is backdated so find-hanging (which looks at the batch timestamp) reports it
// at once instead of after transaction.max.timeout.ms.
import { partitionLeader, rawCluster, retryRetriable, transactionCoordinator } from "./raw-protocol";
import {
  createTopics,
  describeError,
  idempotentProducer,
  orderMessages,
  startScenario,
  type Scenario,
} from "./support";

export interface HangingTransactionOptions {
  /** Plain records written first, so the hanging batch does not start at offset 0. */
  recordsBefore: number;
  /** How far in the past the hanging batch's timestamp is. */
  backdateMs: number;
  transactionTimeoutMs: number;
  /** abort: add the partition to the transaction and abort it on stop(), unpinning the LSO; leave: keep it hanging. */
  onStop: "abort" | "leave";
}

export interface HangingTransactionInfo {
  topic: string;
  partition: number;
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
  /** Offset of the hanging batch: where the LSO is pinned. */
  hangingOffset: number;
  leaderId: number;
  batchTimestamp: number;
}

export class HangingWriteRejectedError extends Error {
  constructor(cause: unknown) {
    super(
      `the broker rejected a transactional write to a partition outside the transaction (${describeError(cause)}); ` +
        "start it with transaction.partition.verification.enable=false",
    );
    this.name = "HangingWriteRejectedError";
  }
}

const defaults: HangingTransactionOptions = {
  recordsBefore: 2,
  backdateMs: 2 * 60 * 60 * 1000,
  transactionTimeoutMs: 60000,
  onStop: "abort",
};

const PARTITION = 0;

export const runHangingTransaction: Scenario<HangingTransactionOptions, HangingTransactionInfo> = (ctx, opts) =>
  startScenario(ctx, "hanging-transaction", async ({ name, kafka, cleanup }) => {
    const options = { ...defaults, ...opts };
    const topic = name("settlements");
    const transactionalId = name("settlement-writer");
    await createTopics(kafka, [{ topic }]);

    if (options.recordsBefore > 0) {
      const plain = idempotentProducer(kafka);
      await plain.connect();
      try {
        await plain.send({ topic, messages: orderMessages(0, options.recordsBefore) });
      } finally {
        await plain.disconnect();
      }
    }

    const cluster = cleanup.client("raw cluster", rawCluster(kafka));
    await cluster.connect();
    const { coordinator, producer } = await retryRetriable(async () => {
      const coordinator = await transactionCoordinator(cluster, transactionalId);
      const producer = await coordinator.initProducerId({
        transactionalId,
        transactionTimeout: options.transactionTimeoutMs,
      });
      return { coordinator, producer };
    });
    const identity = { transactionalId, producerId: producer.producerId, producerEpoch: producer.producerEpoch };

    const leader = await partitionLeader(cluster, topic, PARTITION);
    const batchTimestamp = Date.now() - options.backdateMs;
    const message = orderMessages(0, 1)[0];
    let response: unknown;
    try {
      response = await leader.produce({
        ...identity,
        acks: -1,
        topicData: [
          {
            topic,
            partitions: [
              {
                partition: PARTITION,
                firstSequence: 0,
                messages: [{ key: String(message.key), value: String(message.value), timestamp: batchTimestamp }],
              },
            ],
          },
        ],
      });
    } catch (error) {
      throw new HangingWriteRejectedError(error);
    }

    if (options.onStop === "abort") {
      // Telling the coordinator about the partition lets an ordinary abort write the marker that ends it.
      cleanup.add("abort hanging transaction", async () => {
        await coordinator.addPartitionsToTxn({ ...identity, topics: [{ topic, partitions: [PARTITION] }] });
        await coordinator.endTxn({ ...identity, transactionResult: false });
      });
    }

    const info: HangingTransactionInfo = {
      topic,
      partition: PARTITION,
      transactionalId,
      producerId: Number(producer.producerId),
      producerEpoch: producer.producerEpoch,
      hangingOffset: baseOffsetOf(response, topic, PARTITION),
      leaderId: leader.nodeId,
      batchTimestamp,
    };
    return { info };
  });

function baseOffsetOf(response: unknown, topic: string, partition: number): number {
  const topics = (response as { topics?: Array<{ topicName: string; partitions: Array<{ partition: number; baseOffset: string }> }> }).topics;
  const found = topics?.find((t) => t.topicName === topic)?.partitions.find((p) => p.partition === partition);
  if (!found) throw new Error(`produce response has no result for ${topic}-${partition}`);
  return Number(found.baseOffset);
}
