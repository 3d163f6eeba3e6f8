// Every single-node scenario on one Kafka 4.4.0 broker, each proven with the official CLIs' output.
// The broker runs with transaction.partition.verification.enable=false, which the hanging-transaction
// scenario needs; kafkajs transactions in the other scenarios behave the same either way.
import { describe, expect, it } from "vitest";
import {
  runHangingTransaction,
  runHealthyPipeline,
  runHotPartition,
  runLagOfOne,
  runMixedWriters,
  runReadUncommittedGroup,
  runStuckTransaction,
  runUnstableTransactionalId,
  runZombieFencing,
} from "../../../scripts/scenarios";
import { waitFor } from "../../../scripts/scenarios/support";
import { rowsWhere, useKafka } from "./kafka-under-test";

const TEST_TIMEOUT_MS = 60_000;
/** The whale sends 80 records a tick: a dozen ticks make every ordinary partition non-empty. */
const HOT_SAMPLE_WHALE_RECORDS = 12 * 80;

describe("scenarios on a single 4.4.0 broker", () => {
  const kafka = useKafka({
    version: "4.4.0",
    nodes: 1,
    name: "scenarios-single",
    brokerConfig: { "transaction.partition.verification.enable": "false" },
  });

  const groupRows = (groupId: string) => kafka.table("consumer-groups", ["--describe", "--group", groupId]);
  const producerRows = (topic: string, partition: number) =>
    kafka.table("transactions", ["describe-producers", "--topic", topic, "--partition", String(partition)]);
  const transactionRow = async (transactionalId: string) => {
    const [row] = await kafka.table("transactions", ["describe", "--transactional-id", transactionalId]);
    return row;
  };

  it("1. healthy pipeline: transactions commit, input offsets are committed through them, epoch never bumps", async () => {
    const scenario = await kafka.run(runHealthyPipeline, { tickMs: 200 });
    await waitFor("three committed transactions", () =>
      scenario.progress().transactionsCommitted >= 3 ? true : undefined,
    );

    const transaction = await transactionRow(scenario.info.transactionalId);
    expect(transaction.ProducerEpoch).toBe("0");
    expect(["Ongoing", "PrepareCommit", "CompleteCommit"]).toContain(transaction.TransactionState);

    const groupOffsets = rowsWhere(await groupRows(scenario.info.groupId), "TOPIC", scenario.info.inputTopic);
    const committed = groupOffsets.map((row) => Number(row["CURRENT-OFFSET"])).filter(Number.isFinite);
    expect(committed.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    const hanging = await kafka.table("transactions", ["find-hanging", "--topic", scenario.info.outputTopic]);
    expect(hanging).toEqual([]);
  }, TEST_TIMEOUT_MS);

  it("2. stuck transaction: the open transaction pins the LSO and the read_committed group waits at it", async () => {
    const scenario = await kafka.run(runStuckTransaction, { trailingWriteMs: 200 });
    const { topic, partition, transactionFirstOffset, groupId } = scenario.info;
    await waitFor("the reader to commit up to the open transaction", async () => {
      const [row] = rowsWhere(await groupRows(groupId), "TOPIC", topic);
      return row && Number(row["CURRENT-OFFSET"]) === transactionFirstOffset ? row : undefined;
    });

    const producers = await producerRows(topic, partition);
    expect(rowsWhere(producers, "CurrentTransactionStartOffset", transactionFirstOffset)).toHaveLength(1);
    const transaction = await transactionRow(scenario.info.transactionalId);
    expect(transaction.TransactionState).toBe("Ongoing");
    expect(transaction.TopicPartitions).toContain(`${topic}-${partition}`);

    // Plain writes behind the transaction are invisible to the read_committed reader.
    const [group] = rowsWhere(await groupRows(groupId), "TOPIC", topic);
    expect(Number(group["CURRENT-OFFSET"])).toBe(transactionFirstOffset);
    expect(Number(group["LOG-END-OFFSET"])).toBeGreaterThan(transactionFirstOffset + 3);
    expect(scenario.progress().consumed).toBe(transactionFirstOffset);
  }, TEST_TIMEOUT_MS);

  it("2. stuck transaction, abandoned: the coordinator aborts it at the timeout and the reader moves on", async () => {
    const transactionTimeoutMs = 4000;
    const scenario = await kafka.run(runStuckTransaction, { transactionTimeoutMs, onStop: "abandon", trailingWriteMs: 200 });
    const { topic, partition, transactionFirstOffset, openedAt } = scenario.info;

    await waitFor("the reader to pass the aborted transaction", () =>
      scenario.progress().consumed > transactionFirstOffset ? true : undefined,
    );
    expect(Date.now() - openedAt).toBeGreaterThanOrEqual(transactionTimeoutMs);
    const transaction = await transactionRow(scenario.info.transactionalId);
    expect(["PrepareAbort", "CompleteAbort"]).toContain(transaction.TransactionState);
    expect(Number(transaction.ProducerEpoch)).toBe(1);
    const producers = await producerRows(topic, partition);
    expect(producers.every((row) => row.CurrentTransactionStartOffset === "None")).toBe(true);
  }, TEST_TIMEOUT_MS);

  it("3. hanging transaction: find-hanging reports the partition; stop() aborts it", async () => {
    const scenario = await kafka.run(runHangingTransaction);
    const { topic, partition, producerId, hangingOffset } = scenario.info;

    const hanging = rowsWhere(await kafka.table("transactions", ["find-hanging", "--broker-id", "1"]), "Topic", topic);
    expect(hanging).toHaveLength(1);
    expect(hanging[0]).toMatchObject({
      Partition: String(partition),
      ProducerId: String(producerId),
      StartOffset: String(hangingOffset),
    });
    // The coordinator knows the id but not the partition: that is what makes it hanging.
    const transaction = await transactionRow(scenario.info.transactionalId);
    expect(transaction.TopicPartitions).not.toContain(topic);

    await scenario.stop();
    const afterAbort = await kafka.table("transactions", ["find-hanging", "--topic", topic]);
    expect(afterAbort).toEqual([]);
    expect(rowsWhere(await producerRows(topic, partition), "ProducerId", producerId)[0]).toMatchObject({
      CurrentTransactionStartOffset: "None",
    });
  }, TEST_TIMEOUT_MS);

  it("4. zombie fencing: each new instance fences the last; the zombie's write fails with a fencing error", async () => {
    const rounds = 3;
    const scenario = await kafka.run(runZombieFencing, { rounds, intervalMs: 300 });
    const { fences, transactionalId } = scenario.info;
    expect(fences.length).toBeGreaterThanOrEqual(1);
    await waitFor(`${rounds} fences`, () => (fences.length >= rounds ? true : undefined));

    for (const fence of fences) {
      expect(["INVALID_PRODUCER_EPOCH", "PRODUCER_FENCED"]).toContain(fence.error.type);
    }
    expect(scenario.progress().unexpectedSuccesses).toBe(0);
    // kafkajs takes the pre-TV2 path: the epoch bumps once per new instance and never per commit.
    const transaction = await transactionRow(transactionalId);
    expect(Number(transaction.ProducerEpoch)).toBe(rounds);
  }, TEST_TIMEOUT_MS);

  it("5. unstable transactional.id: one fresh id per restart, none ever fenced", async () => {
    const restarts = 3;
    const scenario = await kafka.run(runUnstableTransactionalId, { restarts });
    const { transactionalIdPrefix, transactionalIds } = scenario.info;

    const listed = (await kafka.table("transactions", ["list"])).filter((row) =>
      row.TransactionalId.startsWith(transactionalIdPrefix),
    );
    expect(listed.map((row) => row.TransactionalId).sort()).toEqual([...transactionalIds].sort());
    expect(listed).toHaveLength(restarts + 1);
    expect(new Set(listed.map((row) => row.ProducerId)).size).toBe(restarts + 1);
    const described = await kafka.table("transactions", ["describe", "--transactional-id", transactionalIds[0]]);
    expect(described[0].ProducerEpoch).toBe("0");
  }, TEST_TIMEOUT_MS);

  it("6. hot partition: the whale's partitions grow at least 10x the median partition", async () => {
    const scenario = await kafka.run(runHotPartition);
    const { topic, hotPartitions, partitions } = scenario.info;
    const endOffsets = async () => {
      const lines = (await kafka.cli("get-offsets", ["--topic", topic])).trim().split("\n");
      const offsets = new Map(lines.map((line) => {
        const [, partition, offset] = line.split(":");
        return [Number(partition), Number(offset)] as const;
      }));
      expect(offsets.size).toBe(partitions);
      return offsets;
    };
    await waitFor("traffic", () => (scenario.progress().whale > 0 ? true : undefined));
    const before = await endOffsets();
    // Measure over a fixed amount of traffic, not a fixed time: on a loaded machine 3 s could hold a tick or two
    // and leave the median partition at 0.
    const whaleBefore = scenario.progress().whale;
    await waitFor("a dozen more ticks of traffic", () => (scenario.progress().whale >= whaleBefore + HOT_SAMPLE_WHALE_RECORDS ? true : undefined), { timeoutMs: 60_000 });
    const after = await endOffsets();

    const deltas = [...after].map(([partition, offset]) => ({ partition, delta: offset - (before.get(partition) ?? 0) }));
    const sorted = deltas.map((d) => d.delta).sort((a, b) => a - b);
    const median = (sorted[partitions / 2 - 1] + sorted[partitions / 2]) / 2;
    expect(median).toBeGreaterThan(0);
    const hot = deltas.filter((d) => d.delta >= 10 * median).map((d) => d.partition).sort((a, b) => a - b);
    expect(hot).toEqual(hotPartitions);
  }, TEST_TIMEOUT_MS);

  it("7. read_uncommitted group: its committed offset runs past the open transaction's LSO", async () => {
    const scenario = await kafka.run(runReadUncommittedGroup, { trailingWriteMs: 0 });
    const { topic, partition, transactionFirstOffset, groupId } = scenario.info;
    const endOffset = transactionFirstOffset + 3;
    const [group] = await waitFor("the reader to commit past the transaction", async () => {
      const rows = rowsWhere(await groupRows(groupId), "TOPIC", topic);
      return rows[0] && Number(rows[0]["CURRENT-OFFSET"]) === endOffset ? rows : undefined;
    });

    expect(group["LOG-END-OFFSET"]).toBe(String(endOffset));
    const producers = await producerRows(topic, partition);
    expect(rowsWhere(producers, "CurrentTransactionStartOffset", transactionFirstOffset)).toHaveLength(1);
    expect(Number(group["CURRENT-OFFSET"])).toBeGreaterThan(transactionFirstOffset);
  }, TEST_TIMEOUT_MS);

  it("8. mixed writes: describe-producers shows a transactional and a plain producer on one partition", async () => {
    const scenario = await kafka.run(runMixedWriters);
    const { topic, partition, transactionalId } = scenario.info;
    const producers = await waitFor("two producers, one with its transaction open", async () => {
      const rows = await producerRows(topic, partition);
      return rows.length === 2 && rows.some((row) => row.CurrentTransactionStartOffset !== "None") ? rows : undefined;
    });

    const transactional = await transactionRow(transactionalId);
    const [open] = rowsWhere(producers, "ProducerId", transactional.ProducerId);
    expect(open.CurrentTransactionStartOffset).not.toBe("None");
    const plain = producers.find((row) => row.ProducerId !== transactional.ProducerId);
    expect(plain?.CurrentTransactionStartOffset).toBe("None");
  }, TEST_TIMEOUT_MS);

  it("10. lag of 1: a caught-up read_committed group shows LAG 1, the trailing commit marker", async () => {
    const scenario = await kafka.run(runLagOfOne);
    const { topic, groupId, highWatermark, recordsWritten } = scenario.info;
    expect(scenario.progress().consumed).toBe(recordsWritten);

    const [group] = rowsWhere(await groupRows(groupId), "TOPIC", topic);
    expect(group).toMatchObject({
      "CURRENT-OFFSET": String(highWatermark - 1),
      "LOG-END-OFFSET": String(highWatermark),
      LAG: "1",
    });
    const producers = await producerRows(topic, 0);
    expect(producers.every((row) => row.CurrentTransactionStartOffset === "None")).toBe(true);
  }, TEST_TIMEOUT_MS);
});
