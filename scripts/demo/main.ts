// The demo: a local Kafka, every scenario running over and over, and the dashboard polling it.
// Ctrl-C stops everything (scenarios, dashboard, brokers) and leaves no process behind.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { startKafka, type KafkaTestCluster } from "../kafka/cluster";
import { assertJavaAvailable, ensureKafkaJars, KafkaToolingMissingError } from "../kafka/jars";
import { REPO_ROOT } from "../kafka/paths";
import { KAFKA_VERSIONS } from "../kafka/versions";
import { freeLoopbackPort } from "../ports";
import { SCENARIOS } from "../scenarios";
import { ScenarioConductor } from "./conductor";

const { values } = parseArgs({
  options: {
    nodes: { type: "string", default: "1" },
    port: { type: "string" },
    "poll-interval-ms": { type: "string", default: "5000" },
    // The Java and Streams scenarios add several JVMs: opt in on a machine that has the cores for them.
    java: { type: "boolean", default: false },
  },
});
const nodes = values.nodes === "3" ? 3 : 1;
let stopping = false;
// After Ctrl-C the brokers go first, so scenario clients' reconnect errors are expected noise: drop them.
const log = (msg: string) => {
  if (!stopping) console.log(`[demo] ${msg}`);
};

async function checkTooling(): Promise<void> {
  try {
    await assertJavaAvailable();
    await ensureKafkaJars(KAFKA_VERSIONS.latest);
  } catch (error) {
    if (!(error instanceof KafkaToolingMissingError)) throw error;
    console.error(`[demo] ${error.message}`);
    console.error(
      "[demo] The local Kafka needs Java 17 and Maven (apt-get install -y openjdk-17-jre-headless maven).\n" +
        "[demo] To watch an existing cluster instead: KAFKA_BROKERS=host:9092 npm run build && KAFKA_BROKERS=host:9092 npm start",
    );
    process.exit(1);
  }
}

function dashboardEnv(bootstrap: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    KAFKA_BROKERS: bootstrap,
    KAFKA_CLUSTER_NAME: "demo",
    DATABASE_URL: `file:${path.join(REPO_ROOT, "data", "demo.db")}`,
    POLL_INTERVAL_MS: values["poll-interval-ms"],
  };
}

/** `next build` once per checkout, in a child process so Kafka starts meanwhile. */
async function buildDashboardOnce(): Promise<void> {
  if (existsSync(path.join(REPO_ROOT, ".next", "BUILD_ID"))) return;
  log("building the dashboard (next build, once)...");
  const build = spawn("npm", ["run", "build"], { cwd: REPO_ROOT, stdio: ["ignore", "inherit", "inherit"], env: dashboardEnv("") });
  const code = await new Promise<number | null>((resolve) => build.on("exit", resolve));
  if (code !== 0) throw new Error("next build failed");
}

function startDashboard(cluster: KafkaTestCluster, port: number): ChildProcess {
  return spawn(path.join(REPO_ROOT, "node_modules", ".bin", "next"), ["start", "-H", "127.0.0.1", "-p", String(port)], {
    cwd: REPO_ROOT,
    env: dashboardEnv(cluster.bootstrap),
    stdio: ["ignore", "inherit", "inherit"],
  });
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

async function main(): Promise<void> {
  const started = Date.now();
  await checkTooling();
  // A fresh database per demo run: the demo's cluster is new every time.
  mkdirSync(path.join(REPO_ROOT, "data"), { recursive: true });
  for (const suffix of ["", "-wal", "-shm"]) rmSync(path.join(REPO_ROOT, "data", `demo.db${suffix}`), { force: true });

  const brokerConfig = Object.assign({}, ...SCENARIOS.map((s) => s.brokerConfig ?? {}));
  log(`starting Kafka ${KAFKA_VERSIONS.latest} (${nodes} node${nodes > 1 ? "s" : ""})...`);
  const [cluster] = await Promise.all([
    startKafka({ version: KAFKA_VERSIONS.latest, nodes, brokerConfig, name: "demo" }),
    buildDashboardOnce(),
  ]);
  log(`Kafka ready at ${cluster.bootstrap} (dashboard built) after ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const conductor = new ScenarioConductor(
    SCENARIOS.filter((s) => {
      if ((s.clients ?? "kafkajs") !== "kafkajs" && !values.java) return false;
      if ((s.minBrokers ?? 1) <= nodes) return true;
      log(`scenario ${s.id} (${s.name}) needs ${s.minBrokers} brokers: run 'npm run demo -- --nodes 3' to include it`);
      return false;
    }),
    { brokers: cluster.brokers, log: (msg) => log(msg) },
  );
  conductor.start();

  const port = values.port ? Number(values.port) : await freeLoopbackPort();
  const dashboard = startDashboard(cluster, port);
  const shutdown = async (reason: string) => {
    if (stopping) return;
    console.log(`[demo] ${reason}: stopping scenarios, dashboard and Kafka...`);
    stopping = true;
    dashboard.kill("SIGTERM");
    await conductor.stop();
    await cluster.stop();
    console.log("[demo] stopped; nothing left running");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("Ctrl-C"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  dashboard.on("exit", (code) => void shutdown(`dashboard exited (${code})`));

  const url = `http://127.0.0.1:${port}/`;
  await waitForHttp(url, 120_000);
  log(`dashboard: ${url}  (ready ${((Date.now() - started) / 1000).toFixed(1)} s after start; Ctrl-C stops everything)`);
}

main().catch((error) => {
  console.error(`[demo] ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
