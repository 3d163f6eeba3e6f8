import type { NotificationRecord } from "@/lib/store/notifications";
import { paths } from "@/lib/ui/urls";

// What a webhook receives: a generic JSON document, or a Slack incoming-webhook message. Pure functions of the
// outbox record and the target's dashboard address.

/** Null without a dashboard address. */
export interface NotificationLinks {
  /** This finding's page (open or resolved). */
  finding: string | null;
  /** Stable across occurrences of the same condition: the newest finding with this key. */
  findingKey: string | null;
}

export function notificationLinks(n: NotificationRecord, dashboardUrl: string | null): NotificationLinks {
  if (!dashboardUrl) return { finding: null, findingKey: null };
  const base = dashboardUrl.replace(/\/+$/, "");
  return { finding: `${base}${paths.finding(n.cluster, n.finding.id)}`, findingKey: `${base}${paths.findingByKey(n.cluster, n.finding.key)}` };
}

export interface JsonNotification {
  /** Stable across retries: receivers drop duplicates by it (also sent as the Idempotency-Key header). */
  id: string;
  transition: NotificationRecord["transition"];
  cluster: string;
  kind: string;
  key: string;
  findingId: string;
  severity: NotificationRecord["severity"];
  previousSeverity: NotificationRecord["previousSeverity"];
  title: string;
  summary: string;
  subject: { topic: string | null; partition: number | null; transactionalId: string | null; groupId: string | null; brokerId: number | null };
  /** When the poll that saw the transition was collected. */
  at: string;
  openedAt: string;
  resolvedAt: string | null;
  links: NotificationLinks;
}

export function jsonBody(n: NotificationRecord, dashboardUrl: string | null): JsonNotification {
  const f = n.finding;
  return {
    id: n.notificationId,
    transition: n.transition,
    cluster: n.cluster,
    kind: f.kind,
    key: f.key,
    findingId: f.id,
    severity: n.severity,
    previousSeverity: n.previousSeverity,
    title: f.title,
    summary: f.explanation,
    subject: { topic: f.topic, partition: f.partition, transactionalId: f.transactionalId, groupId: f.groupId, brokerId: f.brokerId },
    at: n.at.toISOString(),
    openedAt: f.firstSeenAt.toISOString(),
    // A resolution is reported with the time it happened even if the row was read before it was stored.
    resolvedAt: (f.resolvedAt ?? (n.transition === "resolved" ? n.at : null))?.toISOString() ?? null,
    links: notificationLinks(n, dashboardUrl),
  };
}

/**
 * Slack mrkdwn control characters. Kafka names are untrusted: escaped, `<!channel>` or `<https://evil|click>` in a
 * transactional id shows as those characters instead of a mention or a link.
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Slack's limit for a section's text is 3,000 characters. */
const SLACK_SECTION_MAX = 2900;

const truncate = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

const TRANSITION_LABEL: Record<NotificationRecord["transition"], string> = {
  opened: ":rotating_light: Opened",
  escalated: ":arrow_up: Escalated",
  resolved: ":white_check_mark: Resolved",
};

function subjectLine(f: NotificationRecord["finding"]): string {
  const parts = [
    f.topic !== null ? `topic ${f.topic}${f.partition !== null ? `-${f.partition}` : ""}` : null,
    f.transactionalId !== null ? `transactional id ${f.transactionalId}` : null,
    f.groupId !== null ? `group ${f.groupId}` : null,
    f.brokerId !== null ? `broker ${f.brokerId}` : null,
  ];
  return parts.filter(Boolean).join(", ");
}

export interface SlackMessage {
  text: string;
  blocks: Record<string, unknown>[];
}

export function slackBody(n: NotificationRecord, dashboardUrl: string | null): SlackMessage {
  const f = n.finding;
  const severity =
    n.previousSeverity !== null ? `${n.previousSeverity} → ${n.severity.toUpperCase()}` : n.severity.toUpperCase();
  const headline = `${TRANSITION_LABEL[n.transition]} · ${severity} · ${escapeSlack(n.cluster)}: ${escapeSlack(f.title)}`;
  const subject = subjectLine(f);
  const times = [`opened ${f.firstSeenAt.toISOString()}`];
  if (n.transition === "resolved") times.push(`resolved ${(f.resolvedAt ?? n.at).toISOString()}`);
  const { finding: link } = notificationLinks(n, dashboardUrl);
  const blocks: Record<string, unknown>[] = [
    { type: "section", text: { type: "mrkdwn", text: truncate(`*${headline}*\n${escapeSlack(f.explanation)}`, SLACK_SECTION_MAX) } },
    {
      type: "context",
      elements: [{ type: "mrkdwn", text: truncate(escapeSlack([f.kind, subject, ...times].filter(Boolean).join(" · ")), SLACK_SECTION_MAX) }],
    },
  ];
  if (link) {
    blocks.push({ type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: "Open finding" }, url: link }] });
  }
  return { text: truncate(headline, SLACK_SECTION_MAX), blocks };
}
