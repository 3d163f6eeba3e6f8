// Webhook notifications end to end: a real broker with a real hanging transaction (scenario 3), the production
// poller (collector → detectors → recordPoll → outbox) and its deliverer, and three local HTTP receivers: one that
// answers 500 once (then 503 across a poller restart), a Slack-format one, and one that never answers.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clusterConfig } from "@/lib/config/clusters";
import type { WebhookTarget } from "@/lib/config/notifications";
import type { JsonNotification, SlackMessage } from "@/lib/notify";
import type { FindingNotificationsDto } from "@/lib/ui/dto";
import { startWebhookReceiver, type WebhookReceiver } from "@/lib/notify/testing/webhook-receiver";
import { startDefaultPoller, type RunningPoller } from "@/lib/poller/run";
import { getFindingNotifications, getPollHistory } from "@/lib/store";
import { runHangingTransaction } from "../../scripts/scenarios";
import { waitFor } from "../../scripts/scenarios/support";
import { useKafka } from "./scenarios/kafka-under-test";

const CLUSTER = "notify";
const POLL_MS = 1000;
/** Long enough for several polls to be stored while one request hangs, on a loaded machine. */
const HANG_TIMEOUT_MS = 10_000;
const DASHBOARD = "https://eos.test";
const workDir = mkdtempSync(path.join(os.tmpdir(), "eos-auditor-notify-"));
const receivers: WebhookReceiver[] = [];

const quiet = { info: () => {}, warn: () => {}, error: (m: string) => console.error(m) };

function webhook(name: string, receiver: WebhookReceiver, overrides: Partial<WebhookTarget> = {}): WebhookTarget {
  return {
    name,
    url: receiver.url,
    format: "json",
    minSeverity: "warning",
    clusters: [CLUSTER],
    // The scenario's topic also raises mixed-writers and the broker config-verification-disabled: not asked for.
    kinds: ["hanging-transaction"],
    transitions: ["opened", "escalated", "resolved"],
    dashboardUrl: DASHBOARD,
    timeoutMs: 5000,
    ...overrides,
  };
}

describe("webhook notifications on a real hanging transaction", () => {
  const kafka = useKafka({
    version: "4.4.0",
    nodes: 1,
    name: "notify",
    brokerConfig: { "transaction.partition.verification.enable": "false" },
  });

  beforeAll(() => {
    process.env.DATABASE_URL = `file:${path.join(workDir, "auditor.db")}`;
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
    rmSync(workDir, { recursive: true, force: true });
  });

  it("each receiver accepts exactly one opened and one resolved; 500s and a restart are retried; a hanging receiver delays no poll", async () => {
    const [pager, slack, stuck] = await Promise.all([startWebhookReceiver(), startWebhookReceiver("/services/T0/B0/secret"), startWebhookReceiver()]);
    receivers.push(pager, slack, stuck);
    pager.answer = (_, i) => (i === 0 ? { status: 500, body: "try later" } : { status: 200 });
    stuck.answer = () => "hang";
    const targets = [
      webhook("pager", pager),
      webhook("slack-oncall", slack, { format: "slack", minSeverity: "critical" }),
      webhook("stuck", stuck, { timeoutMs: HANG_TIMEOUT_MS }),
    ];
    const scheduled: { at: number; delayMs: number }[] = [];
    const start = () =>
      startDefaultPoller({
        onScheduled: (_, delayMs) => scheduled.push({ at: Date.now(), delayMs }),
        clusters: [clusterConfig({ name: CLUSTER, brokers: kafka.cluster.brokers, pollIntervalMs: POLL_MS })],
        notifications: targets,
        notificationRetry: { baseDelayMs: 300, maxDelayMs: 1000 },
        notifyEveryMs: 200,
        log: quiet,
      });
    let poller: RunningPoller | undefined = await start();
    try {
      const scenario = await kafka.run(runHangingTransaction, { onStop: "abort" });
      const hangingSince = Date.now();
      const { transactionalId, topic } = scenario.info;
      const bodies = (r: WebhookReceiver) => r.accepted() as JsonNotification[];

      // Opened: the pager's first answer is a 500; the same notification comes again and is accepted.
      const opened = await waitFor("the pager to accept the opened notification", () => bodies(pager).find((b) => b.transition === "opened"), {
        timeoutMs: 60_000,
      });
      expect(opened).toMatchObject({
        cluster: CLUSTER,
        kind: "hanging-transaction",
        severity: "critical",
        subject: { topic, partition: 0, transactionalId },
        resolvedAt: null,
        links: {
          finding: `${DASHBOARD}/clusters/${CLUSTER}/findings/${opened.findingId}`,
          findingKey: `${DASHBOARD}/clusters/${CLUSTER}/findings/key/${encodeURIComponent(opened.key)}`,
        },
      });
      expect(pager.requests.map((r) => [r.status, (r.body as JsonNotification).id, r.headers["idempotency-key"]])).toEqual([
        [500, opened.id, opened.id],
        [200, opened.id, opened.id],
      ]);

      // The stuck receiver got the same notification and holds it: polls go on meanwhile, at their cadence, and
      // the pager's retry went through without waiting for the stuck receiver's timeout.
      const hungAt = await waitFor("the stuck receiver's first request", () => stuck.requests[0]?.receivedAt);
      expect(pager.requests[1].receivedAt).toBeLessThan(hungAt + HANG_TIMEOUT_MS);
      const pollsDuringHang = await waitFor("two polls stored while the stuck request is open", async () => {
        const polls = (await getPollHistory(CLUSTER)).filter((p) => p.startedAt.getTime() > hungAt);
        return polls.length >= 2 ? polls : undefined;
      });
      expect(stuck.hanging()).toBeGreaterThanOrEqual(1);
      const oldestFirst = [...pollsDuringHang].reverse();
      // From the end of one collection to the start of the next: the jittered interval (±10 %) the poller chose once
      // the poll was stored, plus storing it and the timer's lateness, which a poll waiting on the stuck receiver
      // would take to its timeout (measured from the scheduling, as in poll-isolation.test.ts).
      const cycles = oldestFirst.slice(1).map((p, i) => {
        const end = oldestFirst[i].startedAt.getTime() + oldestFirst[i].durationMs;
        const next = scheduled.find((e) => e.at >= end && e.at <= p.startedAt.getTime());
        expect(next, `the scheduling of the poll after ${oldestFirst[i].startedAt.toISOString()}`).toBeDefined();
        return { delayMs: next!.delayMs, overheadMs: p.startedAt.getTime() - end - next!.delayMs };
      });
      for (const { delayMs, overheadMs } of cycles) {
        expect(delayMs).toBeGreaterThanOrEqual(Math.floor(POLL_MS * 0.9));
        expect(delayMs).toBeLessThanOrEqual(Math.ceil(POLL_MS * 1.1));
        expect(overheadMs, `storing and timer lateness ${cycles.map((c) => c.overheadMs).join(", ")} ms`).toBeLessThan(HANG_TIMEOUT_MS);
      }

      const slackOpened = await waitFor("Slack's opened message", () => (slack.accepted() as SlackMessage[])[0]);
      expect(slackOpened.text).toMatch(/^:rotating_light: Opened · CRITICAL · notify: /);
      expect(JSON.stringify(slackOpened.blocks)).toContain(`"url":"${DASHBOARD}/clusters/${CLUSTER}/findings/${opened.findingId}"`);
      expect(slack.requests[0].headers["idempotency-key"]).toBe(opened.id);

      // Resolved while the pager is down: ending the transaction unpins the LSO; the pager answers 503 ...
      pager.answer = () => ({ status: 503, body: "maintenance" });
      await scenario.stop();
      const endedAt = Date.now();
      const resolvedId = await waitFor(
        "the pager to be offered the resolution",
        () => pager.requests.map((r) => r.body as JsonNotification).find((b) => b.transition === "resolved")?.id,
        { timeoutMs: 30_000 },
      );
      await waitFor("Slack's resolved message", () => (slack.accepted().length === 2 ? true : undefined));
      // ... and the poller restarts before it is back: the pending delivery survives in the database.
      await poller.stop();
      poller = undefined;
      const refusedBeforeRestart = pager.requests.filter((r) => r.status === 503).length;
      expect(refusedBeforeRestart).toBeGreaterThanOrEqual(1);
      pager.answer = () => ({ status: 200 });
      poller = await start();
      const resolved = await waitFor("the pager to accept the resolution after the restart", () =>
        bodies(pager).find((b) => b.transition === "resolved"),
      );
      expect(resolved).toMatchObject({ id: resolvedId, findingId: opened.findingId, severity: "critical", openedAt: opened.openedAt });
      expect(Date.parse(resolved.resolvedAt!)).toBeGreaterThan(Date.parse(opened.openedAt));

      // Nothing more comes: a few more polls and delivery runs later, each receiver accepted each transition once.
      const settledAt = Date.now();
      await waitFor("three more polls", async () =>
        (await getPollHistory(CLUSTER)).filter((p) => p.startedAt.getTime() > settledAt).length >= 3 ? true : undefined,
      );
      expect(bodies(pager).map((b) => `${b.transition} ${b.id}`)).toEqual([`opened ${opened.id}`, `resolved ${resolvedId}`]);
      expect((slack.accepted() as SlackMessage[]).map((m) => m.text.split(" · ")[0])).toEqual([
        ":rotating_light: Opened",
        ":white_check_mark: Resolved",
      ]);
      expect(new Set(stuck.requests.map((r) => (r.body as JsonNotification).findingId))).toEqual(new Set([opened.findingId]));

      const deliveries = await getFindingNotifications(opened.findingId);
      const summary = deliveries.map((d) => `${d.target} ${d.transition} ${d.status}`).sort();
      expect(summary).toEqual([
        "pager opened delivered",
        "pager resolved delivered",
        "slack-oncall opened delivered",
        "slack-oncall resolved delivered",
        expect.stringMatching(/^stuck opened (pending|failed)$/),
        expect.stringMatching(/^stuck resolved (pending|failed)$/),
      ]);
      expect(deliveries.find((d) => d.target === "pager" && d.transition === "opened")).toMatchObject({ attempts: 2 });
      expect(deliveries.find((d) => d.target === "pager" && d.transition === "resolved")?.attempts).toBe(refusedBeforeRestart + 1);
      expect(deliveries.find((d) => d.target === "stuck" && d.transition === "opened")?.lastError).toBe(`no answer within ${HANG_TIMEOUT_MS} ms`);
      // The finding page's line reads the same records through its API route; an unknown finding is a 404.
      const { GET: notificationsRoute } = await import("@/app/api/clusters/[cluster]/findings/[id]/notifications/route");
      const ask = (id: string) =>
        notificationsRoute(new Request(`http://localhost/api/clusters/${CLUSTER}/findings/${id}/notifications`), {
          params: Promise.resolve({ cluster: CLUSTER, id }),
        });
      const api = (await (await ask(opened.findingId)).json()) as FindingNotificationsDto;
      expect(api.notifications.filter((n) => n.status === "delivered").map((n) => `${n.target} ${n.transition}`).sort()).toEqual([
        "pager opened",
        "pager resolved",
        "slack-oncall opened",
        "slack-oncall resolved",
      ]);
      expect((await ask("no-such-finding")).status).toBe(404);
      const firstOffer = (transition: string) => pager.requests.find((r) => (r.body as JsonNotification).transition === transition)!.receivedAt;
      const pollsBetween = async (from: number, to: number) =>
        (await getPollHistory(CLUSTER)).filter((p) => p.startedAt.getTime() >= from && p.startedAt.getTime() <= to).length;
      console.info(
        `opened offered ${firstOffer("opened") - hangingSince} ms (${await pollsBetween(hangingSince, firstOffer("opened"))} polls) after the ` +
          `hanging write, resolved ${firstOffer("resolved") - endedAt} ms (${await pollsBetween(endedAt, firstOffer("resolved"))} polls) after the abort; ` +
          `pager: ${pager.requests.length} requests (${refusedBeforeRestart} refused before the restart); slack: ${slack.requests.length}; ` +
          `stuck: ${stuck.requests.length} (timeouts); poll delays during the hang (chosen + storing and timer) ${cycles.map((c) => `${c.delayMs}+${c.overheadMs}`).join(", ")} ms`,
      );
    } finally {
      await poller?.stop();
    }
  }, 180_000);
});
