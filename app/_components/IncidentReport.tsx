"use client";

import { useSyncExternalStore } from "react";
import type { FindingDto } from "@/lib/ui/dto";
import { findingMarkdown, reportFileName } from "@/lib/ui/finding-report";
import { formatTimestamp } from "@/lib/ui/format";
import { paths } from "@/lib/ui/urls";
import { CopyButton } from "./CopyButton";

const noSubscription = () => () => {};

/** The page's origin in the browser; empty while rendering on the server. */
function useOrigin(): string {
  return useSyncExternalStore(noSubscription, () => window.location.origin, () => "");
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/markdown;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

/** Copy or download the finding as Markdown for a post-mortem, or print the page. */
export function IncidentReport({ cluster, finding, asOf }: { cluster: string; finding: FindingDto; asOf: number }) {
  const origin = useOrigin();
  const markdown = findingMarkdown(finding, { cluster, asOf, origin });
  return (
    <section className="section no-print" aria-labelledby="report">
      <h2 id="report">Incident report</h2>
      <p className="subtle">A Markdown summary (title, times, evidence, what to do, links) to paste into a post-mortem, or the page as printed.</p>
      <div className="report-actions">
        <CopyButton text={markdown} label="Copy Markdown" />
        <button type="button" onClick={() => download(reportFileName(finding), markdown)}>
          Download .md
        </button>
        <button type="button" onClick={() => window.print()}>
          Print
        </button>
      </div>
    </section>
  );
}

/** Shown on paper only: where the printout came from and what time it describes. */
export function PrintFooter({ cluster, finding, asOf }: { cluster: string; finding: FindingDto; asOf: number }) {
  const origin = useOrigin();
  return (
    <footer className="print-footer" data-testid="print-footer">
      <span className="mono">{origin + paths.finding(cluster, finding.id)}</span> · as of {formatTimestamp(asOf)}
    </footer>
  );
}
