"use client";

import { CommandBlock, CopyButton } from "./CopyButton";
import type { FindingDto } from "@/lib/ui/dto";
import { remediationView } from "@/lib/ui/finding-view";

/** A finding's "what to do": its prose as text, then exactly the commands the detector built. */
export function Remediation({ finding, compact = false }: { finding: FindingDto; compact?: boolean }) {
  const view = remediationView(finding);
  const spacing = compact ? { margin: "0.3rem 0" } : undefined;
  return (
    <div className="remediation">
      {view.paragraphs.map((p, i) => (
        <p key={i} className="prose" style={spacing}>
          {p}
        </p>
      ))}
      {view.commands.map((c, i) => (
        <div key={i} className="command" data-program={c.program}>
          <p className="command-purpose subtle" style={spacing}>
            {c.purpose}
          </p>
          {c.words && c.line !== null ? (
            <CommandBlock words={c.words} line={c.line} />
          ) : (
            <p className="prose">A name in this command holds a NUL character, which no shell can pass: run {c.program} by hand.</p>
          )}
          {c.hiddenCharacters ? (
            <p className="command-warning" role="note">
              A Kafka name in this command holds line breaks, invisible or direction-changing characters: what you see may
              differ from what runs. Use the copy button, which copies the exact quoted command.
            </p>
          ) : null}
        </div>
      ))}
      {view.clientProperties && compact ? (
        <p className="prose subtle" style={spacing}>
          The commands read the cluster&apos;s TLS or SASL settings from <span className="mono">{view.clientProperties.path}</span>: the
          finding&apos;s page says what that file must hold.
        </p>
      ) : view.clientProperties ? (
        <div className="client-properties">
          <p className="prose" style={spacing}>
            The cluster needs TLS or SASL settings: the commands read them from <span className="mono">{view.clientProperties.path}</span>{" "}
            (a placeholder: use your own file). It must hold, with your own password and paths:
          </p>
          <div className="copy-row">
            <pre className="code-block">
              <code>{view.clientProperties.template}</code>
            </pre>
            <CopyButton text={view.clientProperties.template} label="Copy template" />
          </div>
        </div>
      ) : null}
    </div>
  );
}
