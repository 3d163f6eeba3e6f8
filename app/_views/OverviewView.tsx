"use client";

import { AtLink } from "../_components/links";
import { Badge } from "../_components/badges";
import { EmptyState, QueryView } from "../_components/states";
import { useNow } from "../_components/use-now";
import { useUrlState } from "../_components/url-state";
import { SEVERITIES } from "@/lib/ui/dto";
import { worstSeverity } from "@/lib/ui/finding-view";
import { formatAge, formatTimestamp } from "@/lib/ui/format";
import { freshness } from "@/lib/ui/freshness";
import { useClustersQuery } from "@/lib/ui/hooks";
import { paths } from "@/lib/ui/urls";

export function OverviewView() {
  const { at } = useUrlState();
  const query = useClustersQuery(at);
  // A past view is judged as of its own time: a cluster polled then was fresh then.
  const liveNow = useNow();
  const now = at ? Date.parse(at) : liveNow;
  return (
    <>
      <div className="page-head">
        <h1>Clusters</h1>
        <span className="subtle">Exactly-once health of every configured cluster{at ? ` as of ${formatTimestamp(Date.parse(at))}` : ""}</span>
      </div>
      <QueryView query={query} loadingLabel="Loading clusters…">
        {(data) =>
          data.clusters.length === 0 && at ? (
            <EmptyState title="No cluster had been polled by then" />
          ) : data.clusters.length === 0 ? (
            <EmptyState title="No clusters yet">
              <p>Start the poller (npm run poller) with KAFKA_BROKERS set; clusters appear after their first poll.</p>
            </EmptyState>
          ) : (
            <div className="cluster-cards">
              {data.clusters.map((c) => {
                const f = freshness(c.poll, c.pollIntervalMs, now);
                const worst = worstSeverity(c.openFindings);
                const health = f.level === "stale" || f.level === "never" ? "critical" : worst === "critical" ? "critical" : worst === "warning" || f.level === "partial" ? "warning" : "ok";
                return (
                  <section key={c.name} className="card" aria-labelledby={`cluster-${c.name}`}>
                    <h2 id={`cluster-${c.name}`} style={{ display: "flex", alignItems: "center", gap: "0.5rem" }}>
                      <span className={`dot dot-${health}`} aria-hidden="true" />
                      <AtLink href={paths.cluster(c.name)}>{c.name}</AtLink>
                      <Badge tone={health === "ok" ? "ok" : health}>{health === "ok" ? "healthy" : health === "critical" ? "needs attention" : "degraded"}</Badge>
                    </h2>
                    <dl className="kv">
                      <dt>Open findings</dt>
                      <dd>
                        {SEVERITIES.map((s) => (
                          <span key={s} style={{ marginRight: "0.4rem" }}>
                            <AtLink href={`${paths.section(c.name, "findings")}?severity=${s}`}>
                              <Badge tone={c.openFindings[s] ? s : "neutral"}>
                                {c.openFindings[s]} {s}
                              </Badge>
                            </AtLink>
                          </span>
                        ))}
                      </dd>
                      <dt>Last successful poll</dt>
                      <dd>
                        {c.poll.lastSnapshotAt ? (
                          <>
                            {formatTimestamp(c.poll.lastSnapshotAt)} <span className="subtle">({formatAge(c.poll.lastSnapshotAt, now)})</span>
                          </>
                        ) : (
                          "never"
                        )}
                      </dd>
                      <dt>Last poll</dt>
                      <dd>
                        {c.poll.lastPollAt == null ? "—" : c.poll.lastPollError ? <Badge tone="critical">failed</Badge> : c.poll.lastPollComplete ? <Badge tone="ok">complete</Badge> : <Badge tone="warning">partial</Badge>}
                        {c.poll.lastPollError ? <span className="subtle"> {c.poll.lastPollError}</span> : null}
                      </dd>
                    </dl>
                  </section>
                );
              })}
            </div>
          )
        }
      </QueryView>
    </>
  );
}
