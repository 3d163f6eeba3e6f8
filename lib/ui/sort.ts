export type SortDir = "asc" | "desc";

/** Stable sort by one column; nulls always last so unknown values never pose as the smallest. */
export function sortRows<T>(rows: readonly T[], key: keyof T, dir: SortDir): T[] {
  const sign = dir === "asc" ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => {
      const x = a.row[key];
      const y = b.row[key];
      if (x == null && y == null) return a.index - b.index;
      if (x == null) return 1;
      if (y == null) return -1;
      const cmp = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      return cmp !== 0 ? sign * cmp : a.index - b.index;
    })
    .map((e) => e.row);
}

/** Reads `?sort=` / `?dir=` safely: an unknown column falls back to the default. */
export function parseSort<K extends string>(
  sort: string | null,
  dir: string | null,
  allowed: readonly K[],
  fallback: { key: K; dir: SortDir },
): { key: K; dir: SortDir } {
  const key = allowed.includes(sort as K) ? (sort as K) : fallback.key;
  const d = dir === "asc" || dir === "desc" ? dir : key === fallback.key ? fallback.dir : "desc";
  return { key, dir: d };
}
