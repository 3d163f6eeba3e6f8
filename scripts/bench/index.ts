// npm run bench [-- name...] [-- --shape <name>]: runs the selected benchmarks (all by default), each in its own
// process, prints every table and a goal summary, and exits non-zero when a goal fails or a benchmark crashes.
// --shape runs only that cluster shape of the `shapes` benchmark (and only that benchmark unless others are named).
// Results: data/bench/<name>.json. Methodology and measured numbers: docs/performance.md.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { REPO_ROOT } from "../kafka/paths";
import { parseArgs } from "node:util";
import { BENCHMARKS } from "./registry";
import { RESULTS_DIR, type BenchResult } from "./report";
import { buildResults, RESULTS_FILE, writeResults } from "./results";

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), "child.ts");

const { values: options, positionals } = parseArgs({ options: { shape: { type: "string" } }, allowPositionals: true });
const requested = positionals.length > 0 || !options.shape ? positionals : ["shapes"];
const unknown = requested.filter((n) => !(n in BENCHMARKS));
if (unknown.length > 0) {
  console.error(`Unknown benchmark(s): ${unknown.join(", ")}. Available: ${Object.keys(BENCHMARKS).join(", ")}`);
  process.exit(2);
}
const names = requested.length > 0 ? requested : Object.keys(BENCHMARKS);

function runChild(name: string): Promise<number> {
  // --expose-gc: memory deltas are measured after a full collection, not at the collector's whim.
  const env = options.shape ? { ...process.env, BENCH_SHAPE: options.shape } : process.env;
  const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", CHILD, name], { cwd: REPO_ROOT, stdio: "inherit", env });
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1))));
}

const start = performance.now();
const loadAtStart = Number(os.loadavg()[0].toFixed(2));
const results: Record<string, BenchResult> = {};
const summary: string[] = [];
let failed = false;
for (const name of names) {
  const file = path.join(RESULTS_DIR, `${name}.json`);
  rmSync(file, { force: true });
  console.log(`>> bench ${name}: ${BENCHMARKS[name].description}`);
  const exitCode = await runChild(name);
  if (!existsSync(file)) {
    failed = true;
    summary.push(`  ERROR ${name}: crashed (exit code ${exitCode}) before writing results`);
    continue;
  }
  const result = JSON.parse(readFileSync(file, "utf8")) as BenchResult;
  results[name] = result;
  summary.push(`  ${name}: ${Math.round(result.wallMs / 1000)} s wall time`);
  for (const g of result.goals) {
    failed ||= !g.pass;
    summary.push(`  ${g.pass ? "PASS " : "FAIL "} ${name}: ${g.description}: ${g.actual} (target ${g.target})`);
  }
}
// Only a run that measured the headline shape replaces the committed figures (and the README table reading them).
const headline = buildResults(results, performance.now() - start, loadAtStart);
if (headline) {
  writeResults(headline);
  summary.push(`  -> ${path.relative(REPO_ROOT, RESULTS_FILE)} and the README performance table`);
}
console.log(`== summary: wall time of the whole run ${Math.round((performance.now() - start) / 1000)} s\n${summary.join("\n")}`);
process.exit(failed ? 1 : 0);
