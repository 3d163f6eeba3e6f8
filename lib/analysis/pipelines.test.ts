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
      // The input group's offsets advance with every commit of the id: the evidence that links them.
      buildGroup("enricher", [["raw", 0, 90 + i]]),
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
  it("links id → group (offsets moving with its commits) → input and output topics, remembering links across polls", () => {
    expect(coordinatorPartition("reporting", OFFSETS_PARTITIONS)).toBe(groupPartition);
    const { pipelines, findings } = run([poll(0), poll(1)]);
    expect(pipelines).toHaveLength(1);
    expect(pipelines[0]).toMatchObject({
      transactionalId: "enricher-tx",
      groupIds: ["enricher"],
      inputTopics: ["raw"],
      outputTopics: ["enriched"],
      downstreamGroupIds: ["reporting"],
      groupLink: "proven",
      inactive: false,
    });
    expect(pipelines[0].kind).toBe("consume-transform-produce");
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
    expect(pipelines[0].checklist.offsetsCommittedInTransaction?.ok).toBe(true);
  });

  it("reports a producer-only id as a transactional producer, without the input-offsets check, and no finding", () => {
    const s = poll(1);
    const { pipelines, findings } = run([s]);
    expect(pipelines[0].groupIds).toEqual([]);
    expect(pipelines[0].kind).toBe("transactional-producer");
    expect(Object.keys(pipelines[0].checklist)).not.toContain("offsetsCommittedInTransaction");
    expect(findings.filter((f) => f.kind === "pipeline-checklist")).toEqual([]);
  });

  it("links only the group whose offsets move with the id's commits, not every group on its __consumer_offsets partition", () => {
    // An unrelated group on the same `__consumer_offsets` partition that does not move with the commits.
    const bystander = Array.from({ length: 200 }, (_, n) => `billing-${n}`).find((g) => coordinatorPartition(g, OFFSETS_PARTITIONS) === groupPartition)!;
    const withBystander = (i: number, bystanderMoves: boolean) => {
      const s = poll(i);
      return { ...s, groups: [...s.groups, buildGroup(bystander, [["raw", 0, bystanderMoves ? 10 + i : 10]])] };
    };
    // Before any gap is judged the hash names both: shown as ambiguous, never as two input groups.
    expect(run([withBystander(0, false)]).pipelines[0]).toMatchObject({ groupIds: ["enricher", bystander].sort(), groupLink: "ambiguous" });
    expect(run([withBystander(0, false), withBystander(1, false)]).pipelines[0]).toMatchObject({ groupIds: ["enricher"], groupLink: "proven" });
    // A bystander that happens to commit in the same gaps cannot be told apart: ambiguous, and said so.
    const both = run([withBystander(0, true), withBystander(1, true), withBystander(2, true)]).pipelines[0];
    expect(both).toMatchObject({ groupIds: ["enricher", bystander].sort(), groupLink: "ambiguous" });
  });

  it("leaves a Kafka Streams app's group, named by its producers' ids, to them when it shares the __consumer_offsets partition", () => {
    // A Streams app (application.id = its group id) on the same offsets partition, committing in every gap as Streams does.
    const app = Array.from({ length: 200 }, (_, n) => `order-enricher-${n}`).find((g) => coordinatorPartition(g, OFFSETS_PARTITIONS) === groupPartition)!;
    const streamsId = `${app}-6468c3fe-7c66-4439-a7b7-b64bf795efdb-1`;
    const withStreams = (i: number) => {
      const s = poll(i);
      return {
        ...s,
        groups: [...s.groups, buildGroup(app, [["raw", 0, 10 + i]])],
        transactions: [
          ...s.transactions,
          buildTransaction({
            transactionalId: streamsId,
            producerId: 9,
            state: "Ongoing",
            transactionStartTimeMs: s.collectedAt,
            partitions: [{ topic: "streams-out", partition: 0 }, { topic: "__consumer_offsets", partition: groupPartition }],
          }),
        ],
      };
    };
    const { pipelines } = run([withStreams(0), withStreams(1), withStreams(2)]);
    expect(pipelines.find((p) => p.transactionalId === "enricher-tx")).toMatchObject({ groupIds: ["enricher"], groupLink: "proven" });
    expect(pipelines.find((p) => p.transactionalId === streamsId)).toMatchObject({ groupIds: [app], groupLink: "proven" });
  });

  it("passes the stable-id check for ids fenced by their group generation (Streams: a UUID per start)", () => {
    const streamsIds = ["orders-app-6468c3fe-7c66-4439-a7b7-b64bf795efdb-1", "orders-app-80dff12b-dda7-4075-9849-1706dfa88a42-1", "orders-app-e66c98bd-d2f5-40e5-9a07-a81110985c2f-1"];
    const streams = (i: number) => {
      const s = poll(i);
      const transactions = streamsIds.slice(0, i + 1).map((id, n) =>
        buildTransaction({
          transactionalId: id,
          producerId: 10 + n,
          state: n === i ? "Ongoing" : "CompleteCommit",
          transactionStartTimeMs: n === i ? s.collectedAt : T0 - 60_000,
          partitions: n === i ? [{ topic: "enriched", partition: 0 }, { topic: "__consumer_offsets", partition: groupPartition }] : [],
        }),
      );
      return { ...s, transactions };
    };
    const { pipelines, findings } = run([streams(0), streams(1), streams(2)]);
    expect(findings.filter((f) => f.kind === "lost-fencing" || f.kind === "pipeline-checklist")).toEqual([]);
    for (const p of pipelines) expect(p.checklist.stableTransactionalId.ok).toBe(true);
  });

  it("shows ids whose instance is gone as inactive and leaves them out of the checks", () => {
    // Commits every 15 s, then nothing: inactive once quiet for max(inactiveMinMs, 20 × its interval).
    const active = [0, 1, 2, 3].map((i) => poll(i, { outputMinIsr: "1" }));
    const gone = (i: number) => {
      const s = poll(i, { outputMinIsr: "1" });
      return { ...s, groups: s.groups.map((g) => (g.groupId === "enricher" ? buildGroup("enricher", [["raw", 0, 93]]) : g)), transactions: s.transactions.map((t) => ({ ...t, state: "CompleteCommit", transactionStartTimeMs: T0 + 3 * 15_000, partitions: [] })) };
    };
    const live = run([...active, gone(4), gone(20)]);
    expect(live.pipelines[0].inactive).toBe(false);
    expect(live.findings.filter((f) => f.kind === "pipeline-checklist")).toHaveLength(1);
    const quiet = run([...active, gone(4), gone(44)]);
    expect(quiet.pipelines[0].inactive).toBe(true);
    expect(quiet.findings.filter((f) => f.kind === "pipeline-checklist")).toEqual([]);
  });
});
