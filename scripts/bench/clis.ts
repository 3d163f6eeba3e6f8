// The official CLIs answering the poll's questions on the same cluster, as an operator would run them one after the
// other: kafka-consumer-groups --describe --all-groups, kafka-transactions list, describe of every listed id,
// find-hanging per broker, kafka-get-offsets for every partition. Each is one cold JVM launch (what the .sh scripts
// do), except `describe`: one launch per id would take minutes at 500 ids, so the tool's main class runs once per id
// inside one warm JVM (java/WarmCli.java) and one cold launch is timed for reference.
import { execFile, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { KAFKA_CLI_MAIN_CLASSES, kafkaCli, parseCliTable, type KafkaCliTool } from "../kafka/cli";
import { SHORT_LIVED_JVM_ARGS, classpath, loggingJvmArgs } from "../kafka/jvm";
import type { KafkaVersion } from "../kafka/versions";
import { RESULTS_DIR, summarize, type Summary } from "./report";

const JAVA_SOURCE = path.join(path.dirname(fileURLToPath(import.meta.url)), "java", "WarmCli.java");
const WARM_CLI_DIR = path.join(RESULTS_DIR, "warm-cli");
const CLI_TIMEOUT_MS = 600_000;

export interface CliStep {
  label: string;
  /** How it ran: "1 cold JVM", "N cold JVMs", or "N runs in 1 warm JVM". */
  how: string;
  wallMs: number;
  /** Rows the tool printed: checked against the cluster so each step really answered its question. */
  rows: number;
}

export interface CliResult {
  steps: CliStep[];
  totalMs: number;
  /** One cold `describe` launch, for the reader who runs the script per id. */
  coldDescribeMs: number;
  warmDescribeMs: Summary;
}

async function timed(version: KafkaVersion, tool: KafkaCliTool, args: string[], bootstrap: string): Promise<{ wallMs: number; stdout: string }> {
  const start = performance.now();
  const result = await kafkaCli(version, tool, args, { bootstrap, timeoutMs: CLI_TIMEOUT_MS });
  const wallMs = performance.now() - start;
  if (result.exitCode !== 0) throw new Error(`kafka ${tool} ${args.join(" ")} exited with ${result.exitCode}: ${result.stderr.slice(0, 2000)}`);
  return { wallMs, stdout: result.stdout };
}

function compileWarmCli(version: KafkaVersion): Promise<void> {
  mkdirSync(WARM_CLI_DIR, { recursive: true });
  return new Promise((resolve, reject) =>
    execFile("javac", ["-cp", classpath(version), "-d", WARM_CLI_DIR, JAVA_SOURCE], (error, _stdout, stderr) =>
      error ? reject(new Error(`javac WarmCli failed: ${stderr}`)) : resolve(),
    ),
  );
}

/** Runs `invocations` of a tool in one JVM; resolves with its stdout and each invocation's time. */
async function warmRuns(version: KafkaVersion, tool: KafkaCliTool, invocations: string[][]): Promise<{ wallMs: number; perRunMs: number[]; stdout: string }> {
  await compileWarmCli(version);
  const file = path.join(WARM_CLI_DIR, `${tool}.args`);
  writeFileSync(file, invocations.map((args) => args.join("\t")).join("\n"));
  const start = performance.now();
  const child = spawn(
    "java",
    [...SHORT_LIVED_JVM_ARGS, ...loggingJvmArgs(version), "-cp", `${classpath(version)}:${WARM_CLI_DIR}`, "WarmCli", KAFKA_CLI_MAIN_CLASSES[tool], file],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const wallMs = performance.now() - start;
  if (code !== 0) throw new Error(`WarmCli ${tool} exited with ${code}: ${stderr.slice(-2000)}`);
  const perRunMs = [...stderr.matchAll(/^WARM-CLI-MS (\S+)$/gm)].map((m) => Number(m[1]));
  return { wallMs, perRunMs, stdout };
}

export async function runClis(version: KafkaVersion, bootstrap: string, brokerIds: number[]): Promise<CliResult> {
  const steps: CliStep[] = [];
  const groups = await timed(version, "consumer-groups", ["--describe", "--all-groups"], bootstrap);
  steps.push({ label: "kafka-consumer-groups --describe --all-groups", how: "1 cold JVM", wallMs: groups.wallMs, rows: parseCliTable(groups.stdout, { headerStart: "GROUP" }).length });

  const list = await timed(version, "transactions", ["list"], bootstrap);
  const ids = parseCliTable(list.stdout).map((row) => row.TransactionalId);
  steps.push({ label: "kafka-transactions list", how: "1 cold JVM", wallMs: list.wallMs, rows: ids.length });

  const describeArgs = (id: string) => ["--bootstrap-server", bootstrap, "describe", "--transactional-id", id];
  const cold = await timed(version, "transactions", describeArgs(ids[0]).slice(2), bootstrap);
  const warm = await warmRuns(version, "transactions", ids.map(describeArgs));
  steps.push({
    label: "kafka-transactions describe, every listed id",
    how: `${ids.length} runs in 1 warm JVM`,
    wallMs: warm.wallMs,
    rows: parseCliTable(warm.stdout).filter((row) => row.TransactionalId !== "TransactionalId").length,
  });

  const hangingStart = performance.now();
  let hangingRows = 0;
  for (const id of brokerIds) {
    hangingRows += parseCliTable((await timed(version, "transactions", ["find-hanging", "--broker-id", String(id)], bootstrap)).stdout).length;
  }
  steps.push({ label: "kafka-transactions find-hanging, every broker", how: `${brokerIds.length} cold JVM${brokerIds.length > 1 ? "s" : ""}`, wallMs: performance.now() - hangingStart, rows: hangingRows });

  const offsets = await timed(version, "get-offsets", [], bootstrap);
  steps.push({ label: "kafka-get-offsets, every partition", how: "1 cold JVM", wallMs: offsets.wallMs, rows: offsets.stdout.split("\n").filter((l) => /:\d+:-?\d+$/.test(l.trim())).length });

  return {
    steps,
    totalMs: steps.reduce((n, s) => n + s.wallMs, 0),
    coldDescribeMs: cold.wallMs,
    warmDescribeMs: summarize(warm.perRunMs),
  };
}
