"use client";

import { AtLink } from "../_components/links";
import { Badge } from "../_components/badges";
import { SortTh } from "../_components/SortTh";
import { EmptyState, QueryView } from "../_components/states";
import { useUrlState } from "../_components/url-state";
import { formatBytes, formatCount, formatRate, formatSkew, formatTimestamp } from "@/lib/ui/format";
import { useClusterTopicsQuery } from "@/lib/ui/hooks";
import { parseSort, sortRows } from "@/lib/ui/sort";
import { paths } from "@/lib/ui/urls";

const COLUMNS = ["name", "partitionCount", "ratePerSec", "skew", "txnBlocked", "sizeBytes", "retainedOffsets"] as const;

export function TopicsView({ cluster }: { cluster: string }) {
  const { at, get, set } = useUrlState();
  const q = get("q") ?? "";
  const internal = get("internal") === "1";
  const sort = parseSort(get("sort"), get("dir"), COLUMNS, { key: "txnBlocked", dir: "desc" });
  const query = useClusterTopicsQuery(cluster, at);
  return (
    <>
      <div className="page-head">
        <h1>Topics</h1>
        {query.data ? <span className="subtle">At {formatTimestamp(query.data.collectedAt)}</span> : null}
      </div>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter topics">
        <label className="field">
          Name contains
          <input value={q} onChange={(e) => set({ q: e.target.value || null })} spellCheck={false} />
        </label>
        <label className="field" style={{ flexDirection: "row", alignItems: "center", gap: "0.4rem" }}>
          <input type="checkbox" checked={internal} onChange={(e) => set({ internal: e.target.checked ? "1" : null })} style={{ minHeight: 0 }} />
          Show internal topics
        </label>
      </form>
      <QueryView query={query} loadingLabel="Loading topics…">
        {(d) => {
          const rows = sortRows(
            d.rows.filter((r) => (internal || !r.internal) && (!q || r.name.includes(q))),
            sort.key,
            sort.dir,
          );
          if (rows.length === 0) return <EmptyState title="No topic matches" />;
          return (
            <div className="table-wrap">
              <table>
                <caption>
                  {rows.length} topic(s){d.hasRates ? "" : " · rates appear after the second poll"}
                </caption>
                <thead>
                  <tr>
                    <SortTh column="name" label="Topic" sort={sort} />
                    <SortTh column="partitionCount" label="Partitions" sort={sort} numeric />
                    <SortTh column="ratePerSec" label="Rate" sort={sort} numeric />
                    <SortTh column="skew" label="Skew" sort={sort} numeric />
                    <SortTh column="txnBlocked" label="HW − LSO" sort={sort} numeric />
                    <th scope="col" className="num">Open txn partitions</th>
                    <SortTh column="sizeBytes" label="Size" sort={sort} numeric />
                    <SortTh column="retainedOffsets" label="Retained offsets" sort={sort} numeric />
                    <th scope="col">Health</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.name} className={r.offline ? "row-critical" : r.txnBlocked > 0 || r.underReplicated ? "row-warning" : undefined}>
                      <td className="name">
                        <AtLink href={paths.topic(cluster, r.name)}>{r.name}</AtLink>
                        {r.internal ? <span className="subtle"> internal</span> : null}
                      </td>
                      <td className="num">{r.partitionCount}</td>
                      <td className="num">{formatRate(r.ratePerSec)}</td>
                      <td className="num">{formatSkew(r.skew)}</td>
                      <td className="num">{formatCount(r.txnBlocked)}</td>
                      <td className="num">{r.partitionsWithOpenTxn}</td>
                      <td className="num">{formatBytes(r.sizeBytes)}</td>
                      <td className="num">{formatCount(r.retainedOffsets)}</td>
                      <td>
                        {r.offline ? <Badge tone="critical">{r.offline} offline</Badge> : null}{" "}
                        {r.underReplicated ? <Badge tone="warning">{r.underReplicated} under-replicated</Badge> : null}
                        {!r.offline && !r.underReplicated ? <Badge tone="ok">ok</Badge> : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          );
        }}
      </QueryView>
    </>
  );
}
