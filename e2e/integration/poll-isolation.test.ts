// One poller, three clusters: a healthy one, one whose only broker freezes (SIGSTOP: sockets open, no answers)
// and one pointing at a closed port. The healthy cluster must keep its cadence and the API must keep answering
// while the others time out or are refused (each retried every interval). Timestamps are the stored polls'.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clusterConfig } from "@/lib/config/clusters";
import { DEFAULT_TIMEOUTS } from "@/lib/kafka/client";
import { startDefaultPoller, type RunningPoller } from "@/lib/poller/run";
import { getPollHistory, type PollSummary } from "@/lib/store";
import { startKafka, type KafkaTestCluster } from "../../scripts/kafka/cluster";
import { KAFKA_VERSIONS } from "../../scripts/kafka/versions";
import { freeLoopbackPort } from "../../scripts/ports";

const INTERVAL_MS = 2000;
const workDir = mkdtempSync(path.join(os.tmpdir(), "eos-auditor-isolation-"));
let healthy: KafkaTestCluster | undefined;
let frozen: KafkaTestCluster | undefined;

beforeAll(async () => {
  [healthy, frozen] = await Promise.all(
    ["isolation-healthy", "isolation-frozen"].map((name) => startKafka({ version: KAFKA_VERSIONS.latest, name })),
  );
}, 240_000);

afterAll(async () => {
  await Promise.all([healthy?.stop(), frozen?.stop()]);
  rmSync(workDir, { recursive: true, force: true });
}, 60_000);

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const oldestFirst = async (cluster: string) => [...(await getPollHistory(cluster))].reverse();
const endOf = (p: PollSummary) => p.startedAt.getTime() + p.durationMs;

describe("poll isolation between clusters", () => {
  it("keeps a healthy cluster's cadence and the API responsive while one broker is frozen and one port is closed", async () => {
    process.env.DATABASE_URL = `file:${path.join(workDir, "auditor.db")}`;
    const closedPort = await freeLoopbackPort();
    const clusters = [
      clusterConfig({ name: "healthy", brokers: healthy!.brokers, pollIntervalMs: INTERVAL_MS }),
      clusterConfig({ name: "frozen", brokers: frozen!.brokers, pollIntervalMs: INTERVAL_MS }),
      clusterConfig({ name: "closed-port", brokers: [`127.0.0.1:${closedPort}`], pollIntervalMs: INTERVAL_MS }),
    ];
    const { GET: clustersRoute } = await import("@/app/api/clusters/route");
    const scheduled: { cluster: string; at: number; delayMs: number }[] = [];
    let poller: RunningPoller | undefined = await startDefaultPoller({
      clusters,
      onScheduled: (cluster, delayMs) => scheduled.push({ cluster, at: Date.now(), delayMs }),
    });
    try {
      await until("a complete poll of the cluster about to freeze", 60_000, async () =>
        (await getPollHistory("frozen")).some((p) => p.complete) ? true : undefined,
      );
      const hungAt = Date.now();
      await frozen!.hang(1);

      // While the frozen cluster's polls wait out their timeouts, the API answers promptly.
      const apiCalls: { started: number; answered: number }[] = [];
      const frozenPolls = await until("two finished polls of the frozen cluster after the freeze", 150_000, async () => {
        const started = Date.now();
        const response = await clustersRoute(new Request("http://localhost/api/clusters"), { params: Promise.resolve({}) });
        expect(response.status).toBe(200);
        apiCalls.push({ started, answered: Date.now() });
        const after = (await oldestFirst("frozen")).filter((p) => p.startedAt.getTime() >= hungAt);
        return after.length >= 2 ? after : undefined;
      });
      const windowEnd = endOf(frozenPolls[frozenPolls.length - 1]);
      await frozen!.resume(1);
      await poller.stop();
      poller = undefined;

      // From the freeze on: the first poll of a run also creates the cluster's stored state, which takes a while.
      const healthyPolls = (await oldestFirst("healthy")).filter((p) => p.startedAt.getTime() >= hungAt && endOf(p) <= windowEnd);
      const gaps = healthyPolls.slice(1).map((p, i) => p.startedAt.getTime() - endOf(healthyPolls[i]));
      // Each gap is the delay the poller chose once the previous poll was stored, plus the time to store it and the
      // timer's lateness: measured from the scheduling, not guessed as an allowance.
      const cycles = healthyPolls.slice(1).map((p, i) => {
        const next = scheduled.find((e) => e.cluster === "healthy" && e.at >= endOf(healthyPolls[i]) && e.at <= p.startedAt.getTime());
        expect(next, `the scheduling of the poll after ${healthyPolls[i].startedAt.toISOString()}`).toBeDefined();
        return { delayMs: next!.delayMs, overheadMs: p.startedAt.getTime() - endOf(healthyPolls[i]) - next!.delayMs };
      });
      const apiLatencies = apiCalls.map((c) => c.answered - c.started);
      const closedPolls = await oldestFirst("closed-port");
      const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
      console.info(
        `window ${windowEnd - hungAt} ms: frozen polls took ${frozenPolls.map((p) => p.durationMs).join(", ")} ms; ` +
          `healthy: ${healthyPolls.length} polls, durations ${sorted(healthyPolls.map((p) => p.durationMs)).join(",")} ms, ` +
          `gaps end-to-start ${sorted(gaps).join(",")} ms (storing and timer ${sorted(cycles.map((c) => c.overheadMs)).join(",")} ms); ` +
          `closed port: ${closedPolls.length} failed polls; ` +
          `API ${sorted(apiLatencies).join(",")} ms`,
      );

      // The frozen cluster really was stuck: each poll waited out a request timeout and was stored as failed or partial.
      for (const p of frozenPolls) {
        expect(p.complete).toBe(false);
        expect(p.durationMs).toBeGreaterThanOrEqual(3000);
      }
      // The healthy cluster kept its cadence through all of it, every poll complete: each next poll was scheduled
      // the jittered interval (±10 %) after the previous one was stored, never backed off, and started then. Held
      // up by the frozen cluster, it would wait out that cluster's request timeout: storing it and the timer's
      // lateness stay below that on any machine that runs the test at all.
      expect(healthyPolls.every((p) => p.complete)).toBe(true);
      for (const { delayMs, overheadMs } of cycles) {
        expect(delayMs).toBeGreaterThanOrEqual(Math.floor(INTERVAL_MS * 0.9));
        expect(delayMs).toBeLessThanOrEqual(Math.ceil(INTERVAL_MS * 1.1));
        expect(overheadMs, `storing and timer lateness ${cycles.map((c) => c.overheadMs).join(", ")} ms`).toBeGreaterThanOrEqual(-5);
        expect(overheadMs, `storing and timer lateness ${cycles.map((c) => c.overheadMs).join(", ")} ms`).toBeLessThan(DEFAULT_TIMEOUTS.requestTimeoutMs);
      }
      const slowestCycle = INTERVAL_MS * 1.1 + Math.max(...cycles.map((c) => c.overheadMs)) + Math.max(...healthyPolls.map((p) => p.durationMs));
      expect(healthyPolls.length).toBeGreaterThanOrEqual(Math.floor((windowEnd - hungAt) / slowestCycle));
      // The closed port failed fast and, a cluster that is down being expected back, is tried again every interval
      // (never sooner): each attempt recorded.
      expect(closedPolls.length).toBeGreaterThanOrEqual(3);
      for (const p of closedPolls) expect(p.error).toMatch(/^Cluster closed-port unreachable: CONNECTION: .*ECONNREFUSED/);
      const closedGaps = closedPolls.slice(1).map((p, i) => p.startedAt.getTime() - endOf(closedPolls[i]));
      for (const gap of closedGaps) expect(gap, `closed-port gaps ${closedGaps.join(", ")} ms`).toBeGreaterThanOrEqual(INTERVAL_MS * 0.9 - 5);
      // The API answered while each frozen poll waited on its broker: calls that started and were answered inside
      // the poll (a request blocked behind it would be answered only after it ended).
      for (const p of frozenPolls) {
        const inside = apiCalls.filter((c) => c.started >= p.startedAt.getTime() && c.answered < endOf(p));
        expect(inside.length, `API calls answered during the frozen poll at ${p.startedAt.toISOString()}`).toBeGreaterThanOrEqual(2);
      }
    } finally {
      if (frozen?.isRunning(1)) await frozen.resume(1);
      await poller?.stop();
    }
  }, 300_000);
});
