// A finding as a Markdown summary to paste into a post-mortem. Kafka names (and the titles and evidence that
// quote them) are untrusted: every text is backslash-escaped so no character of it is Markdown, HTML, an
// entity or a spreadsheet formula, and invisible or direction-changing characters are spelled out.
import type { FindingDto } from "./dto";
import { codePointLabel, HIDDEN_CHARACTERS } from "../analysis/hidden-characters";
import { evidenceRows, remediationView, subjectLinks, type SubjectLink } from "./finding-view";
import { formatDuration, formatTimestamp } from "./format";
import { paths } from "./urls";

/** CommonMark lets a backslash escape any ASCII punctuation, which then stands for itself. */
const MARKDOWN_PUNCTUATION = /[!-/:-@[-`{-~]/;
const UNSAFE = new RegExp(`${HIDDEN_CHARACTERS.source}|${MARKDOWN_PUNCTUATION.source}`, "gu");

/** Text that renders as exactly itself: punctuation escaped, hidden characters shown as `[U+202E]`. */
export function markdownText(text: string): string {
  return text.replace(UNSAFE, (c) => (HIDDEN_CHARACTERS.test(c) ? `\\[${codePointLabel(c)}\\]` : `\\${c}`));
}

/** A link whose text is escaped and whose target is our own URL, percent-encoded so nothing in it closes the link. */
function markdownLink(text: string, url: string): string {
  const target = url.replace(/[()<> ]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `[${markdownText(text)}](<${target}>)`;
}

/** A fenced block longer than any backtick run inside, so the content cannot close it. */
function codeBlock(content: string): string {
  const longest = Math.max(0, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}sh\n${content}\n${fence}`;
}

export interface ReportContext {
  cluster: string;
  /** The server's clock when the finding was read: what "open for" and the report are as of. */
  asOf: number;
  /** The page's origin (`https://auditor.example.com`), for absolute links. */
  origin: string;
}

const REPORT_LABELS: Record<SubjectLink["entity"], string> = { topic: "Topic", transaction: "Transactional id", group: "Consumer group" };

/** Absolute links to the finding and each entity it is about. */
export function reportLinks(f: Pick<FindingDto, "id" | "kind" | "subject">, { cluster, origin }: Pick<ReportContext, "cluster" | "origin">) {
  return [
    { label: "This finding", url: origin + paths.finding(cluster, f.id) },
    ...subjectLinks(cluster, f).map((l) => ({ label: `${REPORT_LABELS[l.entity]} ${l.name}`, url: origin + l.href })),
  ];
}

export function findingMarkdown(f: FindingDto, context: ReportContext): string {
  const { asOf, cluster } = context;
  const status = f.resolvedAt ? `resolved ${formatTimestamp(f.resolvedAt)}` : `open for ${formatDuration(asOf - f.firstSeenAt)}`;
  const remediation = remediationView(f);
  const evidence = evidenceRows(f.evidence);
  const lines = [
    `# ${markdownText(f.title)}`,
    "",
    `- **Severity:** ${markdownText(f.severity)} (${markdownText(status)})`,
    `- **Kind:** ${markdownText(f.kind)}`,
    `- **Cluster:** ${markdownText(cluster)}`,
    `- **First seen:** ${markdownText(formatTimestamp(f.firstSeenAt))}`,
    `- **Last seen:** ${markdownText(formatTimestamp(f.lastSeenAt))}`,
    `- **As of:** ${markdownText(formatTimestamp(asOf))}`,
    "",
    "## What is wrong",
    "",
    markdownText(f.explanation),
    "",
    "## Evidence",
    "",
    ...(evidence.length
      ? ["| Measure | Value |", "| --- | --- |", ...evidence.map((r) => `| ${markdownText(r.key)} | ${markdownText(r.value)} |`)]
      : ["(none)"]),
    "",
    "## What to do",
    "",
    ...remediation.paragraphs.flatMap((p) => [markdownText(p), ""]),
    ...remediation.commands.flatMap((c) => [
      `${markdownText(c.purpose)}${c.hiddenCharacters ? " (the command holds invisible or direction-changing characters)" : ""}`,
      "",
      codeBlock(c.line ?? c.argv.join(" ")),
      "",
    ]),
    "## Links",
    "",
    ...reportLinks(f, context).map((l) => `- ${markdownLink(l.label, l.url)}`),
    "",
  ];
  return lines.join("\n");
}

/** A file name for the download: the finding id is ours (URL-safe), never a Kafka name. */
export function reportFileName(f: Pick<FindingDto, "id">): string {
  return `finding-${f.id}.md`.replace(/[^\w.-]/g, "_");
}
