"use client";

import { ApiError } from "@/lib/ui/api-client";
import { AtLink } from "../_components/links";
import { Badge } from "../_components/badges";
import { EmptyState, QueryView } from "../_components/states";
import { useUrlState } from "../_components/url-state";
import { FindingsTable } from "./FindingsTable";
import type { ClusterOverviewDto } from "@/lib/ui/dto";
import { sortFindings } from "@/lib/ui/finding-view";
import { formatCount, formatDuration, formatTimestamp } from "@/lib/ui/format";
import { useClusterFindingsQuery, useClusterOverviewQuery, useClustersQuery } from "@/lib/ui/hooks";
import { paths } from "@/lib/ui/urls";

function Stat({ label, value, tone }: { label: string; value: number | string; tone?: "bad" | "warn" }) {
  return (
    <div className="card">
      <div className="stat-label">{label}</div>
      <div className={`stat-value ${tone ?? ""}`}>{typeof value === "number" ? formatCount(value) : value}</div>
    </div>
  );
}

function Health({ o }: { o: ClusterOverviewDto }) {
  return (
    <div className="cards">
      <Stat label="Brokers" value={o.brokers.filter((b) => b.live).length} tone={o.brokers.some((b) => !b.live) ? "bad" : undefined} />
      <Stat label="Controller" value={o.controllerId ?? "none"} tone={o.controllerId == null ? "bad" : undefined} />
      <Stat label="Topics" value={o.topicCount} />
      <Stat label="Partitions" value={o.partitionCount} />
      <Stat label="Offline" value={o.offlineCount} tone={o.offlineCount ? "bad" : undefined} />
      <Stat label="Under min ISR" value={o.underMinIsrCount} tone={o.underMinIsrCount ? "bad" : undefined} />
      <Stat label="Under-replicated" value={o.underReplicatedCount} tone={o.underReplicatedCount ? "warn" : undefined} />
      <Stat label="Open transactions" value={`${o.openTransactionCount} / ${o.transactionCount}`} />
      <Stat label="Consumer groups" value={o.groupCount} />
      <Stat label="Transaction version" value={`TV${o.transactionVersion}`} />
    </div>
  );
}

function Brokers({ o }: { o: ClusterOverviewDto }) {
  return (
    <div className="table-wrap">
      <table>
        <caption>Brokers</caption>
        <thead>
          <tr>
            <th scope="col">Node</th>
            <th scope="col">Address</th>
            <th scope="col">Rack</th>
            <th scope="col">Role</th>
            <th scope="col" className="num">Leaders</th>
            <th scope="col" className="num">Replicas</th>
          </tr>
        </thead>
        <tbody>
          {o.brokers.map((b) => (
            <tr key={b.nodeId} className={b.live ? undefined : "row-critical"}>
              <td>{b.nodeId}</td>
              <td className="mono">{b.live ? `${b.host}:${b.port}` : <Badge tone="critical">not in metadata</Badge>}</td>
              <td>{b.rack ?? "—"}</td>
              <td>{b.isController ? <Badge tone="info">controller</Badge> : null}</td>
              <td className="num">{formatCount(b.leaderCount)}</td>
              <td className="num">{formatCount(b.replicaCount)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ProblemPartitions({ cluster, o }: { cluster: string; o: ClusterOverviewDto }) {
  if (o.problemPartitions.length === 0) return <EmptyState title="All partitions have a leader and a full ISR" />;
  return (
    <div className="table-wrap">
      <table>
        <caption>Partitions needing attention</caption>
        <thead>
          <tr>
            <th scope="col">Topic</th>
            <th scope="col" className="num">Partition</th>
            <th scope="col">Problem</th>
            <th scope="col" className="num">Leader</th>
            <th scope="col">Replicas</th>
            <th scope="col">ISR</th>
          </tr>
        </thead>
        <tbody>
          {o.problemPartitions.map((p) => (
            <tr key={`${p.topic}\u0000${p.partition}`} className={p.problem === "under-replicated" ? "row-warning" : "row-critical"}>
              <td className="name">
                <AtLink href={paths.topic(cluster, p.topic)}>{p.topic}</AtLink>
              </td>
              <td className="num">{p.partition}</td>
              <td>
                <Badge tone={p.problem === "under-replicated" ? "warning" : "critical"}>{p.problem}</Badge>
              </td>
              <td className="num">{p.leader < 0 ? "none" : p.leader}</td>
              <td className="mono">{p.replicas.join(", ")}</td>
              <td className="mono">{p.isr.join(", ") || "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PollDetails({ o }: { o: ClusterOverviewDto }) {
  const failing = o.phases.filter((p) => p.errors.length > 0 || p.unsupported);
  return (
    <details className="section">
      <summary>
        Poll at {formatTimestamp(o.collectedAt)} took {formatDuration(o.durationMs)}{" "}
        {o.complete ? <Badge tone="ok">complete</Badge> : <Badge tone="warning">partial</Badge>}
        {failing.length ? <span className="subtle"> · {failing.length} phase(s) with errors or unsupported</span> : null}
      </summary>
      <div className="table-wrap" style={{ marginTop: "0.5rem" }}>
        <table>
          <caption>Poll phases</caption>
          <thead>
            <tr>
              <th scope="col">Phase</th>
              <th scope="col" className="num">Duration</th>
              <th scope="col" className="num">Requests</th>
              <th scope="col">Errors</th>
            </tr>
          </thead>
          <tbody>
            {o.phases.map((p) => (
              <tr key={p.name}>
                <td>{p.name}</td>
                <td className="num">{p.durationMs} ms</td>
                <td className="num">{p.requests}</td>
                <td className="name">
                  {p.unsupported ? <Badge tone="neutral">unsupported by broker</Badge> : null}
                  {p.errors.map((e, i) => (
                    <div key={i}>
                      <span className="mono">{e.code}</span>
                      {e.brokerId != null ? ` (broker ${e.brokerId})` : ""}: {e.message}
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

export function ClusterView({ cluster }: { cluster: string }) {
  const { at } = useUrlState();
  const overview = useClusterOverviewQuery(cluster, at);
  const findings = useClusterFindingsQuery(cluster, at, "open");
  const known = useClustersQuery().data?.clusters.some((c) => c.name === cluster) ?? false;
  return (
    <>
      <div className="page-head">
        <h1>{cluster}</h1>
        {overview.data ? (
          <span className="subtle">
            Kafka cluster id <span className="mono">{overview.data.overview.clusterId ?? "unknown"}</span> · state of poll at{" "}
            {formatTimestamp(overview.data.overview.collectedAt)}
          </span>
        ) : null}
      </div>
      {known && overview.error instanceof ApiError && overview.error.status === 404 && !overview.data ? (
        // A configured cluster whose polls all failed (e.g. rejected credentials): the server's message says why.
        <div className="state state-error" role="alert">
          <strong>No data from this cluster yet</strong>
          <p>{overview.error.message}</p>
        </div>
      ) : (
        <QueryView query={overview} loadingLabel="Loading cluster…">
          {(d) => (
            <>
              <Health o={d.overview} />
              <section className="section" aria-labelledby="open-findings">
                <h2 id="open-findings">Open findings</h2>
                <QueryView query={findings}>
                  {(f) =>
                    f.findings.length === 0 ? (
                      <EmptyState title="No open findings">Every detector passed on the latest poll.</EmptyState>
                    ) : (
                      <FindingsTable cluster={cluster} findings={sortFindings(f.findings)} caption={`${f.findings.length} open finding(s), most severe first`} />
                    )
                  }
                </QueryView>
              </section>
              <div className="grid-2">
                <section className="section" aria-labelledby="brokers">
                  <h2 id="brokers">Brokers</h2>
                  <Brokers o={d.overview} />
                </section>
                <section className="section" aria-labelledby="partitions">
                  <h2 id="partitions">Partition health</h2>
                  <ProblemPartitions cluster={cluster} o={d.overview} />
                </section>
              </div>
              <PollDetails o={d.overview} />
            </>
          )}
        </QueryView>
      )}
    </>
  );
}
