// `npm run audit -- [--brokers host:port | --cluster NAME] [--json] [--fail-on warning|critical] [--window 60] [--interval 5]`
// plus every detector threshold as a flag (`--lso-stuck 120`, `--txn-blocked 30`, ...: see the usage).
// Polls a cluster for the window, runs the detectors over the whole history and prints the findings.
// Exit: 0 nothing at the threshold, 1 warnings reach it, 2 a critical finding, 3 bad arguments or the
// cluster could not be reached at all. Ctrl-C ends the window early and still reports.
import { parseArgs } from "node:util";
import { setTimeout as sleep } from "node:timers/promises";
import { runDetectors, type DetectorSettings, type DetectorState, type Finding } from "@/lib/analysis";
import { exitCodeFor, formatFindings } from "@/lib/analysis/report";
import type { Severity } from "@/lib/analysis/findings";
import { SETTING_KEYS, settingFlag, settingsFromFlags, settingsUsage } from "@/lib/analysis/settings";
import { CLUSTER_CLI_OPTIONS, clusterForCli, type ClusterConfig } from "@/lib/config/clusters";
import { commandContext } from "@/lib/config/command-context";
import { ConfigError } from "@/lib/config/env";
import { ClusterCollector } from "@/lib/kafka/collector";
import type { ClusterSnapshot } from "@/lib/snapshot/types";

const USAGE =
  "usage: npm run audit -- [--brokers host:port[,host:port] [--name NAME] | --cluster NAME (from CLUSTERS_FILE)] [--json] [--fail-on info|warning|critical] " +
  "[--window SECONDS (default 60)] [--interval SECONDS (default 5)] [detector thresholds]\ndetector thresholds:\n" +
  settingsUsage();

interface AuditOptions {
  cluster: ClusterConfig;
  json: boolean;
  failOn: Severity;
  windowMs: number;
  intervalMs: number;
  settings: Partial<DetectorSettings>;
}

class UsageError extends Error {}

function positiveSeconds(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback * 1000;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number of seconds`);
  return n * 1000;
}

function parseOptions(): AuditOptions {
  const { values } = parseArgs({
    options: {
      ...CLUSTER_CLI_OPTIONS,
      "fail-on": { type: "string", default: "critical" },
      window: { type: "string" },
      interval: { type: "string" },
      ...Object.fromEntries(SETTING_KEYS.map((key) => [settingFlag(key).flag, { type: "string" as const }])),
    },
  });
  const failOn = values["fail-on"];
  if (failOn !== "info" && failOn !== "warning" && failOn !== "critical") {
    throw new UsageError("--fail-on must be info, warning or critical");
  }
  return {
    cluster: clusterForCli(values),
    json: values.json ?? false,
    failOn,
    windowMs: positiveSeconds(values.window, "window", 60),
    intervalMs: positiveSeconds(values.interval, "interval", 5),
    settings: settingsFromFlags(values),
  };
}

interface AuditResult {
  snapshots: number;
  incomplete: number;
  last: ClusterSnapshot | null;
  findings: Finding[];
}

async function audit(options: AuditOptions, signal: AbortSignal): Promise<AuditResult> {
  const collector = new ClusterCollector(options.cluster);
  const { settings } = options;
  const deadline = Date.now() + options.windowMs;
  let state: DetectorState | null = null;
  const result: AuditResult = { snapshots: 0, incomplete: 0, last: null, findings: [] };
  try {
    while (!signal.aborted) {
      const started = Date.now();
      const snapshot = await collector.collect();
      const run = runDetectors({ snapshot, previous: state, now: Date.now(), settings });
      state = run.state;
      Object.assign(result, { snapshots: result.snapshots + 1, last: snapshot, findings: run.findings });
      if (!snapshot.complete) result.incomplete++;
      // Rejected credentials or certificates do not fix themselves within the window: report now.
      const refused = snapshot.phases.some((p) => p.errors.some((e) => e.code === "AUTHENTICATION" || e.code === "TLS"));
      if (refused && snapshot.brokers.length === 0) break;
      if (!options.json) {
        const counts = ["critical", "warning", "info"].map((s) => run.findings.filter((f) => f.severity === s).length);
        console.error(
          `poll ${result.snapshots}: ${snapshot.complete ? "complete" : "INCOMPLETE"} in ${snapshot.durationMs} ms, ` +
            `findings ${counts[0]} critical / ${counts[1]} warning / ${counts[2]} info`,
        );
      }
      const wait = Math.min(options.intervalMs - (Date.now() - started), deadline - Date.now());
      if (wait <= 0 && Date.now() >= deadline) break;
      await sleep(Math.max(0, wait), undefined, { signal }).catch(() => undefined);
      if (Date.now() >= deadline) break;
    }
  } finally {
    await collector.close();
  }
  return result;
}

function describeSnapshot(s: ClusterSnapshot): string {
  return `${s.brokers.length} broker(s), ${s.topics.length} topic(s), ${s.groups.length} group(s), ${s.transactions.length} transactional id(s)`;
}

async function main(): Promise<number> {
  let options: AuditOptions;
  try {
    options = parseOptions();
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof ConfigError || error instanceof TypeError || error instanceof RangeError)) throw error;
    console.error(error.message);
    console.error(USAGE);
    return 3;
  }
  const abort = new AbortController();
  process.once("SIGINT", () => abort.abort());
  const result = await audit(options, abort.signal);
  const reached = result.last !== null && result.last.brokers.length > 0;
  if (options.json) {
    console.log(
      JSON.stringify(
        {
          cluster: options.cluster.name,
          polls: result.snapshots,
          incompletePolls: result.incomplete,
          reachable: reached,
          findings: result.findings,
        },
        null,
        2,
      ),
    );
  } else if (reached) {
    console.log(
      `Audited "${options.cluster.name}" (${describeSnapshot(result.last!)}) with ${result.snapshots} poll(s), ` +
        `${result.incomplete} incomplete.\n`,
    );
    console.log(formatFindings(result.findings, commandContext(options.cluster)));
  }
  if (!reached) {
    const errors = result.last?.phases.flatMap((p) => p.errors.map((e) => `${p.name}: ${e.code} ${e.message}`)) ?? [];
    console.error(`Could not reach cluster "${options.cluster.name}" at ${options.cluster.brokers.join(",")}.\n${errors.join("\n")}`);
    return 3;
  }
  return exitCodeFor(result.findings, options.failOn);
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(3);
  },
);
