// Each single-node scenario, polled by the real collector and detectors, yields its finding (kind + subject)
// within two polls of the situation existing (plus the history a detector needs by design), and nothing else
// about its own topics, groups and transactional ids. One broker for the file (verification off, which
// scenario 3 needs; kafkajs transactions behave the same either way); a fresh detector history per test.
// Thresholds are scaled to a 2 s poll (SCALED_SETTINGS) and passed explicitly.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discoverPipelines, type Finding } from "@/lib/analysis";
import type { ClusterCollector } from "@/lib/kafka/collector";
import { findHanging } from "../../../scripts/kafka/cli";
import {
  runHangingTransaction,
  runHealthyPipeline,
  runHotPartition,
  runLagOfOne,
  runMixedWriters,
  runReadUncommittedGroup,
  runStuckTransaction,
  runUnstableTransactionalId,
  runZombieFencing,
} from "../../../scripts/scenarios";
import { waitFor } from "../../../scripts/scenarios/support";
import { useKafka } from "../scenarios/kafka-under-test";
import {
  DetectionSession,
  LatencyReport,
  SCALED_POLL_MS,
  SCALED_SETTINGS,
  describeFinding,
  findingsOf,
  openCollector,
  reportedAbout,
  type PollRecord,
  type ScenarioEntities,
} from "./detection-session";

const POLL_MS = SCALED_POLL_MS;
const SETTINGS = SCALED_SETTINGS;
const MAX_LATENCY_POLLS = 2;
const TEST_TIMEOUT_MS = 120_000;

/**
 * RF 1 on a transactionally written topic is reported (as info: the cluster has < 3 brokers) for every
 * scenario that writes transactions: inherent to a single-node broker, so checked apart.
 */
const SINGLE_NODE_CONFIG = "config-low-replication" as const;

describe("detectors on scenarios, single 4.4.0 broker", () => {
  const kafka = useKafka({
    version: "4.4.0",
    nodes: 1,
    name: "detection-single",
    brokerConfig: { "transaction.partition.verification.enable": "false" },
  });
  const report = new LatencyReport();
  let collector: ClusterCollector;

  beforeAll(() => {
    collector = openCollector(kafka.cluster.brokers, "detection");
  });
  afterAll(async () => {
    await collector?.close();
    report.print("detection latency (polls after the situation + design threshold; 1 = first poll)");
  });

  const newSession = () => new DetectionSession(collector, POLL_MS, SETTINGS);

  /** Reported about the entities, single-node config findings aside (which must stay info). */
  function othersAbout(session: DetectionSession, entities: ScenarioEntities): string[] {
    const lowReplication = session.polls.flatMap((p) => findingsOf(p, SINGLE_NODE_CONFIG, entities));
    expect(lowReplication.every((f) => f.severity === "info")).toBe(true);
    return reportedAbout(session.polls, entities, [SINGLE_NODE_CONFIG]);
  }

  const has = (kind: Finding["kind"], entities: ScenarioEntities, match: (f: Finding) => boolean = () => true) =>
    (poll: PollRecord) => findingsOf(poll, kind, entities).some(match);

  it("1. healthy pipeline: no finding about its entities; discovered with a passing checklist", async () => {
    const session = newSession();
    const scenario = await kafka.run(runHealthyPipeline, { tickMs: 250 });
    const { inputTopic, outputTopic, groupId, transactionalId } = scenario.info;
    const entities = { topics: [inputTopic, outputTopic], groupIds: [groupId], transactionalIds: [transactionalId] };

    // Exists once a transaction has committed offsets (sendOffsets) for the group.
    await waitFor("a committed transaction", () => (scenario.progress().transactionsCommitted > 0 ? true : undefined));
    const existedAt = Date.now();
    const discovered = await session.pollUntil(
      "pipeline discovered",
      (p) => discoverPipelines(p.snapshot, p.state).some((pl) => pl.transactionalId === transactionalId && pl.groupIds.includes(groupId)),
      MAX_LATENCY_POLLS,
    );
    report.add("1 healthy-pipeline", "pipeline discovery", session.latencySince(existedAt, discovered));
    // Long enough for STALLED / stuck-LSO thresholds to have fired if anything were wrong.
    while (session.polls.length < Math.ceil(SETTINGS.stallMs / POLL_MS) + 3) await session.poll();

    const last = session.polls.at(-1)!;
    const pipeline = discoverPipelines(last.snapshot, last.state).find((pl) => pl.transactionalId === transactionalId)!;
    expect(pipeline).toMatchObject({ groupIds: [groupId], inputTopics: [inputTopic], outputTopics: [outputTopic] });
    expect(pipeline.checklist.stableTransactionalId.ok).toBe(true);
    expect(pipeline.checklist.offsetsCommittedInTransaction?.ok).toBe(true);
    expect(Object.values(pipeline.checklist).filter((item) => item.ok === false)).toEqual([]);
    expect(othersAbout(session, entities)).toEqual([]);
    expect(last.derived.groups.find((g) => g.groupId === groupId)?.verdict).toBe("OK");
  }, TEST_TIMEOUT_MS);

  it("2. stuck transaction: stuck LSO names the culprit id and the blocked group; the group is TXN_BLOCKED", async () => {
    const session = newSession();
    const scenario = await kafka.run(runStuckTransaction, { trailingWriteMs: 500, transactionTimeoutMs: 60_000 });
    const { topic, partition, transactionalId, groupId, openedAt, transactionFirstOffset } = scenario.info;
    const entities = { topics: [topic], groupIds: [groupId], transactionalIds: [transactionalId] };
    const stuckLso = (f: Finding) => f.subject.partition === partition && f.subject.transactionalId === transactionalId;

    // Exists from openedAt (LSO pinned, plain writes behind it); stuck-LSO needs lsoStuckMs of it by design.
    const detected = await session.pollUntil("stuck-lso", has("stuck-lso", entities, stuckLso), 10);
    const latency = session.latencySince(openedAt + SETTINGS.lsoStuckMs, detected);
    report.add("2 stuck-transaction", "stuck-lso", latency);
    expect(latency).toBeLessThanOrEqual(MAX_LATENCY_POLLS);
    const finding = findingsOf(detected, "stuck-lso", entities).find(stuckLso)!;
    expect(finding.evidence).toMatchObject({ lastStableOffset: transactionFirstOffset, culpritTransactionalId: transactionalId });
    expect(finding.evidence.groupsWaitingAtLso).toEqual([groupId]);

    // The group waits at the LSO; TXN_BLOCKED needs txnBlockedMs of an open transaction by design.
    const blocked = await session.pollUntil(
      "eos-lag TXN_BLOCKED",
      has("eos-lag", entities, (f) => f.subject.groupId === groupId && f.subject.detail === "TXN_BLOCKED"),
      6,
    );
    const blockedLatency = session.latencySince(openedAt + SETTINGS.txnBlockedMs, blocked);
    report.add("2 stuck-transaction", "eos-lag TXN_BLOCKED", blockedLatency);
    expect(blockedLatency).toBeLessThanOrEqual(MAX_LATENCY_POLLS);
    await session.poll();

    // The plain writes that move the HW behind the open transaction make the topic genuinely mixed.
    expect(othersAbout(session, entities)).toEqual(
      [
        describeFinding({ kind: "stuck-lso", subject: { topic, partition, transactionalId } }),
        describeFinding({ kind: "eos-lag", subject: { groupId, detail: "TXN_BLOCKED" } }),
        describeFinding({ kind: "mixed-writers", subject: { topic } }),
      ].sort(),
    );
  }, TEST_TIMEOUT_MS);

  it("3. hanging transaction: confirmed on its second poll, and the hanging set equals kafka-transactions find-hanging", async () => {
    const session = newSession();
    // find-hanging's window = the broker's transaction.max.timeout.ms (60 s here), which the detector uses too.
    const cliHanging = async () =>
      (await findHanging(kafka.cluster, { maxTransactionTimeoutMinutes: 1 })).map(hangingKey).sort();
    const detectedHanging = (poll: PollRecord) =>
      poll.findings
        .filter((f) => f.kind === "hanging-transaction")
        .map((f) => hangingKey({ topic: f.subject.topic!, partition: f.subject.partition!, producerId: f.evidence.producerId as number, startOffset: f.evidence.startOffset as number }))
        .sort();

    const before = await session.poll();
    expect(detectedHanging(before)).toEqual([]);
    expect(await cliHanging()).toEqual([]);

    const scenario = await kafka.run(runHangingTransaction, { onStop: "abort" });
    const { topic, partition, transactionalId, producerId, hangingOffset } = scenario.info;
    const entities = { topics: [topic], transactionalIds: [transactionalId] };
    const startPoll = session.polls.length;

    // A candidate once the batch is written (backdated past transaction.max.timeout.ms), confirmed a poll later.
    const detected = await session.pollUntil("hanging-transaction", has("hanging-transaction", entities), 4);
    const latency = detected.n - startPoll;
    report.add("3 hanging-transaction", "hanging-transaction", latency);
    expect(latency).toBeLessThanOrEqual(MAX_LATENCY_POLLS);
    const expected = [hangingKey({ topic, partition, producerId, startOffset: hangingOffset })];
    expect(detectedHanging(detected)).toEqual(expected);
    expect(await cliHanging()).toEqual(expected);
    expect(findingsOf(detected, "hanging-transaction", entities)[0]).toMatchObject({
      severity: "critical",
      subject: { topic, partition, transactionalId },
    });
    await session.poll();

    // The two plain records written before the hanging batch share its topic with a transactional writer.
    expect(othersAbout(session, entities)).toEqual(
      [
        describeFinding({ kind: "hanging-transaction", subject: { topic, partition, transactionalId } }),
        describeFinding({ kind: "mixed-writers", subject: { topic } }),
      ].sort(),
    );

    await scenario.stop();
    const after = await session.poll();
    expect(detectedHanging(after)).toEqual([]);
    expect(await cliHanging()).toEqual([]);
  }, TEST_TIMEOUT_MS);

  it("4. fencing fight: fencing-fight on the shared transactional id", async () => {
    const session = newSession();
    // As in the scenario registry: the leader commits between fences, as a live service does.
    const scenario = await kafka.run(runZombieFencing, { rounds: 6, intervalMs: 3000, commitMs: 500 });
    const { topic, transactionalId, fences } = scenario.info;
    const entities = { topics: [topic], transactionalIds: [transactionalId] };
    const fenceFightCount = 3;

    const detected = await session.pollUntil("fencing-fight", has("fencing-fight", entities), 15);
    // Fences are epoch changes between polls: those before the first poll that saw the id are invisible (its
    // epoch is just a starting point). Exists at the fenceFightCount-th fence after that poll.
    const firstSeen = session.polls.find((p) => p.snapshot.transactions.some((t) => t.transactionalId === transactionalId))!;
    const observable = fences.filter((f) => f.at > firstSeen.collectedAt);
    expect(observable.length).toBeGreaterThanOrEqual(fenceFightCount);
    const latency = session.latencySince(observable[fenceFightCount - 1].at, detected);
    report.add("4 zombie-fencing", "fencing-fight", latency, `(fences ${fences.length}, ${observable.length} after the first poll)`);
    expect(latency).toBeLessThanOrEqual(MAX_LATENCY_POLLS);
    await session.poll();

    // zombie-fenced is the same condition below the fight threshold: never reported alongside the fight.
    for (const poll of session.polls) {
      if (findingsOf(poll, "fencing-fight", entities).length) expect(findingsOf(poll, "zombie-fenced", entities)).toEqual([]);
    }
    expect(othersAbout(session, entities).filter((f) => !f.startsWith("zombie-fenced "))).toEqual([
      describeFinding({ kind: "fencing-fight", subject: { transactionalId } }),
    ]);
  }, TEST_TIMEOUT_MS);

  it("5. unstable transactional id: lost-fencing on the id family", async () => {
    const session = newSession();
    const scenario = await kafka.run(runUnstableTransactionalId, {});
    const { topic, transactionalIdPrefix, transactionalIds } = scenario.info;
    const family = `${transactionalIdPrefix}*`;
    const entities = { topics: [topic], transactionalIds: [...transactionalIds, family] };

    // Exists once the ids are registered (before the scenario returns); generated ids are flagged at first sight.
    const detected = await session.pollUntil("lost-fencing", has("lost-fencing", entities), MAX_LATENCY_POLLS);
    report.add("5 unstable-transactional-id", "lost-fencing", detected.n);
    expect(findingsOf(detected, "lost-fencing", entities)[0].evidence.distinctIds).toBe(transactionalIds.length);
    await session.poll();

    expect(othersAbout(session, entities)).toEqual([describeFinding({ kind: "lost-fencing", subject: { transactionalId: family } })]);
  }, TEST_TIMEOUT_MS);

  it("6. hot partition: persistently hot on exactly the whale's partitions", async () => {
    const session = newSession();
    const scenario = await kafka.run(runHotPartition, {});
    const { topic, hotPartitions } = scenario.info;
    const entities = { topics: [topic] };
    const persistentOn = (poll: PollRecord) =>
      findingsOf(poll, "hot-partition", entities)
        .filter((f) => f.severity === "warning")
        .map((f) => f.subject.partition!)
        .sort((a, b) => a - b);

    // Rates need two polls with offsets, persistence hotPersistentPolls hot rates: the first poll that reads
    // the hot partitions' offsets + hotPersistentPolls at the earliest (a new topic's first poll may miss some).
    const readsTopic = (p: PollRecord) =>
      p.snapshot.topics
        .find((t) => t.name === topic)
        ?.partitions.every((part) => !hotPartitions.includes(part.partition) || part.highWatermark !== null) ?? false;
    const detected = await session.pollUntil(
      "persistent hot partitions",
      (p) => JSON.stringify(persistentOn(p)) === JSON.stringify(hotPartitions),
      SETTINGS.hotPersistentPolls + 1 + 4,
    );
    const firstRead = session.polls.find(readsTopic)!;
    const latency = detected.n - (firstRead.n + SETTINGS.hotPersistentPolls - 1);
    report.add("6 hot-partition", "hot-partition (persistent)", latency, `(poll ${detected.n}, offsets read from poll ${firstRead.n})`);
    expect(latency).toBeLessThanOrEqual(MAX_LATENCY_POLLS);

    expect(othersAbout(session, entities)).toEqual(
      hotPartitions.map((partition) => describeFinding({ kind: "hot-partition", subject: { topic, partition } })).sort(),
    );
  }, TEST_TIMEOUT_MS);

  it("7. read_uncommitted group: read-uncommitted on the group, no lag verdict against it", async () => {
    const session = newSession();
    const scenario = await kafka.run(runReadUncommittedGroup, { trailingWriteMs: 500, transactionTimeoutMs: 60_000 });
    const { topic, partition, transactionalId, groupId, openedAt, transactionFirstOffset } = scenario.info;
    const entities = { topics: [topic], groupIds: [groupId], transactionalIds: [transactionalId] };
    const committedPastLso = (poll: PollRecord) =>
      poll.snapshot.groups
        .find((g) => g.groupId === groupId)
        ?.offsets.some((o) => o.topic === topic && o.partition === partition && o.offset > transactionFirstOffset) ?? false;

    const detected = await session.pollUntil("read-uncommitted", has("read-uncommitted", entities), 10);
    // Exists when the group's committed offset passed the open transaction's first offset (first poll to see
    // it); by design the detector confirms it with the previous poll's commit, so the earliest is the next poll.
    const existed = session.polls.find(committedPastLso)!;
    const latency = session.latencySince(existed.collectedAt, detected);
    report.add("7 read-uncommitted-group", "read-uncommitted", latency);
    expect(latency).toBeLessThanOrEqual(MAX_LATENCY_POLLS);

    // Give stuck-LSO and a would-be TXN_BLOCKED verdict their thresholds, then two more polls.
    const settled = openedAt + Math.max(SETTINGS.lsoStuckMs, SETTINGS.stallMs);
    while ((session.polls.at(-1)?.collectedAt ?? 0) < settled) await session.poll();
    await session.pollTimes(2);
    expect(session.polls.at(-1)!.derived.groups.find((g) => g.groupId === groupId)?.verdict).toBe("OK");

    // The open transaction behind the plain writes is scenario 2's situation: stuck LSO and a mixed topic.
    expect(othersAbout(session, entities)).toEqual(
      [
        describeFinding({ kind: "read-uncommitted", subject: { groupId } }),
        describeFinding({ kind: "stuck-lso", subject: { topic, partition, transactionalId } }),
        describeFinding({ kind: "mixed-writers", subject: { topic } }),
      ].sort(),
    );
  }, TEST_TIMEOUT_MS);

  it("8. mixed writers: mixed-writers on the shared topic", async () => {
    const session = newSession();
    // Short transactions: the LSO moves between polls, as in a healthy transactional writer.
    const scenario = await kafka.run(runMixedWriters, { transactionOpenMs: 500 });
    const { topic, transactionalId } = scenario.info;
    const entities = { topics: [topic], transactionalIds: [transactionalId] };

    // Exists when both have written (before the scenario returns); a plain producer must be seen on two polls.
    const detected = await session.pollUntil("mixed-writers", has("mixed-writers", entities), 5);
    const latency = detected.n - 1;
    report.add("8 mixed-writers", "mixed-writers", latency);
    expect(latency).toBeLessThanOrEqual(MAX_LATENCY_POLLS);
    await session.poll();

    expect(othersAbout(session, entities)).toEqual([describeFinding({ kind: "mixed-writers", subject: { topic } })]);
  }, TEST_TIMEOUT_MS);

  it("10. lag of one: no lag finding, verdict OK although HW − committed = 1", async () => {
    const session = newSession();
    const scenario = await kafka.run(runLagOfOne, {});
    const { topic, partition, groupId, transactionalId, highWatermark, committedOffset } = scenario.info;
    const entities = { topics: [topic], groupIds: [groupId], transactionalIds: [transactionalId] };
    expect(highWatermark - committedOffset).toBe(1);

    // Exists at once (the group caught up before the scenario returned); STALLED would need stallMs.
    while (session.polls.length < Math.ceil(SETTINGS.stallMs / POLL_MS) + 2) {
      const poll = await session.poll();
      const group = poll.derived.groups.find((g) => g.groupId === groupId);
      expect(group?.verdict).toBe("OK");
      expect(group?.partitions.find((p) => p.topic === topic && p.partition === partition)).toMatchObject({
        committed: committedOffset,
        highWatermark,
        consumable: 0,
        verdict: "OK",
      });
    }
    report.add("10 lag-of-one", "eos-lag (none expected)", "-", `(${session.polls.length} polls, verdict OK on each)`);
    expect(othersAbout(session, entities)).toEqual([]);
  }, TEST_TIMEOUT_MS);
});

function hangingKey(h: { topic: string; partition: number; producerId: number; startOffset: number }): string {
  return `${h.topic}-${h.partition} producer ${h.producerId} from ${h.startOffset}`;
}
