"use client";

import type { ChartResolution } from "@/lib/ui/downsample";
import { formatDuration, formatTimestamp } from "@/lib/ui/format";
import type { RangeParam } from "@/lib/ui/query-keys";
import { useUrlState } from "../_components/url-state";

export const RANGES: { value: string; label: string; ms: number }[] = [
  { value: "15m", label: "15 min", ms: 15 * 60_000 },
  { value: "1h", label: "1 hour", ms: 3_600_000 },
  { value: "6h", label: "6 hours", ms: 6 * 3_600_000 },
  { value: "24h", label: "24 hours", ms: 24 * 3_600_000 },
  { value: "48h", label: "48 hours", ms: 48 * 3_600_000 },
];

/**
 * Chart window from `?range=`, ending at `?at=` or now. A live window is sent as a length, not as bounds,
 * so the query key stays the same between refetches.
 */
export function useChartRange() {
  const { at, get, set } = useUrlState();
  const range = RANGES.find((r) => r.value === get("range")) ?? RANGES[1];
  const param: RangeParam = { from: null, to: at, windowMs: range.ms };
  return { range, param, setRange: (value: string) => set({ range: value === RANGES[1].value ? null : value }) };
}

export function RangeSelect({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  return (
    <label className="field" style={{ flexDirection: "row", alignItems: "center", gap: "0.4rem" }}>
      Window
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {RANGES.map((r) => (
          <option key={r.value} value={r.value}>
            {r.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Says when a chart does not show every poll (a long window: see lib/ui/downsample.ts). */
export function ResolutionNote({ resolution }: { resolution: ChartResolution }) {
  if (resolution.bucketMs === null) return null;
  return (
    <p className="subtle" data-testid="chart-resolution">
      Every poll since {formatTimestamp(resolution.everyPollFrom)}; before that, each {formatDuration(resolution.bucketMs)} shows only its first,
      last, lowest and highest poll.
    </p>
  );
}
