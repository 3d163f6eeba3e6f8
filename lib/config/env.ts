import path from "node:path";
import { z } from "zod";

// Environment configuration, validated once at start-up so a typo fails fast with a readable message
// instead of surfacing later as a broken poll. Several clusters come from CLUSTERS_FILE (lib/config/clusters.ts);
// without it, KAFKA_BROKERS and KAFKA_CLUSTER_NAME describe the single cluster.

const brokerList = z
  .string()
  .trim()
  .min(1, "must list at least one broker")
  .transform((s) => s.split(",").map((b) => b.trim()).filter(Boolean))
  .pipe(
    z
      .array(z.string().regex(/^[^\s:]+:\d{1,5}$/, "each broker must be host:port"))
      .min(1, "must list at least one broker"),
  );

const commaList = z
  .string()
  .transform((s) => s.split(",").map((v) => v.trim()).filter(Boolean));
const sha256Hex = z.string().trim().regex(/^[0-9a-fA-F]{64}$/, "must be 64 hex digits (sha256 of the token)").transform((s) => s.toLowerCase());
const plainToken = z.string().min(16, "must be at least 16 characters");
const headerName = z.string().trim().regex(/^[A-Za-z0-9-]{1,64}$/, "must be an HTTP header name").transform((s) => s.toLowerCase());

// Access control (lib/auth). Each field is checked here; the rules across fields (a mode's required
// settings, `none` only on loopback) are checked by lib/auth/config.ts when the web server starts.
const authEnv = {
  AUTH_MODE: z.enum(["none", "token", "proxy"]).default("none"),
  /** The address `next dev` or a standalone server listens on; `next start -H` on its own command line wins. */
  LISTEN_HOST: z.string().trim().min(1).optional(),
  AUTH_VIEWER_TOKEN: plainToken.optional(),
  AUTH_VIEWER_TOKEN_SHA256: sha256Hex.optional(),
  AUTH_OPERATOR_TOKEN: plainToken.optional(),
  AUTH_OPERATOR_TOKEN_SHA256: sha256Hex.optional(),
  AUTH_SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  AUTH_SESSION_TTL_MS: z.coerce.number().int().min(60_000, "must be at least 60000 ms").default(12 * 3600_000),
  AUTH_PROXY_TRUSTED: commaList.optional(),
  AUTH_PROXY_USER_HEADER: headerName.default("x-forwarded-user"),
  AUTH_PROXY_EMAIL_HEADER: headerName.default("x-forwarded-email"),
  AUTH_PROXY_GROUPS_HEADER: headerName.default("x-forwarded-groups"),
  AUTH_PROXY_OPERATOR_GROUPS: commaList.default([]),
  AUTH_PROXY_VIEWER_GROUPS: commaList.default([]),
  // The SSO proxy's sign-out address, e.g. oauth2-proxy's /oauth2/sign_out on the same host.
  AUTH_PROXY_LOGOUT_URL: z.union([z.url({ protocol: /^https?$/ }), z.string().regex(/^\/(?![/\\])/, "must be an http(s) URL or a path")]).optional(),
  // A scrape token valid for /api/metrics only, so Prometheus needs neither a viewer token nor the SSO proxy.
  METRICS_TOKEN: plainToken.optional(),
  METRICS_TOKEN_SHA256: sha256Hex.optional(),
};

const httpUrl = z.url({ protocol: /^https?$/, message: "must be an http(s) URL" });

// One outgoing webhook without a clusters file (lib/config/notifications.ts; the file's `notifications:` has more).
const notificationEnv = {
  WEBHOOK_URL: httpUrl.optional(),
  WEBHOOK_FORMAT: z.enum(["json", "slack"]).default("json"),
  WEBHOOK_MIN_SEVERITY: z.enum(["info", "warning", "critical"]).default("warning"),
};

export const envSchema = z.object({
  CLUSTERS_FILE: z.string().trim().optional(),
  KAFKA_BROKERS: brokerList.default(["127.0.0.1:9092"]),
  KAFKA_CLUSTER_NAME: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, "letters, digits, '.', '_' or '-' (1 to 64 characters)")
    .default("local"),
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^(file:|postgres(ql)?:\/\/)/, "must start with file: (SQLite) or postgresql:// (PostgreSQL)")
    .default(`file:${path.join(process.cwd(), "data", "auditor.db")}`),
  POLL_INTERVAL_MS: z.coerce.number().int().min(1000, "must be at least 1000 ms").default(15000),
  // Per-poll history (charts, time travel) is kept at most this often; 0 keeps every poll (every poll still
  // updates the current state and findings). History blocks cost about 8 KB a poll at 5,000 partitions.
  HISTORY_SAMPLE_INTERVAL_MS: z.coerce.number().int().min(0).default(0),
  // /api/metrics: per-partition series for partitions with open transactions or consuming groups only
  // ("active"), or for every partition ("all": one series per partition and family, mind the cardinality).
  METRICS_PARTITIONS: z.enum(["active", "all"]).default("active"),
  // The dashboard's address as on-call engineers reach it; alert rules build their links from it (eos_auditor_info).
  DASHBOARD_URL: z.url({ protocol: /^https?$/ }).transform((s) => s.replace(/\/+$/, "")).optional(),
  // The guarded abort of a hanging transaction (lib/remediation) writes to Kafka: off unless asked for.
  ALLOW_REMEDIATION: z.enum(["true", "false"], "must be true or false").default("false").transform((v) => v === "true"),
  ...authEnv,
  ...notificationEnv,
});

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  constructor(issues: string[], heading = "Invalid configuration") {
    super(`${heading}:\n${issues.map((i) => `  - ${i}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Parses an environment; throws ConfigError listing every problem at once. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  // Empty strings mean "unset" so that `FOO= npm start` falls back to the default.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = envSchema.safeParse(cleaned);
  const issues = result.success ? [] : result.error.issues.map((i) => `${i.path.join(".") || "env"}: ${i.message}`);
  // Both set would leave one silently ignored.
  for (const single of ["KAFKA_BROKERS", "KAFKA_CLUSTER_NAME"]) {
    if (cleaned.CLUSTERS_FILE && cleaned[single]) issues.push(`${single}: set either CLUSTERS_FILE or ${single}, not both`);
  }
  if (!result.success || issues.length) throw new ConfigError(issues);
  return result.data;
}

let cached: Env | undefined;

/** The process environment, parsed on first use. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
