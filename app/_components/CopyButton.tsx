"use client";

import { useState } from "react";

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

export function CommandBlock({ command }: { command: string }) {
  return (
    <div className="copy-row">
      <pre className="code-block">
        <code>{command}</code>
      </pre>
      <CopyButton text={command} label="Copy command" />
    </div>
  );
}
