import { describe, expect, it } from "vitest";
import type { ClusterSnapshot } from "../../snapshot/types";
import { foldPartitions, type PartitionHistory } from "../partition-history";
import { resolveSettings } from "../settings";
import { buildIndex } from "../snapshot-index";
import {
  T0,
  buildGroup,
  buildPartition,
  buildProducer,
  buildSnapshot,
  buildTopic,
  buildTransaction,
} from "../testing/snapshot-builder";
import { detectStuckLso } from "./stuck-lso";

const settings = resolveSettings();

function poll(t: number, hw: number, lso: number, extra: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
  return buildSnapshot({
    collectedAt: t,
    topics: [
      buildTopic("orders", [
        buildPartition(0, {
          highWatermark: hw,
          lastStableOffset: lso,
          producers: [buildProducer({ producerId: 7, producerEpoch: 2, currentTxnStartOffset: lso < hw ? lso : -1 })],
        }),
      ]),
    ],
    ...extra,
  });
}

function run(polls: ClusterSnapshot[]) {
  let history: Record<string, PartitionHistory> | undefined;
  for (const p of polls) history = foldPartitions(history, p, settings);
  const last = polls[polls.length - 1];
  return detectStuckLso(buildIndex(last, last.collectedAt, settings), history!);
}

const extras: Partial<ClusterSnapshot> = {
  transactions: [
    buildTransaction({
      transactionalId: "orders-tx",
      producerId: 7,
      producerEpoch: 2,
      state: "Ongoing",
      transactionStartTimeMs: T0,
      transactionTimeoutMs: 600_000,
      partitions: [{ topic: "orders", partition: 0 }],
    }),
  ],
  groups: [buildGroup("billing", [["orders", 0, 100]]), buildGroup("audit", [["orders", 0, 40]])],
};

describe("detectStuckLso", () => {
  it("reports an LSO unmoved for lsoStuckMs while the HW advanced, with culprit and blocked groups", () => {
    const findings = run([poll(T0, 120, 100), poll(T0 + 60_000, 300, 100), poll(T0 + 150_000, 900, 100, extras)]);
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f.kind).toBe("stuck-lso");
    expect(f.severity).toBe("warning");
    expect(f.subject).toEqual({ topic: "orders", partition: 0, transactionalId: "orders-tx" });
    expect(f.evidence).toMatchObject({
      lastStableOffset: 100,
      highWatermark: 900,
      recordsHeldBack: 800,
      hwAdvancedBy: 780,
      pinnedSince: T0,
      pinnedForMs: 150_000,
      culpritProducerIds: [7],
      culpritTransactionalId: "orders-tx",
      groupsWithOffsets: ["billing", "audit"],
      groupsWaitingAtLso: ["billing"],
    });
  });

  it("is critical once pinned longer than transaction.max.timeout.ms", () => {
    const [f] = run([poll(T0, 120, 100), poll(T0 + 16 * 60_000, 900, 100)]);
    expect(f.severity).toBe("critical");
    expect(f.commands.map((c) => c.args)).toEqual([
      ["find-hanging", "--topic=orders", "--partition", "0"],
      ["abort", "--topic=orders", "--partition", "0", "--start-offset", "100"],
    ]);
  });

  it("stays quiet while the LSO keeps moving, or below lsoStuckMs, or when the HW did not advance", () => {
    expect(run([poll(T0, 120, 100), poll(T0 + 150_000, 900, 850)])).toEqual([]);
    expect(run([poll(T0, 120, 100), poll(T0 + 100_000, 900, 100)])).toEqual([]);
    expect(run([poll(T0, 120, 100), poll(T0 + 150_000, 120, 100)])).toEqual([]);
    expect(run([poll(T0, 500, 500), poll(T0 + 150_000, 500, 500)])).toEqual([]);
  });

  it("reports an Ongoing transaction older than its own timeout", () => {
    const s = buildSnapshot({
      transactions: [
        buildTransaction({
          transactionalId: "slow",
          producerId: 3,
          state: "Ongoing",
          transactionStartTimeMs: T0 - 200_000,
          transactionTimeoutMs: 60_000,
          partitions: [{ topic: "orders", partition: 0 }],
        }),
        buildTransaction({ transactionalId: "fine", producerId: 4, state: "Ongoing", transactionStartTimeMs: T0 - 50_000 }),
      ],
      topics: [buildTopic("orders", [buildPartition(0, { highWatermark: 50, lastStableOffset: 10 })])],
    });
    const findings = detectStuckLso(buildIndex(s, T0, settings), foldPartitions(undefined, s, settings));
    expect(findings.map((f) => [f.kind, f.subject.transactionalId])).toEqual([["long-transaction", "slow"]]);
    expect(findings[0].evidence).toMatchObject({ openForMs: 200_000, recordsHeldBack: 40, partitions: ["orders-0"] });
  });
});
