// Scenario 5: an unstable transactional.id. The service takes a fresh `payments-writer-<uuid>` on each
// restart, so no instance ever fences its predecessor: the coordinator collects one id per restart,
// and a zombie of an earlier instance could keep writing unopposed. The last instance keeps running.
import { randomUUID } from "node:crypto";
import type { Producer } from "kafkajs";
import { createTopics, inTransaction, orderMessage, startScenario, transactionalProducer, type Scenario } from "./support";

export interface UnstableTransactionalIdOptions {
  restarts: number;
  transactionsPerInstance: number;
  /** How often the last instance commits a transaction while the scenario runs. */
  tickMs: number;
}

export interface UnstableTransactionalIdInfo {
  topic: string;
  /** Every id starts with this, followed by a random uuid. */
  transactionalIdPrefix: string;
  /** One per instance, oldest first; the last one is still running. */
  transactionalIds: string[];
}

const defaults: UnstableTransactionalIdOptions = { restarts: 3, transactionsPerInstance: 2, tickMs: 1000 };

export const runUnstableTransactionalId: Scenario<UnstableTransactionalIdOptions, UnstableTransactionalIdInfo> = (
  ctx,
  opts,
) =>
  startScenario(ctx, "unstable-transactional-id", async ({ name, kafka, cleanup, every }) => {
    const options = { ...defaults, ...opts };
    const info: UnstableTransactionalIdInfo = {
      topic: name("payments"),
      transactionalIdPrefix: name("payments-writer-"),
      transactionalIds: [],
    };
    const counters = { transactionsCommitted: 0 };
    await createTopics(kafka, [{ topic: info.topic }]);

    const commitOne = async (producer: Producer) => {
      await inTransaction(producer, async (transaction) => {
        await transaction.send({ topic: info.topic, messages: [orderMessage(counters.transactionsCommitted)] });
      });
      counters.transactionsCommitted += 1;
    };

    let instance: Producer | undefined;
    for (let restart = 0; restart <= options.restarts; restart++) {
      await instance?.disconnect();
      const transactionalId = `${info.transactionalIdPrefix}${randomUUID()}`;
      info.transactionalIds.push(transactionalId);
      instance = transactionalProducer(kafka, transactionalId);
      cleanup.client(transactionalId, instance);
      await instance.connect();
      for (let i = 0; i < options.transactionsPerInstance; i++) await commitOne(instance);
    }
    const running = instance!;
    every("last instance", options.tickMs, () => commitOne(running));

    return { info, progress: () => ({ ...counters, instances: info.transactionalIds.length }) };
  });
