import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { startKafka, type KafkaTestCluster } from "../../scripts/kafka/cluster";
import { REPO_ROOT } from "../../scripts/kafka/paths";
import { KAFKA_VERSIONS } from "../../scripts/kafka/versions";
import { freeLoopbackPort } from "../../scripts/ports";
import {
  runHangingTransaction,
  runHealthyPipeline,
  runHotPartition,
  runLagOfOne,
  runMixedWriters,
  runReadUncommittedGroup,
  runRiskyConfigs,
  runStuckTransaction,
  runUnstableTransactionalId,
  runZombieFencing,
} from "../../scripts/scenarios";
import type { RunningScenario } from "../../scripts/scenarios/support";
import { publishLiveEnv, type ExpectedFinding } from "./live-env";

const CLUSTER = "live";
const POLL_INTERVAL_MS = 2000;
const DIST_DIR = ".next-e2e";
// Kafka names are untrusted input: these must render as text everywhere.
const HOSTILE_TXN_ID = `<img src=x onerror="window.__xss=1">"><script>window.__xss=2</script>`;
const HOSTILE_GROUP_ID = `"><svg onload="window.__xss=3"> group/with?odd#chars`;

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`live e2e setup: ${what} not reached within ${timeoutMs} ms${last ? ` (${String(last)})` : ""}`);
}

async function transactionIds(baseUrl: string): Promise<string[] | undefined> {
  const response = await fetch(`${baseUrl}/api/clusters/${CLUSTER}/transactions`);
  if (!response.ok) return undefined;
  const body = (await response.json()) as { rows: { transactionalId: string }[] };
  return body.rows.map((r) => r.transactionalId);
}

async function commitOneTransaction(kafka: Kafka, transactionalId: string, topic: string): Promise<void> {
  const producer = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    const transaction = await producer.transaction();
    await transaction.send({ topic, messages: [{ value: "x" }] });
    await transaction.commit();
  } finally {
    await producer.disconnect();
  }
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const scenarios: RunningScenario[] = [];
  let cluster: KafkaTestCluster | undefined;
  let server: ChildProcess | undefined;
  const dbDir = mkdtempSync(path.join(tmpdir(), "eos-auditor-live-"));
  const teardown = async () => {
    server?.kill("SIGTERM");
    await Promise.allSettled(scenarios.map((s) => s.stop()));
    await cluster?.stop();
    rmSync(dbDir, { recursive: true, force: true });
  };

  try {
    cluster = await startKafka({
      version: KAFKA_VERSIONS.latest,
      name: "live-e2e",
      // Verification off lets scenario 3 write its hanging batch; a 15 min max timeout keeps the stuck
      // transaction open for the whole run.
      brokerConfig: { "transaction.partition.verification.enable": "false", "transaction.max.timeout.ms": "900000" },
    });
    const ctx = { brokers: cluster.brokers, prefix: "live-", log: () => {} };
    const hanging = await runHangingTransaction(ctx, { onStop: "leave" });
    scenarios.push(hanging);
    const stuck = await runStuckTransaction(ctx, { transactionTimeoutMs: 600_000, trailingWriteMs: 500 });
    scenarios.push(stuck);
    const lagOfOne = await runLagOfOne(ctx, {});
    scenarios.push(lagOfOne);
    const healthy = await runHealthyPipeline(ctx, {});
    scenarios.push(healthy);
    // Fences keep coming for minutes: the detector counts only fences it sees happen, after its first poll.
    const fencing = await runZombieFencing(ctx, { rounds: 60, intervalMs: 5000, commitMs: 500 });
    scenarios.push(fencing);
    const unstable = await runUnstableTransactionalId(ctx, {});
    scenarios.push(unstable);
    const hot = await runHotPartition(ctx, {});
    scenarios.push(hot);
    const uncommitted = await runReadUncommittedGroup(ctx, { transactionTimeoutMs: 600_000 });
    scenarios.push(uncommitted);
    const mixed = await runMixedWriters(ctx, {});
    scenarios.push(mixed);
    // One broker: replication-dependent risks (min ISR 1 on RF 3) are proven by the 3-node integration test.
    const risky = await runRiskyConfigs(ctx, { replicationFactor: 1 });
    scenarios.push(risky);
    const expectedFindings: ExpectedFinding[] = [
      { scenario: "3 hanging transaction", kind: "hanging-transaction", subject: { topic: hanging.info.topic }, page: "" },
      { scenario: "4 fencing fight", kind: "fencing-fight", subject: { transactionalId: fencing.info.transactionalId }, page: `/transactions/${encodeURIComponent(fencing.info.transactionalId)}` },
      { scenario: "5 unstable transactional.id", kind: "lost-fencing", subject: { transactionalId: `${unstable.info.transactionalIdPrefix}*` }, page: "/findings" },
      { scenario: "6 hot partition", kind: "hot-partition", subject: { topic: hot.info.topic, partition: hot.info.hotPartitions[0] }, page: "/hot-partitions" },
      { scenario: "7 read_uncommitted group", kind: "read-uncommitted", subject: { groupId: uncommitted.info.groupId }, page: "/findings" },
      { scenario: "8 mixed writers", kind: "mixed-writers", subject: { topic: mixed.info.topic }, page: "/findings" },
      { scenario: "9 retention below segment", kind: "config-retention-below-segment", subject: { topic: risky.info.retentionBelowSegment.topic }, page: "/config" },
      { scenario: "9 unclean leader election", kind: "config-unclean-election", subject: { topic: risky.info.uncleanElection.topic }, page: "/config" },
      // Last: production thresholds call an LSO stuck after 2 min, counted from the transaction's start in setup.
      { scenario: "2 stuck transaction", kind: "stuck-lso", subject: { topic: stuck.info.topic, partition: stuck.info.partition }, page: "/findings" },
    ];

    const kafka = new Kafka({ brokers: cluster.brokers, clientId: "live-e2e", logLevel: logLevel.NOTHING });
    await commitOneTransaction(kafka, HOSTILE_TXN_ID, lagOfOne.info.topic);
    const admin = kafka.admin();
    await admin.connect();
    await admin.setOffsets({ groupId: HOSTILE_GROUP_ID, topic: lagOfOne.info.topic, partitions: [{ partition: 0, offset: "0" }] });
    await admin.disconnect();

    // The seeded UI suite builds into .next-e2e right before this one runs; build only when run alone.
    const buildEnv = { ...process.env, NEXT_DIST_DIR: DIST_DIR, NEXT_TELEMETRY_DISABLED: "1" };
    if (!existsSync(path.join(REPO_ROOT, DIST_DIR, "BUILD_ID"))) {
      const build = spawnSync("npx", ["next", "build"], { cwd: REPO_ROOT, stdio: "inherit", env: buildEnv });
      if (build.status !== 0) throw new Error("next build failed");
    }
    const port = await freeLoopbackPort();
    const baseUrl = `http://127.0.0.1:${port}`;
    server = spawn(path.join(REPO_ROOT, "node_modules", ".bin", "next"), ["start", "-H", "127.0.0.1", "-p", String(port)], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "inherit", "inherit"],
      env: {
        ...buildEnv,
        KAFKA_BROKERS: cluster.bootstrap,
        KAFKA_CLUSTER_NAME: CLUSTER,
        DATABASE_URL: `file:${path.join(dbDir, "live.db")}`,
        POLL_INTERVAL_MS: String(POLL_INTERVAL_MS),
        HISTORY_SAMPLE_INTERVAL_MS: "0",
      },
    });

    await until("a poll that saw the scenarios", 90_000, async () => {
      const ids = await transactionIds(baseUrl);
      return ids?.includes(stuck.info.transactionalId) && ids.includes(HOSTILE_TXN_ID) ? ids : undefined;
    });
    const beforeLateArrival = new Date().toISOString();
    const lateTransactionalId = "live-late-arrival";
    await commitOneTransaction(kafka, lateTransactionalId, lagOfOne.info.topic);
    await until("a poll that saw the late transactional id", 60_000, async () =>
      (await transactionIds(baseUrl))?.includes(lateTransactionalId) ? true : undefined,
    );

    publishLiveEnv({
      baseUrl,
      cluster: CLUSTER,
      bootstrap: cluster.bootstrap,
      brokerPids: cluster.nodes.map((n) => n.pid),
      pollIntervalMs: POLL_INTERVAL_MS,
      hanging: hanging.info,
      stuck: stuck.info,
      lagOfOne: { groupId: lagOfOne.info.groupId, topic: lagOfOne.info.topic },
      hostileTransactionalId: HOSTILE_TXN_ID,
      hostileGroupId: HOSTILE_GROUP_ID,
      beforeLateArrival,
      lateTransactionalId,
      expectedFindings,
      healthyTransactionalId: healthy.info.transactionalId,
      hot: { topic: hot.info.topic, hotPartitions: hot.info.hotPartitions },
    });
    return teardown;
  } catch (error) {
    await teardown();
    throw error;
  }
}
