// The real-Kafka harness itself: brokers start and serve, survive crash/restart with their data, a hung node
// drops out of the ISR while the cluster keeps serving, and no broker JVM outlives its owner.
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { Kafka, logLevel, type Admin } from "kafkajs";
import { metadataApi, ProtocolClient } from "@/lib/kafka/protocol";
import { createTopicsReady } from "../../scripts/kafka/topics";
import { idempotentProducer } from "../../scripts/scenarios/support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isProcessRunning } from "../../scripts/kafka/broker-processes.mjs";
import { startKafka, type KafkaTestCluster } from "../../scripts/kafka/cluster";
import { REPO_ROOT } from "../../scripts/kafka/paths";
import { KAFKA_VERSIONS } from "../../scripts/kafka/versions";

function client(brokers: string[]): Kafka {
  return new Kafka({ clientId: "harness-test", brokers, logLevel: logLevel.NOTHING, requestTimeout: 5000, connectionTimeout: 2000 });
}

/** Pids of broker JVMs whose command line mentions the run directory (pgrep exits 1 when there are none). */
function brokerPidsUnder(runDir: string): number[] {
  try {
    return execFileSync("pgrep", ["-f", `kafka\\.Kafka ${runDir}`], { encoding: "utf8" })
      .split("\n")
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string, seen = () => ""): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const value = await probe().catch((error: unknown) => void (last = error));
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${seen()}${last ? `; last error: ${String(last)}` : ""}`);
}

async function readAll(kafka: Kafka, topic: string, expected: number): Promise<string[]> {
  const consumer = kafka.consumer({ groupId: `reader-${Date.now()}` });
  const values: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void values.push(message.value!.toString()) });
  await eventually(async () => (values.length >= expected ? true : undefined), 30_000, `${expected} records on ${topic}`);
  await consumer.disconnect();
  return values;
}

describe("single node (4.4.0)", () => {
  let cluster: KafkaTestCluster;
  let admin: Admin;

  beforeAll(async () => {
    cluster = await startKafka({ version: KAFKA_VERSIONS.latest, name: "harness-single" });
    admin = client(cluster.brokers).admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.disconnect();
    await cluster?.stop();
  });

  it("serves metadata with the harness defaults", async () => {
    const { brokers, controller } = await admin.describeCluster();
    expect(brokers.map((b) => b.nodeId)).toEqual([1]);
    expect(controller).toBe(1);
    expect(cluster.nodes[0].port).toBe(Number(cluster.bootstrap.split(":")[1]));
    expect(isProcessRunning(cluster.nodes[0].pid)).toBe(true);
  });

  it("keeps committed data across a crash (SIGKILL) and restart", async () => {
    await createTopicsReady(admin, [{ topic: "durable", numPartitions: 2 }]);
    // Idempotent: a plain kafkajs producer resends a whole request after a partial NOT_LEADER answer right
    // after topic creation, duplicating the partitions that had already succeeded.
    const producer = idempotentProducer(client(cluster.brokers));
    await producer.connect();
    await producer.send({ topic: "durable", acks: -1, messages: ["a", "b", "c", "d"].map((value) => ({ value })) });
    await producer.disconnect();
    await admin.disconnect();

    const pidBefore = cluster.nodes[0].pid;
    await cluster.crash(1);
    expect(cluster.isRunning(1)).toBe(false);
    expect(isProcessRunning(pidBefore)).toBe(false);

    await cluster.restart(1);
    await cluster.waitReady();
    expect(cluster.nodes[0].pid).not.toBe(pidBefore);
    admin = client(cluster.brokers).admin();
    await admin.connect();
    expect((await admin.listTopics()).includes("durable")).toBe(true);
    expect((await readAll(client(cluster.brokers), "durable", 4)).sort()).toEqual(["a", "b", "c", "d"]);
  });
});

describe("three nodes (4.4.0)", () => {
  let cluster: KafkaTestCluster;
  let admin: Admin;
  const topic = "replicated";

  let protocol: ProtocolClient;
  let lastIsr: number[][] = [];
  const ASKED = 1;
  // Asked of one live broker by id: kafkajs's own metadata call picks any known broker, the hung one included, and
  // waits out a request timeout on it, retries and all (CI run 26: 30 s of probes without an answer).
  const isrOf = async (): Promise<number[][]> => {
    const { response } = await protocol.call(ASKED, metadataApi, { topics: [topic] });
    lastIsr = response.topics[0].partitions.sort((a, b) => a.partition - b.partition).map((p) => [...p.isr].sort());
    return lastIsr;
  };
  const isrSeen = () => `; ISR per partition as broker ${ASKED} last answered: ${JSON.stringify(lastIsr)}`;

  beforeAll(async () => {
    cluster = await startKafka({ version: KAFKA_VERSIONS.latest, nodes: 3, name: "harness-three" });
    admin = client(cluster.brokers).admin();
    await admin.connect();
    protocol = ProtocolClient.fromKafka(client([`127.0.0.1:${cluster.nodes.find((n) => n.nodeId === ASKED)!.port}`]));
    await protocol.connect();
    await createTopicsReady(admin, [{ topic, numPartitions: 3, replicationFactor: 3 }]);
  });

  afterAll(async () => {
    await admin?.disconnect();
    await protocol?.disconnect();
    await cluster?.stop();
  });

  it("registers all three brokers", async () => {
    const { brokers } = await admin.describeCluster();
    expect(brokers.map((b) => b.nodeId).sort()).toEqual([1, 2, 3]);
    expect(cluster.brokers).toHaveLength(3);
  });

  it("drops a hung (SIGSTOP) node from the ISR and keeps serving; the node rejoins after SIGCONT", async () => {
    const hung = 3;
    const live = cluster.nodes.filter((n) => n.nodeId !== hung).map((n) => `127.0.0.1:${n.port}`);

    await cluster.hang(hung);
    await eventually(
      async () => ((await isrOf()).every((isr) => !isr.includes(hung)) ? true : undefined),
      30_000,
      `node ${hung} to leave the ISR`,
      isrSeen,
    );
    const producer = idempotentProducer(client(live));
    // InitProducerId answers "coordinator loading" while a live node takes over what the hung one led; under load
    // that outlasts kafkajs's own retries. The condition to wait for is a producer id, whatever the retry budget.
    await eventually(async () => ((await producer.connect()), true), 60_000, "a producer id from the live nodes");
    const [written] = await producer.send({ topic, acks: -1, messages: [{ value: "while-hung", partition: 0 }] });
    expect(written.errorCode).toBe(0);
    await producer.disconnect();

    await cluster.resume(hung);
    await eventually(
      async () => ((await isrOf()).every((isr) => isr.includes(hung)) ? true : undefined),
      60_000,
      `node ${hung} to rejoin the ISR`,
      isrSeen,
    );
  });

  it("stop() leaves no broker JVM and removes the data", async () => {
    await admin.disconnect();
    const pids = cluster.nodes.map((n) => n.pid);
    expect(brokerPidsUnder(cluster.runDir).sort()).toEqual([...pids].sort());
    await cluster.stop();
    expect(brokerPidsUnder(cluster.runDir)).toEqual([]);
    expect(pids.some(isProcessRunning)).toBe(false);
    expect(existsSync(cluster.runDir)).toBe(false);
  });
});

describe("no orphan brokers", () => {
  it("the watchdog kills the brokers when their owner process is SIGKILLed", async () => {
    const owner = spawn(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "scripts/kafka/run-cluster.ts"), "--name", "harness-orphan"], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    const [line] = await Promise.race([
      (async () => {
        for await (const l of createInterface({ input: owner.stdout! })) return [l];
        return [""];
      })(),
      new Promise<string[]>((_, reject) => owner.once("exit", (code) => reject(new Error(`run-cluster exited with ${code}`)))),
    ]);
    const { runDir, nodes } = JSON.parse(line) as { runDir: string; nodes: { pid: number }[] };
    expect(isProcessRunning(nodes[0].pid)).toBe(true);

    owner.kill("SIGKILL");
    await eventually(async () => (brokerPidsUnder(runDir).length === 0 ? true : undefined), 10_000, "orphaned broker to die");
    await eventually(async () => (existsSync(runDir) ? undefined : true), 10_000, "orphaned run directory to be removed");
  });
});
