import type { ClientPropertiesHint, CommandContext } from "../analysis/commands";
import { securityProtocol, type ClusterSecurity } from "./cluster-security";
import type { ClusterConfig } from "./clusters";

const SASL_MECHANISM_NAMES = { plain: "PLAIN", "scram-sha-256": "SCRAM-SHA-256", "scram-sha-512": "SCRAM-SHA-512" } as const;

/** What a cluster's client properties file must hold, from its security settings (never the password). */
export function clientPropertiesHint(cluster: ClusterSecurity): ClientPropertiesHint | undefined {
  const protocol = securityProtocol(cluster);
  if (protocol === "PLAINTEXT") return undefined;
  if (!cluster.sasl) return { securityProtocol: protocol };
  return { securityProtocol: protocol, saslMechanism: SASL_MECHANISM_NAMES[cluster.sasl.mechanism], username: cluster.sasl.username };
}

/** How commands are rendered for a configured cluster: its bootstrap brokers and, when needed, client properties. */
export function commandContext(cluster: ClusterConfig): CommandContext {
  return { bootstrapServers: cluster.brokers, commandConfig: clientPropertiesHint(cluster) };
}
