import { describe, expect, it } from "vitest";
import type { ClusterSnapshot } from "../../snapshot/types";
import { foldPartitions, type PartitionHistory } from "../partition-history";
import { resolveSettings } from "../settings";
import { buildIndex } from "../snapshot-index";
import { T0, buildGroup, buildSnapshot, buildUniformTopic } from "../testing/snapshot-builder";
import { computeGroupLag, foldGroupOffsets } from "./eos-lag";
import { detectHotPartitions, foldHotStreaks } from "./hot-partitions";

const settings = resolveSettings();
const STEP_S = 10;

/** perSecond[p] records/s on partition p (leader = leaders[p]), for `polls` polls. */
function run(perSecond: number[], polls: number, leaders: number[] = perSecond.map(() => 1), groups: ClusterSnapshot["groups"] = []) {
  let history: Record<string, PartitionHistory> | undefined;
  let last!: ClusterSnapshot;
  for (let i = 0; i < polls; i++) {
    last = buildSnapshot({
      collectedAt: T0 + i * STEP_S * 1000,
      topics: [
        buildUniformTopic("events", perSecond.length, (p) => ({
          leader: leaders[p],
          highWatermark: perSecond[p] * STEP_S * i,
          lastStableOffset: perSecond[p] * STEP_S * i,
          sizeBytes: perSecond[p] * STEP_S * i * 200,
        })),
      ],
      groups,
    });
    history = foldHotStreaks(foldPartitions(history, last, settings), last, settings);
  }
  const index = buildIndex(last, last.collectedAt, settings);
  const lag = computeGroupLag(index, foldGroupOffsets(undefined, last, settings), history!);
  return detectHotPartitions(index, history!, lag);
}

describe("detectHotPartitions", () => {
  it("reports a skewed partition once it has been hot 3 polls in a row, not as a burst before", () => {
    expect(run([10, 10, 10, 100], 3, [1, 2, 3, 1]).filter((f) => f.kind === "hot-partition")).toEqual([]);
    const [persistent] = run([10, 10, 10, 100], 4, [1, 2, 3, 1]).filter((f) => f.kind === "hot-partition");
    expect(persistent.severity).toBe("warning");
    expect(persistent.evidence).toMatchObject({
      recordsPerSec: 100,
      bytesPerSec: 20_000,
      topicMedianRecordsPerSec: 10,
      skew: 10,
      shareOfTopic: 0.77,
      consecutiveHotPolls: 3,
      leader: 1,
    });
  });

  it("ignores even traffic and skew below the minimum rate", () => {
    expect(run([50, 55, 45, 60], 4, [1, 2, 3, 1])).toEqual([]);
    expect(run([0.5, 0.5, 0.5, 5], 4, [1, 2, 3, 1])).toEqual([]);
  });

  it("flags a broker leading a disproportionate share of writes once it has for 3 intervals", () => {
    const hotBrokers = (polls: number) => run([40, 40, 40, 40, 2, 2], polls, [1, 1, 1, 1, 2, 3]).filter((f) => f.kind === "hot-broker");
    expect(hotBrokers(3)).toEqual([]);
    expect(hotBrokers(4).map((f) => [f.subject.brokerId, f.evidence.share])).toEqual([[1, 0.98]]);
  });

  it("flags lag concentrated on a few partitions of a group", () => {
    const group = buildGroup("g", [
      ["events", 0, 0],
      ["events", 1, 195],
      ["events", 2, 195],
      ["events", 3, 195],
      ["events", 4, 195],
    ]);
    const findings = run([10, 10, 10, 10, 10], 3, [1, 2, 3, 1, 2], [group]).filter((f) => f.kind === "lag-concentration");
    expect(findings.map((f) => [f.subject.groupId, f.evidence.topPartitions, f.evidence.shareOnTopPartitions])).toEqual([
      ["g", ["events-0"], 0.91],
    ]);
  });
});

describe("a consumer catching up on one partition", () => {
  it("is neither a hot partition nor a hot broker: two polls of one partition's backlog at once, then even traffic", () => {
    // A transactional pipeline restarted: its backlog of partition 1 goes out in two polls while the others wait.
    const perPoll = [[7, 7, 7], [0, 40, 0], [3, 35, 3], [7, 7, 7], [7, 7, 7], [7, 7, 7]];
    let history: Record<string, PartitionHistory> | undefined;
    const hw = [0, 0, 0];
    perPoll.forEach((rates, i) => {
      rates.forEach((r, p) => (hw[p] += r * STEP_S));
      const snapshot = buildSnapshot({
        collectedAt: T0 + i * STEP_S * 1000,
        topics: [buildUniformTopic("payments", 3, (p) => ({ leader: p + 1, highWatermark: hw[p], lastStableOffset: hw[p], sizeBytes: hw[p] * 200 }))],
      });
      history = foldHotStreaks(foldPartitions(history, snapshot, settings), snapshot, settings);
      const index = buildIndex(snapshot, snapshot.collectedAt, settings);
      expect(detectHotPartitions(index, history, [])).toEqual([]);
    });
    expect(history!["payments:1"].hotStreak).toBe(0);
  });
});

describe("detectHotPartitions on small topologies", () => {
  it("does not blame a broker when fewer partitions are written than there are brokers", () => {
    expect(run([40, 40], 2, [1, 1]).filter((f) => f.kind === "hot-broker")).toEqual([]);
  });
});

describe("hot streaks across a partial poll", () => {
  it("a poll that could not read the offsets neither extends nor breaks a streak", () => {
    const poll = (i: number, read: boolean) =>
      buildSnapshot({
        collectedAt: T0 + i * STEP_S * 1000,
        complete: read,
        phases: read
          ? []
          : [{ name: "offsets", startedAt: T0, durationMs: 1, requests: 1, bytesSent: 1, bytesReceived: 1, unsupported: false, errors: [{ brokerId: 1, code: "CONNECTION", message: "down" }] }],
        topics: [
          buildUniformTopic("events", 4, (p) => {
            const hw = read ? [10, 10, 10, 100][p] * STEP_S * i : null;
            return { leader: 1, highWatermark: hw, lastStableOffset: hw, sizeBytes: hw === null ? null : hw * 200 };
          }),
        ],
      });
    let history: Record<string, PartitionHistory> | undefined;
    const streaks: number[] = [];
    [true, true, true, false, false, true].forEach((read, i) => {
      const snapshot = poll(i, read);
      history = foldHotStreaks(foldPartitions(history, snapshot, settings), snapshot, settings);
      streaks.push(history["events:3"].hotStreak);
    });
    // Hot on polls 1 and 2, unknown on 3 and 4, hot again on 5 (its rate spans the gap): the streak goes on.
    expect(streaks).toEqual([0, 1, 2, 2, 2, 3]);
  });
});
