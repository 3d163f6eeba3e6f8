import { NextResponse } from "next/server";
import { env } from "@/lib/config/env";
import { listClusters } from "@/lib/store/queries";
import { freshness } from "@/lib/ui/freshness";

export const dynamic = "force-dynamic";

/** Liveness for load balancers and the on-call: 503 when the database is unreachable or every cluster's data is stale. */
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
  const perCluster = clusters.map((c) => {
    const lastSnapshotAt = c.lastSnapshotAt?.getTime() ?? null;
    const f = freshness(
      { lastPollAt: c.lastPoll?.startedAt.getTime() ?? null, lastPollComplete: c.lastPoll?.complete ?? null, lastPollError: c.lastPoll?.error ?? null, lastSnapshotAt },
      interval,
      now,
    );
    return { name: c.name, freshness: f.level, lastSnapshotAt: lastSnapshotAt == null ? null : new Date(lastSnapshotAt).toISOString() };
  });
  const lastPoll = clusters.reduce<Date | null>((max, c) => (c.lastPoll && (!max || c.lastPoll.startedAt > max) ? c.lastPoll.startedAt : max), null);
  const allStale = perCluster.length > 0 && perCluster.every((c) => c.freshness === "stale" || c.freshness === "never");
  const body = {
    status: allStale ? "degraded" : "ok",
    db: "ok",
    lastPoll: lastPoll?.toISOString() ?? null,
    pollIntervalMs: interval,
    clusters: perCluster,
    ...(allStale ? { reason: `no cluster has been polled successfully in the last ${3 * interval} ms` } : {}),
  };
  return NextResponse.json(body, { status: allStale ? 503 : 200, headers });
}
