// The real poller (scripts/poller.ts) as a child process, for tests that SIGKILL it or run several replicas.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { databaseKind } from "@/lib/store/db";

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
    this.child = spawn(process.execPath, ["--import", "tsx", "scripts/poller.ts"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => this.lines.push(...chunk.split("\n").filter(Boolean)));
    }
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
