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

/** The coordinator's view of producer 7's open transaction on orders-0. */
const openTxn = (transactionStartTimeMs: number, transactionTimeoutMs: number) =>
  buildTransaction({
    transactionalId: "orders-tx",
    producerId: 7,
    producerEpoch: 2,
    state: "Ongoing",
    transactionStartTimeMs,
    transactionTimeoutMs,
    partitions: [{ topic: "orders", partition: 0 }],
  });

const extras: Partial<ClusterSnapshot> = {
  transactions: [openTxn(T0, 600_000)],
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
    // Its coordinator still lists it (not hanging) but failed to abort it in time.
    const [f] = run([poll(T0, 120, 100), poll(T0 + 16 * 60_000, 900, 100, extras)]);
    expect(f.severity).toBe("critical");
    // The culprit is named by its coordinator: describe it first; the abort is for when the coordinator lets go.
    expect(f.commands.map((c) => c.args)).toEqual([
      ["describe", "--transactional-id=orders-tx"],
      ["abort", "--topic=orders", "--partition", "0", "--start-offset", "100"],
    ]);
  });

  it("stays quiet while the LSO keeps moving, below lsoStuckMs, or with nothing open", () => {
    expect(run([poll(T0, 120, 100), poll(T0 + 150_000, 900, 850)])).toEqual([]);
    expect(run([poll(T0, 120, 100), poll(T0 + 100_000, 900, 100)])).toEqual([]);
    expect(run([poll(T0, 500, 500), poll(T0 + 150_000, 500, 500)])).toEqual([]);
  });

  it("fires on an open transaction older than lsoStuckMs even when the HW does not move", () => {
    const [f, ...rest] = run([poll(T0, 120, 100), poll(T0 + 150_000, 120, 100)]);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ kind: "stuck-lso", evidence: { pinnedForMs: 150_000, hwAdvancedBy: 0, recordsHeldBack: 20 } });
  });

  it("times the pin from the culprit transaction's start: a SIGKILLed producer, no other writer, seen on the audit's first poll", () => {
    const [f] = run([poll(T0, 57, 50, { transactions: [openTxn(T0 - 125_000, 900_000)] })]);
    expect(f).toMatchObject({ kind: "stuck-lso", severity: "warning", evidence: { pinnedSince: T0 - 125_000, pinnedForMs: 125_000 } });
  });

  it("never counts idle time before the transaction: a 16 s transaction on a partition idle for minutes is not stuck", () => {
    const idle = [0, 60_000, 120_000, 180_000].map((dt) => poll(T0 + dt, 500, 500));
    const open = (dt: number, startedAgo: number | null) =>
      poll(T0 + dt, 510, 500, { transactions: startedAgo === null ? [] : [openTxn(T0 + dt - startedAgo, 60_000)] });
    expect(run([...idle, open(195_000, 16_000)])).toEqual([]);
    // Without the coordinator's view the first poll that saw it open is the start, not the last LSO move.
    expect(run([...idle, open(195_000, null)])).toEqual([]);
    expect(run([...idle, open(195_000, null), open(300_000, null)])).toEqual([]);
    expect(run([...idle, open(195_000, null), open(316_000, null)])).toHaveLength(1);
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

  it("leaves a transaction its coordinator does not know (a hanging candidate) to the hanging-transaction detector", () => {
    const old = T0 - 16 * 60_000;
    const hangingPoll = (t: number) =>
      buildSnapshot({
        collectedAt: t,
        topics: [
          buildTopic("orders", [
            buildPartition(0, {
              highWatermark: 57,
              lastStableOffset: 50,
              producers: [buildProducer({ producerId: 7, producerEpoch: 2, currentTxnStartOffset: 50, lastTimestamp: old })],
            }),
          ]),
        ],
      });
    expect(run([hangingPoll(T0 - 150_000), hangingPoll(T0)])).toEqual([]);
  });
});

