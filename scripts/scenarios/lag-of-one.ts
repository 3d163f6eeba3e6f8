// Scenario 10: the "lag of 1". Every committed transaction ends with a marker that takes an offset but
// is never delivered. A read_committed group that commits "last record + 1" (as EOS pipelines do via
// sendOffsets) has consumed everything yet stays one offset short of the HW:
// kafka-consumer-groups.sh shows LAG 1 forever.
import {
  createTopics,
  inTransaction,
  orderMessages,
  startScenario,
  transactionalProducer,
  waitFor,
  type Scenario,
} from "./support";

export interface LagOfOneOptions {
  transactions: number;
  recordsPerTransaction: number;
  catchUpTimeoutMs: number;
}

export interface LagOfOneInfo {
  topic: string;
  partition: number;
  groupId: string;
  transactionalId: string;
  recordsWritten: number;
  /** HW: every record plus one marker per transaction. */
  highWatermark: number;
  /** What the group committed: the offset after its last record, one short of the HW. */
  committedOffset: number;
}

const defaults: LagOfOneOptions = { transactions: 3, recordsPerTransaction: 2, catchUpTimeoutMs: 20000 };

const PARTITION = 0;

export const runLagOfOne: Scenario<LagOfOneOptions, LagOfOneInfo> = (ctx, opts) =>
  startScenario(ctx, "lag-of-one", async ({ name, kafka, cleanup }) => {
    const options = { ...defaults, ...opts };
    const topic = name("invoices");
    const groupId = name("invoice-reader");
    const transactionalId = name("invoice-writer");
    await createTopics(kafka, [{ topic }]);

    const writer = cleanup.client("invoice writer", transactionalProducer(kafka, transactionalId));
    await writer.connect();
    let recordsWritten = 0;
    for (let i = 0; i < options.transactions; i++) {
      await inTransaction(writer, async (transaction) => {
        await transaction.send({
          topic,
          messages: orderMessages(recordsWritten, options.recordsPerTransaction),
        });
      });
      recordsWritten += options.recordsPerTransaction;
    }

    const counters = { consumed: 0, committedOffset: -1 };
    const consumer = cleanup.client("invoice reader", kafka.consumer({ groupId, maxWaitTimeInMs: 250 }));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const last = batch.messages.at(-1);
        if (!last) return;
        const next = String(BigInt(last.offset) + 1n);
        await consumer.commitOffsets([{ topic, partition: batch.partition, offset: next }]);
        counters.consumed += batch.messages.length;
        counters.committedOffset = Number(next);
      },
    });
    await waitFor(
      "the reader to consume every record",
      () => (counters.consumed >= recordsWritten ? true : undefined),
      { timeoutMs: options.catchUpTimeoutMs },
    );

    const info: LagOfOneInfo = {
      topic,
      partition: PARTITION,
      groupId,
      transactionalId,
      recordsWritten,
      highWatermark: recordsWritten + options.transactions,
      committedOffset: counters.committedOffset,
    };
    return { info, progress: () => ({ ...counters }) };
  });
