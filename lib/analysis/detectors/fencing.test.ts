import { describe, expect, it } from "vitest";
import type { TransactionState } from "../../snapshot/types";
import { resolveSettings } from "../settings";
import { buildIndex } from "../snapshot-index";
import { T0, buildSnapshot, buildTransaction } from "../testing/snapshot-builder";
import { foldTransactionalIds, type TransactionalIdHistory } from "../transactional-id-history";
import { detectFencing } from "./fencing";

const settings = resolveSettings();
const STEP = 15_000;

type Obs = Pick<TransactionState, "producerEpoch" | "state"> & Partial<TransactionState>;

function run(observations: Obs[], transactionVersion = 0) {
  let ids: Record<string, TransactionalIdHistory> | undefined;
  let last = buildSnapshot();
  observations.forEach((o, i) => {
    const t = T0 + i * STEP;
    last = buildSnapshot({
      collectedAt: t,
      features: { transactionVersion, metadataVersion: null },
      transactions: [
        buildTransaction({
          transactionalId: "tx",
          producerId: 5,
          transactionStartTimeMs: o.state === "Ongoing" ? t - 1000 : -1,
          ...o,
        }),
      ],
    });
    ids = foldTransactionalIds(ids, last, settings);
  });
  return { history: ids!.tx, findings: detectFencing(buildIndex(last, last.collectedAt, settings), ids!) };
}

const kinds = (h: TransactionalIdHistory) => h.changes.map((c) => c.kind);

describe("epoch change classification", () => {
  it("a restart after a commit is a new instance (info)", () => {
    const { history, findings } = run([
      { producerEpoch: 3, state: "CompleteCommit" },
      { producerEpoch: 4, state: "Empty" },
    ]);
    expect(kinds(history)).toEqual(["new-instance"]);
    expect(findings.map((f) => [f.kind, f.severity])).toEqual([["zombie-fenced", "info"]]);
  });

  it("an InitProducerId during an open transaction (two bumps) is one fence of an open transaction", () => {
    const { history, findings } = run([
      { producerEpoch: 3, state: "Ongoing" },
      { producerEpoch: 5, state: "Empty" },
    ]);
    expect(history.changes[0]).toMatchObject({ kind: "fenced-open-transaction", bumps: 2, fences: 1 });
    expect(findings[0]).toMatchObject({ kind: "zombie-fenced", severity: "warning" });
  });

  it("a fence seen half-way (CompleteAbort) and then its retry (Empty) counts once", () => {
    const { history } = run([
      { producerEpoch: 3, state: "Ongoing" },
      { producerEpoch: 4, state: "CompleteAbort" },
      { producerEpoch: 5, state: "Empty" },
    ]);
    expect(history.changes.map((c) => [c.kind, c.fences])).toEqual([
      ["fenced-open-transaction", 1],
      ["fenced-open-transaction", 0],
    ]);
  });

  it("a timed-out transaction aborted by the coordinator is a timeout-abort, not a fence", () => {
    const { history, findings } = run([
      { producerEpoch: 3, state: "Ongoing", transactionStartTimeMs: T0 - 120_000, transactionTimeoutMs: 60_000 },
      { producerEpoch: 4, state: "CompleteAbort" },
    ]);
    expect(history.changes[0]).toMatchObject({ kind: "timeout-abort", fences: 0 });
    expect(findings.map((f) => f.kind)).toEqual(["transaction-timed-out"]);
  });

  it("a changed producer id counts as a fence unless the epoch was exhausted", () => {
    expect(run([{ producerEpoch: 3, state: "Empty" }, { producerEpoch: 0, state: "Empty", producerId: 9 }]).history.changes[0]).toMatchObject({
      kind: "producer-id-changed",
      fences: 1,
    });
    const exhausted = run([{ producerEpoch: 32766, state: "CompleteCommit" }, { producerEpoch: 0, state: "Ongoing", producerId: 9 }]);
    expect(exhausted.history.changes[0]).toMatchObject({ kind: "epoch-exhausted", fences: 0 });
    expect(exhausted.findings).toEqual([]);
  });

  it("k epoch bumps into a running transaction on a pre-TV2 cluster count k fences → fencing fight", () => {
    const { history, findings } = run([
      { producerEpoch: 3, state: "CompleteCommit" },
      { producerEpoch: 6, state: "Ongoing" },
    ]);
    expect(history.changes[0]).toMatchObject({ kind: "new-instance", bumps: 3, fences: 3 });
    expect(findings.map((f) => [f.kind, f.severity])).toEqual([["fencing-fight", "critical"]]);
    expect(findings[0].evidence.fencesInWindow).toBe(3);
  });

  it("three restarts within the window are a fight; spread over more than the window they are not", () => {
    const fight = run([
      { producerEpoch: 1, state: "CompleteCommit" },
      { producerEpoch: 2, state: "Empty" },
      { producerEpoch: 3, state: "Empty" },
      { producerEpoch: 4, state: "Empty" },
    ]);
    expect(fight.findings.map((f) => f.kind)).toEqual(["fencing-fight"]);
    const spread = run([
      { producerEpoch: 1, state: "CompleteCommit" },
      { producerEpoch: 2, state: "Empty" },
      ...Array.from({ length: 45 }, () => ({ producerEpoch: 2, state: "CompleteCommit" })),
      { producerEpoch: 3, state: "Empty" },
      { producerEpoch: 4, state: "Empty" },
    ]);
    expect(spread.findings.map((f) => f.kind)).toEqual(["zombie-fenced"]);
    expect(spread.findings[0].evidence.fencesInWindow).toBe(2);
  });

  it("TV2 cluster, style unknown: bumps are ambiguous, not fences", () => {
    const polls: Obs[] = Array.from({ length: 10 }, (_, i) => ({
      producerEpoch: 10 + i * 4,
      state: i % 2 ? "CompleteCommit" : "Ongoing",
    }));
    const { history, findings } = run(polls, 2);
    expect(new Set(kinds(history))).toEqual(new Set(["ambiguous-bump"]));
    expect(history.commitStyle).toBe(null);
    expect(findings).toEqual([]);
  });

  it("TV2: a commit with one bump proves the per-commit style; later bumps are routine, an Empty with a bump is a fence", () => {
    const { history, findings } = run(
      [
        { producerEpoch: 10, state: "Ongoing" },
        { producerEpoch: 11, state: "CompleteCommit" },
        { producerEpoch: 15, state: "Ongoing" },
        { producerEpoch: 16, state: "Empty" },
      ],
      2,
    );
    expect(history.commitStyle).toBe("bumps");
    expect(kinds(history)).toEqual(["per-transaction-bump", "per-transaction-bump", "fenced-open-transaction"]);
    expect(findings.map((f) => [f.kind, f.severity])).toEqual([["zombie-fenced", "warning"]]);
  });

  it("TV2 cluster with a pre-TV2 client (kafkajs): ambiguous bumps turn into fences once it commits without a bump", () => {
    const { history, findings } = run(
      [
        { producerEpoch: 3, state: "CompleteCommit", transactionStartTimeMs: T0 - 5000 },
        { producerEpoch: 5, state: "CompleteCommit", transactionStartTimeMs: T0 + 10_000 },
        { producerEpoch: 6, state: "CompleteCommit", transactionStartTimeMs: T0 + 20_000 },
        { producerEpoch: 6, state: "CompleteCommit", transactionStartTimeMs: T0 + 40_000 },
      ],
      2,
    );
    expect(kinds(history)).toEqual(["ambiguous-bump", "ambiguous-bump"]);
    expect(history.commitStyle).toBe("steady");
    expect(findings.map((f) => [f.kind, f.evidence.fencesInWindow])).toEqual([["fencing-fight", 3]]);
  });

  it("TV2 cluster with a pre-TV2 client: a bump into Ongoing after proven steady commits is a new instance", () => {
    const { history } = run(
      [
        { producerEpoch: 4, state: "Ongoing" },
        { producerEpoch: 4, state: "CompleteCommit" },
        { producerEpoch: 5, state: "Ongoing" },
      ],
      2,
    );
    expect(history.commitStyle).toBe("steady");
    expect(history.changes[0]).toMatchObject({ kind: "new-instance", fences: 1 });
  });

  it("no change, no finding", () => {
    expect(run([{ producerEpoch: 4, state: "Ongoing" }, { producerEpoch: 4, state: "CompleteCommit" }]).findings).toEqual([]);
  });
});
