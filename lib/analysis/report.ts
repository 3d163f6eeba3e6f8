// Plain-text and exit-code rendering of findings for the audit CLI (and anything else printing findings).
import { SEVERITY_RANK, type Finding, type Severity } from "./findings";

/** Exit code for a threshold: 2 when a critical finding reaches it, 1 for a warning, 0 otherwise. */
export function exitCodeFor(findings: Finding[], failOn: Severity): number {
  const reaching = findings.filter((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn]);
  if (reaching.some((f) => f.severity === "critical")) return 2;
  return reaching.length ? 1 : 0;
}

function formatEvidenceValue(value: Finding["evidence"][string]): string {
  if (Array.isArray(value)) return `[${value.join(", ")}]`;
  return String(value);
}

export function formatFinding(finding: Finding): string {
  const evidence = Object.entries(finding.evidence)
    .filter(([, v]) => !(Array.isArray(v) && v.length > 8))
    .map(([k, v]) => `${k}=${formatEvidenceValue(v)}`)
    .join(" ");
  return [
    `${finding.severity.toUpperCase().padEnd(8)} ${finding.title}`,
    `  kind:     ${finding.kind} (${finding.key})`,
    `  evidence: ${evidence}`,
    `  why:      ${finding.explanation}`,
    `  fix:      ${finding.remediation}`,
  ].join("\n");
}

export function formatFindings(findings: Finding[]): string {
  if (!findings.length) return "No findings.";
  const counts = (["critical", "warning", "info"] as const)
    .map((s) => `${findings.filter((f) => f.severity === s).length} ${s}`)
    .join(", ");
  const sorted = [...findings].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
  return `${findings.length} finding(s): ${counts}\n\n${sorted.map(formatFinding).join("\n\n")}`;
}
