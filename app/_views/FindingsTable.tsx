"use client";

import { AtLink } from "../_components/links";
import { SeverityBadge } from "../_components/badges";
import { useNow } from "../_components/use-now";
import type { FindingDto } from "@/lib/ui/dto";
import { formatAge, formatTimestamp } from "@/lib/ui/format";
import { paths } from "@/lib/ui/urls";

export function SubjectLinks({ cluster, subject }: { cluster: string; subject: FindingDto["subject"] }) {
  const parts = [];
  if (subject.topic != null) {
    parts.push(
      <AtLink key="t" href={paths.topic(cluster, subject.topic)}>
        {subject.topic}
        {subject.partition != null ? `-${subject.partition}` : ""}
      </AtLink>,
    );
  }
  if (subject.transactionalId != null) {
    parts.push(
      <AtLink key="x" href={paths.transaction(cluster, subject.transactionalId)}>
        txn {subject.transactionalId}
      </AtLink>,
    );
  }
  if (subject.groupId != null) {
    parts.push(
      <AtLink key="g" href={paths.group(cluster, subject.groupId)}>
        group {subject.groupId}
      </AtLink>,
    );
  }
  if (subject.brokerId != null) parts.push(<span key="b">broker {subject.brokerId}</span>);
  if (parts.length === 0) return <span className="subtle">cluster</span>;
  return (
    <span style={{ display: "inline-flex", flexWrap: "wrap", gap: "0.25rem 0.6rem" }}>
      {parts}
    </span>
  );
}

export function FindingsTable({ cluster, findings, caption }: { cluster: string; findings: FindingDto[]; caption: string }) {
  const now = useNow();
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
        <tbody>
          {findings.map((f) => (
            <tr key={f.id} className={`row-${f.severity}`}>
              <td>
                <SeverityBadge severity={f.severity} />
                {f.resolvedAt ? <span className="subtle"> resolved</span> : null}
              </td>
              <td className="name">
                <AtLink href={paths.finding(cluster, f.id)}>{f.title}</AtLink>
                <div className="subtle mono">{f.kind}</div>
                <div className="show-sm">
                  <SubjectLinks cluster={cluster} subject={f.subject} />
                </div>
              </td>
              <td className="name hide-sm">
                <SubjectLinks cluster={cluster} subject={f.subject} />
              </td>
              <td className="hide-sm" title={formatTimestamp(f.firstSeenAt)}>
                {formatAge(f.firstSeenAt, now)}
              </td>
              <td title={formatTimestamp(f.lastSeenAt)}>{formatAge(f.lastSeenAt, now)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
