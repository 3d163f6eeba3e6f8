import { configuredClusters, type ClusterConfig } from "@/lib/config/clusters";
import { env } from "@/lib/config/env";
import { configuredNotifications, type WebhookTarget } from "@/lib/config/notifications";
import type { RetryPolicy } from "@/lib/notify/deliverer";
import {
  closeDatabase,
  createClusterLock,
  ensureDatabase,
  getAnalysisState,
  pruneAndRollup,
  recordFailedPoll,
  registerClusters,
  recordPoll,
} from "@/lib/store";
import { startPoller, type Poller, type PollerLogger, type PollerOptions } from "./poller";

// The production wiring: collector (lib/kafka), detectors (lib/analysis) and store (lib/store) around
// startPoller. Used by instrumentation.ts inside Next.js and by scripts/poller.ts standalone.

const MAINTENANCE_EVERY_MS = 3_600_000;
/** Retries are due at their own times; this is how late one may start at most. */
const NOTIFY_EVERY_MS = 5_000;

export interface RunningPoller {
  clusters: string[];
  /** "prod (every 15000 ms), staging (every 60000 ms)", for the start-up log line. */
  description: string;
  stop(): Promise<void>;
}

export async function startDefaultPoller(
  options: {
    clusters?: ClusterConfig[];
    intervalMs?: number;
    log?: PollerLogger;
    onScheduled?: PollerOptions<ClusterConfig>["onScheduled"];
    /** Default: the configured webhooks (lib/config/notifications.ts). */
    notifications?: WebhookTarget[];
    notificationRetry?: Partial<RetryPolicy>;
    /** How often the deliverer looks for due retries (default 5 s); it also runs after each poll with transitions. */
    notifyEveryMs?: number;
  } = {},
): Promise<RunningPoller> {
  const { DATABASE_URL, POLL_INTERVAL_MS, HISTORY_SAMPLE_INTERVAL_MS } = env();
  const clusters = options.clusters ?? configuredClusters();
  const intervalMs = options.intervalMs ?? POLL_INTERVAL_MS;
  await ensureDatabase(DATABASE_URL);
  await registerClusters(clusters, new Date());
  // Imported here, not at the top: Kafka and the detectors load only in the process that polls.
  const [{ ClusterCollector }, { runDetectors }] = await Promise.all([import("@/lib/kafka/collector"), import("@/lib/analysis")]);
  const collectors = new Map(clusters.map((c) => [c.name, new ClusterCollector(c)]));
  const sampleEveryMs = new Map(clusters.map((c) => [c.name, c.sampleIntervalMs ?? HISTORY_SAMPLE_INTERVAL_MS]));
  const lock = createClusterLock(DATABASE_URL);
  const notifications = options.notifications ?? configuredNotifications();
  // The outbox fills either way; without webhooks nothing drains it.
  const notifier = notifications.length ? await startWebhookNotifier(notifications, options.notificationRetry, options.notifyEveryMs ?? NOTIFY_EVERY_MS) : undefined;

  const poller: Poller = startPoller({
    clusters,
    intervalMs,
    collect: (cluster) => collectors.get(cluster.name)!.collect(),
    analyze: (snapshot, previous, now) => {
      const result = runDetectors({ snapshot, previous: previous as Parameters<typeof runDetectors>[0]["previous"], now });
      return { findings: result.findings, state: result.state };
    },
    store: {
      loadAnalysisState: (cluster) => getAnalysisState(cluster),
      recordPoll: async (snapshot, findings, recordOptions) => {
        const recorded = await recordPoll(snapshot, findings, { ...recordOptions, sampleEveryMs: sampleEveryMs.get(snapshot.cluster) ?? HISTORY_SAMPLE_INTERVAL_MS });
        if (recorded.findings.transitions.length) notifier?.kick();
        return recorded;
      },
      recordFailedPoll: (input) => recordFailedPoll(input),
    },
    lock,
    maintenance: { everyMs: MAINTENANCE_EVERY_MS, run: (now) => pruneAndRollup(now) },
    log: options.log,
    onScheduled: options.onScheduled,
  });

  return {
    clusters: clusters.map((c) => c.name),
    description:
      clusters.map((c) => `${c.name} (every ${c.pollIntervalMs ?? intervalMs} ms)`).join(", ") +
      (notifications.length ? `; notifying ${notifications.map((n) => `${n.name} (${n.format})`).join(", ")}` : ""),
    async stop() {
      await poller.stop();
      await notifier?.stop();
      await Promise.all([...collectors.values()].map((c) => c.close()));
      await lock.close();
      await closeDatabase();
    },
  };
}

async function startWebhookNotifier(targets: WebhookTarget[], policy: Partial<RetryPolicy> | undefined, everyMs: number) {
  const { createDeliverer, startNotifier } = await import("@/lib/notify");
  return startNotifier({ deliverer: createDeliverer({ targets, policy }), everyMs });
}
