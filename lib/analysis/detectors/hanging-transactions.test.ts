import { describe, expect, it } from "vitest";
import { buildIndex } from "../snapshot-index";
import { resolveSettings } from "../settings";
import {
  T0,
  buildPartition,
  buildProducer,
  buildSnapshot,
  buildTopic,
  buildTransaction,
} from "../testing/snapshot-builder";
import { detectHangingTransactions, foldHangingCandidates } from "./hanging-transactions";
import type { ClusterSnapshot } from "../../snapshot/types";

const NOW = T0;
const OLD = NOW - 16 * 60_000; // older than the default 15 min max timeout

function snapshotWithOpenTxn(lastTimestamp: number, extra: Partial<ClusterSnapshot> = {}) {
  return buildSnapshot({
    topics: [
      buildTopic("orders", [
        buildPartition(0, {
          highWatermark: 500,
          lastStableOffset: 120,
          producers: [
            buildProducer({ producerId: 7, producerEpoch: 3, currentTxnStartOffset: 120, lastTimestamp }),
            buildProducer({ producerId: 8, currentTxnStartOffset: -1, lastTimestamp: OLD }),
          ],
        }),
      ]),
    ],
    ...extra,
  });
}

const STEP = 15_000;

/** The snapshot seen on two consecutive polls (the second one is `s`), as a confirmed hanging transaction needs. */
function detect(s: ClusterSnapshot, overrides = {}) {
  const settings = resolveSettings(overrides);
  const before = buildIndex({ ...s, collectedAt: s.collectedAt - STEP }, NOW - STEP, settings);
  const index = buildIndex(s, NOW, settings);
  return detectHangingTransactions(index, foldHangingCandidates(foldHangingCandidates(undefined, before), index));
}

describe("detectHangingTransactions", () => {
  it("flags an old open transaction whose producer has no transactional id, with the exact abort command", () => {
    const [finding, ...rest] = detect(snapshotWithOpenTxn(OLD));
    expect(rest).toHaveLength(0);
    expect(finding.kind).toBe("hanging-transaction");
    expect(finding.severity).toBe("critical");
    expect(finding.subject).toEqual({ topic: "orders", partition: 0, transactionalId: undefined });
    expect(finding.evidence).toMatchObject({
      producerId: 7,
      startOffset: 120,
      openForMs: 16 * 60_000,
      reason: "no-transactional-id",
      recordsHeldBack: 380,
    });
    expect(finding.commands.map((c) => [c.program, ...c.args])).toEqual([
      ["kafka-transactions.sh", "describe-producers", "--topic=orders", "--partition", "0"],
      ["kafka-transactions.sh", "abort", "--topic=orders", "--partition", "0", "--start-offset", "120"],
    ]);
    expect(finding.remediation).not.toMatch(/kafka-\w+\.sh/);
  });

  it("flags it when the coordinator's transaction does not include the partition", () => {
    const s = snapshotWithOpenTxn(OLD, {
      transactions: [
        buildTransaction({
          transactionalId: "tx-a",
          producerId: 7,
          state: "Ongoing",
          partitions: [{ topic: "orders", partition: 1 }],
        }),
      ],
    });
    const [finding] = detect(s);
    expect(finding.evidence.reason).toBe("partition-not-in-transaction");
    expect(finding.subject.transactionalId).toBe("tx-a");
  });

  it("treats a Dead transactional id as unknown", () => {
    const s = snapshotWithOpenTxn(OLD, {
      transactions: [
        buildTransaction({ transactionalId: "tx-a", producerId: 7, state: "Dead", partitions: [{ topic: "orders", partition: 0 }] }),
      ],
    });
    expect(detect(s)[0].evidence.reason).toBe("no-transactional-id");
  });

  it("does not flag a transaction the coordinator knows includes the partition", () => {
    const s = snapshotWithOpenTxn(OLD, {
      transactions: [
        buildTransaction({ transactionalId: "tx-a", producerId: 7, state: "Ongoing", partitions: [{ topic: "orders", partition: 0 }] }),
      ],
    });
    expect(detect(s)).toEqual([]);
  });

  it("does not flag a transaction younger than the max timeout", () => {
    expect(detect(snapshotWithOpenTxn(NOW - 14 * 60_000))).toEqual([]);
  });

  it("uses the broker's transaction.max.timeout.ms, and a settings override above it", () => {
    const s = snapshotWithOpenTxn(NOW - 6 * 60_000);
    for (const b of s.brokerConfigs) b.configs["transaction.max.timeout.ms"] = "300000";
    expect(detect(s)).toHaveLength(1);
    expect(detect(s, { maxTransactionTimeoutMs: 600_000 })).toEqual([]);
  });

  it("includes internal topics", () => {
    const s = buildSnapshot({
      topics: [
        buildTopic("__consumer_offsets", [
          buildPartition(4, { producers: [buildProducer({ producerId: 9, currentTxnStartOffset: 33, lastTimestamp: OLD })] }),
        ]),
      ],
    });
    expect(detect(s).map((f) => f.subject)).toEqual([{ topic: "__consumer_offsets", partition: 4, transactionalId: undefined }]);
  });

  it("reports nothing when ListTransactions failed: every candidate would look owner-less, a second finding beside the open one", () => {
    const s = snapshotWithOpenTxn(OLD, {
      phases: [
        { name: "transactions", startedAt: NOW, durationMs: 1, requests: 1, bytesSent: 0, bytesReceived: 0, errors: [{ brokerId: 1, code: "TIMEOUT", message: "t" }], unsupported: false },
      ],
    });
    expect(detect(s)).toEqual([]);
    expect(detect(snapshotWithOpenTxn(OLD))[0].severity).toBe("critical");
  });

  it("needs the same (producer id, start offset) open on two consecutive polls: a race between reads is never reported", () => {
    const settings = resolveSettings();
    // Poll 1: the producer read shows an open transaction with old event-time timestamps (Streams catching up);
    // it completed before the coordinator was read, which shows CompleteCommit without partitions.
    const raced = snapshotWithOpenTxn(OLD, {
      collectedAt: NOW - STEP,
      transactions: [buildTransaction({ transactionalId: "streams-1", producerId: 7, producerEpoch: 3, state: "CompleteCommit", transactionStartTimeMs: NOW - STEP - 100 })],
    });
    const first = buildIndex(raced, NOW - STEP, settings);
    const afterFirst = foldHangingCandidates(undefined, first);
    expect(Object.keys(afterFirst)).toEqual(["orders:0:7:120"]);
    expect(detectHangingTransactions(first, afterFirst)).toEqual([]);
    // Poll 2: the next transaction is open at a later offset and the coordinator lists it: nothing to confirm.
    const next = buildSnapshot({
      collectedAt: NOW,
      topics: [buildTopic("orders", [buildPartition(0, { highWatermark: 520, lastStableOffset: 505, producers: [buildProducer({ producerId: 7, producerEpoch: 4, currentTxnStartOffset: 505, lastTimestamp: OLD })] })])],
      transactions: [buildTransaction({ transactionalId: "streams-1", producerId: 7, producerEpoch: 4, state: "Ongoing", transactionStartTimeMs: NOW - 50, partitions: [{ topic: "orders", partition: 0 }] })],
    });
    const second = buildIndex(next, NOW, settings);
    const afterSecond = foldHangingCandidates(afterFirst, second);
    expect(afterSecond).toEqual({});
    expect(detectHangingTransactions(second, afterSecond)).toEqual([]);
    // The same candidate again on the next poll is confirmed; the remembered set only holds current candidates.
    const again = buildIndex({ ...raced, collectedAt: NOW }, NOW, settings);
    const confirmed = foldHangingCandidates(afterFirst, again);
    expect(confirmed).toEqual({ "orders:0:7:120": NOW - STEP });
    expect(detectHangingTransactions(again, confirmed).map((f) => f.kind)).toEqual(["hanging-transaction"]);
  });
});

describe("hanging candidates across a partial poll", () => {
  const settings = resolveSettings();
  const failedProducers = (at: number): ClusterSnapshot["phases"] => [
    { name: "producers", startedAt: at, durationMs: 1, requests: 1, bytesSent: 1, bytesReceived: 1, unsupported: false, errors: [{ brokerId: 1, code: "TIMEOUT", message: "Request timed out" }] },
  ];

  it("keeps a candidate through a poll that could not read producer state, so the next clean poll still confirms it", () => {
    const first = buildIndex({ ...snapshotWithOpenTxn(OLD), collectedAt: NOW - 2 * STEP }, NOW - 2 * STEP, settings);
    const unread = snapshotWithOpenTxn(OLD, { collectedAt: NOW - STEP, complete: false, phases: failedProducers(NOW - STEP) });
    unread.topics[0].partitions[0].producers = null;
    const partial = buildIndex(unread, NOW - STEP, settings);
    const clean = buildIndex(snapshotWithOpenTxn(OLD), NOW, settings);
    const candidates = foldHangingCandidates(foldHangingCandidates(foldHangingCandidates(undefined, first), partial), clean);
    expect(Object.values(candidates)).toEqual([NOW - 2 * STEP]);
    expect(detectHangingTransactions(clean, candidates).map((f) => f.evidence.producerId)).toEqual([7]);
  });

  it("drops a candidate a clean poll no longer shows", () => {
    const first = buildIndex({ ...snapshotWithOpenTxn(OLD), collectedAt: NOW - STEP }, NOW - STEP, settings);
    const gone = snapshotWithOpenTxn(OLD);
    gone.topics[0].partitions[0].producers = [];
    expect(foldHangingCandidates(foldHangingCandidates(undefined, first), buildIndex(gone, NOW, settings))).toEqual({});
  });
});
