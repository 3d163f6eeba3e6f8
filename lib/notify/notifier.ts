import type { Deliverer } from "./deliverer";

// Runs the deliverer on its own timer, and right after each stored poll with transitions (kick). Nothing here is
// awaited by a poll. Runs may overlap (the deliverer serves each webhook from one run at a time), so a webhook
// that hangs until its timeout does not hold back the others' retries.

export interface NotifierLogger {
  error(message: string): void;
}

export interface Notifier {
  /** Starts a run now. Returns at once. */
  kick(): void;
  /** Stops the timer; resolves once the runs in flight (bounded by the request timeouts) are done. */
  stop(): Promise<void>;
}

export function startNotifier(options: {
  deliverer: Deliverer;
  everyMs: number;
  now?: () => number;
  log?: NotifierLogger;
}): Notifier {
  const now = options.now ?? Date.now;
  const log = options.log ?? { error: (m: string) => console.error(`[notify] ${m}`) };
  const inFlight = new Set<Promise<void>>();
  let stopped = false;

  const run = () => {
    if (stopped) return;
    const current: Promise<void> = options.deliverer
      .run(new Date(now()))
      .then(
        () => undefined,
        (error: unknown) => log.error(`delivery run failed: ${(error as Error)?.message ?? String(error)}`),
      )
      .finally(() => inFlight.delete(current));
    inFlight.add(current);
  };

  const timer = setInterval(run, options.everyMs);
  run();
  return {
    kick: run,
    async stop() {
      stopped = true;
      clearInterval(timer);
      while (inFlight.size) await Promise.all([...inFlight]);
    },
  };
}
