import { checkRole, currentAuth } from "@/lib/auth/server";
import { abortHangingTransaction, serverAbortDependencies } from "./abort";

/** The abort as the API route runs it: any signed-in user may ask (refusals are audited too), the verb decides. */
export async function abortFinding(cluster: string, findingId: string, confirm: string) {
  const identity = checkRole(await currentAuth(), "viewer");
  const { audit, aborted } = await abortHangingTransaction({ cluster, findingId, confirm, identity }, serverAbortDependencies());
  return { outcome: audit.outcome, auditId: audit.id, aborted };
}
