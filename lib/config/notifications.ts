import path from "node:path";
import { z } from "zod";
import type { FindingSeverity, NotificationTransition } from "@/lib/store/types";
import { ENV_REF, SecretResolver, clustersFromEnv, filePath, oneSource, readClustersDocument } from "./clusters";
import { ConfigError, env, parseEnv } from "./env";

// Outgoing webhooks (lib/notify): the `notifications:` section of the clusters file, or one webhook from
// WEBHOOK_URL. A Slack webhook URL is itself the secret, so in the file it is `${ENV_NAME}` or `urlFile:`, like
// the clusters' passwords. Server-only.

export const NOTIFICATION_FORMATS = ["json", "slack"] as const;
export type NotificationFormat = (typeof NOTIFICATION_FORMATS)[number];
const SEVERITIES = ["info", "warning", "critical"] as const satisfies readonly FindingSeverity[];
const TRANSITIONS = ["opened", "escalated", "resolved"] as const satisfies readonly NotificationTransition[];
const DEFAULT_MIN_SEVERITY: FindingSeverity = "warning";
const DEFAULT_TIMEOUT_MS = 10_000;
/** The env shortcut's webhook name (in delivery records and on finding pages). */
export const ENV_WEBHOOK_NAME = "webhook";

/** One webhook, secrets resolved. A null filter lets everything through. */
export interface WebhookTarget {
  name: string;
  url: string;
  format: NotificationFormat;
  minSeverity: FindingSeverity;
  clusters: string[] | null;
  kinds: string[] | null;
  transitions: NotificationTransition[];
  /** Base address of the dashboard for links; none without it. */
  dashboardUrl: string | null;
  timeoutMs: number;
}

const WEBHOOK_NAME = /^[A-Za-z0-9._-]{1,64}$/;
const httpUrl = z.url({ protocol: /^https?$/, message: "must be an http(s) URL" });

const webhookFileSchema = z
  .strictObject({
    name: z.string().regex(WEBHOOK_NAME, "webhook name: letters, digits, '.', '_' or '-' (1 to 64 characters)"),
    format: z.enum(NOTIFICATION_FORMATS).default("json"),
    url: z.string().min(1, "must not be empty").optional(),
    urlFile: filePath.optional(),
    minSeverity: z.enum(SEVERITIES).default(DEFAULT_MIN_SEVERITY),
    clusters: z.array(z.string().min(1)).min(1, "omit it to notify about every cluster").optional(),
    kinds: z.array(z.string().regex(/^[a-z0-9-]+$/, "a finding kind, e.g. hanging-transaction")).min(1, "omit it to notify about every kind").optional(),
    transitions: z.array(z.enum(TRANSITIONS)).min(1, "omit it for every transition").optional(),
    dashboardUrl: httpUrl.optional(),
    timeoutMs: z.number().int().min(100).max(60_000).default(DEFAULT_TIMEOUT_MS),
  })
  .superRefine((hook, ctx) => {
    oneSource(hook, ctx, "url");
    if (hook.url === undefined && hook.urlFile === undefined) {
      ctx.addIssue({ code: "custom", path: ["url"], message: "required: url or urlFile" });
    }
    if (hook.format === "slack" && hook.url !== undefined && !ENV_REF.test(hook.url)) {
      ctx.addIssue({ code: "custom", path: ["url"], message: "must be ${ENV_NAME}: a Slack webhook URL is a secret (or use urlFile)" });
    }
  });

const notificationsFileSchema = z.strictObject({
  dashboardUrl: httpUrl.optional(),
  webhooks: z.array(z.unknown()).min(1, "must list at least one webhook"),
});

function describeLocation(raw: unknown, issuePath: readonly PropertyKey[]): string {
  const hooks = (raw as { notifications?: { webhooks?: unknown[] } })?.notifications?.webhooks;
  if (issuePath[0] !== "webhooks" || typeof issuePath[1] !== "number") return ["notifications", ...issuePath.map(String)].join(".");
  const name = (hooks?.[issuePath[1]] as { name?: unknown } | undefined)?.name;
  const field = issuePath.slice(2).map(String).join(".");
  return `webhook ${typeof name === "string" ? `"${name}" ` : ""}(notifications.webhooks[${issuePath[1]}])${field ? `: ${field}` : ""}`;
}

/** The webhooks of a clusters file's `notifications:` section ([] without one), checked against its cluster names. */
export function loadNotificationsFile(
  file: string,
  clusterNames: readonly string[],
  source: Record<string, string | undefined> = process.env,
  defaultDashboardUrl: string | null = null,
): WebhookTarget[] {
  const { absolute, heading, raw } = readClustersDocument(file);
  const section = (raw as { notifications?: unknown })?.notifications;
  if (section === undefined || section === null) return [];
  const describe = (issues: readonly { path: readonly PropertyKey[]; message: string }[]) =>
    issues.map((i) => `${describeLocation(raw, i.path)}: ${i.message}`);
  const outline = notificationsFileSchema.safeParse(section);
  if (!outline.success) throw new ConfigError(describe(outline.error.issues), heading);

  const issues: string[] = [];
  const resolver = new SecretResolver(path.dirname(absolute), source, issues);
  const seen = new Set<string>();
  const targets = outline.data.webhooks.flatMap((entry, i): WebhookTarget[] => {
    const parsed = webhookFileSchema.safeParse(entry);
    if (!parsed.success) {
      issues.push(...describe(parsed.error.issues.map((issue) => ({ ...issue, path: ["webhooks", i, ...issue.path] }))));
      return [];
    }
    const hook = parsed.data;
    const where = describeLocation(raw, ["webhooks", i]);
    if (seen.has(hook.name)) issues.push(`${where}: name: duplicate webhook name "${hook.name}"`);
    seen.add(hook.name);
    const unknown = (hook.clusters ?? []).filter((c) => !clusterNames.includes(c));
    if (unknown.length) issues.push(`${where}: clusters: no cluster named ${unknown.map((c) => `"${c}"`).join(", ")} is configured`);
    const url = resolver.either(hook, "url", where);
    // The URL is a secret: the message never repeats it.
    if (url !== undefined && !httpUrl.safeParse(url).success) issues.push(`${where}: url: must be an http(s) URL`);
    return [
      {
        name: hook.name,
        url: url ?? "",
        format: hook.format,
        minSeverity: hook.minSeverity,
        clusters: hook.clusters ?? null,
        kinds: hook.kinds ?? null,
        transitions: hook.transitions ?? [...TRANSITIONS],
        dashboardUrl: hook.dashboardUrl ?? outline.data.dashboardUrl ?? defaultDashboardUrl,
        timeoutMs: hook.timeoutMs,
      },
    ];
  });
  if (issues.length) throw new ConfigError(issues, heading);
  return targets;
}

/** The webhooks an environment describes: its clusters file's `notifications:`, else WEBHOOK_URL, else none. */
export function notificationsFromEnv(source: Record<string, string | undefined>): WebhookTarget[] {
  const parsed = parseEnv(source);
  const dashboardUrl = parsed.DASHBOARD_URL ?? null;
  const fromFile = parsed.CLUSTERS_FILE
    ? loadNotificationsFile(parsed.CLUSTERS_FILE, clustersFromEnv(source).map((c) => c.name), source, dashboardUrl)
    : [];
  if (!parsed.WEBHOOK_URL) return fromFile;
  if (fromFile.length) throw new ConfigError(["WEBHOOK_URL: set either WEBHOOK_URL or the clusters file's notifications section, not both"]);
  return [
    {
      name: ENV_WEBHOOK_NAME,
      url: parsed.WEBHOOK_URL,
      format: parsed.WEBHOOK_FORMAT,
      minSeverity: parsed.WEBHOOK_MIN_SEVERITY,
      clusters: null,
      kinds: null,
      transitions: [...TRANSITIONS],
      dashboardUrl,
      timeoutMs: DEFAULT_TIMEOUT_MS,
    },
  ];
}

let cached: WebhookTarget[] | undefined;

/** The webhooks this process notifies, loaded (and validated) on first use. */
export function configuredNotifications(): WebhookTarget[] {
  env();
  cached ??= notificationsFromEnv(process.env);
  return cached;
}
