import type { FindingNotificationDto } from "./dto";
import { formatTimestamp } from "./format";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** "slack-oncall: opened, delivered 2026-11-30 11:53:31 UTC after 2 attempts" and the like. */
export function notificationSummary(n: FindingNotificationDto): string {
  const what = `${n.target}: ${n.transition === "escalated" ? `escalated to ${n.severity}` : n.transition}`;
  const attempts = n.attempts > 1 ? ` after ${plural(n.attempts, "attempt")}` : "";
  if (n.status === "delivered") return `${what}, delivered ${formatTimestamp(n.deliveredAt)}${attempts}`;
  const error = n.lastError ? ` (${n.lastError})` : "";
  if (n.status === "failed") return `${what}, not delivered: gave up after ${plural(n.attempts, "attempt")}${error}`;
  return n.attempts === 0 ? `${what}, sending` : `${what}, retrying after ${plural(n.attempts, "failed attempt")}${error}`;
}
