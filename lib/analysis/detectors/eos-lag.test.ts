import { describe, expect, it } from "vitest";
import type { ClusterSnapshot, CommittedOffset, ConsumerGroupState } from "../../snapshot/types";
import { foldPartitions, type PartitionHistory } from "../partition-history";
import { resolveSettings } from "../settings";
import { buildIndex } from "../snapshot-index";
import { T0, buildGroup, buildPartition, buildSnapshot, buildTopic } from "../testing/snapshot-builder";
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

  it("does not call a consumer at a briefly open transaction TXN_BLOCKED", () => {
    const { lag } = run([
      { hw: 300, lso: 300, committed: 300 },
      { hw: 420, lso: 400, committed: 400 },
    ]);
    expect(lag.verdict).toBe("OK");
  });

  it("calls an unmoving committed offset with records waiting STALLED, or STOPPED without members", () => {
    expect(run(repeat(6, (i) => ({ hw: 1000 + i * 10, lso: 1000 + i * 10, committed: 200 }))).lag.verdict).toBe("STALLED");
    const stopped = run([{ hw: 1000, lso: 1000, committed: 200, group: { state: "Empty", members: [] } }]);
    expect(stopped.lag.verdict).toBe("STOPPED");
    expect(stopped.findings[0].severity).toBe("warning");
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
