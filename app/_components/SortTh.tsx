"use client";

import type { SortDir } from "@/lib/ui/sort";
import { useUrlState } from "./url-state";

/** Column header that sorts through the URL (`?sort=col&dir=asc`), announced to screen readers. */
export function SortTh({
  column,
  label,
  sort,
  numeric,
}: {
  column: string;
  label: string;
  sort: { key: string; dir: SortDir };
  numeric?: boolean;
}) {
  const { set } = useUrlState();
  const active = sort.key === column;
  const nextDir: SortDir = active && sort.dir === "desc" ? "asc" : "desc";
  return (
    <th
      scope="col"
      className={numeric ? "num" : undefined}
      aria-sort={active ? (sort.dir === "asc" ? "ascending" : "descending") : "none"}
    >
      <button type="button" className="sort" onClick={() => set({ sort: column, dir: nextDir })}>
        {label}
        <span aria-hidden="true">{active ? (sort.dir === "asc" ? "▲" : "▼") : "↕"}</span>
      </button>
    </th>
  );
}
