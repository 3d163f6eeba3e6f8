// Shared plumbing for the scenario library: quiet kafkajs clients, prefixed names, topic creation,
// background loops, ordered cleanup and a small order payload generator.
import { randomUUID } from "node:crypto";
import { createTopicsReady } from "../kafka/topics";
import {
  Kafka,
  logLevel,
  type Admin,
  type ITopicConfig,
  type LogEntry,
  type Message,
  type Producer,
  type ProducerConfig,
  type Transaction,
} from "kafkajs";

export interface ScenarioContext {
  /** Bootstrap addresses, host:port. */
  brokers: string[];
  /** Prepended to every topic, group and transactional id so scenarios never collide. */
  prefix?: string;
  log?: (msg: string) => void;
}

export interface RunningScenario<Info extends object = object> {
  name: string;
  /** Names and facts a test or the demo needs to find and check the situation. */
  info: Info;
  /** Live counters (records sent, transactions committed, ...) for waiting on progress. */
  progress(): Record<string, number>;
  /** Stops every loop and disconnects every client the scenario opened. */
  stop(): Promise<void>;
}

export type Scenario<Opts extends object, Info extends object> = (
  ctx: ScenarioContext,
  opts?: Partial<Opts>,
) => Promise<RunningScenario<Info>>;

export function scenarioLogger(ctx: ScenarioContext, scenario: string): (msg: string) => void {
  const log = ctx.log ?? (() => {});
  return (msg) => log(`[${scenario}] ${msg}`);
}

/** Builds scenario-scoped names: `<prefix><scenario>-<base>`. The default prefix is random per run. */
export function scopedNamer(ctx: ScenarioContext, scenario: string): (base: string) => string {
  const prefix = ctx.prefix ?? `scn-${randomUUID().slice(0, 6)}-`;
  return (base) => `${prefix}${scenario}-${base}`;
}

/**
 * A kafkajs client that only reports errors, through the scenario log. Retries are short: scenarios
 * run against local brokers where a long backoff only hides a broken setup.
 */
export function createKafka(ctx: ScenarioContext, clientId: string): Kafka {
  const log = ctx.log;
  return new Kafka({
    clientId,
    brokers: ctx.brokers,
    connectionTimeout: 3000,
    requestTimeout: 15000,
    retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2000 },
    logLevel: log ? logLevel.ERROR : logLevel.NOTHING,
    logCreator:
      () =>
      ({ namespace, log: entry }: LogEntry) => {
        if (!isNoise(entry.message)) log?.(`kafkajs ${clientId} ${namespace}: ${entry.message}`);
      },
  });
}

/**
 * Per-request error lines repeat what the caller sees anyway, and CONCURRENT_TRANSACTIONS right after
 * a commit is routine (kafkajs retries it): logging them would bury the errors that matter.
 */
function isNoise(message: string): boolean {
  return message.startsWith("Response ") || message.includes("another concurrent operation on the same transaction");
}

export async function withAdmin<T>(kafka: Kafka, fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

export interface TopicSpec {
  topic: string;
  numPartitions?: number;
  replicationFactor?: number;
  configs?: Record<string, string>;
}

export async function createTopics(kafka: Kafka, specs: TopicSpec[]): Promise<void> {
  const topics: ITopicConfig[] = specs.map((spec) => ({
    topic: spec.topic,
    numPartitions: spec.numPartitions ?? 1,
    replicationFactor: spec.replicationFactor ?? 1,
    configEntries: Object.entries(spec.configs ?? {}).map(([name, value]) => ({ name, value })),
  }));
  await withAdmin(kafka, (admin) => createTopicsReady(admin, topics));
}

/** A transactional producer. kafkajs requires idempotence and one in-flight request for transactions. */
export function transactionalProducer(
  kafka: Kafka,
  transactionalId: string,
  config: Omit<ProducerConfig, "transactionalId" | "idempotent" | "maxInFlightRequests"> = {},
): Producer {
  return kafka.producer({ ...config, transactionalId, idempotent: true, maxInFlightRequests: 1 });
}

/**
 * Runs `work` in a transaction and commits it; on failure aborts (if the transaction is still
 * abortable) and rethrows the original error.
 */
export async function inTransaction(producer: Producer, work: (transaction: Transaction) => Promise<void>): Promise<void> {
  const transaction = await producer.transaction();
  try {
    await work(transaction);
    await transaction.commit();
  } catch (error) {
    if (transaction.isActive()) await transaction.abort().catch(() => {});
    throw error;
  }
}

export function idempotentProducer(kafka: Kafka): Producer {
  return kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
}

/** Runs cleanup steps in reverse order of registration; a failing step is logged, never skipped past. */
export class Cleanup {
  private readonly steps: Array<{ label: string; run: () => Promise<unknown> }> = [];

  constructor(private readonly log: (msg: string) => void) {}

  add(label: string, run: () => Promise<unknown>): void {
    this.steps.push({ label, run });
  }

  /** Registers a connected client so stop() disconnects it. */
  client<T extends { disconnect(): Promise<void> }>(label: string, client: T): T {
    this.add(`disconnect ${label}`, () => client.disconnect());
    return client;
  }

  async run(): Promise<void> {
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step.run();
      } catch (error) {
        this.log(`cleanup "${step.label}" failed: ${describeError(error)}`);
      }
    }
  }
}

export interface ScenarioTools {
  /** Scenario-scoped name for a topic, group or transactional id. */
  name: (base: string) => string;
  log: (msg: string) => void;
  /** A quiet client; create more with createKafka for distinct client ids. */
  kafka: Kafka;
  cleanup: Cleanup;
  /** A background loop that stop() ends (before disconnecting clients registered earlier). */
  every: (label: string, intervalMs: number, step: () => Promise<void>) => Loop;
}

export interface ScenarioBody<Info extends object> {
  info: Info;
  progress?: () => Record<string, number>;
}

/**
 * Runs a scenario's setup with shared tools. If setup fails, whatever it opened is closed before the
 * error propagates; stop() is idempotent and closes everything registered on `cleanup`.
 */
export async function startScenario<Info extends object>(
  ctx: ScenarioContext,
  scenario: string,
  setup: (tools: ScenarioTools) => Promise<ScenarioBody<Info>>,
): Promise<RunningScenario<Info>> {
  const log = scenarioLogger(ctx, scenario);
  const cleanup = new Cleanup(log);
  const tools: ScenarioTools = {
    name: scopedNamer(ctx, scenario),
    log,
    kafka: createKafka(ctx, scenario),
    cleanup,
    every: (label, intervalMs, step) => {
      const loop = repeat(label, intervalMs, step, log);
      cleanup.add(`stop ${label}`, () => loop.stop());
      return loop;
    },
  };
  let body: ScenarioBody<Info>;
  try {
    body = await setup(tools);
  } catch (error) {
    await cleanup.run();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    name: scenario,
    info: body.info,
    progress: body.progress ?? (() => ({})),
    stop: () => (stopping ??= cleanup.run()),
  };
}

export interface Loop {
  stop(): Promise<void>;
}

/**
 * Calls `step` repeatedly, `intervalMs` apart, until stopped; stop() waits for the running step.
 * A failing step is logged and the loop goes on: scenarios model long-lived services.
 */
export function repeat(
  label: string,
  intervalMs: number,
  step: () => Promise<void>,
  log: (msg: string) => void,
): Loop {
  let stopped = false;
  let wake: (() => void) | undefined;
  const done = (async () => {
    while (!stopped) {
      try {
        await step();
      } catch (error) {
        if (!stopped) log(`${label} failed: ${describeError(error)}`);
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, intervalMs);
      });
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      wake?.();
      await done;
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 20000, intervalMs = 200 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

export interface Order {
  orderId: string;
  customerId: string;
  amountCents: number;
  createdAt: number;
}

/** A deterministic-enough order stream: customer ids cycle, amounts vary with the sequence number. */
export function orderMessage(seq: number, customerId = `customer-${seq % 50}`): Message {
  const order: Order = {
    orderId: `order-${seq}`,
    customerId,
    amountCents: 100 + ((seq * 7919) % 10000),
    createdAt: Date.now(),
  };
  return { key: customerId, value: JSON.stringify(order) };
}

export function orderMessages(firstSeq: number, count: number): Message[] {
  return Array.from({ length: count }, (_, i) => orderMessage(firstSeq + i));
}

/** Error type/code as kafkajs reports them, unwrapping retry wrappers to the broker's error. */
export interface KafkaErrorInfo {
  name: string;
  type: string | null;
  code: number | null;
  message: string;
}

export function kafkaErrorInfo(error: unknown): KafkaErrorInfo {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    const candidate = current as { type?: string; code?: number; originalError?: unknown };
    if (typeof candidate.type === "string") break;
    if (!candidate.originalError) break;
    current = candidate.originalError;
  }
  const found = (current ?? {}) as { name?: string; type?: string; code?: number; message?: string };
  return {
    name: found.name ?? "Error",
    type: typeof found.type === "string" ? found.type : null,
    code: typeof found.code === "number" ? found.code : null,
    message: found.message ?? String(error),
  };
}

export function describeError(error: unknown): string {
  const info = kafkaErrorInfo(error);
  return `${info.name}${info.type ? ` ${info.type}` : ""}: ${info.message}`;
}
