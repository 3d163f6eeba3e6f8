"use client";

import { AtLink } from "../_components/links";
import { SeverityBadge } from "../_components/badges";
import { Remediation } from "../_components/Remediation";
import { EmptyState, QueryView } from "../_components/states";
import { useUrlState } from "../_components/url-state";
import { useConfigRisksQuery } from "@/lib/ui/hooks";
import { paths } from "@/lib/ui/urls";

const SCOPE_LABEL = { topic: "Topic", broker: "Broker", cluster: "Cluster-wide" } as const;

export function ConfigView({ cluster }: { cluster: string }) {
  const { at } = useUrlState();
  const query = useConfigRisksQuery(cluster, at);
  return (
    <>
      <div className="page-head">
        <h1>Config risks</h1>
        <span className="subtle">Settings that weaken exactly-once guarantees, grouped by what to change</span>
      </div>
      <QueryView query={query} loadingLabel="Loading config risks…">
        {(d) =>
          d.groups.length === 0 ? (
            <EmptyState title="No config risks">Topic and broker settings pass every exactly-once check.</EmptyState>
          ) : (
            d.groups.map((g) => (
              <section key={`${g.scope}\u0000${g.name}`} className="section" aria-label={`${SCOPE_LABEL[g.scope]} ${g.name}`}>
                <h2>
                  {SCOPE_LABEL[g.scope]}{" "}
                  {g.scope === "topic" ? <AtLink href={paths.topic(cluster, g.name)}>{g.name}</AtLink> : g.scope === "broker" ? `broker ${g.name}` : null}
                </h2>
                {g.findings.map((f) => (
                  <article key={f.id} style={{ borderTop: "1px solid var(--border)", padding: "0.5rem 0" }}>
                    <h3 style={{ display: "flex", gap: "0.5rem", alignItems: "center", flexWrap: "wrap", margin: "0 0 0.3rem" }}>
                      <SeverityBadge severity={f.severity} />
                      <AtLink href={paths.finding(cluster, f.id)}>{f.title}</AtLink>
                    </h3>
                    <p className="prose subtle" style={{ margin: "0.2rem 0" }}>
                      {f.explanation}
                    </p>
                    <Remediation finding={f} compact />
                  </article>
                ))}
              </section>
            ))
          )
        }
      </QueryView>
    </>
  );
}
