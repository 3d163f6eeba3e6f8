import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";

// A port found by binding port 0 comes from the kernel's ephemeral range, so between its release and a broker's
// bind (seconds later, after a JVM start) any outgoing connection on the machine may take it as its local port:
// CI saw "Socket server failed to bind to 127.0.0.1:34173: Address already in use". Ports handed out here lie
// outside that range, and each is claimed by a file naming its owner process, so concurrent test workers and
// checkouts on one machine never hand out the same port while its owner lives. Per user: another user's directory
// would not be writable.
const RESERVATIONS = path.join(tmpdir(), `eos-auditor-ports-${userInfo().uid}`);
const LOWEST = 20_000;
const HIGHEST = 65_535;
const MIN_RANGE = 1_000;

export function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && Number.isInteger(high)) return [low, high];
  } catch {
    // Not Linux: assume the IANA dynamic range.
  }
  return [49_152, 65_535];
}

/** The larger of the port ranges below and above the ephemeral range. */
export function candidateRange([low, high]: [number, number]): [number, number] {
  const below: [number, number] = [LOWEST, low - 1];
  const above: [number, number] = [high + 1, HIGHEST];
  const size = ([a, b]: [number, number]) => b - a + 1;
  const best = size(below) >= size(above) ? below : above;
  if (size(best) < MIN_RANGE) throw new Error(`no ${MIN_RANGE} ports outside the ephemeral range ${low}-${high}`);
  return best;
}

function alive(pid: number): boolean {
  if (!(pid > 0)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function reservationFile(port: number): string {
  return path.join(RESERVATIONS, String(port));
}

function ownerOf(file: string): number {
  return Number(readFileSync(file, "utf8"));
}

/** Writes the file with this process's id beside it, then moves it in: a reader never sees it empty. */
function withOwner(file: string, install: (written: string) => void): void {
  const written = `${file}.${process.pid}`;
  writeFileSync(written, String(process.pid));
  try {
    install(written);
  } finally {
    rmSync(written, { force: true });
  }
}

/** Creates the file naming this process, only if it does not exist. */
function exclusive(file: string): boolean {
  try {
    withOwner(file, (written) => linkSync(written, file));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/** Claims a port's file; one left by a dead process is taken over under a second file, so two never both take it. */
export function claimPort(port: number): boolean {
  mkdirSync(RESERVATIONS, { recursive: true });
  const file = reservationFile(port);
  if (exclusive(file)) return true;
  if (alive(ownerOf(file))) return false;
  const takeover = `${file}.takeover`;
  if (!exclusive(takeover)) return false;
  try {
    if (alive(ownerOf(file))) return false;
    withOwner(file, (written) => renameSync(written, file));
    return true;
  } finally {
    unlinkSync(takeover);
  }
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/**
 * Free loopback ports outside the ephemeral range, reserved for this process's lifetime (restarted brokers keep
 * theirs). Each is checked by binding it, so a port some other program listens on is skipped.
 */
export async function freeLoopbackPorts(count: number): Promise<number[]> {
  const [first, last] = candidateRange(ephemeralRange());
  const span = last - first + 1;
  const start = Math.floor(Math.random() * span);
  const ports: number[] = [];
  for (let i = 0; i < span && ports.length < count; i++) {
    const port = first + ((start + i) % span);
    if (claimPort(port) && (await bindable(port))) ports.push(port);
  }
  if (ports.length < count) throw new Error(`only ${ports.length} of ${count} free ports in ${first}-${last}`);
  return ports;
}

export async function freeLoopbackPort(): Promise<number> {
  const [port] = await freeLoopbackPorts(1);
  return port;
}

/** The process a port is reserved for, if any. */
export function reservationOwner(port: number): number | null {
  try {
    return ownerOf(reservationFile(port));
  } catch {
    return null;
  }
}
