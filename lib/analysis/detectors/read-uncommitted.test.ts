import { describe, expect, it } from "vitest";
import type { ClusterSnapshot } from "../../snapshot/types";
import { foldPartitions, type PartitionHistory } from "../partition-history";
import { resolveSettings } from "../settings";
import { buildIndex } from "../snapshot-index";
import { T0, buildGroup, buildPartition, buildSnapshot, buildTopic } from "../testing/snapshot-builder";
import { foldGroupOffsets, type GroupHistory } from "./eos-lag";
import { detectReadUncommitted } from "./read-uncommitted";

const settings = resolveSettings();

function run(polls: Array<{ hw: number; lso: number; committed: number }>) {
  let partitions: Record<string, PartitionHistory> | undefined;
  let groups: GroupHistory | undefined;
  let last!: ClusterSnapshot;
  polls.forEach((p, i) => {
    last = buildSnapshot({
      collectedAt: T0 + i * 15_000,
      topics: [buildTopic("payments", [buildPartition(2, { highWatermark: p.hw, lastStableOffset: p.lso })])],
      groups: [buildGroup("reporting", [["payments", 2, p.committed]])],
    });
    partitions = foldPartitions(partitions, last, settings);
    groups = foldGroupOffsets(groups, last, settings);
  });
  return detectReadUncommitted(buildIndex(last, last.collectedAt, settings), groups!, partitions!);
}

describe("detectReadUncommitted", () => {
  it("flags a group that stayed past a transaction that is still open", () => {
    const [f, ...rest] = run([
      { hw: 300, lso: 200, committed: 280 },
      { hw: 400, lso: 200, committed: 390 },
    ]);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ kind: "read-uncommitted", severity: "warning", subject: { groupId: "reporting" } });
    expect(f.evidence).toEqual({ partitions: ["payments-2"], committed: [390], lastStableOffset: [200], maxAheadOfLso: 190 });
  });

  it("does not flag a caught-up read_committed group that committed past an LSO read moments earlier", () => {
    expect(run([{ hw: 300, lso: 300, committed: 310 }, { hw: 420, lso: 400, committed: 410 }])).toEqual([]);
  });

  it("does not flag a single poll, or a group behind the LSO, or a partition without open transactions", () => {
    expect(run([{ hw: 400, lso: 200, committed: 390 }])).toEqual([]);
    expect(run([{ hw: 300, lso: 200, committed: 150 }, { hw: 400, lso: 200, committed: 200 }])).toEqual([]);
    expect(run([{ hw: 300, lso: 300, committed: 300 }, { hw: 400, lso: 400, committed: 400 }])).toEqual([]);
  });
});
