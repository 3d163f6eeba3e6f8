"use client";

import { useId, useRef, useState, type KeyboardEvent } from "react";
import { AtLink } from "../_components/links";
import { EmptyState, QueryView } from "../_components/states";
import { useUrlState } from "../_components/url-state";
import { FindingsTable } from "./FindingsTable";
import { RangeSelect, useChartRange } from "./range";
import type { HeatmapDto } from "@/lib/ui/dto";
import { formatRate, formatSkew, formatTimeTick, formatTimestamp } from "@/lib/ui/format";
import { useHotPartitionsQuery } from "@/lib/ui/hooks";
import { heatmapCellLabel, heatmapGrid } from "@/lib/ui/section-views";
import { paths } from "@/lib/ui/urls";

const ARROWS: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };

/**
 * A partition × time grid (ARIA grid pattern): one Tab stop per heatmap, arrow keys, Home and End move between
 * cells, and each cell names its partition, time, rate and rate against the median, as the tooltip does.
 */
function Heatmap({ cluster, map }: { cluster: string; map: HeatmapDto }) {
  const grid = heatmapGrid(map.cells);
  const [active, setActive] = useState<[number, number]>([0, 0]);
  const tableRef = useRef<HTMLTableElement>(null);
  const helpId = useId();
  if (grid.times.length === 0) return <p className="subtle">Not enough samples in this window.</p>;
  const span = grid.times[grid.times.length - 1] - grid.times[0];
  const labelEvery = Math.max(1, Math.ceil(grid.times.length / 8));
  const rows = grid.partitions.length;
  const cols = grid.times.length;
  const [activeRow, activeCol] = [Math.min(active[0], rows - 1), Math.min(active[1], cols - 1)];

  const onKeyDown = (e: KeyboardEvent<HTMLTableElement>) => {
    const move = ARROWS[e.key];
    const next: [number, number] | null = move
      ? [Math.max(0, Math.min(rows - 1, activeRow + move[0])), Math.max(0, Math.min(cols - 1, activeCol + move[1]))]
      : e.key === "Home"
        ? [activeRow, 0]
        : e.key === "End"
          ? [activeRow, cols - 1]
          : null;
    if (!next) return;
    e.preventDefault();
    setActive(next);
    tableRef.current?.querySelector<HTMLElement>(`[data-cell="${next[0]}:${next[1]}"]`)?.focus();
  };

  return (
    <div style={{ overflowX: "auto" }}>
      <table className="heatmap" role="grid" ref={tableRef} onKeyDown={onKeyDown} aria-describedby={helpId}>
        <caption className="subtle" style={{ padding: "0 0 0.3rem" }}>
          <AtLink href={paths.topic(cluster, map.topic)}>{map.topic}</AtLink>: records/s per partition (rows) over time (columns, UTC); darker is busier relative to this topic&apos;s peak of {formatRate(grid.max)}
          <span id={helpId} className="visually-hidden">
            Use the arrow keys to move between cells.
          </span>
        </caption>
        <tbody>
          {grid.partitions.map((p, row) => (
            <tr key={p}>
              <th scope="row">p{p}</th>
              {grid.values[row].map((v, col) => {
                const label = heatmapCellLabel({
                  topic: map.topic,
                  partition: p,
                  time: `${formatTimeTick(grid.times[col], span)} UTC`,
                  rate: v,
                  median: grid.medians[col],
                });
                return (
                  <td
                    key={col}
                    className="cell"
                    data-cell={`${row}:${col}`}
                    tabIndex={row === activeRow && col === activeCol ? 0 : -1}
                    aria-label={label}
                    title={label}
                    onFocus={() => setActive([row, col])}
                    style={{
                      background: v == null ? "var(--surface-2)" : `color-mix(in srgb, var(--critical) ${Math.round((grid.max ? v / grid.max : 0) * 100)}%, var(--surface-2))`,
                    }}
                  />
                );
              })}
            </tr>
          ))}
          <tr aria-hidden="true">
            <th scope="row" />
            {grid.times.map((t, i) => (
              <td key={t} style={{ fontSize: "0.7rem", color: "var(--muted)", height: "1rem" }}>
                {i % labelEvery === 0 ? <span className="tick">{formatTimeTick(t, span)}</span> : null}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </div>
  );
}

export function HotPartitionsView({ cluster }: { cluster: string }) {
  const { at } = useUrlState();
  const chart = useChartRange();
  const query = useHotPartitionsQuery(cluster, at, chart.range.ms);
  return (
    <>
      <div className="page-head">
        <h1>Hot partitions</h1>
        <RangeSelect value={chart.range.value} onChange={chart.setRange} />
      </div>
      <QueryView query={query} loadingLabel="Loading partition rates…">
        {(d) => (
          <>
            {d.findings.length > 0 ? <FindingsTable cluster={cluster} findings={d.findings} caption="Open hot-partition findings" /> : null}
            <section className="section" aria-labelledby="top-skew">
              <h2 id="top-skew">Most skewed partitions at {formatTimestamp(d.collectedAt)}</h2>
              {d.top.length === 0 ? (
                <EmptyState title="No partition runs above its topic's mean">Rates appear after two polls.</EmptyState>
              ) : (
                <div className="table-wrap">
                  <table>
                    <caption>Skew = partition rate ÷ mean partition rate of its topic</caption>
                    <thead>
                      <tr>
                        <th scope="col">Topic</th>
                        <th scope="col" className="num">Partition</th>
                        <th scope="col" className="num">Leader</th>
                        <th scope="col" className="num">Rate</th>
                        <th scope="col" className="num">Skew</th>
                      </tr>
                    </thead>
                    <tbody>
                      {d.top.map((r) => (
                        <tr key={`${r.topic}\u0000${r.partition}`} className={r.skew >= 3 ? "row-warning" : undefined}>
                          <td className="name">
                            <AtLink href={paths.topic(cluster, r.topic)}>{r.topic}</AtLink>
                          </td>
                          <td className="num">{r.partition}</td>
                          <td className="num">{r.leader}</td>
                          <td className="num">{formatRate(r.ratePerSec)}</td>
                          <td className="num">{formatSkew(r.skew)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </section>
            <section className="section" aria-labelledby="heatmaps">
              <h2 id="heatmaps">Partition × time, busiest topics</h2>
              {d.heatmaps.length === 0 ? <EmptyState title="No topics" /> : d.heatmaps.map((m) => <Heatmap key={m.topic} cluster={cluster} map={m} />)}
            </section>
          </>
        )}
      </QueryView>
    </>
  );
}
