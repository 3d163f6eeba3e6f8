"use client";

import { AtLink } from "../_components/links";
import { Badge, TxnStateBadge } from "../_components/badges";
import { RemediationAudit } from "../_components/RemediationAudit";
import { EmptyState, QueryView } from "../_components/states";
import { useUrlState } from "../_components/url-state";
import { FindingsTable } from "./FindingsTable";
import type { TransactionDetailDto } from "@/lib/ui/dto";
import { sortFindings } from "@/lib/ui/finding-view";
import { formatCount, formatDuration, formatPercent, formatTimestamp } from "@/lib/ui/format";
import { useTransactionDetailQuery } from "@/lib/ui/hooks";
import { paths } from "@/lib/ui/urls";

const EVENT_LABEL: Record<string, string> = {
  appeared: "appeared",
  "state-change": "state change",
  "epoch-bump": "epoch bump",
  "producer-id-change": "producer id change",
  disappeared: "disappeared (expired)",
};

function OpenVsTimeout({ d }: { d: TransactionDetailDto }) {
  const t = d.transaction;
  if (!t || t.openForMs == null) return <p className="subtle">No transaction is open at this poll.</p>;
  const ratio = t.openForMs / t.transactionTimeoutMs;
  return (
    <div>
      <p>
        Open for <strong>{formatDuration(t.openForMs)}</strong> of a {formatDuration(t.transactionTimeoutMs)} timeout ({formatPercent(ratio)}).{" "}
        {t.overTimeout ? <Badge tone="critical">past its timeout: the coordinator should have aborted it</Badge> : null}
      </p>
      <meter min={0} max={1} low={0.5} high={0.9} optimum={0} value={Math.min(1, ratio)} style={{ width: "100%", height: "1.2rem" }} aria-label="Open time as a share of the transaction timeout">
        {formatPercent(ratio)}
      </meter>
    </div>
  );
}

export function TransactionView({ cluster, transactionalId }: { cluster: string; transactionalId: string }) {
  const { at } = useUrlState();
  const query = useTransactionDetailQuery(cluster, transactionalId, at);
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <AtLink href={paths.cluster(cluster)}>{cluster}</AtLink> / <AtLink href={paths.section(cluster, "transactions")}>transactions</AtLink>
      </nav>
      <div className="page-head">
        <h1 className="mono" data-testid="entity-title">
          {transactionalId}
        </h1>
      </div>
      <QueryView query={query} loadingLabel="Loading transaction…">
        {(d) => {
          const t = d.transaction;
          return (
            <>
              <div className="grid-2">
                <section className="section" aria-labelledby="state">
                  <h2 id="state">State at {formatTimestamp(d.collectedAt)}</h2>
                  {t ? (
                    <dl className="kv">
                      <dt>State</dt>
                      <dd>
                        <TxnStateBadge state={t.state} />
                      </dd>
                      <dt>Producer id / epoch</dt>
                      <dd className="mono">
                        {t.producerId} / {t.producerEpoch}
                      </dd>
                      <dt>Coordinator</dt>
                      <dd>broker {t.coordinatorId}</dd>
                      <dt>Started</dt>
                      <dd>{t.transactionStartTimeMs >= 0 ? formatTimestamp(t.transactionStartTimeMs) : "—"}</dd>
                      <dt>Partitions</dt>
                      <dd>
                        {t.partitions.length === 0
                          ? "—"
                          : t.partitions.map((p) => (
                              <span key={`${p.topic}-${p.partition}`} style={{ marginRight: "0.5rem" }}>
                                <AtLink href={paths.topic(cluster, p.topic)}>
                                  {p.topic}-{p.partition}
                                </AtLink>
                              </span>
                            ))}
                      </dd>
                    </dl>
                  ) : (
                    <EmptyState title="Not listed at this poll">The coordinator no longer lists this id (it expired or was never seen at this time).</EmptyState>
                  )}
                </section>
                <section className="section" aria-labelledby="timeout">
                  <h2 id="timeout">Open time vs timeout</h2>
                  <OpenVsTimeout d={d} />
                  <h3>Groups it blocks</h3>
                  {d.blockedGroups.length === 0 ? (
                    <p className="subtle">No consumer group is waiting at an LSO this transaction holds.</p>
                  ) : (
                    <div className="table-wrap">
                      <table>
                        <caption>Groups caught up to the pinned LSO</caption>
                        <thead>
                          <tr>
                            <th scope="col">Group</th>
                            <th scope="col">Partition</th>
                            <th scope="col" className="num">Held back (HW − LSO)</th>
                          </tr>
                        </thead>
                        <tbody>
                          {d.blockedGroups.map((g) => (
                            <tr key={`${g.groupId}\u0000${g.topic}\u0000${g.partition}`}>
                              <td className="name">
                                <AtLink href={paths.group(cluster, g.groupId)}>{g.groupId}</AtLink>
                              </td>
                              <td className="mono">
                                {g.topic}-{g.partition}
                              </td>
                              <td className="num">{formatCount(g.highWatermark - g.lastStableOffset)}</td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    </div>
                  )}
                </section>
              </div>
              {d.findings.length > 0 ? (
                <section className="section" aria-labelledby="tx-findings">
                  <h2 id="tx-findings">Findings</h2>
                  <FindingsTable cluster={cluster} findings={sortFindings(d.findings)} caption="Findings about this transactional id" />
                </section>
              ) : null}
              {d.remediationAudit.length > 0 ? (
                <section className="section" aria-labelledby="tx-audit">
                  <h2 id="tx-audit">Abort attempts</h2>
                  <RemediationAudit cluster={cluster} rows={d.remediationAudit} linkFindings />
                </section>
              ) : null}
              <section className="section" aria-labelledby="events">
                <h2 id="events">Producer id / epoch timeline</h2>
                <p className="chart-legend-note">
                  Changes between polls. An epoch bump is a fence when a new instance initialised the id; under transaction version 2 it also bumps on every commit and abort.
                </p>
                {d.events.length === 0 ? (
                  <EmptyState title="No recorded changes" />
                ) : (
                  <div className="table-wrap">
                    <table>
                      <caption>{d.events.length} change(s), newest first</caption>
                      <thead>
                        <tr>
                          <th scope="col">Time (UTC)</th>
                          <th scope="col">Change</th>
                          <th scope="col">State</th>
                          <th scope="col">Producer id / epoch</th>
                        </tr>
                      </thead>
                      <tbody>
                        {d.events.map((e, i) => (
                          <tr key={i} className={e.kind === "producer-id-change" ? "row-warning" : undefined}>
                            <td>{formatTimestamp(e.at)}</td>
                            <td>{EVENT_LABEL[e.kind] ?? e.kind}</td>
                            <td>{e.fromState || e.toState ? `${e.fromState ?? "—"} → ${e.toState ?? "—"}` : "—"}</td>
                            <td className="mono">
                              {e.prevProducerId != null || e.prevEpoch != null ? `${e.prevProducerId ?? "?"}/${e.prevEpoch ?? "?"} → ` : ""}
                              {e.producerId ?? "?"}/{e.epoch ?? "?"}
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
              </section>
            </>
          );
        }}
      </QueryView>
    </>
  );
}
