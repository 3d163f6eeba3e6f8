import { describe, expect, it } from "vitest";
import type { ClusterSnapshot, ProducerState } from "../../snapshot/types";
import { resolveSettings } from "../settings";
import { buildIndex } from "../snapshot-index";
import { T0, buildPartition, buildProducer, buildSnapshot, buildTopic, buildTransaction } from "../testing/snapshot-builder";
import { foldTransactionalIds, type TransactionalIdHistory } from "../transactional-id-history";
import { detectMixedWriters, foldWriters, type WriterHistory } from "./mixed-writers";

const settings = resolveSettings();

function run(polls: Array<{ producers: ProducerState[]; txnProducerIds?: number[] }>) {
  let writers: WriterHistory | undefined;
  let ids: Record<string, TransactionalIdHistory> | undefined;
  let last!: ClusterSnapshot;
  polls.forEach((p, i) => {
    last = buildSnapshot({
      collectedAt: T0 + i * 15_000,
      topics: [buildTopic("out", [buildPartition(0, { producers: p.producers })])],
      transactions: (p.txnProducerIds ?? []).map((pid) => buildTransaction({ transactionalId: `tx-${pid}`, producerId: pid })),
    });
    ids = foldTransactionalIds(ids, last, settings);
    writers = foldWriters(writers, last, ids, settings);
  });
  return detectMixedWriters(buildIndex(last, last.collectedAt, settings), writers!);
}

const now = T0 + 15_000;
const txnOpen = buildProducer({ producerId: 1, currentTxnStartOffset: 10, lastTimestamp: now });
const plain = buildProducer({ producerId: 2, lastTimestamp: now });

describe("detectMixedWriters", () => {
  it("flags an active producer never seen in a transaction on a transactional topic", () => {
    const [f, ...rest] = run([{ producers: [txnOpen, plain] }, { producers: [txnOpen, plain] }]);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ kind: "mixed-writers", subject: { topic: "out" } });
    expect(f.evidence).toEqual({ plainProducerIds: [2], transactionalProducerIds: [1], plainLastWriteAgoMs: [0] });
  });

  it("does not flag a transactional producer between transactions (mapped by ListTransactions)", () => {
    const between = buildProducer({ producerId: 2, lastTimestamp: now });
    expect(run([{ producers: [txnOpen, between], txnProducerIds: [2] }, { producers: [txnOpen, between], txnProducerIds: [2] }])).toEqual([]);
  });

  it("does not flag a producer once seen with an open transaction", () => {
    const opened = buildProducer({ producerId: 2, currentTxnStartOffset: 5, lastTimestamp: now });
    expect(run([{ producers: [txnOpen, opened] }, { producers: [txnOpen, plain] }, { producers: [txnOpen, plain] }])).toEqual([]);
  });

  it("does not flag an idle leftover producer, a single sighting, or a topic without transactions", () => {
    const idle = buildProducer({ producerId: 2, lastTimestamp: now - 60 * 60_000 });
    expect(run([{ producers: [txnOpen, idle] }, { producers: [txnOpen, idle] }])).toEqual([]);
    expect(run([{ producers: [txnOpen, plain] }])).toEqual([]);
    expect(run([{ producers: [plain] }, { producers: [plain] }])).toEqual([]);
  });
});
