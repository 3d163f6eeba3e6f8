import { describe, expect, it } from "vitest";
import { kafkaCommands } from "./commands";
import { makeFinding, type Severity } from "./findings";
import { exitCodeFor, formatFindings } from "./report";

const finding = (severity: Severity, title = "t") =>
  makeFinding({
    kind: "stuck-lso",
    severity,
    cluster: "c",
    subject: { topic: title },
    title,
    evidence: { lastStableOffset: 5, groups: ["a", "b"] },
    explanation: "because",
    remediation: "do this",
    commands: [kafkaCommands.abortTransaction({ topic: "o'rders", partition: 1 }, 5, "Abort it.")],
  });

const context = { bootstrapServers: ["k1:9092", "k2:9092"] };

describe("exitCodeFor", () => {
  it("returns 2 for critical, 1 for warning, 0 below the threshold", () => {
    expect(exitCodeFor([finding("info"), finding("critical")], "warning")).toBe(2);
    expect(exitCodeFor([finding("info"), finding("warning")], "warning")).toBe(1);
    expect(exitCodeFor([finding("warning")], "critical")).toBe(0);
    expect(exitCodeFor([finding("info")], "info")).toBe(1);
    expect(exitCodeFor([], "info")).toBe(0);
  });
});

describe("formatFindings", () => {
  it("lists findings most severe first with evidence, explanation and fix", () => {
    const text = formatFindings([finding("info", "minor"), finding("critical", "major")], context);
    expect(text.split("\n")[0]).toBe("2 finding(s): 1 critical, 0 warning, 1 info");
    expect(text.indexOf("CRITICAL major")).toBeLessThan(text.indexOf("INFO     minor"));
    expect(text).toContain("evidence: lastStableOffset=5 groups=[a, b]");
    expect(text).toContain("fix:      do this");
    expect(text).toContain(
      "  run:      Abort it.\n            kafka-transactions.sh --bootstrap-server k1:9092,k2:9092 abort --topic='o'\\''rders' --partition 1 --start-offset 5",
    );
    expect(text).not.toContain("client.properties");
  });

  it("adds --command-config and what the file must hold for a cluster with credentials, never a password", () => {
    const text = formatFindings([finding("critical", "major")], {
      ...context,
      commandConfig: { securityProtocol: "SASL_SSL", saslMechanism: "SCRAM-SHA-256", username: "auditor" },
    });
    expect(text).toContain("kafka-transactions.sh --bootstrap-server k1:9092,k2:9092 --command-config /path/to/client.properties abort");
    expect(text).toContain("security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-256\n");
    expect(text).toContain('username="auditor" password="<password>";');
  });

  it("says so when there is nothing", () => {
    expect(formatFindings([], context)).toBe("No findings.");
  });
});

describe("formatFindings with hostile names", () => {
  it("spells out escape sequences, carriage returns and direction overrides instead of printing them to the terminal", () => {
    const name = "pay\u001b]0;owned\u0007\rments\u202egnp.exe";
    const hostile = makeFinding({
      kind: "hanging-transaction",
      severity: "critical",
      cluster: "c",
      subject: { topic: name, partition: 0 },
      title: `${name}-0 hangs`,
      evidence: { transactionalId: name },
      explanation: "because",
      remediation: "abort it",
      commands: [kafkaCommands.abortTransaction({ topic: name, partition: 0 }, 5, "Abort it.")],
    });
    const text = formatFindings([hostile], context);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(text).toContain("CRITICAL pay[U+001B]]0;owned[U+0007][U+000D]ments[U+202E]gnp.exe-0 hangs");
    expect(text).toContain("evidence: transactionalId=pay[U+001B]");
    expect(text).toContain("--topic='pay[U+001B]]0;owned[U+0007][U+000D]ments[U+202E]gnp.exe'");
    expect(text).toContain("the exact arguments are in --json");
  });
});
