import type { FindingDto, Severity, SeverityCounts } from "./dto";
import { formatDuration, formatTimestamp } from "./format";

export interface EvidenceRow {
  /** Dotted path into the evidence object, e.g. `partitions.0.lso`. */
  key: string;
  value: string;
}

const MAX_EVIDENCE_ROWS = 400;

function scalar(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

/** Detectors name durations `…Ms` and instants `…At`/`…Time`: show them readably next to the raw number. */
function annotated(key: string, value: unknown): string {
  if (typeof value !== "number") return scalar(value);
  if (/Ms$/.test(key)) return `${value} (${formatDuration(value)})`;
  if (/(At|Time|Timestamp)$/.test(key) && value > 1e12) return `${value} (${formatTimestamp(value)})`;
  return scalar(value);
}

/** Flattens a finding's evidence JSON into key/value rows for a table; arrays of scalars stay on one row. */
export function evidenceRows(evidence: unknown): EvidenceRow[] {
  const rows: EvidenceRow[] = [];
  const walk = (value: unknown, key: string) => {
    if (rows.length >= MAX_EVIDENCE_ROWS) return;
    if (Array.isArray(value) && value.every((v) => v === null || typeof v !== "object")) {
      rows.push({ key, value: value.map(scalar).join(", ") || "(none)" });
    } else if (value !== null && typeof value === "object") {
      const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
      if (entries.length === 0) rows.push({ key, value: "(none)" });
      for (const [k, v] of entries) walk(v, key ? `${key}.${k}` : k);
    } else {
      rows.push({ key: key || "value", value: annotated(key, value) });
    }
  };
  walk(evidence, "");
  return rows;
}

export type RemediationBlock = { kind: "text"; text: string } | { kind: "command"; text: string };

const INLINE_COMMAND = /`(kafka-[\w.-]+\.sh [^`]+)`/;

/**
 * Splits remediation text into prose and commands so commands get a copy button. Commands are fenced with
 * ```, are lines starting with "$ " (the prompt is not copied), or are inline `kafka-*.sh …` spans.
 */
export function remediationBlocks(remediation: string): RemediationBlock[] {
  const blocks: RemediationBlock[] = [];
  const push = (kind: RemediationBlock["kind"], text: string) => {
    const trimmed = kind === "text" ? text.trim() : text.replace(/\s+$/, "");
    if (!trimmed) return;
    const last = blocks[blocks.length - 1];
    if (last && last.kind === kind) last.text += `\n${kind === "text" ? "\n" : ""}${trimmed}`;
    else blocks.push({ kind, text: trimmed });
  };
  const lines = remediation.split(/\r?\n/);
  let prose: string[] = [];
  let fence: string[] | null = null;
  const flushProse = () => {
    push("text", prose.join("\n"));
    prose = [];
  };
  for (const line of lines) {
    if (line.trim().startsWith("```")) {
      if (fence) {
        push("command", fence.join("\n"));
        fence = null;
      } else {
        flushProse();
        fence = [];
      }
    } else if (fence) {
      fence.push(line);
    } else if (/^\s*\$ /.test(line)) {
      flushProse();
      push("command", line.replace(/^\s*\$ /, ""));
    } else {
      // Detectors quote commands inline (`kafka-…`): they get their own copyable block too.
      line.split(INLINE_COMMAND).forEach((part, i) => {
        if (i % 2 === 0) {
          prose.push(i > 0 ? part.replace(/^\s*[.,;:]\s*/, "") : part);
        } else {
          flushProse();
          push("command", part);
        }
      });
    }
  }
  if (fence) push("command", fence.join("\n"));
  flushProse();
  return blocks;
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

export function sortFindings(findings: FindingDto[]): FindingDto[] {
  return [...findings].sort(
    (a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.lastSeenAt - a.lastSeenAt || a.id.localeCompare(b.id),
  );
}

export function countBySeverity(findings: { severity: Severity }[]): SeverityCounts {
  const counts: SeverityCounts = { critical: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** Worst severity present, for a cluster's health colour. */
export function worstSeverity(counts: SeverityCounts): Severity | null {
  if (counts.critical) return "critical";
  if (counts.warning) return "warning";
  if (counts.info) return "info";
  return null;
}
