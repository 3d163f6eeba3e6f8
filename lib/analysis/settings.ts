// Every threshold in one place so the UI can show and override them.

export interface DetectorSettings {
  /**
   * find-hanging's --max-transaction-timeout. null = the largest broker `transaction.max.timeout.ms`
   * (Kafka default 15 min): no transaction may legitimately stay open longer than that.
   */
  maxTransactionTimeoutMs: number | null;
  /**
   * An LSO pinned by an open transaction older than this (timed from the transaction's start, whether or not
   * the HW moves) is reported. 2 min = the default producer `transaction.timeout.ms` (60 s) + the
   * coordinator's abort sweep (10 s) + a 15 s poll, with margin: a transaction that times out normally is
   * aborted, and the LSO released, before we alarm.
   */
  lsoStuckMs: number;
  /**
   * A read_committed group caught up to an LSO that an open transaction has pinned this long (timed from the
   * transaction's start) is TXN_BLOCKED: well inside the default 60 s producer transaction.timeout.ms, so it
   * shows even for a transaction the coordinator later aborts, yet longer than a normal transaction.
   */
  txnBlockedMs: number;
  /** Committed-offset samples kept per group partition, and how far back they may go. */
  lagSamples: number;
  lagWindowMs: number;
  /** Committed offset unchanged this long while consumable records wait: STALLED. */
  stallMs: number;
  /**
   * A group without active members whose committed offset has not moved for this long while records wait is
   * STOPPED (a restart or a membership the classic describe cannot see is not).
   */
  stoppedMs: number;
  /**
   * Without the collector's control-batch check, a consumable lag up to this many offsets on an
   * otherwise idle partition is the commit/abort marker after the last data record, not real lag.
   */
  markerLagTolerance: number;
  /** Consumable lag from which a growing lag is LAGGING rather than noise. */
  laggingMinLag: number;
  /** Fencing: window and count for a fight between instances of one transactional id. */
  fenceWindowMs: number;
  fenceFightCount: number;
  /** Samples kept per partition for rates. */
  rateSamples: number;
  /** A partition is hot when its rate is this many times the topic median... */
  hotSkewFactor: number;
  /** ...or carries at least this share of its topic's traffic (topics with ≥ 3 partitions)... */
  hotShare: number;
  /** ...and at least this many records per second (below it, skew is noise). */
  hotMinRecordsPerSec: number;
  /** Consecutive hot polls that make a hot partition a finding (fewer is a burst, shown on the heatmap only). */
  hotPersistentPolls: number;
  /** A broker leading this many times its fair share of the cluster's write rate is flagged. */
  brokerShareFactor: number;
  /** Lag is concentrated when ≤ 20 % of a group's partitions hold at least this share of its lag. */
  lagConcentrationShare: number;
  /** Transactional ids of one family (random parts stripped) that reveal a fresh id per restart. */
  lostFencingMinIds: number;
  /**
   * A transactional id with no transaction for this many times its usual interval between transactions (and
   * at least inactiveMinMs) is inactive: its instance is gone, so pipeline checks leave it out.
   */
  inactiveIntervals: number;
  inactiveMinMs: number;
  /** How long history about ids, producers and topics is remembered. */
  historyRetentionMs: number;
  /** A non-transactional producer must have written this recently to count as a mixed writer. */
  mixedWriterActiveMs: number;
}

export const DEFAULT_SETTINGS: DetectorSettings = {
  maxTransactionTimeoutMs: null,
  lsoStuckMs: 120_000,
  txnBlockedMs: 30_000,
  lagSamples: 12,
  lagWindowMs: 15 * 60_000,
  stallMs: 120_000,
  stoppedMs: 300_000,
  markerLagTolerance: 1,
  laggingMinLag: 100,
  fenceWindowMs: 10 * 60_000,
  fenceFightCount: 3,
  rateSamples: 6,
  hotSkewFactor: 3,
  hotShare: 0.5,
  hotMinRecordsPerSec: 10,
  hotPersistentPolls: 3,
  brokerShareFactor: 2,
  lagConcentrationShare: 0.8,
  lostFencingMinIds: 3,
  inactiveIntervals: 20,
  inactiveMinMs: 10 * 60_000,
  historyRetentionMs: 24 * 60 * 60_000,
  mixedWriterActiveMs: 10 * 60_000,
};

export const KAFKA_DEFAULT_TRANSACTION_MAX_TIMEOUT_MS = 900_000;

export function resolveSettings(overrides?: Partial<DetectorSettings>): DetectorSettings {
  const settings = { ...DEFAULT_SETTINGS, ...overrides };
  // A hot broker is judged on each of the last hotPersistentPolls intervals: keep enough samples for them.
  return { ...settings, rateSamples: Math.max(settings.rateSamples, settings.hotPersistentPolls + 1) };
}

export const SETTING_KEYS = Object.keys(DEFAULT_SETTINGS) as Array<keyof DetectorSettings>;

/**
 * The command-line flag of a setting: kebab-case, durations (…Ms) given in seconds, e.g.
 * lsoStuckMs → --lso-stuck SECONDS, fenceFightCount → --fence-fight-count N.
 */
export function settingFlag(key: keyof DetectorSettings): { flag: string; seconds: boolean } {
  const seconds = key.endsWith("Ms");
  const name = seconds ? key.slice(0, -2) : key;
  return { flag: name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), seconds };
}

/** Settings given as flags (flag name → raw value); throws a RangeError naming the bad flag. */
export function settingsFromFlags(values: Record<string, string | boolean | undefined>): Partial<DetectorSettings> {
  const settings: Partial<Record<keyof DetectorSettings, number>> = {};
  for (const key of SETTING_KEYS) {
    const { flag, seconds } = settingFlag(key);
    const raw = values[flag];
    if (raw === undefined) continue;
    const n = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : NaN;
    if (!Number.isFinite(n) || n < 0) throw new RangeError(`--${flag} must be a non-negative number${seconds ? " of seconds" : ""}`);
    settings[key] = seconds ? n * 1000 : n;
  }
  return settings as Partial<DetectorSettings>;
}

/** One line per flag, with its default, for usage messages. */
export function settingsUsage(): string {
  return SETTING_KEYS.map((key) => {
    const { flag, seconds } = settingFlag(key);
    const value = DEFAULT_SETTINGS[key];
    const shown = value === null ? "broker's" : seconds ? `${value / 1000}` : `${value}`;
    return `  --${flag} ${seconds ? "SECONDS" : "N"} (default ${shown})`;
  }).join("\n");
}
