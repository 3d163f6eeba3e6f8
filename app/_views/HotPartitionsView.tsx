"use client";

import { useEffect, useId, useRef, useState, type KeyboardEvent, type RefObject } from "react";
import { AtLink } from "../_components/links";
import { EmptyState, QueryView } from "../_components/states";
import { useUrlState } from "../_components/url-state";
import { FindingsTable } from "./FindingsTable";
import { RangeSelect, useChartRange } from "./range";
import type { HeatmapDto } from "@/lib/ui/dto";
import { formatCount, formatPercent, formatRate, formatSkew, formatTimeTick, formatTimestamp } from "@/lib/ui/format";
import { useHotPartitionsQuery } from "@/lib/ui/hooks";
import { heatmapCellLabel, heatmapGrid, heatmapTicks, partitionerHint, partitionShares, skewOverTime } from "@/lib/ui/section-views";
import { paths } from "@/lib/ui/urls";

const ARROWS: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
// Narrower columns cannot be seen or pointed at: more samples than fit are merged (mean rate).
const MIN_CELL_PX = 6;
// Row headers ("p12", "skew") and a first guess at the width before the card is measured.
const ROW_HEADER_PX = 48;
const INITIAL_WIDTH_PX = 600;
const SHARES_SHOWN = 8;

/** The card's inner width, followed as the window resizes. */
function useWidth<T extends HTMLElement>(): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(INITIAL_WIDTH_PX);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => setWidth(entry.contentRect.width));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

const heat = (ratio: number, color: string) => `color-mix(in srgb, ${color} ${Math.round(Math.min(1, Math.max(0, ratio)) * 100)}%, var(--surface-2))`;

/**
 * A partition × time grid (ARIA grid pattern) as wide as its card: one Tab stop per heatmap, arrow keys, Home and
 * End move between cells, and each cell names its partition, time, rate and rate against the median, as the
 * tooltip does. The last row is the skew over time (busiest ÷ mean partition rate).
 */
function Heatmap({ map }: { map: HeatmapDto }) {
  const [boxRef, width] = useWidth<HTMLDivElement>();
  const gridWidth = Math.max(0, width - ROW_HEADER_PX);
  const grid = heatmapGrid(map.cells, Math.floor(gridWidth / MIN_CELL_PX));
  const skews = skewOverTime(grid);
  const [active, setActive] = useState<[number, number]>([0, 0]);
  const tableRef = useRef<HTMLTableElement>(null);
  const helpId = useId();
  const span = grid.times.length ? grid.times[grid.times.length - 1] - grid.times[0] : 0;
  const ticks = heatmapTicks(grid.times, gridWidth);
  const rows = grid.partitions.length + 1;
  const cols = grid.times.length;
  const [activeRow, activeCol] = [Math.min(active[0], rows - 1), Math.min(active[1], cols - 1)];
  const time = (col: number) => `${formatTimeTick(grid.times[col], span)} UTC`;

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
  const cell = (row: number, col: number, label: string, background: string) => (
    <td
      key={col}
      className="cell"
      data-cell={`${row}:${col}`}
      tabIndex={row === activeRow && col === activeCol ? 0 : -1}
      aria-label={label}
      title={label}
      onFocus={() => setActive([row, col])}
      style={{ background }}
    />
  );

  return (
    <div ref={boxRef} className="heatmap-box" data-testid="heatmap">
      {cols === 0 ? (
        <p className="subtle">Not enough samples in this window.</p>
      ) : (
        <table className="heatmap" role="grid" ref={tableRef} onKeyDown={onKeyDown} aria-describedby={helpId}>
          <caption>
            Records/s per partition (rows) over time (UTC). Darker is busier; peak {formatRate(grid.max)}.
            <span id={helpId} className="visually-hidden">
              Use the arrow keys to move between cells.
            </span>
          </caption>
          <colgroup>
            <col style={{ width: ROW_HEADER_PX }} />
          </colgroup>
          <tbody>
            {grid.partitions.map((p, row) => (
              <tr key={p}>
                <th scope="row">p{p}</th>
                {grid.values[row].map((v, col) =>
                  cell(
                    row,
                    col,
                    heatmapCellLabel({ topic: map.topic, partition: p, time: time(col), rate: v, median: grid.medians[col] }),
                    v == null ? "var(--surface-2)" : heat(grid.max ? v / grid.max : 0, "var(--critical)"),
                  ),
                )}
              </tr>
            ))}
            <tr className="skew-row">
              <th scope="row" title="Busiest partition ÷ mean partition rate">
                skew
              </th>
              {skews.map((k, col) =>
                cell(
                  grid.partitions.length,
                  col,
                  `${map.topic} skew at ${time(col)}: ${k == null ? "no rates" : `busiest partition ${formatSkew(k)} the mean`}`,
                  // 1× (even) is blank; the colour saturates at the partition count, where one partition has it all.
                  k == null ? "var(--surface-2)" : heat((k - 1) / Math.max(1, grid.partitions.length - 1), "var(--warning)"),
                ),
              )}
            </tr>
            <tr aria-hidden="true" className="tick-row">
              <th scope="row" />
              <td colSpan={cols}>
                {ticks.map((t) => (
                  <span key={t.column} className="tick" style={{ left: `${(t.column / cols) * 100}%` }}>
                    {t.label}
                  </span>
                ))}
              </td>
            </tr>
          </tbody>
        </table>
      )}
      <TopicShares map={map} />
    </div>
  );
}

/** Share of the topic's records per partition over the window, and what that spread says about the keys. */
function TopicShares({ map }: { map: HeatmapDto }) {
  const shares = partitionShares(map.cells);
  const hint = partitionerHint(shares);
  if (shares.length === 0) return null;
  const shown = shares.slice(0, SHARES_SHOWN);
  const rest = shares.slice(SHARES_SHOWN);
  return (
    <div className="grid-2 shares">
      <table className="share-table">
        <caption>Share of {map.topic}&apos;s records over the window</caption>
        <thead>
          <tr>
            <th scope="col">Partition</th>
            <th scope="col">Share</th>
            <th scope="col" className="num">Records</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((s) => (
            <tr key={s.partition}>
              <td>p{s.partition}</td>
              <td className="share" style={{ ["--share" as string]: `${(s.share * 100).toFixed(1)}%` }}>
                {formatPercent(s.share)}
              </td>
              <td className="num">{formatCount(s.records)}</td>
            </tr>
          ))}
          {rest.length ? (
            <tr>
              <td>{rest.length} more</td>
              <td>{formatPercent(rest.reduce((sum, s) => sum + s.share, 0))}</td>
              <td className="num">{formatCount(rest.reduce((sum, s) => sum + s.records, 0))}</td>
            </tr>
          ) : null}
        </tbody>
      </table>
      <div>
        <h4 className="hint-title">Partitioner hint</h4>
        {hint ? (
          <div className="partitioner-hint" data-testid="partitioner-hint" data-kind={hint.kind}>
            <p>{hint.finding}</p>
            <p className="subtle">{hint.advice}</p>
          </div>
        ) : (
          <p className="subtle">
            {shares.length < 3
              ? "Too few partitions to tell a skewed key from chance."
              : "Records spread evenly enough over the partitions: no sign of a skewed key."}
          </p>
        )}
        <p className="subtle">Which keys make a partition hot cannot be read from offsets; how the records spread over the partitions can.</p>
      </div>
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
              {d.heatmaps.length === 0 ? (
                <EmptyState title="No topics" />
              ) : (
                d.heatmaps.map((m) => (
                  <article key={m.topic} className="heatmap-card" data-testid="heatmap-card" aria-label={`${m.topic}: partition × time`}>
                    <h3>
                      <AtLink href={paths.topic(cluster, m.topic)}>{m.topic}</AtLink>
                    </h3>
                    <Heatmap map={m} />
                  </article>
                ))
              )}
            </section>
          </>
        )}
      </QueryView>
    </>
  );
}
