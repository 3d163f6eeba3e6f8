import { describe, expect, it } from "vitest";
import type { NotificationRecord } from "@/lib/store/notifications";
import { escapeSlack, jsonBody, slackBody } from "./bodies";

const HOSTILE_ID = "<!channel> pay <https://evil.example|click> & <@U123>";

function notificationFixture(overrides: Partial<NotificationRecord> = {}): NotificationRecord {
  return {
    eventId: 7,
    notificationId: "f1nd1ng.opened.critical",
    transition: "opened",
    severity: "critical",
    previousSeverity: null,
    at: new Date("2026-11-30T10:00:15Z"),
    cluster: "prod",
    finding: {
      id: "f1nd1ng",
      key: "hanging-transaction:orders:0",
      kind: "hanging-transaction",
      title: `Hanging transaction of ${HOSTILE_ID} pins the LSO of orders-0`,
      explanation: "read_committed consumers cannot pass the LSO <until> it ends & nobody will end it.",
      topic: "orders",
      partition: 0,
      transactionalId: HOSTILE_ID,
      groupId: null,
      brokerId: null,
      firstSeenAt: new Date("2026-11-30T10:00:00Z"),
      resolvedAt: null,
    },
    ...overrides,
  };
}

describe("escapeSlack", () => {
  it("escapes exactly Slack's three control characters", () => {
    expect(escapeSlack("a & b < c > d *e* _f_")).toBe("a &amp; b &lt; c &gt; d *e* _f_");
    // Escaping an escape keeps it inert text: '&lt;' shows as '&lt;', not '<'.
    expect(escapeSlack("&lt;!here&gt;")).toBe("&amp;lt;!here&amp;gt;");
  });
});

describe("JSON body", () => {
  it("carries the transition, the finding, its times and links to the dashboard", () => {
    const body = jsonBody(notificationFixture(), "https://eos.internal/");
    expect(body).toEqual({
      id: "f1nd1ng.opened.critical",
      transition: "opened",
      cluster: "prod",
      kind: "hanging-transaction",
      key: "hanging-transaction:orders:0",
      findingId: "f1nd1ng",
      severity: "critical",
      previousSeverity: null,
      title: `Hanging transaction of ${HOSTILE_ID} pins the LSO of orders-0`,
      summary: "read_committed consumers cannot pass the LSO <until> it ends & nobody will end it.",
      subject: { topic: "orders", partition: 0, transactionalId: HOSTILE_ID, groupId: null, brokerId: null },
      at: "2026-11-30T10:00:15.000Z",
      openedAt: "2026-11-30T10:00:00.000Z",
      resolvedAt: null,
      links: {
        finding: "https://eos.internal/clusters/prod/findings/f1nd1ng",
        findingKey: "https://eos.internal/clusters/prod/findings/key/hanging-transaction%3Aorders%3A0",
      },
    });
    expect(jsonBody(notificationFixture(), null).links).toEqual({ finding: null, findingKey: null });
  });

  it("a resolution carries its time, an escalation the severity before", () => {
    const resolved = jsonBody(notificationFixture({ transition: "resolved", at: new Date("2026-11-30T11:00:00Z") }), null);
    expect(resolved.resolvedAt).toBe("2026-11-30T11:00:00.000Z");
    const escalated = jsonBody(notificationFixture({ transition: "escalated", previousSeverity: "warning" }), null);
    expect(escalated).toMatchObject({ transition: "escalated", severity: "critical", previousSeverity: "warning" });
  });

  it("encodes Kafka names in links as one path segment", () => {
    const n = notificationFixture({ cluster: "prod", finding: { ...notificationFixture().finding, id: "a/b?c#d" } });
    expect(jsonBody(n, "https://eos.internal").links.finding).toBe("https://eos.internal/clusters/prod/findings/a%2Fb%3Fc%23d");
  });
});

describe("Slack body", () => {
  it("has a text fallback and blocks, with a button to the finding", () => {
    const body = slackBody(notificationFixture(), "https://eos.internal");
    expect(body.text).toMatch(/^:rotating_light: Opened · CRITICAL · prod: Hanging transaction of /);
    expect(body.blocks.map((b) => b.type)).toEqual(["section", "context", "actions"]);
    expect(JSON.stringify(body.blocks[2])).toContain('"url":"https://eos.internal/clusters/prod/findings/f1nd1ng"');
    expect(slackBody(notificationFixture(), null).blocks.map((b) => b.type)).toEqual(["section", "context"]);
    const escalated = slackBody(notificationFixture({ transition: "escalated", previousSeverity: "warning" }), null);
    expect(escalated.text).toMatch(/^:arrow_up: Escalated · warning → CRITICAL · prod: /);
    const resolved = slackBody(notificationFixture({ transition: "resolved", at: new Date("2026-11-30T11:00:00Z") }), null);
    expect(JSON.stringify(resolved.blocks[1])).toContain("resolved 2026-11-30T11:00:00.000Z");
  });

  it("a Kafka name cannot mention a channel or a user, nor make a link", () => {
    const body = slackBody(notificationFixture(), "https://eos.internal");
    const text = JSON.stringify(body);
    // Mrkdwn control sequences start with '<': none comes from the names or the explanation.
    expect(text).not.toMatch(/<[!@#]|<https?:/);
    expect(body.text).toContain("&lt;!channel&gt; pay &lt;https://evil.example|click&gt; &amp; &lt;@U123&gt;");
    expect(JSON.stringify(body.blocks[0])).toContain("cannot pass the LSO &lt;until&gt; it ends &amp; nobody");
    expect(JSON.stringify(body.blocks[1])).toContain("transactional id &lt;!channel&gt;");
  });

  it("stays within Slack's 3,000 characters per text", () => {
    const long = "x".repeat(5000);
    const body = slackBody(notificationFixture({ finding: { ...notificationFixture().finding, title: long, explanation: long } }), null);
    expect(body.text.length).toBeLessThanOrEqual(3000);
    for (const block of body.blocks) expect(JSON.stringify(block).length).toBeLessThan(3100);
  });
});
