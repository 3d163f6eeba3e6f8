// Scenario 8: mixed writes. A transactional producer and a plain idempotent producer write the same
// partition: describe-producers lists both producer ids, one with an open transaction, one without.
// Readers of such a topic get no all-or-nothing guarantee for the plain writer's records.
import {
  createTopics,
  idempotentProducer,
  inTransaction,
  orderMessage,
  sleep,
  startScenario,
  transactionalProducer,
  type Scenario,
} from "./support";

export interface MixedWritersOptions {
  /** How long each transaction stays open before it commits (the next one opens right after). */
  transactionOpenMs: number;
  plainWriteMs: number;
}

export interface MixedWritersInfo {
  topic: string;
  partition: number;
  transactionalId: string;
}

const defaults: MixedWritersOptions = { transactionOpenMs: 2000, plainWriteMs: 200 };

const PARTITION = 0;

export const runMixedWriters: Scenario<MixedWritersOptions, MixedWritersInfo> = (ctx, opts) =>
  startScenario(ctx, "mixed-writers", async ({ name, kafka, cleanup, every }) => {
    const options = { ...defaults, ...opts };
    const info: MixedWritersInfo = { topic: name("accounts"), partition: PARTITION, transactionalId: name("accounts-writer") };
    const counters = { transactionsCommitted: 0, plainRecordsWritten: 0 };
    await createTopics(kafka, [{ topic: info.topic }]);

    const transactional = cleanup.client("transactional writer", transactionalProducer(kafka, info.transactionalId));
    await transactional.connect();
    const plain = cleanup.client("plain idempotent writer", idempotentProducer(kafka));
    await plain.connect();

    every("transactional writes", 0, async () => {
      await inTransaction(transactional, async (transaction) => {
        await transaction.send({ topic: info.topic, messages: [orderMessage(counters.transactionsCommitted)] });
        await sleep(options.transactionOpenMs);
      });
      counters.transactionsCommitted += 1;
    });
    every("plain writes", options.plainWriteMs, async () => {
      await plain.send({ topic: info.topic, messages: [orderMessage(counters.plainRecordsWritten)] });
      counters.plainRecordsWritten += 1;
    });

    return { info, progress: () => ({ ...counters }) };
  });
