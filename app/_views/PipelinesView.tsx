"use client";

import { AtLink } from "../_components/links";
import { Badge, TxnStateBadge } from "../_components/badges";
import { EmptyState, QueryView } from "../_components/states";
import { useUrlState } from "../_components/url-state";
import type { ChecklistItem } from "@/lib/analysis/pipelines";
import { formatTimestamp } from "@/lib/ui/format";
import { usePipelinesQuery } from "@/lib/ui/hooks";
import { paths } from "@/lib/ui/urls";

const CHECKS: { key: "stableTransactionalId" | "offsetsCommittedInTransaction" | "downstreamReadCommitted" | "safeMinInsyncReplicas"; label: string }[] = [
  { key: "stableTransactionalId", label: "Stable transactional id" },
  { key: "offsetsCommittedInTransaction", label: "Input offsets committed in the transaction" },
  { key: "downstreamReadCommitted", label: "Downstream reads committed only" },
  { key: "safeMinInsyncReplicas", label: "Output replication safe" },
];

function Check({ item }: { item: ChecklistItem }) {
  return (
    <>
      {item.ok === true ? <Badge tone="ok">pass</Badge> : item.ok === false ? <Badge tone="critical">fail</Badge> : <Badge tone="neutral">unknown</Badge>}{" "}
      <span className="subtle">{item.detail}</span>
    </>
  );
}

function Names({ names, href }: { names: string[]; href: (n: string) => string }) {
  if (names.length === 0) return <span className="subtle">none seen</span>;
  return (
    <>
      {names.map((n) => (
        <span key={n} style={{ marginRight: "0.5rem" }}>
          <AtLink href={href(n)}>{n}</AtLink>
        </span>
      ))}
    </>
  );
}

export function PipelinesView({ cluster }: { cluster: string }) {
  const { at } = useUrlState();
  const query = usePipelinesQuery(cluster, at);
  return (
    <>
      <div className="page-head">
        <h1>Pipelines</h1>
        <span className="subtle">Consume-transform-produce chains linked through transactional ids and their offset commits</span>
      </div>
      <QueryView query={query} loadingLabel="Loading pipelines…">
        {(d) => (
          <>
            {!d.withHistory ? (
              <p className="banner banner-info">Built from the poll at {formatTimestamp(d.collectedAt)} alone: links learnt over earlier polls are only available for the live view.</p>
            ) : null}
            {d.pipelines.length === 0 ? (
              <EmptyState title="No transactional producers">No pipeline writes with transactions on this cluster.</EmptyState>
            ) : (
              <div className="cluster-cards">
                {d.pipelines.map((p) => (
                  <section key={p.transactionalId} className="card" aria-label={`Pipeline ${p.transactionalId}`}>
                    <h2 style={{ fontSize: "1rem", display: "flex", gap: "0.5rem", alignItems: "center", flexWrap: "wrap" }}>
                      <span className="mono">
                        <AtLink href={paths.transaction(cluster, p.transactionalId)}>{p.transactionalId}</AtLink>
                      </span>
                      <TxnStateBadge state={p.state} />
                      {p.inactive ? <Badge tone="neutral">inactive</Badge> : null}
                    </h2>
                    <dl className="kv">
                      <dt>Input groups</dt>
                      <dd>
                        <Names names={p.groupIds} href={(g) => paths.group(cluster, g)} />
                        {p.groupLink === "ambiguous" ? <span className="subtle"> (ambiguous: these groups share its offsets partition and commit alongside it)</span> : null}
                        {p.groupLink === "provisional" ? <span className="subtle"> (by offsets partition only, not yet confirmed)</span> : null}
                      </dd>
                      <dt>Input topics</dt>
                      <dd>
                        <Names names={p.inputTopics} href={(t) => paths.topic(cluster, t)} />
                      </dd>
                      <dt>Output topics</dt>
                      <dd>
                        <Names names={p.outputTopics} href={(t) => paths.topic(cluster, t)} />
                      </dd>
                      <dt>Downstream groups</dt>
                      <dd>
                        <Names names={p.downstreamGroupIds} href={(g) => paths.group(cluster, g)} />
                      </dd>
                    </dl>
                    <ul style={{ listStyle: "none", padding: 0, margin: "0.6rem 0 0" }} aria-label="Exactly-once checklist">
                      {CHECKS.map((c) => (
                        <li key={c.key} style={{ marginBottom: "0.3rem" }}>
                          <strong style={{ fontWeight: 600 }}>{c.label}:</strong> <Check item={p.checklist[c.key]} />
                        </li>
                      ))}
                    </ul>
                  </section>
                ))}
              </div>
            )}
          </>
        )}
      </QueryView>
    </>
  );
}
