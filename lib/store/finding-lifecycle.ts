import { createHash } from "node:crypto";
import { SEVERITY_RANK } from "@/lib/analysis/findings";
import type { Db, Prisma } from "./db";
import type { FindingRecordInput, FindingSeverity, FindingTransition, StoredCommand } from "./types";

type Tx = Pick<Db, "finding">;

export interface FindingLifecycleResult {
  opened: string[];
  stillOpen: string[];
  resolved: string[];
  /** What notifications report: openings, severity rises and resolutions, in that order. */
  transitions: FindingTransition[];
}

/** Stable finding id: the same condition first seen at the same poll always gets the same id. */
export function findingId(cluster: string, key: string, firstSeenAt: Date): string {
  return createHash("sha256").update(`${cluster}\u0000${key}\u0000${firstSeenAt.getTime()}`).digest("base64url").slice(0, 20);
}

// Commands ride in the evidence JSON column under a key no detector uses (evidence keys are camelCase), so
// they need no schema migration; findings stored before them simply have none.
const COMMANDS_KEY = "_commands";

function isStoredCommand(value: unknown): value is StoredCommand {
  const c = value as StoredCommand;
  return (
    typeof c === "object" && c !== null && typeof c.program === "string" && typeof c.purpose === "string" &&
    Array.isArray(c.args) && c.args.every((a) => typeof a === "string")
  );
}

/** The evidence column's JSON: the detector's evidence plus its commands. */
export function storedEvidence(input: Pick<FindingRecordInput, "evidence" | "commands">): Prisma.InputJsonValue {
  return (input.commands?.length ? { ...input.evidence, [COMMANDS_KEY]: input.commands } : input.evidence) as Prisma.InputJsonValue;
}

/** Splits the evidence column back into the detector's evidence and its commands. */
export function readStoredEvidence(stored: unknown): { evidence: Record<string, unknown>; commands: StoredCommand[] } {
  const { [COMMANDS_KEY]: commands, ...evidence } = (stored ?? {}) as Record<string, unknown>;
  return { evidence, commands: Array.isArray(commands) ? commands.filter(isStoredCommand) : [] };
}

function content(input: FindingRecordInput) {
  return {
    kind: input.kind,
    severity: input.severity,
    title: input.title,
    explanation: input.explanation,
    remediation: input.remediation,
    evidence: storedEvidence(input),
  };
}

const sameContent = (
  row: { severity: string; title: string; explanation: string; remediation: string; evidence: unknown },
  next: ReturnType<typeof content>,
) =>
  row.severity === next.severity &&
  row.title === next.title &&
  row.explanation === next.explanation &&
  row.remediation === next.remediation &&
  JSON.stringify(row.evidence) === JSON.stringify(next.evidence);

/**
 * Opens findings seen for the first time, refreshes the ones still reported, and resolves open findings
 * of `resolvableKinds` that this poll no longer reports.
 */
export async function applyFindingLifecycle(
  tx: Tx,
  cluster: { id: number; name: string },
  poll: { id: number; at: Date },
  findings: readonly FindingRecordInput[],
  resolvableKinds: ((kind: string) => boolean),
): Promise<FindingLifecycleResult> {
  const reported = new Map(findings.map((f) => [f.key, f]));
  const open = await tx.finding.findMany({ where: { clusterId: cluster.id, resolvedAt: null } });
  const openByKey = new Map(open.map((row) => [row.key, row]));

  const toCreate: Prisma.FindingCreateManyInput[] = [];
  const stillOpen: string[] = [];
  const escalated: FindingTransition[] = [];
  for (const input of reported.values()) {
    const row = openByKey.get(input.key);
    const next = content(input);
    if (!row) {
      toCreate.push({
        id: findingId(cluster.name, input.key, poll.at),
        clusterId: cluster.id,
        key: input.key,
        ...next,
        topic: input.subject.topic ?? null,
        partition: input.subject.partition ?? null,
        transactionalId: input.subject.transactionalId ?? null,
        groupId: input.subject.groupId ?? null,
        brokerId: input.subject.brokerId ?? null,
        detail: input.subject.detail ?? null,
        firstSeenAt: poll.at,
        lastSeenAt: poll.at,
        firstPollId: poll.id,
        lastPollId: poll.id,
      });
      continue;
    }
    stillOpen.push(row.id);
    const before = row.severity as FindingSeverity;
    if (SEVERITY_RANK[next.severity] > SEVERITY_RANK[before]) {
      escalated.push({ findingId: row.id, transition: "escalated", severity: next.severity, previousSeverity: before });
    }
    // Only changed findings are rewritten; the rest get one batched lastSeen update below.
    if (!sameContent(row, next)) await tx.finding.update({ where: { id: row.id }, data: next });
  }
  if (toCreate.length) await tx.finding.createMany({ data: toCreate });
  if (stillOpen.length) {
    await tx.finding.updateMany({ where: { id: { in: stillOpen } }, data: { lastSeenAt: poll.at, lastPollId: poll.id } });
  }
  const resolvedRows = open.filter((row) => !reported.has(row.key) && resolvableKinds(row.kind));
  const resolved = resolvedRows.map((row) => row.id);
  if (resolved.length) {
    await tx.finding.updateMany({ where: { id: { in: resolved } }, data: { resolvedAt: poll.at } });
  }
  const transitions: FindingTransition[] = [
    ...toCreate.map((c) => ({ findingId: c.id, transition: "opened" as const, severity: c.severity as FindingSeverity, previousSeverity: null })),
    ...escalated,
    ...resolvedRows.map((row) => ({ findingId: row.id, transition: "resolved" as const, severity: row.severity as FindingSeverity, previousSeverity: null })),
  ];
  return { opened: toCreate.map((c) => c.id), stillOpen, resolved, transitions };
}
