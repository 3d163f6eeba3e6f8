import { describe, expect, it } from "vitest";
import type { ClusterSnapshot } from "../../snapshot/types";
import { foldPartitions } from "../partition-history";
import { resolveSettings } from "../settings";
import { buildIndex } from "../snapshot-index";
import {
  T0,
  buildPartition,
  buildProducer,
  buildSnapshot,
  buildTopic,
  buildUniformTopic,
} from "../testing/snapshot-builder";
import { detectConfigRisks } from "./config-risks";

const settings = resolveSettings();

function detect(snapshot: ClusterSnapshot, remembered: string[] = []) {
  return detectConfigRisks(buildIndex(snapshot, snapshot.collectedAt, settings), foldPartitions(undefined, snapshot, settings), remembered);
}
const summary = (s: ClusterSnapshot, remembered: string[] = []) =>
  detect(s, remembered).map((f) => `${f.kind}|${f.severity}|${f.subject.topic ?? f.subject.detail}`);

describe("detectConfigRisks", () => {
  it("finds nothing on a healthy cluster", () => {
    expect(detect(buildSnapshot({ topics: [buildUniformTopic("orders", 3)] }))).toEqual([]);
  });

  it("flags min ISR 1, min ISR ≥ RF, low RF and unclean election, stronger on transactional topics", () => {
    const s = buildSnapshot({
      topics: [
        buildUniformTopic("plain", 1, () => ({}), { "min.insync.replicas": "1" }),
        buildUniformTopic("tx-out", 1, () => ({ replicas: [1, 2], isr: [1, 2] }), { "min.insync.replicas": "1" }),
        buildUniformTopic("strict", 1, () => ({}), { "min.insync.replicas": "3" }),
        buildUniformTopic("impossible", 1, () => ({}), { "min.insync.replicas": "4" }),
        buildUniformTopic("unclean", 1, () => ({}), { "unclean.leader.election.enable": "true" }),
      ],
    });
    expect(summary(s, ["tx-out"])).toEqual([
      "config-min-isr-one|info|plain",
      "config-min-isr-one|warning|tx-out",
      "config-low-replication|warning|tx-out",
      "config-min-isr-unsafe|warning|strict",
      "config-min-isr-unsafe|critical|impossible",
      "config-unclean-election|warning|unclean",
    ]);
  });

  it("learns transactional topics from open transactions in the snapshot", () => {
    const s = buildSnapshot({
      topics: [
        buildUniformTopic("out", 1, () => ({
          replicas: [1],
          isr: [1],
          producers: [buildProducer({ producerId: 1, currentTxnStartOffset: 5 })],
        })),
      ],
    });
    expect(summary(s)).toEqual(["config-low-replication|warning|out"]);
  });

  it("flags retention.bytes below segment.bytes but not -1", () => {
    const s = buildSnapshot({
      topics: [
        buildUniformTopic("small", 1, () => ({}), { "retention.bytes": "1000000", "segment.bytes": "1073741824" }),
        buildUniformTopic("unlimited", 1),
      ],
    });
    const [f] = detect(s);
    expect(f.kind).toBe("config-retention-below-segment");
    expect(f.evidence).toMatchObject({ retentionBytes: 1_000_000, segmentBytes: 1_073_741_824 });
    expect(f.commands.map((c) => [c.program, ...c.args])).toEqual([
      ["kafka-configs.sh", "--alter", "--entity-type", "topics", "--entity-name=small", "--add-config", "segment.bytes=1048576"],
    ]);
  });

  it("flags broker transaction settings once per key, naming the brokers", () => {
    const s = buildSnapshot();
    s.brokerConfigs[0].configs["transaction.state.log.replication.factor"] = "1";
    s.brokerConfigs[1].configs["transaction.state.log.replication.factor"] = "1";
    s.brokerConfigs[2].configs["transaction.state.log.min.isr"] = "1";
    s.brokerConfigs[2].configs["transaction.max.timeout.ms"] = "3600000";
    s.brokerConfigs[0].configs["transaction.partition.verification.enable"] = "false";
    const findings = detect(s);
    expect(findings.map((f) => [f.kind, f.subject.detail, f.evidence.brokerIds])).toEqual([
      ["config-transaction-log", "transaction.state.log.replication.factor", [1, 2]],
      ["config-transaction-log", "transaction.state.log.min.isr", [3]],
      ["config-max-timeout-high", "transaction.max.timeout.ms", [3]],
      ["config-verification-disabled", "transaction.partition.verification.enable", [1]],
    ]);
    expect(findings[2].title).toContain("60 min");
  });

  it("downgrades low replication on a cluster with fewer than 3 brokers to info", () => {
    const s = buildSnapshot({
      brokers: [{ nodeId: 1, host: "h", port: 1, rack: null }],
      topics: [buildUniformTopic("out", 1, () => ({ replicas: [1], isr: [1] }), { "min.insync.replicas": "1" })],
    });
    expect(summary(s, ["out"])).toEqual(["config-low-replication|info|out"]);
  });

  it("downgrades transaction log replication on a cluster with fewer than 3 brokers to info", () => {
    const s = buildSnapshot({ brokers: [{ nodeId: 1, host: "h", port: 1, rack: null }] });
    s.brokerConfigs = [{ nodeId: 1, configs: { "transaction.state.log.replication.factor": "1", "transaction.state.log.min.isr": "1" } }];
    expect(detect(s).map((f) => f.severity)).toEqual(["info", "info"]);
  });

  it("flags offline and under-replicated partitions of the internal topics", () => {
    const s = buildSnapshot({
      topics: [
        buildTopic("__transaction_state", [
          buildPartition(0),
          buildPartition(1, { leader: -1, isr: [] }),
          buildPartition(2, { isr: [1, 2] }),
        ]),
        buildTopic("__consumer_offsets", [buildPartition(0, { isr: [1] }), buildPartition(1)]),
        buildTopic("other", [buildPartition(0, { isr: [1] })]),
      ],
    });
    const findings = detect(s).filter((f) => f.kind === "internal-topic-unhealthy");
    expect(findings.map((f) => [f.subject.topic, f.severity, f.evidence.offlinePartitions, f.evidence.underReplicatedPartitions])).toEqual([
      ["__transaction_state", "critical", [1], [2]],
      ["__consumer_offsets", "warning", [], [0]],
    ]);
  });

  it("flags a compacted partition whose LSO is pinned", () => {
    const at = (t: number, hw: number) =>
      buildSnapshot({
        collectedAt: t,
        topics: [
          buildTopic("changelog", [buildPartition(0, { highWatermark: hw, lastStableOffset: 10 })], { "cleanup.policy": "compact" }),
          buildTopic("events", [buildPartition(0, { highWatermark: hw, lastStableOffset: 10 })]),
        ],
      });
    const first = at(T0, 20);
    const last = at(T0 + 10 * 60_000, 90);
    const history = foldPartitions(foldPartitions(undefined, first, settings), last, settings);
    const findings = detectConfigRisks(buildIndex(last, last.collectedAt, settings), history, []);
    expect(findings.map((f) => [f.kind, f.subject.topic, f.evidence.lastStableOffset])).toEqual([["compacted-lso-pinned", "changelog", 10]]);
  });
});
