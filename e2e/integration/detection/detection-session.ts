// The production pipeline in a test: collector → runDetectors on a fixed cadence, every poll kept so tests can
// say when a finding appeared (in polls) and check everything else reported about a scenario's entities.
import { runDetectors, type DetectorSettings, type Finding, type FindingKind } from "@/lib/analysis";
import type { Derived, DetectorState } from "@/lib/analysis/index";
import { ClusterCollector } from "@/lib/kafka/collector";
import type { ClusterSnapshot } from "@/lib/snapshot/types";
import { sleep } from "../../../scripts/scenarios/support";

/** Tests poll every 2 s; thresholds that need history are scaled to a few polls. */
export const SCALED_POLL_MS = 2000;
export const SCALED_SETTINGS = {
  lsoStuckMs: 4000,
  txnBlockedMs: 4000,
  stallMs: 6000,
  stoppedMs: 10_000,
  hotPersistentPolls: 3,
} satisfies Partial<DetectorSettings>;

export interface PollRecord {
  /** 1-based poll number within the session. */
  n: number;
  /**
   * Incomplete polls go to the detectors as in production (e.g. ListOffsets answers NOT_LEADER_OR_FOLLOWER for
   * a moment after a topic is created, although metadata already names the leader).
   */
  complete: boolean;
  collectedAt: number;
  snapshot: ClusterSnapshot;
  findings: Finding[];
  derived: Derived;
  state: DetectorState;
}

export function openCollector(brokers: string[], name: string): ClusterCollector {
  return new ClusterCollector({ name, brokers, clientId: `detection-${name}`, ssl: false });
}

/** One detector history (fresh per test) over a shared collector, polled every `intervalMs` (start to start). */
export class DetectionSession {
  readonly polls: PollRecord[] = [];
  private state: DetectorState | null = null;
  private nextPollAt = 0;

  constructor(
    private readonly collector: ClusterCollector,
    readonly intervalMs: number,
    private readonly settings?: Partial<DetectorSettings>,
  ) {}

  async poll(): Promise<PollRecord> {
    const wait = this.nextPollAt - Date.now();
    if (wait > 0) await sleep(wait);
    const snapshot = await this.collector.collect();
    this.nextPollAt = snapshot.collectedAt + this.intervalMs;
    const { findings, state, derived } = runDetectors({
      snapshot,
      previous: this.state,
      now: snapshot.collectedAt + snapshot.durationMs,
      settings: this.settings,
    });
    this.state = state;
    const record: PollRecord = {
      n: this.polls.length + 1,
      complete: snapshot.complete,
      collectedAt: snapshot.collectedAt,
      snapshot,
      findings,
      derived,
      state,
    };
    this.polls.push(record);
    return record;
  }

  /** Polls until `done` holds for a poll and returns that poll; fails after `maxPolls` more polls. */
  async pollUntil(what: string, done: (poll: PollRecord) => boolean, maxPolls: number): Promise<PollRecord> {
    for (let i = 0; i < maxPolls; i++) {
      const poll = await this.poll();
      if (done(poll)) return poll;
    }
    const last = this.polls.at(-1);
    const seen = last ? last.findings.map((f) => `${f.kind} ${JSON.stringify(f.subject)}`).join("\n  ") : "(no poll)";
    throw new Error(`${what}: not seen within ${maxPolls} polls; last poll's findings:\n  ${seen}`);
  }

  /** The earliest poll so far where `done` holds, else pollUntil. */
  async firstWhere(what: string, done: (poll: PollRecord) => boolean, maxPolls: number): Promise<PollRecord> {
    return this.polls.find(done) ?? this.pollUntil(what, done, maxPolls);
  }

  /** Polls `count` more times. */
  async pollTimes(count: number): Promise<void> {
    for (let i = 0; i < count; i++) await this.poll();
  }

  /**
   * Detection latency in polls: how many polls started at or after `since` (when the situation existed, plus any
   * threshold the detector needs by design) up to and including `detected`. 1 = the first such poll saw it.
   */
  latencySince(since: number, detected: PollRecord): number {
    return this.polls.filter((p) => p.collectedAt >= since && p.n <= detected.n).length;
  }
}

/** The entities a scenario owns; a finding is about the scenario when its subject names one of them. */
export interface ScenarioEntities {
  topics?: string[];
  groupIds?: string[];
  transactionalIds?: string[];
}

export function isAbout(finding: Finding, entities: ScenarioEntities): boolean {
  const { topic, groupId, transactionalId } = finding.subject;
  return (
    (topic !== undefined && (entities.topics ?? []).includes(topic)) ||
    (groupId !== undefined && (entities.groupIds ?? []).includes(groupId)) ||
    (transactionalId !== undefined && (entities.transactionalIds ?? []).includes(transactionalId))
  );
}

/** Every (kind, subject) reported about the entities over all polls of a session, as sortable strings. */
export function reportedAbout(polls: PollRecord[], entities: ScenarioEntities, ignore: FindingKind[] = []): string[] {
  const seen = new Set<string>();
  for (const poll of polls) {
    for (const f of poll.findings) {
      if (isAbout(f, entities) && !ignore.includes(f.kind)) seen.add(describeFinding(f));
    }
  }
  return [...seen].sort();
}

export function describeFinding(f: Pick<Finding, "kind" | "subject">): string {
  const { topic, partition, groupId, transactionalId, brokerId, detail } = f.subject;
  const parts = [
    topic !== undefined ? `topic=${topic}` : null,
    partition !== undefined ? `partition=${partition}` : null,
    groupId !== undefined ? `group=${groupId}` : null,
    transactionalId !== undefined ? `txid=${transactionalId}` : null,
    brokerId !== undefined ? `broker=${brokerId}` : null,
    detail !== undefined ? `detail=${detail}` : null,
  ].filter(Boolean);
  return `${f.kind} ${parts.join(" ")}`;
}

export function findingsOf(poll: PollRecord, kind: FindingKind, entities: ScenarioEntities): Finding[] {
  return poll.findings.filter((f) => f.kind === kind && isAbout(f, entities));
}

/** Per-test measurements printed once per file, for the report. */
export class LatencyReport {
  private readonly rows: string[] = [];

  add(scenario: string, detector: string, latencyPolls: number | string, extra = ""): void {
    this.rows.push(`${scenario.padEnd(28)} ${detector.padEnd(32)} ${String(latencyPolls).padStart(4)} ${extra}`);
  }

  print(title: string): void {
    console.log(`${title}\n${"scenario".padEnd(28)} ${"detector".padEnd(32)} polls\n${this.rows.join("\n")}`);
  }
}
