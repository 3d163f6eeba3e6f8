import { describe, expect, it } from "vitest";
import { runDetectors, type Finding } from "../analysis";
import { T0, buildPartition, buildSnapshot, buildTopic, buildTransaction } from "../analysis/testing/snapshot-builder";
import type { FindingDto } from "./dto";
import { groupFindings } from "./finding-view";

const subject = (s: Partial<Record<keyof FindingDto["subject"], string | number>>): FindingDto["subject"] => ({
  topic: null,
  partition: null,
  transactionalId: null,
  groupId: null,
  brokerId: null,
  detail: null,
  ...s,
} as FindingDto["subject"]);

const dto = (f: Finding, lastSeenAt = T0): FindingDto => ({
  id: f.key,
  key: f.key,
  kind: f.kind,
  severity: f.severity,
  subject: subject(f.subject),
  title: f.title,
  evidence: f.evidence,
  explanation: f.explanation,
  remediation: f.remediation,
  commands: [],
  clientProperties: null,
  firstSeenAt: T0 - 60_000,
  lastSeenAt,
  resolvedAt: null,
});

/** Five topics written transactionally with replication factor 1 on a 3-broker cluster: five warnings from the real detector. */
function lowReplicationFindings(): FindingDto[] {
  const names = ["orders", "payments", "refunds", "audit", "ledger"];
  const snapshot = buildSnapshot({
    collectedAt: T0,
    topics: names.map((n) => buildTopic(n, [buildPartition(0, { replicas: [1], isr: [1] })], { "min.insync.replicas": "1" })),
    transactions: names.map((n, i) =>
      buildTransaction({ transactionalId: `w-${n}`, producerId: i + 1, state: "Ongoing", transactionStartTimeMs: T0, partitions: [{ topic: n, partition: 0 }] }),
    ),
  });
  return runDetectors({ snapshot, previous: null, now: T0 })
    .findings.filter((f) => f.kind === "config-low-replication")
    .map((f) => dto(f));
}

describe("groupFindings", () => {
  it("makes one row of the topics written transactionally with replication factor 1", () => {
    const findings = lowReplicationFindings();
    expect(findings).toHaveLength(5);
    const groups = groupFindings(findings);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ kind: "config-low-replication", severity: "warning", label: "5 topics: transactionally written with replication factor 1" });
    expect(groups[0].findings.map((f) => f.subject.topic).sort()).toEqual(["audit", "ledger", "orders", "payments", "refunds"]);
  });

  it("puts critical groups first and keeps a lone finding's own title", () => {
    const low = lowReplicationFindings();
    const critical = { ...low[0], id: "c1", key: "c1", kind: "hanging-transaction", severity: "critical" as const, subject: subject({ topic: "orders", partition: 2 }), title: "Hanging transaction on orders-2" };
    const info = { ...low[0], id: "i1", key: "i1", kind: "config-retention-below-segment", severity: "info" as const, subject: subject({ topic: "clicks" }), title: "clicks: retention.bytes (1000) < segment.bytes (2000)" };
    const groups = groupFindings([info, ...low, critical]);
    expect(groups.map((g) => [g.severity, g.findings.length, g.label])).toEqual([
      ["critical", 1, "Hanging transaction on orders-2"],
      ["warning", 5, "5 topics: transactionally written with replication factor 1"],
      ["info", 1, "clicks: retention.bytes (1000) < segment.bytes (2000)"],
    ]);
  });

  it("keeps findings of one kind but different severity or detail apart, and names the kind when titles differ", () => {
    const [a, b, c] = lowReplicationFindings();
    const infoOne = { ...c, severity: "info" as const };
    const otherRf = { ...b, title: `${b.subject.topic}: transactionally written with replication factor 2` };
    const groups = groupFindings([a, otherRf, infoOne, { ...a, id: "x", subject: { ...a.subject, detail: "other" } }]);
    expect(groups.map((g) => [g.severity, g.findings.length, g.label])).toEqual([
      ["warning", 2, "2 topics: config low replication"],
      ["warning", 1, a.title],
      ["info", 1, c.title],
    ]);
  });
});
