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

function replay<Info extends object>(id: number, name: string): Replay<Info> {
  const recording = readRecording<Info>(recordingPath({ id, name }));
  // Recordings made before txnBlockedMs existed timed TXN_BLOCKED with the LSO-pinned threshold: keep that scale.
  const settings = resolveSettings({ txnBlockedMs: recording.settings.lsoStuckMs ?? DEFAULT_SETTINGS.txnBlockedMs, ...recording.settings });
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
    expect(pipeline!.checklist.offsetsCommittedInTransaction.ok).toBe(true);
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
    // Rates need two polls; persistence needs hotPersistentPolls hot rates in a row.
    const firstHot = run.polls.findIndex((p) => about(p, prefix, "hot-partition").length > 0);
    const firstPersistent = run.polls.findIndex((p) => persistentOn(p).length > 0);
    expect(firstHot).toBeGreaterThanOrEqual(1);
    expect(firstPersistent - firstHot).toBeGreaterThanOrEqual(settings.hotPersistentPolls - 1);
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
