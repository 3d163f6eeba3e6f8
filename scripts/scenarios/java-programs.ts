// The Java scenario programs (scripts/java/*.java, on the official kafka-clients and kafka-streams jars): compiled
// once per source change into .kafka/java-classes/<hash>, run as child JVMs that print one JSON event per line.
// Tests and scenarios wait on those events, never on sleeps. No orphan JVMs: each child's stdin is a pipe from this
// process, and the program halts when it closes (this process died, even by SIGKILL); exit handlers kill the rest.
//
// Standalone: `npx tsx scripts/scenarios/java-programs.ts <Program> --bootstrap host:port [--key value ...]`
// compiles if needed and runs one program in the foreground (Ctrl-C stops it).
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { ensureClientJars } from "../kafka/jars";
import { KAFKA_HOME, REPO_ROOT } from "../kafka/paths";
import { CLIENT_VERSION } from "../kafka/versions";
import type { ScenarioContext, ScenarioTools } from "./support";

const execFileAsync = promisify(execFile);

export const JAVA_SOURCE_DIR = path.join(REPO_ROOT, "scripts", "java");
const CLASSES_HOME = path.join(KAFKA_HOME, "java-classes");
/** Scenario clients are small and long-lived; C1 only and a small serial heap keep ~6 of them cheap on 2 cores. */
const CLIENT_JVM_ARGS = [
  "-Xms32m",
  "-Xmx256m",
  "-XX:+UseSerialGC",
  "-XX:TieredStopAtLevel=1",
  "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
  "-Dorg.slf4j.simpleLogger.logFile=System.err",
];
const GRACEFUL_STOP_MS = 20_000;

export type JavaProgram = "FencingWriter" | "EosPipeline" | "Generator" | "OpenTransaction" | "GroupConsumer" | "StreamsApp" | "SinkCounter";

export interface JavaEvent {
  event: string;
  /** Milliseconds since epoch when this process read the line. */
  at: number;
  [key: string]: unknown;
}

function sourceFiles(): string[] {
  return readdirSync(JAVA_SOURCE_DIR)
    .filter((f) => f.endsWith(".java"))
    .sort();
}

let compiled: Promise<string> | undefined;

/** Compiles scripts/java once per content hash (and client version); returns the classpath to run programs with. */
export function javaClasspath(): Promise<string> {
  compiled ??= (async () => {
    const libs = await ensureClientJars();
    const hash = createHash("sha256").update(CLIENT_VERSION);
    for (const file of sourceFiles()) hash.update(file).update(readFileSync(path.join(JAVA_SOURCE_DIR, file)));
    const out = path.join(CLASSES_HOME, hash.digest("hex").slice(0, 16));
    if (!existsSync(out)) {
      // Compile into a private directory and rename: concurrent test processes never see half-written classes.
      const staging = `${out}.staging-${process.pid}`;
      await rm(staging, { recursive: true, force: true });
      await mkdir(staging, { recursive: true });
      try {
        await execFileAsync("javac", ["-nowarn", "-cp", `${libs}/*`, "-d", staging, ...sourceFiles().map((f) => path.join(JAVA_SOURCE_DIR, f))]);
        await rename(staging, out).catch(async (error: NodeJS.ErrnoException) => {
          if (!existsSync(out)) throw error;
          await rm(staging, { recursive: true, force: true });
        });
      } catch (error) {
        await rm(staging, { recursive: true, force: true });
        const e = error as { stderr?: string; message: string };
        throw new Error(`javac failed for scripts/java:\n${e.stderr || e.message}`);
      }
    }
    return `${out}:${libs}/*`;
  })();
  compiled.catch(() => (compiled = undefined));
  return compiled;
}

const liveProcesses = new Set<JavaProcess>();
let exitHandlerInstalled = false;

function installExitHandler(): void {
  if (exitHandlerInstalled) return;
  exitHandlerInstalled = true;
  process.on("exit", () => {
    for (const p of liveProcesses) p.killNow();
  });
}

/** One running scenario JVM: its events, and the ways a deployment ends (stop, crash, freeze/resume). */
export class JavaProcess {
  readonly events: JavaEvent[] = [];
  /** Resolves with the exit code (null if killed by a signal). */
  readonly exited: Promise<number | null>;
  private stderrTail: string[] = [];
  private waiters = new Set<() => void>();

  constructor(
    readonly label: string,
    private readonly child: ChildProcess,
    log: (msg: string) => void,
  ) {
    // "close", not "exit": exit can fire before the last stdout lines are read, losing the final events.
    this.exited = new Promise((resolve) =>
      child.once("close", (code) => {
        liveProcesses.delete(this);
        this.notify();
        resolve(code);
      }),
    );
    createInterface({ input: child.stdout! }).on("line", (line) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        log(`${label}: ${line}`);
        return;
      }
      this.events.push({ ...(parsed as { event: string }), at: Date.now() });
      this.notify();
    });
    createInterface({ input: child.stderr! }).on("line", (line) => {
      this.stderrTail.push(line);
      if (this.stderrTail.length > 200) this.stderrTail.shift();
      if (/ (ERROR|WARN) /.test(line) || /Exception/.test(line)) log(`${label} stderr: ${line}`);
    });
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last lines the JVM wrote to stderr (client warnings, stack traces). */
  get stderr(): string {
    return this.stderrTail.join("\n");
  }

  count(event: string): number {
    return this.events.filter((e) => e.event === event).length;
  }

  last(event: string): JavaEvent | undefined {
    return this.events.findLast((e) => e.event === event);
  }

  /** Waits for the first event (from index `from` on) that matches; fails early if the JVM exits first. */
  async waitForEvent(
    match: string | ((e: JavaEvent) => boolean),
    { timeoutMs = 60_000, from = 0 } = {},
  ): Promise<JavaEvent> {
    const test = typeof match === "string" ? (e: JavaEvent) => e.event === match : match;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.slice(from).find(test);
      if (found) return found;
      if (!this.running) throw new Error(`${this.label} exited (${this.child.exitCode ?? this.child.signalCode}) before the awaited event\n${this.stderr}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.label}: timed out after ${timeoutMs} ms waiting for an event\n${this.stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(left, 1000));
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.add(done);
      });
    }
  }

  /** SIGTERM: the program's shutdown hook ends its loop and closes its clients; SIGKILL after 20 s. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.child.kill("SIGCONT");
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), GRACEFUL_STOP_MS);
    await this.exited;
    clearTimeout(timer);
  }

  /** SIGKILL: the instance dies mid-work, with whatever transaction it had open. */
  async crash(): Promise<void> {
    if (!this.running) return;
    this.child.kill("SIGKILL");
    await this.exited;
  }

  /** SIGSTOP: the JVM freezes with its connections open, like a long GC pause. */
  freeze(): void {
    if (this.running) this.child.kill("SIGSTOP");
  }

  resume(): void {
    if (this.running) this.child.kill("SIGCONT");
  }

  /** In JSON (scenario info printed or recorded), a process is its label and pid. */
  toJSON(): { label: string; pid: number } {
    return { label: this.label, pid: this.pid };
  }

  killNow(): void {
    if (!this.running) return;
    this.child.kill("SIGCONT");
    this.child.kill("SIGKILL");
  }

  private notify(): void {
    for (const wake of this.waiters) wake();
    this.waiters.clear();
  }
}

/** Starts `program` with `--bootstrap` and the given `--key value` arguments; `config` becomes repeated `--config k=v`. */
export async function startJavaProgram(
  program: JavaProgram,
  options: {
    label?: string;
    bootstrap: string;
    args?: Record<string, string | number>;
    config?: Record<string, string | number>;
    log?: (msg: string) => void;
  },
): Promise<JavaProcess> {
  const classpath = await javaClasspath();
  const args = [
    ...CLIENT_JVM_ARGS,
    "-cp",
    classpath,
    program,
    "--bootstrap",
    options.bootstrap,
    ...Object.entries(options.args ?? {}).flatMap(([k, v]) => [`--${k}`, String(v)]),
    ...Object.entries(options.config ?? {}).flatMap(([k, v]) => ["--config", `${k}=${v}`]),
  ];
  installExitHandler();
  const child = spawn("java", args, { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, SCENARIO_OWNER_STDIN: "1" } });
  const java = new JavaProcess(options.label ?? program, child, options.log ?? (() => {}));
  liveProcesses.add(java);
  return java;
}

/** Starts a Java program that the scenario's stop() stops (SIGTERM, then SIGKILL). */
export async function scenarioProgram(
  ctx: ScenarioContext,
  { cleanup, log }: Pick<ScenarioTools, "cleanup" | "log">,
  program: JavaProgram,
  label: string,
  args: Record<string, string | number>,
  config: Record<string, string | number> = {},
): Promise<JavaProcess> {
  const java = await startJavaProgram(program, { label, bootstrap: ctx.brokers.join(","), args, config, log });
  cleanup.add(`stop ${label}`, () => java.stop());
  return java;
}

/** The first assignment of at least one partition (the KIP-848 consumer may report an empty one first). */
export function assignedPartitions(java: JavaProcess) {
  return java.waitForEvent((e) => e.event === "assigned" && Array.isArray(e.partitions) && e.partitions.length > 0);
}

/** Records acknowledged by a Generator so far. */
export function generated(generator: JavaProcess): number {
  return Number(generator.last("sent")?.n ?? 0);
}

export interface SinkCount {
  records: number;
  distinct: number;
  duplicates: number;
  /** Values 0..expected-1 not seen. */
  missing: number;
  maxValue: number;
}

/** What a read_committed reader sees in `topic` now, read with SinkCounter (values are the Generator's sequence numbers). */
export async function countSink(bootstrap: string, topic: string, expected: number): Promise<SinkCount> {
  const counter = await startJavaProgram("SinkCounter", { label: `sink-counter ${topic}`, bootstrap, args: { topic, expected } });
  const count = await counter.waitForEvent("count");
  await counter.exited;
  return {
    records: Number(count.records),
    distinct: Number(count.distinct),
    duplicates: Number(count.duplicates),
    missing: Number(count.missing),
    maxValue: Number(count.maxValue),
  };
}

async function main(argv: string[]): Promise<void> {
  const [program, ...rest] = argv;
  if (!program) throw new Error(`usage: tsx scripts/scenarios/java-programs.ts <${sourceFiles().map((f) => f.replace(".java", "")).join("|")}> --bootstrap host:port [--key value ...]`);
  const classpath = await javaClasspath();
  const child = spawn("java", [...CLIENT_JVM_ARGS, "-cp", classpath, program, ...rest], { stdio: "inherit" });
  process.on("SIGINT", () => child.kill("SIGTERM"));
  child.on("exit", (code) => process.exit(code ?? 1));
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  main(process.argv.slice(2)).catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
}
