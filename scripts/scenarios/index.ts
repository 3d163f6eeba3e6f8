// The scenario library: each entry creates, on a real cluster, one situation the dashboard detects.
import { runHangingTransaction } from "./hanging-transaction";
import { runHealthyPipeline } from "./healthy-pipeline";
import { runHotPartition } from "./hot-partition";
import { runJavaFencingPair } from "./java-fencing-pair";
import { runJavaEosPipeline, runJavaKip848Groups, runJavaOpenTransaction } from "./java-pipeline";
import { runStreamsEos, runStreamsZombie } from "./java-streams";
import { runLagOfOne } from "./lag-of-one";
import { runMixedWriters } from "./mixed-writers";
import { runReadUncommittedGroup, runStuckTransaction } from "./open-transaction";
import { runRiskyConfigs } from "./risky-configs";
import type { RunningScenario, ScenarioContext } from "./support";
import { runUnstableTransactionalId } from "./unstable-transactional-id";
import { runZombieFencing } from "./zombie-fencing";

export * from "./hanging-transaction";
export * from "./healthy-pipeline";
export * from "./hot-partition";
export * from "./java-fencing-pair";
export * from "./java-pipeline";
export * from "./java-streams";
export * from "./lag-of-one";
export * from "./mixed-writers";
export * from "./open-transaction";
export * from "./risky-configs";
export type { RunningScenario, Scenario, ScenarioContext } from "./support";
export * from "./unstable-transactional-id";
export * from "./zombie-fencing";

export interface ScenarioEntry {
  id: number;
  name: string;
  /** What the dashboard should show while it runs. */
  description: string;
  /** Broker settings the scenario depends on (start the cluster with them). */
  brokerConfig?: Record<string, string>;
  /** Needs at least this many brokers. */
  minBrokers?: number;
  /** Which client drives it: kafkajs in-process (default), or JVMs of the official Java client or Kafka Streams. */
  clients?: "kafkajs" | "java" | "streams";
  run: (ctx: ScenarioContext) => Promise<RunningScenario>;
}

export const SCENARIOS: readonly ScenarioEntry[] = [
  {
    id: 1,
    name: "healthy-pipeline",
    description: "read_committed consume-transform-produce with a stable transactional.id and sendOffsets",
    run: (ctx) => runHealthyPipeline(ctx),
  },
  {
    id: 2,
    name: "stuck-transaction",
    description: "an open transaction pins the LSO; a read_committed group waits at it until the timeout",
    run: (ctx) => runStuckTransaction(ctx),
  },
  {
    id: 3,
    name: "hanging-transaction",
    description: "a transactional batch on a partition the coordinator never added (KIP-664 hanging)",
    brokerConfig: { "transaction.partition.verification.enable": "false" },
    run: (ctx) => runHangingTransaction(ctx),
  },
  {
    id: 4,
    name: "zombie-fencing",
    description: "instances sharing a transactional.id fence each other (fencing fight)",
    run: (ctx) => runZombieFencing(ctx, { rounds: 5, intervalMs: 3000, commitMs: 500 }),
  },
  {
    id: 5,
    name: "unstable-transactional-id",
    description: "a fresh random transactional.id on every restart: nothing is ever fenced",
    run: (ctx) => runUnstableTransactionalId(ctx),
  },
  {
    id: 6,
    name: "hot-partition",
    description: "a whale customer makes a few of 16 partitions carry over 10x the median rate",
    run: (ctx) => runHotPartition(ctx),
  },
  {
    id: 7,
    name: "read-uncommitted-group",
    description: "a read_uncommitted group commits offsets past an open transaction's LSO",
    run: (ctx) => runReadUncommittedGroup(ctx),
  },
  {
    id: 8,
    name: "mixed-writers",
    description: "a transactional and a plain idempotent producer write the same partition",
    run: (ctx) => runMixedWriters(ctx),
  },
  {
    id: 9,
    name: "risky-configs",
    description: "min.insync.replicas=1 on RF 3, retention.bytes < segment.bytes, unclean leader election",
    minBrokers: 3,
    run: (ctx) => runRiskyConfigs(ctx),
  },
  {
    id: 10,
    name: "lag-of-one",
    description: "a caught-up read_committed group one transaction marker short of the HW",
    run: (ctx) => runLagOfOne(ctx),
  },
  {
    id: 11,
    name: "java-fencing-pair",
    description: "two Java producers share a transactional.id and fence each other every few seconds (TV2 on 4.x)",
    clients: "java",
    run: (ctx) => runJavaFencingPair(ctx),
  },
  {
    id: 12,
    name: "java-eos-pipeline",
    description: "Java consume-transform-produce with sendOffsetsToTransaction(groupMetadata): healthy, epoch +1 per commit on TV2",
    clients: "java",
    run: (ctx) => runJavaEosPipeline(ctx),
  },
  {
    id: 13,
    name: "java-open-transaction",
    description: "a Java producer SIGKILLed inside a transaction on a topic with no other writers; a read_committed group held behind it",
    clients: "java",
    run: (ctx) => runJavaOpenTransaction(ctx),
  },
  {
    id: 14,
    name: "java-kip848-groups",
    description: "KIP-848 (group.protocol=consumer) groups: one keeping up, one slow with growing lag (needs Kafka 4.x)",
    clients: "java",
    run: (ctx) => runJavaKip848Groups(ctx),
  },
  {
    id: 15,
    name: "streams-eos",
    description: "Kafka Streams exactly_once_v2, two instances, one restarted every minute with a new process UUID",
    clients: "streams",
    run: (ctx) => runStreamsEos(ctx, { restartEveryMs: 60_000 }),
  },
  {
    id: 16,
    name: "streams-zombie",
    description: "Kafka Streams exactly_once_v2: an instance frozen past its session timeout every 3 minutes, then resumed",
    clients: "streams",
    run: (ctx) => runStreamsZombie(ctx, { freezeEveryMs: 180_000 }),
  },
];
