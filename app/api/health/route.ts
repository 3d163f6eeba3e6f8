import { NextResponse } from "next/server";
import { env } from "@/lib/config/env";
import { listClusters } from "@/lib/store/queries";
import { dataFreshness } from "@/lib/ui/health";

export const dynamic = "force-dynamic";

/**
 * Readiness and freshness for monitoring and load balancers: 503 when the database is unreachable or every
 * cluster's data is stale. Not a liveness probe: a Kafka outage makes it 503 (see /api/health/live).
 */
export async function GET(): Promise<Response> {
  const { status, body } = await dataFreshness(() => listClusters(), env().POLL_INTERVAL_MS, Date.now());
  return NextResponse.json(body, { status, headers: { "cache-control": "no-store" } });
}
