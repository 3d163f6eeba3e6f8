// collect() against a real single-node Kafka 4.4.0 broker holding 1,000 and then 5,000 partitions (100, then
// 500 topics x 10). Every phase has work: records on a sample of partitions, committed transactions (control
// markers), an open transaction pinning an LSO with a read_committed group stuck behind it, and a second
// consumer group. The collector runs in its own process (poll-worker.ts): warm-up polls, then measured ones.
import { spawn } from "node:child_process";
import { createTopicsReady } from "../kafka/topics";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Admin, Kafka, Producer, TopicMessages } from "kafkajs";
import { startKafka, type KafkaTestCluster } from "../kafka/cluster";
import { REPO_ROOT } from "../kafka/paths";
import { KAFKA_VERSIONS } from "../kafka/versions";
import { runStuckTransaction } from "../scenarios/open-transaction";
import {
  Cleanup,
  createKafka,
  idempotentProducer,
  inTransaction,
  transactionalProducer,
  type ScenarioContext,
} from "../scenarios/support";
import type { PollWorkerReport, PollWorkerRequest } from "./poll-worker";
import { below, equal, formatNumber, holds, kib, mib, spread, summarize, type BenchOutcome, type Row } from "./report";

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), "poll-worker.ts");
const VERSION = KAFKA_VERSIONS.latest;
const PARTITIONS_PER_TOPIC = 10;
const STAGES = [1_000, 5_000];
/** Topics per CreateTopics request: 500 partitions, well under the broker's 2,000-per-request limit. */
const CREATE_BATCH_TOPICS = 50;
/** Every tenth topic gets records, in all its partitions. */
const SAMPLE_EVERY_TOPICS = 10;
const RECORDS_PER_SAMPLED_PARTITION = 3;
const WARMUP_POLLS = 2;
const MEASURED_POLLS = 10;
const OPEN_TRANSACTION_TIMEOUT_MS = 900_000;
const GOAL_POLL_MS = 5_000;

const BROKER_CONFIG = {
  // The open transaction must outlive the whole benchmark.
  "transaction.max.timeout.ms": String(OPEN_TRANSACTION_TIMEOUT_MS),
};

const topicName = (i: number) => `bench-t${String(i).padStart(4, "0")}`;

/** Creates topics in batches, each ready (every partition led) before the next. */
async function createBenchTopics(admin: Admin, from: number, to: number): Promise<void> {
  for (let first = from; first < to; first += CREATE_BATCH_TOPICS) {
    const topics = [];
    for (let i = first; i < Math.min(to, first + CREATE_BATCH_TOPICS); i++) {
      topics.push({ topic: topicName(i), numPartitions: PARTITIONS_PER_TOPIC, replicationFactor: 1 });
    }
    await createTopicsReady(admin, topics);
  }
}

/** A new partition's leader can show in metadata before the broker serves it (NOT_LEADER_FOR_PARTITION). */
async function retryForAMinute(action: () => Promise<unknown>): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await action();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

async function writeSample(producer: Producer, from: number, to: number): Promise<void> {
  const topicMessages: TopicMessages[] = [];
  for (let i = from; i < to; i += SAMPLE_EVERY_TOPICS) {
    const messages = [];
    for (let partition = 0; partition < PARTITIONS_PER_TOPIC; partition++) {
      for (let r = 0; r < RECORDS_PER_SAMPLED_PARTITION; r++) messages.push({ partition, value: `sample-${r}` });
    }
    topicMessages.push({ topic: topicName(i), messages });
  }
  await retryForAMinute(() => producer.sendBatch({ topicMessages }));
}

/** Transactions, groups and an open transaction on the first topics; they stay as they are for both stages. */
async function startEosWork(ctx: ScenarioContext, kafka: Kafka, cleanup: Cleanup): Promise<void> {
  const writer = cleanup.client("committed writer", transactionalProducer(kafka, "bench-committed-writer"));
  await writer.connect();
  for (let t = 0; t < 3; t++) {
    await inTransaction(writer, async (txn) => {
      await txn.send({ topic: topicName(0), messages: [{ partition: t, value: `txn-${t}` }] });
    });
  }
  const stuck = await runStuckTransaction(ctx, { trailingWriteMs: 0, transactionTimeoutMs: OPEN_TRANSACTION_TIMEOUT_MS });
  cleanup.add("stop stuck-transaction scenario", () => stuck.stop());

  const groupId = "bench-readers";
  const consumer = cleanup.client("bench-readers consumer", kafka.consumer({ groupId, maxWaitTimeInMs: 250 }));
  await consumer.connect();
  await consumer.subscribe({ topics: [0, 1, 2, 3, 4].map(topicName), fromBeginning: true });
  let consumed = 0;
  await consumer.run({ autoCommitInterval: 500, eachMessage: async () => void (consumed += 1) });
  // Sampled topic 0 holds 30 plain records and 3 committed transactional ones; wait until the group has read
  // them, and for both groups' last commits, so every poll sees the same settled state.
  const expected = PARTITIONS_PER_TOPIC * RECORDS_PER_SAMPLED_PARTITION + 3;
  const deadline = Date.now() + 60_000;
  while (consumed < expected || stuck.progress().consumed < 5) {
    if (Date.now() > deadline) throw new Error(`consumers did not catch up (${consumed}/${expected})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await new Promise((resolve) => setTimeout(resolve, 2_000));
}

function runWorker(request: PollWorkerRequest): Promise<PollWorkerReport> {
  const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", WORKER, JSON.stringify(request)], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  return new Promise((resolve, reject) =>
    child.once("exit", (code) =>
      code === 0 ? resolve(JSON.parse(out) as PollWorkerReport) : reject(new Error(`poll worker exited with ${code}`)),
    ),
  );
}

interface StageResult {
  partitions: number;
  report: PollWorkerReport;
}

function stageMetrics({ partitions, report }: StageResult) {
  const polls = report.polls;
  const phaseNames = [...new Set(polls.flatMap((p) => p.phases.map((ph) => ph.name)))];
  return {
    topicPartitions: partitions,
    snapshotPartitions: polls[0].partitions,
    groups: polls[0].groups,
    transactions: polls[0].transactions,
    incompletePolls: polls.filter((p) => !p.complete).length,
    errors: [...new Set(polls.flatMap((p) => p.errors))],
    pollMs: summarize(polls.map((p) => p.wallMs)),
    requests: summarize(polls.map((p) => p.requests)),
    bytesSent: summarize(polls.map((p) => p.bytesSent)),
    bytesReceived: summarize(polls.map((p) => p.bytesReceived)),
    snapshotJsonBytes: summarize(polls.map((p) => p.snapshotJsonBytes)),
    phases: Object.fromEntries(
      phaseNames.map((name) => {
        const of = polls.map((p) => p.phases.find((ph) => ph.name === name)!);
        return [
          name,
          {
            durationMs: summarize(of.map((ph) => ph.durationMs)),
            requests: summarize(of.map((ph) => ph.requests)),
            bytesReceived: summarize(of.map((ph) => ph.bytesReceived)),
          },
        ];
      }),
    ),
    memory: {
      baseline: report.baseline,
      warm: report.warm,
      after: report.after,
      peakRss: report.peakRss,
      rssDeltaWarm: report.warm.rss - report.baseline.rss,
      rssDeltaPeak: report.peakRss - report.baseline.rss,
      heapDeltaRetained: report.after.heapUsed - report.baseline.heapUsed,
    },
  };
}

function stageRows(m: ReturnType<typeof stageMetrics>): Row[] {
  const label = `${formatNumber(m.topicPartitions)} partitions`;
  const phaseLine = Object.entries(m.phases)
    .map(([name, p]) => `${name} ${formatNumber(p.durationMs.median)} ms/${formatNumber(p.requests.median)} req`)
    .join(", ");
  return [
    [`${label}: collect()`, spread(m.pollMs)],
    [`${label}: requests per poll`, `${formatNumber(m.requests.median)} (min ${m.requests.min}, max ${m.requests.max})`],
    [`${label}: bytes per poll`, `${kib(m.bytesSent.median)} sent, ${kib(m.bytesReceived.median)} received`],
    [`${label}: snapshot JSON`, kib(m.snapshotJsonBytes.median)],
    [`${label}: phases (median)`, phaseLine],
    [
      `${label}: collector memory`,
      `RSS +${mib(m.memory.rssDeltaWarm)} warm, +${mib(m.memory.rssDeltaPeak)} peak; heap +${mib(m.memory.heapDeltaRetained)} retained`,
    ],
    [`${label}: snapshot contents`, `${formatNumber(m.snapshotPartitions)} partitions, ${m.groups} groups, ${m.transactions} transactional ids, ${m.incompletePolls} incomplete polls`],
  ];
}

export async function run(): Promise<BenchOutcome> {
  const log = (msg: string) => console.log(`[poll] ${msg}`);
  const cleanup = new Cleanup(log);
  let cluster: KafkaTestCluster | undefined;
  const stages: StageResult[] = [];
  try {
    log(`starting Kafka ${VERSION}`);
    cluster = await startKafka({ version: VERSION, nodes: 1, brokerConfig: BROKER_CONFIG, name: "bench-poll" });
    const ctx: ScenarioContext = { brokers: cluster.brokers, prefix: "bench-" };
    const kafka = createKafka(ctx, "bench-workload");
    const admin = cleanup.client("admin", kafka.admin());
    await admin.connect();
    const producer = cleanup.client("sample writer", idempotentProducer(kafka));
    await producer.connect();
    let topics = 0;
    for (const partitions of STAGES) {
      const target = partitions / PARTITIONS_PER_TOPIC;
      log(`creating topics ${topics}..${target - 1} (${formatNumber(partitions)} partitions in total)`);
      const createStart = performance.now();
      await createBenchTopics(admin, topics, target);
      log(`  created in ${formatNumber((performance.now() - createStart) / 1000)} s; writing sample records`);
      await writeSample(producer, topics, target);
      if (topics === 0) await startEosWork(ctx, kafka, cleanup);
      topics = target;
      log(`polling: ${WARMUP_POLLS} warm-up + ${MEASURED_POLLS} measured`);
      stages.push({ partitions, report: await runWorker({ brokers: cluster.brokers, polls: MEASURED_POLLS, warmupPolls: WARMUP_POLLS }) });
    }
  } finally {
    await cleanup.run();
    await cluster?.stop();
  }

  const [small, large] = stages.map(stageMetrics);
  return {
    rows: [
      ["broker", `Kafka ${VERSION}, 1 node (KRaft), -Xmx512m, ${PARTITIONS_PER_TOPIC} partitions per topic`],
      ...stageRows(small),
      ...stageRows(large),
    ],
    goals: [
      below(`collect() p95 at ${formatNumber(large.topicPartitions)} partitions`, large.pollMs.p95, GOAL_POLL_MS, "ms"),
      equal(
        `requests per poll at ${formatNumber(large.topicPartitions)} == at ${formatNumber(small.topicPartitions)} partitions`,
        large.requests.median,
        small.requests.median,
        "requests",
      ),
      holds(
        "every measured poll complete (no phase errors)",
        small.incompletePolls + large.incompletePolls === 0,
        `${small.incompletePolls + large.incompletePolls} incomplete${large.errors.length + small.errors.length ? `: ${[...small.errors, ...large.errors][0]}` : ""}`,
      ),
    ],
    metrics: { kafkaVersion: VERSION, partitionsPerTopic: PARTITIONS_PER_TOPIC, warmupPolls: WARMUP_POLLS, stages: [small, large] },
  };
}
