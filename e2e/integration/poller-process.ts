// The real poller (startDefaultPoller, through poller-entry.ts) as a child process, for tests that SIGKILL it or
// run several replicas.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { databaseKind } from "@/lib/store/db";
import { TRACE_PREFIX, type ScheduledTrace } from "./poller-entry";

const ROOT = path.resolve(import.meta.dirname, "../..");

export interface PollerProcessOptions {
  /** Also its PostgreSQL application_name, so tests can find its sessions. */
  name: string;
  databaseUrl: string;
  brokers: readonly string[];
  cluster: string;
  intervalMs: number;
  env?: Record<string, string>;
}

export class PollerProcess {
  readonly name: string;
  readonly lines: string[] = [];
  readonly child: ChildProcess;
  constructor(options: PollerProcessOptions) {
    this.name = options.name;
    const url = new URL(options.databaseUrl);
    if (databaseKind(options.databaseUrl) === "postgresql") url.searchParams.set("application_name", options.name);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...options.env,
      DATABASE_URL: url.toString(),
      KAFKA_BROKERS: options.brokers.join(","),
      KAFKA_CLUSTER_NAME: options.cluster,
      POLL_INTERVAL_MS: String(options.intervalMs),
    };
    delete env.CLUSTERS_FILE;
    // Node itself with the tsx loader, not the tsx CLI: the CLI runs the script in a child that outlives a SIGKILL.
    this.child = spawn(process.execPath, ["--import", "tsx", "e2e/integration/poller-entry.ts"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      stream.setEncoding("utf8");
      let partial = "";
      stream.on("data", (chunk: string) => {
        const lines = (partial + chunk).split("\n");
        partial = lines.pop()!;
        this.lines.push(...lines.filter(Boolean));
      });
    }
  }
  /** Each scheduling of a next poll, in order. */
  get scheduled(): ScheduledTrace[] {
    return this.lines.filter((l) => l.startsWith(TRACE_PREFIX)).map((l) => JSON.parse(l.slice(TRACE_PREFIX.length)) as ScheduledTrace);
  }
  get running() {
    return this.child.exitCode === null && this.child.signalCode === null;
  }
  async kill(signal: NodeJS.Signals) {
    if (!this.running) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill(signal);
    await exited;
  }
}
