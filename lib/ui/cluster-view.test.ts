import { describe, expect, it } from "vitest";
import { clusterOverview } from "./cluster-view";
import { fixtureSnapshot, partition, topic } from "./testing/snapshot-fixture";

describe("clusterOverview", () => {
  it("counts offline, under-min-ISR and under-replicated partitions using the broker's min ISR", () => {
    const view = clusterOverview(fixtureSnapshot());
    expect(view.partitionCount).toBe(4);
    expect(view.offlineCount).toBe(1);
    expect(view.underReplicatedCount).toBe(1);
    expect(view.underMinIsrCount).toBe(0);
    expect(view.problemPartitions.map((p) => [p.partition, p.problem])).toEqual([
      [2, "offline"],
      [1, "under-replicated"],
    ]);
  });

  it("flags under-min-ISR when the topic asks for more in-sync replicas than it has", () => {
    const snap = fixtureSnapshot({
      topics: [topic("t", [partition({ partition: 0, isr: [1, 2] })], { "min.insync.replicas": "3" })],
    });
    const view = clusterOverview(snap);
    expect(view.underMinIsrCount).toBe(1);
  });

  it("lists a broker named by replicas but missing from metadata as not live", () => {
    const snap = fixtureSnapshot({ topics: [topic("t", [partition({ partition: 0, replicas: [1, 4], isr: [1] })])] });
    const view = clusterOverview(snap);
    const b4 = view.brokers.find((b) => b.nodeId === 4);
    expect(b4?.live).toBe(false);
    expect(view.brokers.find((b) => b.nodeId === 1)?.isController).toBe(true);
    expect(view.underMinIsrCount).toBe(1);
  });

  it("counts open transactions", () => {
    expect(clusterOverview(fixtureSnapshot()).openTransactionCount).toBe(1);
  });
});
