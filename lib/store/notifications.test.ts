import { describe, expect, it } from "vitest";
import {
  claimDelivery,
  fanOutNotifications,
  getFindingNotifications,
  pendingDeliveries,
  recordDeliveryAttempt,
} from "./notifications";
import { recordPoll } from "./polls";
import { fixturePollAt, makeSnapshot } from "./test-fixtures";
import { useTestDatabase } from "./use-test-database";
import type { FindingRecordInput, FindingSeverity } from "./types";

const t = useTestDatabase();
const at = fixturePollAt;

function stuckLso(severity: FindingSeverity): FindingRecordInput {
  return {
    key: "stuck-lso-orders-0",
    kind: "stuck-lso",
    severity,
    cluster: "fixture",
    subject: { topic: "orders", partition: 0, transactionalId: "orders-processor-0" },
    title: "LSO of orders-0 stuck",
    evidence: {},
    explanation: "read_committed consumers cannot pass the LSO.",
    remediation: "End the transaction.",
  };
}

/** Polls the fixture cluster once per entry (undefined: the finding is gone) and returns the outbox. */
async function pollSeverities(severities: (FindingSeverity | undefined)[]) {
  for (const [i, severity] of severities.entries()) {
    await recordPoll(makeSnapshot({ collectedAt: at(i), pollIndex: i }), severity ? [stuckLso(severity)] : [], {}, t.db);
  }
  const events = await t.db.notificationEvent.findMany({ orderBy: { id: "asc" } });
  return events.map((e) => [e.transition, e.severity, e.previousSeverity, e.at.getTime()]);
}

describe("notification outbox", () => {
  it("enqueues opened, each severity rise once, and resolved, in the poll that saw them", async () => {
    const outbox = await pollSeverities(["warning", "warning", "critical", "warning", "critical", "critical", undefined, undefined]);
    expect(outbox).toEqual([
      ["opened", "warning", null, at(0)],
      ["escalated", "critical", "warning", at(2)],
      // The second rise to critical (poll 4) is the same (finding, transition, severity): not enqueued again.
      ["resolved", "critical", null, at(6)],
    ]);
  });

  it("a finding that comes back is a new finding with its own opened and resolved", async () => {
    const outbox = await pollSeverities(["critical", undefined, "info", undefined]);
    expect(outbox.map(([transition, severity]) => `${transition} ${severity}`)).toEqual([
      "opened critical",
      "resolved critical",
      "opened info",
      "resolved info",
    ]);
    const findingIds = new Set((await t.db.notificationEvent.findMany()).map((e) => e.findingId));
    expect(findingIds.size).toBe(2);
  });

  it("a transition already in the outbox does not fail the poll nor get a second row", async () => {
    await pollSeverities(["warning"]);
    const [finding] = await t.db.finding.findMany();
    // As if another replica had enqueued the escalation first.
    await t.db.notificationEvent.create({
      data: { findingId: finding.id, transition: "escalated", severity: "critical", previousSeverity: "warning", at: new Date(at(1)) },
    });
    await recordPoll(makeSnapshot({ collectedAt: at(1), pollIndex: 1 }), [stuckLso("critical")], {}, t.db);
    expect(await t.db.notificationEvent.count({ where: { transition: "escalated" } })).toBe(1);
  });

  it("a partial poll resolves nothing and so enqueues no resolution", async () => {
    await pollSeverities(["critical"]);
    await recordPoll(makeSnapshot({ collectedAt: at(1), pollIndex: 1, failedPhases: ["offsets"] }), [], {}, t.db);
    expect(await t.db.notificationEvent.count({ where: { transition: "resolved" } })).toBe(0);
  });

  it("fans each event out once to the webhooks its route names, and drops events older than the maximum age", async () => {
    await pollSeverities(["warning", "critical"]);
    const now = new Date(at(1) + 1000);
    const routed: string[] = [];
    const route = (n: { transition: string; severity: string }) => {
      routed.push(`${n.transition} ${n.severity}`);
      return n.severity === "critical" ? ["slack", "pager"] : ["pager"];
    };
    expect(await fanOutNotifications(route, { now, maxAgeMs: 60_000 }, t.db)).toBe(3);
    expect(await fanOutNotifications(route, { now, maxAgeMs: 60_000 }, t.db)).toBe(0);
    expect(routed).toEqual(["opened warning", "escalated critical"]);

    const pending = await pendingDeliveries({ notIn: [] }, 100, t.db);
    expect(pending.map((d) => `${d.notification.transition} ${d.target}`)).toEqual(["opened pager", "escalated slack", "escalated pager"]);
    expect((await pendingDeliveries({ in: ["slack"] }, 100, t.db)).map((d) => d.target)).toEqual(["slack"]);
    expect((await pendingDeliveries({ notIn: ["slack"] }, 100, t.db)).map((d) => d.target)).toEqual(["pager", "pager"]);
    expect(pending[1].notification).toMatchObject({
      notificationId: expect.stringMatching(/\.escalated\.critical$/),
      cluster: "fixture",
      previousSeverity: "warning",
      finding: { key: "stuck-lso-orders-0", kind: "stuck-lso", topic: "orders", partition: 0, resolvedAt: null },
    });

    await recordPoll(makeSnapshot({ collectedAt: at(2), pollIndex: 2 }), [], {}, t.db);
    // The resolution is fanned out two minutes after the poll: too old with a one-minute maximum age.
    expect(await fanOutNotifications(route, { now: new Date(at(2) + 120_000), maxAgeMs: 60_000 }, t.db)).toBe(0);
    expect(await t.db.notificationEvent.count({ where: { fannedOutAt: null } })).toBe(0);
  });

  it("a delivery is claimed by one deliverer only, and its attempts are recorded", async () => {
    await pollSeverities(["critical"]);
    const now = new Date(at(0) + 1000);
    await fanOutNotifications(() => ["slack"], { now, maxAgeMs: 60_000 }, t.db);
    const [delivery] = await pendingDeliveries({ in: ["slack"] }, 10, t.db);
    const lease = new Date(now.getTime() + 30_000);
    expect(await claimDelivery(delivery, lease, t.db)).toBe(true);
    expect(await claimDelivery(delivery, lease, t.db)).toBe(false);

    await recordDeliveryAttempt(delivery.id, { status: "pending", at: now, error: "HTTP 500", nextAttemptAt: new Date(now.getTime() + 5000) }, t.db);
    const [retry] = await pendingDeliveries({ in: ["slack"] }, 10, t.db);
    expect(retry).toMatchObject({ attempts: 1, nextAttemptAt: new Date(now.getTime() + 5000) });
    await recordDeliveryAttempt(delivery.id, { status: "delivered", at: new Date(now.getTime() + 5000) }, t.db);
    expect(await pendingDeliveries({ in: ["slack"] }, 10, t.db)).toEqual([]);

    const [finding] = await t.db.finding.findMany();
    expect(await getFindingNotifications(finding.id, t.db)).toEqual([
      {
        transition: "opened",
        severity: "critical",
        at: new Date(at(0)),
        target: "slack",
        status: "delivered",
        attempts: 2,
        deliveredAt: new Date(now.getTime() + 5000),
        lastError: null,
      },
    ]);
  });
});
