import type { NextRequest } from "next/server";
import { gate } from "@/lib/auth/gate";

// Next 16's request proxy (formerly middleware.ts), on the Node runtime: authentication and security headers
// for every request (lib/auth/gate.ts).
export function proxy(request: NextRequest) {
  return gate(request);
}
