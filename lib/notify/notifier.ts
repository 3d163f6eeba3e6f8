import type { Deliverer } from "./deliverer";

// Runs the deliverer on its own timer, and soon after each stored poll (kick). Runs never overlap; a kick during
// a run asks for one more. Nothing here is awaited by a poll.

export interface NotifierLogger {
  error(message: string): void;
}

export interface Notifier {
  /** Asks for a run as soon as the current one (if any) is done. Returns at once. */
  kick(): void;
  /** Stops the timer; resolves once the run in flight (bounded by the request timeouts) is done. */
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
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  const schedule = (delayMs: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(run, delayMs);
  };

  function run() {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    clearTimeout(timer);
    running = options.deliverer
      .run(new Date(now()))
      .then(
        () => undefined,
        (error: unknown) => log.error(`delivery run failed: ${(error as Error)?.message ?? String(error)}`),
      )
      .finally(() => {
        running = undefined;
        const more = again;
        again = false;
        schedule(more ? 0 : options.everyMs);
      });
  }

  schedule(0);
  return {
    kick: run,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
