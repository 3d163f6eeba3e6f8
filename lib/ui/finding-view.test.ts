import { describe, expect, it } from "vitest";
import type { FindingDto } from "./dto";
import { countBySeverity, evidenceRows, remediationBlocks, sortFindings, worstSeverity } from "./finding-view";

describe("evidenceRows", () => {
  it("flattens nested evidence into dotted keys", () => {
    expect(evidenceRows({ lso: 120, hw: 150, partitions: [{ topic: "t", partition: 0 }], producerIds: [1, 2] })).toEqual([
      { key: "lso", value: "120" },
      { key: "hw", value: "150" },
      { key: "partitions.0.topic", value: "t" },
      { key: "partitions.0.partition", value: "0" },
      { key: "producerIds", value: "1, 2" },
    ]);
  });

  it("spells out durations and instants next to the raw number", () => {
    expect(evidenceRows({ openForMs: 600_000, lastTimestamp: Date.UTC(2024, 0, 1) })).toEqual([
      { key: "openForMs", value: "600000 (10 min)" },
      { key: "lastTimestamp", value: "1704067200000 (2024-01-01 00:00:00 UTC)" },
    ]);
  });

  it("renders a scalar and empty containers", () => {
    expect(evidenceRows("x")).toEqual([{ key: "value", value: "x" }]);
    expect(evidenceRows({ a: {}, b: [] })).toEqual([
      { key: "a", value: "(none)" },
      { key: "b", value: "(none)" },
    ]);
  });
});

describe("remediationBlocks", () => {
  it("separates prose from fenced and $-prefixed commands", () => {
    const blocks = remediationBlocks(
      "Abort the hanging transaction:\n```\nkafka-transactions.sh --bootstrap-server b:9092 abort \\\n  --topic t\n```\nThen check:\n$ kafka-consumer-groups.sh --describe --group g",
    );
    expect(blocks).toEqual([
      { kind: "text", text: "Abort the hanging transaction:" },
      { kind: "command", text: "kafka-transactions.sh --bootstrap-server b:9092 abort \\\n  --topic t" },
      { kind: "text", text: "Then check:" },
      { kind: "command", text: "kafka-consumer-groups.sh --describe --group g" },
    ]);
  });

  it("lifts inline kafka-*.sh commands out of the prose", () => {
    expect(
      remediationBlocks("Then abort it (brokers ≥ 3.0): `kafka-transactions.sh --bootstrap-server b:9092 abort --topic t --partition 0 --start-offset 2`. The LSO moves on."),
    ).toEqual([
      { kind: "text", text: "Then abort it (brokers ≥ 3.0):" },
      { kind: "command", text: "kafka-transactions.sh --bootstrap-server b:9092 abort --topic t --partition 0 --start-offset 2" },
      { kind: "text", text: "The LSO moves on." },
    ]);
    expect(remediationBlocks("Keep `min.insync.replicas` at 2.")).toEqual([{ kind: "text", text: "Keep `min.insync.replicas` at 2." }]);
  });

  it("keeps plain prose as one block", () => {
    expect(remediationBlocks("Raise min.insync.replicas to 2.")).toEqual([{ kind: "text", text: "Raise min.insync.replicas to 2." }]);
  });
});

describe("severity helpers", () => {
  const f = (id: string, severity: FindingDto["severity"], lastSeenAt: number) => ({ id, severity, lastSeenAt }) as FindingDto;

  it("sorts critical first, then most recent", () => {
    expect(sortFindings([f("a", "info", 3), f("b", "critical", 1), f("c", "critical", 2)]).map((x) => x.id)).toEqual(["c", "b", "a"]);
  });

  it("counts and picks the worst severity", () => {
    const counts = countBySeverity([f("a", "warning", 0), f("b", "info", 0)]);
    expect(counts).toEqual({ critical: 0, warning: 1, info: 1 });
    expect(worstSeverity(counts)).toBe("warning");
    expect(worstSeverity({ critical: 0, warning: 0, info: 0 })).toBeNull();
  });
});
