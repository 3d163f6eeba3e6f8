import { describe, expect, it } from "vitest";
import type { TransactionState } from "../../snapshot/types";
import { resolveSettings } from "../settings";
import { buildIndex } from "../snapshot-index";
import { foldPartitions, type PartitionHistory } from "../partition-history";
import { T0, buildPartition, buildProducer, buildSnapshot, buildTopic, buildTransaction } from "../testing/snapshot-builder";
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
      // The coordinator keeps the aborted transaction's start time in CompleteAbort (seen on 4.4.0 and 3.9.2).
      { producerEpoch: 4, state: "CompleteAbort", transactionStartTimeMs: T0 - 120_000, transactionTimeoutMs: 60_000 },
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

/** One poll of a TV2 id that commits offsets to `__consumer_offsets-0` in each transaction. */
interface Tv2Poll {
  epoch: number;
  state: string;
  /** High watermark of the group's `__consumer_offsets` partition, and its LSO when below it. */
  offsetsHw: number;
  offsetsLso?: number;
  /** The same partition read right before (LSO, HW) and after (HW) the coordinators' describe. */
  bracket?: [lso: number, hw: number, after: number];
  /** Transaction start relative to the poll; defaults to 100 ms before it. */
  startAgo?: number;
  producerId?: number;
  timeoutMs?: number;
}

function runTv2(
  polls: Tv2Poll[],
  features: { transactionVersion: number; metadataVersion: number | null } = { transactionVersion: 2, metadataVersion: 27 },
  extra: (i: number) => Partial<ReturnType<typeof buildSnapshot>> = () => ({}),
  transactionalId = "tx",
) {
  let ids: Record<string, TransactionalIdHistory> | undefined;
  let partitions: Record<string, PartitionHistory> | undefined;
  let last = buildSnapshot();
  const perPoll: string[][] = [];
  polls.forEach((p, i) => {
    const t = T0 + i * STEP;
    const producerId = p.producerId ?? 5;
    last = buildSnapshot({
      collectedAt: t,
      features,
      topics: [
        buildTopic("__consumer_offsets", [
          buildPartition(0, {
            highWatermark: p.offsetsHw,
            lastStableOffset: p.offsetsLso ?? p.offsetsHw,
            producers: [buildProducer({ producerId, producerEpoch: p.epoch })],
            ...(p.bracket && { transactionBracket: { lastStableOffset: p.bracket[0], highWatermark: p.bracket[1], highWatermarkAfter: p.bracket[2] } }),
          }),
        ]),
      ],
      transactions: [
        buildTransaction({
          transactionalId,
          producerId,
          producerEpoch: p.epoch,
          state: p.state,
          transactionTimeoutMs: p.timeoutMs ?? 60_000,
          transactionStartTimeMs: t - (p.startAgo ?? 100),
        }),
      ],
      ...extra(i),
    });
    ids = foldTransactionalIds(ids, last, settings, { partitions });
    partitions = foldPartitions(partitions, last, settings);
    perPoll.push(detectFencing(buildIndex(last, t, settings), ids).map((f) => `${f.kind}:${f.severity}`));
  });
  return { history: ids![transactionalId], perPoll, findings: detectFencing(buildIndex(last, last.collectedAt, settings), ids!) };
}

/** 15 s polls of a steady TV2 pipeline: `commits` commits per gap, each one bump and two offsets. */
const steadyTv2 = (n: number, commits = 90, from = 18): Tv2Poll[] =>
  Array.from({ length: n }, (_, i) => ({
    epoch: from + i * commits,
    state: ["Ongoing", "CompleteCommit", "PrepareCommit"][i % 3],
    offsetsHw: 2 * (from + i * commits),
  }));

/** 15 s polls of a TV2 id that commits no offsets: instances commit one record per transaction to "out". */
function producerOnly(polls: Array<{ epoch: number; hw: [number, number]; state?: string }>) {
  let ids: Record<string, TransactionalIdHistory> | undefined;
  let partitions: Record<string, PartitionHistory> | undefined;
  const perPoll: string[][] = [];
  polls.forEach((p, i) => {
    const t = T0 + i * STEP;
    const snapshot = buildSnapshot({
      collectedAt: t,
      features: { transactionVersion: 2, metadataVersion: 27 },
      topics: [
        buildTopic(
          "out",
          p.hw.map((hw, partition) => buildPartition(partition, { highWatermark: hw, lastStableOffset: hw, producers: [buildProducer({ producerId: 5, producerEpoch: p.epoch })] })),
        ),
      ],
      transactions: [buildTransaction({ transactionalId: "tx", producerId: 5, producerEpoch: p.epoch, state: p.state ?? "CompleteCommit", transactionStartTimeMs: t - 100 })],
    });
    ids = foldTransactionalIds(ids, snapshot, settings, { partitions });
    partitions = foldPartitions(partitions, snapshot, settings);
    perPoll.push(detectFencing(buildIndex(snapshot, t, settings), ids).map((f) => `${f.kind}:${f.severity}`));
  });
  return { perPoll, history: ids!.tx };
}

describe("TV2 fencing: the (producer id, epoch) chain against the transactions the id could have made", () => {
  it("a steady Java TV2 pipeline (one bump per commit, thousands of commits) raises nothing and proves its style", () => {
    const { history, perPoll } = runTv2(steadyTv2(40));
    expect(perPoll.flat()).toEqual([]);
    expect(history.commitStyle).toBe("bumps");
    expect(history.changes.every((c) => c.kind === "per-transaction-bump" && c.fences === 0)).toBe(true);
    expect(history.producerEpoch).toBe(18 + 39 * 90);
  });

  it("two Java instances fencing each other (real 4.4.0 figures, 15 s polls) are a fencing fight from the first gap", () => {
    // Epoch and `__consumer_offsets` HW of a shared id seen on a real 4.4.0 broker while two instances fenced
    // each other 41 times in 60 s (they also committed 258 transactions between fences).
    const real: Tv2Poll[] = [
      { epoch: 3, state: "Ongoing", offsetsHw: 4 },
      { epoch: 71, state: "Ongoing", offsetsHw: 114 },
      { epoch: 149, state: "Ongoing", offsetsHw: 247 },
      { epoch: 249, state: "Ongoing", offsetsHw: 416 },
      { epoch: 312, state: "CompleteCommit", offsetsHw: 524 },
    ];
    const { history, perPoll, findings } = runTv2(real);
    expect(perPoll[1]).toEqual(["fencing-fight:critical"]);
    expect(history.changes.map((c) => [c.bumps, c.maxTransactions, c.fences])).toEqual([
      [68, 55, 7],
      [78, 66, 6],
      [100, 84, 8],
      [63, 54, 5],
    ]);
    expect(findings[0].evidence.fencesInWindow).toBe(26);
  });

  it("one new instance among 90 ordinary per-commit bumps is found in the gap it happened", () => {
    const polls = steadyTv2(6);
    // Gap 4→5: 90 commits and one InitProducerId of a second instance (one bump that writes nothing).
    polls[5] = { ...polls[5], epoch: polls[5].epoch + 1, state: "Ongoing" };
    const { perPoll, history } = runTv2(polls);
    expect(perPoll.slice(0, 5).flat()).toEqual([]);
    expect(perPoll[5]).toEqual(["zombie-fenced:info"]);
    expect(history.changes.at(-1)).toMatchObject({ kind: "new-instance", bumps: 91, maxTransactions: 90, fences: 1 });
  });

  it("a Kafka Streams id (process UUID per start, offsets in its transactions) aborting a task in a rebalance is no takeover; a fight still is", () => {
    const streamsId = "order-enricher-9cf707b6-e102-4e0d-8f62-16e1c84f7bd6-1";
    const polls = steadyTv2(6);
    polls[5] = { ...polls[5], epoch: polls[5].epoch + 1, state: "Ongoing" };
    expect(runTv2(polls, undefined, undefined, streamsId).perPoll.flat()).toEqual([]);
    const fight: Tv2Poll[] = [
      { epoch: 3, state: "Ongoing", offsetsHw: 4 },
      { epoch: 71, state: "Ongoing", offsetsHw: 114 },
    ];
    expect(runTv2(fight, undefined, undefined, streamsId).perPoll[1]).toEqual(["fencing-fight:critical"]);
  });

  it("a commit whose records straddle the reads (offsets read before its marker, coordinator after) is no fence", () => {
    // Real 4.4.0 polls of a steady pipeline: the offsets partition was read with the last transaction's offset
    // record but not yet its marker (LSO < HW), the coordinator after it completed: 81 bumps, growth 161.
    const { perPoll, history } = runTv2([
      { epoch: 2420, state: "CompleteCommit", offsetsHw: 4840 },
      { epoch: 2443, state: "Ongoing", offsetsHw: 4887, offsetsLso: 4886 },
      { epoch: 2524, state: "CompleteCommit", offsetsHw: 5048, offsetsLso: 5046 },
      { epoch: 2552, state: "CompleteCommit", offsetsHw: 5104 },
    ]);
    expect(perPoll.flat()).toEqual([]);
    expect(history.changes.map((c) => c.fences)).toEqual([0, 0, 0]);
  });

  // The bracket: offsets read right before and after the coordinators' describe, as the collector does. Commits every
  // ~250 ms under load, with the offsets phase up to a second before the describe: only the bracket is aligned.
  it("bracketed gaps: two InitProducerIds in one gap are two fences; a transaction half-written at a read is none", () => {
    const polls: Tv2Poll[] = [
      // Offsets read well before the describe (slow poll): only the bracket matches the coordinator's epoch.
      { epoch: 20, state: "CompleteCommit", offsetsHw: 30, bracket: [40, 40, 40] },
      // 10 commits; then its 11th transaction is open at the read before the describe, with its record written.
      { epoch: 30, state: "Ongoing", offsetsHw: 52, bracket: [60, 61, 61] },
      // That transaction ends in this gap (its marker alone here), 9 more commits: 10 bumps, growth 19.
      { epoch: 40, state: "CompleteCommit", offsetsHw: 75, bracket: [80, 80, 80] },
      // 10 commits and two InitProducerIds of instances that wrote nothing before being fenced: 12 bumps.
      { epoch: 52, state: "CompleteCommit", offsetsHw: 95, bracket: [100, 100, 100] },
      // 10 commits, the last in PrepareCommit at the describe, its marker written before the read after it.
      { epoch: 62, state: "PrepareCommit", offsetsHw: 110, bracket: [119, 119, 120] },
    ];
    const { history, perPoll } = runTv2(polls);
    expect(history.changes.map((c) => [c.bumps, c.maxTransactions, c.fences])).toEqual([
      [10, 10, 0],
      [10, 10, 0],
      [12, 10, 2],
      [10, 10, 0],
    ]);
    expect(perPoll[3]).toEqual(["zombie-fenced:info"]);
    // Without the bracket the same gaps allow a transaction per half-written read: the two fences count as one.
    const unbracketed = runTv2(polls.map(({ bracket, ...p }) => ({ ...p, offsetsHw: bracket![2], offsetsLso: bracket![0] })));
    expect(unbracketed.history.changes[2].fences).toBe(1);
  });

  it("a new instance that fences an open transaction (abort bump + retry bump) counts one fence", () => {
    const polls = steadyTv2(4);
    polls[3] = { ...polls[3], epoch: polls[3].epoch + 2 };
    const { history } = runTv2(polls);
    expect(history.changes.at(-1)).toMatchObject({ bumps: 92, fences: 1 });
  });

  it("the epoch moving while the same transaction stays Ongoing is a fence, whatever the style", () => {
    const { history, findings } = runTv2([
      { epoch: 10, state: "Ongoing", offsetsHw: 20, startAgo: 2000 },
      { epoch: 12, state: "Ongoing", offsetsHw: 20, startAgo: 2000 + STEP },
    ]);
    expect(history.changes[0]).toMatchObject({ kind: "fenced-open-transaction", fences: 1 });
    expect(findings.map((f) => f.kind)).toEqual(["zombie-fenced"]);
  });

  it("producer id rotation near Short.MAX_VALUE within a gap of per-commit bumps is routine", () => {
    const polls = steadyTv2(3, 90, 32_500);
    // 90 commits: 266 bumps would reach the limit, so 32 500 + 90 > 32 766 is impossible without rotating...
    polls.push({ epoch: 20, state: "Ongoing", offsetsHw: polls[2].offsetsHw + 2 * 290, producerId: 9 });
    const { history, perPoll } = runTv2(polls);
    expect(history.changes.at(-1)).toMatchObject({ kind: "epoch-exhausted", fences: 0 });
    expect(perPoll.flat()).toEqual([]);
    // ...while a new producer id far from the limit is not a rotation.
    const early = steadyTv2(3);
    early.push({ epoch: 0, state: "Empty", offsetsHw: early[2].offsetsHw, producerId: 9 });
    expect(runTv2(early).history.changes.at(-1)).toMatchObject({ kind: "producer-id-changed", fences: 1 });
  });

  it("transaction.version unreadable (features request failed): per-commit bumps are never fences", () => {
    const unknown = { transactionVersion: 0, metadataVersion: null };
    const failedMetadata = () => ({
      // A producer that commits no offsets: no `__consumer_offsets` partition counts its transactions.
      topics: [],
      complete: false,
      phases: [{ name: "metadata" as const, startedAt: T0, durationMs: 5, requests: 2, bytesSent: 0, bytesReceived: 0, unsupported: false, errors: [{ brokerId: 1, code: "TIMEOUT", message: "ApiVersions timed out" }] }],
    });
    const { perPoll, history } = runTv2(steadyTv2(20), unknown, failedMetadata);
    expect(perPoll.flat()).toEqual([]);
    expect(new Set(history.changes.map((c) => c.kind))).toEqual(new Set(["ambiguous-bump"]));
  });

  it("a 10 s transaction timeout shorter than the 15 s poll is not a timeout when the id simply committed", () => {
    const { perPoll, history } = runTv2(
      [
        { epoch: 10, state: "Ongoing", offsetsHw: 20, timeoutMs: 10_000, startAgo: 50 },
        { epoch: 40, state: "Ongoing", offsetsHw: 80, timeoutMs: 10_000, startAgo: 50 },
        { epoch: 70, state: "CompleteCommit", offsetsHw: 140, timeoutMs: 10_000, startAgo: 200 },
      ],
    );
    expect(perPoll.flat()).toEqual([]);
    expect(history.changes.map((c) => c.kind)).not.toContain("timeout-abort");
  });

  it("an abort of a transaction the coordinator showed open past its timeout is a timeout", () => {
    const { history, findings } = runTv2([
      { epoch: 10, state: "Ongoing", offsetsHw: 20, timeoutMs: 10_000, startAgo: 12_000 },
      { epoch: 11, state: "CompleteAbort", offsetsHw: 20, timeoutMs: 10_000, startAgo: 12_000 + STEP },
    ]);
    expect(history.changes[0]).toMatchObject({ kind: "timeout-abort", fences: 0 });
    expect(findings.map((f) => f.kind)).toEqual(["transaction-timed-out"]);
  });

  it("a TV2 abort seen after the deadline of a transaction last seen before it is no proof of a timeout", () => {
    // Seen 2 s old, aborted (one bump, as every TV2 abort) before the next poll: the client may have aborted it at 3 s.
    const { history } = runTv2([
      { epoch: 10, state: "Ongoing", offsetsHw: 20, timeoutMs: 10_000, startAgo: 2_000 },
      { epoch: 11, state: "CompleteAbort", offsetsHw: 20, timeoutMs: 10_000, startAgo: 2_000 + STEP },
    ]);
    expect(history.changes.map((c) => c.kind)).not.toContain("timeout-abort");
  });

  it("a producer that commits no offsets is bounded by the partitions it writes: its fight shows, its steady commits do not", () => {
    // Steady: 70 commits per 15 s, one bump and two offsets (record + marker) each.
    const steady = producerOnly(Array.from({ length: 10 }, (_, i) => ({ epoch: 70 * i, hw: [70 * i, 70 * i] as [number, number] })));
    expect(steady.perPoll.flat()).toEqual([]);
    // Fighting: each gap holds 60 commits and 4 re-initialisations (2 of them fencing an open transaction).
    const fight = producerOnly(Array.from({ length: 4 }, (_, i) => ({ epoch: 66 * i, hw: [60 * i, 60 * i] as [number, number] })));
    expect(fight.history.changes.map((c) => [c.bumps, c.maxTransactions, c.fences])).toEqual([
      [66, 60, 3],
      [66, 60, 3],
      [66, 60, 3],
    ]);
    expect(fight.perPoll[1]).toEqual(["fencing-fight:critical"]);
  });

  it("the java helper's FencingWriter pair on a real 4.4.0 broker (15 fences in 75 s): critical on the second gap", () => {
    // Epoch and fw-out HWs of the shared id polled every 15 s; 299 commits and 15 fences in all.
    const { perPoll, history } = producerOnly([
      { epoch: 48, hw: [48, 42] },
      { epoch: 121, hw: [122, 108] },
      { epoch: 193, hw: [198, 168] },
      { epoch: 266, hw: [258, 248] },
      { epoch: 316, hw: [312, 290] },
    ]);
    expect(history.changes.map((c) => [c.bumps, c.maxTransactions, c.fences])).toEqual([
      [73, 70, 2],
      [72, 68, 2],
      [73, 70, 2],
      [50, 48, 1],
    ]);
    expect(perPoll.slice(1, 3)).toEqual([["zombie-fenced:info"], ["fencing-fight:critical"]]);
  });

  it("a kafkajs id (no per-commit bumps) on a TV2 cluster: bumps seen before its style was known all count once it is", () => {
    // Gap 1: 3 re-initialisations and one commit (2 offsets); gap 2: a commit without a bump proves the style.
    const { history, findings } = runTv2([
      { epoch: 4, state: "CompleteCommit", offsetsHw: 10, startAgo: 5_000 },
      { epoch: 7, state: "CompleteCommit", offsetsHw: 12, startAgo: 2_000 },
      { epoch: 7, state: "CompleteCommit", offsetsHw: 14, startAgo: 1_000 },
    ]);
    expect(history.commitStyle).toBe("steady");
    expect(history.changes[0]).toMatchObject({ kind: "new-instance", bumps: 3, maxTransactions: 1, styleUnknown: true });
    expect(findings.map((f) => [f.kind, f.evidence.fencesInWindow])).toEqual([["fencing-fight", 3]]);
  });

  it("a kafkajs fence of an open transaction (two bumps) beside two commits does not pass for TV2 per-commit bumps", () => {
    const { history, findings } = runTv2([
      { epoch: 4, state: "Ongoing", offsetsHw: 10, startAgo: 500 },
      // An InitProducerId fenced the open transaction (2 bumps); the new instance then committed twice.
      { epoch: 6, state: "CompleteCommit", offsetsHw: 14, startAgo: 400 },
      { epoch: 6, state: "CompleteCommit", offsetsHw: 16, startAgo: 300 },
      { epoch: 8, state: "CompleteCommit", offsetsHw: 20, startAgo: 200 },
      { epoch: 10, state: "CompleteCommit", offsetsHw: 24, startAgo: 100 },
    ]);
    expect(history.commitStyle).toBe("steady");
    expect(history.changes.map((c) => c.kind)).not.toContain("per-transaction-bump");
    expect(findings.map((f) => f.kind)).toEqual(["fencing-fight"]);
  });
});


describe("a gap in polling is not evidence", () => {
  /** Observations of id "tx" at the given times (ms after T0). */
  function observe(polls: [at: number, obs: Obs][], transactionVersion = 0) {
    let ids: Record<string, TransactionalIdHistory> | undefined;
    let last = buildSnapshot();
    for (const [at, o] of polls) {
      last = buildSnapshot({
        collectedAt: T0 + at,
        features: { transactionVersion, metadataVersion: transactionVersion ? 27 : null },
        transactions: [buildTransaction({ transactionalId: "tx", producerId: 5, ...o })],
      });
      ids = foldTransactionalIds(ids, last, settings);
    }
    return { history: ids!.tx, findings: detectFencing(buildIndex(last, last.collectedAt, settings), ids!) };
  }
  const MIN = 60_000;

  it("three restarts while the auditor was away for 40 min are three fences, not a fight", () => {
    const { history, findings } = observe([
      [0, { producerEpoch: 1, state: "CompleteCommit" }],
      [40 * MIN, { producerEpoch: 4, state: "Empty" }],
    ]);
    expect(history.changes[0]).toMatchObject({ kind: "new-instance", bumps: 3, fences: 3, gapMs: 40 * MIN });
    expect(findings.map((f) => [f.kind, f.severity])).toEqual([["zombie-fenced", "info"]]);
  });

  it("the same three restarts within one poll gap are a fight, and six in a gap of two windows still prove three", () => {
    const burst = observe([
      [0, { producerEpoch: 1, state: "CompleteCommit" }],
      [STEP, { producerEpoch: 4, state: "Empty" }],
    ]);
    expect(burst.findings.map((f) => f.kind)).toEqual(["fencing-fight"]);
    // Six fences in 20 min: one of its two 10 min windows held at least three.
    const dense = observe([
      [0, { producerEpoch: 1, state: "CompleteCommit" }],
      [20 * MIN, { producerEpoch: 7, state: "Empty" }],
    ]);
    expect(dense.findings.map((f) => [f.kind, f.evidence.fencesInWindow])).toEqual([["fencing-fight", 3]]);
  });

  it("a TV2 transaction that a client aborted during a gap did not time out", () => {
    const { history, findings } = observe(
      [
        [0, { producerEpoch: 10, state: "CompleteCommit", transactionStartTimeMs: T0 - 1000 }],
        // Back after 10 min: a transaction begun at +2 min is aborted (one bump, as every TV2 abort).
        [10 * MIN, { producerEpoch: 11, state: "CompleteAbort", transactionStartTimeMs: T0 + 2 * MIN, transactionTimeoutMs: 60_000 }],
      ],
      2,
    );
    expect(history.changes.map((c) => c.kind)).not.toContain("timeout-abort");
    expect(findings.map((f) => f.kind)).not.toContain("transaction-timed-out");
  });

  it("a transaction the coordinator showed open past its deadline, then aborted, did time out, however long the gap", () => {
    const { history, findings } = observe(
      [
        [0, { producerEpoch: 10, state: "Ongoing", transactionStartTimeMs: T0 - 90_000, transactionTimeoutMs: 60_000 }],
        [10 * MIN, { producerEpoch: 11, state: "CompleteAbort", transactionStartTimeMs: T0 - 90_000, transactionTimeoutMs: 60_000 }],
      ],
      2,
    );
    expect(history.changes[0]).toMatchObject({ kind: "timeout-abort", fences: 0 });
    expect(findings.map((f) => f.kind)).toEqual(["transaction-timed-out"]);
  });
});
