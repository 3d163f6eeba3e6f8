"use client";

import { Fragment, useState } from "react";

export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied("copied");
    } catch {
      setCopied("failed");
    }
    setTimeout(() => setCopied("idle"), 2000);
  };
  return (
    <button type="button" onClick={copy} aria-live="polite">
      {copied === "copied" ? "Copied" : copied === "failed" ? "Copy failed" : label}
    </button>
  );
}

/**
 * A shell command: each word in its own bidi-isolated span, so a direction override inside one quoted Kafka
 * name cannot reorder the words around it; the text (and what the button copies) is exactly `line`.
 */
export function CommandBlock({ words, line }: { words: string[]; line: string }) {
  return (
    <div className="copy-row">
      <pre className="code-block">
        <code>
          {words.map((w, i) => (
            <Fragment key={i}>
              {i > 0 ? " " : null}
              <span className="shell-word">{w}</span>
            </Fragment>
          ))}
        </code>
      </pre>
      <CopyButton text={line} label="Copy command" />
    </div>
  );
}
