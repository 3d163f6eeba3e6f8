// Kafka Streams exactly_once_v2 scenarios: a stateless application (input mapped value-for-value to output) with two
// instances and no persisted state directory, so every start has a new process UUID and new transactional ids
// `<application.id>-<process UUID>-<thread index>`; zombies are fenced through the consumer-group generation and
// the epoch (KIP-447), not by a stable id.
// - runStreamsEos: instances restarted one at a time (test-driven through info.restart, or every restartEveryMs).
// - runStreamsZombie: the same app, one instance frozen with SIGSTOP past its session timeout, then resumed: the
//   group evicts it, the other instance takes its tasks, and the resumed zombie is fenced and rejoins.
// The generator writes sequence numbers, so a read_committed count of the output shows duplicates and gaps.
import { generated, scenarioProgram, type JavaEvent, type JavaProcess } from "./java-programs";
import { createTopics, startScenario, type Scenario, type ScenarioContext, type ScenarioTools } from "./support";

export interface StreamsEosOptions {
  partitions: number;
  instances: number;
  /** Generator: batch records every intervalMs, count in all (0 = no end). */
  batch: number;
  intervalMs: number;
  count: number;
  /** Restart one instance (round robin) this often; 0 = only when the caller calls info.restart(). */
  restartEveryMs: number;
  /** Zombie scenario: freeze one instance this often; 0 = only when the caller calls info.freezePastSession(). */
  freezeEveryMs: number;
  /** Streams overrides, e.g. a shorter session.timeout.ms. */
  config: Record<string, string | number>;
  /**
   * Stop instances with LeaveGroup (KIP-812). Streams' default close stays in the group: a restart then stalls the
   * others until the old member's session times out, and the coordinator aborts their open transactions.
   */
  leaveGroupOnClose: boolean;
}

export interface StreamsEosInfo {
  applicationId: string;
  inputTopic: string;
  outputTopic: string;
  generator: JavaProcess;
  /** Current process of each instance slot. */
  instances: JavaProcess[];
  /** Every producer transactional id any start used, in order of appearance. */
  transactionalIds: string[];
  /** Stops instance `slot` (SIGTERM) and starts it again with a fresh state directory; resolves once it runs. */
  restart(slot: number): Promise<void>;
  /**
   * Freezes instance `slot` until the other instances have rebalanced without it (it was evicted after its session
   * timeout) and `hold` (started right after the freeze) has resolved, then resumes it; resolves once the zombie
   * has rejoined and runs again.
   */
  freezePastSession(slot: number, hold?: () => Promise<void>): Promise<{ frozenMs: number }>;
}

/** A Streams producer's client id `<application.id>-<uuid>-StreamThread-<n>-producer` → its transactional id `<application.id>-<uuid>-<n>`. */
export function streamsTransactionalId(producerClientId: string): string {
  return producerClientId.replace(/-StreamThread-(\d+)-producer$/, "-$1");
}

const RUNNING_TIMEOUT_MS = 90_000;

/**
 * What a resumed zombie logs when it meets its fence: a TaskMigratedException ("Detected that the thread is being
 * fenced"), or on a TV2 broker sometimes INVALID_TXN_STATE on its commit, after which its thread is replaced.
 */
export const STREAMS_ZOMBIE_MET_FENCE = /Detected that the thread is being fenced|TaskMigratedException|InvalidTxnStateException/;

function isRunning(e: JavaEvent): boolean {
  return e.event === "running";
}

function isRebalancing(e: JavaEvent): boolean {
  return e.event === "state" && e.to === "REBALANCING";
}

function runStreams(scenario: string, defaults: Partial<StreamsEosOptions>): Scenario<StreamsEosOptions, StreamsEosInfo> {
  return (ctx: ScenarioContext, opts) =>
    startScenario(ctx, scenario, async (tools: ScenarioTools) => {
      const options: StreamsEosOptions = {
        partitions: 4,
        instances: 2,
        batch: 10,
        intervalMs: 100,
        count: 0,
        restartEveryMs: 0,
        freezeEveryMs: 0,
        config: {},
        leaveGroupOnClose: false,
        ...defaults,
        ...opts,
      };
      const { name, kafka, every } = tools;
      const applicationId = name("order-enricher");
      const inputTopic = name("orders");
      const outputTopic = name("enriched-orders");
      await createTopics(kafka, [
        { topic: inputTopic, numPartitions: options.partitions },
        { topic: outputTopic, numPartitions: options.partitions },
      ]);
      const transactionalIds: string[] = [];
      const instances: JavaProcess[] = [];
      let starts = 0;
      const start = async (slot: number) => {
        starts += 1;
        const java = await scenarioProgram(
          ctx,
          tools,
          "StreamsApp",
          `streams-${slot + 1}-start-${starts}`,
          { "application-id": applicationId, input: inputTopic, output: outputTopic, "leave-group-on-close": String(options.leaveGroupOnClose) },
          options.config,
        );
        instances[slot] = java;
        const running = await java.waitForEvent(isRunning, { timeoutMs: RUNNING_TIMEOUT_MS });
        for (const clientId of running.clientIds as string[]) {
          const id = streamsTransactionalId(clientId);
          if (!transactionalIds.includes(id)) transactionalIds.push(id);
        }
      };
      for (let slot = 0; slot < options.instances; slot++) await start(slot);
      /** Waits until every other instance has rebalanced (from its event index in `marks` on) and runs again. */
      const othersRebalanced = (slot: number, marks: number[]) =>
        Promise.all(
          instances
            .map((java, i) => ({ java, i }))
            .filter(({ i }) => i !== slot)
            .map(async ({ java, i }) => {
              const rebalancing = await java.waitForEvent(isRebalancing, { from: marks[i], timeoutMs: RUNNING_TIMEOUT_MS });
              await java.waitForEvent(isRunning, { from: java.events.indexOf(rebalancing), timeoutMs: RUNNING_TIMEOUT_MS });
            }),
        );

      // Only one restart or freeze at a time: each waits for the group to settle.
      let turn = Promise.resolve();
      const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
        const run = turn.then(work);
        turn = run.then(
          () => undefined,
          () => undefined,
        );
        return run;
      };
      const restart = (slot: number) =>
        exclusive(async () => {
          await instances[slot].stop();
          await start(slot);
        });
      const freezePastSession = (slot: number, hold?: () => Promise<void>) =>
        exclusive(async () => {
          const zombie = instances[slot];
          const marks = instances.map((java) => java.events.length);
          const frozenAt = Date.now();
          zombie.freeze();
          try {
            // The others rebalance (REBALANCING, then RUNNING) once the group coordinator evicts the frozen member.
            await Promise.all([othersRebalanced(slot, marks), hold?.()]);
          } finally {
            zombie.resume();
          }
          const frozenMs = Date.now() - frozenAt;
          const resumedMark = zombie.events.length;
          await zombie.waitForEvent(isRebalancing, { from: resumedMark, timeoutMs: RUNNING_TIMEOUT_MS });
          await zombie.waitForEvent(isRunning, { from: resumedMark, timeoutMs: RUNNING_TIMEOUT_MS });
          return { frozenMs };
        });

      const generator = await scenarioProgram(ctx, tools, "Generator", "generator", {
        topic: inputTopic,
        batch: options.batch,
        "interval-ms": options.intervalMs,
        count: options.count,
      });
      let next = 0;
      if (options.restartEveryMs > 0) every("restart an instance", options.restartEveryMs, () => restart(next++ % options.instances));
      if (options.freezeEveryMs > 0) {
        every("freeze an instance", options.freezeEveryMs, async () => {
          // Freeze with work in flight (an open transaction, offsets to commit), so the resumed zombie meets its fence.
          await generator.waitForEvent((e) => e.event === "sent" && Number(e.n) >= 200, { timeoutMs: RUNNING_TIMEOUT_MS });
          await freezePastSession(options.instances - 1);
        });
      }

      return {
        info: { applicationId, inputTopic, outputTopic, generator, instances, transactionalIds, restart, freezePastSession },
        progress: () => ({ generated: generated(generator), starts, transactionalIds: transactionalIds.length }),
      };
    });
}

export const runStreamsEos = runStreams("streams-eos", {});

/**
 * session.timeout.ms 10 s (consumer default 45 s) so a freeze "past the session timeout" takes seconds, not a minute;
 * it equals Streams' EOS transaction.timeout.ms, so the zombie's open transaction is aborted by its timeout too.
 */
export const STREAMS_ZOMBIE_CONFIG = { "session.timeout.ms": 10_000, "heartbeat.interval.ms": 2_000 };

export const runStreamsZombie = runStreams("streams-zombie", { config: STREAMS_ZOMBIE_CONFIG });
