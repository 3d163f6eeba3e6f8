// Java scenario: two instances of the official Java producer share one transactional.id and fence each other
// (a deployment and its zombie restarting over each other). On a transaction-version-2 cluster (4.x) every commit
// also bumps the epoch, so fences hide among ordinary per-commit bumps; on 3.9 only the fences move it.
// Each fenced instance logs {"event":"fenced"} (any other client failure: {"event":"failed"}), waits reinitDelayMs,
// and re-inits, fencing the other: about one fence per reinitDelayMs while both run.
import { scenarioProgram, type JavaProcess } from "./java-programs";
import { createTopics, startScenario, type Scenario } from "./support";

export interface JavaFencingPairOptions {
  commitIntervalMs: number;
  reinitDelayMs: number;
}

export interface JavaFencingPairInfo {
  topic: string;
  transactionalId: string;
  instances: JavaProcess[];
}

const defaults: JavaFencingPairOptions = { commitIntervalMs: 200, reinitDelayMs: 4000 };

export const runJavaFencingPair: Scenario<JavaFencingPairOptions, JavaFencingPairInfo> = (ctx, opts) =>
  startScenario(ctx, "java-fencing-pair", async (tools) => {
    const { name, kafka } = tools;
    const options = { ...defaults, ...opts };
    const topic = name("payments");
    const transactionalId = name("payments-writer");
    await createTopics(kafka, [{ topic }]);
    const instances: JavaProcess[] = [];
    for (const instance of [1, 2]) {
      const java = await scenarioProgram(ctx, tools, "FencingWriter", `fencing-writer-${instance}`, {
        topic,
        "transactional-id": transactionalId,
        instance,
        "commit-interval-ms": options.commitIntervalMs,
        "reinit-delay-ms": options.reinitDelayMs,
      });
      instances.push(java);
      // The second instance's InitProducerId must come after the first one's, so the first fence is real.
      await java.waitForEvent("ready");
    }
    const sum = (event: string) => instances.reduce((total, java) => total + java.count(event), 0);
    return {
      info: { topic, transactionalId, instances },
      progress: () => ({ commits: sum("commit"), fences: sum("fenced"), failures: sum("failed"), inits: sum("ready") }),
    };
  });
