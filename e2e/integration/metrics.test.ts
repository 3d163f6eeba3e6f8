// /api/metrics on a real broker: an open transaction and a read_committed group waiting at its LSO, polled by the
// real collector and detectors into a real store. The exposition must carry what the dashboard's loaders show for
// that poll, and the broker's own tools must agree on the offsets.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDetectors, type DetectorState } from "@/lib/analysis";
import type { ClusterCollector } from "@/lib/kafka/collector";
import { closeDatabase, useDatabase } from "@/lib/store/db";
import { recordPoll } from "@/lib/store/polls";
import { openTestDatabase, type TestDatabase } from "@/lib/store/test-database";
import { parsePrometheusText, sampleValue } from "@/lib/ui/testing/prometheus-text";
import { loadGroup, loadGroups, loadMetrics, loadTopic, loadTransactions } from "@/lib/ui/server/loaders";
import { describeGroupOffsets, describeTransaction, getOffsets } from "../../scripts/kafka/cli";
import { runStuckTransaction } from "../../scripts/scenarios";
import { waitFor } from "../../scripts/scenarios/support";
import { openCollector } from "./detection/detection-session";
import { useKafka } from "./scenarios/kafka-under-test";

const CLUSTER = "metrics";

describe.each(["4.4.0", "3.9.2"] as const)("/api/metrics on a real %s broker", (version) => {
  const kafka = useKafka({ version, nodes: 1, name: `metrics-${version}` });
  let database: TestDatabase;
  let collector: ClusterCollector;
  let state: DetectorState | null = null;

  beforeAll(async () => {
    database = await openTestDatabase();
    await useDatabase(database.url);
    collector = openCollector(kafka.cluster.brokers, CLUSTER);
  });
  afterAll(async () => {
    await collector?.close();
    await closeDatabase();
    await database?.dispose();
  });

  /** One poll as the poller makes it: collect, detect, store. */
  async function poll() {
    const snapshot = await collector.collect();
    const result = runDetectors({ snapshot, previous: state, now: snapshot.collectedAt + snapshot.durationMs });
    state = result.state;
    await recordPoll(snapshot, result.findings, { brokers: kafka.cluster.brokers, analysisState: state });
    return snapshot;
  }

  it("has the loaders' numbers for an open transaction and the read_committed group it holds, and the CLIs agree", async () => {
    const scenario = await kafka.run(runStuckTransaction, { trailingWriteMs: 0, recordsBefore: 5, recordsInTransaction: 3 });
    const { topic, partition, groupId, transactionalId, transactionFirstOffset } = scenario.info;
    // Polls until one complete poll sees the group committed up to the LSO (it consumes and auto-commits first): a
    // condition, where a fixed number of tries ran on with whatever the last poll saw.
    const snapshot = await waitFor(
      "a complete poll with the group committed up to the LSO",
      async () => {
        const polled = await poll();
        const committed = polled.groups.find((g) => g.groupId === groupId)?.offsets.find((o) => o.topic === topic)?.offset;
        return polled.complete && committed === transactionFirstOffset ? polled : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );

    const samples = parsePrometheusText((await loadMetrics()).body);
    const at = (name: string, labels: Record<string, string>) => sampleValue(samples, name, { cluster_name: CLUSTER, ...labels });
    const p = { topic, partition: String(partition) };

    // Partition figures = the topic page's.
    const topicDto = await loadTopic(CLUSTER, topic, undefined);
    const row = topicDto.partitions.find((r) => r.partition === partition)!;
    expect(topicDto.collectedAt).toBe(snapshot.collectedAt);
    expect(at("eos_auditor_partition_last_stable_offset", p)).toBe(row.lastStableOffset);
    expect(at("eos_auditor_partition_high_watermark", p)).toBe(row.highWatermark);
    expect(at("eos_auditor_partition_txn_held_offsets", p)).toBe(row.txnBlocked);
    expect(at("eos_auditor_partition_open_transactions", p)).toBe(1);

    // The broker's tools: HW from get-offsets, LSO from get-offsets capped by describe-producers' open transaction.
    const target = { version: kafka.cluster.version, bootstrap: kafka.cluster.bootstrap };
    const [hw] = await getOffsets(target, topic, { time: -1 });
    const [lso] = await getOffsets(target, topic, { time: -1, isolation: "read_committed" });
    expect(at("eos_auditor_partition_high_watermark", p)).toBe(hw.offset);
    expect(at("eos_auditor_partition_last_stable_offset", p)).toBe(lso.offset);
    expect(lso.offset).toBe(transactionFirstOffset);
    expect(hw.offset - lso.offset).toBe(3);

    // Group lag = the group pages', against the LSO: the group waits at the LSO, so lag 0 and 3 held.
    const groupDto = await loadGroup(CLUSTER, groupId, undefined);
    const groupRow = (await loadGroups(CLUSTER, undefined)).rows.find((r) => r.groupId === groupId)!;
    const lagRow = groupDto.partitions.find((r) => r.topic === topic && r.partition === partition)!;
    const group = { group: groupId };
    expect(at("kafka_consumergroup_group_lag", { ...group, ...p })).toBe(lagRow.consumableLag);
    expect(at("kafka_consumergroup_group_sum_lag", group)).toBe(groupRow.consumableLag);
    expect(at("kafka_consumergroup_group_max_lag", group)).toBe(lagRow.consumableLag);
    expect(at("kafka_consumergroup_group_topic_sum_lag", { ...group, topic })).toBe(lagRow.consumableLag);
    expect(at("eos_auditor_consumergroup_txn_held_lag", group)).toBe(groupRow.txnBlockedLag);
    expect(at("kafka_consumergroup_group_lag", { ...group, ...p })).toBe(0);
    expect(at("eos_auditor_consumergroup_txn_held_lag", group)).toBe(3);
    // kafka-consumer-groups measures to the log end (HW): its lag is ours plus what the transaction holds back.
    const cliGroup = (await describeGroupOffsets(target, groupId)).find((r) => r.topic === topic && r.partition === partition)!;
    expect(cliGroup.currentOffset).toBe(lagRow.committed);
    expect(cliGroup.lag).toBe(at("kafka_consumergroup_group_lag", { ...group, ...p })! + at("eos_auditor_partition_txn_held_offsets", p)!);

    // The open transaction: the transactions page's age, the coordinator's start time.
    const txn = (await loadTransactions(CLUSTER, undefined)).rows.find((r) => r.transactionalId === transactionalId)!;
    expect(at("eos_auditor_partition_oldest_open_transaction_age_seconds", p)).toBe(txn.openForMs! / 1000);
    const described = await describeTransaction(target, transactionalId);
    expect(described.currentTransactionStartTimeMs).toBe(txn.transactionStartTimeMs);
    expect(at("eos_auditor_open_transactions", { state: "Ongoing" })).toBeGreaterThanOrEqual(1);
    expect(at("eos_auditor_last_poll_status", { status: "complete" })).toBe(1);
    expect(at("eos_auditor_last_complete_poll_timestamp_seconds", {})).toBe(snapshot.collectedAt / 1000);
    expect(at("eos_auditor_data_stale", {})).toBe(0);
  });
});
