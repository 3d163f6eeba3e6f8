// Scenarios 2 and 7: a transaction left open on a partition while plain writes continue behind it.
// The LSO stays at the transaction's first offset until it ends (stop() aborts it, or it is abandoned
// and the coordinator aborts it after transaction.timeout.ms), while the HW keeps growing.
// Scenario 2 watches it with a read_committed group (stuck at the LSO); scenario 7 with a
// read_uncommitted group (its committed offset runs past the LSO).
import {
  createTopics,
  idempotentProducer,
  orderMessages,
  startScenario,
  transactionalProducer,
  type RunningScenario,
  type ScenarioContext,
  type Scenario,
} from "./support";

export interface OpenTransactionOptions {
  /** Committed (plain) records written before the transaction opens. */
  recordsBefore: number;
  /** Records written inside the open transaction. */
  recordsInTransaction: number;
  /** A plain record is appended every this many ms while the transaction is open; 0 disables. */
  trailingWriteMs: number;
  transactionTimeoutMs: number;
  /** abort: end the transaction on stop(); abandon: disconnect and let the coordinator time it out. */
  onStop: "abort" | "abandon";
}

export interface OpenTransactionInfo {
  topic: string;
  partition: number;
  transactionalId: string;
  groupId: string;
  isolation: "read_committed" | "read_uncommitted";
  /** Offset of the transaction's first record: the partition's LSO while it is open. */
  transactionFirstOffset: number;
  transactionTimeoutMs: number;
  openedAt: number;
}

const defaults: OpenTransactionOptions = {
  recordsBefore: 5,
  recordsInTransaction: 3,
  trailingWriteMs: 1000,
  transactionTimeoutMs: 30000,
  onStop: "abort",
};

const PARTITION = 0;

function runOpenTransaction(
  ctx: ScenarioContext,
  scenario: string,
  isolation: OpenTransactionInfo["isolation"],
  opts: Partial<OpenTransactionOptions> | undefined,
): Promise<RunningScenario<OpenTransactionInfo>> {
  return startScenario(ctx, scenario, async ({ name, kafka, cleanup, every }) => {
    const options = { ...defaults, ...opts };
    const topic = name("ledger");
    const transactionalId = name("ledger-writer");
    const groupId = name("ledger-reader");
    const counters = { plainRecordsWritten: 0, consumed: 0 };
    await createTopics(kafka, [{ topic }]);

    const plain = cleanup.client("plain writer", idempotentProducer(kafka));
    await plain.connect();
    const writePlain = async (count: number) => {
      await plain.send({ topic, messages: orderMessages(counters.plainRecordsWritten, count) });
      counters.plainRecordsWritten += count;
    };
    if (options.recordsBefore > 0) await writePlain(options.recordsBefore);

    const writer = cleanup.client(
      "transactional writer",
      transactionalProducer(kafka, transactionalId, { transactionTimeout: options.transactionTimeoutMs }),
    );
    await writer.connect();
    const transaction = await writer.transaction();
    const openedAt = Date.now();
    const [written] = await transaction.send({
      topic,
      messages: orderMessages(1_000_000, options.recordsInTransaction),
    });
    if (options.onStop === "abort") cleanup.add("abort open transaction", () => transaction.abort());

    const consumer = cleanup.client(
      `${isolation} reader`,
      kafka.consumer({ groupId, readUncommitted: isolation === "read_uncommitted", maxWaitTimeInMs: 250 }),
    );
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommitInterval: 500,
      eachMessage: async () => {
        counters.consumed += 1;
      },
    });

    if (options.trailingWriteMs > 0) every("trailing plain writes", options.trailingWriteMs, () => writePlain(1));

    const info: OpenTransactionInfo = {
      topic,
      partition: PARTITION,
      transactionalId,
      groupId,
      isolation,
      transactionFirstOffset: Number(written.baseOffset),
      transactionTimeoutMs: options.transactionTimeoutMs,
      openedAt,
    };
    return { info, progress: () => ({ ...counters }) };
  });
}

/** Scenario 2: an open transaction pins the LSO; a read_committed group stops at it. */
export const runStuckTransaction: Scenario<OpenTransactionOptions, OpenTransactionInfo> = (ctx, opts) =>
  runOpenTransaction(ctx, "stuck-transaction", "read_committed", opts);

/** Scenario 7: a read_uncommitted group reads (and commits) past an open transaction's LSO. */
export const runReadUncommittedGroup: Scenario<OpenTransactionOptions, OpenTransactionInfo> = (ctx, opts) =>
  runOpenTransaction(ctx, "read-uncommitted-group", "read_uncommitted", opts);
