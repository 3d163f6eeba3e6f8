import { describe, expect, it } from "vitest";
import type { ClusterSnapshot } from "../snapshot/types";
import { runDetectors, type DetectorState } from "./index";
import { coordinatorPartition } from "./java-hash";
import { discoverPipelines } from "./pipelines";
import {
  T0,
  buildGroup,
  buildProducer,
  buildSnapshot,
  buildTransaction,
  buildUniformTopic,
} from "./testing/snapshot-builder";

// With 5 partitions "enricher" and "reporting" share partition 3: the downstream group must not be taken as input.
const OFFSETS_PARTITIONS = 5;
const groupPartition = coordinatorPartition("enricher", OFFSETS_PARTITIONS);

function poll(i: number, fields: { outputMinIsr?: string; downstreamCommitted?: number; outputLso?: number } = {}): ClusterSnapshot {
  const t = T0 + i * 15_000;
  return buildSnapshot({
    collectedAt: t,
    topics: [
      buildUniformTopic("__consumer_offsets", OFFSETS_PARTITIONS),
      buildUniformTopic("raw", 1, () => ({ highWatermark: 100, lastStableOffset: 100 })),
      buildUniformTopic(
        "enriched",
        1,
        () => ({ highWatermark: 500, lastStableOffset: fields.outputLso ?? 500 }),
        fields.outputMinIsr ? { "min.insync.replicas": fields.outputMinIsr } : {},
      ),
    ],
    groups: [
      buildGroup("enricher", [["raw", 0, 90]]),
      buildGroup("reporting", [["enriched", 0, fields.downstreamCommitted ?? 400]]),
    ],
    // The offsets partition is in the transaction only on the first poll: links must be remembered.
    transactions: [
      buildTransaction({
        transactionalId: "enricher-tx",
        producerId: 4,
        state: "Ongoing",
        transactionStartTimeMs: t,
        partitions: [
          { topic: "enriched", partition: 0 },
          ...(i === 0 ? [{ topic: "__consumer_offsets", partition: groupPartition }] : []),
        ],
      }),
    ],
  });
}

function run(polls: ClusterSnapshot[]) {
  let state: DetectorState | null = null;
  let result!: ReturnType<typeof runDetectors>;
  for (const s of polls) {
    result = runDetectors({ snapshot: s, previous: state, now: s.collectedAt });
    state = result.state;
  }
  return { pipelines: discoverPipelines(polls[polls.length - 1], state), findings: result.findings };
}

describe("discoverPipelines", () => {
  it("links id → group (by coordinator hash) → input and output topics, remembering links across polls", () => {
    expect(coordinatorPartition("reporting", OFFSETS_PARTITIONS)).toBe(groupPartition);
    const { pipelines, findings } = run([poll(0), poll(1)]);
    expect(pipelines).toHaveLength(1);
    expect(pipelines[0]).toMatchObject({
      transactionalId: "enricher-tx",
      groupIds: ["enricher"],
      inputTopics: ["raw"],
      outputTopics: ["enriched"],
      downstreamGroupIds: ["reporting"],
    });
    expect(Object.values(pipelines[0].checklist).map((c) => c.ok)).toEqual([true, true, true, true]);
    expect(findings.filter((f) => f.kind === "pipeline-checklist")).toEqual([]);
  });

  it("fails the checklist for a downstream read_uncommitted group and unsafe min ISR, with a finding", () => {
    const { pipelines, findings } = run([
      poll(0, { outputMinIsr: "1", outputLso: 300, downstreamCommitted: 450 }),
      poll(1, { outputMinIsr: "1", outputLso: 300, downstreamCommitted: 480 }),
    ]);
    expect(pipelines[0].checklist.downstreamReadCommitted.ok).toBe(false);
    expect(pipelines[0].checklist.safeMinInsyncReplicas.ok).toBe(false);
    const [f] = findings.filter((x) => x.kind === "pipeline-checklist");
    expect(f.evidence.failedChecks).toEqual(["downstreamReadCommitted", "safeMinInsyncReplicas"]);
    expect(f.title).toBe("Pipeline raw → enricher → enriched (enricher-tx) fails 2 exactly-once check(s)");
  });

  it("does not judge replication on a cluster of fewer than 3 brokers", () => {
    const small = { ...poll(0, { outputMinIsr: "1" }), brokers: [{ nodeId: 1, host: "h", port: 1, rack: null }] };
    const { pipelines, findings } = run([small]);
    expect(pipelines[0].checklist.safeMinInsyncReplicas.ok).toBe(null);
    expect(findings.filter((f) => f.kind === "pipeline-checklist")).toEqual([]);
  });

  it("links a pipeline whose transactions are never seen open, from partition producer state", () => {
    const s = poll(1);
    const quiet: ClusterSnapshot = {
      ...s,
      transactions: s.transactions.map((t) => ({ ...t, state: "CompleteCommit", partitions: [] })),
      topics: s.topics.map((t) =>
        t.name === "__consumer_offsets" || t.name === "enriched"
          ? {
              ...t,
              partitions: t.partitions.map((p) =>
                t.name === "enriched" || p.partition === groupPartition ? { ...p, producers: [buildProducer({ producerId: 4 })] } : p,
              ),
            }
          : t,
      ),
    };
    const { pipelines } = run([quiet]);
    expect(pipelines[0]).toMatchObject({ groupIds: ["enricher"], inputTopics: ["raw"], outputTopics: ["enriched"] });
    expect(pipelines[0].checklist.offsetsCommittedInTransaction.ok).toBe(true);
  });

  it("reports a producer-only id without offsets in its transactions and no finding", () => {
    const s = poll(1);
    const { pipelines, findings } = run([s]);
    expect(pipelines[0].groupIds).toEqual([]);
    expect(pipelines[0].checklist.offsetsCommittedInTransaction.ok).toBe(false);
    expect(findings.filter((f) => f.kind === "pipeline-checklist")).toEqual([]);
  });
});
