// `npx tsx scripts/record-snapshots.ts [scenario id ...]`: records the fixtures of lib/analysis/recorded.test.ts.
// Runs each scenario on a real 4.4.0 broker (scenario 9 on three; 11-16 with the Java client and Kafka Streams), polls it with the real collector every 2 s
// with the integration tests' scaled thresholds until its situation has been detected (and any threshold
// that needs history has passed), and saves the polls, scoped to the scenario, as gzipped JSON.
import { writeFile } from "node:fs/promises";
import { discoverPipelines, type Finding } from "@/lib/analysis";
import type { ClusterCollector } from "@/lib/kafka/collector";
import {
  RECORDING_FORMAT,
  encodeRecording,
  recordingPath,
  scopeSnapshot,
  type Recording,
} from "@/lib/analysis/testing/recorded/recording";
import {
  DetectionSession,
  SCALED_POLL_MS,
  SCALED_SETTINGS,
  openCollector,
  type PollRecord,
} from "../e2e/integration/detection/detection-session";
import { startKafka, type StartKafkaOptions } from "./kafka/cluster";
import {
  SCENARIOS,
  runHangingTransaction,
  runHealthyPipeline,
  runHotPartition,
  runJavaEosPipeline,
  runJavaFencingPair,
  runJavaKip848Groups,
  runJavaOpenTransaction,
  runLagOfOne,
  runMixedWriters,
  runReadUncommittedGroup,
  runRiskyConfigs,
  runStreamsEos,
  runStreamsZombie,
  STREAMS_ZOMBIE_MET_FENCE,
  runStuckTransaction,
  runUnstableTransactionalId,
  runZombieFencing,
  type Scenario,
  type ScenarioContext,
} from "./scenarios";

const KAFKA_VERSION = "4.4.0";
/** Scenario 3 needs verification off; the other single-node scenarios behave the same either way. */
const SINGLE_NODE_BROKER_CONFIG = { "transaction.partition.verification.enable": "false" };

interface RecordingPlan {
  id: number;
  options: object;
  /** Runs the scenario and polls it through `session`; always stops the scenario. */
  record(session: DetectionSession, ctx: ScenarioContext): Promise<{ info: object; stoppedAt: number | null }>;
}

interface PlanSpec<Opts extends object, Info extends object> {
  id: number;
  scenario: Scenario<Opts, Info>;
  /** As in e2e/integration/detection: shorter transactions and timeouts than the registry's demo defaults. */
  options?: Partial<Opts>;
  /** The situation the recording must show; polled for until it holds. */
  detected: (poll: PollRecord, info: Info) => boolean;
  maxPolls: number;
  /** Polls after `detected` held, so the finding is seen to persist. */
  morePolls?: number;
  /** Polls in all at least: thresholds that need history (stallMs, lsoStuckMs) must have had their chance. */
  minPolls?: number;
  /** Stop the scenario within the recording and poll until this holds: the situation is seen to end. */
  resolved?: (poll: PollRecord, info: Info) => boolean;
}

function plan<Opts extends object, Info extends object>(spec: PlanSpec<Opts, Info>): RecordingPlan {
  return {
    id: spec.id,
    options: spec.options ?? {},
    async record(session, ctx) {
      const scenario = await spec.scenario(ctx, spec.options);
      let stoppedAt: number | null = null;
      try {
        await session.pollUntil(`scenario ${spec.id}`, (poll) => spec.detected(poll, scenario.info), spec.maxPolls);
        await session.pollTimes(spec.morePolls ?? 1);
        while (session.polls.length < (spec.minPolls ?? 0)) await session.poll();
        if (spec.resolved) {
          const resolved = spec.resolved;
          await scenario.stop();
          stoppedAt = Date.now();
          await session.pollUntil(`scenario ${spec.id} resolved`, (poll) => resolved(poll, scenario.info), 4);
        }
      } finally {
        await scenario.stop();
      }
      return { info: scenario.info, stoppedAt };
    },
  };
}

const has = (poll: PollRecord, kind: Finding["kind"], match: (f: Finding) => boolean) =>
  poll.findings.some((f) => f.kind === kind && match(f));

/** Enough polls for STALLED / TXN_BLOCKED (stallMs) to fire if anything were wrong, plus two. */
const STALL_POLLS = Math.ceil(SCALED_SETTINGS.stallMs / SCALED_POLL_MS) + 2;

const PLANS: RecordingPlan[] = [
  plan({
    id: 1,
    scenario: runHealthyPipeline,
    options: { tickMs: 250 },
    detected: (poll, info) =>
      discoverPipelines(poll.snapshot, poll.state).some(
        (p) => p.transactionalId === info.transactionalId && p.groupIds.includes(info.groupId),
      ),
    maxPolls: 6,
    minPolls: STALL_POLLS + 1,
  }),
  plan({
    id: 2,
    scenario: runStuckTransaction,
    options: { trailingWriteMs: 500, transactionTimeoutMs: 60_000 },
    detected: (poll, info) =>
      has(poll, "eos-lag", (f) => f.subject.groupId === info.groupId && f.subject.detail === "TXN_BLOCKED") &&
      has(poll, "stuck-lso", (f) => f.subject.transactionalId === info.transactionalId),
    maxPolls: 10,
  }),
  plan({
    id: 3,
    scenario: runHangingTransaction,
    options: { onStop: "abort" },
    detected: (poll, info) => has(poll, "hanging-transaction", (f) => f.subject.topic === info.topic),
    maxPolls: 4,
    resolved: (poll, info) => !has(poll, "hanging-transaction", (f) => f.subject.topic === info.topic),
  }),
  plan({
    id: 4,
    scenario: runZombieFencing,
    options: { rounds: 6, intervalMs: 3000, commitMs: 500 },
    detected: (poll, info) => has(poll, "fencing-fight", (f) => f.subject.transactionalId === info.transactionalId),
    maxPolls: 15,
  }),
  plan({
    id: 5,
    scenario: runUnstableTransactionalId,
    detected: (poll, info) =>
      has(poll, "lost-fencing", (f) => f.subject.transactionalId === `${info.transactionalIdPrefix}*`),
    maxPolls: 3,
  }),
  plan({
    id: 6,
    scenario: runHotPartition,
    detected: (poll, info) => {
      const persistent = poll.findings
        .filter((f) => f.kind === "hot-partition" && f.subject.topic === info.topic && f.severity === "warning")
        .map((f) => f.subject.partition);
      return info.hotPartitions.every((p) => persistent.includes(p));
    },
    maxPolls: SCALED_SETTINGS.hotPersistentPolls + 6,
  }),
  plan({
    id: 7,
    scenario: runReadUncommittedGroup,
    options: { trailingWriteMs: 500, transactionTimeoutMs: 60_000 },
    detected: (poll, info) => has(poll, "read-uncommitted", (f) => f.subject.groupId === info.groupId),
    maxPolls: 10,
    minPolls: STALL_POLLS,
  }),
  plan({
    id: 8,
    scenario: runMixedWriters,
    options: { transactionOpenMs: 500 },
    detected: (poll, info) => has(poll, "mixed-writers", (f) => f.subject.topic === info.topic),
    maxPolls: 5,
  }),
  plan({
    id: 9,
    scenario: runRiskyConfigs,
    detected: (poll, info) =>
      has(poll, "config-min-isr-one", (f) => f.subject.topic === info.minIsrOne.topic) &&
      has(poll, "config-retention-below-segment", (f) => f.subject.topic === info.retentionBelowSegment.topic) &&
      has(poll, "config-unclean-election", (f) => f.subject.topic === info.uncleanElection.topic),
    maxPolls: 3,
    minPolls: 3,
  }),
  plan({
    id: 10,
    scenario: runLagOfOne,
    detected: (poll, info) => poll.snapshot.groups.some((g) => g.groupId === info.groupId && g.offsets.length > 0),
    maxPolls: 3,
    minPolls: STALL_POLLS,
  }),
  // The Java and Streams scenarios: recorded once their situation exists (judged from the programs' own events, not
  // from findings, so the recordings do not depend on what the detectors make of them today).
  plan({
    id: 11,
    scenario: runJavaFencingPair,
    detected: (_poll, info) => info.instances.reduce((n, java) => n + java.count("fenced"), 0) >= 6,
    maxPolls: 40,
    morePolls: 2,
  }),
  plan({
    id: 12,
    scenario: runJavaEosPipeline,
    detected: (_poll, info) => info.pipeline.count("commit") >= 3,
    maxPolls: 30,
    // Hundreds of commits, each an epoch bump on TV2, none of which may count as a fence.
    morePolls: 40,
  }),
  plan({
    id: 13,
    scenario: runJavaOpenTransaction,
    detected: (_poll, info) => info.reader.count("consumed") > 0,
    maxPolls: 15,
    minPolls: STALL_POLLS + 1,
  }),
  plan({
    id: 14,
    scenario: runJavaKip848Groups,
    detected: (_poll, info) => info.slowConsumer.count("consumed") > 0 && info.consumer.count("consumed") > 0,
    maxPolls: 15,
    minPolls: STALL_POLLS + 1,
  }),
  plan({
    id: 15,
    scenario: runStreamsEos,
    options: { restartEveryMs: 15_000 },
    // Two first starts and two restarts.
    detected: (_poll, info) => info.transactionalIds.length >= 4,
    maxPolls: 60,
  }),
  plan({
    id: 16,
    scenario: runStreamsZombie,
    options: { freezeEveryMs: 120_000 },
    detected: (_poll, info) => STREAMS_ZOMBIE_MET_FENCE.test(info.instances.at(-1)?.stderr ?? ""),
    maxPolls: 40,
    morePolls: 2,
  }),
];

async function recordScenario(collector: ClusterCollector, cluster: RecordedCluster, recordingPlan: RecordingPlan) {
  const entry = SCENARIOS.find((s) => s.id === recordingPlan.id)!;
  const prefix = `rec${entry.id}-`;
  const log = (msg: string) => console.log(msg);
  const session = new DetectionSession(collector, SCALED_POLL_MS, SCALED_SETTINGS);
  const { info, stoppedAt } = await recordingPlan.record(session, { brokers: cluster.brokers, prefix, log });

  const recording: Recording<object> = {
    format: RECORDING_FORMAT,
    scenario: { id: entry.id, name: entry.name, description: entry.description },
    kafkaVersion: KAFKA_VERSION,
    brokerCount: cluster.nodes,
    brokerConfig: cluster.brokerConfig,
    prefix,
    scenarioOptions: { ...recordingPlan.options },
    info,
    pollIntervalMs: SCALED_POLL_MS,
    settings: SCALED_SETTINGS,
    stoppedAt,
    snapshots: session.polls.map((p) => scopeSnapshot(p.snapshot, prefix)),
  };
  const file = recordingPath(entry);
  const bytes = encodeRecording(recording);
  await writeFile(file, bytes);
  console.log(`${entry.id} ${entry.name}: ${session.polls.length} polls, ${(bytes.length / 1024).toFixed(1)} KiB → ${file}`);
}

interface RecordedCluster {
  brokers: string[];
  nodes: number;
  brokerConfig: Record<string, string>;
}

async function recordOn(options: StartKafkaOptions & { nodes: 1 | 3 }, plans: RecordingPlan[]): Promise<void> {
  if (plans.length === 0) return;
  const brokerConfig = options.brokerConfig ?? {};
  const cluster = await startKafka(options);
  const collector = openCollector(cluster.brokers, options.name ?? "record");
  try {
    for (const recordingPlan of plans) {
      await recordScenario(collector, { brokers: cluster.brokers, nodes: options.nodes, brokerConfig }, recordingPlan);
    }
  } finally {
    await collector.close();
    await cluster.stop();
  }
}

async function main(): Promise<void> {
  const ids = process.argv.slice(2).map(Number);
  const unknown = ids.filter((id) => !PLANS.some((p) => p.id === id));
  if (unknown.length) throw new Error(`no recording plan for scenario(s) ${unknown.join(", ")}`);
  const selected = PLANS.filter((p) => ids.length === 0 || ids.includes(p.id));
  const needsThree = (p: RecordingPlan) => (SCENARIOS.find((s) => s.id === p.id)!.minBrokers ?? 1) > 1;

  await recordOn(
    { version: KAFKA_VERSION, nodes: 1, name: "record", brokerConfig: SINGLE_NODE_BROKER_CONFIG },
    selected.filter((p) => !needsThree(p)),
  );
  await recordOn({ version: KAFKA_VERSION, nodes: 3, name: "record-three" }, selected.filter(needsThree));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
