"use client";

import { AtLink } from "../_components/links";
import { TimeLineChart } from "../_components/charts";
import { EmptyState, QueryView } from "../_components/states";
import { useUrlState } from "../_components/url-state";
import type { CapacityRange } from "@/lib/ui/dto";
import { formatBytes, formatCount, formatRate, formatSkew, formatTimestamp } from "@/lib/ui/format";
import { useCapacityQuery } from "@/lib/ui/hooks";
import { throughputSeries } from "@/lib/ui/section-views";
import { apiPaths, paths, withQuery } from "@/lib/ui/urls";

const RANGES: CapacityRange[] = ["24h", "7d", "30d", "90d"];
const CHART_TOPICS = 5;
const COLORS = ["var(--chart-1)", "var(--chart-2)", "var(--chart-3)", "var(--chart-4)", "var(--critical)"];

export function CapacityView({ cluster }: { cluster: string }) {
  const { get, set } = useUrlState();
  const range = RANGES.includes(get("range") as CapacityRange) ? (get("range") as CapacityRange) : "7d";
  const query = useCapacityQuery(cluster, range);
  return (
    <>
      <div className="page-head">
        <h1>Capacity · {cluster}</h1>
        <div className="filters no-print" style={{ margin: 0 }}>
          <label className="field" style={{ flexDirection: "row", alignItems: "center", gap: "0.4rem" }}>
            Range
            <select value={range} onChange={(e) => set({ range: e.target.value === "7d" ? null : e.target.value })}>
              {RANGES.map((r) => (
                <option key={r} value={r}>
                  last {r}
                </option>
              ))}
            </select>
          </label>
          <a href={withQuery(apiPaths.capacityCsv(cluster), { range })} download>
            Download CSV
          </a>
          <button type="button" onClick={() => window.print()}>
            Print
          </button>
        </div>
      </div>
      <QueryView query={query} loadingLabel="Loading roll-ups…">
        {(d) => {
          if (d.rows.length === 0) {
            return (
              <EmptyState title="No roll-ups for this range yet">
                Hourly roll-ups are built from finished hours of samples; daily ones from finished days.
              </EmptyState>
            );
          }
          const bucketMs = d.granularity === "hour" ? 3_600_000 : 86_400_000;
          const top = d.rows.slice(0, CHART_TOPICS).map((r) => r.topic);
          const series = throughputSeries(d.points, top, bucketMs);
          return (
            <>
              <p className="subtle">
                {formatTimestamp(d.from)} – {formatTimestamp(d.to)}, {d.granularity === "hour" ? "hourly" : "daily"} buckets.
              </p>
              <section className="section" aria-labelledby="throughput">
                <h2 id="throughput">Throughput of the busiest topics</h2>
                {series.length < 2 ? (
                  <EmptyState title="Only one bucket so far" />
                ) : (
                  <TimeLineChart
                    title="Records per second per topic"
                    data={series}
                    unit="records/s"
                    series={top.map((t, i) => ({ key: t, label: t, color: COLORS[i % COLORS.length] }))}
                  />
                )}
              </section>
              <section className="section" aria-labelledby="per-topic">
                <h2 id="per-topic">Per topic</h2>
                <div className="table-wrap">
                  <table>
                    <caption>Throughput, skew and exactly-once pressure over the range</caption>
                    <thead>
                      <tr>
                        <th scope="col">Topic</th>
                        <th scope="col" className="num">Partitions</th>
                        <th scope="col" className="num">Records in</th>
                        <th scope="col" className="num">Average</th>
                        <th scope="col" className="num">Peak</th>
                        <th scope="col" className="num">Bytes in</th>
                        <th scope="col" className="num">Max size</th>
                        <th scope="col" className="num">Skew</th>
                        <th scope="col" className="num">Max HW − LSO</th>
                        <th scope="col" className="num">Max group lag</th>
                        <th scope="col" className="num">Max open txns</th>
                      </tr>
                    </thead>
                    <tbody>
                      {d.rows.map((r) => (
                        <tr key={r.topic}>
                          <td className="name">
                            <AtLink href={paths.topic(cluster, r.topic)}>{r.topic}</AtLink>
                          </td>
                          <td className="num">{r.partitionCount}</td>
                          <td className="num">{formatCount(r.recordsIn)}</td>
                          <td className="num">{formatRate(r.avgRecordsPerSec)}</td>
                          <td className="num">{formatRate(r.peakRecordsPerSec)}</td>
                          <td className="num">{formatBytes(r.bytesIn)}</td>
                          <td className="num">{formatBytes(r.maxSizeBytes)}</td>
                          <td className="num">{formatSkew(r.skew)}</td>
                          <td className="num">{formatCount(r.maxLsoGap)}</td>
                          <td className="num">{formatCount(r.maxGroupLag)}</td>
                          <td className="num">{r.maxOpenTxns}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </section>
            </>
          );
        }}
      </QueryView>
    </>
  );
}
