// What every benchmark hands back: measured metrics, explicit goals with PASS/FAIL, and the machine they were
// measured on. Written to data/bench/<name>.json and printed as a table.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { REPO_ROOT } from "../kafka/paths";

export const RESULTS_DIR = path.join(REPO_ROOT, "data", "bench");

export interface Goal {
  description: string;
  target: string;
  actual: string;
  pass: boolean;
}

/** One row of a benchmark's table: a label and its formatted value. */
export type Row = [label: string, value: string];

export interface BenchOutcome {
  rows: Row[];
  goals: Goal[];
  /** Everything measured, machine-readable. */
  metrics: Record<string, unknown>;
}

export interface BenchResult extends BenchOutcome {
  name: string;
  startedAt: string;
  wallMs: number;
  environment: Record<string, string | number>;
}

/** A goal of the form `actual < limit` (lower is better). */
export function below(description: string, actual: number, limit: number, unit: string): Goal {
  return { description, target: `< ${formatNumber(limit)} ${unit}`, actual: `${formatNumber(actual)} ${unit}`, pass: actual < limit };
}

export function equal(description: string, actual: number, expected: number, unit: string): Goal {
  return { description, target: `== ${formatNumber(expected)} ${unit}`, actual: `${formatNumber(actual)} ${unit}`, pass: actual === expected };
}

export function holds(description: string, pass: boolean, actual: string): Goal {
  return { description, target: "true", actual, pass };
}

export interface Summary {
  n: number;
  min: number;
  median: number;
  p95: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles: with 10 to 40 samples, interpolation would invent values nobody measured. */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error("summarize() needs at least one value");
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  return {
    n: sorted.length,
    min: sorted[0],
    median: rank(0.5),
    p95: rank(0.95),
    max: sorted[sorted.length - 1],
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
  };
}

export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const digits = Math.abs(n) >= 100 || Number.isInteger(n) ? 0 : Math.abs(n) >= 10 ? 1 : 2;
  return n.toLocaleString("en-US", { maximumFractionDigits: digits });
}

export const ms = (n: number) => `${formatNumber(n)} ms`;
export const mib = (bytes: number) => `${formatNumber(bytes / 1024 / 1024)} MiB`;
export const kib = (bytes: number) => `${formatNumber(bytes / 1024)} KiB`;
export const spread = (s: Summary, format: (n: number) => string = ms) =>
  `median ${format(s.median)}, p95 ${format(s.p95)}, max ${format(s.max)} (n=${s.n})`;

function gitCommit(): string {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: REPO_ROOT, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain"], { cwd: REPO_ROOT, encoding: "utf8" }).trim() !== "";
    return dirty ? `${head} (working tree has uncommitted changes)` : head;
  } catch {
    return "unknown";
  }
}

export function environment(loadAverageAtStart: number): Record<string, string | number> {
  return {
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    // Other work on the machine inflates wall times: the load average says how busy it was.
    loadAverage1mAtStart: Number(loadAverageAtStart.toFixed(2)),
    loadAverage1mAtEnd: Number(os.loadavg()[0].toFixed(2)),
    commit: gitCommit(),
  };
}

export function writeResult(result: BenchResult): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${result.name}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

export function formatTable(title: string, rows: readonly Row[], goals: readonly Goal[]): string {
  const lines = [`== ${title}`];
  const width = Math.max(...rows.map(([label]) => label.length), 0);
  for (const [label, value] of rows) lines.push(`  ${label.padEnd(width)}  ${value}`);
  if (goals.length > 0) {
    const goalWidth = Math.max(...goals.map((g) => g.description.length));
    lines.push("  goals:");
    for (const g of goals) {
      lines.push(`  ${g.pass ? "PASS" : "FAIL"}  ${g.description.padEnd(goalWidth)}  ${g.actual} (target ${g.target})`);
    }
  }
  return lines.join("\n");
}
