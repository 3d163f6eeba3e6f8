import { hasRole } from "@/lib/auth/identity";
import { currentAuth } from "@/lib/auth/server";
import { env } from "@/lib/config/env";

/** Whether the finding page offers the abort button to this request's user (the API checks again). */
export async function canAbortFromDashboard(): Promise<boolean> {
  const auth = await currentAuth();
  return env().ALLOW_REMEDIATION && auth.ok && hasRole(auth.identity, "operator");
}
