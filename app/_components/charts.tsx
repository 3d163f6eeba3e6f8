"use client";

import type { ReactElement } from "react";
import { Area, AreaChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis, ReferenceLine } from "recharts";
import { formatCompact, formatCount, formatTimestamp, formatTimeTick } from "@/lib/ui/format";
import { seriesSpan } from "@/lib/ui/series";

export interface SeriesDef<T> {
  key: keyof T & string;
  label: string;
  color: string;
}

interface TimeChartProps<T extends { at: number }> {
  data: T[];
  series: SeriesDef<T>[];
  /** Labels the Y axis so numbers are never ambiguous. */
  unit: string;
  title: string;
  markAt?: number[];
  /** Draw each sample as a dot (sparse series such as events, where a line alone hides single points). */
  dots?: boolean;
}

function axisProps(span: number) {
  return {
    dataKey: "at",
    type: "number" as const,
    scale: "time" as const,
    domain: ["dataMin", "dataMax"] as [string, string],
    tickFormatter: (v: number) => formatTimeTick(v, span),
    stroke: "var(--muted)",
    fontSize: 12,
    minTickGap: 40,
  };
}

const tooltipStyle = {
  contentStyle: { background: "var(--surface)", border: "1px solid var(--border)", color: "var(--text)", fontSize: 13 },
  labelFormatter: (v: unknown) => formatTimestamp(Number(v)),
};

const CHART_MARGIN = { top: 8, right: 12, left: 4, bottom: 4 };

function ChartFigure({ title, children }: { title: string; children: ReactElement }) {
  return (
    <figure className="chart-box" aria-label={title} style={{ margin: 0 }}>
      <ResponsiveContainer width="100%" height="100%">
        {children}
      </ResponsiveContainer>
    </figure>
  );
}

/**
 * Everything of a time chart but its series: grid, time axis, Y axis labelled with the unit, tooltip, legend
 * and markers. Returned as elements, not a component, so recharts sees them as direct children of the chart.
 */
function timeChartParts<T extends { at: number }>(
  { data, unit, markAt }: TimeChartProps<T>,
  yAxis: { tickFormatter: (v: number) => string; width: number; domain?: [string, string] },
) {
  return [
    <CartesianGrid key="grid" stroke="var(--chart-grid)" strokeDasharray="3 3" />,
    <XAxis key="x" {...axisProps(seriesSpan(data))} />,
    <YAxis key="y" stroke="var(--muted)" fontSize={12} {...yAxis} label={{ value: unit, angle: -90, position: "insideLeft", fill: "var(--muted)", fontSize: 12 }} />,
    <Tooltip key="tooltip" {...tooltipStyle} formatter={(v) => `${formatCount(Number(v))} ${unit}`} />,
    <Legend key="legend" />,
    ...(markAt ?? []).map((x) => <ReferenceLine key={x} x={x} stroke="var(--critical)" strokeDasharray="4 2" />),
  ];
}

/** Time series lines (e.g. HW and LSO). */
export function TimeLineChart<T extends { at: number }>(props: TimeChartProps<T>) {
  const { data, series, title, dots = false } = props;
  const values = data.flatMap((d) => series.map((s): unknown => d[s.key])).filter((v): v is number => typeof v === "number");
  const max = values.length ? Math.max(...values) : 0;
  // A narrow band high up (offsets 2,598,912 … 2,605,105) needs full digits, or every tick reads "2.6M".
  const precise = values.length > 0 && max > 0 && (max - Math.min(...values)) / max < 0.05;
  return (
    <ChartFigure title={title}>
      <LineChart data={data} margin={CHART_MARGIN}>
        {timeChartParts(props, {
          tickFormatter: (v: number) => (precise ? formatCount(v) : formatCompact(v)),
          width: precise ? 84 : 64,
          // Offsets in the millions would flatten every movement against a zero baseline.
          domain: ["auto", "auto"],
        })}
        {series.map((s) => (
          <Line key={s.key} type="stepAfter" dataKey={s.key} name={s.label} stroke={s.color} dot={dots ? { r: 3, fill: s.color } : false} strokeWidth={2} isAnimationActive={false} connectNulls={false} />
        ))}
      </LineChart>
    </ChartFigure>
  );
}

/** Stacked areas (e.g. consumable lag under txn-blocked lag). */
export function StackedAreaChart<T extends { at: number }>(props: TimeChartProps<T>) {
  const { data, series, title } = props;
  return (
    <ChartFigure title={title}>
      <AreaChart data={data} margin={CHART_MARGIN}>
        {timeChartParts(props, { tickFormatter: (v: number) => formatCompact(v), width: 64 })}
        {series.map((s) => (
          <Area key={s.key} type="stepAfter" dataKey={s.key as string} name={s.label} stackId="1" stroke={s.color} fill={s.color} fillOpacity={0.35} isAnimationActive={false} />
        ))}
      </AreaChart>
    </ChartFigure>
  );
}
