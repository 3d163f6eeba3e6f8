import { describe, expect, it } from "vitest";
import type { WebhookTarget } from "@/lib/config/notifications";
import { getFindingNotifications } from "@/lib/store/notifications";
import { recordPoll } from "@/lib/store/polls";
import { fixturePollAt, makeSnapshot } from "@/lib/store/test-fixtures";
import { useTestDatabase } from "@/lib/store/use-test-database";
import type { FindingRecordInput, FindingSeverity } from "@/lib/store/types";
import { createDeliverer, DEFAULT_RETRY_POLICY, retryDelayMs, targetWants, type DelivererOptions, type RetryPolicy } from "./deliverer";
import { WebhookHttpError, WebhookTimeoutError, type WebhookRequest } from "./transport";

const t = useTestDatabase();
const at = fixturePollAt;
const POLICY: RetryPolicy = { baseDelayMs: 1000, maxDelayMs: 8000, maxAttempts: 4, maxAgeMs: 3_600_000 };

function target(overrides: Partial<WebhookTarget> = {}): WebhookTarget {
  return {
    name: "pager",
    url: "http://127.0.0.1:1/hook",
    format: "json",
    minSeverity: "info",
    clusters: null,
    kinds: null,
    transitions: ["opened", "escalated", "resolved"],
    dashboardUrl: null,
    timeoutMs: 1000,
    ...overrides,
  };
}

function finding(key: string, severity: FindingSeverity, kind = "stuck-lso"): FindingRecordInput {
  return { key, kind, severity, cluster: "fixture", subject: { topic: key }, title: key, evidence: {}, explanation: "", remediation: "" };
}

/** One poll of the fixture cluster reporting `findings`. */
const poll = (i: number, findings: FindingRecordInput[]) => recordPoll(makeSnapshot({ collectedAt: at(i), pollIndex: i }), findings, {}, t.db);

/** A sender answering from a script (default: accept), recording what it was asked to send. */
function scriptedSender(script: ((r: WebhookRequest) => void)[] = []) {
  const sent: WebhookRequest[] = [];
  const send = async (r: WebhookRequest) => {
    sent.push(r);
    script.shift()?.(r);
  };
  return { sent, send, labels: () => sent.map((r) => r.idempotencyKey.replace(/^[^.]+\./, `${(r.body as { key: string }).key}.`)) };
}

function deliverer(options: Partial<DelivererOptions> & Pick<DelivererOptions, "send">) {
  return createDeliverer({ targets: [target()], policy: POLICY, database: t.db, random: () => 0.5, monotonic: () => 0, log: { warn: () => {} }, ...options });
}

const fail500 = () => {
  throw new WebhookHttpError(500, "down", null);
};

describe("retryDelayMs", () => {
  it("doubles from the base delay up to the cap, within ±20 % jitter, and honours Retry-After", () => {
    const p = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 5000, maxDelayMs: 60_000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, p, () => 0.5))).toEqual([5000, 10_000, 20_000, 40_000, 60_000, 60_000]);
    expect(retryDelayMs(2, p, () => 0)).toBe(8000);
    expect(retryDelayMs(2, p, () => 1)).toBe(12_000);
    expect(retryDelayMs(1, p, () => 0.5, 30_000)).toBe(30_000);
    expect(retryDelayMs(1, p, () => 0.5, 3_600_000)).toBe(60_000);
  });
});

describe("targetWants", () => {
  const n = { transition: "opened", severity: "warning", cluster: "prod", finding: { kind: "stuck-lso" } } as Parameters<typeof targetWants>[1];
  it("applies the minimum severity, clusters, kinds and transitions", () => {
    expect(targetWants(target(), n)).toBe(true);
    expect(targetWants(target({ minSeverity: "critical" }), n)).toBe(false);
    expect(targetWants(target({ minSeverity: "warning" }), n)).toBe(true);
    expect(targetWants(target({ clusters: ["dev"] }), n)).toBe(false);
    expect(targetWants(target({ kinds: ["hanging-transaction"] }), n)).toBe(false);
    expect(targetWants(target({ kinds: ["stuck-lso"], clusters: ["prod"] }), n)).toBe(true);
    expect(targetWants(target({ transitions: ["resolved"] }), n)).toBe(false);
  });
});

describe("deliverer", () => {
  it("sends each transition once, with its id as idempotency key, and nothing on later runs", async () => {
    const sender = scriptedSender();
    const d = deliverer({ send: sender.send });
    await poll(0, [finding("a", "warning")]);
    expect(await d.run(new Date(at(0) + 100))).toEqual({ fannedOut: 1, delivered: 1, retrying: 0, failed: 0 });
    await poll(1, [finding("a", "critical")]);
    await poll(2, []);
    expect(await d.run(new Date(at(2) + 100))).toMatchObject({ fannedOut: 2, delivered: 2 });
    expect(await d.run(new Date(at(2) + 200))).toEqual({ fannedOut: 0, delivered: 0, retrying: 0, failed: 0 });
    expect(sender.labels()).toEqual(["a.opened.warning", "a.escalated.critical", "a.resolved.critical"]);
    expect(sender.sent[0]).toMatchObject({ url: "http://127.0.0.1:1/hook", timeoutMs: 1000 });
    expect(sender.sent[0].body).toMatchObject({ id: sender.sent[0].idempotencyKey, transition: "opened", cluster: "fixture" });
  });

  it("retries a failed send after the backoff, keeps a finding's order, and records attempts and errors", async () => {
    const sender = scriptedSender([fail500, () => {}, fail500]);
    const d = deliverer({ send: sender.send });
    await poll(0, [finding("a", "critical"), finding("b", "critical")]);
    await poll(1, [finding("b", "critical")]);
    // a.opened fails; a.resolved waits behind it; b.opened goes through.
    const first = new Date(at(1) + 100);
    expect(await d.run(first)).toMatchObject({ delivered: 1, retrying: 1 });
    expect(sender.labels()).toEqual(["a.opened.critical", "b.opened.critical"]);

    // Not due before the first backoff (1 s at jitter 0.5); due after it.
    expect(await d.run(new Date(first.getTime() + 999))).toMatchObject({ delivered: 0, retrying: 0 });
    expect(await d.run(new Date(first.getTime() + 1000))).toMatchObject({ delivered: 0, retrying: 1 });
    expect(await d.run(new Date(first.getTime() + 1000 + 1999))).toMatchObject({ delivered: 0, retrying: 0 });
    expect(await d.run(new Date(first.getTime() + 1000 + 2000))).toMatchObject({ delivered: 2 });
    expect(sender.labels()).toEqual(["a.opened.critical", "b.opened.critical", "a.opened.critical", "a.opened.critical", "a.resolved.critical"]);

    const [a] = await t.db.finding.findMany({ where: { key: "a" } });
    expect((await getFindingNotifications(a.id, t.db)).map((n) => [n.transition, n.status, n.attempts, n.lastError])).toEqual([
      ["opened", "delivered", 3, null],
      ["resolved", "delivered", 1, null],
    ]);
  });

  it("gives up at once on a final answer, and after the maximum attempts on retryable ones", async () => {
    const notFound = () => {
      throw new WebhookHttpError(404, "no_service", null);
    };
    const timeout = () => {
      throw new WebhookTimeoutError(1000);
    };
    const sender = scriptedSender([notFound, timeout, timeout, timeout, timeout]);
    const d = deliverer({ send: sender.send });
    await poll(0, [finding("a", "critical")]);
    expect(await d.run(new Date(at(0)))).toMatchObject({ failed: 1 });
    await poll(1, [finding("a", "critical"), finding("b", "critical")]);
    let now = at(1);
    for (let i = 0; i < POLICY.maxAttempts; i++) {
      const report = await d.run(new Date(now));
      expect(report).toMatchObject(i < POLICY.maxAttempts - 1 ? { retrying: 1 } : { failed: 1 });
      now += POLICY.maxDelayMs;
    }
    expect(await d.run(new Date(now + POLICY.maxDelayMs))).toMatchObject({ delivered: 0, retrying: 0, failed: 0 });
    const statuses = await t.db.notificationDelivery.findMany({ orderBy: { id: "asc" } });
    expect(statuses.map((s) => [s.status, s.attempts, s.lastError])).toEqual([
      ["failed", 1, "HTTP 404: no_service"],
      ["failed", 4, "no answer within 1000 ms (after 4 attempts)"],
    ]);
  });

  it("does not retry past the maximum age, and fans out nothing older", async () => {
    const sender = scriptedSender([fail500]);
    const d = deliverer({ send: sender.send, policy: { ...POLICY, maxAgeMs: 1500 } });
    await poll(0, [finding("a", "critical")]);
    await poll(1, [finding("a", "critical"), finding("b", "critical")]);
    // a.opened is older than 1.5 s: dropped; b.opened fails and its next attempt would be past the age.
    expect(await d.run(new Date(at(1) + 1000))).toMatchObject({ fannedOut: 1, failed: 1 });
    expect(sender.labels()).toEqual(["b.opened.critical"]);
  });

  it("sends only what each webhook's filters let through, in its own format", async () => {
    const sender = scriptedSender();
    const d = deliverer({
      send: sender.send,
      targets: [
        target({ name: "slack", format: "slack", url: "http://127.0.0.1:1/slack", minSeverity: "critical" }),
        target({ name: "hanging-only", url: "http://127.0.0.1:1/hanging", kinds: ["hanging-transaction"] }),
      ],
    });
    await poll(0, [finding("a", "warning"), finding("b", "critical"), finding("c", "info", "hanging-transaction")]);
    expect(await d.run(new Date(at(0)))).toMatchObject({ fannedOut: 2, delivered: 2 });
    expect(sender.sent.map((r) => [r.url, r.idempotencyKey.split(".").slice(1).join(".")])).toEqual(
      expect.arrayContaining([
        ["http://127.0.0.1:1/slack", "opened.critical"],
        ["http://127.0.0.1:1/hanging", "opened.info"],
      ]),
    );
    const slack = sender.sent.find((r) => r.url.endsWith("/slack"))!;
    expect(slack.body).toMatchObject({ text: expect.stringContaining("CRITICAL"), blocks: expect.any(Array) });
  });

  it("fails deliveries of a webhook removed from the configuration", async () => {
    const sender = scriptedSender([fail500]);
    await poll(0, [finding("a", "critical")]);
    await deliverer({ send: sender.send }).run(new Date(at(0)));
    const other = deliverer({ send: sender.send, targets: [target({ name: "other" })] });
    expect(await other.run(new Date(at(0) + 60_000))).toMatchObject({ failed: 1 });
    const [row] = await t.db.notificationDelivery.findMany();
    expect(row).toMatchObject({ status: "failed", lastError: 'webhook "pager" is no longer configured' });
    expect(sender.sent).toHaveLength(1);
  });

  it("two deliverers on one database send each notification once", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const sent: string[] = [];
    const send = async (r: WebhookRequest) => {
      sent.push(r.idempotencyKey);
      await gate;
    };
    await poll(0, [finding("a", "critical"), finding("b", "critical"), finding("c", "critical")]);
    const now = new Date(at(0));
    const runs = [deliverer({ send }).run(now), deliverer({ send }).run(now)];
    setTimeout(release, 200);
    const reports = await Promise.all(runs);
    expect(reports.reduce((sum, r) => sum + r.delivered, 0)).toBe(3);
    expect(sent).toHaveLength(3);
    expect(new Set(sent).size).toBe(3);
  });

  it("a webhook that hangs holds back only itself: a later run serves the others", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const sent: string[] = [];
    const send = async (r: WebhookRequest) => {
      sent.push(`${r.url} ${r.idempotencyKey.split(".").slice(1).join(".")}`);
      if (r.url.endsWith("/slow")) await gate;
      else if (sent.filter((x) => x.startsWith(r.url)).length === 1) fail500();
    };
    const d = deliverer({ send, targets: [target({ name: "slow", url: "http://127.0.0.1:1/slow" }), target({ name: "fast", url: "http://127.0.0.1:1/fast" })] });
    await poll(0, [finding("a", "critical")]);
    const first = d.run(new Date(at(0)));
    // The first run leaves "slow" hanging and schedules fast's retry a second later; the next run retries "fast"
    // while "slow" is still busy, and leaves "slow" alone.
    const deadline = Date.now() + 10_000;
    let second = await d.run(new Date(at(0) + 1000));
    while (second.delivered === 0 && Date.now() < deadline) second = await d.run(new Date(at(0) + 1000));
    expect(second).toMatchObject({ delivered: 1 });
    expect(sent.filter((x) => x.includes("/slow"))).toHaveLength(1);
    release();
    expect(await first).toMatchObject({ delivered: 1, retrying: 1 });
    expect(sent.sort()).toEqual(["http://127.0.0.1:1/fast opened.critical", "http://127.0.0.1:1/fast opened.critical", "http://127.0.0.1:1/slow opened.critical"]);
  });

  it("a webhook with a backlog does not starve another: each gets its own batch", async () => {
    const sent: string[] = [];
    const send = async (r: WebhookRequest) => {
      sent.push(r.url);
      if (r.url.endsWith("/down")) fail500();
    };
    const d = deliverer({
      send,
      batchSize: 2,
      targets: [target({ name: "down", url: "http://127.0.0.1:1/down" }), target({ name: "up", url: "http://127.0.0.1:1/up" })],
    });
    await poll(0, [finding("a", "critical"), finding("b", "critical"), finding("c", "critical")]);
    // Fan-out creates down's rows first for each event; a shared batch of 2 would hold only down's.
    expect(await d.run(new Date(at(0)))).toMatchObject({ fannedOut: 6, delivered: 2, retrying: 2 });
    expect(await d.run(new Date(at(0) + 1))).toMatchObject({ delivered: 1, retrying: 0 });
    expect(sent.filter((u) => u.endsWith("/up"))).toHaveLength(3);
  });
});
