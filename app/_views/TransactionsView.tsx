"use client";

import { AtLink } from "../_components/links";
import { Badge, TxnStateBadge } from "../_components/badges";
import { ChoiceFilter } from "../_components/ChoiceFilter";
import { SortTh } from "../_components/SortTh";
import { EmptyState, QueryView } from "../_components/states";
import { useUrlState } from "../_components/url-state";
import type { TransactionRow } from "@/lib/ui/dto";
import { formatDuration, formatTimestamp } from "@/lib/ui/format";
import { useClusterTransactionsQuery } from "@/lib/ui/hooks";
import { parseSort, sortRows } from "@/lib/ui/sort";
import { filterTransactions } from "@/lib/ui/transaction-view";
import { paths } from "@/lib/ui/urls";

const STATES = ["Ongoing", "PrepareCommit", "PrepareAbort", "CompleteCommit", "CompleteAbort", "Empty", "Dead"];
const AGES: { label: string; ms: number | null }[] = [
  { label: "Any", ms: null },
  { label: "≥ 1 min", ms: 60_000 },
  { label: "≥ 5 min", ms: 300_000 },
  { label: "≥ 15 min", ms: 900_000 },
  { label: "≥ 1 h", ms: 3_600_000 },
];
const COLUMNS = ["transactionalId", "state", "openForMs", "producerEpoch", "transactionTimeoutMs"] as const;

export function TransactionsView({ cluster }: { cluster: string }) {
  const { at, get, set } = useUrlState();
  const state = get("state") ?? "";
  const minAge = Number(get("minAge")) || null;
  const prefix = get("prefix") ?? "";
  const family = get("family") ?? "";
  const sort = parseSort(get("sort"), get("dir"), COLUMNS, { key: "openForMs", dir: "desc" });
  const query = useClusterTransactionsQuery(cluster, at);
  return (
    <>
      <div className="page-head">
        <h1>Transactions</h1>
        {query.data ? <span className="subtle">As listed by the coordinators at {formatTimestamp(query.data.collectedAt)}</span> : null}
      </div>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter transactions">
        <ChoiceFilter label="State" param="state" value={state} choices={STATES} />
        <label className="field">
          Open for
          <select value={minAge ?? ""} onChange={(e) => set({ minAge: e.target.value || null })}>
            {AGES.map((a) => (
              <option key={a.label} value={a.ms ?? ""}>
                {a.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Transactional id starts with
          <input value={prefix} onChange={(e) => set({ prefix: e.target.value || null })} spellCheck={false} />
        </label>
        {family ? (
          <span className="field">
            Family <span className="mono name">{family}</span>
            <button type="button" onClick={() => set({ family: null })}>
              Show all
            </button>
          </span>
        ) : null}
      </form>
      <QueryView query={query} loadingLabel="Loading transactions…">
        {(d) => {
          const rows = sortRows(filterTransactions(d.rows, { state: state || undefined, minOpenMs: minAge ?? undefined, idPrefix: prefix || undefined, family: family || undefined }), sort.key, sort.dir);
          if (rows.length === 0) {
            return d.rows.length === 0 ? (
              <EmptyState title="No transactional ids">The coordinators list no transactional producers on this cluster.</EmptyState>
            ) : (
              <EmptyState title="No transaction matches these filters" />
            );
          }
          return <TransactionsTable cluster={cluster} rows={rows} sort={sort} total={d.rows.length} />;
        }}
      </QueryView>
    </>
  );
}

function TransactionsTable({ cluster, rows, sort, total }: { cluster: string; rows: TransactionRow[]; sort: { key: string; dir: "asc" | "desc" }; total: number }) {
  return (
    <div className="table-wrap">
      <table>
        <caption>
          {rows.length} of {total} transactional id(s)
        </caption>
        <thead>
          <tr>
            <SortTh column="transactionalId" label="Transactional id" sort={sort} />
            <SortTh column="state" label="State" sort={sort} />
            <SortTh column="openForMs" label="Open for" sort={sort} numeric />
            <SortTh column="transactionTimeoutMs" label="Timeout" sort={sort} numeric />
            <th scope="col" className="num">Producer id</th>
            <SortTh column="producerEpoch" label="Epoch" sort={sort} numeric />
            <th scope="col">Partitions</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.transactionalId} className={r.overTimeout ? "row-critical" : undefined}>
              <td className="name mono">
                <AtLink href={paths.transaction(cluster, r.transactionalId)}>{r.transactionalId}</AtLink>
              </td>
              <td>
                <TxnStateBadge state={r.state} />
              </td>
              <td className="num">
                {r.openForMs == null ? "—" : formatDuration(r.openForMs)} {r.overTimeout ? <Badge tone="critical">over timeout</Badge> : null}
              </td>
              <td className="num">{formatDuration(r.transactionTimeoutMs)}</td>
              <td className="num">{r.producerId}</td>
              <td className="num">{r.producerEpoch}</td>
              <td className="name mono">{r.partitions.map((p) => `${p.topic}-${p.partition}`).join(", ") || "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
