import { SEVERITY_RANK } from "@/lib/analysis/findings";
import type { WebhookTarget } from "@/lib/config/notifications";
import {
  claimDelivery,
  fanOutNotifications,
  pendingDeliveries,
  recordDeliveryAttempt,
  type DeliveryOutcome,
  type NotificationRecord,
  type PendingDelivery,
} from "@/lib/store/notifications";
import { db, type Db } from "@/lib/store/db";
import { jsonBody, slackBody } from "./bodies";
import { postWebhook, WebhookError, type WebhookSender } from "./transport";

// The outbox's consumer: `run(now)` fans new transitions out to the matching webhooks and sends what is due,
// oldest first per webhook, with exponential backoff. It runs beside the poller (lib/notify/notifier.ts) and
// never inside a poll; runs may overlap, each webhook being served by one run at a time. A send and its "delivered" mark are not atomic: after a crash between the two the
// receiver gets the notification again, with the same id (at-least-once delivery, deduplicated by id).

export interface RetryPolicy {
  /** Delay after the first failed attempt; doubled after each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Attempts before giving up. */
  maxAttempts: number;
  /** A transition older than this is not sent any more (and not fanned out to a webhook added later). */
  maxAgeMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseDelayMs: 5_000,
  maxDelayMs: 10 * 60_000,
  maxAttempts: 10,
  maxAgeMs: 6 * 3_600_000,
};

/** Delay before the attempt after `failedAttempts` failures: doubling, capped, ±20 % jitter; at least Retry-After. */
export function retryDelayMs(failedAttempts: number, policy: RetryPolicy, random: () => number, retryAfterMs: number | null = null): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failedAttempts - 1));
  const jittered = exponential * (0.8 + 0.4 * random());
  return Math.round(Math.min(policy.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0)));
}

/** Whether a webhook's filters let a notification through. */
export function targetWants(target: WebhookTarget, n: NotificationRecord): boolean {
  return (
    target.transitions.includes(n.transition) &&
    SEVERITY_RANK[n.severity] >= SEVERITY_RANK[target.minSeverity] &&
    (target.clusters === null || target.clusters.includes(n.cluster)) &&
    (target.kinds === null || target.kinds.includes(n.finding.kind))
  );
}

export function webhookBody(target: WebhookTarget, n: NotificationRecord): unknown {
  return target.format === "slack" ? slackBody(n, target.dashboardUrl) : jsonBody(n, target.dashboardUrl);
}

export interface DeliveryRunReport {
  fannedOut: number;
  delivered: number;
  retrying: number;
  failed: number;
}

export interface DelivererLogger {
  warn(message: string): void;
}

export interface DelivererOptions {
  targets: readonly WebhookTarget[];
  policy?: Partial<RetryPolicy>;
  database?: Db;
  send?: WebhookSender;
  random?: () => number;
  /** Monotonic milliseconds, to advance `now` through a run's sends. */
  monotonic?: () => number;
  log?: DelivererLogger;
  /** Pending deliveries looked at per run. */
  batchSize?: number;
}

export interface Deliverer {
  run(now: Date): Promise<DeliveryRunReport>;
}

/** Beyond the request timeout, before another deliverer may take over a claimed delivery. */
const LEASE_MARGIN_MS = 5_000;

export function createDeliverer(options: DelivererOptions): Deliverer {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
  const send = options.send ?? postWebhook;
  const random = options.random ?? Math.random;
  const monotonic = options.monotonic ?? (() => performance.now());
  const log = options.log ?? { warn: (m: string) => console.warn(`[notify] ${m}`) };
  const targets = new Map(options.targets.map((t) => [t.name, t]));
  const batchSize = options.batchSize ?? 500;
  const busy = new Set<string>();

  return {
    async run(now) {
      const database = options.database ?? db();
      const started = monotonic();
      const clock = () => new Date(now.getTime() + (monotonic() - started));
      const report: DeliveryRunReport = { fannedOut: 0, delivered: 0, retrying: 0, failed: 0 };
      report.fannedOut = await fanOutNotifications(
        (n) => options.targets.filter((t) => targetWants(t, n)).map((t) => t.name),
        { now, maxAgeMs: policy.maxAgeMs },
        database,
      );
      // Per webhook, so that one with a long backlog (down for hours) does not starve the others.
      const names = [...targets.keys()];
      const byTarget = new Map<string, PendingDelivery[]>();
      for (const name of names) byTarget.set(name, await pendingDeliveries({ in: [name] }, batchSize, database));
      for (const d of await pendingDeliveries({ notIn: names }, batchSize, database)) {
        byTarget.set(d.target, [...(byTarget.get(d.target) ?? []), d]);
      }

      const record = async (d: PendingDelivery, outcome: DeliveryOutcome) => {
        await recordDeliveryAttempt(d.id, outcome, database);
        if (outcome.status === "delivered") report.delivered += 1;
        else if (outcome.status === "pending") report.retrying += 1;
        else report.failed += 1;
        if (outcome.status !== "delivered") {
          log.warn(`${d.target}: ${d.notification.notificationId} attempt ${d.attempts + 1} failed${outcome.status === "failed" ? ", giving up" : ""}: ${outcome.error}`);
        }
      };

      const attempt = async (target: WebhookTarget, d: PendingDelivery): Promise<DeliveryOutcome> => {
        const n = d.notification;
        try {
          await send({ url: target.url, body: webhookBody(target, n), idempotencyKey: n.notificationId, timeoutMs: target.timeoutMs });
          return { status: "delivered", at: clock() };
        } catch (error) {
          const at = clock();
          const webhookError = error instanceof WebhookError ? error : null;
          const message = webhookError?.message ?? `unexpected: ${(error as Error)?.message ?? String(error)}`;
          const attempts = d.attempts + 1;
          if (webhookError && !webhookError.retryable) return { status: "failed", at, error: message };
          if (attempts >= policy.maxAttempts) return { status: "failed", at, error: `${message} (after ${attempts} attempts)` };
          const nextAttemptAt = new Date(at.getTime() + retryDelayMs(attempts, policy, random, webhookError?.retryAfterMs ?? null));
          if (nextAttemptAt.getTime() - n.at.getTime() > policy.maxAgeMs) {
            return { status: "failed", at, error: `${message} (older than ${policy.maxAgeMs} ms before the next attempt)` };
          }
          return { status: "pending", at, error: message, nextAttemptAt };
        }
      };

      // Webhooks are independent (one that hangs delays only itself); within one, a finding's notifications go
      // out in order: a later one waits while an earlier one is retried.
      const deliverTo = async (name: string, deliveries: PendingDelivery[]) => {
        const target = targets.get(name);
        const waiting = new Set<string>();
        for (const d of deliveries) {
          const finding = d.notification.finding.id;
          if (!target) {
            await record(d, { status: "failed", at: clock(), error: `webhook "${name}" is no longer configured` });
            continue;
          }
          if (waiting.has(finding)) continue;
          if (d.nextAttemptAt.getTime() > clock().getTime()) {
            waiting.add(finding);
            continue;
          }
          if (!(await claimDelivery(d, new Date(clock().getTime() + target.timeoutMs + LEASE_MARGIN_MS), database))) {
            waiting.add(finding);
            continue;
          }
          const outcome = await attempt(target, d);
          if (outcome.status === "pending") waiting.add(finding);
          await record(d, outcome);
        }
      };

      // A webhook still busy with an earlier run's sends (one that hangs until its timeout) is left to that run.
      const free = [...byTarget].filter(([name]) => !busy.has(name));
      await Promise.all(
        free.map(async ([name, deliveries]) => {
          busy.add(name);
          try {
            await deliverTo(name, deliveries);
          } finally {
            busy.delete(name);
          }
        }),
      );
      return report;
    },
  };
}
