// Builds the benchmark's cluster shapes on a real KRaft cluster, fast: topics by batched CreateTopics, records from one
// idempotent producer writing to every partition, group offsets by OffsetCommit straight to the coordinator (no
// member joins: the groups are Empty with committed offsets, as after a consumer stopped), transactional ids by
// InitProducerId (+ AddPartitionsToTxn and EndTxn for completed ones) over raw broker connections, and open
// transactions with records (LSO pinned) from real kafkajs transactional producers. Growing is incremental, so
// shapes that only add topics, groups or ids reuse the cluster.
import { existsSync } from "node:fs";
import path from "node:path";
import type { Admin, Kafka, Producer, TopicMessages } from "kafkajs";
import { listGroupsApi, listTransactionsApi, metadataApi, ProtocolClient, type KafkaBroker } from "@/lib/kafka/protocol";
import { startKafka, type KafkaTestCluster } from "../kafka/cluster";
import { createTopicsReady } from "../kafka/topics";
import { KAFKA_VERSIONS } from "../kafka/versions";
import { createKafka, idempotentProducer, transactionalProducer, type ScenarioContext } from "../scenarios/support";

export const BENCH_KAFKA_VERSION = KAFKA_VERSIONS.latest;

export interface Shape {
  name: string;
  partitions: number;
  groups: number;
  transactionalIds: number;
  brokers: 1 | 3;
}

/** The headline shape: every top-level figure of docs/bench-results.json is measured on it. */
export const HEADLINE_SHAPE = "5k";

// Order of a full run: every 1-broker shape grows the one cluster (1k-100 -> 1k -> 5k -> 10k: more groups and ids,
// then more topics), the 3-broker shape starts its own.
export const SHAPES: Shape[] = [
  { name: "1k-100", partitions: 1_000, groups: 100, transactionalIds: 100, brokers: 1 },
  { name: "1k", partitions: 1_000, groups: 500, transactionalIds: 500, brokers: 1 },
  { name: HEADLINE_SHAPE, partitions: 5_000, groups: 500, transactionalIds: 500, brokers: 1 },
  { name: "10k", partitions: 10_000, groups: 500, transactionalIds: 500, brokers: 1 },
  { name: "5k-3b", partitions: 5_000, groups: 500, transactionalIds: 500, brokers: 3 },
];

export const PARTITIONS_PER_TOPIC = 10;
/** Groups and transactions use the first 100 topics (1,000 partitions), so every shape holds all of them. */
const EOS_TOPICS = 100;
const RECORDS_PER_PARTITION = 3;
/** Topics per CreateTopics request: 1,000 partitions, under the broker's per-request limit. */
const CREATE_BATCH_TOPICS = 100;
/** CreateTopics requests in flight: the controller creates one batch while the previous one's leaders come up. */
const PARALLEL_CREATE_BATCHES = 3;
const TOPICS_READY_TIMEOUT_MS = 600_000;
/** How long new partitions may take until their leader serves them (tens of seconds per 1,000 on a busy machine). */
const RECORDS_TIMEOUT_MS = 600_000;
/** Each group commits on this many consecutive topics (all their partitions). */
const TOPICS_PER_GROUP = 5;
/** One transactional id in this many keeps an open transaction with a record (its partition's LSO is pinned). */
const OPEN_WITH_RECORDS_EVERY = 10;
/** One transactional id in this many (of the rest) commits a transaction (markers, CompleteCommit); the others stay Empty. */
const COMMITTED_EVERY = 2;
const PARALLEL_SETUP_REQUESTS = 10;
/** A coordinator of a just-created __transaction_state or __consumer_offsets partition can load for minutes on a busy 3-broker cluster. */
const COORDINATORS_TIMEOUT_MS = 300_000;
/**
 * Error codes meaning the coordinator of a group or transactional id is loading, not elected yet or elsewhere:
 * COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR (kafkajs's older names: GROUP_LOAD_IN_PROGRESS,
 * GROUP_COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR_FOR_GROUP).
 */
const COORDINATOR_ERROR_CODES = new Map([
  [14, "COORDINATOR_LOAD_IN_PROGRESS"],
  [15, "COORDINATOR_NOT_AVAILABLE"],
  [16, "NOT_COORDINATOR"],
]);
const INTERNAL_TOPICS = ["__consumer_offsets", "__transaction_state"];
/**
 * The test default (4 s) fences a broker that misses heartbeats for 4 s, which a loaded 2-core machine causes:
 * its partitions, coordinators included, move mid-build and back (NOT_COORDINATOR). No broker is killed here.
 */
const BENCH_BROKER_SESSION_TIMEOUT_MS = 30_000;
/** The brokers' data lives here when the machine has it: topic creation is then bound by CPU, not by fsyncs. */
const TMPFS = "/dev/shm";
/** Open transactions must outlive the whole benchmark (a full run takes ~25 minutes). */
const TRANSACTION_TIMEOUT_MS = 3_600_000;

export const topicName = (i: number) => `bench-t${String(i).padStart(5, "0")}`;
export const groupName = (i: number) => `bench-g${String(i).padStart(4, "0")}`;
export const transactionalIdName = (i: number) => `bench-tx${String(i).padStart(4, "0")}`;
/** Open transaction i writes one record to partition 0 of topic i: groups reading it wait behind the LSO. */
const openTransactionTopic = (i: number) => topicName(i % EOS_TOPICS);
/** Completed transactions mark the second half of the EOS topics, so the open ones' LSOs stay at RECORDS_PER_PARTITION. */
const committedTransactionTopic = (i: number) => topicName(EOS_TOPICS / 2 + (i % (EOS_TOPICS / 2)));

/** kafkajs Broker methods (src/broker/index.js, kafkajs 2.2.4) for the requests that build a shape. */
interface SetupBrokerMethods {
  initProducerId(request: { transactionalId: string; transactionTimeout: number }): Promise<{ producerId: string; producerEpoch: number }>;
  addPartitionsToTxn(request: {
    transactionalId: string;
    producerId: string;
    producerEpoch: number;
    topics: { topic: string; partitions: number[] }[];
  }): Promise<unknown>;
  endTxn(request: { transactionalId: string; producerId: string; producerEpoch: number; transactionResult: boolean }): Promise<unknown>;
  offsetCommit(request: {
    groupId: string;
    groupGenerationId: number;
    memberId: string;
    retentionTime?: number;
    topics: { topic: string; partitions: { partition: number; offset: string }[] }[];
  }): Promise<unknown>;
}
const setupMethods = (broker: KafkaBroker) => broker as unknown as SetupBrokerMethods;

/** Runs work(from..count-1), `parallel` at a time. */
async function inParallel(count: number, work: (i: number) => Promise<void>, from = 0, parallel = PARALLEL_SETUP_REQUESTS): Promise<void> {
  let next = from;
  const worker = async () => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

/** The name of a coordinator answer that means "ask again once it has settled" (null for any other error). */
function coordinatorError(error: unknown): string | null {
  const e = error as { code?: number; name?: string; cause?: unknown };
  if (e?.name === "KafkaJSNumberOfRetriesExceeded" || e?.name === "KafkaJSNonRetriableError") return coordinatorError(e.cause);
  if (e?.name === "KafkaJSGroupCoordinatorNotFound") return COORDINATOR_ERROR_CODES.get(15)!;
  return (e?.name === "KafkaJSProtocolError" && e.code !== undefined && COORDINATOR_ERROR_CODES.get(e.code)) || null;
}

/** A new partition's leader can show in metadata before the broker serves it (NOT_LEADER_FOR_PARTITION). */
async function retryFor(timeoutMs: number, action: () => Promise<unknown>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
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

export interface BuildTimings {
  /** Starting the cluster (0 for a shape that grows one already running). */
  clusterStartMs: number;
  topicsMs: number;
  recordsMs: number;
  transactionsMs: number;
  groupsMs: number;
}

/** A running cluster and what it holds so far. */
export class ShapeCluster {
  private topics = 0;
  private groups = 0;
  private transactionalIds = 0;

  private constructor(
    readonly cluster: KafkaTestCluster,
    readonly brokerCount: 1 | 3,
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly producer: Producer,
    private readonly protocol: ProtocolClient,
    private readonly log: (msg: string) => void,
  ) {}

  static async start(brokers: 1 | 3, log: (msg: string) => void): Promise<ShapeCluster> {
    const cluster = await startKafka({
      version: BENCH_KAFKA_VERSION,
      nodes: brokers,
      name: `bench-${brokers}b`,
      runHome: existsSync(TMPFS) ? path.join(TMPFS, "kafka-eos-auditor-bench") : undefined,
      brokerConfig: {
        "transaction.max.timeout.ms": String(TRANSACTION_TIMEOUT_MS),
        "broker.session.timeout.ms": String(BENCH_BROKER_SESSION_TIMEOUT_MS),
      },
    });
    const ctx: ScenarioContext = { brokers: cluster.brokers, prefix: "bench-" };
    const kafka = createKafka(ctx, "bench-builder");
    const admin = kafka.admin();
    const producer = idempotentProducer(kafka);
    const protocol = ProtocolClient.fromKafka(kafka);
    await Promise.all([admin.connect(), producer.connect(), protocol.connect()]);
    return new ShapeCluster(cluster, brokers, kafka, admin, producer, protocol, log);
  }

  get brokers(): string[] {
    return this.cluster.brokers;
  }

  /** Whether this cluster can become `shape` by adding to it. */
  canGrowTo(shape: Shape): boolean {
    return (
      shape.brokers === this.brokerCount &&
      shape.partitions / PARTITIONS_PER_TOPIC >= this.topics &&
      shape.groups >= this.groups &&
      shape.transactionalIds >= this.transactionalIds
    );
  }

  async grow(shape: Shape): Promise<Omit<BuildTimings, "clusterStartMs">> {
    const targetTopics = Math.max(EOS_TOPICS, shape.partitions / PARTITIONS_PER_TOPIC);
    const replicationFactor = this.brokerCount;
    let start = performance.now();
    const firstTopics = Array.from({ length: Math.ceil((targetTopics - this.topics) / CREATE_BATCH_TOPICS) }, (_, k) => this.topics + k * CREATE_BATCH_TOPICS);
    await inParallel(
      firstTopics.length,
      async (k) => {
        const batch = [];
        for (let i = firstTopics[k]; i < Math.min(targetTopics, firstTopics[k] + CREATE_BATCH_TOPICS); i++) {
          batch.push({ topic: topicName(i), numPartitions: PARTITIONS_PER_TOPIC, replicationFactor });
        }
        await createTopicsReady(this.admin, batch, TOPICS_READY_TIMEOUT_MS);
      },
      0,
      PARALLEL_CREATE_BATCHES,
    );
    const topicsMs = performance.now() - start;
    if (targetTopics > this.topics) this.log(`  topics ${this.topics}..${targetTopics - 1} created in ${Math.round(topicsMs)} ms`);

    // Records only in the topics that groups and transactions use: the broker takes tens of seconds per 1,000 new
    // partitions before it serves them, and the other topics are idle ones, as most of a real cluster's are.
    start = performance.now();
    if (this.topics === 0) {
      const topicMessages: TopicMessages[] = [];
      for (let i = 0; i < EOS_TOPICS; i++) {
        const messages = [];
        for (let partition = 0; partition < PARTITIONS_PER_TOPIC; partition++) {
          for (let r = 0; r < RECORDS_PER_PARTITION; r++) messages.push({ partition, value: `record-${r}` });
        }
        topicMessages.push({ topic: topicName(i), messages });
      }
      await retryFor(RECORDS_TIMEOUT_MS, () => this.producer.sendBatch({ topicMessages }));
    }
    const recordsMs = performance.now() - start;
    this.topics = targetTopics;

    start = performance.now();
    if (this.transactionalIds === 0 && this.groups === 0) await this.waitForCoordinators();
    await this.addTransactionalIds(this.transactionalIds, shape.transactionalIds);
    this.transactionalIds = shape.transactionalIds;
    const transactionsMs = performance.now() - start;

    start = performance.now();
    await inParallel(shape.groups, (i) => this.withCoordinator(() => this.commitGroup(i)), this.groups);
    this.groups = shape.groups;
    const groupsMs = performance.now() - start;
    this.log(`  records ${Math.round(recordsMs)} ms, transactional ids ${Math.round(transactionsMs)} ms, groups ${Math.round(groupsMs)} ms`);
    return { topicsMs, recordsMs, transactionsMs, groupsMs };
  }

  private async addTransactionalIds(from: number, to: number): Promise<void> {
    const openWithRecords: number[] = [];
    await inParallel(
      to,
      (i) => this.withCoordinator(async () => {
        if (i % OPEN_WITH_RECORDS_EVERY === 0) return void openWithRecords.push(i);
        const transactionalId = transactionalIdName(i);
        const coordinator = setupMethods(await this.protocol.coordinator("transaction", transactionalId));
        const { producerId, producerEpoch } = await coordinator.initProducerId({ transactionalId, transactionTimeout: TRANSACTION_TIMEOUT_MS });
        if (i % COMMITTED_EVERY !== 0) return;
        const ids = { transactionalId, producerId, producerEpoch };
        await coordinator.addPartitionsToTxn({ ...ids, topics: [{ topic: committedTransactionTopic(i), partitions: [i % PARTITIONS_PER_TOPIC] }] });
        await coordinator.endTxn({ ...ids, transactionResult: true });
      }),
      from,
    );
    // Real producers for the open transactions: a Produce inside the transaction is what pins a partition's LSO.
    await inParallel(openWithRecords.length, (k) =>
      this.withCoordinator(async () => {
        const i = openWithRecords[k];
        const producer = transactionalProducer(this.kafka, transactionalIdName(i), { transactionTimeout: TRANSACTION_TIMEOUT_MS });
        await producer.connect();
        try {
          const transaction = await producer.transaction();
          await transaction.send({ topic: openTransactionTopic(i), messages: [{ partition: 0, value: "open" }] });
        } finally {
          // kafkajs does not abort on disconnect: the transaction stays open until its timeout, as after a crash.
          await producer.disconnect();
        }
      }),
    );
  }

  /**
   * Why the group and transaction coordinators are not ready for the build's requests, or null once they are:
   * every partition of both internal topics has a leader and its full ISR, and every broker lists its groups and
   * transactional ids without a partition still loading.
   */
  private async coordinatorsNotReady(): Promise<string | null> {
    // A FindCoordinator of each kind creates the internal topics; kafkajs gives up while they are being created.
    await Promise.all([this.protocol.coordinator("group", groupName(0)), this.protocol.coordinator("transaction", transactionalIdName(0))]);
    const nodeIds = this.protocol.nodeIds();
    const { response } = await this.protocol.call(nodeIds[0], metadataApi, { topics: INTERNAL_TOPICS });
    for (const t of response.topics) {
      if (t.errorCode !== 0) return `${t.name}: error ${t.errorCode}`;
      const behind = t.partitions.find((p) => p.leader < 0 || p.isr.length < p.replicas.length);
      if (behind) return `${t.name}-${behind.partition}: leader ${behind.leader}, ISR ${behind.isr.join(",")} of ${behind.replicas.join(",")}`;
    }
    for (const nodeId of nodeIds) {
      const groups = (await this.protocol.call(nodeId, listGroupsApi, {})).response.errorCode;
      const transactions = (await this.protocol.call(nodeId, listTransactionsApi, {})).response.errorCode;
      if (groups !== 0 || transactions !== 0) return `broker ${nodeId}: ListGroups error ${groups}, ListTransactions error ${transactions}`;
    }
    return null;
  }

  /** Waits until the group and transaction coordinators serve (creating the internal topics if need be). */
  private async waitForCoordinators(): Promise<void> {
    const deadline = Date.now() + COORDINATORS_TIMEOUT_MS;
    let reason: string | null = "not asked yet";
    while ((reason = await this.coordinatorsNotReady().catch((error: Error) => error.message)) !== null) {
      if (Date.now() > deadline) throw new Error(`coordinators not ready after ${COORDINATORS_TIMEOUT_MS} ms: ${reason}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  /**
   * Runs `work` (which finds its coordinator itself); a coordinator that is loading or moved (a broker fenced under
   * load) is waited for, then the work is redone (each setup step is harmless to repeat). Other errors fail the build.
   */
  private async withCoordinator(work: () => Promise<void>): Promise<void> {
    const deadline = Date.now() + COORDINATORS_TIMEOUT_MS;
    for (;;) {
      try {
        return await work();
      } catch (error) {
        const code = coordinatorError(error);
        if (code === null || Date.now() > deadline) throw error;
        this.log(`  ${code}: waiting for the coordinators`);
        await this.waitForCoordinators();
      }
    }
  }

  /** Offsets at RECORDS_PER_PARTITION: caught up to the LSO of open-transaction partitions, behind the HW of committed ones. */
  private async commitGroup(i: number): Promise<void> {
    const groupId = groupName(i);
    const topics = Array.from({ length: TOPICS_PER_GROUP }, (_, k) => ({
      topic: topicName((i * TOPICS_PER_GROUP + k) % EOS_TOPICS),
      partitions: Array.from({ length: PARTITIONS_PER_TOPIC }, (_, partition) => ({ partition, offset: String(RECORDS_PER_PARTITION) })),
    }));
    const coordinator = setupMethods(await this.protocol.coordinator("group", groupId));
    await coordinator.offsetCommit({ groupId, groupGenerationId: -1, memberId: "", topics });
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.admin.disconnect(), this.producer.disconnect(), this.protocol.disconnect()]);
    await this.cluster.stop();
  }
}
