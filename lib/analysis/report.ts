// Plain-text and exit-code rendering of findings for the audit CLI (and anything else printing findings).
// Kafka names reach a terminal here: hidden characters are spelled out so none is obeyed or hides text.
import { COMMAND_CONFIG_PLACEHOLDER, clientPropertiesTemplate, renderCommand, type CommandContext } from "./commands";
import { SEVERITY_RANK, mostSevereFirst, type Finding, type Severity } from "./findings";
import { HIDDEN_CHARACTERS, spellHiddenCharacters } from "./hidden-characters";

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

function formatCommands(finding: Finding, context: CommandContext): string[] {
  return finding.commands.flatMap((command) => {
    const rendered = renderCommand(command, context);
    if (!rendered) return [`  run:      ${spellHiddenCharacters(command.purpose)}`, "            (a name holds a NUL character: no shell can pass it)"];
    const runnable = !HIDDEN_CHARACTERS.test(rendered.line);
    return [
      `  run:      ${spellHiddenCharacters(command.purpose)}`,
      `            ${spellHiddenCharacters(rendered.line)}`,
      ...(runnable ? [] : ["            (a name holds hidden characters, spelled [U+XXXX] above: the exact arguments are in --json)"]),
    ];
  });
}

export function formatFinding(finding: Finding, context: CommandContext): string {
  const evidence = Object.entries(finding.evidence)
    .filter(([, v]) => !(Array.isArray(v) && v.length > 8))
    .map(([k, v]) => `${k}=${formatEvidenceValue(v)}`)
    .join(" ");
  return [
    `${finding.severity.toUpperCase().padEnd(8)} ${spellHiddenCharacters(finding.title)}`,
    `  kind:     ${finding.kind} (${spellHiddenCharacters(finding.key)})`,
    `  evidence: ${spellHiddenCharacters(evidence)}`,
    `  why:      ${spellHiddenCharacters(finding.explanation)}`,
    `  fix:      ${spellHiddenCharacters(finding.remediation)}`,
    ...formatCommands(finding, context),
  ].join("\n");
}

/** `context`: the audited cluster's connection, which the commands are rendered for. */
export function formatFindings(findings: Finding[], context: CommandContext): string {
  if (!findings.length) return "No findings.";
  const counts = (["critical", "warning", "info"] as const)
    .map((s) => `${findings.filter((f) => f.severity === s).length} ${s}`)
    .join(", ");
  const sorted = [...findings].sort(mostSevereFirst);
  const clientProperties =
    context.commandConfig && findings.some((f) => f.commands.length)
      ? `\n\nThe commands read the cluster's client settings from ${COMMAND_CONFIG_PLACEHOLDER}, which must hold:\n${clientPropertiesTemplate(context.commandConfig)}`
      : "";
  return `${findings.length} finding(s): ${counts}\n\n${sorted.map((f) => formatFinding(f, context)).join("\n\n")}${clientProperties}`;
}
