// Snapshot sequences recorded from the real scenarios (scripts/record-snapshots.ts) for detector unit tests:
// the file format, the filter that keeps a recording to one scenario, and gzip encoding.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync, gzipSync } from "node:zlib";
import type { DetectorSettings } from "../../settings";
import type { ClusterSnapshot, TopicState } from "../../../snapshot/types";

export const RECORDING_FORMAT = 1;

export interface Recording<Info extends object = Record<string, unknown>> {
  format: typeof RECORDING_FORMAT;
  scenario: { id: number; name: string; description: string };
  kafkaVersion: string;
  brokerCount: number;
  /** Broker settings the cluster ran with, over the harness defaults. */
  brokerConfig: Record<string, string>;
  /** Prefix of every topic, group and transactional id the scenario created. */
  prefix: string;
  /** Options the scenario ran with, over its defaults. */
  scenarioOptions: Record<string, unknown>;
  /** What the scenario reported about itself (names, offsets, fences, ...). */
  info: Info;
  pollIntervalMs: number;
  /** Thresholds scaled to the poll interval; replay with exactly these. */
  settings: Partial<DetectorSettings>;
  /** When the scenario was stopped within the recording (its situation should end after it), else null. */
  stoppedAt: number | null;
  snapshots: ClusterSnapshot[];
}

/** Where a scenario's recording lives: `<id>-<name>.json.gz` next to this module. */
export function recordingPath(scenario: { id: number; name: string }): string {
  return fileURLToPath(new URL(`./${scenario.id}-${scenario.name}.json.gz`, import.meta.url));
}

/**
 * The part of a snapshot about one scenario: its own topics, groups and transactional ids (all named with
 * `prefix`), internal topics with only the scenario's producers on them, brokers and broker configs.
 * Other scenarios run on the same broker before it; their entities would only bloat and blur the fixture.
 */
export function scopeSnapshot(snapshot: ClusterSnapshot, prefix: string): ClusterSnapshot {
  const own = (name: string) => name.startsWith(prefix);
  const topics = snapshot.topics.filter((t) => t.internal || own(t.name));
  const transactions = snapshot.transactions.filter((t) => own(t.transactionalId));
  const producerIds = new Set([
    ...transactions.map((t) => t.producerId),
    ...topics
      .filter((t) => !t.internal)
      .flatMap((t) => t.partitions.flatMap((p) => (p.producers ?? []).map((producer) => producer.producerId))),
  ]);
  return {
    ...snapshot,
    topics: topics.map((t) => (t.internal ? onlyProducers(t, producerIds) : t)),
    groups: snapshot.groups.filter((g) => own(g.groupId)),
    transactions,
  };
}

function onlyProducers(topic: TopicState, producerIds: Set<number>): TopicState {
  return {
    ...topic,
    partitions: topic.partitions.map((p) => ({
      ...p,
      producers: p.producers && p.producers.filter((producer) => producerIds.has(producer.producerId)),
    })),
  };
}

export function encodeRecording(recording: Recording<object>): Buffer {
  return gzipSync(JSON.stringify(recording), { level: 9 });
}

export class RecordingFormatError extends Error {
  constructor(file: string, format: unknown) {
    super(`${file}: recording format ${String(format)}, expected ${RECORDING_FORMAT}; re-run scripts/record-snapshots.ts`);
    this.name = "RecordingFormatError";
  }
}

export function readRecording<Info extends object>(file: string): Recording<Info> {
  const recording = JSON.parse(gunzipSync(readFileSync(file)).toString("utf8")) as Recording<Info>;
  if (recording.format !== RECORDING_FORMAT) throw new RecordingFormatError(file, recording.format);
  return recording;
}
