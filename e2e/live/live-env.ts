// What the live global setup hands to the specs (through the environment, which Playwright workers inherit).
/** A finding a scenario must produce, and the page (path under the cluster) that must show it. */
export interface ExpectedFinding {
  scenario: string;
  kind: string;
  /** Fields the finding's subject must equal; a string ending in `*` matches by prefix. */
  subject: { topic?: string; partition?: number; transactionalId?: string; groupId?: string };
  page: string;
}

export interface LiveEnv {
  baseUrl: string;
  cluster: string;
  bootstrap: string;
  brokerPids: number[];
  pollIntervalMs: number;
  hanging: { topic: string; partition: number; transactionalId: string; producerId: number; hangingOffset: number };
  stuck: { topic: string; partition: number; transactionalId: string; transactionFirstOffset: number };
  lagOfOne: { groupId: string; topic: string };
  hostileTransactionalId: string;
  hostileGroupId: string;
  /** A moment after the first complete poll and before `lateTransactionalId` existed. */
  beforeLateArrival: string;
  lateTransactionalId: string;
  expectedFindings: ExpectedFinding[];
  /** The healthy pipeline's transactional id: the pipelines page lists it with a passing checklist. */
  healthyTransactionalId: string;
  /** The hot-partition scenario's topic and the partitions its whale customer's keys hash to. */
  hot: { topic: string; hotPartitions: number[] };
}

const KEY = "EOS_AUDITOR_LIVE_ENV";

export function publishLiveEnv(env: LiveEnv): void {
  process.env[KEY] = JSON.stringify(env);
}

export function liveEnv(): LiveEnv {
  const raw = process.env[KEY];
  if (!raw) throw new Error("live e2e environment missing: run with -c e2e/live/playwright.config.ts");
  return JSON.parse(raw) as LiveEnv;
}
