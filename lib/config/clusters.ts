import { readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { SaslMechanism } from "./cluster-security";
import { ConfigError, env, parseEnv } from "./env";

// The monitored clusters: from CLUSTERS_FILE (YAML or JSON, several clusters with TLS and SASL), or the one
// cluster that KAFKA_BROKERS / KAFKA_CLUSTER_NAME describe. Secrets are never written in the file: a password or
// private key is `${ENV_NAME}` or read from a file (`passwordFile:`, `keyFile:`), the way Kubernetes mounts
// secrets. Server-only: this module reads secrets, so nothing a browser loads may import it (views use
// ./cluster-security).

export { clusterNeedsCommandConfig, redactedSecurity, securityProtocol } from "./cluster-security";
export type { ClusterSecurity, SecurityProtocol, SecuritySummary, TlsSettings } from "./cluster-security";

const CLUSTER_NAME = /^[A-Za-z0-9._-]{1,64}$/;
const CLUSTER_NAME_RULE = "cluster name: letters, digits, '.', '_' or '-' (1 to 64 characters)";
const BROKER = /^[^\s:]+:\d{1,5}$/;
const SASL_MECHANISMS = ["plain", "scram-sha-256", "scram-sha-512"] as const satisfies readonly SaslMechanism[];

const tlsSettingsSchema = z.object({
  ca: z.string().optional(),
  cert: z.string().optional(),
  key: z.string().optional(),
  servername: z.string().optional(),
  rejectUnauthorized: z.boolean().optional(),
});

/** One monitored cluster, secrets resolved: what the collector and poller use. */
export const clusterConfigSchema = z.object({
  name: z.string().regex(CLUSTER_NAME, CLUSTER_NAME_RULE),
  brokers: z.array(z.string().regex(BROKER, "each broker must be host:port")).min(1),
  clientId: z.string().min(1).default("kafka-eos-auditor"),
  /** Defaults to POLL_INTERVAL_MS. */
  pollIntervalMs: z.number().int().min(1000).optional(),
  /** Defaults to HISTORY_SAMPLE_INTERVAL_MS. */
  sampleIntervalMs: z.number().int().min(0).optional(),
  ssl: z.union([z.boolean(), tlsSettingsSchema]).default(false),
  sasl: z
    .object({
      mechanism: z.enum(SASL_MECHANISMS),
      username: z.string(),
      password: z.string(),
    })
    .optional(),
});

export type ClusterConfig = z.infer<typeof clusterConfigSchema>;

export function clusterConfig(input: z.input<typeof clusterConfigSchema>): ClusterConfig {
  return clusterConfigSchema.parse(input);
}

// --- The clusters file -------------------------------------------------------------------------------------------

export const ENV_REF = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;
const SECRET_RULE = "must be ${ENV_NAME}: secrets are never written in the clusters file";

/** A value written in the file, or `${ENV_NAME}`. */
const valueOrEnv = z.string().min(1, "must not be empty");
const secretFromEnv = (fileField: string) => z.string().regex(ENV_REF, `${SECRET_RULE} (or use ${fileField})`);
export const filePath = z.string().min(1, "must be a file path");

/** At most one of `field` and `fieldFile`. */
export function oneSource(value: Record<string, unknown>, ctx: z.RefinementCtx, field: string) {
  if (value[field] !== undefined && value[`${field}File`] !== undefined) {
    ctx.addIssue({ code: "custom", path: [field], message: `set ${field} or ${field}File, not both` });
  }
}

const tlsFileSchema = z
  .strictObject({
    ca: valueOrEnv.optional(),
    caFile: filePath.optional(),
    cert: valueOrEnv.optional(),
    certFile: filePath.optional(),
    key: secretFromEnv("keyFile").optional(),
    keyFile: filePath.optional(),
    servername: z.string().min(1).optional(),
    rejectUnauthorized: z.boolean().default(true),
  })
  .superRefine((tls, ctx) => {
    for (const field of ["ca", "cert", "key"]) oneSource(tls, ctx, field);
    const hasCert = tls.cert !== undefined || tls.certFile !== undefined;
    const hasKey = tls.key !== undefined || tls.keyFile !== undefined;
    if (hasCert !== hasKey) {
      ctx.addIssue({ code: "custom", path: [hasCert ? "key" : "cert"], message: "a client certificate needs both cert(File) and key(File)" });
    }
  });

const saslFileSchema = z
  .strictObject({
    mechanism: z.preprocess((v) => (typeof v === "string" ? v.toLowerCase() : v), z.enum(SASL_MECHANISMS)),
    username: valueOrEnv,
    password: secretFromEnv("passwordFile").optional(),
    passwordFile: filePath.optional(),
  })
  .superRefine((sasl, ctx) => {
    oneSource(sasl, ctx, "password");
    if (sasl.password === undefined && sasl.passwordFile === undefined) {
      ctx.addIssue({ code: "custom", path: ["password"], message: "required: password: ${ENV_NAME} or passwordFile" });
    }
  });

const clusterFileSchema = z.strictObject({
  name: z.string().regex(CLUSTER_NAME, CLUSTER_NAME_RULE),
  brokers: z.preprocess(
    (v) => (typeof v === "string" ? v.split(",").map((b) => b.trim()).filter(Boolean) : v),
    z.array(z.string().regex(BROKER, "each broker must be host:port")).min(1, "must list at least one broker"),
  ),
  clientId: z.string().min(1).optional(),
  pollIntervalMs: z.number().int().min(1000, "must be at least 1000 ms").optional(),
  sampleIntervalMs: z.number().int().min(0).optional(),
  security: z
    .strictObject({
      /** `tls: true` uses the system's CAs. */
      tls: z.union([z.literal(true), tlsFileSchema]).optional(),
      sasl: saslFileSchema.optional(),
    })
    .optional(),
});

/**
 * The file's outline; each cluster is checked on its own so that one bad entry hides nothing about the others.
 * `notifications` is lib/config/notifications.ts's.
 */
const clustersFileSchema = z.strictObject({
  clusters: z.array(z.unknown()).min(1, "must list at least one cluster"),
  notifications: z.unknown().optional(),
});

/** Names used twice, checked on the raw file: zod skips refinements of a file that has other problems. */
function duplicateNames(raw: unknown): { path: PropertyKey[]; message: string }[] {
  const clusters = (raw as { clusters?: unknown })?.clusters;
  if (!Array.isArray(clusters)) return [];
  const seen = new Set<unknown>();
  return clusters.flatMap((c, i) => {
    const name = (c as { name?: unknown })?.name;
    if (typeof name !== "string") return [];
    const duplicate = seen.has(name);
    seen.add(name);
    return duplicate ? [{ path: ["clusters", i, "name"], message: `duplicate cluster name "${name}"` }] : [];
  });
}

type ClusterFileEntry = z.infer<typeof clusterFileSchema>;

/** "cluster "prod" (clusters[0]): security.sasl.password" for an issue path into the parsed file. */
function describeLocation(raw: unknown, issuePath: readonly PropertyKey[]): string {
  if (issuePath[0] !== "clusters" || typeof issuePath[1] !== "number") return issuePath.map(String).join(".") || "(file)";
  const index = issuePath[1];
  const entry = (raw as { clusters?: unknown[] })?.clusters?.[index] as { name?: unknown } | undefined;
  const name = typeof entry?.name === "string" ? `"${entry.name}" ` : "";
  const field = issuePath.slice(2).map(String).join(".");
  return `cluster ${name}(clusters[${index}])${field ? `: ${field}` : ""}`;
}

/** Resolves `${ENV}` values and `*File` paths (relative to the clusters file), collecting what is missing. */
export class SecretResolver {
  constructor(
    private readonly dir: string,
    private readonly source: Record<string, string | undefined>,
    readonly issues: string[],
  ) {}

  value(value: string | undefined, where: string): string | undefined {
    if (value === undefined) return undefined;
    const ref = ENV_REF.exec(value);
    if (!ref) return value;
    const resolved = this.source[ref[1]];
    if (resolved === undefined || resolved === "") {
      this.issues.push(`${where}: environment variable ${ref[1]} is not set`);
      return undefined;
    }
    return resolved;
  }

  file(file: string | undefined, where: string): string | undefined {
    if (file === undefined) return undefined;
    const absolute = path.resolve(this.dir, file);
    try {
      // Secrets written with `echo` end in a newline that is not part of the secret.
      return readFileSync(absolute, "utf8").replace(/\r?\n$/, "");
    } catch (error) {
      this.issues.push(`${where}: cannot read ${absolute} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      return undefined;
    }
  }

  either(entry: Record<string, unknown>, field: string, where: string): string | undefined {
    return (
      this.value(entry[field] as string | undefined, `${where}.${field}`) ??
      this.file(entry[`${field}File`] as string | undefined, `${where}.${field}File`)
    );
  }
}

function resolveCluster(entry: ClusterFileEntry, index: number, resolver: SecretResolver): ClusterConfig {
  const where = `cluster "${entry.name}" (clusters[${index}]): security`;
  const tls = entry.security?.tls;
  const sasl = entry.security?.sasl;
  let ssl: ClusterConfig["ssl"] = false;
  if (tls === true) ssl = true;
  else if (tls) {
    const settings = {
      ca: resolver.either(tls, "ca", `${where}.tls`),
      cert: resolver.either(tls, "cert", `${where}.tls`),
      key: resolver.either(tls, "key", `${where}.tls`),
      servername: tls.servername,
      rejectUnauthorized: tls.rejectUnauthorized,
    };
    ssl = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
  }
  return {
    name: entry.name,
    brokers: entry.brokers,
    clientId: entry.clientId ?? "kafka-eos-auditor",
    pollIntervalMs: entry.pollIntervalMs,
    sampleIntervalMs: entry.sampleIntervalMs,
    ssl,
    sasl: sasl && {
      mechanism: sasl.mechanism,
      username: resolver.value(sasl.username, `${where}.sasl.username`) ?? "",
      password: resolver.either(sasl, "password", `${where}.sasl`) ?? "",
    },
  };
}

/** The clusters file parsed (JSON is YAML too), with the heading its errors go under. */
export function readClustersDocument(file: string): { absolute: string; heading: string; raw: unknown } {
  const absolute = path.resolve(file);
  const heading = `Invalid clusters file ${absolute}`;
  let text: string;
  try {
    text = readFileSync(absolute, "utf8");
  } catch (error) {
    throw new ConfigError([`cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`], heading);
  }
  try {
    return { absolute, heading, raw: parseYaml(text) };
  } catch (error) {
    throw new ConfigError([(error as Error).message.replace(/\n[\s\S]*/, "")], heading);
  }
}

/**
 * Reads and validates a clusters file. Every problem (schema, missing variables, unreadable files) is reported
 * in one ConfigError naming the file, the cluster and the field.
 */
export function loadClustersFile(file: string, source: Record<string, string | undefined> = process.env): ClusterConfig[] {
  const { absolute, heading, raw } = readClustersDocument(file);
  const describe = (issues: readonly { path: readonly PropertyKey[]; message: string }[]) =>
    issues.map((i) => `${describeLocation(raw, i.path)}: ${i.message}`);
  const outline = clustersFileSchema.safeParse(raw);
  if (!outline.success) throw new ConfigError(describe(outline.error.issues), heading);
  // Schema problems, then missing variables and unreadable files, of every cluster: all in one message.
  const issues: string[] = [];
  const resolver = new SecretResolver(path.dirname(absolute), source, issues);
  const clusters = outline.data.clusters.flatMap((entry, i) => {
    const parsed = clusterFileSchema.safeParse(entry);
    if (parsed.success) return [resolveCluster(parsed.data, i, resolver)];
    issues.push(...describe(parsed.error.issues.map((issue) => ({ ...issue, path: ["clusters", i, ...issue.path] }))));
    return [];
  });
  issues.push(...describe(duplicateNames(raw)));
  if (issues.length) throw new ConfigError(issues, heading);
  return clusters;
}

/** The clusters an environment describes: its CLUSTERS_FILE, else the KAFKA_BROKERS shortcut. */
export function clustersFromEnv(source: Record<string, string | undefined>): ClusterConfig[] {
  const parsed = parseEnv(source);
  if (parsed.CLUSTERS_FILE) return loadClustersFile(parsed.CLUSTERS_FILE, source);
  return [clusterConfig({ name: parsed.KAFKA_CLUSTER_NAME, brokers: parsed.KAFKA_BROKERS })];
}

/** `node:util` parseArgs options of the tools that take a cluster (with clusterForCli) and print JSON on request. */
export const CLUSTER_CLI_OPTIONS = {
  brokers: { type: "string" },
  cluster: { type: "string" },
  name: { type: "string" },
  json: { type: "boolean", default: false },
} as const;

/**
 * The cluster a command-line tool targets: `--brokers` (plaintext, named by `--name`), `--cluster NAME` from the
 * configuration (CLUSTERS_FILE), or the only configured cluster.
 */
export function clusterForCli(
  args: { brokers?: string; cluster?: string; name?: string },
  source: Record<string, string | undefined> = process.env,
): ClusterConfig {
  if (args.brokers !== undefined && args.cluster !== undefined) throw new ConfigError(["use --brokers or --cluster, not both"]);
  if (args.brokers !== undefined) {
    const parsed = parseEnv({ KAFKA_BROKERS: args.brokers, KAFKA_CLUSTER_NAME: args.name ?? source.KAFKA_CLUSTER_NAME });
    return clusterConfig({ name: parsed.KAFKA_CLUSTER_NAME, brokers: parsed.KAFKA_BROKERS });
  }
  const clusters = clustersFromEnv(source);
  const names = clusters.map((c) => c.name).join(", ");
  if (args.cluster === undefined) {
    if (clusters.length > 1) throw new ConfigError([`${clusters.length} clusters are configured: pass --cluster with one of ${names}`]);
    return clusters[0];
  }
  const found = clusters.find((c) => c.name === args.cluster);
  if (!found) throw new ConfigError([`--cluster: no cluster named "${args.cluster}" is configured (configured: ${names})`]);
  return found;
}

let cached: ClusterConfig[] | undefined;

/** The clusters this process monitors, loaded (and validated) on first use. */
export function configuredClusters(): ClusterConfig[] {
  env(); // the environment's own problems first
  cached ??= clustersFromEnv(process.env);
  return cached;
}

/** One configured cluster by name; undefined when the configuration has none of that name. */
export function configuredCluster(name: string): ClusterConfig | undefined {
  return configuredClusters().find((c) => c.name === name);
}
