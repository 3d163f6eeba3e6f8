"use client";

import type { OffsetSeriesPoint } from "@/lib/ui/series";
import { StackedAreaChart, TimeLineChart } from "./charts";

/**
 * HW and LSO of one partition, and their gap on its own axis: on a partition at offset millions, a gap of
 * thousands is invisible between the two lines but is exactly what a read_committed consumer waits for.
 */
export function OffsetCharts({ name, series, markAt }: { name: string; series: OffsetSeriesPoint[]; markAt?: number[] }) {
  return (
    <div className="grid-2">
      <TimeLineChart
        title={`High watermark and LSO of ${name}`}
        data={series}
        unit="offset"
        markAt={markAt}
        series={[
          { key: "hw", label: "High watermark", color: "var(--chart-1)" },
          { key: "lso", label: "Last stable offset", color: "var(--chart-2)" },
        ]}
      />
      <StackedAreaChart
        title={`Offsets held back by open transactions on ${name}`}
        data={series}
        unit="HW − LSO"
        markAt={markAt}
        series={[{ key: "txnBlocked", label: "Held back (HW − LSO)", color: "var(--chart-2)" }]}
      />
    </div>
  );
}
