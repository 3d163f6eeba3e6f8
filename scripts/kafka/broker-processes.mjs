// Process bookkeeping shared by the cluster harness (TypeScript) and its detached watchdog (plain node), which must
// agree on the run-directory layout: <runDir>/owner.pid and <runDir>/node<id>/broker.pid.
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

export const OWNER_PID_FILE = "owner.pid";
export const BROKER_PID_FILE = "broker.pid";

/** Running, i.e. neither gone nor a zombie waiting to be reaped (kill(pid, 0) succeeds on zombies). */
export function isProcessRunning(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** Pids get reused: only treat a process as ours if it still is a Kafka broker JVM. */
export function isKafkaBroker(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("kafka.Kafka");
  } catch {
    return false;
  }
}

function readPid(file) {
  try {
    const pid = Number(readFileSync(file, "utf8").trim());
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function readOwnerPid(runDir) {
  return readPid(path.join(runDir, OWNER_PID_FILE));
}

export function recordedBrokerPids(runDir) {
  if (!existsSync(runDir)) return [];
  return readdirSync(runDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => readPid(path.join(runDir, entry.name, BROKER_PID_FILE)))
    .filter((pid) => pid !== undefined && isKafkaBroker(pid));
}

/** SIGKILL every broker recorded in runDir (SIGCONT first, a stopped process only dies once continued), then delete it. */
export async function killBrokersAndRemove(runDir) {
  const pids = recordedBrokerPids(runDir);
  for (const pid of pids) {
    for (const signal of ["SIGCONT", "SIGKILL"]) {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    }
  }
  const deadline = Date.now() + 10_000;
  while (pids.some(isProcessRunning) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  rmSync(runDir, { recursive: true, force: true });
  return pids;
}
