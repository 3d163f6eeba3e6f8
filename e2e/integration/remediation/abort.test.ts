// The guarded abort on a real hanging transaction (scenario 3) on Kafka 4.4.0 and 3.9.2, through the real
// collector, detectors and store: refusals leave the broker as it was (checked with the official CLIs) and are
// audited; the abort lets the LSO reach the HW, the blocked read_committed group consume past it,
// `find-hanging` come back empty and the finding resolve at the next poll.
import { Kafka, logLevel, type Consumer } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeFinding } from "@/lib/analysis/findings";
import type { Identity } from "@/lib/auth/identity";
import type { ClusterCollector } from "@/lib/kafka/collector";
import { pickVersion, writeTxnMarkersApi } from "@/lib/kafka/protocol";
import { abortHangingTransaction, confirmationText, type AbortDependencies } from "@/lib/remediation/abort";
import { RemediationRefusedError, type RefusalReason } from "@/lib/remediation/errors";
import { getFinding, listFindings, listRemediationAudit, recordPoll } from "@/lib/store";
import { openTestDatabase, type TestDatabase } from "@/lib/store/test-database";
import { describeProducers, findHanging, getOffsets } from "../../../scripts/kafka/cli";
import type { KafkaVersion } from "../../../scripts/kafka/versions";
import { runHangingTransaction } from "../../../scripts/scenarios";
import { createTopics, idempotentProducer, orderMessages, transactionalProducer, waitFor } from "../../../scripts/scenarios/support";
import { DetectionSession, openCollector } from "../detection/detection-session";
import { useKafka } from "../scenarios/kafka-under-test";

const CLUSTER = "remediation";
const POLL_MS = 1000;
const TEST_TIMEOUT_MS = 300_000;
const OPERATOR: Identity = { user: "alice", role: "operator", via: "session" };
const VIEWER: Identity = { user: "bob", role: "viewer", via: "session" };

for (const version of ["4.4.0", "3.9.2"] as const satisfies readonly KafkaVersion[]) {
  describe(`guarded abort of a hanging transaction, Kafka ${version}`, () => {
    const kafka = useKafka({
      version,
      nodes: 1,
      name: `remediation-${version}`,
      brokerConfig: { "transaction.partition.verification.enable": "false" },
    });
    let collector: ClusterCollector;
    let store: TestDatabase;
    let consumer: Consumer | undefined;

    beforeAll(async () => {
      collector = openCollector(kafka.cluster.brokers, CLUSTER);
      store = await openTestDatabase();
    });
    afterAll(async () => {
      await consumer?.disconnect();
      await collector?.close();
      await store?.dispose();
    });

    const deps = (allowRemediation = true): AbortDependencies => ({
      allowRemediation,
      clusterConfig: (name) => (name === CLUSTER ? { name, brokers: kafka.cluster.brokers, clientId: "remediation-test", ssl: false } : undefined),
      database: store.db,
    });

    /** The poller's work: collect, detect with default settings, store. */
    const storedPoll = async (session: DetectionSession, extra: ReturnType<typeof makeFinding>[] = []) => {
      const poll = await session.poll();
      await recordPoll(poll.snapshot, [...poll.findings, ...extra], {}, store.db);
      return poll;
    };

    /** What the official CLIs say about a partition: producers, HW and read_committed end offset (LSO). */
    const brokerState = async (topic: string, partition: number) => {
      const [producers, hw, lso] = await Promise.all([
        describeProducers(kafka.cluster, topic, partition),
        getOffsets(kafka.cluster, topic, { time: -1 }),
        getOffsets(kafka.cluster, topic, { time: -1, isolation: "read_committed" }),
      ]);
      const at = (offsets: { partition: number; offset: number }[]) => offsets.find((o) => o.partition === partition)?.offset;
      return { producers, hw: at(hw), lso: at(lso) };
    };

    const refusal = async (promise: Promise<unknown>): Promise<RefusalReason> => {
      const error = await promise.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(RemediationRefusedError);
      return (error as RemediationRefusedError).reason;
    };

    it(
      "refuses without touching the broker, then aborts: LSO = HW, the group resumes, find-hanging is empty, the finding resolves",
      async () => {
        const session = new DetectionSession(collector, POLL_MS);
        const brokers = kafka.cluster.brokers;
        const client = new Kafka({ brokers, clientId: "remediation-test", logLevel: logLevel.NOTHING });

        const scenario = await kafka.run(runHangingTransaction, { onStop: "leave" });
        const { topic, partition, transactionalId, producerId, hangingOffset } = scenario.info;
        const tp = confirmationText(topic, partition);

        // Records after the hanging batch, which a read_committed reader cannot reach while it hangs.
        const plain = idempotentProducer(client);
        await plain.connect();
        await plain.send({ topic, messages: orderMessages(100, 3) });
        await plain.disconnect();

        const consumed: number[] = [];
        consumer = client.consumer({ groupId: `${topic}-reader`, readUncommitted: false });
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: true });
        await consumer.run({ eachMessage: async ({ message }) => void consumed.push(Number(message.offset)) });
        await waitFor("the group to read the records before the hanging batch", () => (consumed.length >= hangingOffset ? true : undefined), {
          timeoutMs: 60_000,
        });

        const storedFinding = () =>
          listFindings({ cluster: CLUSTER, kind: "hanging-transaction" }, store.db).then((fs) => fs.find((f) => f.subject.topic === topic));
        for (let i = 0; i < 4 && !(await storedFinding()); i++) await storedPoll(session);
        const finding = await storedFinding();
        expect(finding).toMatchObject({ subject: { topic, partition, transactionalId }, evidence: { producerId, startOffset: hangingOffset } });
        const findingId = finding!.id;

        // A normal open transaction of a live producer, presented as if it were hanging: the re-check must see the
        // coordinator holding it (Ongoing with that partition) and refuse.
        const liveTopic = `${topic}-live`;
        await createTopics(client, [{ topic: liveTopic }]);
        const live = transactionalProducer(client, `${transactionalId}-live`);
        await live.connect();
        const liveTxn = await live.transaction();
        await liveTxn.send({ topic: liveTopic, messages: orderMessages(0, 2) });
        const livePoll = await session.poll();
        const liveProducer = livePoll.snapshot.topics
          .find((t) => t.name === liveTopic)!
          .partitions[0].producers!.find((p) => p.currentTxnStartOffset >= 0)!;
        const fakeHanging = makeFinding({
          kind: "hanging-transaction",
          severity: "critical",
          cluster: CLUSTER,
          subject: { topic: liveTopic, partition: 0, transactionalId: `${transactionalId}-live` },
          title: "not really hanging",
          evidence: { producerId: liveProducer.producerId, producerEpoch: liveProducer.producerEpoch, startOffset: liveProducer.currentTxnStartOffset },
          explanation: "",
          remediation: "",
        });
        await recordPoll(livePoll.snapshot, [...livePoll.findings, fakeHanging], {}, store.db);
        const fakeId = (await listFindings({ cluster: CLUSTER, kind: "hanging-transaction" }, store.db)).find((f) => f.subject.topic === liveTopic)!.id;

        const hangingBefore = await brokerState(topic, partition);
        const liveBefore = await brokerState(liveTopic, 0);
        expect(hangingBefore.lso).toBe(hangingOffset);
        expect(hangingBefore.hw).toBeGreaterThan(hangingOffset);
        expect(liveBefore.lso).toBe(liveProducer.currentTxnStartOffset);

        const attempt = (identity: Identity, confirm: string, allow = true, id = findingId) =>
          abortHangingTransaction({ cluster: CLUSTER, findingId: id, confirm, identity }, deps(allow));
        expect(await refusal(attempt(OPERATOR, tp, false))).toBe("disabled");
        expect(await refusal(attempt(VIEWER, tp))).toBe("forbidden");
        expect(await refusal(attempt(OPERATOR, `${topic}-${partition + 1}`))).toBe("not-confirmed");
        const liveRefusal = await attempt(OPERATOR, confirmationText(liveTopic, 0), true, fakeId).catch((e: unknown) => e);
        expect(liveRefusal).toBeInstanceOf(RemediationRefusedError);
        expect(liveRefusal).toMatchObject({ reason: "not-hanging", message: expect.stringMatching(/coordinator holds it: .* is Ongoing/) });

        // Nothing changed on the broker: same producers, same LSO and HW, the group still short of the hanging batch.
        expect(await brokerState(topic, partition)).toEqual(hangingBefore);
        expect(await brokerState(liveTopic, 0)).toEqual(liveBefore);
        expect(consumed.filter((o) => o >= hangingOffset)).toEqual([]);
        await liveTxn.commit();
        await live.disconnect();

        const started = Date.now();
        const { audit, aborted } = await attempt(OPERATOR, ` ${tp} `);
        const abortMs = Date.now() - started;
        expect(audit).toMatchObject({ outcome: "aborted", actor: "alice", role: "operator", topic, partition, producerId, startOffset: hangingOffset });
        expect(aborted).toMatchObject({ topic, partition, producerId, producerEpoch: scenario.info.producerEpoch, startOffset: hangingOffset });
        // The epochs sent and audited are the ones the CLI's describe-producers showed for the open transaction.
        const cliProducer = hangingBefore.producers.find((p) => p.producerId === producerId)!;
        expect([aborted.producerEpoch, aborted.coordinatorEpoch]).toEqual([cliProducer.producerEpoch, cliProducer.latestCoordinatorEpoch]);
        expect(audit).toMatchObject({ producerEpoch: cliProducer.producerEpoch, coordinatorEpoch: cliProducer.latestCoordinatorEpoch });
        // WriteTxnMarkers: 3.9 advertises v0-1, 4.x v1-2 (4.0 removed v0, KIP-1228 added v2); the codec (v0-1)
        // sends v1 to both.
        const advertised = (await collector.protocol.apiVersions(scenario.info.leaderId))[writeTxnMarkersApi.apiKey];
        expect(advertised).toEqual(version === "4.4.0" ? { minVersion: 1, maxVersion: 2 } : { minVersion: 0, maxVersion: 1 });
        expect(pickVersion(writeTxnMarkersApi.apiKey, writeTxnMarkersApi.minVersion, writeTxnMarkersApi.maxVersion, { [writeTxnMarkersApi.apiKey]: advertised })).toBe(1);

        // The broker's own tools: the LSO reached the HW (which grew by the abort marker), no open transaction.
        const after = await brokerState(topic, partition);
        expect(after.hw).toBe(hangingBefore.hw! + 1);
        expect(after.lso).toBe(after.hw);
        expect(after.producers.find((p) => p.producerId === producerId)?.currentTransactionStartOffset).toBeNull();
        expect(await findHanging(kafka.cluster, { maxTransactionTimeoutMinutes: 1 })).toEqual([]);

        // The blocked group resumes: it reads the records after the aborted batch, never the aborted record.
        const resumed = await waitFor("the group to read past the aborted batch", () => (consumed.length >= hangingOffset + 3 ? [...consumed] : undefined), {
          timeoutMs: 60_000,
        });
        expect(resumed.sort((a, b) => a - b)).toEqual([...Array.from({ length: hangingOffset }, (_, i) => i), hangingOffset + 1, hangingOffset + 2, hangingOffset + 3]);

        // Aborting again is refused: the re-check finds no open transaction any more.
        const again = await attempt(OPERATOR, tp).catch((e: unknown) => e);
        expect(again).toMatchObject({ reason: "not-hanging", message: expect.stringMatching(/no transaction open at offset/) });
        expect(await brokerState(topic, partition)).toEqual(after);

        // The next poll resolves the finding.
        const next = await storedPoll(session);
        expect(next.complete).toBe(true);
        expect((await getFinding(findingId, store.db))?.resolvedAt).not.toBeNull();

        const log = await listRemediationAudit({ cluster: CLUSTER, findingId }, store.db);
        expect(log.map((r) => [r.outcome, r.reason, r.actor])).toEqual([
          ["refused", "not-hanging", "alice"],
          ["aborted", null, "alice"],
          ["refused", "not-confirmed", "alice"],
          ["refused", "forbidden", "bob"],
          ["refused", "disabled", "alice"],
        ]);
        expect(log.every((r) => r.topic === topic && r.partition === partition && r.producerId === producerId && r.transactionalId === transactionalId)).toBe(true);
        expect(await listRemediationAudit({ cluster: CLUSTER, findingId: fakeId }, store.db)).toMatchObject([{ outcome: "refused", reason: "not-hanging", topic: liveTopic }]);
        console.log(`Kafka ${version}: abort (re-collection + WriteTxnMarkers) took ${abortMs} ms; producer ${producerId} epoch ${aborted.producerEpoch} coordinator epoch ${aborted.coordinatorEpoch}; LSO ${hangingBefore.lso} -> ${after.lso} = HW`);
      },
      TEST_TIMEOUT_MS,
    );
  });
}
