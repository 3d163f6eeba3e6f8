import { describe, expect, it } from "vitest";
import { clientPropertiesTemplate, kafkaCommands, renderCommand, shellQuote } from "./commands";

describe("shellQuote", () => {
  it("leaves safe words bare and single-quotes everything else", () => {
    expect(shellQuote("--topic=orders.v2")).toBe("--topic=orders.v2");
    expect(shellQuote("a b")).toBe("'a b'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote("")).toBe("''");
    expect(shellQuote("~root")).toBe("'~root'");
    expect(shellQuote("$(id)")).toBe("'$(id)'");
    expect(shellQuote("a\nb")).toBe("'a\nb'");
    expect(shellQuote("заказы")).toBe("'заказы'");
  });
});

describe("renderCommand", () => {
  it("puts the connection options first and the name in its option's argument", () => {
    expect(renderCommand(kafkaCommands.deleteGroup("-x y", "p"), { bootstrapServers: ["k1:9092", "k2:9092"] })).toEqual({
      words: ["kafka-consumer-groups.sh", "--bootstrap-server", "k1:9092,k2:9092", "--delete", "--group='-x y'"],
      line: "kafka-consumer-groups.sh --bootstrap-server k1:9092,k2:9092 --delete --group='-x y'",
      argv: ["--bootstrap-server", "k1:9092,k2:9092", "--delete", "--group=-x y"],
    });
  });

  it("uses each tool's client-config option and a quoted placeholder broker when none is known", () => {
    expect(renderCommand(kafkaCommands.preferredLeaderElection("p"), { bootstrapServers: [], commandConfig: true })!.line).toBe(
      "kafka-leader-election.sh --bootstrap-server '<bootstrap-server>' --admin.config /path/to/client.properties --election-type PREFERRED --all-topic-partitions",
    );
    expect(renderCommand(kafkaCommands.describeGroup("g", "p"), { bootstrapServers: ["k:1"], commandConfig: true })!.argv.slice(2, 4)).toEqual([
      "--command-config",
      "/path/to/client.properties",
    ]);
  });

  it("passes find-hanging the broker's maximum transaction timeout only when it is not Kafka's 15 minutes", () => {
    expect(kafkaCommands.findHanging({ topic: "t", partition: 1 }, 900_000, "p").args).toEqual(["find-hanging", "--topic=t", "--partition", "1"]);
    expect(kafkaCommands.findHanging({ topic: "t", partition: 1 }, 3_600_000, "p").args).toContain("60");
  });
});

describe("clientPropertiesTemplate", () => {
  it("holds the cluster's protocol, mechanism and user, with placeholders for secrets", () => {
    expect(clientPropertiesTemplate({ securityProtocol: "SASL_PLAINTEXT", saslMechanism: "PLAIN", username: "ops" })).toBe(
      [
        "security.protocol=SASL_PLAINTEXT",
        "sasl.mechanism=PLAIN",
        'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="ops" password="<password>";',
      ].join("\n"),
    );
    const tls = clientPropertiesTemplate({ securityProtocol: "SSL" });
    expect(tls).not.toContain("sasl.");
    expect(tls).toContain("ssl.truststore.location=/path/to/ca.pem");
    expect(clientPropertiesTemplate(true)).toContain("username=\"<username>\" password=\"<password>\"");
  });
});
