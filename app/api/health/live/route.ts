import { NextResponse } from "next/server";
import { pingDatabase } from "@/lib/store/health";
import { liveness } from "@/lib/ui/health";

export const dynamic = "force-dynamic";

/** Liveness for orchestrators: 200 while the process and its database work, whatever Kafka does. */
export async function GET(): Promise<Response> {
  const { status, body } = await liveness(() => pingDatabase());
  return NextResponse.json(body, { status, headers: { "cache-control": "no-store" } });
}
