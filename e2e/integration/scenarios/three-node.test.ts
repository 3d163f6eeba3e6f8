// Scenario 9 on a 3-broker Kafka 4.4.0 cluster: each risky topic setting, as kafka-topics.sh reports it.
// The cluster keeps KIP-890 verification on (the default), which must refuse scenario 3's hanging write.
import { describe, expect, it } from "vitest";
import { HangingWriteRejectedError, runHangingTransaction, runRiskyConfigs } from "../../../scripts/scenarios";
import { waitFor } from "../../../scripts/scenarios/support";
import { useKafka } from "./kafka-under-test";

/** `kafka-topics.sh --describe` summary line: "Topic: t ... ReplicationFactor: 3 Configs: a=1,b=2". */
function parseTopicSummary(stdout: string): { replicationFactor: number; configs: Record<string, string> } {
  const summary = stdout.split("\n").find((line) => line.includes("ReplicationFactor:"));
  if (!summary) throw new Error(`no topic summary in:\n${stdout}`);
  const replicationFactor = Number(/ReplicationFactor:\s*(\d+)/.exec(summary)?.[1]);
  const configText = /Configs:\s*(\S*)/.exec(summary)?.[1] ?? "";
  const configs = Object.fromEntries(
    configText
      .split(",")
      .filter(Boolean)
      .map((pair) => pair.split("=") as [string, string]),
  );
  return { replicationFactor, configs };
}

describe("scenarios on a 3-broker 4.4.0 cluster", () => {
  const kafka = useKafka({ version: "4.4.0", nodes: 3, name: "scenarios-three" });

  it("9. risky configs: min ISR 1 on RF 3, retention.bytes < segment.bytes, unclean leader election", async () => {
    const scenario = await kafka.run(runRiskyConfigs);
    const { minIsrOne, retentionBelowSegment, uncleanElection } = scenario.info;

    for (const risky of [minIsrOne, retentionBelowSegment, uncleanElection]) {
      const described = parseTopicSummary(await kafka.cli("topics", ["--describe", "--topic", risky.topic]));
      expect(described.replicationFactor).toBe(3);
      expect(described.configs).toMatchObject(risky.configs);
    }
    const retention = retentionBelowSegment.configs;
    expect(Number(retention["retention.bytes"])).toBeLessThan(Number(retention["segment.bytes"]));
    await waitFor("a transaction over the three topics", () =>
      scenario.progress().transactionsCommitted > 0 ? true : undefined,
    );
  }, 60_000);

  it("3. with transaction.partition.verification.enable on (default) the hanging write is refused", async () => {
    await expect(kafka.run(runHangingTransaction)).rejects.toThrow(HangingWriteRejectedError);
    const hanging = await kafka.table("transactions", ["find-hanging", "--broker-id", "1"]);
    expect(hanging).toEqual([]);
  }, 60_000);
});
