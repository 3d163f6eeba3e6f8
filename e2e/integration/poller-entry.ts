// The real poller wiring (startDefaultPoller, as scripts/poller.ts runs it) with each scheduling traced on stdout,
// so tests of several replicas can tell when a poll was stored and which delay its replica chose.
import { startDefaultPoller } from "@/lib/poller/run";

export const TRACE_PREFIX = "[trace] scheduled ";

export interface ScheduledTrace {
  cluster: string;
  /** When the poll before was stored (or found another replica polling) and the delay was chosen. */
  at: number;
  delayMs: number;
  polled: boolean;
}

if (process.argv[1] === import.meta.filename) {
  const poller = await startDefaultPoller({
    onScheduled: (cluster, delayMs, polled) => console.log(TRACE_PREFIX + JSON.stringify({ cluster, at: Date.now(), delayMs, polled } satisfies ScheduledTrace)),
  });
  console.log(`[poller] polling ${poller.description}`);
  process.on("SIGTERM", () => void poller.stop().then(() => process.exit(0)));
}
