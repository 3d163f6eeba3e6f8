// One broker (or cluster) per test file, the official CLIs against it, scenarios that are always stopped,
// and the broker log tail printed when a test fails.
import { afterAll, beforeAll, beforeEach, onTestFinished } from "vitest";
import { startKafka, type KafkaTestCluster, type StartKafkaOptions } from "../../../scripts/kafka/cluster";
import { kafkaCli, KafkaCliError, parseCliTable, type KafkaCliTool } from "../../../scripts/kafka/cli";
import type { RunningScenario, Scenario, ScenarioContext } from "../../../scripts/scenarios/support";

const BROKER_START_TIMEOUT_MS = 120_000;

export interface KafkaUnderTest {
  readonly cluster: KafkaTestCluster;
  /**
   * Runs a scenario that is stopped when the current test finishes, pass or fail. A concurrent test passes its own
   * context's onTestFinished: the global one cannot tell which of the running tests is current.
   */
  run<Opts extends object, Info extends object>(
    scenario: Scenario<Opts, Info>,
    opts?: Partial<Opts>,
    finished?: typeof onTestFinished,
  ): Promise<RunningScenario<Info>>;
  /** stdout of an official CLI; throws KafkaCliError on a non-zero exit. */
  cli(tool: KafkaCliTool, args: string[]): Promise<string>;
  /** The CLI's table output as rows keyed by column header. */
  table(tool: KafkaCliTool, args: string[]): Promise<Record<string, string>[]>;
}

/** `options` may be computed in beforeAll, e.g. after generating certificates the brokers need. */
export function useKafka(options: StartKafkaOptions | (() => Promise<StartKafkaOptions>)): KafkaUnderTest {
  let cluster: KafkaTestCluster | undefined;
  let scenarioCount = 0;

  beforeAll(async () => {
    cluster = await startKafka(typeof options === "function" ? await options() : options);
  }, BROKER_START_TIMEOUT_MS);

  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);

  beforeEach(({ onTestFailed }) => {
    onTestFailed(async () => {
      if (cluster) console.error(`broker log tail (${cluster.name}):\n${await cluster.logTail(60)}`);
    });
  });

  const current = (): KafkaTestCluster => {
    if (!cluster) throw new Error("the Kafka cluster did not start (see beforeAll)");
    return cluster;
  };

  const cli = async (tool: KafkaCliTool, args: string[]): Promise<string> => {
    const result = await kafkaCli(current().version, tool, args, { bootstrap: current().bootstrap });
    if (result.exitCode !== 0) throw new KafkaCliError(tool, args, result);
    return result.stdout;
  };

  return {
    get cluster() {
      return current();
    },
    async run(scenario, opts, finished = onTestFinished) {
      scenarioCount += 1;
      const ctx: ScenarioContext = {
        brokers: current().brokers,
        prefix: `t${scenarioCount}-`,
        log: (msg) => console.log(msg),
      };
      const running = await scenario(ctx, opts);
      finished(() => running.stop());
      return running;
    },
    cli,
    table: async (tool, args) => parseCliTable(await cli(tool, args)),
  };
}

/** The rows of a table whose `column` equals `value`. */
export function rowsWhere(rows: Record<string, string>[], column: string, value: string | number): Record<string, string>[] {
  return rows.filter((row) => row[column] === String(value));
}
