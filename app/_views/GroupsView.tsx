"use client";

import { AtLink } from "../_components/links";
import { GroupStateBadge, GroupTypeBadge, VerdictBadge } from "../_components/badges";
import { ChoiceFilter } from "../_components/ChoiceFilter";
import { SortTh } from "../_components/SortTh";
import { EmptyState, QueryView } from "../_components/states";
import { useUrlState } from "../_components/url-state";
import { formatCount, formatTimestamp } from "@/lib/ui/format";
import { useClusterGroupsQuery } from "@/lib/ui/hooks";
import { parseSort, sortRows } from "@/lib/ui/sort";
import { paths } from "@/lib/ui/urls";

const VERDICTS = ["OK", "EXTERNAL", "LAGGING", "TXN_BLOCKED", "REWIND", "STALLED", "STOPPED"];
const TYPES = ["classic", "consumer", "streams", "share"];
const COLUMNS = ["groupId", "type", "state", "verdict", "memberCount", "consumableLag", "txnBlockedLag"] as const;

export function GroupsView({ cluster }: { cluster: string }) {
  const { at, get, set } = useUrlState();
  const q = get("q") ?? "";
  const verdict = get("verdict") ?? "";
  const type = get("type") ?? "";
  const sort = parseSort(get("sort"), get("dir"), COLUMNS, { key: "consumableLag", dir: "desc" });
  const query = useClusterGroupsQuery(cluster, at);
  return (
    <>
      <div className="page-head">
        <h1>Consumer groups</h1>
        {query.data ? <span className="subtle">Lag at {formatTimestamp(query.data.collectedAt)}, split the exactly-once way</span> : null}
      </div>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter groups">
        <label className="field">
          Group id contains
          <input value={q} onChange={(e) => set({ q: e.target.value || null })} spellCheck={false} />
        </label>
        <ChoiceFilter label="Verdict" param="verdict" value={verdict} choices={VERDICTS} />
        <ChoiceFilter label="Type" param="type" value={type} choices={TYPES} />
      </form>
      <QueryView query={query} loadingLabel="Loading groups…">
        {(d) => {
          const rows = sortRows(
            d.rows.filter((r) => (!q || r.groupId.includes(q)) && (!verdict || r.verdict === verdict) && (!type || r.type === type)),
            sort.key,
            sort.dir,
          );
          if (rows.length === 0) return <EmptyState title={d.rows.length ? "No group matches these filters" : "No consumer groups"} />;
          return (
            <div className="table-wrap">
              <table>
                <caption>
                  {rows.length} of {d.rows.length} group(s). Consumable = LSO − committed (share groups: records not yet acknowledged, as the broker counts them); held by transactions = HW − LSO.
                </caption>
                <thead>
                  <tr>
                    <SortTh column="groupId" label="Group" sort={sort} />
                    <SortTh column="verdict" label="Verdict" sort={sort} />
                    <SortTh column="type" label="Type" sort={sort} />
                    <SortTh column="state" label="State" sort={sort} />
                    <SortTh column="memberCount" label="Members" sort={sort} numeric />
                    <SortTh column="consumableLag" label="Consumable lag" sort={sort} numeric />
                    <SortTh column="txnBlockedLag" label="Held by transactions" sort={sort} numeric />
                    <th scope="col">Topics</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.groupId} className={r.verdict === "STALLED" || r.verdict === "STOPPED" ? "row-critical" : r.verdict && r.verdict !== "OK" ? "row-warning" : undefined}>
                      <td className="name mono">
                        <AtLink href={paths.group(cluster, r.groupId)}>{r.groupId}</AtLink>
                      </td>
                      <td>
                        <VerdictBadge verdict={r.verdict} />
                      </td>
                      <td>
                        <GroupTypeBadge type={r.type} />
                      </td>
                      <td>
                        <GroupStateBadge state={r.state} />
                      </td>
                      <td className="num">{r.memberCount}</td>
                      <td className="num">{formatCount(r.consumableLag)}</td>
                      <td className="num">{formatCount(r.txnBlockedLag)}</td>
                      <td className="name">
                        {r.topics.map((t) => (
                          <span key={t} style={{ marginRight: "0.4rem" }}>
                            <AtLink href={paths.topic(cluster, t)}>{t}</AtLink>
                          </span>
                        ))}
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
