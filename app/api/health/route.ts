import { NextResponse } from "next/server";
import { env } from "@/lib/config/env";
import { listClusters } from "@/lib/store/queries";
import { freshness } from "@/lib/ui/freshness";

export const dynamic = "force-dynamic";

/**
 * Liveness for load balancers and the on-call: 503 when the database is unreachable or every cluster's data is
 * stale. Open without sign-in, so it names no cluster: only counts and times.
 */
export async function GET(): Promise<Response> {
  const headers = { "cache-control": "no-store" };
  let clusters;
  try {
    clusters = await listClusters();
  } catch (error) {
    console.error("health: database check failed:", error);
    return NextResponse.json({ status: "error", db: "unreachable", reason: "database query failed", lastPoll: null }, { status: 503, headers });
  }
  const interval = env().POLL_INTERVAL_MS;
  const now = Date.now();
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
  const body = {
    status: allStale ? "degraded" : "ok",
    db: "ok",
    lastPoll: lastPoll?.toISOString() ?? null,
    pollIntervalMs: interval,
    clusters: levels.length,
    ...(allStale ? { reason: `no cluster has been polled successfully in the last ${3 * interval} ms` } : {}),
  };
  return NextResponse.json(body, { status: allStale ? 503 : 200, headers });
}
