// The two health answers, apart so an orchestrator never restarts the auditor for Kafka's trouble:
// liveness = this process and its database work (Kafka is not asked); freshness = the stored Kafka data is recent.
// Both are open without sign-in, so they name no cluster: only counts and times.
import type { ClusterOverview } from "@/lib/store/queries";
import { freshness } from "./freshness";

export interface HealthAnswer {
  status: 200 | 503;
  body: Record<string, unknown>;
}

/** 200 while the database answers, whatever Kafka does. */
export async function liveness(ping: () => Promise<void>): Promise<HealthAnswer> {
  try {
    await ping();
  } catch (error) {
    console.error("health: database check failed:", error);
    return { status: 503, body: { status: "error", db: "unreachable", reason: "database query failed" } };
  }
  return { status: 200, body: { status: "ok", db: "ok" } };
}

/** 503 when the database is unreachable or every cluster's data is stale. */
export async function dataFreshness(loadClusters: () => Promise<ClusterOverview[]>, interval: number, now: number): Promise<HealthAnswer> {
  let clusters;
  try {
    clusters = await loadClusters();
  } catch (error) {
    console.error("health: database check failed:", error);
    return { status: 503, body: { status: "error", db: "unreachable", reason: "database query failed", lastPoll: null } };
  }
  const levels = clusters.map(
    (c) =>
      freshness(
        {
          lastPollAt: c.lastPoll?.startedAt.getTime() ?? null,
          lastPollComplete: c.lastPoll?.complete ?? null,
          lastPollError: c.lastPoll?.error ?? null,
          lastSnapshotAt: c.lastSnapshotAt?.getTime() ?? null,
        },
        interval,
        now,
      ).level,
  );
  const lastPoll = clusters.reduce<Date | null>((max, c) => (c.lastPoll && (!max || c.lastPoll.startedAt > max) ? c.lastPoll.startedAt : max), null);
  const allStale = levels.length > 0 && levels.every((level) => level === "stale" || level === "never");
  return {
    status: allStale ? 503 : 200,
    body: {
      status: allStale ? "degraded" : "ok",
      db: "ok",
      lastPoll: lastPoll?.toISOString() ?? null,
      pollIntervalMs: interval,
      clusters: levels.length,
      ...(allStale ? { reason: `no cluster has been polled successfully in the last ${3 * interval} ms` } : {}),
    },
  };
}
