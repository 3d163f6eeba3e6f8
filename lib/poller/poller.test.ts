import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ClusterSnapshot } from "@/lib/snapshot/types";
import { makeSnapshot } from "@/lib/store/test-fixtures";
import { startPoller, type Analysis, type PollerOptions, type PollerStore, type PolledCluster } from "./poller";

const INTERVAL = 15_000;
const cluster: PolledCluster = { name: "fixture", brokers: ["127.0.0.1:9092"] };
const silent = { info: () => {}, warn: () => {}, error: () => {} };

interface Harness {
  store: PollerStore & {
    polls: { at: number; findings: number; detectorKinds?: readonly string[]; state: unknown }[];
    failed: { at: number; error: string; phase?: string }[];
  };
  collectStarts: number[];
}

function harness(): Harness {
  const polls: Harness["store"]["polls"] = [];
  const failed: Harness["store"]["failed"] = [];
  return {
    collectStarts: [],
    store: {
      polls,
      failed,
      loadAnalysisState: async () => ({ stored: true }),
      recordPoll: async (snapshot, findings, options) => {
        polls.push({ at: Date.now(), findings: findings.length, detectorKinds: options.detectorKinds, state: options.analysisState });
      },
      recordFailedPoll: async (input) => {
        failed.push({ at: input.startedAt.getTime(), error: input.error, ...(input.phase ? { phase: input.phase } : {}) });
      },
    },
  };
}

function options(h: Harness, overrides: Partial<PollerOptions<PolledCluster>> = {}): PollerOptions<PolledCluster> {
  return {
    clusters: [cluster],
    intervalMs: INTERVAL,
    collect: async () => {
      h.collectStarts.push(Date.now());
      return makeSnapshot({ collectedAt: Date.now() });
    },
    analyze: (_snapshot, previous): Analysis => ({ findings: [], state: { previous } }),
    store: h.store,
    random: () => 0.5, // no jitter: exact delays
    log: silent,
    ...overrides,
  };
}

/** Stops, letting fake time run so a poll in flight can finish. */
async function stopAndDrain(poller: { stop(): Promise<void> }) {
  const stopping = poller.stop();
  await vi.advanceTimersByTimeAsync(120_000);
  await stopping;
}

const delays = (starts: number[]) => starts.slice(1).map((t, i) => t - starts[i]);
const unreachable = (): ClusterSnapshot => ({
  ...makeSnapshot({ collectedAt: Date.now(), failedPhases: ["metadata"] }),
  brokers: [],
  topics: [],
});

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(Date.UTC(2026, 0, 1));
});
afterEach(() => {
  vi.useRealTimers();
});

describe("startPoller", () => {
  it("never overlaps polls of a cluster: the next starts an interval after the previous one finished", async () => {
    const h = harness();
    let active = 0;
    let maxActive = 0;
    const poller = startPoller(
      options(h, {
        collect: async () => {
          h.collectStarts.push(Date.now());
          active += 1;
          maxActive = Math.max(maxActive, active);
          await new Promise((r) => setTimeout(r, 40_000)); // slower than the interval
          active -= 1;
          return makeSnapshot({ collectedAt: Date.now() });
        },
      }),
    );
    await vi.advanceTimersByTimeAsync(200_000);
    await stopAndDrain(poller);
    expect(maxActive).toBe(1);
    expect(delays(h.collectStarts).every((d) => d === 40_000 + INTERVAL)).toBe(true);
    expect(h.collectStarts.length).toBeGreaterThanOrEqual(3);
  });

  it("reports each next poll as it is scheduled, after the previous one was stored, with the delay it chose", async () => {
    const h = harness();
    const scheduled: { cluster: string; at: number; delayMs: number; stored: number; polled: boolean }[] = [];
    const poller = startPoller(
      options(h, { onScheduled: (name, delayMs, polled) => scheduled.push({ cluster: name, at: Date.now(), delayMs, stored: h.store.polls.length, polled }) }),
    );
    await vi.advanceTimersByTimeAsync(3 * INTERVAL);
    await stopAndDrain(poller);
    expect(scheduled.slice(0, 3)).toEqual([0, 1, 2].map((i) => ({ cluster: cluster.name, at: h.collectStarts[i], delayMs: INTERVAL, stored: i + 1, polled: true })));
    expect(delays(h.collectStarts).slice(0, 2)).toEqual([INTERVAL, INTERVAL]);
  });

  it("backs off exponentially while the collector itself fails (not a cluster that is down), recording each failure, and recovers", async () => {
    const h = harness();
    let reachableFrom = Infinity;
    const poller = startPoller(
      options(h, {
        collect: async () => {
          h.collectStarts.push(Date.now());
          if (Date.now() < reachableFrom) throw new Error("ECONNREFUSED");
          return makeSnapshot({ collectedAt: Date.now() });
        },
      }),
    );
    await vi.advanceTimersByTimeAsync(30_000 + 60_000 + 120_000 + 240_000 + 300_000 + 300_000 + 1);
    expect(delays(h.collectStarts)).toEqual([30_000, 60_000, 120_000, 240_000, 300_000, 300_000]);
    expect(h.store.failed).toHaveLength(7);
    expect(h.store.failed[0].error).toBe("ECONNREFUSED");

    reachableFrom = Date.now();
    await vi.advanceTimersByTimeAsync(300_000 + INTERVAL + 1);
    expect(h.store.polls).toHaveLength(2);
    expect(delays(h.collectStarts).slice(-1)).toEqual([INTERVAL]);
    await poller.stop();
  });

  it("treats the collector's no-broker snapshot as unreachable: a failed poll, not a stored empty snapshot", async () => {
    const h = harness();
    const poller = startPoller(options(h, { collect: async () => (h.collectStarts.push(Date.now()), unreachable()) }));
    await vi.advanceTimersByTimeAsync(15_001);
    await poller.stop();
    expect(h.store.polls).toEqual([]);
    expect(h.store.failed.map((f) => f.error)).toEqual([
      expect.stringContaining("unreachable: TIMEOUT"),
      expect.stringContaining("unreachable: TIMEOUT"),
    ]);
  });

  it("stores a failed poll at the time its collection began, as it stores a poll", async () => {
    const h = harness();
    const lateBy = 7;
    const poller = startPoller(options(h, { collect: async () => ({ ...unreachable(), collectedAt: Date.now() + lateBy }) }));
    await vi.advanceTimersByTimeAsync(1);
    await poller.stop();
    expect(h.store.failed.map((f) => f.at)).toEqual([Date.UTC(2026, 0, 1) + lateBy]);
  });

  it("tries a cluster that is down every interval, so it is polled within one interval of its return; the log thins out", async () => {
    const h = harness();
    const warnings: string[] = [];
    let upFrom = Infinity;
    const poller = startPoller(
      options(h, {
        collect: async () => (h.collectStarts.push(Date.now()), Date.now() < upFrom ? unreachable() : makeSnapshot({ collectedAt: Date.now() })),
        log: { ...silent, warn: (m) => void warnings.push(m) },
      }),
    );
    await vi.advanceTimersByTimeAsync(9 * INTERVAL + 1);
    expect(delays(h.collectStarts)).toEqual(Array(9).fill(INTERVAL));
    expect(h.store.failed).toHaveLength(10);
    // Every failure stored, logged at the 1st, 2nd, 4th and 8th in a row.
    expect(warnings.map((w) => w.match(/\((\d+) in a row\)/)?.[1])).toEqual(["1", "2", "4", "8"]);
    upFrom = Date.now() + 1;
    await vi.advanceTimersByTimeAsync(INTERVAL);
    await poller.stop();
    expect(h.store.polls).toHaveLength(1);
  });

  it("keeps the polls the database did not take and writes them as failed polls of the phase store, with the outage window", async () => {
    const h = harness();
    const recordPoll = h.store.recordPoll;
    const recordFailedPoll = h.store.recordFailedPoll;
    let databaseUp = false;
    const down = async () => {
      throw new Error("Can't reach database server at 127.0.0.1:5432");
    };
    h.store.recordPoll = (...args) => (databaseUp ? recordPoll(...args) : down());
    h.store.recordFailedPoll = (input) => (databaseUp ? recordFailedPoll(input) : down());
    let reachable = true;
    const poller = startPoller(
      options(h, {
        collect: async () => (h.collectStarts.push(Date.now()), reachable ? makeSnapshot({ collectedAt: Date.now() }) : unreachable()),
      }),
    );
    // Three polls while the database is out, the middle one of a cluster that did not answer either.
    await vi.advanceTimersByTimeAsync(1);
    reachable = false;
    await vi.advanceTimersByTimeAsync(INTERVAL);
    reachable = true;
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(h.collectStarts).toHaveLength(3);
    databaseUp = true;
    await vi.advanceTimersByTimeAsync(INTERVAL);
    await poller.stop();

    // Kafka was polled every interval throughout: a database outage is no reason to back off.
    expect(delays(h.collectStarts)).toEqual([INTERVAL, INTERVAL, INTERVAL]);
    const t0 = Date.UTC(2026, 0, 1);
    const window = `from ${new Date(t0).toISOString()} to ${new Date(t0 + 3 * INTERVAL).toISOString()}`;
    const outage = `STORE: not stored, the database was unavailable ${window}: Can't reach database server at 127.0.0.1:5432`;
    expect(h.store.failed).toEqual([
      { at: t0, error: outage, phase: "store" },
      { at: t0 + INTERVAL, error: expect.stringMatching(new RegExp(`^Cluster fixture unreachable: TIMEOUT: .*; ${outage.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`)), phase: "store" },
      { at: t0 + 2 * INTERVAL, error: outage, phase: "store" },
    ]);
    // Written before the poll that found the database back, which is stored as usual.
    expect(h.store.polls).toHaveLength(1);
  });

  it("records the intervals it could not poll because the lock's database was out, and forgets them when another replica holds the lock", async () => {
    const h = harness();
    let state: "unavailable" | "mine" | "theirs" = "unavailable";
    const lock = {
      tryAcquire: async () => (state === "unavailable" ? { unavailable: "connect ECONNREFUSED 127.0.0.1:5432" } : state === "mine"),
      release: async () => {},
    };
    const poller = startPoller(options(h, { lock }));
    await vi.advanceTimersByTimeAsync(INTERVAL + 1);
    state = "mine";
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(h.collectStarts).toHaveLength(1);
    expect(h.store.failed.map((f) => [f.phase, f.error])).toEqual([
      ["store", expect.stringMatching(/^not polled: the poll lock's database was unavailable; STORE: not stored, the database was unavailable from .*: connect ECONNREFUSED/)],
      ["store", expect.stringMatching(/^not polled/)],
    ]);
    expect(h.store.polls).toHaveLength(1);

    state = "unavailable";
    await vi.advanceTimersByTimeAsync(INTERVAL);
    state = "theirs";
    await vi.advanceTimersByTimeAsync(INTERVAL);
    state = "mine";
    await vi.advanceTimersByTimeAsync(INTERVAL);
    await poller.stop();
    // The holder meanwhile polled (and reported its own gap); this replica reports nothing of it.
    expect(h.store.failed).toHaveLength(2);
    expect(h.store.polls).toHaveLength(2);
  });

  it("survives failing detectors and a failing store", async () => {
    const h = harness();
    let analyses = 0;
    const recordPoll = h.store.recordPoll;
    let storeFailures = 1;
    h.store.recordPoll = async (...args) => {
      if (storeFailures-- > 0) throw new Error("SQLITE_BUSY");
      return recordPoll(...args);
    };
    const poller = startPoller(
      options(h, {
        analyze: () => {
          analyses += 1;
          if (analyses === 2) throw new Error("detector bug");
          return { findings: [], state: { n: analyses } };
        },
      }),
    );
    // poll 1: store fails (kept, no backoff); poll 2: the kept poll is written, detectors fail; poll 3: all fine.
    await vi.advanceTimersByTimeAsync(2 * INTERVAL + 1);
    await poller.stop();
    expect(h.store.failed).toEqual([
      { at: Date.UTC(2026, 0, 1), error: "STORE: not stored, the database was unavailable from 2026-01-01T00:00:00.000Z to 2026-01-01T00:00:15.000Z: SQLITE_BUSY", phase: "store" },
    ]);
    expect(h.store.polls.map((p) => p.detectorKinds)).toEqual([[], undefined]);
    expect(h.store.polls[1].state).toEqual({ n: 3 });
  });

  it("passes the stored detector state to the first analysis and each result to the next", async () => {
    const h = harness();
    const seen: unknown[] = [];
    const poller = startPoller(options(h, { analyze: (_s, previous) => (seen.push(previous), { findings: [], state: seen.length }) }));
    await vi.advanceTimersByTimeAsync(2 * INTERVAL + 1);
    await poller.stop();
    expect(seen).toEqual([{ stored: true }, 1, 2]);
  });

  it("stop() waits for the poll in flight and schedules no more", async () => {
    const h = harness();
    const poller = startPoller(
      options(h, {
        collect: async () => {
          h.collectStarts.push(Date.now());
          await new Promise((r) => setTimeout(r, 5_000));
          return makeSnapshot({ collectedAt: Date.now() });
        },
      }),
    );
    await vi.advanceTimersByTimeAsync(1_000);
    let stopped = false;
    const stopping = poller.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(stopped).toBe(false);
    await vi.advanceTimersByTimeAsync(4_000);
    await stopping;
    expect(h.store.polls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10 * INTERVAL);
    expect(h.collectStarts).toHaveLength(1);
  });

  it("does not poll a cluster whose lock another replica holds, and takes over when it is free", async () => {
    const h = harness();
    let free = false;
    const released: string[] = [];
    const polled: boolean[] = [];
    const poller = startPoller(
      options(h, {
        lock: { tryAcquire: async () => free, release: async (name) => void released.push(name) },
        onScheduled: (_, __, didPoll) => polled.push(didPoll),
      }),
    );
    await vi.advanceTimersByTimeAsync(3 * INTERVAL);
    expect(h.collectStarts).toEqual([]);
    free = true;
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(h.collectStarts).toHaveLength(1);
    // Each scheduling says whether this replica polled: not while the other held the lock.
    expect(polled.length).toBeGreaterThanOrEqual(4);
    expect(polled).toEqual([...polled.slice(0, -1).map(() => false), true]);
    await poller.stop();
    expect(released).toContain("fixture");
  });

  it("polls each cluster at its own interval", async () => {
    const h = harness();
    const starts: Record<string, number[]> = { fixture: [], rare: [] };
    const rare: PolledCluster = { name: "rare", brokers: ["127.0.0.1:9093"], pollIntervalMs: 60_000 };
    const poller = startPoller(
      options(h, {
        clusters: [cluster, rare],
        collect: async (c) => (starts[c.name].push(Date.now()), makeSnapshot({ cluster: c.name, collectedAt: Date.now() })),
      }),
    );
    await vi.advanceTimersByTimeAsync(120_001);
    await poller.stop();
    expect(delays(starts.fixture)).toEqual(Array(8).fill(INTERVAL));
    expect(delays(starts.rare)).toEqual([60_000, 60_000]);
  });

  it("polls clusters independently and runs maintenance periodically", async () => {
    const h = harness();
    const runs: number[] = [];
    const slow: PolledCluster = { name: "slow", brokers: ["127.0.0.1:9093"] };
    const starts: Record<string, number> = { fixture: 0, slow: 0 };
    const poller = startPoller(
      options(h, {
        clusters: [cluster, slow],
        collect: async (c) => {
          starts[c.name] += 1;
          if (c.name === "slow") await new Promise((r) => setTimeout(r, 60_000));
          return makeSnapshot({ cluster: c.name, collectedAt: Date.now() });
        },
        maintenance: { everyMs: 3_600_000, run: async (now) => void runs.push(now.getTime()) },
      }),
    );
    await vi.advanceTimersByTimeAsync(3_600_000 + 1);
    await stopAndDrain(poller);
    expect(starts.fixture).toBe(241);
    // The slow cluster starts every 60 s + 15 s without holding the other back.
    expect(starts.slow).toBe(49);
    expect(runs).toEqual([Date.UTC(2026, 0, 1, 0), Date.UTC(2026, 0, 1, 1)]);
  });

  it("runs maintenance at start-up, so an instance restarted every 20 min still prunes", async () => {
    const h = harness();
    const runs: number[] = [];
    const starts: number[] = [];
    for (let restart = 0; restart < 4; restart++) {
      starts.push(Date.now());
      const poller = startPoller(options(h, { maintenance: { everyMs: 3_600_000, run: async (now) => void runs.push(now.getTime()) } }));
      await vi.advanceTimersByTimeAsync(20 * 60_000);
      await stopAndDrain(poller);
    }
    // Each life was shorter than the hour between scheduled runs: only the start-up runs pruned.
    expect(runs).toEqual(starts);
    expect(starts.at(-1)! - starts[0]).toBeGreaterThanOrEqual(60 * 60_000);
  });
});
