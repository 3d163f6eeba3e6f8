import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { Kafka, logLevel } from "kafkajs";
import { brokerProperties, toPropertiesFile, type NodeEndpoint } from "./broker-config";
import {
  BROKER_PID_FILE,
  OWNER_PID_FILE,
  isProcessRunning,
  killBrokersAndRemove,
  readOwnerPid,
} from "./broker-processes.mjs";
import { ensureKafkaJars } from "./jars";
import { SHORT_LIVED_JVM_ARGS, classpath, loggingJvmArgs } from "./jvm";
import { RUN_HOME, WATCHDOG_SCRIPT } from "./paths";
import type { ExtraListener } from "./security";
import { KAFKA_VERSIONS, type KafkaVersion } from "./versions";
import { freeLoopbackPorts } from "../ports";

const execFileAsync = promisify(execFile);

const BROKER_JVM_ARGS = ["-Xms128m", "-Xmx512m", "-XX:+UseG1GC", "-Djava.awt.headless=true"];
const GRACEFUL_STOP_MS = 20_000;
const READY_POLL_MS = 250;
/** A run directory without an owner file is being created right now, unless it is older than this. */
const ORPHAN_DIR_GRACE_MS = 60_000;

export interface StartKafkaOptions {
  version?: KafkaVersion;
  nodes?: 1 | 3;
  /** Merged over the harness defaults, e.g. `{ "transaction.partition.verification.enable": "false" }`. */
  brokerConfig?: Record<string, string>;
  /** Prefix of the run directory under `.kafka/run/`, for finding a test's broker logs. */
  name?: string;
  /**
   * Parent of the run directory (the nodes' data and logs) instead of `.kafka/run/`. A broker fsyncs each new
   * partition's files: on a tmpfs, creating thousands of partitions no longer waits on a shared disk.
   */
  runHome?: string;
  /** Secured listeners besides PLAINTEXT (their settings go in brokerConfig; see security.ts). */
  extraListeners?: readonly ExtraListener[];
  /** Extra `kafka-storage format` arguments, e.g. `--add-scram` users (security.ts scramFormatArgs). */
  formatArgs?: readonly string[];
}

export interface KafkaNodeInfo {
  nodeId: number;
  /** Client (PLAINTEXT) port on 127.0.0.1. */
  port: number;
  /** Port of each extra (secured) listener by name. */
  listenerPorts: Record<string, number>;
  /** Current JVM pid; the last one if the node is not running. */
  pid: number;
  logFile: string;
}

export interface WaitReadyOptions {
  timeoutMs?: number;
  /** Nodes that must be registered and unfenced; defaults to every node whose JVM is running. */
  nodeIds?: number[];
}

export class KafkaClusterError extends Error {
  constructor(message: string, logTail?: string) {
    super(logTail ? `${message}\n${logTail}` : message);
    this.name = "KafkaClusterError";
  }
}

interface NodeRuntime extends NodeEndpoint {
  dir: string;
  propertiesFile: string;
  logFile: string;
  process?: ChildProcess;
  exited?: Promise<void>;
}

const liveClusters = new Set<KafkaTestCluster>();

export class KafkaTestCluster {
  readonly bootstrap: string;
  readonly brokers: string[];

  constructor(
    readonly version: KafkaVersion,
    readonly name: string,
    readonly runDir: string,
    readonly clusterId: string,
    private readonly runtimes: NodeRuntime[],
  ) {
    this.brokers = runtimes.map((n) => `127.0.0.1:${n.port}`);
    this.bootstrap = this.brokers.join(",");
  }

  get nodes(): KafkaNodeInfo[] {
    return this.runtimes.map((n) => ({
      nodeId: n.nodeId,
      port: n.port,
      listenerPorts: Object.fromEntries((n.extraListeners ?? []).map((l) => [l.name, l.port])),
      pid: n.process?.pid ?? 0,
      logFile: n.logFile,
    }));
  }

  /** Bootstrap `host:port` list of an extra listener. */
  listenerBrokers(name: string): string[] {
    return this.runtimes.map((n) => {
      const listener = n.extraListeners?.find((l) => l.name === name);
      if (!listener) throw new KafkaClusterError(`Kafka cluster '${this.name}' has no listener ${name}`);
      return `127.0.0.1:${listener.port}`;
    });
  }

  isRunning(nodeId: number): boolean {
    const child = this.node(nodeId).process;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  /** Polls with a kafkajs admin until the expected nodes are registered and a metadata request succeeds. */
  async waitReady(options: WaitReadyOptions = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? 90_000;
    const expected = options.nodeIds ?? this.runtimes.filter((n) => this.isRunning(n.nodeId)).map((n) => n.nodeId);
    const kafka = new Kafka({
      clientId: "kafka-harness-ready",
      brokers: expected.map((id) => `127.0.0.1:${this.node(id).port}`),
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1000,
      requestTimeout: 5000,
      retry: { retries: 0 },
    });
    const deadline = Date.now() + timeoutMs;
    let lastProblem = "no attempt yet";
    while (Date.now() < deadline) {
      const dead = expected.filter((id) => !this.isRunning(id));
      if (dead.length > 0) {
        throw new KafkaClusterError(`Kafka node(s) ${dead.join(",")} exited while waiting for readiness`, await this.logTail(40));
      }
      const admin = kafka.admin();
      try {
        await admin.connect();
        const { brokers, controller } = await admin.describeCluster();
        const registered = new Set(brokers.map((b) => b.nodeId));
        const missing = expected.filter((id) => !registered.has(id));
        if (missing.length === 0 && controller !== null) {
          await admin.listTopics();
          return;
        }
        lastProblem = `registered brokers [${[...registered].join(",")}], controller ${controller}`;
      } catch (error) {
        lastProblem = (error as Error).message;
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
      await sleep(READY_POLL_MS);
    }
    throw new KafkaClusterError(
      `Kafka ${this.version} cluster '${this.name}' not ready after ${timeoutMs} ms (${lastProblem})`,
      await this.logTail(40),
    );
  }

  /** Controlled shutdown of every node (SIGKILL after 20 s), then deletes the data. */
  async stop(): Promise<void> {
    await Promise.all(this.runtimes.map((n) => this.stopNode(n.nodeId)));
    liveClusters.delete(this);
    await rm(this.runDir, { recursive: true, force: true });
  }

  /** SIGTERM (controlled shutdown); resolves once the JVM has exited, SIGKILLing it after 20 s. */
  async stopNode(nodeId: number): Promise<void> {
    const runtime = this.node(nodeId);
    if (!this.isRunning(nodeId)) return;
    runtime.process!.kill("SIGCONT");
    runtime.process!.kill("SIGTERM");
    if (!(await settlesWithin(this.exitOf(runtime), GRACEFUL_STOP_MS))) await this.crash(nodeId);
  }

  /** SIGKILL: the node dies without a controlled shutdown, like a machine failure. */
  async crash(nodeId: number): Promise<void> {
    const runtime = this.node(nodeId);
    if (!this.isRunning(nodeId)) return;
    runtime.process!.kill("SIGKILL");
    await this.exitOf(runtime);
  }

  /** SIGSTOP: the JVM freezes with its sockets open, like a long GC pause or a stuck host. */
  /** Freezes a node (SIGSTOP) and returns once every thread of its JVM is stopped, not merely signalled. */
  async hang(nodeId: number): Promise<void> {
    this.signalRunning(nodeId, "SIGSTOP");
    const pid = this.node(nodeId).process!.pid!;
    const deadline = Date.now() + 10_000;
    while (!allThreadsStopped(pid)) {
      if (Date.now() > deadline) throw new KafkaClusterError(`Kafka node ${nodeId} (pid ${pid}) not stopped 10 s after SIGSTOP`);
      await sleep(5);
    }
  }

  async resume(nodeId: number): Promise<void> {
    this.signalRunning(nodeId, "SIGCONT");
  }

  /** Starts a stopped or crashed node again with the same data, config and ports. Call waitReady() afterwards. */
  async restart(nodeId: number): Promise<void> {
    if (this.isRunning(nodeId)) throw new KafkaClusterError(`Kafka node ${nodeId} is still running; stop or crash it first`);
    launchBroker(this.version, this.node(nodeId));
  }

  /** The last lines of every node's broker log, for printing when a test fails. */
  async logTail(lines = 50): Promise<string> {
    const sections = await Promise.all(
      this.runtimes.map(async (n) => {
        const text = await readFile(n.logFile, "utf8").catch(() => "(no log)");
        return `--- Kafka ${this.version} node ${n.nodeId} (${n.logFile}) ---\n${text.split("\n").slice(-lines - 1).join("\n")}`;
      }),
    );
    return sections.join("\n");
  }

  /** Synchronous last resort for exit handlers: no graceful shutdown, no waiting. */
  killNow(): void {
    for (const runtime of this.runtimes) {
      if (!this.isRunning(runtime.nodeId)) continue;
      runtime.process!.kill("SIGCONT");
      runtime.process!.kill("SIGKILL");
    }
    liveClusters.delete(this);
  }

  private node(nodeId: number): NodeRuntime {
    const runtime = this.runtimes.find((n) => n.nodeId === nodeId);
    if (!runtime) throw new KafkaClusterError(`Kafka cluster '${this.name}' has no node ${nodeId}`);
    return runtime;
  }

  /** Brokers are unref'd so they never keep the owner alive; while awaiting an exit, the wait itself must. */
  private async exitOf(runtime: NodeRuntime): Promise<void> {
    runtime.process!.ref();
    await runtime.exited;
  }

  private signalRunning(nodeId: number, signal: NodeJS.Signals): void {
    if (!this.isRunning(nodeId)) throw new KafkaClusterError(`Kafka node ${nodeId} is not running`);
    this.node(nodeId).process!.kill(signal);
  }
}

/**
 * Every thread in the stopped state ("T" in /proc/<pid>/task/<tid>/stat). kill() only queues SIGSTOP: a CI run saw
 * a broker answer a poll's first requests (Metadata in 3 ms) right after it, before its threads had stopped.
 */
function allThreadsStopped(pid: number): boolean {
  const tasks = readdirSync(`/proc/${pid}/task`);
  return tasks.every((tid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      return /^[Tt]$/.test(stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3));
    } catch {
      return true; // the thread ended meanwhile
    }
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether the promise settles within ms; the timer is cleared so it cannot keep the process alive. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** KRaft cluster ids are 16 random bytes in base64url; one starting with '-' would be read as a CLI flag. */
function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString("base64url");
    if (!id.startsWith("-")) return id;
  }
}

async function formatStorage(version: KafkaVersion, clusterId: string, propertiesFile: string, extraArgs: readonly string[]): Promise<void> {
  try {
    await execFileAsync("java", [
      ...SHORT_LIVED_JVM_ARGS,
      ...loggingJvmArgs(version),
      "-cp",
      classpath(version),
      "kafka.tools.StorageTool",
      "format",
      "-t",
      clusterId,
      "-c",
      propertiesFile,
      ...extraArgs,
    ]);
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new KafkaClusterError(`Formatting Kafka storage failed (${propertiesFile}):\n${e.stdout ?? ""}${e.stderr ?? e.message}`);
  }
}

function launchBroker(version: KafkaVersion, runtime: NodeRuntime): void {
  const log = openSync(runtime.logFile, "a");
  const child = spawn(
    "java",
    [...BROKER_JVM_ARGS, ...loggingJvmArgs(version), "-cp", classpath(version), "kafka.Kafka", runtime.propertiesFile],
    // Own process group: a Ctrl-C in the terminal reaches the harness, which then decides how brokers die.
    { detached: true, stdio: ["ignore", log, log] },
  );
  closeSync(log);
  child.unref();
  runtime.process = child;
  runtime.exited = new Promise((resolve) => child.once("exit", () => resolve()));
  writeFileSync(path.join(runtime.dir, BROKER_PID_FILE), String(child.pid));
}

function startWatchdog(runDir: string): void {
  spawn(process.execPath, [WATCHDOG_SCRIPT, String(process.pid), runDir], { detached: true, stdio: "ignore" }).unref();
}

let exitHandlersInstalled = false;

/** Kill brokers when this process ends; the detached watchdog covers the cases where no handler runs (SIGKILL). */
function installExitHandlers(): void {
  if (exitHandlersInstalled) return;
  exitHandlersInstalled = true;
  const killAll = () => {
    for (const cluster of [...liveClusters]) {
      cluster.killNow();
      rmSync(cluster.runDir, { recursive: true, force: true, maxRetries: 3 });
    }
  };
  // 'exit' also fires when an uncaught exception ends the process.
  process.on("exit", killAll);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    const onSignal = () => {
      killAll();
      // Keep the default "die on signal" unless someone else (e.g. the test runner) handles the signal.
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, onSignal);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, onSignal);
  }
}

/** Kills brokers recorded under `.kafka/run/` whose owning process is gone, and deletes their data. */
export async function reapStaleBrokers(): Promise<number[]> {
  if (!existsSync(RUN_HOME)) return [];
  const killed: number[] = [];
  for (const entry of readdirSync(RUN_HOME, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const runDir = path.join(RUN_HOME, entry.name);
    const owner = readOwnerPid(runDir);
    const abandoned =
      owner === undefined ? Date.now() - statSync(runDir).mtimeMs > ORPHAN_DIR_GRACE_MS : !isProcessRunning(owner);
    if (abandoned) killed.push(...(await killBrokersAndRemove(runDir)));
  }
  return killed;
}

/** Starts a KRaft cluster of combined broker+controller nodes on free loopback ports and waits until it serves. */
export async function startKafka(options: StartKafkaOptions = {}): Promise<KafkaTestCluster> {
  const version = options.version ?? KAFKA_VERSIONS.latest;
  const nodeCount = options.nodes ?? 1;
  const name = options.name ?? `kafka-${version}`;
  await reapStaleBrokers();
  await ensureKafkaJars(version);

  const runDir = path.join(options.runHome ?? RUN_HOME, `${name}-${randomBytes(4).toString("hex")}`);
  await mkdir(runDir, { recursive: true });
  await writeFile(path.join(runDir, OWNER_PID_FILE), String(process.pid));
  installExitHandlers();
  startWatchdog(runDir);

  const extraListeners = options.extraListeners ?? [];
  const perNode = 2 + extraListeners.length;
  const ports = await freeLoopbackPorts(nodeCount * perNode);
  const endpoints: NodeEndpoint[] = Array.from({ length: nodeCount }, (_, i) => ({
    nodeId: i + 1,
    port: ports[perNode * i],
    controllerPort: ports[perNode * i + 1],
    extraListeners: extraListeners.map((l, j) => ({ ...l, port: ports[perNode * i + 2 + j] })),
  }));
  const runtimes: NodeRuntime[] = await Promise.all(
    endpoints.map(async (endpoint) => {
      const dir = path.join(runDir, `node${endpoint.nodeId}`);
      await mkdir(dir);
      const propertiesFile = path.join(dir, "server.properties");
      const properties = brokerProperties(endpoint, endpoints, path.join(dir, "data"), options.brokerConfig);
      await writeFile(propertiesFile, toPropertiesFile(properties));
      return { ...endpoint, dir, propertiesFile, logFile: path.join(dir, "broker.log") };
    }),
  );
  const clusterId = randomClusterId();
  await Promise.all(runtimes.map((n) => formatStorage(version, clusterId, n.propertiesFile, options.formatArgs ?? [])));

  const cluster = new KafkaTestCluster(version, name, runDir, clusterId, runtimes);
  liveClusters.add(cluster);
  try {
    for (const runtime of runtimes) launchBroker(version, runtime);
    await cluster.waitReady();
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}
