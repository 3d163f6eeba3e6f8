// Every group type the collector reads (classic, KIP-848 consumer, share), driven by the official console
// consumers and compared with kafka-groups, kafka-consumer-groups and kafka-share-groups on the same cluster.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Kafka, logLevel } from "kafkajs";
import { describe, expect, it, onTestFinished } from "vitest";
import { ClusterCollector } from "@/lib/kafka/collector";
import type { ClusterSnapshot, ConsumerGroupState, GroupType } from "@/lib/snapshot/types";
import {
  describeGroupMembers,
  describeGroupOffsets,
  describeGroupState,
  describeShareGroupOffsets,
  kafkaCli,
  listGroupsWithTypes,
  parseCliTable,
  spawnKafkaCli,
  type CliGroupMember,
  type CliGroupState,
  type KafkaCliTarget,
} from "../../scripts/kafka/cli";
import { ensureClientJars } from "../../scripts/kafka/jars";
import { loggingJvmArgs } from "../../scripts/kafka/jvm";
import { KAFKA_VERSIONS } from "../../scripts/kafka/versions";
import { createTopics, idempotentProducer, waitFor } from "../../scripts/scenarios/support";
import { useKafka, type KafkaUnderTest } from "./scenarios/kafka-under-test";

const PARTITIONS = 3;
const JOIN_TIMEOUT_MS = 150_000;

const groupsOf = (snapshot: ClusterSnapshot) => new Map(snapshot.groups.map((g) => [g.groupId, g]));

async function produce(brokers: string[], topic: string, perPartition: number): Promise<void> {
  const producer = idempotentProducer(new Kafka({ clientId: "group-types", brokers, logLevel: logLevel.NOTHING }));
  await producer.connect();
  try {
    const messages = Array.from({ length: perPartition * PARTITIONS }, (_, i) => ({ value: `v${i}`, partition: i % PARTITIONS }));
    await producer.send({ topic, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
}

/** A console consumer (or share consumer) stopped when the test ends, pass or fail. */
async function consoleConsumer(kafka: KafkaUnderTest, tool: "console-consumer" | "console-share-consumer", args: string[]) {
  const running = await spawnKafkaCli(kafka.cluster.version, tool, args, { bootstrap: kafka.cluster.bootstrap });
  onTestFinished(() => running.stop());
  return running;
}

function openCollector(kafka: KafkaUnderTest): ClusterCollector {
  const collector = new ClusterCollector({ name: "it", brokers: kafka.cluster.brokers, clientId: "it", ssl: false });
  onTestFinished(() => collector.close());
  return collector;
}

/** Polls the collector until `ready` holds for a complete snapshot. */
async function snapshotWhen(collector: ClusterCollector, what: string, ready: (groups: Map<string, ConsumerGroupState>) => boolean) {
  return waitFor(
    what,
    async () => {
      const snapshot = await collector.collect();
      return snapshot.complete && ready(groupsOf(snapshot)) ? snapshot : undefined;
    },
    { timeoutMs: JOIN_TIMEOUT_MS, intervalMs: 1000 },
  );
}

const allPartitions = (topic: string) => Array.from({ length: PARTITIONS }, (_, partition) => ({ topic, partition }));

function isSettled(group: ConsumerGroupState | undefined, topic: string, committed: number): boolean {
  return (
    group?.state === "Stable" &&
    group.members.length === 1 &&
    group.members[0].assignment.length === PARTITIONS &&
    group.offsets.length === PARTITIONS &&
    group.offsets.every((o) => o.topic === topic && o.offset === committed)
  );
}

function expectStateMatches(group: ConsumerGroupState, cli: CliGroupState): void {
  expect({ state: group.state, members: group.members.length, coordinatorId: group.coordinatorId }).toEqual({
    state: cli.state,
    members: cli.members,
    coordinatorId: cli.coordinatorId,
  });
  if (cli.groupEpoch !== undefined) {
    expect(group.groupEpoch ?? null).toBe(cli.groupEpoch);
    expect(group.assignmentEpoch ?? null).toBe(cli.assignmentEpoch);
  }
  if (cli.assignmentStrategy !== null) expect(group.protocol).toBe(cli.assignmentStrategy);
}

/** Members as the CLI prints them, for the columns it has (3.9 prints no epochs, share groups no target). */
function expectMembersMatch(group: ConsumerGroupState, cli: CliGroupMember[]): void {
  const columns = cli[0] ?? { memberEpoch: null, targetAssignment: [] };
  // 3.9's CLI prints assignments without topic names: compare partitions there.
  const blind = cli.some((m) => m.assignment.some((a) => a.topic === ""));
  const mine = group.members.map((m) => ({
    memberId: m.memberId,
    host: m.host,
    clientId: m.clientId,
    partitions: m.assignment.length,
    assignment: blind ? m.assignment.map((a) => ({ topic: "", partition: a.partition })) : m.assignment,
    ...("memberEpoch" in columns && { memberEpoch: m.memberEpoch ?? null }),
    ...("targetAssignment" in columns && { targetAssignment: m.targetAssignment ?? [] }),
  }));
  const theirs = cli.map(({ group: _group, ...member }) => member);
  const byId = (a: { memberId: string }, b: { memberId: string }) => a.memberId.localeCompare(b.memberId);
  expect(mine.sort(byId)).toEqual(theirs.sort(byId));
}

async function expectOffsetsMatch(target: KafkaCliTarget, group: ConsumerGroupState): Promise<void> {
  const cli = await describeGroupOffsets(target, group.groupId);
  expect(group.offsets.map((o) => [o.topic, o.partition, o.offset])).toEqual(
    cli
      .filter((r) => r.currentOffset !== null)
      .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition)
      .map((r) => [r.topic, r.partition, r.currentOffset]),
  );
}

/** StreamsGroupApp.java (a source-file program) on the streams rebalance protocol; stopped when the test ends. */
async function streamsApp(kafka: KafkaUnderTest, applicationId: string, input: string, output: string) {
  const version = kafka.cluster.version;
  const program = fileURLToPath(new URL("./fixtures/StreamsGroupApp.java", import.meta.url));
  const child = spawn(
    "java",
    [...loggingJvmArgs(version), "-Xmx256m", "-cp", `${await ensureClientJars()}/*`, program, kafka.cluster.bootstrap, applicationId, input, output],
    { stdio: "ignore" },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  });
}

/** Active tasks of the streams CLI's ASSIGNMENTS column ("ACTIVE: 0:[0,1]; TARGET-ACTIVE: ...") on one source topic. */
function activeTaskPartitions(assignments: string, topic: string): { topic: string; partition: number }[] {
  const active = /(?:^|\s)ACTIVE:\s*([^;]*)/.exec(assignments)?.[1] ?? "";
  return [...active.matchAll(/\[([\d,]*)\]/g)]
    .flatMap((m) => m[1].split(",").filter((p) => p !== ""))
    .map((p) => ({ topic, partition: Number(p) }))
    .sort((a, b) => a.partition - b.partition);
}

const CLI_TYPE: Record<GroupType, string> = { classic: "Classic", consumer: "Consumer", share: "Share", streams: "Streams" };

describe("group types on Kafka 4.4.0", () => {
  const kafka = useKafka({ version: KAFKA_VERSIONS.latest, name: "group-types-4.4.0" });

  it(
    "classic, KIP-848 and share groups: types, states, epochs, members, assignments, offsets and share lag as the CLIs say",
    async () => {
      const target: KafkaCliTarget = { version: kafka.cluster.version, bootstrap: kafka.cluster.bootstrap };
      const topic = "gt-in";
      const [classic, consumer, share] = ["gt-classic", "gt-consumer", "gt-share"];
      await createTopics(new Kafka({ clientId: "group-types", brokers: kafka.cluster.brokers, logLevel: logLevel.NOTHING }), [
        { topic, numPartitions: PARTITIONS },
      ]);
      await produce(kafka.cluster.brokers, topic, 10);
      // Share groups start at the log end by default; this one reads the records already there.
      await kafka.cli("configs", ["--alter", "--entity-type", "groups", "--entity-name", share, "--add-config", "share.auto.offset.reset=earliest"]);
      await consoleConsumer(kafka, "console-consumer", ["--topic", topic, "--group", classic, "--from-beginning"]);
      const kip848 = await consoleConsumer(kafka, "console-consumer", [
        "--topic", topic, "--group", consumer, "--from-beginning", "--consumer-property", "group.protocol=consumer",
      ]);
      const shareConsumer = await consoleConsumer(kafka, "console-share-consumer", ["--topic", topic, "--group", share]);

      const collector = openCollector(kafka);
      const settled = await snapshotWhen(collector, "every group Stable, caught up and acknowledged", (groups) => {
        const s = groups.get(share);
        return (
          isSettled(groups.get(classic), topic, 10) &&
          isSettled(groups.get(consumer), topic, 10) &&
          s?.state === "Stable" &&
          s.members.length === 1 &&
          s.shareOffsets?.length === PARTITIONS &&
          s.shareOffsets.every((o) => o.startOffset !== null && o.lag === 0)
        );
      });
      const groups = groupsOf(settled);

      // Types, from ListGroups v5, against kafka-groups --list.
      const listed = await listGroupsWithTypes(target);
      for (const id of [classic, consumer, share]) {
        const cli = listed.find((g) => g.group === id)!;
        expect([CLI_TYPE[groups.get(id)!.type!], groups.get(id)!.protocolType]).toEqual([cli.type, cli.protocol]);
      }
      expect([classic, consumer, share].map((id) => groups.get(id)!.type)).toEqual(["classic", "consumer", "share"]);

      // States, epochs, members and assignments against kafka-consumer-groups / kafka-share-groups.
      for (const id of [classic, consumer]) {
        expectStateMatches(groups.get(id)!, await describeGroupState(target, id));
        expectMembersMatch(groups.get(id)!, await describeGroupMembers(target, id));
        await expectOffsetsMatch(target, groups.get(id)!);
      }
      const kip848Group = groups.get(consumer)!;
      expect(kip848Group.groupEpoch).toBeGreaterThan(0);
      expect(kip848Group.members[0].memberEpoch).toBe(kip848Group.groupEpoch);
      expect(kip848Group.members[0].targetAssignment).toEqual(allPartitions(topic));
      expect(groups.get(classic)!.members[0].memberEpoch).toBeUndefined();

      const shareGroup = groups.get(share)!;
      expectStateMatches(shareGroup, await describeGroupState(target, share, "share-groups"));
      expectMembersMatch(shareGroup, await describeGroupMembers(target, share, "share-groups"));
      expect(shareGroup.offsets).toEqual([]); // start offsets are not committed offsets
      const cliShareOffsets = await describeShareGroupOffsets(target, share);
      expect(shareGroup.shareOffsets).toEqual(cliShareOffsets.map(({ group: _group, ...o }) => o));

      // One ListGroups and one describe per type; one OffsetFetch and one DescribeShareGroupOffsets. OffsetFetch v10
      // names topics by id: a collector's first poll that meets an id adds one Metadata for the names, later polls
      // reuse them.
      const phase = (name: string) => settled.phases.find((p) => p.name === name)!;
      expect(phase("groups").requests).toBe(4);
      expect(phase("groupOffsets").requests).toBeGreaterThanOrEqual(2);
      expect(phase("groupOffsets").requests).toBeLessThanOrEqual(3);
      const next = await collector.collect();
      expect(next.phases.find((p) => p.name === "groupOffsets")!.requests).toBe(2);

      // The KIP-848 and share consumers stop; 5 more records per partition arrive.
      await Promise.all([kip848.stop(), shareConsumer.stop()]);
      await produce(kafka.cluster.brokers, topic, 5);
      const stopped = await snapshotWhen(collector, "the KIP-848 group Empty and the share group behind by 5 per partition", (now) => {
        const s = now.get(share);
        return (
          now.get(consumer)?.state === "Empty" &&
          s?.state === "Empty" &&
          (s.shareOffsets ?? []).length === PARTITIONS &&
          s.shareOffsets!.every((o) => o.lag === 5)
        );
      });
      const after = groupsOf(stopped);
      expectStateMatches(after.get(consumer)!, await describeGroupState(target, consumer));
      expect(after.get(consumer)!.members).toEqual([]);
      await expectOffsetsMatch(target, after.get(consumer)!);
      expectStateMatches(after.get(share)!, await describeGroupState(target, share, "share-groups"));
      expect(after.get(share)!.shareOffsets).toEqual((await describeShareGroupOffsets(target, share)).map(({ group: _group, ...o }) => o));
    },
    600_000,
  );
});

describe("streams groups on Kafka 4.4.0", () => {
  const kafka = useKafka({ version: KAFKA_VERSIONS.latest, name: "group-types-streams" });

  it("a Kafka Streams app on group.protocol=streams: type, state, epochs, members, task partitions and offsets as kafka-streams-groups says", async () => {
    const target: KafkaCliTarget = { version: kafka.cluster.version, bootstrap: kafka.cluster.bootstrap };
    const [input, output, app] = ["gs-in", "gs-out", "gs-app"];
    await createTopics(new Kafka({ clientId: "group-types", brokers: kafka.cluster.brokers, logLevel: logLevel.NOTHING }), [
      { topic: input, numPartitions: PARTITIONS },
      { topic: output, numPartitions: PARTITIONS },
    ]);
    await produce(kafka.cluster.brokers, input, 10);
    await streamsApp(kafka, app, input, output);
    const collector = openCollector(kafka);
    const settled = await snapshotWhen(collector, "the streams group Stable with every task and caught up", (groups) => {
      const g = groups.get(app);
      return g?.type === "streams" && isSettled(g, input, 10);
    });
    const group = groupsOf(settled).get(app)!;
    expect(group.members[0].assignment).toEqual(allPartitions(input));
    expect(group.members[0].targetAssignment).toEqual(allPartitions(input));

    const listed = (await listGroupsWithTypes(target)).find((g) => g.group === app)!;
    expect([listed.type, listed.protocol]).toEqual(["Streams", group.protocolType]);
    const run = async (args: string[]) => {
      const result = await kafkaCli(target.version, "streams-groups", ["--describe", "--group", app, ...args], { bootstrap: target.bootstrap });
      expect(result.exitCode).toBe(0);
      return result.stdout;
    };
    expectStateMatches(group, await describeGroupState(target, app, "streams-groups"));
    const members = parseCliTable(await run(["--members", "--verbose"]), { headerStart: "GROUP" });
    expect(
      group.members.map((m) => [m.memberId, m.clientId, m.memberEpoch, m.assignment]),
    ).toEqual(members.map((r) => [r.MEMBER, r["CLIENT-ID"], Number(r["MEMBER-EPOCH"]), activeTaskPartitions(r.ASSIGNMENTS, input)]));
    const offsets = parseCliTable(await run(["--offsets", "--verbose"]), { headerStart: "GROUP" })
      .filter((r) => r["CURRENT-OFFSET"] !== "-")
      .map((r) => [r.TOPIC, Number(r.PARTITION), Number(r["CURRENT-OFFSET"])])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])) || Number(a[1]) - Number(b[1]));
    expect(group.offsets.map((o) => [o.topic, o.partition, o.offset])).toEqual(offsets);
    expect(settled.phases.find((p) => p.name === "groups")!.requests).toBe(2); // ListGroups, StreamsGroupDescribe
  }, 600_000);
});

describe("group types on Kafka 3.9.2 (KIP-848 enabled, no share or streams APIs)", () => {
  const version = KAFKA_VERSIONS.legacy;
  const kafka = useKafka({ version, name: "group-types-3.9.2", brokerConfig: { "group.coordinator.rebalance.protocols": "classic,consumer" } });

  it(
    "classic groups unchanged, KIP-848 groups described by ConsumerGroupDescribe v0, the poll complete",
    async () => {
      const target: KafkaCliTarget = { version, bootstrap: kafka.cluster.bootstrap };
      const topic = "gt-in";
      const [classic, consumer] = ["gt-classic", "gt-consumer"];
      await createTopics(new Kafka({ clientId: "group-types", brokers: kafka.cluster.brokers, logLevel: logLevel.NOTHING }), [
        { topic, numPartitions: PARTITIONS },
      ]);
      await produce(kafka.cluster.brokers, topic, 10);
      await consoleConsumer(kafka, "console-consumer", ["--topic", topic, "--group", classic, "--from-beginning"]);
      await consoleConsumer(kafka, "console-consumer", [
        "--topic", topic, "--group", consumer, "--from-beginning", "--consumer-property", "group.protocol=consumer",
      ]);
      const collector = openCollector(kafka);
      const settled = await snapshotWhen(collector, "both groups Stable and caught up", (groups) =>
        isSettled(groups.get(classic), topic, 10) && isSettled(groups.get(consumer), topic, 10),
      );
      expect(settled.phases.every((p) => p.errors.length === 0 && !p.unsupported)).toBe(true);
      const groups = groupsOf(settled);
      expect([groups.get(classic)!.type, groups.get(consumer)!.type]).toEqual(["classic", "consumer"]);
      for (const id of [classic, consumer]) {
        expectStateMatches(groups.get(id)!, await describeGroupState(target, id));
        expectMembersMatch(groups.get(id)!, await describeGroupMembers(target, id));
        await expectOffsetsMatch(target, groups.get(id)!);
      }
      expect(settled.phases.find((p) => p.name === "groups")!.requests).toBe(3);
    },
    600_000,
  );
});
