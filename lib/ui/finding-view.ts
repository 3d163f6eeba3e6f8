import {
  COMMAND_CONFIG_PLACEHOLDER,
  KAFKA_PROGRAMS,
  clientPropertiesTemplate,
  renderCommand,
  type CommandContext,
  type KafkaProgram,
  type RemediationCommand,
} from "../analysis/commands";
import { mostSevereFirst } from "../analysis/findings";
import { HIDDEN_CHARACTERS } from "../analysis/hidden-characters";
import type { ClientPropertiesDto, CommandDto, FindingDto, Severity, SeverityCounts } from "./dto";
import { formatDuration, formatTimestamp } from "./format";
import { paths } from "./urls";

export interface SubjectLink {
  entity: "topic" | "transaction" | "group";
  /** The Kafka name as it is (untrusted: rendered as text). */
  name: string;
  /** For a topic: the partition the finding is about (the link opens the topic). */
  partition: number | null;
  href: string;
}

/** Links to what a finding is about. A lost-fencing finding names a family of ids (`exporter-*`), not one id. */
export function subjectLinks(cluster: string, f: Pick<FindingDto, "kind" | "subject">): SubjectLink[] {
  const { topic, partition, transactionalId, groupId } = f.subject;
  const links: SubjectLink[] = [];
  if (topic != null) links.push({ entity: "topic", name: topic, partition, href: paths.topic(cluster, topic) });
  if (transactionalId != null) {
    const href = f.kind === "lost-fencing" ? paths.transactionFamily(cluster, transactionalId) : paths.transaction(cluster, transactionalId);
    links.push({ entity: "transaction", name: transactionalId, partition: null, href });
  }
  if (groupId != null) links.push({ entity: "group", name: groupId, partition: null, href: paths.group(cluster, groupId) });
  return links;
}

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

/** Renders a finding's stored commands for its cluster; commands naming an unknown program are dropped. */
export function commandDtos(commands: readonly { program: string; args: readonly string[]; purpose: string }[], context: CommandContext): CommandDto[] {
  return commands.flatMap((c) => {
    if (!(KAFKA_PROGRAMS as readonly string[]).includes(c.program)) return [];
    const command: RemediationCommand = { program: c.program as KafkaProgram, args: [...c.args], purpose: c.purpose };
    const rendered = renderCommand(command, context);
    return [
      {
        program: c.program,
        purpose: c.purpose,
        argv: rendered?.argv ?? [...c.args],
        words: rendered?.words ?? null,
        line: rendered?.line ?? null,
      },
    ];
  });
}

export function clientPropertiesDto(commands: readonly CommandDto[], context: CommandContext): ClientPropertiesDto | null {
  if (!context.commandConfig || commands.length === 0) return null;
  return { path: COMMAND_CONFIG_PLACEHOLDER, template: clientPropertiesTemplate(context.commandConfig) };
}

export interface RemediationView {
  /** Paragraphs of prose, shown as text: nothing in them becomes a command. */
  paragraphs: string[];
  commands: (CommandDto & { hiddenCharacters: boolean })[];
  clientProperties: ClientPropertiesDto | null;
}


/** "What to do": the detector's prose and exactly the detector's commands (older findings may have none). */
export function remediationView(f: Pick<FindingDto, "remediation" | "commands" | "clientProperties">): RemediationView {
  return {
    paragraphs: f.remediation.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean),
    commands: (f.commands ?? []).map((c) => ({ ...c, hiddenCharacters: c.line !== null && HIDDEN_CHARACTERS.test(c.line) })),
    clientProperties: f.clientProperties ?? null,
  };
}

export function sortFindings(findings: FindingDto[]): FindingDto[] {
  return [...findings].sort(
    (a, b) => mostSevereFirst(a, b) || b.lastSeenAt - a.lastSeenAt || a.id.localeCompare(b.id),
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

export interface FindingGroup {
  /** kind, severity and the subject's detail: findings alike but for the entity they are about. */
  key: string;
  kind: string;
  severity: Severity;
  /** "5 topics: transactionally written with replication factor 1"; a lone finding's own title. */
  label: string;
  /** Most severe, then most recent first. */
  findings: FindingDto[];
}

function subjectName(s: FindingDto["subject"]): { noun: string; name: string } | null {
  if (s.topic != null) return s.partition != null ? { noun: "partitions", name: `${s.topic}-${s.partition}` } : { noun: "topics", name: s.topic };
  if (s.transactionalId != null) return { noun: "transactional ids", name: s.transactionalId };
  if (s.groupId != null) return { noun: "groups", name: s.groupId };
  if (s.brokerId != null) return { noun: "brokers", name: String(s.brokerId) };
  return null;
}

/** The title with its subject's name taken out, when that name opens it (`<topic>: …`): what the findings share. */
function sharedTitle(f: FindingDto): string | null {
  const name = subjectName(f.subject)?.name;
  if (name == null || !f.title.startsWith(`${name}: `)) return null;
  return f.title.slice(name.length + 2);
}

function groupLabel(findings: FindingDto[]): string {
  const [first] = findings;
  if (findings.length === 1) return first.title;
  const nouns = new Set(findings.map((f) => subjectName(f.subject)?.noun ?? "findings"));
  const noun = nouns.size === 1 ? [...nouns][0] : "findings";
  const shared = new Set(findings.map(sharedTitle));
  const [common] = shared;
  return `${findings.length} ${noun}: ${shared.size === 1 && common != null ? common : first.kind.replaceAll("-", " ")}`;
}

/** One group per kind, severity and subject detail (e.g. every topic written with replication factor 1), critical first. */
export function groupFindings(findings: FindingDto[]): FindingGroup[] {
  const groups = new Map<string, FindingDto[]>();
  for (const f of sortFindings(findings)) {
    const key = [f.kind, f.severity, f.subject.detail ?? ""].join("\u0000");
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return [...groups].map(([key, members]) => ({ key, kind: members[0].kind, severity: members[0].severity, label: groupLabel(members), findings: members }));
}
