import { getFinding, getFindingNotifications } from "@/lib/store";
import type { FindingNotificationsDto } from "../dto";
import { NotFoundError } from "./errors";

/** Webhook deliveries of a finding's transitions, oldest transition first. */
export async function loadFindingNotifications(cluster: string, id: string): Promise<FindingNotificationsDto> {
  const f = await getFinding(id);
  if (!f || f.cluster !== cluster) throw new NotFoundError(`No finding ${id} on cluster ${cluster}.`);
  const rows = await getFindingNotifications(id);
  return {
    notifications: rows.map((r) => ({
      target: r.target,
      transition: r.transition,
      severity: r.severity,
      status: r.status,
      attempts: r.attempts,
      deliveredAt: r.deliveredAt?.getTime() ?? null,
      lastError: r.lastError,
    })),
  };
}
