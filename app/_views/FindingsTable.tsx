"use client";

import { useId, useState, type ReactNode } from "react";
import { AtLink } from "../_components/links";
import { SeverityBadge } from "../_components/badges";
import { useNow } from "../_components/use-now";
import type { FindingDto } from "@/lib/ui/dto";
import { subjectLinks, type FindingGroup, type SubjectLink } from "@/lib/ui/finding-view";
import { formatAge, formatTimestamp } from "@/lib/ui/format";
import { paths } from "@/lib/ui/urls";

const ENTITY_PREFIX: Record<SubjectLink["entity"], string> = { topic: "", transaction: "txn ", group: "group " };

export function SubjectLinks({ cluster, finding }: { cluster: string; finding: Pick<FindingDto, "kind" | "subject"> }) {
  const parts = subjectLinks(cluster, finding).map((l) => (
    <AtLink key={l.entity} href={l.href}>
      {ENTITY_PREFIX[l.entity]}
      {l.name}
      {l.partition != null ? `-${l.partition}` : ""}
    </AtLink>
  ));
  if (finding.subject.brokerId != null) parts.push(<span key="b">broker {finding.subject.brokerId}</span>);
  if (parts.length === 0) return <span className="subtle">cluster</span>;
  return (
    <span style={{ display: "inline-flex", flexWrap: "wrap", gap: "0.25rem 0.6rem" }}>
      {parts}
    </span>
  );
}

function FindingRow({ cluster, f, now, nested = false }: { cluster: string; f: FindingDto; now: number; nested?: boolean }) {
  return (
    <tr className={`row-${f.severity}${nested ? " row-nested" : ""}`}>
      <td>
        <SeverityBadge severity={f.severity} />
        {f.resolvedAt ? <span className="subtle"> resolved</span> : null}
      </td>
      <td className="name">
        <AtLink href={paths.finding(cluster, f.id)}>{f.title}</AtLink>
        <div className="subtle mono">{f.kind}</div>
        <div className="show-sm">
          <SubjectLinks cluster={cluster} finding={f} />
        </div>
      </td>
      <td className="name hide-sm">
        <SubjectLinks cluster={cluster} finding={f} />
      </td>
      <td className="hide-sm" title={formatTimestamp(f.firstSeenAt)}>
        {formatAge(f.firstSeenAt, now)}
      </td>
      <td title={formatTimestamp(f.lastSeenAt)}>{formatAge(f.lastSeenAt, now)}</td>
    </tr>
  );
}

/** The findings table around its body rows (one tbody, or one per group). */
function FindingsTableShell({ caption, children }: { caption: string; children: ReactNode }) {
  return (
    <div className="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Severity</th>
            <th scope="col">Finding</th>
            <th scope="col" className="hide-sm">Subject</th>
            <th scope="col" className="hide-sm">First seen</th>
            <th scope="col">Last seen</th>
          </tr>
        </thead>
        {children}
      </table>
    </div>
  );
}

export function FindingsTable({ cluster, findings, caption }: { cluster: string; findings: FindingDto[]; caption: string }) {
  const now = useNow();
  return (
    <FindingsTableShell caption={caption}>
      <tbody>
        {findings.map((f) => (
          <FindingRow key={f.id} cluster={cluster} f={f} now={now} />
        ))}
      </tbody>
    </FindingsTableShell>
  );
}

/** A group of findings alike but for their subject: one row that expands to list them. */
function GroupRows({ cluster, group, now }: { cluster: string; group: FindingGroup; now: number }) {
  const [open, setOpen] = useState(false);
  const membersId = useId();
  if (group.findings.length === 1) {
    return (
      <tbody>
        <FindingRow cluster={cluster} f={group.findings[0]} now={now} />
      </tbody>
    );
  }
  const firstSeen = Math.min(...group.findings.map((f) => f.firstSeenAt));
  const lastSeen = Math.max(...group.findings.map((f) => f.lastSeenAt));
  return (
    <>
      <tbody>
        <tr className={`row-${group.severity} row-group`}>
          <td>
            <SeverityBadge severity={group.severity} />
          </td>
          <td className="name">
            <button type="button" className="group-toggle" aria-expanded={open} aria-controls={membersId} onClick={() => setOpen(!open)}>
              <span aria-hidden="true" className="group-caret">
                {open ? "▾" : "▸"}
              </span>
              {group.label}
            </button>
            <div className="subtle mono">{group.kind}</div>
          </td>
          <td className="hide-sm subtle">{group.findings.length} findings</td>
          <td className="hide-sm" title={formatTimestamp(firstSeen)}>
            {formatAge(firstSeen, now)}
          </td>
          <td title={formatTimestamp(lastSeen)}>{formatAge(lastSeen, now)}</td>
        </tr>
      </tbody>
      <tbody id={membersId} hidden={!open} aria-label={group.label}>
        {group.findings.map((f) => (
          <FindingRow key={f.id} cluster={cluster} f={f} now={now} nested />
        ))}
      </tbody>
    </>
  );
}

export function GroupedFindingsTable({ cluster, groups, caption }: { cluster: string; groups: FindingGroup[]; caption: string }) {
  const now = useNow();
  return (
    <FindingsTableShell caption={caption}>
      {groups.map((g) => (
        <GroupRows key={g.key} cluster={cluster} group={g} now={now} />
      ))}
    </FindingsTableShell>
  );
}
