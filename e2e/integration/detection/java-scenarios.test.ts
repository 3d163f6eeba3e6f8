// The Java-client and Kafka Streams scenarios through the real collector and detectors, with the DEFAULT detector
// settings, polled every 5 s (as the soak): healthy Java and Streams pipelines raise nothing beyond single-node
// configuration info; a TV2 fencing fight, an open transaction left by a SIGKILLed producer, and a slow KIP-848
// group raise exactly what the issue-9 detectors must raise. One broker per version; a fresh collector and detector
// history per test. The scenarios touch disjoint names, so a version's tests run in two lanes side by side (see
// below): most of their time is polls waiting for a cadence or a timeout. A finding belongs to a
// scenario when a subject name carries the scenario's scoped prefix, which also catches pattern subjects such as
// lost-fencing's `<application.id>-*-*`.
import { afterAll, describe, expect, it, type onTestFinished } from "vitest";
import type { Finding } from "@/lib/analysis";
import { describeTransaction, type CliTransactionDescription } from "../../../scripts/kafka/cli";
import { ALL_KAFKA_VERSIONS } from "../../../scripts/kafka/versions";
import { runJavaFencingPair } from "../../../scripts/scenarios/java-fencing-pair";
import { runJavaEosPipeline, runJavaKip848Groups, runJavaOpenTransaction } from "../../../scripts/scenarios/java-pipeline";
import { STREAMS_ZOMBIE_CONFIG, STREAMS_ZOMBIE_MET_FENCE, runStreamsEos, runStreamsZombie } from "../../../scripts/scenarios/java-streams";
import { waitFor, type RunningScenario } from "../../../scripts/scenarios/support";
import { useKafka } from "../scenarios/kafka-under-test";
import { DetectionSession, LatencyReport, describeFinding, openCollector, type PollRecord } from "./detection-session";

const POLL_MS = 5000;
const MAX_LATENCY_POLLS = 2;
const TEST_TIMEOUT_MS = 300_000;
/** Info only, and inherent to one broker: RF 1 on transactionally written topics and on the transaction log. */
const SINGLE_NODE_CONFIG_KINDS: readonly Finding["kind"][] = ["config-low-replication", "config-transaction-log"];

function isAboutScenario(finding: Finding, scenario: RunningScenario): boolean {
  const { topic, groupId, transactionalId } = finding.subject;
  return [topic, groupId, transactionalId].some((name) => name?.includes(`-${scenario.name}-`));
}

/** Everything reported about the scenario over the session, single-node configuration aside (checked to be info). */
function reported(session: DetectionSession, scenario: RunningScenario): string[] {
  const about = session.polls.flatMap((p) => p.findings.filter((f) => isAboutScenario(f, scenario)));
  expect(about.filter((f) => SINGLE_NODE_CONFIG_KINDS.includes(f.kind) && f.severity !== "info").map(describeFinding)).toEqual([]);
  return [...new Set(about.filter((f) => !SINGLE_NODE_CONFIG_KINDS.includes(f.kind)).map(describeFinding))].sort();
}

describe.each(ALL_KAFKA_VERSIONS)("detectors on the Java scenarios, %s broker, default settings", (version) => {
  // Kafka's own default transaction.max.timeout.ms (the harness lowers it to 60 s): the defaults under test assume it.
  const kafka = useKafka({ version, nodes: 1, name: `detection-java-${version}`, brokerConfig: { "transaction.max.timeout.ms": "900000" } });
  const tv2 = version === "4.4.0";
  const report = new LatencyReport();

  afterAll(() => {
    report.print(`Java scenarios on ${version}: detection latency (polls of ${POLL_MS} ms after the situation; 1 = first poll)`);
  });

  /** A session on a collector of its own (closed with the test): concurrent tests poll independently. */
  const newSession = (finished: typeof onTestFinished) => {
    const collector = openCollector(kafka.cluster.brokers, `detection-java-${version}`);
    finished(() => collector.close());
    return new DetectionSession(collector, POLL_MS);
  };
  /** For the report: every finding about the scenario over the test's polls. */
  const reportAll = (label: string, session: DetectionSession, scenario: RunningScenario) =>
    report.add(label, `all findings (${session.polls.length} polls)`, "", reported(session, scenario).join("; ") || "none");
  const findings = (poll: PollRecord, kind: Finding["kind"], scenario: RunningScenario) =>
    poll.findings.filter((f) => f.kind === kind && isAboutScenario(f, scenario));

  // Two lanes side by side, each test with its own collector and detector history: what mostly waits (the open
  // transactions' timeouts beside Streams restarts), and the pipelines one after another (one at a time keeps a
  // loaded machine answering within the latencies asserted).
  describe.concurrent("waiting on timeouts and restarts", () => {
    // The producer's timeout decides what is true: with Kafka's default 60 s the coordinator aborts it before the 2 min
    // stuck-LSO threshold (no stuck LSO: it ends normally), yet a reader is held long enough for TXN_BLOCKED (30 s); with
    // 150 s it is stuck past the threshold although the HW never moves (no other writer).
    // The 150 s case on 4.4.0 only: the stuck-LSO timing does not depend on the broker version (CI time).
    it.concurrent.for([
      { transactionTimeoutMs: 60_000, stuck: false },
      ...(tv2 ? [{ transactionTimeoutMs: 150_000, stuck: true }] : []),
    ])("c. open transaction of a SIGKILLed producer (timeout $transactionTimeoutMs ms), no other writer: TXN_BLOCKED before the abort, stuck LSO only past its threshold", { timeout: TEST_TIMEOUT_MS }, async ({ transactionTimeoutMs, stuck }, { onTestFinished }) => {
      const session = newSession(onTestFinished);
      const scenario = await kafka.run(runJavaOpenTransaction, { transactionTimeoutMs }, onTestFinished);
      const { topic, transactionalId, groupId, killedAt, reader } = scenario.info;
      await reader.waitForEvent("consumed");
      const abortDueAt = killedAt + transactionTimeoutMs;
      const seen = { pinned: undefined as PollRecord | undefined, blocked: undefined as PollRecord | undefined };
      // Polls until the coordinator is due to abort (less a poll, so none straddles the abort), or both are seen.
      while (Date.now() < abortDueAt - POLL_MS && !(seen.pinned && seen.blocked)) {
        const poll = await session.poll();
        const pinned = [...findings(poll, "stuck-lso", scenario), ...findings(poll, "long-transaction", scenario)];
        if (pinned.some((f) => f.subject.topic === topic || f.subject.transactionalId === transactionalId)) seen.pinned ??= poll;
        if (findings(poll, "eos-lag", scenario).some((f) => f.subject.groupId === groupId && f.subject.detail === "TXN_BLOCKED")) seen.blocked ??= poll;
      }
      const label = `c java-open-transaction ${transactionTimeoutMs / 1000} s`;
      report.add(label, "stuck-lso/long-transaction", seen.pinned ? session.latencySince(killedAt, seen.pinned) : "none");
      report.add(label, "eos-lag TXN_BLOCKED", seen.blocked ? session.latencySince(killedAt, seen.blocked) : "none");
      reportAll(label, session, scenario);
      expect(seen.blocked, "TXN_BLOCKED before the coordinator's abort").toBeDefined();
      if (stuck) expect(seen.pinned, "stuck-lso or long-transaction before the coordinator's abort").toBeDefined();
      else expect(seen.pinned, "no stuck LSO for a transaction inside its timeout").toBeUndefined();
    });

    it.concurrent("e. Kafka Streams exactly_once_v2 restarted without a state directory: no finding (no lost-fencing, no checklist failure)", async ({ onTestFinished }) => {
      const session = newSession(onTestFinished);
      // 4 records/s: a restart's rebalance (~15 s on a loaded machine) leaves a backlog below laggingMinLag (100), so a
      // LAGGING verdict would be a false one; at the scenarios' usual 100/s it is real lag for a few polls.
      const scenario = await kafka.run(runStreamsEos, { batch: 1, intervalMs: 250 }, onTestFinished);
      const { restart, generator } = scenario.info;
      await generator.waitForEvent("sent");
      await session.pollTimes(3);
      for (const slot of [0, 1]) {
        await restart(slot);
        await session.pollTimes(3);
      }
      reportAll("e streams-eos", session, scenario);
      expect(scenario.progress().transactionalIds).toBe(4);
      expect(reported(session, scenario)).toEqual([]);
    }, TEST_TIMEOUT_MS);
  });

  describe.concurrent("pipelines, one after another", () => {
    it.sequential("a. Java EOS pipeline (epoch +1 per commit on TV2): no finding, group OK", async ({ onTestFinished }) => {
      const session = newSession(onTestFinished);
      const scenario = await kafka.run(runJavaEosPipeline, {}, onTestFinished);
      const { pipeline, groupId } = scenario.info;
      await pipeline.waitForEvent("commit");
      await session.pollTimes(12);
      reportAll("a java-eos-pipeline", session, scenario);
      expect(reported(session, scenario)).toEqual([]);
      expect(session.polls.at(-1)!.derived.groups.find((g) => g.groupId === groupId)?.verdict).toBe("OK");
      expect(pipeline.count("commit")).toBeGreaterThan(session.polls.length);
    }, TEST_TIMEOUT_MS);

    it.sequential("b. two Java instances sharing a transactional.id: a fencing fight within two polls", async ({ onTestFinished }) => {
      const session = newSession(onTestFinished);
      const scenario = await kafka.run(runJavaFencingPair, {}, onTestFinished);
      const { transactionalId, instances } = scenario.info;
      // A fence is an InitProducerId of the instance taking the id over: every "ready" but the first instance's first,
      // logged once initTransactions() returned, so after the coordinator's epoch bump (the fenced instance only logs
      // "fenced" at its next commit, up to a commit interval later). Fences are epoch changes between polls: those
      // before the first poll that saw the id are invisible (its epoch is just a starting point), as in the kafkajs
      // fencing fight. The fight exists from the third fence after that poll on (DEFAULT fenceFightCount 3).
      const fences = () => instances.flatMap((java) => java.events.filter((e) => e.event === "ready").map((e) => e.at)).sort((a, b) => a - b).slice(1);
      const detected = await session.pollUntil(
        "fencing-fight",
        (poll) => findings(poll, "fencing-fight", scenario).some((f) => f.subject.transactionalId === transactionalId),
        20,
      );
      const firstSeen = session.polls.find((p) => p.snapshot.transactions.some((t) => t.transactionalId === transactionalId))!;
      const observable = () => fences().filter((at) => at > firstSeen.collectedAt);
      // A "ready" read by the time that poll began (same millisecond included) was a fence before it. The third
      // fence's line may still be on its way when the poll that saw the fence has ended.
      const fightAt = await waitFor("the third fence after the first poll", () => observable()[2], { timeoutMs: 30_000 });
      const latency = session.latencySince(fightAt, detected);
      report.add("b java-fencing-pair", "fencing-fight", latency, `(fences ${fences().length}, ${observable().length} after the first poll, ${scenario.progress().failures} other client failures)`);
      reportAll("b java-fencing-pair", session, scenario);
      expect(latency).toBeLessThanOrEqual(MAX_LATENCY_POLLS);
    }, TEST_TIMEOUT_MS);

    // KIP-848 is GA from 4.0 only (see e2e/integration/scenarios/java-clients.test.ts).
    it.skipIf(!tv2).sequential("d. a running but slow KIP-848 group is LAGGING, never STOPPED", async ({ onTestFinished }) => {
      const session = newSession(onTestFinished);
      const scenario = await kafka.run(runJavaKip848Groups, {}, onTestFinished);
      const { slowGroupId, slowConsumer } = scenario.info;
      await slowConsumer.waitForEvent("consumed");
      const verdicts: string[] = [];
      await session.pollUntil(
        "LAGGING",
        (poll) => {
          verdicts.push(poll.derived.groups.find((g) => g.groupId === slowGroupId)?.verdict ?? "absent");
          return verdicts.at(-1) === "LAGGING";
        },
        12,
      );
      reportAll("d java-kip848-groups", session, scenario);
      expect(verdicts).not.toContain("STOPPED");
      expect(reported(session, scenario).filter((d) => d.startsWith("eos-lag") && d.includes("STOPPED"))).toEqual([]);
    }, TEST_TIMEOUT_MS);

    // A zombie: one instance frozen (SIGSTOP, like a long GC pause) past its 10 s session timeout, then resumed. The
    // group evicts it and the other instance takes its task over; the coordinator aborts the transaction it froze with
    // once its 10 s timeout passes, bumping the epoch; resumed, the zombie's next request meets that epoch (produce:
    // INVALID_PRODUCER_EPOCH on 3.9.2, sendOffsetsToTransaction: PRODUCER_FENCED on 4.4.0; without an open transaction its offset
    // commit would meet the new group generation), it logs the fence and rejoins under its own id. True: the zombie's
    // timed-out transaction (when a poll saw it open past its deadline), and LAGGING while its partition waits.
    // False: zombie-fenced or a fencing fight (nothing took its id over), lost-fencing, a stuck LSO or STALLED (inside
    // the default thresholds). Two partitions: a hot partition cannot be raised for the survivor's half of the output.
    it.sequential("f. Kafka Streams zombie frozen past its session timeout: the lag, its timeout when a poll proves it, nothing else", async ({ onTestFinished }) => {
      const session = newSession(onTestFinished);
      // commit.interval.ms 1 s (Streams' EOS default is 100 ms): the zombie freezes with a transaction open, as a busy
      // instance would; whether it did is read from the broker below.
      const scenario = await kafka.run(runStreamsZombie, { partitions: 2, config: { ...STREAMS_ZOMBIE_CONFIG, "commit.interval.ms": 1000 } }, onTestFinished);
      const { applicationId, generator, instances, transactionalIds, freezePastSession } = scenario.info;
      const [zombie, zombieId] = [instances[1], transactionalIds[1]];
      await generator.waitForEvent((e) => e.event === "sent" && Number(e.n) >= 200);
      // One poll before the freeze: LAGGING compares with the lag before it.
      await session.poll();

      let frozenAt = 0;
      let frozen: CliTransactionDescription | undefined;
      let abortReadAt = 0;
      let polling = true;
      const background = (async () => {
        while (polling) await session.poll();
      })();
      try {
        await freezePastSession(1, async () => {
          frozenAt = Date.now();
          const open = await describeTransaction(kafka.cluster, zombieId);
          frozen = open;
          if (open.state !== "Ongoing") return;
          await waitFor(
            "the coordinator's abort of the zombie's transaction",
            async () => {
              const now = await describeTransaction(kafka.cluster, zombieId);
              return now.state === "CompleteAbort" && now.producerEpoch === open.producerEpoch + 1 ? now : undefined;
            },
            { timeoutMs: 60_000, intervalMs: 0 },
          );
          abortReadAt = Date.now();
          // Resumed, the zombie re-initialises its producer within seconds, after which no poll can tell the coordinator's
          // abort from the zombie's own: it stays frozen (a longer pause) until a poll has read the aborted transaction.
          await waitFor("a poll after the abort", () => (session.polls.some((p) => p.collectedAt > abortReadAt) ? true : undefined), { timeoutMs: 60_000 });
        });
        // The zombie runs again (its producer re-initialised): two more polls, for anything its return could raise.
        const target = session.polls.length + 2;
        await waitFor("two polls after the zombie's return", () => (session.polls.length >= target ? true : undefined), { timeoutMs: 60_000 });
      } finally {
        polling = false;
        await background;
      }

      reportAll("f streams-zombie", session, scenario);
      // The coordinator aborted the frozen transaction (the zombie could send nothing). The detector may call it a
      // timeout only when a poll saw it still Ongoing past its deadline: on TV2 a client's own abort bumps the epoch
      // the same way, so an abort merely first seen after the deadline proves nothing. With the harness's 1 s abort
      // sweep a 5 s poll often misses that window; which happened is read from the polls themselves.
      const frozenStart = frozen?.state === "Ongoing" ? frozen.currentTransactionStartTimeMs! : undefined;
      const deadline = frozenStart === undefined ? undefined : frozenStart + frozen!.timeoutMs;
      // The frozen transaction itself (its start), not the next one the resumed zombie opens.
      const seenPastDeadline =
        deadline !== undefined &&
        session.polls.some(
          (p) =>
            p.collectedAt > deadline &&
            p.snapshot.transactions.some((t) => t.transactionalId === zombieId && t.state === "Ongoing" && t.transactionStartTimeMs === frozenStart),
        );
      // Before TV2 a client's abort never bumps the epoch, so the coordinator's one-bump abort is its own proof.
      const proven = seenPastDeadline || (!tv2 && deadline !== undefined && abortReadAt > 0);
      const expected = [
        describeFinding({ kind: "eos-lag", subject: { groupId: applicationId, detail: "LAGGING" } }),
        ...(proven ? [describeFinding({ kind: "transaction-timed-out", subject: { transactionalId: zombieId } })] : []),
      ].sort();
      expect(reported(session, scenario)).toEqual(expected);

      const lagging = session.polls.find((p) => findings(p, "eos-lag", scenario).length > 0)!;
      report.add("f streams-zombie", "eos-lag LAGGING", session.latencySince(frozenAt, lagging), "polls since the freeze");
      if (deadline !== undefined) {
        // Its next request met the epoch the coordinator's abort bumped. (Frozen between transactions, it only finds
        // its membership gone, which Streams logs below WARN.)
        expect(zombie.stderr).toMatch(STREAMS_ZOMBIE_MET_FENCE);
      }
      if (proven && deadline !== undefined) {
        // Raised on the first poll that read the coordinator's abort.
        const abortPoll = session.polls.find((p) => p.snapshot.transactions.some((t) => t.transactionalId === zombieId && t.state === "CompleteAbort"))!;
        expect(findings(abortPoll, "transaction-timed-out", scenario).map((f) => f.subject.transactionalId)).toEqual([zombieId]);
        const latency = session.latencySince(deadline, abortPoll);
        report.add("f streams-zombie", "transaction-timed-out", latency, `frozen ${Math.round((abortReadAt - frozenAt) / 1000)} s+`);
        expect(latency).toBeLessThanOrEqual(MAX_LATENCY_POLLS);
      } else {
        report.add("f streams-zombie", "transaction-timed-out", "none", deadline === undefined ? `no transaction open at the freeze (${frozen?.state})` : "no poll saw it open past its deadline");
      }
    }, TEST_TIMEOUT_MS);
  });
});
