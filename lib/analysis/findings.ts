import type { RemediationCommand } from "./commands";

// What detectors produce. The store tracks a finding's lifecycle (opened, still present, resolved) by `key`,
// so a key must be identical for the same condition on every poll and differ between conditions.

export type Severity = "info" | "warning" | "critical";

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/** Sort comparator: critical first, info last. */
export function mostSevereFirst(a: { severity: Severity }, b: { severity: Severity }): number {
  return SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity];
}

export type FindingKind =
  | "hanging-transaction"
  | "stuck-lso"
  | "long-transaction"
  | "eos-lag"
  | "transaction-timed-out"
  | "zombie-fenced"
  | "fencing-fight"
  | "lost-fencing"
  | "unfenced-zombie"
  | "hot-partition"
  | "hot-broker"
  | "lag-concentration"
  | "read-uncommitted"
  | "mixed-writers"
  | "config-min-isr-one"
  | "config-min-isr-unsafe"
  | "config-low-replication"
  | "config-unclean-election"
  | "config-transaction-log"
  | "config-max-timeout-high"
  | "config-retention-below-segment"
  | "config-verification-disabled"
  | "internal-topic-unhealthy"
  | "compacted-lso-pinned"
  | "pipeline-checklist";

export interface FindingSubject {
  topic?: string;
  partition?: number;
  transactionalId?: string;
  groupId?: string;
  brokerId?: number;
  /** Distinguishes findings that share a kind and subject, e.g. the config key a rule is about. */
  detail?: string;
}

export type EvidenceValue = number | string | boolean | null | number[] | string[];

export interface Finding {
  key: string;
  kind: FindingKind;
  severity: Severity;
  cluster: string;
  subject: FindingSubject;
  title: string;
  /** Measured values, never prose: the UI renders and charts them. */
  evidence: Record<string, EvidenceValue>;
  /** Why this threatens exactly-once processing. */
  explanation: string;
  /** What to do, in prose; it never contains a command line (it may refer to "the command below"). */
  remediation: string;
  /** Commands to run, as data: rendered and shell-quoted for a cluster only when shown (see commands.ts). */
  commands: RemediationCommand[];
}

/** cyrb53: a small, well-distributed 53-bit string hash that runs anywhere (browser and Node alike). */
function hash53(input: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

const SUBJECT_FIELDS = ["topic", "partition", "transactionalId", "groupId", "brokerId", "detail"] as const;

/** Deterministic, URL-safe key: `<kind>-<hash of cluster, kind and subject>`. */
export function findingKey(cluster: string, kind: FindingKind, subject: FindingSubject): string {
  const canonical = [cluster, kind, ...SUBJECT_FIELDS.map((f) => `${f}=${subject[f] ?? ""}`)].join("\u0000");
  return `${kind}-${hash53(canonical).toString(36).padStart(11, "0")}`;
}

export function makeFinding(finding: Omit<Finding, "key" | "commands"> & { commands?: RemediationCommand[] }): Finding {
  return { key: findingKey(finding.cluster, finding.kind, finding.subject), ...finding, commands: finding.commands ?? [] };
}

export function maxSeverity(a: Severity, b: Severity): Severity {
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;
}
