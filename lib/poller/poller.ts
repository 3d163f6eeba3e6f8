import type { ClusterSnapshot } from "@/lib/snapshot/types";
import type { FindingRecordInput, RecordPollOptions } from "@/lib/store/types";
import { MAX_BACKOFF_MS, nextPollDelay } from "./schedule";

// One loop per cluster. A poll never overlaps the previous one of its cluster: the next is scheduled only
// after the previous has been stored. Errors are logged and recorded, never thrown out of the loop.

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
  recordFailedPoll(input: { cluster: string; startedAt: Date; durationMs: number; error: string; brokers?: readonly string[] }): Promise<unknown>;
}

export interface PollerLock {
  tryAcquire(name: string): Promise<boolean>;
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
}

export interface Poller {
  /** Stops scheduling; resolves once in-flight polls have been stored. */
  stop(): Promise<void>;
}

export class ClusterUnreachableError extends Error {
  constructor(cluster: string, detail: string) {
    super(`Cluster ${cluster} unreachable: ${detail}`);
    this.name = "ClusterUnreachableError";
  }
}

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

    const pollOnce = async (): Promise<number> => {
      if (!(await lock.tryAcquire(cluster.name))) {
        // Another replica polls this cluster; check again later in case it goes away.
        failures = 0;
        previousState = undefined; // its polls moved the state on: reload when this replica takes over
        return nextPollDelay(intervalMs, 0, random, maxBackoffMs);
      }
      const startedAt = now();
      try {
        const snapshot = await options.collect(cluster);
        const unreachable = unreachableReason(snapshot);
        if (unreachable) throw new ClusterUnreachableError(cluster.name, unreachable);
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
        if (failures > 0) log.info(`${cluster.name}: reachable again after ${failures} failed poll(s)`);
        failures = 0;
      } catch (error) {
        failures += 1;
        const message = (error as Error)?.message ?? String(error);
        log.warn(`${cluster.name}: poll failed (${failures} in a row): ${message}`);
        await options.store
          .recordFailedPoll({ cluster: cluster.name, startedAt: new Date(startedAt), durationMs: now() - startedAt, error: message, brokers: cluster.brokers })
          .catch((storeError: unknown) => log.error(`${cluster.name}: could not record the failed poll: ${(storeError as Error)?.message}`));
      }
      return nextPollDelay(intervalMs, failures, random, maxBackoffMs);
    };
    schedule(0, pollOnce);
  }

  const maintenance = options.maintenance;
  if (maintenance) {
    // At start-up too: an instance restarted more often than everyMs (crash loop, frequent deploys) must still prune.
    schedule(0, async () => {
      try {
        if (await lock.tryAcquire(MAINTENANCE_LOCK)) await maintenance.run(new Date(now()));
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
