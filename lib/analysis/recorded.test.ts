// Every detector on snapshot sequences recorded from the real scenarios (scripts/record-snapshots.ts: a real
// 4.4.0 broker, the real collector, 2 s polls, thresholds scaled to them). Each recording is replayed through
// runDetectors with its own clock and settings; each scenario must yield exactly its findings (kind + subject)
// about its own topics, groups and transactional ids, and nothing else. The expectations are those of
// e2e/integration/detection, which established them live.
import { describe, expect, it } from "vitest";
import type {
  HangingTransactionInfo,
  HealthyPipelineInfo,
  HotPartitionInfo,
  JavaEosPipelineInfo,
  JavaFencingPairInfo,
  JavaKip848GroupsInfo,
  JavaOpenTransactionInfo,
  StreamsEosInfo,
  LagOfOneInfo,
  MixedWritersInfo,
  OpenTransactionInfo,
  RiskyConfigsInfo,
  UnstableTransactionalIdInfo,
  ZombieFencingInfo,
} from "../../scripts/scenarios";
import type { ClusterSnapshot } from "../snapshot/types";
import { KAFKA_PROGRAMS } from "./commands";
import type { FindingSubject } from "./findings";
import { discoverPipelines, runDetectors, type Derived, type DetectorState, type Finding, type FindingKind } from "./index";
import { DEFAULT_SETTINGS, resolveSettings, type DetectorSettings } from "./settings";
import { readRecording, recordingPath, type Recording } from "./testing/recorded/recording";

interface ReplayedPoll {
  snapshot: ClusterSnapshot;
  now: number;
  findings: Finding[];
  derived: Derived;
  state: DetectorState;
}

interface Replay<Info extends object> {
  recording: Recording<Info>;
  /** The recorded (scaled) settings over the defaults. */
  settings: DetectorSettings;
  polls: ReplayedPoll[];
}

/** `at: "default"` replays with DEFAULT_SETTINGS instead of the recorded scaled thresholds. */
function replay<Info extends object>(id: number, name: string, at: "recorded" | "default" = "recorded"): Replay<Info> {
  const recording = readRecording<Info>(recordingPath({ id, name }));
  // Recordings made before txnBlockedMs existed timed TXN_BLOCKED with the LSO-pinned threshold: keep that scale.
  const settings =
    at === "default"
      ? DEFAULT_SETTINGS
      : resolveSettings({ txnBlockedMs: recording.settings.lsoStuckMs ?? DEFAULT_SETTINGS.txnBlockedMs, ...recording.settings });
  let previous: DetectorState | null = null;
  const polls = recording.snapshots.map((snapshot) => {
    const now = snapshot.collectedAt + snapshot.durationMs;
    const result = runDetectors({ snapshot, previous, now, settings });
    previous = result.state;
    return { snapshot, now, ...result };
  });
  return { recording, settings, polls };
}

/** A scenario names every topic, group and transactional id it creates with the recording's prefix. */
function isAbout(finding: Finding, prefix: string): boolean {
  const { topic, groupId, transactionalId } = finding.subject;
  return [topic, groupId, transactionalId].some((name) => name?.startsWith(prefix));
}

function describeFinding(kind: FindingKind, subject: FindingSubject): string {
  const fields = Object.entries(subject)
    .filter(([, value]) => value !== undefined)
    .map(([field, value]) => `${field}=${value}`)
    .sort();
  return [kind, ...fields].join(" ");
}

function describeAll(findings: Array<Pick<Finding, "kind" | "subject">>): string[] {
  return [...new Set(findings.map((f) => describeFinding(f.kind, f.subject)))].sort();
}

function about(poll: ReplayedPoll, prefix: string, kind?: FindingKind): Finding[] {
  return poll.findings.filter((f) => isAbout(f, prefix) && (kind === undefined || f.kind === kind));
}

/**
 * RF 1 on a transactionally written topic is reported (as info: the cluster has < 3 brokers) for every
 * scenario that writes transactions: inherent to the single-node broker, so checked apart.
 */
const SINGLE_NODE_CONFIG: FindingKind = "config-low-replication";

/** Everything reported about the scenario's entities over all polls, single-node config findings aside (info only). */
function reportedAbout({ recording, polls }: Replay<object>): string[] {
  const findings = polls.flatMap((p) => about(p, recording.prefix));
  const lowReplication = findings.filter((f) => f.kind === SINGLE_NODE_CONFIG);
  expect(lowReplication.every((f) => f.severity === "info")).toBe(true);
  return describeAll(findings.filter((f) => f.kind !== SINGLE_NODE_CONFIG));
}

/** What the single-node broker itself (verification off for scenario 3, RF 1 transaction log) is reported for. */
const SINGLE_NODE_BROKER_FINDINGS = [
  describeFinding("config-verification-disabled", { detail: "transaction.partition.verification.enable" }),
  describeFinding("config-transaction-log", { detail: "transaction.state.log.replication.factor" }),
  describeFinding("config-transaction-log", { detail: "transaction.state.log.min.isr" }),
].sort();

function expectOnlyBrokerFindingsBeyond({ recording, polls }: Replay<object>): void {
  const beyond = polls.flatMap((p) => p.findings.filter((f) => !isAbout(f, recording.prefix)));
  expect(describeAll(beyond)).toEqual(SINGLE_NODE_BROKER_FINDINGS);
}

const polled = (polls: ReplayedPoll[], kind: FindingKind, prefix: string) => polls.filter((p) => about(p, prefix, kind).length > 0);

describe("detectors on recorded scenario snapshots (real 4.4.0 broker, 2 s polls, scaled thresholds)", () => {
  it("1. healthy pipeline: nothing about its entities; discovered with a passing checklist; verdict OK", () => {
    const run = replay<HealthyPipelineInfo>(1, "healthy-pipeline");
    const { inputTopic, outputTopic, groupId, transactionalId } = run.recording.info;

    // Long enough for STALLED and stuck-LSO to have fired if anything were wrong.
    const lastPoll = run.polls.at(-1)!;
    expect(lastPoll.now - run.polls[0].snapshot.collectedAt).toBeGreaterThan(run.settings.stallMs);
    const pipeline = discoverPipelines(lastPoll.snapshot, lastPoll.state).find((p) => p.transactionalId === transactionalId);
    expect(pipeline).toMatchObject({ groupIds: [groupId], inputTopics: [inputTopic], outputTopics: [outputTopic] });
    expect(pipeline!.checklist.stableTransactionalId.ok).toBe(true);
    expect(pipeline!.checklist.offsetsCommittedInTransaction?.ok).toBe(true);
    expect(Object.values(pipeline!.checklist).filter((item) => item.ok === false)).toEqual([]);

    expect(reportedAbout(run)).toEqual([]);
    expect(lastPoll.derived.groups.find((g) => g.groupId === groupId)?.verdict).toBe("OK");
    expectOnlyBrokerFindingsBeyond(run);
  });

  it("2. stuck transaction: stuck-lso names the culprit id and the waiting group, which is TXN_BLOCKED", () => {
    const run = replay<OpenTransactionInfo>(2, "stuck-transaction");
    const { topic, partition, transactionalId, groupId, openedAt, transactionFirstOffset } = run.recording.info;
    const { prefix } = run.recording;
    const { settings } = run;

    expect(reportedAbout(run)).toEqual(
      [
        describeFinding("stuck-lso", { topic, partition, transactionalId }),
        describeFinding("eos-lag", { groupId, detail: "TXN_BLOCKED" }),
        // The plain writes that move the HW behind the open transaction make the topic genuinely mixed.
        describeFinding("mixed-writers", { topic }),
      ].sort(),
    );
    const stuck = polled(run.polls, "stuck-lso", prefix);
    expect(stuck.length).toBeGreaterThan(0);
    // Never before the transaction has been open for lsoStuckMs (nor TXN_BLOCKED before txnBlockedMs).
    expect(stuck.every((p) => p.now >= openedAt + settings.lsoStuckMs)).toBe(true);
    expect(polled(run.polls, "eos-lag", prefix).every((p) => p.now >= openedAt + settings.txnBlockedMs)).toBe(true);
    expect(about(stuck.at(-1)!, prefix, "stuck-lso")[0].evidence).toMatchObject({
      lastStableOffset: transactionFirstOffset,
      culpritTransactionalId: transactionalId,
      groupsWaitingAtLso: [groupId],
    });
    expect(run.polls.at(-1)!.derived.groups.find((g) => g.groupId === groupId)?.verdict).toBe("TXN_BLOCKED");
    expectOnlyBrokerFindingsBeyond(run);
  });

  it("3. hanging transaction: critical, with the exact abort command, until the scenario aborts it", () => {
    const run = replay<HangingTransactionInfo>(3, "hanging-transaction");
    const { topic, partition, transactionalId, producerId, hangingOffset } = run.recording.info;
    const { prefix, stoppedAt } = run.recording;

    expect(reportedAbout(run)).toEqual(
      [
        describeFinding("hanging-transaction", { topic, partition, transactionalId }),
        // The plain records written before the hanging batch share its topic with a transactional writer.
        describeFinding("mixed-writers", { topic }),
      ].sort(),
    );
    expect(stoppedAt).not.toBeNull();
    const before = run.polls.filter((p) => p.snapshot.collectedAt < stoppedAt!);
    const after = run.polls.filter((p) => p.snapshot.collectedAt > stoppedAt!);
    expect(before.length).toBeGreaterThan(1);
    expect(after.length).toBeGreaterThan(0);
    // The first poll only makes it a candidate: a hanging transaction is confirmed on the next poll.
    expect(about(before[0], prefix, "hanging-transaction")).toEqual([]);
    for (const poll of before.slice(1)) {
      const [hanging] = about(poll, prefix, "hanging-transaction");
      expect(hanging).toMatchObject({
        severity: "critical",
        evidence: { producerId, startOffset: hangingOffset, lastStableOffset: hangingOffset },
      });
      expect(hanging.commands.find((c) => c.args[0] === "abort")?.args).toEqual([
        "abort",
        `--topic=${topic}`,
        "--partition",
        String(partition),
        "--start-offset",
        String(hangingOffset),
      ]);
    }
    // Aborted on stop: the LSO moves on and the finding resolves.
    for (const poll of after) expect(about(poll, prefix, "hanging-transaction")).toEqual([]);
    expectOnlyBrokerFindingsBeyond(run);
  });

  it("4. fencing fight: fencing-fight on the shared id, never alongside zombie-fenced", () => {
    const run = replay<ZombieFencingInfo>(4, "zombie-fencing");
    const { transactionalId, fences } = run.recording.info;
    const { prefix } = run.recording;
    const { settings } = run;

    // zombie-fenced is the same condition below the fight threshold.
    expect(reportedAbout(run).filter((f) => !f.startsWith("zombie-fenced "))).toEqual([
      describeFinding("fencing-fight", { transactionalId }),
    ]);
    const fights = polled(run.polls, "fencing-fight", prefix);
    expect(fights.length).toBeGreaterThan(0);
    for (const poll of run.polls) {
      if (about(poll, prefix, "fencing-fight").length) expect(about(poll, prefix, "zombie-fenced")).toEqual([]);
    }
    const fencesSeen = about(fights.at(-1)!, prefix, "fencing-fight")[0].evidence.fencesInWindow as number;
    expect(fencesSeen).toBeGreaterThanOrEqual(settings.fenceFightCount);
    expect(fencesSeen).toBeLessThanOrEqual(fences.length);
    // Polls before the third observable fence cannot know of a fight.
    expect(about(run.polls[0], prefix, "fencing-fight")).toEqual([]);
    expectOnlyBrokerFindingsBeyond(run);
  });

  it("5. unstable transactional id: lost-fencing on the id family, counting every generated id", () => {
    const run = replay<UnstableTransactionalIdInfo>(5, "unstable-transactional-id");
    const { transactionalIdPrefix, transactionalIds } = run.recording.info;
    const family = `${transactionalIdPrefix}*`;

    expect(reportedAbout(run)).toEqual([describeFinding("lost-fencing", { transactionalId: family })]);
    const [lostFencing] = about(run.polls.at(-1)!, run.recording.prefix, "lost-fencing");
    expect(lostFencing.evidence.distinctIds).toBe(transactionalIds.length);
    expect(lostFencing.evidence.family).toBe(family);
    expectOnlyBrokerFindingsBeyond(run);
  });

  it("6. hot partition: persistently hot on exactly the whale's partitions", () => {
    const run = replay<HotPartitionInfo>(6, "hot-partition");
    const { topic, hotPartitions } = run.recording.info;
    const { prefix } = run.recording;
    const { settings } = run;
    const persistentOn = (poll: ReplayedPoll) =>
      about(poll, prefix, "hot-partition")
        .filter((f) => f.severity === "warning")
        .map((f) => f.subject.partition!)
        .sort((a, b) => a - b);

    expect(reportedAbout(run)).toEqual(
      hotPartitions.map((partition) => describeFinding("hot-partition", { topic, partition })).sort(),
    );
    expect(persistentOn(run.polls.at(-1)!)).toEqual(hotPartitions);
    // Rates need two polls; a finding needs hotPersistentPolls hot rates in a row, and bursts before are none.
    const firstHot = run.polls.findIndex((p) => about(p, prefix, "hot-partition").length > 0);
    const firstPersistent = run.polls.findIndex((p) => persistentOn(p).length > 0);
    expect(firstHot).toBe(firstPersistent);
    expect(firstPersistent).toBeGreaterThanOrEqual(settings.hotPersistentPolls);
    expectOnlyBrokerFindingsBeyond(run);
  });

  it("7. read_uncommitted group: read-uncommitted on the group, no lag verdict against it", () => {
    const run = replay<OpenTransactionInfo>(7, "read-uncommitted-group");
    const { topic, partition, transactionalId, groupId, openedAt, transactionFirstOffset } = run.recording.info;
    const { prefix } = run.recording;
    const { settings } = run;

    expect(reportedAbout(run)).toEqual(
      [
        describeFinding("read-uncommitted", { groupId }),
        // The open transaction behind the plain writes is scenario 2's situation: stuck LSO and a mixed topic.
        describeFinding("stuck-lso", { topic, partition, transactionalId }),
        describeFinding("mixed-writers", { topic }),
      ].sort(),
    );
    const [readUncommitted] = about(run.polls.at(-1)!, prefix, "read-uncommitted");
    expect(readUncommitted.evidence).toMatchObject({
      partitions: [`${topic}-${partition}`],
      lastStableOffset: [transactionFirstOffset],
    });
    expect(readUncommitted.evidence.maxAheadOfLso).toBeGreaterThan(0);
    // A would-be TXN_BLOCKED has had its threshold: the group reads past the LSO, so it is not blocked.
    expect(run.polls.at(-1)!.now).toBeGreaterThan(openedAt + settings.stallMs);
    for (const poll of run.polls) {
      const group = poll.derived.groups.find((g) => g.groupId === groupId);
      if (group) expect(group.verdict).toBe("OK");
    }
    expectOnlyBrokerFindingsBeyond(run);
  });

  it("8. mixed writers: mixed-writers on the shared topic, one plain and one transactional producer", () => {
    const run = replay<MixedWritersInfo>(8, "mixed-writers");
    const { topic } = run.recording.info;

    expect(reportedAbout(run)).toEqual([describeFinding("mixed-writers", { topic })]);
    // A plain producer must be seen on two polls: never on the first.
    expect(about(run.polls[0], run.recording.prefix, "mixed-writers")).toEqual([]);
    const [mixed] = about(run.polls.at(-1)!, run.recording.prefix, "mixed-writers");
    expect((mixed.evidence.plainProducerIds as number[]).length).toBe(1);
    expect((mixed.evidence.transactionalProducerIds as number[]).length).toBe(1);
    expectOnlyBrokerFindingsBeyond(run);
  });

  it("9. risky configs (three brokers): min ISR 1, retention below segment, unclean election, nothing else at all", () => {
    const run = replay<RiskyConfigsInfo>(9, "risky-configs");
    const { minIsrOne, retentionBelowSegment, uncleanElection } = run.recording.info;
    const expected = [
      describeFinding("config-min-isr-one", { topic: minIsrOne.topic }),
      describeFinding("config-retention-below-segment", { topic: retentionBelowSegment.topic }),
      describeFinding("config-unclean-election", { topic: uncleanElection.topic }),
    ].sort();

    expect(run.recording.brokerCount).toBe(3);
    // Each at the first poll: configs need no history.
    expect(describeAll(about(run.polls[0], run.recording.prefix))).toEqual(expected);
    // The cluster itself is configured safely: nothing at all beyond the three risky topics.
    expect(describeAll(run.polls.flatMap((p) => p.findings))).toEqual(expected);
  });

  it("10. lag of one: no lag finding, verdict OK on every poll although HW − committed = 1", () => {
    const run = replay<LagOfOneInfo>(10, "lag-of-one");
    const { topic, partition, groupId, highWatermark, committedOffset } = run.recording.info;
    expect(highWatermark - committedOffset).toBe(1);

    expect(run.polls.at(-1)!.now - run.polls[0].snapshot.collectedAt).toBeGreaterThan(run.settings.stallMs);
    for (const poll of run.polls) {
      const group = poll.derived.groups.find((g) => g.groupId === groupId);
      expect(group?.verdict).toBe("OK");
      expect(group?.partitions.find((p) => p.topic === topic && p.partition === partition)).toMatchObject({
        committed: committedOffset,
        highWatermark,
        consumable: 0,
        verdict: "OK",
      });
    }
    expect(reportedAbout(run)).toEqual([]);
    expectOnlyBrokerFindingsBeyond(run);
  });

  it("commands are data: no remediation text holds a command line, every command names a Kafka CLI", () => {
    const names = [
      "healthy-pipeline",
      "stuck-transaction",
      "hanging-transaction",
      "zombie-fencing",
      "unstable-transactional-id",
      "hot-partition",
      "read-uncommitted-group",
      "mixed-writers",
      "risky-configs",
      "lag-of-one",
      "java-fencing-pair",
      "java-eos-pipeline",
      "java-open-transaction",
      "java-kip848-groups",
      "streams-eos",
      "streams-zombie",
    ];
    const findings = names.flatMap((name, i) => replay(i + 1, name).polls.flatMap((p) => p.findings));
    for (const f of findings) {
      expect(f.remediation).not.toMatch(/`kafka-|kafka-[\w-]+\.sh --|--bootstrap-server|^\s*\$ |```/m);
      for (const c of f.commands) expect(KAFKA_PROGRAMS).toContain(c.program);
    }
    const withCommands = new Set(findings.filter((f) => f.commands.length).map((f) => f.kind));
    for (const kind of ["stuck-lso", "hanging-transaction", "eos-lag", "config-min-isr-one", "config-unclean-election"] as const) {
      expect(withCommands).toContain(kind);
    }
  });
});

/** The coordinator's own record of a timed-out abort: Ongoing, then aborted one epoch on with the same start, past its timeout. */
/**
 * The coordinator's record proves a timeout: the transaction seen Ongoing past its deadline, then aborted with the
 * epoch one up and the same start. An abort merely seen after the deadline proves nothing: on TV2 a client's own
 * abort also bumps the epoch.
 */
function coordinatorTimedOut(polls: ReplayedPoll[], transactionalId: string): boolean {
  const states = polls.flatMap((p) =>
    p.snapshot.transactions.filter((t) => t.transactionalId === transactionalId).map((t) => ({ ...t, at: p.snapshot.collectedAt })),
  );
  return states.some(
    (ongoing, i) =>
      ongoing.state === "Ongoing" &&
      ongoing.transactionStartTimeMs + ongoing.transactionTimeoutMs < ongoing.at &&
      states
        .slice(i + 1)
        .some(
          (aborted) =>
            aborted.state === "CompleteAbort" &&
            aborted.producerEpoch === ongoing.producerEpoch + 1 &&
            aborted.transactionStartTimeMs === ongoing.transactionStartTimeMs,
        ),
  );
}

/** Seen Ongoing before its deadline and aborted (epoch one up, same start) when seen next after it. */
function abortedAcrossDeadline(polls: ReplayedPoll[], transactionalId: string): boolean {
  const states = polls.flatMap((p) =>
    p.snapshot.transactions.filter((t) => t.transactionalId === transactionalId).map((t) => ({ ...t, at: p.snapshot.collectedAt })),
  );
  return states.some((ongoing, i) => {
    const next = states[i + 1];
    const deadline = ongoing.transactionStartTimeMs + ongoing.transactionTimeoutMs;
    return (
      ongoing.state === "Ongoing" &&
      ongoing.at <= deadline &&
      next?.state === "CompleteAbort" &&
      next.producerEpoch === ongoing.producerEpoch + 1 &&
      next.transactionStartTimeMs === ongoing.transactionStartTimeMs &&
      next.at > deadline
    );
  });
}

/** Longest time (ms) a group's committed offset stayed put on a partition while records waited for it. */
function longestStall(polls: ReplayedPoll[], groupId: string): number {
  const waits = polls.flatMap((poll) =>
    (poll.derived.groups.find((g) => g.groupId === groupId)?.partitions ?? [])
      .filter((p) => (p.consumable ?? 0) > DEFAULT_SETTINGS.markerLagTolerance)
      .map((p) => poll.now - p.committedSince),
  );
  return Math.max(0, ...waits);
}

/** Longest time (ms) a transaction of the scenario was seen Ongoing, from its start in the coordinator's record. */
function longestOpenTransaction(polls: ReplayedPoll[], prefix: string): number {
  const ages = polls.flatMap((poll) =>
    poll.snapshot.transactions
      .filter((t) => t.transactionalId.startsWith(prefix) && t.state === "Ongoing")
      .map((t) => poll.now - t.transactionStartTimeMs),
  );
  return Math.max(0, ...ages);
}

// Scenarios 11-16: the official Java client and Kafka Streams 4.4.0 on a TV2 broker (scripts/java).
describe("detectors on recorded Java and Kafka Streams snapshots (real 4.4.0 broker, TV2, 2 s polls)", () => {
  // Recorded under load (load average 20-25 on 2 cores): the collector's offsets and coordinator reads were up to a
  // second apart, while the active instance committed every ~250 ms. The bracket around the coordinators' describe
  // bounds each gap's transactions exactly, so every fence is one unexplained bump in the gap where it happened.
  it("11. Java fencing pair: every fence counted in its own gap, the fight raised on the poll of the third, per-commit TV2 bumps never counted", () => {
    const run = replay<JavaFencingPairInfo>(11, "java-fencing-pair");
    const { transactionalId } = run.recording.info;
    const { prefix } = run.recording;

    // zombie-fenced is the same condition below the fight threshold (as in scenario 4).
    expect(reportedAbout(run).filter((f) => !f.startsWith("zombie-fenced "))).toEqual([describeFinding("fencing-fight", { transactionalId })]);
    for (const poll of run.polls) {
      if (about(poll, prefix, "fencing-fight").length) expect(about(poll, prefix, "zombie-fenced")).toEqual([]);
      const anchor = poll.snapshot.topics.find((t) => t.name === run.recording.info.topic)!.partitions[0];
      expect(anchor.transactionBracket).toBeDefined();
    }
    const last = run.polls.at(-1)!;
    const history = last.state.transactionalIds[transactionalId];
    const changes = history.changes;
    // Every gap measured; a gap without a fence has no more bumps than transactions, one with a fence exactly one more.
    expect(changes.length).toBe(run.polls.length - 1);
    for (const c of changes) {
      expect(c.maxTransactions).toBeDefined();
      expect(Math.max(0, c.bumps - c.maxTransactions!)).toBe(c.fences);
    }
    const [fight] = about(last, prefix, "fencing-fight");
    const fences = fight.evidence.fencesInWindow as number;
    expect(fences).toBeGreaterThanOrEqual(run.settings.fenceFightCount);
    expect(fences).toBe(changes.reduce((n, c) => n + c.fences, 0));
    expect(changes.reduce((n, c) => n + c.bumps, 0)).toBeGreaterThan(10 * fences);
    // Raised on the very poll whose gap held the third fence.
    const third = run.polls.findIndex((p) => p.state.transactionalIds[transactionalId]?.changes.reduce((n, c) => n + c.fences, 0) >= run.settings.fenceFightCount);
    expect(polled(run.polls, "fencing-fight", prefix)[0]).toBe(run.polls[third]);
    expectOnlyBrokerFindingsBeyond(run);
  });

  it("12. Java EOS pipeline (epoch +1 per commit): nothing about it; discovered with a passing checklist; verdict OK", () => {
    const run = replay<JavaEosPipelineInfo>(12, "java-eos-pipeline");
    const { inputTopic, outputTopic, groupId, transactionalId } = run.recording.info;
    const last = run.polls.at(-1)!;

    expect(last.now - run.polls[0].snapshot.collectedAt).toBeGreaterThan(run.settings.stallMs);
    expect(reportedAbout(run)).toEqual([]);
    const history = last.state.transactionalIds[transactionalId];
    // Recorded under load (load average 20-25 on 2 cores): hundreds of epoch bumps, one per commit, none a fence, every
    // gap bounded by the bracket around the coordinators' describe.
    const first = run.polls.map((p) => p.snapshot.transactions.find((t) => t.transactionalId === transactionalId)).find((t) => t)!;
    expect(history.producerEpoch - first.producerEpoch).toBeGreaterThan(200);
    expect(history.changes.length).toBeGreaterThan(30);
    expect(history.changes.every((c) => c.fences === 0 && c.maxTransactions !== undefined && c.bumps <= c.maxTransactions)).toBe(true);
    const pipeline = discoverPipelines(last.snapshot, last.state).find((p) => p.transactionalId === transactionalId);
    expect(pipeline).toMatchObject({ groupIds: [groupId], inputTopics: [inputTopic], outputTopics: [outputTopic], inactive: false });
    expect(Object.values(pipeline!.checklist).filter((item) => item.ok === false)).toEqual([]);
    for (const poll of run.polls) expect(poll.derived.groups.find((g) => g.groupId === groupId)?.verdict ?? "OK").toBe("OK");
    expectOnlyBrokerFindingsBeyond(run);
  });

  it("13. SIGKILLed open transaction, no other writer: stuck LSO and TXN_BLOCKED timed from the transaction's start", () => {
    const run = replay<JavaOpenTransactionInfo>(13, "java-open-transaction");
    const { topic, partition, transactionalId, groupId, openOffset } = run.recording.info;
    const { prefix } = run.recording;
    const { settings } = run;

    expect(reportedAbout(run)).toEqual(
      [describeFinding("stuck-lso", { topic, partition, transactionalId }), describeFinding("eos-lag", { groupId, detail: "TXN_BLOCKED" })].sort(),
    );
    const started = run.polls[0].snapshot.transactions.find((t) => t.transactionalId === transactionalId)!;
    expect(started.state).toBe("Ongoing");
    const stuck = polled(run.polls, "stuck-lso", prefix);
    const blocked = polled(run.polls, "eos-lag", prefix);
    expect(stuck.length).toBeGreaterThan(0);
    expect(blocked.length).toBeGreaterThan(0);
    // Timed from the transaction's start; the HW never moves (no other writer), which must not matter.
    expect(stuck.every((p) => p.now >= started.transactionStartTimeMs + settings.lsoStuckMs)).toBe(true);
    expect(blocked.every((p) => p.now >= started.transactionStartTimeMs + settings.txnBlockedMs)).toBe(true);
    expect(about(stuck.at(-1)!, prefix, "stuck-lso")[0].evidence).toMatchObject({
      lastStableOffset: openOffset,
      hwAdvancedBy: 0,
      culpritTransactionalId: transactionalId,
      groupsWaitingAtLso: [groupId],
    });
    expect(run.polls.at(-1)!.derived.groups.find((g) => g.groupId === groupId)?.verdict).toBe("TXN_BLOCKED");
    expectOnlyBrokerFindingsBeyond(run);
  });

  it("14. KIP-848 groups: described as consumer groups with their member; the slow one LAGGING, never STOPPED or EXTERNAL", () => {
    const run = replay<JavaKip848GroupsInfo>(14, "java-kip848-groups");
    const { groupId, slowGroupId } = run.recording.info;

    expect(reportedAbout(run)).toEqual([describeFinding("eos-lag", { groupId: slowGroupId, detail: "LAGGING" })]);
    for (const poll of run.polls.slice(1)) {
      for (const id of [groupId, slowGroupId]) {
        const group = poll.snapshot.groups.find((g) => g.groupId === id)!;
        expect(group.type).toBe("consumer");
        expect(group.members.length).toBe(1);
      }
      expect(poll.derived.groups.find((g) => g.groupId === groupId)?.verdict ?? "OK").toBe("OK");
      expect(["OK", "LAGGING"]).toContain(poll.derived.groups.find((g) => g.groupId === slowGroupId)?.verdict ?? "OK");
    }
    expectOnlyBrokerFindingsBeyond(run);
  });

  // Two restarts of a two-instance Streams app (default close: Streams never sends LeaveGroup, so the stopped member
  // stays in the group until its 45 s session timeout). The new member's join opens a rebalance that waits for it;
  // Streams commits nothing while a rebalance is in progress, so the surviving instance's open transaction ends in an
  // abort around its 10 s timeout; processing resumes once the old member is evicted. No poll saw those transactions
  // open past their deadline, so nothing proves the coordinator timed them out (a TV2 client's own abort bumps the
  // epoch the same way) and no timeout is claimed. All true:
  // at the scaled thresholds that is also a stuck LSO (10 s > 4 s) and STALLED (about 40 s > 6 s); at the default
  // thresholds (which this 108 s recording, with both stalls ending, can judge) it is not.
  it("15. Streams EOS restarts, default settings: the backlog, no unproven timeout, nothing false", () => {
    const run = replay<StreamsEosInfo>(15, "streams-eos", "default");
    const { applicationId, outputTopic, transactionalIds } = run.recording.info;
    const { prefix } = run.recording;
    const survivors = [transactionalIds[1], transactionalIds[2]];

    expect(transactionalIds.length).toBeGreaterThanOrEqual(DEFAULT_SETTINGS.lostFencingMinIds);
    const reported = reportedAbout(run);
    // The backlog of the stalled tasks at 100 records/s is real lag.
    expect(reported.filter((f) => !f.startsWith("hot-partition "))).toEqual([describeFinding("eos-lag", { groupId: applicationId, detail: "LAGGING" })]);
    // While half the tasks stall, their output partitions get nothing and the others carry the whole topic.
    expect(reported.filter((f) => f.startsWith("hot-partition ")).every((f) => f.endsWith(` topic=${outputTopic}`))).toBe(true);
    for (const id of survivors) expect(abortedAcrossDeadline(run.polls, id)).toBe(true);
    for (const id of transactionalIds) expect(coordinatorTimedOut(run.polls, id)).toBe(false);

    // What the default thresholds are judged against: each stall, and each pinned LSO, ended well inside them.
    const stall = longestStall(run.polls, applicationId);
    expect(stall).toBeGreaterThan(20_000);
    expect(stall).toBeLessThan(DEFAULT_SETTINGS.stallMs / 2);
    const open = longestOpenTransaction(run.polls, prefix);
    expect(open).toBeGreaterThan(5_000);
    expect(open).toBeLessThan(DEFAULT_SETTINGS.txnBlockedMs);
    const last = run.polls.at(-1)!;
    expect(last.derived.groups.find((g) => g.groupId === applicationId)?.verdict).toBe("OK");
    // Fresh ids per start are group-fenced, not lost fencing; the stopped instances' ids are inactive or pass.
    for (const pipeline of discoverPipelines(last.snapshot, last.state).filter((p) => p.transactionalId.startsWith(prefix) && !p.inactive)) {
      expect(pipeline.groupIds).toEqual([applicationId]);
      expect(Object.values(pipeline.checklist).filter((item) => item.ok === false)).toEqual([]);
    }
    expectOnlyBrokerFindingsBeyond(run);
  });

  // One instance SIGSTOPped (with a transaction open) past its 10 s session timeout, then resumed. Everything here is
  // true at the scaled thresholds: the frozen transaction pins the LSO of the zombie's partitions until the
  // coordinator aborts it at its 10 s timeout, its tasks make no progress until the group evicts it and the other
  // instance takes them over. The zombie keeps its process UUID (a freeze is not a restart) and is fenced by the
  // group generation: no takeover of its id, no lost fencing.
  it("16. Streams zombie: its frozen transaction pins its partitions until aborted; the group stalls until it is evicted", () => {
    const run = replay<StreamsEosInfo>(16, "streams-zombie");
    const { applicationId, outputTopic, transactionalIds } = run.recording.info;
    const { prefix } = run.recording;
    const { settings } = run;
    const [survivorId, zombieId] = transactionalIds;

    expect(transactionalIds).toHaveLength(2);
    const frozen = run.polls
      .flatMap((p) => p.snapshot.transactions)
      .find((t) => t.transactionalId === zombieId && t.state === "Ongoing" && t.partitions.length > 0)!;
    const zombiePartitions = frozen.partitions.map((tp) => tp.partition).sort();
    const reported = reportedAbout(run);
    expect(reported.filter((f) => !f.startsWith("hot-partition "))).toEqual(
      [
        ...zombiePartitions.map((partition) => describeFinding("stuck-lso", { topic: outputTopic, partition, transactionalId: zombieId })),
        describeFinding("eos-lag", { groupId: applicationId, detail: "STALLED" }),
        describeFinding("eos-lag", { groupId: applicationId, detail: "LAGGING" }),
      ].sort(),
    );
    // Only the survivor's output partitions are written while the zombie's are idle.
    const hot = reported.filter((f) => f.startsWith("hot-partition "));
    expect(hot.every((f) => f.endsWith(` topic=${outputTopic}`) && !zombiePartitions.some((p) => f.includes(`partition=${p} `)))).toBe(true);

    // The coordinator's 1 s sweep aborted it right at its deadline, between two polls: true, but no poll proves a
    // timeout, so none is claimed.
    expect(abortedAcrossDeadline(run.polls, zombieId)).toBe(true);
    expect(coordinatorTimedOut(run.polls, zombieId)).toBe(false);
    expect(abortedAcrossDeadline(run.polls, survivorId)).toBe(false);
    const stuck = polled(run.polls, "stuck-lso", prefix);
    expect(stuck.every((p) => p.now >= frozen.transactionStartTimeMs + settings.lsoStuckMs)).toBe(true);
    // All over by the end: the zombie commits again under its own id, the group is OK, no LSO pinned.
    const last = run.polls.at(-1)!;
    const zombieNow = last.snapshot.transactions.find((t) => t.transactionalId === zombieId)!;
    expect(zombieNow.producerEpoch).toBeGreaterThan(frozen.producerEpoch + 1);
    expect(zombieNow.state).not.toMatch(/Abort/);
    expect(about(last, prefix, "stuck-lso")).toEqual([]);
    expect(last.derived.groups.find((g) => g.groupId === applicationId)?.verdict).toBe("OK");
    expectOnlyBrokerFindingsBeyond(run);
  });
});
