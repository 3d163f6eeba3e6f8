import { describe, expect, it } from "vitest";
import { coordinatorPartition } from "@/lib/analysis/java-hash";
import type { TopicState } from "@/lib/snapshot/types";
import { Coordinators } from "./coordinators";
import { PhaseContext } from "./phases";

const internal = (name: string, leaders: number[]): TopicState => ({
  name,
  internal: true,
  configs: {},
  partitions: leaders.map((leader, partition) => ({
    partition,
    leader,
    replicas: [1, 2, 3],
    isr: [1, 2, 3],
    offlineReplicas: [],
    logStartOffset: null,
    highWatermark: null,
    lastStableOffset: null,
    sizeBytes: null,
    producers: null,
  })),
});

describe("Coordinators", () => {
  // Three partitions led by brokers 1, 2, 3: an id's coordinator is the leader of partition hash % 3.
  const topics = [internal("__consumer_offsets", [1, 2, 3]), internal("__transaction_state", [3, 1, 2])];
  const ids = ["orders-app", "payments", "p3-java-eos-pipeline-payment-service-0", "g", "x"];

  it("keeps what a broker lists only for ids whose partition it leads, and says which broker does", () => {
    const ctx = new PhaseContext("groups");
    const kept = new Coordinators(topics).keepCoordinated(ctx, "group", 2, ids, (id) => id);
    const ledBy2 = ids.filter((id) => coordinatorPartition(id, 3) === 1);
    expect(kept).toEqual(ledBy2);
    expect(ctx.errors).toHaveLength(ids.length - ledBy2.length);
    const other = ids.find((id) => !ledBy2.includes(id))!;
    const leader = [1, 2, 3][coordinatorPartition(other, 3)];
    expect(ctx.errors.map((e) => e.message)).toContain(`group ${other} listed by broker 2, but broker ${leader} leads its __consumer_offsets partition (coordinator moving): left out`);
  });

  it("places transactional ids by __transaction_state", () => {
    const ctx = new PhaseContext("transactions");
    const kept = new Coordinators(topics).keepCoordinated(ctx, "transaction", 3, ids, (id) => id);
    expect(kept).toEqual(ids.filter((id) => coordinatorPartition(id, 3) === 0));
  });

  it("says which partitions' ids no listing covered: no leader, or a leader not asked", () => {
    const ctx = new PhaseContext("transactions");
    const electing = [internal("__consumer_offsets", [1, 2, 3]), internal("__transaction_state", [-1, 1, 3])];
    new Coordinators(electing).checkCoverage(ctx, "transaction", [1, 2]);
    expect(ctx.errors.map((e) => [e.brokerId, e.message])).toEqual([
      [null, "transactional ids on __transaction_state-0 not listed: it has no leader"],
      [3, "transactional ids on __transaction_state-2 not listed: its leader, broker 3, was not asked"],
    ]);
    const clean = new PhaseContext("groups");
    new Coordinators(electing).checkCoverage(clean, "group", [1, 2, 3]);
    new Coordinators([]).checkCoverage(clean, "group", [1]);
    expect(clean.errors).toEqual([]);
  });

  it("keeps everything when Metadata cannot place an id: the topic not shown, or its partition without a leader", () => {
    const ctx = new PhaseContext("groups");
    expect(new Coordinators([]).keepCoordinated(ctx, "group", 2, ids, (id) => id)).toEqual(ids);
    expect(new Coordinators([internal("__consumer_offsets", [-1, -1, -1])]).keepCoordinated(ctx, "group", 2, ids, (id) => id)).toEqual(ids);
    expect(ctx.errors).toEqual([]);
  });
});
