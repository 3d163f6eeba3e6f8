"use client";

import { AtLink } from "../_components/links";
import { SeverityBadge, Badge } from "../_components/badges";
import { GroupLagChart } from "../_components/GroupLagChart";
import { OffsetCharts } from "../_components/OffsetCharts";
import { AbortTransaction } from "../_components/AbortTransaction";
import { Remediation } from "../_components/Remediation";
import { RemediationAudit } from "../_components/RemediationAudit";
import { EmptyState, QueryView } from "../_components/states";
import { TimeLineChart } from "../_components/charts";
import { IncidentReport, PrintFooter } from "../_components/IncidentReport";
import { SubjectLinks } from "./FindingsTable";
import { ResolutionNote } from "./range";
import type { FindingDto, IdTimelineDto } from "@/lib/ui/dto";
import { FindingNotifications } from "../_components/FindingNotifications";
import { evidenceRows } from "@/lib/ui/finding-view";
import { formatAge, formatDuration, formatTimestamp } from "@/lib/ui/format";
import { useFindingDetailQuery, useGroupHistoryQuery, useTopicHistoryQuery } from "@/lib/ui/hooks";
import { appearanceChart, epochChart, producerIds, timelineWindow } from "@/lib/ui/id-timeline";
import { groupLagSeries, partitionOffsetSeries } from "@/lib/ui/series";
import { paths } from "@/lib/ui/urls";

function timelineRange(f: FindingDto, now: number) {
  const { from, to } = timelineWindow(f, now);
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/** The (producer id, epoch) history of a fenced id, or the ids of a lost-fencing family appearing over time. */
function IdTimeline({ cluster, timeline, marks }: { cluster: string; timeline: IdTimelineDto; marks: number[] }) {
  const epochs = timeline.kind === "epochs";
  const pids = producerIds(timeline.points);
  const epochData = epochChart(timeline.points);
  return (
    <>
      {epochs ? (
        epochData.length < 2 ? (
          <EmptyState title="Fewer than two epoch changes in this window">The table lists what was recorded.</EmptyState>
        ) : (
          <TimeLineChart
            title="Producer epoch of the transactional id"
            data={epochData}
            unit="epoch"
            markAt={marks}
            dots
            series={[{ key: "epoch", label: pids.length > 1 ? `epoch (producer ids ${pids.join(" → ")})` : `epoch (producer id ${pids[0]})`, color: "var(--chart-3)" }]}
          />
        )
      ) : timeline.points.length === 0 ? (
        <EmptyState title="No first sightings recorded for these ids" />
      ) : (
        <TimeLineChart title="Transactional ids of the family seen so far" data={appearanceChart(timeline.points)} unit="ids" markAt={marks} dots series={[{ key: "ids", label: "ids seen", color: "var(--chart-1)" }]} />
      )}
      <div className="table-wrap" style={{ marginTop: "0.75rem" }}>
        <table>
          <caption>{epochs ? "(producer id, epoch) after each recorded change, oldest first" : "When each id of the family was first seen, oldest first"}</caption>
          <thead>
            <tr>
              <th scope="col">Time (UTC)</th>
              {epochs ? null : <th scope="col">Transactional id</th>}
              <th scope="col" className="num">
                Producer id
              </th>
              <th scope="col" className="num">
                Epoch
              </th>
              <th scope="col" className="hide-sm">
                Event
              </th>
            </tr>
          </thead>
          <tbody>
            {timeline.points.map((p, i) => (
              <tr key={`${p.transactionalId}-${p.at}-${i}`}>
                <td className="mono">{formatTimestamp(p.at)}</td>
                {epochs ? null : (
                  <td className="name mono">
                    <AtLink href={paths.transaction(cluster, p.transactionalId)}>{p.transactionalId}</AtLink>
                  </td>
                )}
                <td className="num">{p.producerId ?? "—"}</td>
                <td className="num">{p.epoch ?? "—"}</td>
                <td className="hide-sm">{p.event}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function Timeline({ cluster, f, now, idTimeline }: { cluster: string; f: FindingDto; now: number; idTimeline: IdTimelineDto | null }) {
  const range = timelineRange(f, now);
  const { topic, partition, groupId } = f.subject;
  const partitionChart = topic != null && partition != null;
  const topicHistory = useTopicHistoryQuery(cluster, partitionChart ? topic : null, partition ?? 0, range, partitionChart);
  const groupHistory = useGroupHistoryQuery(cluster, !partitionChart ? groupId : null, range, !partitionChart && groupId != null);
  const marks = [f.firstSeenAt, ...(f.resolvedAt ? [f.resolvedAt] : [])];
  if (idTimeline) return <IdTimeline cluster={cluster} timeline={idTimeline} marks={marks} />;
  if (partitionChart) {
    return (
      <QueryView query={topicHistory} loadingLabel="Loading offsets…">
        {(h) => {
          const series = partitionOffsetSeries(h.points, partition);
          return series.length < 2 ? (
            <EmptyState title="No samples in this window">Per-poll samples are kept for 48 hours.</EmptyState>
          ) : (
            <>
              <OffsetCharts name={`${topic}-${partition}`} series={series} markAt={marks} />
              <ResolutionNote resolution={h.resolution} />
            </>
          );
        }}
      </QueryView>
    );
  }
  if (groupId != null) {
    return (
      <QueryView query={groupHistory} loadingLabel="Loading lag…">
        {(h) => {
          const series = groupLagSeries(h.points);
          return series.length < 2 ? (
            <EmptyState title="No samples in this window" />
          ) : (
            <>
              <GroupLagChart title={`Lag of group ${groupId}`} series={series} markAt={marks} />
              <ResolutionNote resolution={h.resolution} />
            </>
          );
        }}
      </QueryView>
    );
  }
  return <p className="subtle">This finding has no partition or group to chart.</p>;
}

/** The abort action is offered on an open hanging transaction to an operator of a server with remediation on. */
function AbortAction({ cluster, f, canAbort }: { cluster: string; f: FindingDto; canAbort: boolean }) {
  const { topic, partition } = f.subject;
  if (!canAbort || f.kind !== "hanging-transaction" || f.resolvedAt || topic == null || partition == null) return null;
  return <AbortTransaction cluster={cluster} findingId={f.id} topic={topic} partition={partition} />;
}

export function FindingView({ cluster, id, canAbort }: { cluster: string; id: string; canAbort: boolean }) {
  const query = useFindingDetailQuery(cluster, id);
  return (
    <QueryView query={query} loadingLabel="Loading finding…">
      {({ finding: f, now, remediationAudit, idTimeline }) => (
        <>
          <nav className="breadcrumbs" aria-label="Breadcrumb">
            <AtLink href={paths.cluster(cluster)}>{cluster}</AtLink> / <AtLink href={paths.section(cluster, "findings")}>findings</AtLink> /{" "}
            <span className="mono">{f.kind}</span>
          </nav>
          <div className="page-head">
            <h1>{f.title}</h1>
          </div>
          <p style={{ display: "flex", flexWrap: "wrap", gap: "0.5rem", alignItems: "center" }}>
            <SeverityBadge severity={f.severity} />
            {f.resolvedAt ? <Badge tone="ok">resolved {formatAge(f.resolvedAt, now)}</Badge> : <Badge tone="critical">open for {formatDuration(now - f.firstSeenAt)}</Badge>}
            <span className="subtle">
              first seen {formatTimestamp(f.firstSeenAt)} · last seen {formatTimestamp(f.lastSeenAt)}
            </span>
          </p>
          <FindingNotifications cluster={cluster} id={f.id} />
          <p>
            Affects: <SubjectLinks cluster={cluster} finding={f} />
          </p>
          <div className="grid-2">
            <section className="section" aria-labelledby="explanation">
              <h2 id="explanation">What is wrong</h2>
              <p className="prose">{f.explanation}</p>
            </section>
            <section className="section" aria-labelledby="remediation">
              <h2 id="remediation">What to do</h2>
              <Remediation finding={f} />
              <AbortAction cluster={cluster} f={f} canAbort={canAbort} />
            </section>
          </div>
          {f.kind === "hanging-transaction" || remediationAudit.length > 0 ? (
            <section className="section" aria-labelledby="audit">
              <h2 id="audit">Abort attempts</h2>
              <RemediationAudit cluster={cluster} rows={remediationAudit} />
            </section>
          ) : null}
          <section className="section" aria-labelledby="timeline">
            <h2 id="timeline">Timeline</h2>
            <p className="chart-legend-note">Dashed red lines: when the finding opened{f.resolvedAt ? " and resolved" : ""}. Times in UTC.</p>
            <Timeline cluster={cluster} f={f} now={now} idTimeline={idTimeline} />
          </section>
          <section className="section" aria-labelledby="evidence">
            <h2 id="evidence">Evidence</h2>
            <div className="table-wrap">
              <table>
                <caption>Values measured by the detector at the last poll that reported this finding</caption>
                <thead>
                  <tr>
                    <th scope="col">Measure</th>
                    <th scope="col">Value</th>
                  </tr>
                </thead>
                <tbody>
                  {evidenceRows(f.evidence).map((r) => (
                    <tr key={r.key}>
                      <th scope="row" className="mono" style={{ position: "static", background: "none", fontWeight: 500 }}>
                        {r.key}
                      </th>
                      <td className="name mono">{r.value}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          <IncidentReport cluster={cluster} finding={f} asOf={now} />
          <p className="subtle">
            Finding id <span className="mono">{f.id}</span> · key <span className="mono">{f.key}</span>
          </p>
          <PrintFooter cluster={cluster} finding={f} asOf={now} />
        </>
      )}
    </QueryView>
  );
}
