// Scenario 4: zombie fencing. Instances of one service share a transactional.id; each new instance's
// InitProducerId bumps the epoch and fences the previous one, whose next write fails with a fencing
// error. rounds=1 is the classic zombie (two instances, one fence); rounds=N is a "fencing fight":
// N fences, one every intervalMs, as two deployments keep restarting over each other.
import type { Producer } from "kafkajs";
import {
  createTopics,
  inTransaction,
  kafkaErrorInfo,
  orderMessages,
  startScenario,
  transactionalProducer,
  type KafkaErrorInfo,
  type Scenario,
} from "./support";

export interface ZombieFencingOptions {
  rounds: number;
  intervalMs: number;
  transactionTimeoutMs: number;
  /**
   * The leading instance commits a transaction this often between fences, as a live service does (and as a
   * detector needs to tell a pre-TV2 client's fences from a TV2 client's per-commit epoch bumps); 0 = only
   * its first transaction.
   */
  commitMs: number;
}

export interface Fence {
  round: number;
  fencedInstance: number;
  fencedBy: number;
  at: number;
  /** What the fenced instance got on its next write (kafkajs: INVALID_PRODUCER_EPOCH, code 47). */
  error: KafkaErrorInfo;
}

export interface ZombieFencingInfo {
  topic: string;
  transactionalId: string;
  /** Appended as fences happen; rounds=1 has its one fence before the scenario returns. */
  fences: Fence[];
}

const defaults: ZombieFencingOptions = { rounds: 1, intervalMs: 1000, transactionTimeoutMs: 30000, commitMs: 0 };

export const runZombieFencing: Scenario<ZombieFencingOptions, ZombieFencingInfo> = (ctx, opts) =>
  startScenario(ctx, "zombie-fencing", async ({ name, kafka, cleanup, every, log }) => {
    const options = { ...defaults, ...opts };
    const info: ZombieFencingInfo = { topic: name("payments"), transactionalId: name("payments-writer"), fences: [] };
    const counters = { transactionsCommitted: 0, unexpectedSuccesses: 0 };
    await createTopics(kafka, [{ topic: info.topic }]);

    const live = new Set<Producer>();
    cleanup.add("disconnect instances", () => Promise.all([...live].map((p) => p.disconnect())));

    const commitOne = async (producer: Producer) => {
      await inTransaction(producer, async (transaction) => {
        await transaction.send({ topic: info.topic, messages: orderMessages(counters.transactionsCommitted, 1) });
      });
      counters.transactionsCommitted += 1;
    };

    // Starting an instance runs InitProducerId (kafkajs does it on the first transaction).
    const startInstance = async () => {
      const producer = transactionalProducer(kafka, info.transactionalId, {
        transactionTimeout: options.transactionTimeoutMs,
      });
      live.add(producer);
      await producer.connect();
      await commitOne(producer);
      return producer;
    };

    let instanceNumber = 1;
    let current = await startInstance();
    const fenceRound = async () => {
      const round = info.fences.length + 1;
      const zombie = current;
      current = await startInstance();
      instanceNumber += 1;
      try {
        await commitOne(zombie);
        counters.unexpectedSuccesses += 1;
        log(`round ${round}: the previous instance was not fenced`);
      } catch (error) {
        info.fences.push({ round, fencedInstance: instanceNumber - 1, fencedBy: instanceNumber, at: Date.now(), error: kafkaErrorInfo(error) });
      }
      live.delete(zombie);
      await zombie.disconnect();
    };

    // Fences and the leader's commits take turns: a commit racing a fence would fail as a second zombie.
    let turn = Promise.resolve();
    const exclusive = (work: () => Promise<void>) => {
      const run = turn.then(work);
      turn = run.catch(() => {});
      return run;
    };

    await fenceRound();
    if (options.rounds > 1) {
      every("fencing fight", options.intervalMs, async () => {
        if (info.fences.length < options.rounds) await exclusive(fenceRound);
      });
    }
    if (options.commitMs > 0) every("leading instance", options.commitMs, () => exclusive(() => commitOne(current)));

    return { info, progress: () => ({ ...counters, fences: info.fences.length }) };
  });
