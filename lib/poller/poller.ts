import type { ClusterSnapshot } from "@/lib/snapshot/types";
import type { FailedPollInput, FindingRecordInput, RecordPollOptions } from "@/lib/store/types";
import { MAX_BACKOFF_MS, nextPollDelay } from "./schedule";

// One loop per cluster. A poll never overlaps the previous one of its cluster: the next is scheduled only
// after the previous has been stored. Errors are logged and recorded, never thrown out of the loop.
// While the cluster is down (no broker answers) it is tried every interval, so polling resumes within one
// interval of its return; a rejection (credentials, TLS) or a collector crash backs off instead, as retrying
// sooner changes nothing. Polls the database could not take are kept (without their snapshot) and written as
// failed polls of the phase "store" once it answers again, so an outage of the database shows in the history.

export interface PolledCluster {
  name: string;
  brokers: readonly string[];
  /** This cluster's own interval; PollerOptions.intervalMs when absent. */
  pollIntervalMs?: number;
}

export interface Analysis {
  findings: FindingRecordInput[];
  /** The detectors' fold of history to pass to the next analysis (persisted with the poll). */
  state: unknown;
  /** Finding kinds whose detectors ran (see RecordPollOptions.detectorKinds); all when omitted. */
  detectorKinds?: readonly string[];
}

export interface PollerStore {
  loadAnalysisState(cluster: string): Promise<unknown | null>;
  recordPoll(snapshot: ClusterSnapshot, findings: FindingRecordInput[], options: RecordPollOptions): Promise<unknown>;
  recordFailedPoll(input: FailedPollInput): Promise<unknown>;
}

export interface PollerLock {
  /** `unavailable` when the lock could not be checked (its database is down). */
  tryAcquire(name: string): Promise<boolean | { unavailable: string }>;
  release(name: string): Promise<void>;
}

export interface PollerLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface PollerOptions<C extends PolledCluster> {
  clusters: readonly C[];
  /** Interval of clusters without their own pollIntervalMs. */
  intervalMs: number;
  collect: (cluster: C) => Promise<ClusterSnapshot>;
  analyze: (snapshot: ClusterSnapshot, previousState: unknown | null, now: number) => Analysis;
  store: PollerStore;
  now?: () => number;
  random?: () => number;
  /** Cross-replica exclusion per cluster (PostgreSQL advisory locks); everything is granted when absent. */
  lock?: PollerLock;
  /** Housekeeping (retention and roll-ups) at start-up and every everyMs after, under the lock named "maintenance". */
  maintenance?: { everyMs: number; run: (now: Date) => Promise<unknown> };
  maxBackoffMs?: number;
  log?: PollerLogger;
  /**
   * Called as a cluster's next poll is scheduled, once the previous one is stored, with the delay chosen and
   * whether this replica polled (false when another one holds the cluster's lock).
   */
  onScheduled?: (cluster: string, delayMs: number, polled: boolean) => void;
}

export interface Poller {
  /** Stops scheduling; resolves once in-flight polls have been stored. */
  stop(): Promise<void>;
}

export class ClusterUnreachableError extends Error {
  constructor(
    cluster: string,
    detail: string,
    /** No broker answered at all (refused, timed out), as opposed to one rejecting the auditor. */
    readonly down = false,
  ) {
    super(`Cluster ${cluster} unreachable: ${detail}`);
    this.name = "ClusterUnreachableError";
  }
}

/** Transport failures: the brokers are down or frozen, which ends by itself. Anything else is a rejection. */
const OUTAGE_CODES = new Set(["CONNECTION", "TIMEOUT"]);

function clusterDown(snapshot: ClusterSnapshot): boolean {
  const errors = snapshot.phases.find((p) => p.name === "metadata")?.errors ?? [];
  return errors.every((e) => OUTAGE_CODES.has(e.code));
}

/** How many polls that could not be stored are kept per cluster for writing later (4 h at 15 s). */
export const MAX_UNSTORED_POLLS = 1000;

/** The collector reports an unreachable cluster as a snapshot whose metadata phase failed and found no broker. */
export function unreachableReason(snapshot: ClusterSnapshot): string | null {
  if (snapshot.brokers.length > 0) return null;
  const metadata = snapshot.phases.find((p) => p.name === "metadata");
  const errors = metadata?.errors ?? [];
  return errors.length ? errors.map((e) => `${e.code}: ${e.message}`).join("; ") : "no broker answered";
}

const MAINTENANCE_LOCK = "maintenance";
const consoleLogger: PollerLogger = {
  info: (m) => console.log(`[poller] ${m}`),
  warn: (m) => console.warn(`[poller] ${m}`),
  error: (m) => console.error(`[poller] ${m}`),
};
const grantAll: PollerLock = { tryAcquire: async () => true, release: async () => {} };

export function startPoller<C extends PolledCluster>(options: PollerOptions<C>): Poller {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const lock = options.lock ?? grantAll;
  const log = options.log ?? consoleLogger;
  const maxBackoffMs = options.maxBackoffMs ?? MAX_BACKOFF_MS;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const inFlight = new Set<Promise<void>>();
  let stopped = false;

  function schedule(delayMs: number, task: () => Promise<number | null>) {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (stopped) return;
      const run = task()
        .catch((error: unknown) => {
          // Tasks handle their own errors; this is the last line of defence for the loop itself.
          log.error(`unexpected: ${(error as Error)?.stack ?? String(error)}`);
          return options.intervalMs;
        })
        .then((next) => {
          inFlight.delete(run);
          if (next !== null) schedule(next, task);
        });
      inFlight.add(run);
    }, delayMs);
    timers.add(timer);
  }

  for (const cluster of options.clusters) {
    const intervalMs = cluster.pollIntervalMs ?? options.intervalMs;
    let failures = 0;
    let previousState: unknown | null | undefined;
    // Polls the database did not take, oldest first, and how many were dropped beyond MAX_UNSTORED_POLLS.
    const unstored: { startedAt: number; durationMs: number; error: string | null }[] = [];
    let droppedUnstored = 0;
    let storeError = "";

    const keepUnstored = (startedAt: number, error: string | null, cause: unknown) => {
      storeError = typeof cause === "string" ? cause : ((cause as Error)?.message ?? String(cause));
      if (unstored.length >= MAX_UNSTORED_POLLS) {
        unstored.shift();
        droppedUnstored += 1;
      }
      unstored.push({ startedAt, durationMs: now() - startedAt, error });
      if (unstored.length === 1) log.error(`${cluster.name}: poll not stored, the database failed (${storeError}); it is written as a failed poll once the database answers`);
    };

    /** Writes the polls an outage of the database kept back, with its window; throws while it is still out. */
    const flushUnstored = async () => {
      if (!unstored.length) return;
      const from = new Date(unstored[0].startedAt).toISOString();
      const to = new Date(now()).toISOString();
      const dropped = droppedUnstored ? ` (${droppedUnstored} earlier polls not kept)` : "";
      while (unstored.length) {
        const poll = unstored[0];
        const outage = `STORE: not stored, the database was unavailable from ${from} to ${to}${dropped}: ${storeError}`;
        await options.store.recordFailedPoll({
          cluster: cluster.name,
          startedAt: new Date(poll.startedAt),
          durationMs: poll.durationMs,
          error: poll.error ? `${poll.error}; ${outage}` : outage,
          brokers: cluster.brokers,
          phase: "store",
        });
        unstored.shift();
      }
      log.info(`${cluster.name}: the database answers again; recorded the polls it missed since ${from}${dropped}`);
      droppedUnstored = 0;
    };

    let polled = false;
    const pollOnce = async (): Promise<number> => {
      polled = false;
      const granted = await lock.tryAcquire(cluster.name);
      if (typeof granted === "object") {
        // Polling without the lock could double another replica's polls: this interval goes unpolled, and says so.
        keepUnstored(now(), "not polled: the poll lock's database was unavailable", granted.unavailable);
        return nextPollDelay(intervalMs, 0, random, maxBackoffMs);
      }
      if (!granted) {
        // Another replica polls this cluster (and reports its own gaps); check again later in case it goes away.
        failures = 0;
        previousState = undefined; // its polls moved the state on: reload when this replica takes over
        unstored.length = 0;
        droppedUnstored = 0;
        return nextPollDelay(intervalMs, 0, random, maxBackoffMs);
      }
      polled = true;
      let startedAt = now();
      let backOff = true;
      try {
        const snapshot = await options.collect(cluster);
        // A poll's time is when its collection began, however it is stored (a stored poll's is the snapshot's): the
        // collector's clock read a moment after this one, and on a loaded machine a few ms later.
        startedAt = snapshot.collectedAt;
        const unreachable = unreachableReason(snapshot);
        if (unreachable) throw new ClusterUnreachableError(cluster.name, unreachable, clusterDown(snapshot));
        try {
          await flushUnstored();
          previousState ??= await options.store.loadAnalysisState(cluster.name);
          let analysis: Analysis;
          try {
            analysis = options.analyze(snapshot, previousState, now());
          } catch (error) {
            // Store the poll anyway, but resolve nothing: no detector ran.
            log.error(`${cluster.name}: detectors failed: ${(error as Error)?.stack ?? String(error)}`);
            analysis = { findings: [], state: previousState, detectorKinds: [] };
          }
          await options.store.recordPoll(snapshot, analysis.findings, {
            brokers: cluster.brokers,
            detectorKinds: analysis.detectorKinds,
            analysisState: analysis.state ?? undefined,
          });
          previousState = analysis.state;
        } catch (error) {
          // The cluster answered; the database did not: no reason to poll Kafka less often.
          keepUnstored(startedAt, null, error);
        }
        if (failures > 0) log.info(`${cluster.name}: reachable again after ${failures} failed poll(s)`);
        failures = 0;
      } catch (error) {
        failures += 1;
        backOff = !(error instanceof ClusterUnreachableError && error.down);
        const message = (error as Error)?.message ?? String(error);
        // Every failure is stored; the log says so at the 1st, 2nd, 4th, 8th… in a row.
        if ((failures & (failures - 1)) === 0) log.warn(`${cluster.name}: poll failed (${failures} in a row): ${message}`);
        try {
          await flushUnstored();
          await options.store.recordFailedPoll({ cluster: cluster.name, startedAt: new Date(startedAt), durationMs: now() - startedAt, error: message, brokers: cluster.brokers });
        } catch (storeError) {
          keepUnstored(startedAt, message, storeError);
        }
      }
      return nextPollDelay(intervalMs, backOff ? failures : 0, random, maxBackoffMs);
    };
    schedule(0, async () => {
      const delayMs = await pollOnce();
      options.onScheduled?.(cluster.name, delayMs, polled);
      return delayMs;
    });
  }

  const maintenance = options.maintenance;
  if (maintenance) {
    // At start-up too: an instance restarted more often than everyMs (crash loop, frequent deploys) must still prune.
    schedule(0, async () => {
      try {
        if ((await lock.tryAcquire(MAINTENANCE_LOCK)) === true) await maintenance.run(new Date(now()));
      } catch (error) {
        log.error(`maintenance failed: ${(error as Error)?.message ?? String(error)}`);
      }
      return maintenance.everyMs;
    });
  }

  return {
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      while (inFlight.size) await Promise.all([...inFlight]);
      await Promise.all([...options.clusters.map((c) => lock.release(c.name)), lock.release(MAINTENANCE_LOCK)]);
    },
  };
}
