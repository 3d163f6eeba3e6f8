// The collector's snapshot must equal the broker's own tools on the same, quiescent cluster: every number the
// dashboard shows starts here.
import { connect } from "node:net";
import { describe, expect, it, onTestFinished } from "vitest";
import { ClusterCollector, collectSnapshot } from "@/lib/kafka/collector";
import { offsetFetchVersion } from "@/lib/kafka/collector/groups";
import type { ClusterSnapshot, PartitionState } from "@/lib/snapshot/types";
import {
  describeGroupOffsets,
  describeProducers,
  describeTransaction,
  getOffsets,
  listTransactions,
} from "../../scripts/kafka/cli";
import { KAFKA_VERSIONS } from "../../scripts/kafka/versions";
import { runLagOfOne, runMixedWriters, runStuckTransaction } from "../../scripts/scenarios";
import { useKafka } from "./scenarios/kafka-under-test";

function partitionOf(snapshot: ClusterSnapshot, topic: string, partition: number): PartitionState {
  const found = snapshot.topics.find((t) => t.name === topic)?.partitions.find((p) => p.partition === partition);
  if (!found) throw new Error(`${topic}-${partition} missing from snapshot`);
  return found;
}

/** Until the restarted broker listens again: a registered broker id alone may still be the dead incarnation. */
async function acceptsConnections(port: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: "127.0.0.1", port });
      const done = (accepted: boolean) => {
        socket.destroy();
        resolve(accepted);
      };
      socket.once("connect", () => done(true));
      socket.once("error", () => done(false));
      socket.setTimeout(1000, () => done(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`port ${port} did not accept connections within ${timeoutMs} ms`);
}

describe.each(Object.values(KAFKA_VERSIONS))("collector on Kafka %s", (version) => {
  const kafka = useKafka({ version, name: `collector-${version}` });

  it("matches kafka-transactions, kafka-consumer-groups and kafka-get-offsets", async () => {
    const target = { version, bootstrap: kafka.cluster.bootstrap };
    const stuck = await kafka.run(runStuckTransaction, { trailingWriteMs: 0, transactionTimeoutMs: 60_000 });
    const lagOfOne = await kafka.run(runLagOfOne, {});
    const mixed = await kafka.run(runMixedWriters, {});
    await mixed.stop(); // quiescent from here: the CLIs and the snapshot must see the same offsets

    const collector = new ClusterCollector({ name: "it", brokers: kafka.cluster.brokers, clientId: "it", ssl: false });
    onTestFinished(() => collector.close());
    const snapshot = await collector.collect();
    expect(snapshot.complete).toBe(true);
    expect(snapshot.phases.every((p) => p.errors.length === 0)).toBe(true);

    // Transactions: ids, producer ids, states, coordinators; the open one in full.
    const listed = await listTransactions(target);
    expect(snapshot.transactions.map((t) => [t.transactionalId, t.producerId, t.state, t.coordinatorId]).sort()).toEqual(
      listed.map((t) => [t.transactionalId, t.producerId, t.state, t.coordinatorId]).sort(),
    );
    const described = await describeTransaction(target, stuck.info.transactionalId);
    const open = snapshot.transactions.find((t) => t.transactionalId === stuck.info.transactionalId)!;
    expect(open.state).toBe("Ongoing");
    expect(open).toMatchObject({
      producerEpoch: described.producerEpoch,
      transactionTimeoutMs: described.timeoutMs,
      transactionStartTimeMs: described.currentTransactionStartTimeMs,
    });
    expect(open.partitions).toEqual(described.topicPartitions);

    // Producers of the pinned partition, and the LSO at the open transaction's first offset.
    const pinned = partitionOf(snapshot, stuck.info.topic, stuck.info.partition);
    const cliProducers = await describeProducers(target, stuck.info.topic, stuck.info.partition);
    expect(
      pinned.producers!.map((p) => [p.producerId, p.producerEpoch, p.lastSequence, p.lastTimestamp, p.currentTxnStartOffset]),
    ).toEqual(
      cliProducers
        .map((p) => [p.producerId, p.producerEpoch, p.lastSequence, p.lastTimestamp, p.currentTransactionStartOffset ?? -1])
        .sort((a, b) => a[0] - b[0]),
    );
    expect(pinned.lastStableOffset).toBe(stuck.info.transactionFirstOffset);
    expect(pinned.lastStableOffset).toBeLessThan(pinned.highWatermark!);

    // Log start and HW of every partition of every scenario topic, against kafka-get-offsets.
    for (const topic of [stuck.info.topic, lagOfOne.info.topic, mixed.info.topic]) {
      const [latest, earliest, committedView] = await Promise.all([
        getOffsets(target, topic, { time: -1 }),
        getOffsets(target, topic, { time: -2 }),
        getOffsets(target, topic, { time: -1, isolation: "read_committed" }),
      ]);
      const mine = snapshot.topics.find((t) => t.name === topic)!.partitions;
      expect(mine.map((p) => p.highWatermark)).toEqual(latest.map((o) => o.offset));
      expect(mine.map((p) => p.logStartOffset)).toEqual(earliest.map((o) => o.offset));
      expect(mine.map((p) => p.lastStableOffset)).toEqual(committedView.map((o) => o.offset));
      for (const p of mine) {
        // Quiescent: the offsets read around the coordinators' view are the offsets, on every partition a listed id wrote.
        if (p.producers?.some((x) => snapshot.transactions.some((t) => t.producerId === x.producerId))) {
          expect(p.transactionBracket).toEqual({ lastStableOffset: p.lastStableOffset, highWatermark: p.highWatermark, highWatermarkAfter: p.highWatermark });
        } else {
          expect(p.transactionBracket).toBeUndefined();
        }
        const openStarts = (p.producers ?? []).map((x) => x.currentTxnStartOffset).filter((o) => o >= 0);
        // LSO = HW without open transactions, else the first offset of the earliest open one.
        expect(p.lastStableOffset).toBe(openStarts.length ? Math.min(...openStarts) : p.highWatermark);
      }
    }

    // Committed offsets and log end, against kafka-consumer-groups --describe.
    const group = snapshot.groups.find((g) => g.groupId === lagOfOne.info.groupId)!;
    // Read with topic ids (v10, resolved to names through Metadata) where the coordinator offers them: 4.x.
    expect(await offsetFetchVersion(collector.protocol, group.coordinatorId!)).toBe(version.startsWith("3.") ? 9 : 10);
    const cliGroup = await describeGroupOffsets(target, lagOfOne.info.groupId);
    expect(group.offsets.map((o) => [o.topic, o.partition, o.offset])).toEqual(
      cliGroup.filter((r) => r.currentOffset !== null).map((r) => [r.topic, r.partition, r.currentOffset]),
    );
    for (const row of cliGroup) {
      expect(partitionOf(snapshot, row.topic, row.partition).highWatermark).toBe(row.logEndOffset);
    }
    // The CLI's "lag of 1" is a commit marker: the collector read the gap and says so.
    const behindByMarker = group.offsets.find((o) => o.partition === lagOfOne.info.partition)!;
    expect(cliGroup.find((r) => r.partition === lagOfOne.info.partition)?.lag).toBe(1);
    expect(behindByMarker.gapIsControlOnly).toBe(true);
  });

  // SIGSTOP: the kernel still accepts connections, nothing answers. A poll costs one request timeout of ours, for a
  // connected collector (it used to wait out kafkajs's broker list refresh first, doubling the poll) and a new one.
  it.runIf(version === KAFKA_VERSIONS.latest)("ends a poll of a frozen single-node cluster as failed within one request timeout", async () => {
    const timeouts = { connectionTimeoutMs: 1000, requestTimeoutMs: 3000 };
    const config = { name: "frozen", brokers: kafka.cluster.brokers, clientId: "it-frozen", ssl: false };
    const connected = new ClusterCollector(config, { timeouts });
    onTestFinished(() => connected.close());
    expect((await connected.collect()).complete).toBe(true);
    const [{ nodeId }] = kafka.cluster.nodes;
    await kafka.cluster.hang(nodeId);
    try {
      const polls = [await connected.collect(), await connected.collect(), await collectSnapshot(config, { timeouts })];
      console.info(`frozen broker: polls took ${polls.map((p) => p.durationMs).join(", ")} ms (request timeout ${timeouts.requestTimeoutMs} ms)`);
      // Which requests a slow poll waited on (a CI run once saw 6,367 ms: two timeouts and a retry's backoff).
      for (const poll of polls) console.info(poll.phases.map((p) => `${p.name} ${p.durationMs} ms, ${p.requests} req, ${p.errors.map((e) => e.message).join("; ")}`).join(" | "));
      for (const poll of polls) {
        expect(poll.complete).toBe(false);
        expect(poll.brokers).toEqual([]);
        expect(poll.phases.map((p) => [p.name, p.errors.length > 0])).toEqual([["metadata", true]]);
        // It waited for the broker, once: a second timeout in the poll's path would take it to twice the timeout.
        expect(poll.durationMs).toBeGreaterThanOrEqual(timeouts.requestTimeoutMs);
        expect(poll.durationMs).toBeLessThan(2 * timeouts.requestTimeoutMs);
      }
      // The connected collector's Metadata request timed out (no broker answered, so none is named).
      for (const poll of polls.slice(0, 2)) expect(poll.phases[0].errors.map((e) => [e.brokerId, e.code])).toEqual([[null, "TIMEOUT"]]);
    } finally {
      await kafka.cluster.resume(nodeId);
    }
  });
});

describe("collector with a broker down (3 nodes, Kafka 4.4.0)", () => {
  const kafka = useKafka({ version: KAFKA_VERSIONS.latest, nodes: 3, name: "collector-failure" });

  it("records a poll as partial while a broker is dead and complete once it is back", async () => {
    const cluster = { name: "it", brokers: kafka.cluster.brokers, clientId: "it", ssl: false };
    const healthy = await collectSnapshot(cluster);
    expect(healthy.complete).toBe(true);
    expect(healthy.brokers).toHaveLength(3);

    const victim = kafka.cluster.nodes[1].nodeId;
    await kafka.cluster.crash(victim);
    const partial = await collectSnapshot(cluster);
    expect(partial.complete).toBe(false);
    const failed = partial.phases.filter((p) => p.errors.length > 0);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.flatMap((p) => p.errors).some((e) => e.brokerId === victim)).toBe(true);

    await kafka.cluster.restart(victim);
    await acceptsConnections(kafka.cluster.nodes[1].port);
    await kafka.cluster.waitReady();
    const recovered = await collectSnapshot(cluster);
    expect(recovered.phases.filter((p) => p.errors.length > 0)).toEqual([]);
    expect(recovered.complete).toBe(true);
    expect(recovered.brokers.map((b) => b.nodeId)).toContain(victim);
  });
});
