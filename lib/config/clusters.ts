import { z } from "zod";
import { env } from "./env";

// One monitored cluster. The environment describes a single default cluster; a config file listing several
// clusters (with TLS and SASL) parses into the same shape.
export const clusterConfigSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, "cluster name: letters, digits, '.', '_' or '-'"),
  brokers: z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, "each broker must be host:port")).min(1),
  clientId: z.string().min(1).default("kafka-eos-auditor"),
  ssl: z.boolean().default(false),
  sasl: z
    .object({
      mechanism: z.enum(["plain", "scram-sha-256", "scram-sha-512"]),
      username: z.string(),
      password: z.string(),
    })
    .optional(),
});

export type ClusterConfig = z.infer<typeof clusterConfigSchema>;

export function clusterConfig(input: z.input<typeof clusterConfigSchema>): ClusterConfig {
  return clusterConfigSchema.parse(input);
}

/** The clusters this process monitors. */
export function configuredClusters(): ClusterConfig[] {
  const { KAFKA_CLUSTER_NAME, KAFKA_BROKERS } = env();
  return [clusterConfig({ name: KAFKA_CLUSTER_NAME, brokers: KAFKA_BROKERS })];
}
