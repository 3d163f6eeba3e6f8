"use client";

import { ChoiceFilter } from "../_components/ChoiceFilter";
import { EmptyState, QueryView } from "../_components/states";
import { useUrlState } from "../_components/url-state";
import { GroupedFindingsTable } from "./FindingsTable";
import { SEVERITIES, type Severity } from "@/lib/ui/dto";
import { groupFindings } from "@/lib/ui/finding-view";
import { useClusterFindingsQuery } from "@/lib/ui/hooks";

export function FindingsView({ cluster }: { cluster: string }) {
  const { at, get, set } = useUrlState();
  const status = get("status") === "all" ? "all" : "open";
  const severity = SEVERITIES.includes(get("severity") as Severity) ? (get("severity") as Severity) : null;
  const kind = get("kind") ?? "";
  const hideInfo = get("info") === "hide";
  const query = useClusterFindingsQuery(cluster, at, status);
  return (
    <>
      <div className="page-head">
        <h1>Findings</h1>
      </div>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter findings">
        <label className="field">
          Status
          <select value={status} onChange={(e) => set({ status: e.target.value === "all" ? "all" : null })}>
            <option value="open">Open</option>
            <option value="all">Open and resolved</option>
          </select>
        </label>
        <ChoiceFilter label="Severity" param="severity" value={severity ?? ""} choices={SEVERITIES} />
        <label className="field">
          Kind
          <input value={kind} placeholder="e.g. hanging-transaction" onChange={(e) => set({ kind: e.target.value || null })} />
        </label>
        <label className="field field-inline">
          <input type="checkbox" checked={hideInfo} onChange={(e) => set({ info: e.target.checked ? "hide" : null })} />
          Hide info findings
        </label>
      </form>
      <QueryView query={query} loadingLabel="Loading findings…">
        {(d) => {
          const rows = d.findings.filter(
            (f) => (!severity || f.severity === severity) && (!kind || f.kind.includes(kind)) && !(hideInfo && f.severity === "info"),
          );
          const hidden = hideInfo ? d.findings.filter((f) => f.severity === "info").length : 0;
          const groups = groupFindings(rows);
          return rows.length === 0 ? (
            <EmptyState title="No findings match">Change the filters, or include resolved findings.</EmptyState>
          ) : (
            <GroupedFindingsTable
              cluster={cluster}
              groups={groups}
              caption={`${rows.length} finding(s) in ${groups.length} group(s), most severe first${hidden ? ` · ${hidden} info finding(s) hidden` : ""}`}
            />
          );
        }}
      </QueryView>
    </>
  );
}
