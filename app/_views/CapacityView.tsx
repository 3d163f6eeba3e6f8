"use client";

import { AtLink } from "../_components/links";
import { TimeLineChart } from "../_components/charts";
import { EmptyState, QueryView } from "../_components/states";
import { useUrlState } from "../_components/url-state";
import type { CapacityDto, CapacityRange } from "@/lib/ui/dto";
import { formatBytes, formatCount, formatDuration, formatRate, formatSkew, formatTimestamp } from "@/lib/ui/format";
import { useCapacityQuery } from "@/lib/ui/hooks";
import { throughputSeries, transactionSeries } from "@/lib/ui/section-views";
import { apiPaths, paths, withQuery } from "@/lib/ui/urls";
import { bucketMs } from "@/lib/time";

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
          <a href={withQuery(apiPaths.capacityCsv(cluster), { range, table: "transactions" })} download>
            Transactions CSV
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
              <EmptyState title="No samples in this range yet">
                Partition samples are kept once a minute (HISTORY_SAMPLE_INTERVAL_MS) from the first poll on; the current hour is rolled
                up from them as soon as there are two.
              </EmptyState>
            );
          }
          const top = d.rows.slice(0, CHART_TOPICS).map((r) => r.topic);
          const series = throughputSeries(d.points, top, bucketMs(d.granularity), d.partial);
          return (
            <>
              <p className="subtle">
                {formatTimestamp(d.from)} – {formatTimestamp(d.to)}, {d.granularity === "hour" ? "hourly" : "daily"} buckets.
              </p>
              <PartialNote data={d} />
              <section className="section" aria-labelledby="throughput">
                <h2 id="throughput">Throughput of the busiest topics</h2>
                {series.length < 2 ? (
                  <EmptyState title={d.partial ? `Only the current ${d.granularity} so far` : "Only one bucket so far"}>
                    {d.partial ? "Its figures are in the tables below; the chart starts with the second bucket." : null}
                  </EmptyState>
                ) : (
                  <TimeLineChart
                    title="Records per second per topic"
                    data={series}
                    unit="records/s"
                    series={top.map((t, i) => ({ key: t, label: t, color: COLORS[i % COLORS.length] }))}
                  />
                )}
              </section>
              <Transactions data={d} />
              <section className="section" aria-labelledby="per-topic">
                <h2 id="per-topic">Per topic</h2>
                <div className="table-wrap">
                  <table>
                    <caption>Throughput, skew and exactly-once pressure over the range{d.partial ? `, including the partial current ${d.granularity}` : ""}</caption>
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

/** Says which bucket is still open: its figures are rolled up from the raw samples so far and will grow. */
function PartialNote({ data }: { data: CapacityDto }) {
  if (!data.partial) return null;
  const { bucketStart, to } = data.partial;
  return (
    <p className="partial-note" data-testid="capacity-partial">
      <span className="badge badge-info">partial</span> Includes the current {data.granularity}, not finished: {formatTimestamp(bucketStart)} to
      the newest sample at {formatTimestamp(to)} ({formatDuration(to - bucketStart)}), rolled up from the raw samples the same way as
      finished ones. Its rates are over that part; its totals grow until the {data.granularity} ends.
    </p>
  );
}

function Transactions({ data }: { data: CapacityDto }) {
  const { points, summary } = data.transactions;
  const series = transactionSeries(points);
  const bucket = data.granularity === "hour" ? "hour" : "day";
  const stats: [string, string][] = [
    ["Observed commits", formatCount(summary.observedCommits)],
    ["Observed aborts", formatCount(summary.observedAborts)],
    [`Peak observed completions per ${bucket}`, formatCount(summary.peakCompletionsPerBucket)],
    ["Transactional ids that changed state", formatCount(summary.activeIds)],
    ["Average age of open transactions", formatDuration(summary.avgOpenMs)],
    ["Longest open transaction", formatDuration(summary.maxOpenMs)],
    ["Most open at once", formatCount(summary.maxOpenTxns)],
  ];
  return (
    <section className="section" aria-labelledby="transactions">
      <h2 id="transactions">Transactions</h2>
      <p className="subtle">
        Observed completions are state changes into CompleteCommit or CompleteAbort seen between two polls. A poll sees at most one
        change per transactional id, so transactions that start and finish between polls are not counted: read them as a lower bound.
      </p>
      <div className="table-wrap">
        <table>
          <caption>Transactions over the range{data.partial ? `, including the partial current ${bucket}` : ""}</caption>
          <tbody>
            {stats.map(([label, value]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td className="num">{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {series.length < 2 ? null : (
        <div className="grid-2">
          <div>
            <h3>Observed completions per {bucket}</h3>
            <TimeLineChart
              title={`Observed completions per ${bucket}`}
              data={series}
              unit={`per ${bucket}`}
              series={[
                { key: "commits", label: "commits", color: "var(--chart-1)" },
                { key: "aborts", label: "aborts", color: "var(--critical)" },
                { key: "activeIds", label: "ids that changed state", color: "var(--chart-3)" },
              ]}
            />
          </div>
          <div>
            <h3>Age of open transactions</h3>
            <TimeLineChart
              title="Age of open transactions"
              data={series}
              unit="seconds"
              series={[
                { key: "avgOpenSec", label: "average", color: "var(--chart-2)" },
                { key: "maxOpenSec", label: "longest", color: "var(--chart-4)" },
              ]}
            />
          </div>
        </div>
      )}
    </section>
  );
}
