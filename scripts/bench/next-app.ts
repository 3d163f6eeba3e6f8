// A production build of the dashboard for the api benchmark, in its own directory (data/bench/next-app): other
// engineers' `next start` keep serving the repo's .next while this one is rebuilt. The copy holds the app's
// sources as they are in the working tree; node_modules resolve from the repo root above it.
import { spawn, type ChildProcess } from "node:child_process";
import { freeLoopbackPort } from "../ports";
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../kafka/paths";
import { RESULTS_DIR } from "./report";

export const APP_DIR = path.join(RESULTS_DIR, "next-app");
const NEXT_BIN = path.join(REPO_ROOT, "node_modules", "next", "dist", "bin", "next");
const BUILD_ID = path.join(APP_DIR, ".next", "BUILD_ID");
/** What `next build` and `next start` read: sources, static files, config, and the migrations the app applies. */
const SOURCES = ["app", "lib", "public", "prisma", "instrumentation.ts", "next.config.js", "tsconfig.json", "package.json"];
const isTest = (file: string) => /\.test\.tsx?$/.test(file) || file.includes(`${path.sep}testing${path.sep}`);

function newestMtime(file: string): number {
  const stat = statSync(file);
  if (!stat.isDirectory()) return isTest(file) ? 0 : stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(file).map((entry) => newestMtime(path.join(file, entry))));
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn(process.execPath, [NEXT_BIN, ...args], { cwd: APP_DIR, env, stdio: ["ignore", "inherit", "inherit"] });
  return new Promise((resolve, reject) =>
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`next ${args[0]} exited with ${code}`)))),
  );
}

/** Rebuilds when any source in the repo is newer than the last build; returns whether it built. */
export async function ensureBuild(log: (msg: string) => void): Promise<{ built: boolean; buildMs: number }> {
  const sourcesChanged = !existsSync(BUILD_ID) || SOURCES.some((s) => newestMtime(path.join(REPO_ROOT, s)) > statSync(BUILD_ID).mtimeMs);
  if (!sourcesChanged) return { built: false, buildMs: 0 };
  log(`sources changed since the last build: copying them to ${path.relative(REPO_ROOT, APP_DIR)} and running next build`);
  rmSync(APP_DIR, { recursive: true, force: true });
  mkdirSync(APP_DIR, { recursive: true });
  for (const source of SOURCES) {
    cpSync(path.join(REPO_ROOT, source), path.join(APP_DIR, source), { recursive: true, filter: (f) => !isTest(f) });
  }
  // The repo's config, except that type errors (possibly someone's work in progress) do not stop the build (the
  // benchmark measures the server, `npm run build` remains the type gate), and the output is always .next here.
  writeFileSync(
    path.join(APP_DIR, "next.config.js"),
    `import base from "../../../next.config.js";\n` +
      `export default { ...base, distDir: ".next", typescript: { ...base.typescript, ignoreBuildErrors: true } };\n`,
  );
  const start = performance.now();
  await run(["build"], { ...process.env, NEXT_TELEMETRY_DISABLED: "1" });
  return { built: true, buildMs: performance.now() - start };
}

export interface RunningServer {
  baseUrl: string;
  pid: number;
  stop(): Promise<void>;
}

/** `next start` on a free loopback port against `databaseUrl`, without the poller; resolves once it answers. */
export async function startServer(databaseUrl: string): Promise<RunningServer> {
  const port = await freeLoopbackPort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [NEXT_BIN, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: APP_DIR,
    env: { ...process.env, DATABASE_URL: databaseUrl, POLLER: "off", NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const stop = async () => {
    process.removeListener("exit", killOnExit);
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    try {
      await fetch(`${baseUrl}/api/health`);
      return { baseUrl, pid: child.pid!, stop };
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error("next start did not answer within 60 s");
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
