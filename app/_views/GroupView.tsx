"use client";

import { AtLink } from "../_components/links";
import { GroupTypeBadge, VerdictBadge } from "../_components/badges";
import { GroupLagChart } from "../_components/GroupLagChart";
import { EmptyState, QueryView } from "../_components/states";
import { useUrlState } from "../_components/url-state";
import { RangeSelect, ResolutionNote, useChartRange } from "./range";
import { formatCount, formatTimestamp } from "@/lib/ui/format";
import { useGroupDetailQuery, useGroupHistoryQuery } from "@/lib/ui/hooks";
import { groupLagSeries } from "@/lib/ui/series";
import { paths } from "@/lib/ui/urls";

export function GroupView({ cluster, groupId }: { cluster: string; groupId: string }) {
  const { at } = useUrlState();
  const query = useGroupDetailQuery(cluster, groupId, at);
  const chart = useChartRange();
  const history = useGroupHistoryQuery(cluster, groupId, chart.param);
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <AtLink href={paths.cluster(cluster)}>{cluster}</AtLink> / <AtLink href={paths.section(cluster, "groups")}>groups</AtLink>
      </nav>
      <div className="page-head">
        <span className="title-with-badge">
          <h1 className="mono" data-testid="entity-title">
            {groupId}
          </h1>
          {query.data ? <GroupTypeBadge type={query.data.group.type} /> : null}
        </span>
        {query.data ? <VerdictBadge verdict={query.data.group.verdict} /> : null}
      </div>
      <QueryView query={query} loadingLabel="Loading group…">
        {(d) => {
          const withEpochs = d.members.some((m) => m.memberEpoch !== null);
          const withTargets = d.members.some((m) => m.targetAssignment !== null);
          return (
            <>
              <div className="cards">
                {d.shareOffsets ? (
                  <div className="card">
                    <div className="stat-label">Share lag</div>
                    <div className="stat-value">{formatCount(d.group.consumableLag)}</div>
                    <div className="subtle">not yet acknowledged, as the broker counts it</div>
                  </div>
                ) : (
                  <>
                    <div className="card">
                      <div className="stat-label">Consumable lag</div>
                      <div className="stat-value">{formatCount(d.group.consumableLag)}</div>
                      <div className="subtle">LSO − committed</div>
                    </div>
                    <div className="card">
                      <div className="stat-label">Held by transactions</div>
                      <div className={`stat-value ${d.group.txnBlockedLag ? "warn" : ""}`}>{formatCount(d.group.txnBlockedLag)}</div>
                      <div className="subtle">HW − LSO</div>
                    </div>
                  </>
                )}
                <div className="card">
                  <div className="stat-label">State</div>
                  <div className="stat-value">{d.group.state}</div>
                  <div className="subtle">
                    {d.group.type} group, coordinator {d.coordinatorId ?? "unknown"}
                    {d.groupEpoch !== null ? `, epoch ${d.groupEpoch} (assignment ${d.assignmentEpoch ?? "?"})` : ""}
                  </div>
                </div>
                <div className="card">
                  <div className="stat-label">Members</div>
                  <div className="stat-value">{d.members.length}</div>
                  <div className="subtle">{d.protocol || d.group.protocolType}</div>
                </div>
              </div>
              {d.stateNote ? (
                <p className="banner banner-info" role="status">
                  {d.group.state}: {d.stateNote}
                </p>
              ) : null}
              <section className="section" aria-labelledby="lag-chart">
                <div className="page-head">
                  <h2 id="lag-chart">Lag over time</h2>
                  <RangeSelect value={chart.range.value} onChange={chart.setRange} />
                </div>
                <QueryView query={history} loadingLabel="Loading lag history…">
                  {(h) => {
                    const series = groupLagSeries(h.points);
                    return series.length < 2 ? (
                      <EmptyState title="Not enough samples in this window" />
                    ) : (
                      <>
                        <GroupLagChart title={`Lag of group ${groupId} over time`} series={series} />
                        <ResolutionNote resolution={h.resolution} />
                      </>
                    );
                  }}
                </QueryView>
              </section>
              {d.shareOffsets ? (
                <section className="section" aria-labelledby="share-partitions">
                  <h2 id="share-partitions">Share partitions at {formatTimestamp(d.collectedAt)}</h2>
                  {d.shareOffsets.length === 0 ? (
                    <EmptyState title="No share partition state yet">The group has not fetched from any partition.</EmptyState>
                  ) : (
                    <div className="table-wrap">
                      <table>
                        <caption>Start offset (every record before it is acknowledged) and the lag the broker reports; share groups commit no offsets</caption>
                        <thead>
                          <tr>
                            <th scope="col">Topic</th>
                            <th scope="col" className="num">Partition</th>
                            <th scope="col" className="num">Start offset</th>
                            <th scope="col" className="num">HW</th>
                            <th scope="col" className="num">Lag</th>
                            <th scope="col">Assigned to</th>
                          </tr>
                        </thead>
                        <tbody>
                          {d.shareOffsets.map((p) => (
                            <tr key={`${p.topic}\u0000${p.partition}`}>
                              <td className="name">
                                <AtLink href={paths.topic(cluster, p.topic)}>{p.topic}</AtLink>
                              </td>
                              <td className="num">{p.partition}</td>
                              <td className="num">{formatCount(p.startOffset)}</td>
                              <td className="num">{formatCount(p.highWatermark)}</td>
                              <td className="num">{formatCount(p.lag)}</td>
                              <td className="name mono">{p.assignedTo ?? "—"}</td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    </div>
                  )}
                </section>
              ) : (
                <section className="section" aria-labelledby="partitions">
                  <h2 id="partitions">Partitions at {formatTimestamp(d.collectedAt)}</h2>
                  <div className="table-wrap">
                    <table>
                      <caption>Committed offset against the last stable offset and the high watermark</caption>
                      <thead>
                        <tr>
                          <th scope="col">Topic</th>
                          <th scope="col" className="num">Partition</th>
                          <th scope="col" className="num">Committed</th>
                          <th scope="col" className="num">LSO</th>
                          <th scope="col" className="num">HW</th>
                          <th scope="col" className="num">Consumable</th>
                          <th scope="col" className="num">Held by txns</th>
                          <th scope="col">Assigned to</th>
                        </tr>
                      </thead>
                      <tbody>
                        {d.partitions.map((p) => (
                          <tr key={`${p.topic}\u0000${p.partition}`} className={p.txnBlockedLag ? "row-warning" : undefined}>
                            <td className="name">
                              <AtLink href={paths.topic(cluster, p.topic)}>{p.topic}</AtLink>
                            </td>
                            <td className="num">{p.partition}</td>
                            <td className="num">{formatCount(p.committed)}</td>
                            <td className="num">{formatCount(p.lastStableOffset)}</td>
                            <td className="num">{formatCount(p.highWatermark)}</td>
                            <td className="num">{formatCount(p.consumableLag)}</td>
                            <td className="num">{formatCount(p.txnBlockedLag)}</td>
                            <td className="name mono">{p.assignedTo ?? "—"}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                </section>
              )}
              <section className="section" aria-labelledby="members">
                <h2 id="members">Members</h2>
                {d.members.length === 0 ? (
                  <EmptyState title="No active members">The group is empty: nothing is consuming.</EmptyState>
                ) : (
                  <div className="table-wrap">
                    <table>
                      <caption>{d.members.length} member(s)</caption>
                      <thead>
                        <tr>
                          <th scope="col">Client id</th>
                          <th scope="col">Host</th>
                          {withEpochs ? (
                            <th scope="col" className="num">
                              Epoch
                            </th>
                          ) : null}
                          <th scope="col">Assignment</th>
                          {withTargets ? <th scope="col">Target assignment</th> : null}
                          <th scope="col">Member id</th>
                        </tr>
                      </thead>
                      <tbody>
                        {d.members.map((m) => (
                          <tr key={m.memberId}>
                            <td className="name mono">{m.clientId}</td>
                            <td className="mono">{m.host}</td>
                            {withEpochs ? <td className="num">{m.memberEpoch ?? "—"}</td> : null}
                            <td className="name mono">{m.assignment.join(", ") || "—"}</td>
                            {withTargets ? (
                              <td className="name mono">
                                {sameAssignment(m.assignment, m.targetAssignment) ? <span className="subtle">same</span> : m.targetAssignment?.join(", ") || "—"}
                              </td>
                            ) : null}
                            <td className="name mono subtle">{m.memberId}</td>
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

function sameAssignment(current: string[], target: string[] | null): boolean {
  return target !== null && current.length === target.length && current.every((p) => target.includes(p));
}
