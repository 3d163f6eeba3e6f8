import { describe, expect, it } from "vitest";
import type { ClusterSnapshot, CommittedOffset, ConsumerGroupState } from "../../snapshot/types";
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
import { computeGroupLag, detectEosLag, foldGroupOffsets, type GroupHistory } from "./eos-lag";

const settings = resolveSettings();
const STEP = 30_000;

interface Poll {
  hw: number;
  lso: number;
  committed: number;
  gapIsControlOnly?: boolean;
  group?: Partial<ConsumerGroupState>;
}

function snapshotOf(i: number, p: Poll): ClusterSnapshot {
  const offset: CommittedOffset = { topic: "in", partition: 0, offset: p.committed, metadata: null };
  if (p.gapIsControlOnly !== undefined) offset.gapIsControlOnly = p.gapIsControlOnly;
  return buildSnapshot({
    collectedAt: T0 + i * STEP,
    topics: [buildTopic("in", [buildPartition(0, { highWatermark: p.hw, lastStableOffset: p.lso })])],
    groups: [buildGroup("g", [offset], p.group)],
  });
}

function run(polls: Poll[]) {
  let partitions: Record<string, PartitionHistory> | undefined;
  let groups: GroupHistory | undefined;
  let last!: ClusterSnapshot;
  polls.forEach((p, i) => {
    last = snapshotOf(i, p);
    partitions = foldPartitions(partitions, last, settings);
    groups = foldGroupOffsets(groups, last, settings);
  });
  const index = buildIndex(last, last.collectedAt, settings);
  const lag = computeGroupLag(index, groups!, partitions!);
  return { lag: lag[0], findings: detectEosLag(index, lag) };
}

const repeat = (n: number, p: Poll | ((i: number) => Poll)) =>
  Array.from({ length: n }, (_, i) => (typeof p === "function" ? p(i) : p));

describe("EOS-aware lag", () => {
  it("computes consumable = LSO − committed and txnBlocked = HW − LSO", () => {
    const { lag } = run([{ hw: 900, lso: 600, committed: 450 }]);
    expect(lag.partitions[0]).toMatchObject({ consumable: 150, txnBlocked: 300, highWatermark: 900, lastStableOffset: 600 });
    expect(lag).toMatchObject({ consumable: 150, txnBlocked: 300, verdict: "OK" });
  });

  it("calls an idle consumer one marker behind OK, not STALLED", () => {
    const { lag, findings } = run(repeat(8, { hw: 101, lso: 101, committed: 100 }));
    expect(lag.partitions[0].consumable).toBe(1);
    expect(lag.verdict).toBe("OK");
    expect(findings).toEqual([]);
  });

  it("uses the collector's control-only flag: true means zero lag, false means real lag", () => {
    expect(run([{ hw: 105, lso: 105, committed: 100, gapIsControlOnly: true }]).lag.partitions[0].consumable).toBe(0);
    const notMarkers = run(repeat(8, { hw: 101, lso: 101, committed: 100, gapIsControlOnly: false }));
    expect(notMarkers.lag.verdict).toBe("STALLED");
  });

  it("calls a consumer waiting at a pinned LSO TXN_BLOCKED, not STALLED", () => {
    const { lag, findings } = run(repeat(6, (i) => ({ hw: 500 + i * 100, lso: 400, committed: 400 })));
    expect(lag.verdict).toBe("TXN_BLOCKED");
    expect(findings[0]).toMatchObject({ kind: "eos-lag", severity: "warning", subject: { groupId: "g", detail: "TXN_BLOCKED" } });
    expect(findings[0].evidence).toMatchObject({ txnBlocked: 600, consumable: 0 });
  });

  it("does not call a read_uncommitted consumer past a pinned LSO TXN_BLOCKED: it waits on nothing", () => {
    const { lag, findings } = run(repeat(6, (i) => ({ hw: 500 + i * 100, lso: 400, committed: 500 + i * 100 })));
    expect(lag.partitions[0].consumable).toBe(0);
    expect(lag.verdict).toBe("OK");
    expect(findings).toEqual([]);
  });

  it("calls a caught-up group TXN_BLOCKED txnBlockedMs after the transaction's start, before the coordinator's 60 s abort", () => {
    // A SIGKILLed producer: its transaction started 35 s before the audit's first poll; no other writer.
    const killed = buildSnapshot({
      collectedAt: T0,
      topics: [
        buildTopic("in", [
          buildPartition(0, {
            highWatermark: 407,
            lastStableOffset: 400,
            producers: [buildProducer({ producerId: 9, currentTxnStartOffset: 400 })],
          }),
        ]),
      ],
      groups: [buildGroup("g", [["in", 0, 400]])],
      transactions: [
        buildTransaction({
          transactionalId: "w",
          producerId: 9,
          state: "Ongoing",
          transactionStartTimeMs: T0 - 35_000,
          partitions: [{ topic: "in", partition: 0 }],
        }),
      ],
    });
    const index = buildIndex(killed, T0, settings);
    const lag = computeGroupLag(index, foldGroupOffsets(undefined, killed, settings), foldPartitions(undefined, killed, settings));
    expect(lag[0].verdict).toBe("TXN_BLOCKED");
    expect(settings.txnBlockedMs).toBeLessThan(60_000);
    // Idle for minutes, then a transaction open 16 s: not blocked.
    const idle = run([...repeat(6, { hw: 400, lso: 400, committed: 400 }), { hw: 407, lso: 400, committed: 400 }]);
    expect(idle.lag.verdict).toBe("OK");
  });

  it("does not call a consumer at a briefly open transaction TXN_BLOCKED", () => {
    const { lag } = run([
      { hw: 300, lso: 300, committed: 300 },
      { hw: 420, lso: 400, committed: 400 },
    ]);
    expect(lag.verdict).toBe("OK");
  });

  it("calls an unmoving committed offset with records waiting STALLED, or STOPPED without members for stoppedMs", () => {
    expect(run(repeat(6, (i) => ({ hw: 1000 + i * 10, lso: 1000 + i * 10, committed: 200 }))).lag.verdict).toBe("STALLED");
    const empty = { hw: 1000, lso: 1000, committed: 200, group: { state: "Empty", members: [] } };
    expect(run([empty]).lag.verdict).toBe("OK");
    expect(run(repeat(settings.stoppedMs / STEP, empty)).lag.verdict).toBe("OK");
    const stopped = run(repeat(settings.stoppedMs / STEP + 1, empty));
    expect(stopped.lag.verdict).toBe("STOPPED");
    expect(stopped.findings[0].severity).toBe("warning");
  });

  it("judges a KIP-848 group with members like a classic one, and never calls one read as Dead STOPPED at once", () => {
    const member = { memberId: "m", clientId: "c", host: "/h", assignment: [], memberEpoch: 3 };
    const slow = (i: number): Poll => ({
      hw: 10_000 + i * 2000,
      lso: 10_000 + i * 2000,
      committed: 5000 + i * 500,
      group: { type: "consumer", state: "Stable", protocolType: "consumer", protocol: "", members: [member] },
    });
    expect(run(repeat(4, slow)).lag.verdict).toBe("LAGGING");
    // Before ConsumerGroupDescribe: the classic describe reports it Dead, no protocol, no members.
    const dead = (i: number): Poll => ({ ...slow(i), group: { type: "consumer", state: "Dead", protocolType: "", protocol: "", members: [] } });
    const seen = run(repeat(4, dead));
    expect(seen.lag.verdict).toBe("OK");
    expect(seen.findings).toEqual([]);
  });

  it("gives offset-only groups (commits without joining: Flink, Spark) their own verdict and no finding", () => {
    const external = { state: "Empty", protocolType: "", protocol: "", members: [] };
    const { lag, findings } = run(repeat(20, (i) => ({ hw: 1000 + i * 100, lso: 1000 + i * 100, committed: 500, group: external })));
    expect(lag.verdict).toBe("EXTERNAL");
    expect(findings).toEqual([]);
    // A classic group that had members keeps its protocol type when empty: still STOPPED after stoppedMs.
    const left = { state: "Empty", protocolType: "consumer", protocol: "", members: [] };
    expect(run(repeat(20, (i) => ({ hw: 1000 + i * 100, lso: 1000 + i * 100, committed: 500, group: left }))).lag.verdict).toBe("STOPPED");
  });

  it("calls a moving consumer with growing lag LAGGING, and a shrinking lag OK", () => {
    const growing = run(repeat(4, (i) => ({ hw: 1000 + i * 500, lso: 1000 + i * 500, committed: 800 + i * 200 })));
    expect(growing.lag.verdict).toBe("LAGGING");
    expect(growing.findings[0].severity).toBe("info");
    const shrinking = run(repeat(4, (i) => ({ hw: 1000, lso: 1000, committed: 500 + i * 100 })));
    expect(shrinking.lag.verdict).toBe("OK");
  });

  it("detects a rewind of the committed offset", () => {
    expect(run([{ hw: 1000, lso: 1000, committed: 900 }, { hw: 1000, lso: 1000, committed: 100 }]).lag.verdict).toBe("REWIND");
  });
});

describe("foldGroupOffsets", () => {
  it("keeps at most lagSamples per partition within the window and drops vanished groups", () => {
    let h: GroupHistory | undefined = { gone: {} };
    for (let i = 0; i < 20; i++) h = foldGroupOffsets(h, snapshotOf(i, { hw: 10, lso: 10, committed: i }), settings);
    expect(Object.keys(h!)).toEqual(["g"]);
    expect(h!.g["in:0"]).toHaveLength(settings.lagSamples);
    expect(h!.g["in:0"].at(-1)).toEqual([T0 + 19 * STEP, 19, 10]);
  });
});
