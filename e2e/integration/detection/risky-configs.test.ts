// Scenario 9 on a 3-broker 4.4.0 cluster (RF 3 is the point): each risky topic yields exactly its config
// finding at the first poll, and the otherwise safe cluster (RF 3 internal topics, min ISR 2, verification on)
// yields nothing else.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClusterCollector } from "@/lib/kafka/collector";
import { runRiskyConfigs } from "../../../scripts/scenarios";
import { useKafka } from "../scenarios/kafka-under-test";
import {
  DetectionSession,
  LatencyReport,
  SCALED_POLL_MS,
  SCALED_SETTINGS,
  describeFinding,
  findingsOf,
  openCollector,
  reportedAbout,
} from "./detection-session";

const MAX_LATENCY_POLLS = 2;

describe("detectors on scenario 9, three 4.4.0 brokers", () => {
  const kafka = useKafka({ version: "4.4.0", nodes: 3, name: "detection-three" });
  const report = new LatencyReport();
  let collector: ClusterCollector;

  beforeAll(() => {
    collector = openCollector(kafka.cluster.brokers, "detection-three");
  });
  afterAll(async () => {
    await collector?.close();
    report.print("detection latency (polls after the situation exists; 1 = first poll)");
  });

  it("9. risky configs: min ISR 1, retention below segment, unclean election, one finding each", async () => {
    const session = new DetectionSession(collector, SCALED_POLL_MS, SCALED_SETTINGS);
    const scenario = await kafka.run(runRiskyConfigs);
    const { minIsrOne, retentionBelowSegment, uncleanElection, transactionalId } = scenario.info;
    const topics = [minIsrOne.topic, retentionBelowSegment.topic, uncleanElection.topic];
    const entities = { topics, transactionalIds: [transactionalId] };
    const expected = [
      { kind: "config-min-isr-one", topic: minIsrOne.topic },
      { kind: "config-retention-below-segment", topic: retentionBelowSegment.topic },
      { kind: "config-unclean-election", topic: uncleanElection.topic },
    ] as const;

    // Exists once the topics are created with their configs (before the scenario returns).
    for (const { kind, topic } of expected) {
      const detected = await session.firstWhere(kind, (p) => findingsOf(p, kind, { topics: [topic] }).length > 0, MAX_LATENCY_POLLS);
      report.add("9 risky-configs", kind, detected.n);
    }
    while (session.polls.length < 3) await session.poll();

    // Configuration findings only: the writer exists to make the topics transactional, and on a loaded machine it
    // can re-initialise after a timeout, which the fencing detector rightly reports (fencing has its own tests).
    const configOnly = (described: string) => described.startsWith("config-") || described.startsWith("internal-topic");
    expect(reportedAbout(session.polls, entities).filter(configOnly)).toEqual(
      expected.map(({ kind, topic }) => describeFinding({ kind, subject: { topic } })).sort(),
    );
    // The cluster itself is configured safely: no configuration finding beyond the three risky topics.
    const everything = session.polls.flatMap((p) => p.findings.map(describeFinding)).filter(configOnly);
    expect([...new Set(everything)].sort()).toEqual(
      expected.map(({ kind, topic }) => describeFinding({ kind, subject: { topic } })).sort(),
    );
  }, 120_000);
});
