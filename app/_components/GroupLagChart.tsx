"use client";

import type { LagSeriesPoint } from "@/lib/ui/series";
import { StackedAreaChart } from "./charts";

/** A group's EOS-aware lag: what it can still read stacked under what open transactions hold back. */
export function GroupLagChart({ title, series, markAt }: { title: string; series: LagSeriesPoint[]; markAt?: number[] }) {
  return (
    <StackedAreaChart
      title={title}
      data={series}
      unit="records"
      markAt={markAt}
      series={[
        { key: "consumable", label: "Consumable (LSO − committed)", color: "var(--chart-1)" },
        { key: "txnBlocked", label: "Held by transactions (HW − LSO)", color: "var(--chart-2)" },
      ]}
    />
  );
}
