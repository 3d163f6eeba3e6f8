"use client";

import { AtLink } from "./links";
import { Badge } from "./badges";
import type { RemediationAuditDto } from "@/lib/ui/dto";
import { formatTimestamp } from "@/lib/ui/format";
import { paths } from "@/lib/ui/urls";

const OUTCOME_TONE = { aborted: "ok", refused: "warning", failed: "critical" } as const;

/** The guarded abort attempts about a finding or a transactional id, newest first; every name is text. */
export function RemediationAudit({ cluster, rows, linkFindings = false }: { cluster: string; rows: RemediationAuditDto[]; linkFindings?: boolean }) {
  if (rows.length === 0) return <p className="subtle">No abort has been attempted from the dashboard.</p>;
  return (
    <div className="table-wrap">
      <table data-testid="remediation-audit">
        <caption>{rows.length} attempt(s), newest first</caption>
        <thead>
          <tr>
            <th scope="col">Time (UTC)</th>
            <th scope="col">Who</th>
            <th scope="col">Outcome</th>
            <th scope="col">Partition</th>
            <th scope="col">Producer id / epoch</th>
            <th scope="col" className="num">Start offset</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} className={r.outcome === "failed" ? "row-critical" : undefined}>
              <td>{linkFindings ? <AtLink href={paths.finding(cluster, r.findingId)}>{formatTimestamp(r.at)}</AtLink> : formatTimestamp(r.at)}</td>
              <td className="name">
                {r.actor} <span className="subtle">({r.role})</span>
              </td>
              <td>
                <Badge tone={OUTCOME_TONE[r.outcome]}>{r.outcome}</Badge>
              </td>
              <td className="mono name">{r.topic !== null && r.partition !== null ? `${r.topic}-${r.partition}` : "—"}</td>
              <td className="mono">
                {r.producerId ?? "?"} / {r.producerEpoch ?? "?"}
                {r.coordinatorEpoch !== null ? <span className="subtle"> (coordinator epoch {r.coordinatorEpoch})</span> : null}
              </td>
              <td className="num">{r.startOffset ?? "—"}</td>
              <td className="name">{r.reason || r.error ? [r.reason, r.error].filter(Boolean).join(": ") : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
