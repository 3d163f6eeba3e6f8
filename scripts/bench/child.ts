// Runs one benchmark in its own process (spawned by index.ts), so memory figures and leftover handles of one
// benchmark never leak into the next. Writes data/bench/<name>.json and prints the table.
import os from "node:os";
import { BENCHMARKS } from "./registry";
import { environment, formatTable, writeResult } from "./report";

const name = process.argv[2];
const benchmark = BENCHMARKS[name];
if (!benchmark) throw new Error(`Unknown benchmark '${name}'`);

const startedAt = new Date().toISOString();
const loadAverageAtStart = os.loadavg()[0];
const start = performance.now();
const { run } = await benchmark.load();
const outcome = await run();
const file = writeResult({ name, startedAt, wallMs: Math.round(performance.now() - start), environment: environment(loadAverageAtStart), ...outcome });
console.log(`\n${formatTable(`${name}: ${benchmark.description}`, outcome.rows, outcome.goals)}\n  -> ${file}\n`);
// Client libraries may keep sockets or timers alive; the result is written, so end here.
process.exit(outcome.goals.every((g) => g.pass) ? 0 : 1);
