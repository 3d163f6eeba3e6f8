"use client";

import { AtLink } from "../_components/links";
import { Badge } from "../_components/badges";
import { OffsetCharts } from "../_components/OffsetCharts";
import { EmptyState, QueryView } from "../_components/states";
import { useUrlState } from "../_components/url-state";
import { RangeSelect, ResolutionNote, useChartRange } from "./range";
import type { PartitionRow } from "@/lib/ui/dto";
import { formatAge, formatBytes, formatCount, formatRate, formatSkew, formatTimestamp } from "@/lib/ui/format";
import { useTopicDetailQuery, useTopicHistoryQuery } from "@/lib/ui/hooks";
import { partitionOffsetSeries } from "@/lib/ui/series";
import { paths } from "@/lib/ui/urls";

function Producers({ cluster, p, collectedAt }: { cluster: string; p: PartitionRow; collectedAt: number }) {
  if (p.producers == null) return <span className="subtle">unknown</span>;
  if (p.producers.length === 0) return <span className="subtle">none</span>;
  return (
    <ul style={{ margin: 0, paddingLeft: "1rem" }}>
      {p.producers.map((pr) => (
        <li key={pr.producerId}>
          <span className="mono">
            {pr.producerId}/{pr.producerEpoch}
          </span>{" "}
          {pr.transactionalId != null ? <AtLink href={paths.transaction(cluster, pr.transactionalId)}>{pr.transactionalId}</AtLink> : <span className="subtle">no transactional id</span>}
          {pr.currentTxnStartOffset >= 0 ? <Badge tone="warning">open txn from {formatCount(pr.currentTxnStartOffset)}</Badge> : null}{" "}
          <span className="subtle">last write {formatAge(pr.lastTimestamp, collectedAt)}</span>
        </li>
      ))}
    </ul>
  );
}

export function TopicView({ cluster, topic }: { cluster: string; topic: string }) {
  const { at, get, set } = useUrlState();
  const query = useTopicDetailQuery(cluster, topic, at);
  const chart = useChartRange();
  const worst = query.data?.partitions.reduce<PartitionRow | null>((w, p) => ((p.txnBlocked ?? 0) > (w?.txnBlocked ?? -1) ? p : w), null);
  const chosen = get("partition");
  const selected = chosen != null ? Number(chosen) : (worst?.partition ?? 0);
  // Without ?partition= the chart waits for the topic, to chart its worst partition.
  const history = useTopicHistoryQuery(cluster, topic, selected, chart.param, chosen != null || query.data != null);
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <AtLink href={paths.cluster(cluster)}>{cluster}</AtLink> / <AtLink href={paths.section(cluster, "topics")}>topics</AtLink>
      </nav>
      <div className="page-head">
        <h1 data-testid="entity-title">{topic}</h1>
      </div>
      <QueryView query={query} loadingLabel="Loading topic…">
        {(d) => (
          <>
            <div className="cards">
              <div className="card">
                <div className="stat-label">Partitions</div>
                <div className="stat-value">{d.topic.partitionCount}</div>
              </div>
              <div className="card">
                <div className="stat-label">Rate</div>
                <div className="stat-value">{formatRate(d.topic.ratePerSec)}</div>
              </div>
              <div className="card">
                <div className="stat-label">HW − LSO</div>
                <div className={`stat-value ${d.topic.txnBlocked ? "warn" : ""}`}>{formatCount(d.topic.txnBlocked)}</div>
              </div>
              <div className="card">
                <div className="stat-label">Size</div>
                <div className="stat-value">{formatBytes(d.topic.sizeBytes)}</div>
              </div>
            </div>
            <section className="section" aria-labelledby="offsets-chart">
              <div className="page-head">
                <h2 id="offsets-chart">High watermark and LSO over time</h2>
                <div className="filters" style={{ margin: 0 }}>
                  <label className="field" style={{ flexDirection: "row", alignItems: "center", gap: "0.4rem" }}>
                    Partition
                    <select value={selected} onChange={(e) => set({ partition: e.target.value })}>
                      {d.partitions.map((p) => (
                        <option key={p.partition} value={p.partition}>
                          {p.partition}
                        </option>
                      ))}
                    </select>
                  </label>
                  <RangeSelect value={chart.range.value} onChange={chart.setRange} />
                </div>
              </div>
              <QueryView query={history} loadingLabel="Loading offsets…">
                {(h) => {
                  const series = partitionOffsetSeries(h.points, selected);
                  return series.length < 2 ? (
                    <EmptyState title="Not enough samples in this window" />
                  ) : (
                    <>
                      <OffsetCharts name={`${topic}-${selected}`} series={series} />
                      <ResolutionNote resolution={h.resolution} />
                    </>
                  );
                }}
              </QueryView>
            </section>
            <section className="section" aria-labelledby="partitions">
              <h2 id="partitions">Partitions at {formatTimestamp(d.collectedAt)}</h2>
              <div className="table-wrap">
                <table>
                  <caption>Offsets per partition; HW − LSO is what open transactions hold back from read_committed consumers</caption>
                  <thead>
                    <tr>
                      <th scope="col" className="num">Partition</th>
                      <th scope="col" className="num">Leader</th>
                      <th scope="col">ISR / replicas</th>
                      <th scope="col" className="num">Log start</th>
                      <th scope="col" className="num">HW</th>
                      <th scope="col" className="num">LSO</th>
                      <th scope="col" className="num">HW − LSO</th>
                      <th scope="col" className="num">Rate</th>
                      <th scope="col" className="num">Skew</th>
                      <th scope="col" className="num">Size</th>
                      <th scope="col">Producers (id/epoch)</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.partitions.map((p) => (
                      <tr key={p.partition} className={p.leader < 0 ? "row-critical" : p.txnBlocked ? "row-warning" : undefined}>
                        <td className="num">{p.partition}</td>
                        <td className="num">{p.leader < 0 ? <Badge tone="critical">none</Badge> : p.leader}</td>
                        <td className="mono">
                          {p.isr.join(",") || "—"} / {p.replicas.join(",")}
                        </td>
                        <td className="num">{formatCount(p.logStartOffset)}</td>
                        <td className="num">{formatCount(p.highWatermark)}</td>
                        <td className="num">{formatCount(p.lastStableOffset)}</td>
                        <td className="num">{formatCount(p.txnBlocked)}</td>
                        <td className="num">{formatRate(p.ratePerSec)}</td>
                        <td className="num">{formatSkew(p.skew)}</td>
                        <td className="num">{formatBytes(p.sizeBytes)}</td>
                        <td className="name" style={{ minWidth: "16rem" }}>
                          <Producers cluster={cluster} p={p} collectedAt={d.collectedAt} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
            <details className="section">
              <summary>Topic configuration ({Object.keys(d.configs).length})</summary>
              <dl className="kv" style={{ marginTop: "0.5rem" }}>
                {Object.entries(d.configs).map(([k, v]) => (
                  <div key={k} style={{ display: "contents" }}>
                    <dt className="mono">{k}</dt>
                    <dd className="mono">{v ?? "(hidden)"}</dd>
                  </div>
                ))}
              </dl>
            </details>
          </>
        )}
      </QueryView>
    </>
  );
}
