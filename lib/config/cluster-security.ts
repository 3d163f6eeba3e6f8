// A cluster's security settings as the rest of the app may see them: which protocol, which mechanism, which
// user, whether a CA or client certificate is configured, never the secrets themselves. Pure (no fs, no env) so
// that views and detectors can use it without pulling the secret-reading loader into their bundle.

export type SaslMechanism = "plain" | "scram-sha-256" | "scram-sha-512";

/** The subset of kafkajs's `ssl` (tls.connect options) that a clusters file can set. */
export interface TlsSettings {
  ca?: string;
  cert?: string;
  key?: string;
  servername?: string;
  rejectUnauthorized?: boolean;
}

export interface ClusterSecurity {
  /** false: plaintext; true: TLS with the system's CAs; an object: kafkajs `ssl` options. */
  ssl: boolean | TlsSettings;
  sasl?: { mechanism: SaslMechanism; username: string; password: string };
}

/** Kafka's `security.protocol` for the same settings (what a client properties file would say). */
export type SecurityProtocol = "PLAINTEXT" | "SSL" | "SASL_PLAINTEXT" | "SASL_SSL";

export interface SecuritySummary {
  protocol: SecurityProtocol;
  tls: { ca: "set" | "system"; clientCertificate: boolean; servername: string | null; rejectUnauthorized: boolean } | null;
  sasl: { mechanism: SaslMechanism; username: string } | null;
}

export function securityProtocol(cluster: ClusterSecurity): SecurityProtocol {
  const tls = cluster.ssl !== false;
  if (cluster.sasl) return tls ? "SASL_SSL" : "SASL_PLAINTEXT";
  return tls ? "SSL" : "PLAINTEXT";
}

/**
 * Whether the official CLIs need `--command-config <client.properties>` to reach this cluster (any TLS or SASL):
 * generated shell commands add it with a placeholder path.
 */
export function clusterNeedsCommandConfig(cluster: ClusterSecurity): boolean {
  return securityProtocol(cluster) !== "PLAINTEXT";
}

/** The security settings with every secret and key material left out: safe for APIs and logs. */
export function redactedSecurity(cluster: ClusterSecurity): SecuritySummary {
  const tls = cluster.ssl === false ? null : cluster.ssl === true ? {} : cluster.ssl;
  return {
    protocol: securityProtocol(cluster),
    tls: tls && {
      ca: tls.ca ? "set" : "system",
      clientCertificate: Boolean(tls.cert && tls.key),
      servername: tls.servername ?? null,
      rejectUnauthorized: tls.rejectUnauthorized !== false,
    },
    sasl: cluster.sasl ? { mechanism: cluster.sasl.mechanism, username: cluster.sasl.username } : null,
  };
}
