import type { ClientPropertiesHint, CommandContext } from "../analysis/commands";
import type { ClusterConfig } from "./clusters";

/** What a cluster's client properties file must hold, from its security settings (never the password). */
export function clientPropertiesHint(cluster: ClusterConfig): ClientPropertiesHint | undefined {
  const { ssl, sasl } = cluster;
  if (!ssl && !sasl) return undefined;
  if (!sasl) return { securityProtocol: "SSL" };
  return {
    securityProtocol: ssl ? "SASL_SSL" : "SASL_PLAINTEXT",
    saslMechanism: sasl.mechanism === "plain" ? "PLAIN" : sasl.mechanism === "scram-sha-256" ? "SCRAM-SHA-256" : "SCRAM-SHA-512",
    username: sasl.username,
  };
}

/** How commands are rendered for a configured cluster: its bootstrap brokers and, when needed, client properties. */
export function commandContext(cluster: ClusterConfig): CommandContext {
  return { bootstrapServers: cluster.brokers, commandConfig: clientPropertiesHint(cluster) };
}
