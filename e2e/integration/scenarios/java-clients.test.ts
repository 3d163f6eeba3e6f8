// The Java-client and Kafka Streams scenarios (scripts/java on kafka-clients / kafka-streams 4.4.0), each proven with
// the official CLIs, on a 4.4.0 broker (transaction version 2 finalized) and on a 3.9.2 broker (no TV2: the same
// 4.4.0 client falls back to the old transaction protocol, as new clients do against older brokers in production).
// One broker per version; the scenarios run one after another on it.
import { describe, expect, it } from "vitest";
import { describeTransaction } from "../../../scripts/kafka/cli";
import { ALL_KAFKA_VERSIONS } from "../../../scripts/kafka/versions";
import { runJavaFencingPair } from "../../../scripts/scenarios/java-fencing-pair";
import { waitFor } from "../../../scripts/scenarios/support";
import { useKafka } from "./kafka-under-test";

const TEST_TIMEOUT_MS = 120_000;

describe.each(ALL_KAFKA_VERSIONS)("Java client scenarios on a %s broker", (version) => {
  const kafka = useKafka({ version, nodes: 1, name: `java-clients-${version}` });
  const tv2 = version === "4.4.0";
  const describeTxn = (transactionalId: string) => describeTransaction(kafka.cluster, transactionalId);

  it("b. two instances sharing a transactional.id fence each other; every fence is logged by the fenced one", async () => {
    const scenario = await kafka.run(runJavaFencingPair, { reinitDelayMs: 2000 });
    const { transactionalId, instances } = scenario.info;
    const epochs: number[] = [];
    // Each describe takes a JVM start (~1-2 s): the epochs are sampled at that pace while the instances fight.
    await waitFor(
      "four fences",
      async () => {
        const exited = instances.find((java) => !java.running);
        if (exited) throw new Error(`${exited.label} exited:\n${exited.stderr}`);
        epochs.push((await describeTxn(transactionalId)).producerEpoch);
        return scenario.progress().fences >= 4 ? true : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 0 },
    );
    await scenario.stop();
    const { commits, fences, inits } = scenario.progress();
    const final = await describeTxn(transactionalId);
    epochs.push(final.producerEpoch);
    const errors = instances.flatMap((java) => java.events.filter((e) => e.event === "fenced").map((e) => e.error));
    console.log(`[${version}] fencing pair: ${fences} fences (${errors.join(", ")}), ${inits} inits, ${commits} commits, epochs seen ${epochs.join(",")}`);

    // Each fence is the other instance's InitProducerId: inits = the first two + one re-init per fence (the last may
    // still be waiting out its delay when stopped).
    expect(fences).toBeGreaterThanOrEqual(4);
    expect(inits).toBeGreaterThanOrEqual(fences + 1);
    expect(inits).toBeLessThanOrEqual(fences + 2);
    for (const java of instances) {
      for (const fence of java.events.filter((e) => e.event === "fenced")) {
        expect(["ProducerFencedException", "InvalidProducerEpochException", "InvalidTxnStateException"]).toContain(fence.error);
      }
    }
    expect(epochs).toEqual([...epochs].sort((a, b) => a - b));
    if (tv2) {
      // TV2: every commit bumps the epoch too, so the epoch outruns the commits.
      expect(final.producerEpoch).toBeGreaterThanOrEqual(commits);
    } else {
      // Only InitProducerId moves the epoch: once per init, twice when it lands on an open transaction.
      expect(final.producerEpoch).toBeGreaterThanOrEqual(inits - 1);
      expect(final.producerEpoch).toBeLessThanOrEqual(2 * inits);
      expect(commits).toBeGreaterThan(2 * inits);
    }
  }, TEST_TIMEOUT_MS);
});
