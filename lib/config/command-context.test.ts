import { describe, expect, it } from "vitest";
import { clientPropertiesTemplate, kafkaCommands, renderCommand } from "../analysis/commands";
import { clusterConfig } from "./clusters";
import { commandContext } from "./command-context";

const PASSWORD = "s3cret-Pa55";

describe("commandContext", () => {
  it("renders plain commands for a plaintext cluster", () => {
    expect(commandContext(clusterConfig({ name: "a", brokers: ["k1:9092"] }))).toEqual({ bootstrapServers: ["k1:9092"], commandConfig: undefined });
  });

  it("derives what the client properties must hold from the cluster's security settings, never its password", () => {
    const cases = [
      [{ ssl: true }, { securityProtocol: "SSL" }],
      [{ sasl: { mechanism: "plain", username: "ops", password: PASSWORD } }, { securityProtocol: "SASL_PLAINTEXT", saslMechanism: "PLAIN", username: "ops" }],
      [
        { ssl: true, sasl: { mechanism: "scram-sha-512", username: "ops", password: PASSWORD } },
        { securityProtocol: "SASL_SSL", saslMechanism: "SCRAM-SHA-512", username: "ops" },
      ],
    ] as const;
    for (const [security, hint] of cases) {
      const context = commandContext(clusterConfig({ name: "a", brokers: ["k1:9093"], ...security }));
      expect(context.commandConfig).toEqual(hint);
      const line = renderCommand(kafkaCommands.describeGroup("g", "p"), context)!.line;
      expect(line).toBe("kafka-consumer-groups.sh --bootstrap-server k1:9093 --command-config /path/to/client.properties --describe --group=g");
      expect(JSON.stringify(context) + clientPropertiesTemplate(hint)).not.toContain(PASSWORD);
    }
  });
});
