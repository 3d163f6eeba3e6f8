import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { recordFailedPoll, recordPoll, ClusterMismatchError } from "./polls";
import {
  getGroupLagSeries,
  getLatestSnapshot,
  getPartitionHistory,
  getPollHistory,
  getSnapshotAt,
  getTransactionalIdEvents,
  getTransactionalIdStates,
  getGroupStates,
  listClusters,
  listFindings,
  getFinding,
  getFindingOccurrences,
  getAnalysisState,
} from "./queries";
import { FIXTURE_T0, fixtureTransaction, makeSnapshot } from "./test-fixtures";
import { openTestDatabase, type TestDatabase } from "./test-database";
import type { FindingRecordInput } from "./types";

let t: TestDatabase;
beforeEach(async () => {
  t = await openTestDatabase();
});
afterEach(async () => {
  await t.dispose();
});

const at = (pollIndex: number) => FIXTURE_T0 + pollIndex * 15_000;

function hangingFinding(overrides: Partial<FindingRecordInput> = {}): FindingRecordInput {
  return {
    key: "hanging-transaction-orders-0",
    kind: "hanging-transaction",
    severity: "critical",
    cluster: "fixture",
    subject: { topic: "orders", partition: 0, transactionalId: "orders-processor-0" },
    title: "Hanging transaction pins the LSO of orders-0",
    evidence: { lsoGap: 120, openForMs: 900_000 },
    explanation: "read_committed consumers cannot pass the LSO.",
    remediation: "Abort it with the command below.",
    ...overrides,
  };
}

describe("recordPoll", () => {
  it("stores changes of transactional ids as events and keeps their current state", async () => {
    await recordPoll(makeSnapshot({ collectedAt: at(0) }), [], {}, t.db);
    const second = await recordPoll(
      makeSnapshot({
        collectedAt: at(1),
        pollIndex: 1,
        transactions: [
          fixtureTransaction({ transactionalId: "orders-processor-0", state: "Ongoing", producerId: 4000, producerEpoch: 4, transactionStartTimeMs: at(1) - 500 }),
          fixtureTransaction({ transactionalId: "payments-processor-0", state: "Empty", producerId: 4001, producerEpoch: 1 }),
        ],
      }),
      [],
      {},
      t.db,
    );
    expect(second.transactionalIdEvents.map((e) => e.kind)).toEqual(["epoch-bump", "state-change"]);

    const events = await getTransactionalIdEvents("fixture", { transactionalId: "orders-processor-0" }, t.db);
    // Newest first: the two changes of poll 2, then the first sighting.
    expect(events.map((e) => [e.kind, e.prevEpoch, e.epoch])).toEqual([
      ["state-change", 3, 4],
      ["epoch-bump", 3, 4],
      ["appeared", null, 3],
    ]);
    expect(events[0].at.getTime()).toBe(at(1));

    const states = await getTransactionalIdStates("fixture", t.db);
    expect(states.find((s) => s.transactionalId === "orders-processor-0")).toMatchObject({
      state: "Ongoing",
      producerEpoch: 4,
      transactionStartTimeMs: at(1) - 500,
    });
    // An unchanged id gets no event but a fresh lastSeenAt.
    const payments = states.find((s) => s.transactionalId === "payments-processor-0")!;
    expect(payments.lastSeenAt.getTime()).toBe(at(1));
    expect(payments.lastChangedAt.getTime()).toBe(at(0));
  });

  it("does not report ids missing from a failed transactions listing as disappeared", async () => {
    await recordPoll(makeSnapshot({ collectedAt: at(0) }), [], {}, t.db);
    const failed = await recordPoll(makeSnapshot({ collectedAt: at(1), transactions: [], failedPhases: ["transactions"] }), [], {}, t.db);
    expect(failed.transactionalIdEvents).toEqual([]);
    const gone = await recordPoll(makeSnapshot({ collectedAt: at(2), transactions: [] }), [], {}, t.db);
    expect(gone.transactionalIdEvents.map((e) => [e.transactionalId, e.kind])).toEqual([
      ["orders-processor-0", "disappeared"],
      ["payments-processor-0", "disappeared"],
    ]);
    expect(await getTransactionalIdStates("fixture", t.db)).toEqual([]);
  });

  it("opens, updates and resolves a finding by key, and opens a new occurrence when it returns", async () => {
    const first = await recordPoll(makeSnapshot({ collectedAt: at(0) }), [hangingFinding()], {}, t.db);
    expect(first.findings.opened).toHaveLength(1);
    const id = first.findings.opened[0];

    const second = await recordPoll(
      makeSnapshot({ collectedAt: at(1), pollIndex: 1 }),
      [hangingFinding({ evidence: { lsoGap: 180, openForMs: 915_000 } })],
      {},
      t.db,
    );
    expect(second.findings).toMatchObject({ opened: [], stillOpen: [id], resolved: [] });
    const updated = await getFinding(id, t.db);
    expect(updated).toMatchObject({ evidence: { lsoGap: 180 }, resolvedAt: null, subject: { topic: "orders", partition: 0 } });
    expect(updated!.firstSeenAt.getTime()).toBe(at(0));
    expect(updated!.lastSeenAt.getTime()).toBe(at(1));

    // An incomplete poll without the finding must not resolve it.
    const partial = await recordPoll(makeSnapshot({ collectedAt: at(2), failedPhases: ["producers"] }), [], {}, t.db);
    expect(partial.findings.resolved).toEqual([]);
    // Neither may a complete poll whose detector for that kind did not run.
    const otherDetector = await recordPoll(makeSnapshot({ collectedAt: at(3) }), [], { detectorKinds: ["hot-partition"] }, t.db);
    expect(otherDetector.findings.resolved).toEqual([]);

    const resolved = await recordPoll(makeSnapshot({ collectedAt: at(4) }), [], {}, t.db);
    expect(resolved.findings.resolved).toEqual([id]);
    expect((await getFinding(id, t.db))!.resolvedAt!.getTime()).toBe(at(4));
    expect(await listFindings({ cluster: "fixture" }, t.db)).toEqual([]);

    const again = await recordPoll(makeSnapshot({ collectedAt: at(5) }), [hangingFinding()], {}, t.db);
    expect(again.findings.opened).toHaveLength(1);
    expect(again.findings.opened[0]).not.toBe(id);
    const occurrences = await getFindingOccurrences("fixture", "hanging-transaction-orders-0", t.db);
    expect(occurrences.map((o) => o.resolvedAt === null)).toEqual([true, false]);
  });

  it("resolves on a partial poll only the findings whose phases were collected cleanly", async () => {
    const hotPartition = hangingFinding({ key: "hot-partition-orders-1", kind: "hot-partition", severity: "warning", subject: { topic: "orders", partition: 1 } });
    const first = await recordPoll(makeSnapshot({ collectedAt: at(0) }), [hangingFinding(), hotPartition], {}, t.db);
    expect(first.findings.opened).toHaveLength(2);
    const [hangingId, hotId] = first.findings.opened; // opened in the order reported

    // Producers failed: the hanging transaction is unknown, the hot partition (offsets) is known to be gone.
    const partial = await recordPoll(makeSnapshot({ collectedAt: at(1), failedPhases: ["producers"] }), [], {}, t.db);
    expect(partial.findings.resolved).toEqual([hotId]);
    // Metadata failed: nothing else ran, nothing resolves.
    const down = await recordPoll(makeSnapshot({ collectedAt: at(2), failedPhases: ["metadata"] }), [], {}, t.db);
    expect(down.findings.resolved).toEqual([]);
    const complete = await recordPoll(makeSnapshot({ collectedAt: at(3) }), [], {}, t.db);
    expect(complete.findings.resolved).toEqual([hangingId]);
  });

  it("keeps the detectors' state once a minute", async () => {
    expect(await getAnalysisState("fixture", t.db)).toBeNull();
    await recordPoll(makeSnapshot({ collectedAt: at(0) }), [], { analysisState: { version: 1, seen: 1 } }, t.db);
    // 15 s later, inside the minute: the state is not rewritten.
    await recordPoll(makeSnapshot({ collectedAt: at(1) }), [], { analysisState: { version: 1, seen: 2 } }, t.db);
    expect(await getAnalysisState("fixture", t.db)).toEqual({ version: 1, seen: 1 });
    await recordPoll(makeSnapshot({ collectedAt: at(4) }), [], { analysisState: { version: 1, seen: 5 } }, t.db);
    expect(await getAnalysisState("fixture", t.db)).toEqual({ version: 1, seen: 5 });
  });

  it("rejects findings of another cluster", async () => {
    await expect(recordPoll(makeSnapshot(), [hangingFinding({ cluster: "other" })], {}, t.db)).rejects.toBeInstanceOf(ClusterMismatchError);
  });

  it("keeps a finding's commands with it, and reads findings stored before commands existed", async () => {
    const abort = { program: "kafka-transactions.sh", args: ["abort", "--topic=orders", "--partition", "0", "--start-offset", "1000"], purpose: "Abort it." };
    const first = await recordPoll(makeSnapshot({ collectedAt: at(0) }), [hangingFinding({ commands: [abort] })], {}, t.db);
    const id = first.findings.opened[0];
    expect(await getFinding(id, t.db)).toMatchObject({ evidence: { lsoGap: 120, openForMs: 900_000 }, commands: [abort] });
    expect(Object.keys((await getFinding(id, t.db))!.evidence)).toEqual(["lsoGap", "openForMs"]);

    // New commands alone are a change the finding is rewritten for.
    const describe = { program: "kafka-transactions.sh", args: ["describe", "--transactional-id=orders-processor-0"], purpose: "Look." };
    await recordPoll(makeSnapshot({ collectedAt: at(1), pollIndex: 1 }), [hangingFinding({ commands: [describe, abort] })], {}, t.db);
    expect((await getFinding(id, t.db))!.commands).toEqual([describe, abort]);

    await t.db.finding.update({ where: { id }, data: { evidence: { lsoGap: 120 } } });
    expect(await getFinding(id, t.db)).toMatchObject({ evidence: { lsoGap: 120 }, commands: [] });
  });

  it("serves the latest snapshot and the one at or before a time", async () => {
    for (let i = 0; i < 3; i++) await recordPoll(makeSnapshot({ collectedAt: at(i), pollIndex: i }), [], { sampleEveryMs: 0 }, t.db);
    const latest = await getLatestSnapshot("fixture", t.db);
    expect(latest!.collectedAt.getTime()).toBe(at(2));
    expect(latest!.snapshot).toEqual(makeSnapshot({ collectedAt: at(2), pollIndex: 2 }));

    const between = await getSnapshotAt("fixture", new Date(at(1) + 7_000), t.db);
    expect(between!.snapshot.collectedAt).toBe(at(1));
    expect(between!.snapshot.topics[0].partitions[0].highWatermark).toBe(makeSnapshot({ pollIndex: 1 }).topics[0].partitions[0].highWatermark);
    expect(await getSnapshotAt("fixture", new Date(at(0) - 1), t.db)).toBeNull();
    expect(await getLatestSnapshot("nope", t.db)).toBeNull();
  });

  it("keeps the history of every poll by default", async () => {
    for (let i = 0; i < 5; i++) expect((await recordPoll(makeSnapshot({ collectedAt: at(i), pollIndex: i }), [], {}, t.db)).sampled).toBe(true);
    const history = await getPartitionHistory("fixture", { topic: "orders", partition: 0, from: new Date(at(0)), to: new Date(at(4)) }, t.db);
    expect(history.map((p) => p.at.getTime())).toEqual([0, 1, 2, 3, 4].map(at));
  });

  it("keeps the history of one poll per sampling period when one is configured", async () => {
    const sampled: boolean[] = [];
    for (let i = 0; i < 9; i++) sampled.push((await recordPoll(makeSnapshot({ collectedAt: at(i), pollIndex: i }), [], { sampleEveryMs: 60_000 }, t.db)).sampled);
    expect(sampled).toEqual([true, false, false, false, true, false, false, false, true]);
    const history = await getPartitionHistory("fixture", { topic: "orders", partition: 0, from: new Date(at(0)), to: new Date(at(8)) }, t.db);
    expect(history.map((p) => p.at.getTime())).toEqual([at(0), at(4), at(8)]);
    // Time travel lands on the last kept snapshot; the latest snapshot is always the newest poll.
    expect((await getSnapshotAt("fixture", new Date(at(7)), t.db))!.collectedAt.getTime()).toBe(at(4));
    expect((await getLatestSnapshot("fixture", t.db))!.collectedAt.getTime()).toBe(at(8));
  });

  it("records samples the history queries read back", async () => {
    for (let i = 0; i < 3; i++) await recordPoll(makeSnapshot({ collectedAt: at(i), pollIndex: i }), [], { sampleEveryMs: 0 }, t.db);
    const history = await getPartitionHistory("fixture", { topic: "orders", partition: 1, from: new Date(at(0)), to: new Date(at(2)) }, t.db);
    expect(history.map((p) => p.hw)).toEqual([0, 1, 2].map((i) => makeSnapshot({ pollIndex: i }).topics[0].partitions[1].highWatermark));
    expect(history[0]).toMatchObject({ partition: 1, isrCount: 3, replicaCount: 3, openTxnCount: 0 });

    const lag = await getGroupLagSeries("fixture", { groupId: "orders-consumer", from: new Date(at(0)), to: new Date(at(2)) }, t.db);
    expect(lag).toHaveLength(3);
    // The fixture group commits 5 short of each of the 6 partitions' LSO.
    expect(lag.every((p) => p.lag === 30 && p.partitions === 6 && p.heldBackByTransactions === 0)).toBe(true);
    expect((await getGroupStates("fixture", t.db)).map((g) => g.groupId)).toEqual(["orders-consumer"]);
  });

  it("stores a poll the database did not take, written later, with the phase that failed and without touching findings", async () => {
    await recordPoll(makeSnapshot({ collectedAt: at(0) }), [hangingFinding()], {}, t.db);
    await recordPoll(makeSnapshot({ collectedAt: at(2), pollIndex: 2 }), [hangingFinding()], {}, t.db);
    const error = "STORE: not stored, the database was unavailable from A to B: terminating connection";
    await recordFailedPoll({ cluster: "fixture", startedAt: new Date(at(1)), durationMs: 40, error, phase: "store" }, t.db);
    const polls = await t.db.poll.findMany({ orderBy: { startedAt: "asc" }, select: { startedAt: true, complete: true, error: true, phases: true } });
    expect(polls[1]).toEqual({
      startedAt: new Date(at(1)),
      complete: false,
      error,
      phases: [{ name: "store", durationMs: 40, requests: 0, bytesSent: 0, bytesReceived: 0, errorCount: 1, errors: [{ brokerId: null, code: "STORE", message: error }], unsupported: false }],
    });
    // Written after a newer poll, it is not the cluster's last poll, and the finding stays open.
    const [overview] = await listClusters({}, t.db);
    expect(overview.lastPoll).toMatchObject({ complete: true, error: null });
    expect(overview.openFindings.total).toBe(1);
  });

  it("lists clusters with their last poll and open finding counts, including failed polls", async () => {
    await recordPoll(makeSnapshot({ collectedAt: at(0) }), [hangingFinding(), hangingFinding({ key: "k2", severity: "warning" })], {}, t.db);
    await recordFailedPoll({ cluster: "fixture", startedAt: new Date(at(1)), durationMs: 30_000, error: "ECONNREFUSED 127.0.0.1:9092" }, t.db);
    const [overview] = await listClusters({}, t.db);
    expect(overview).toMatchObject({
      name: "fixture",
      kafkaClusterId: "q1Sh-9_ISia_zwGINzRvyQ",
      lastPoll: { complete: false, error: "ECONNREFUSED 127.0.0.1:9092", errorCount: 1 },
      openFindings: { critical: 1, warning: 1, info: 0, total: 2 },
    });
    expect(overview.lastSnapshotAt!.getTime()).toBe(at(0));
    const polls = await getPollHistory("fixture", {}, t.db);
    expect(polls.map((p) => p.complete)).toEqual([false, true]);
    expect(polls[1].partitionCount).toBe(11);
  });
});
