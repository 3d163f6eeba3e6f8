// Next.js start-up hook: migrate the database, then poll the configured clusters in the background
// (unless POLLER=off, e.g. for UI-only replicas or when scripts/poller.ts runs separately).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const holder = globalThis as unknown as { __auditorPollerStarted?: boolean };
  // Dev-mode reloads may call register again: one poller per process.
  if (holder.__auditorPollerStarted) return;
  holder.__auditorPollerStarted = true;

  const { env } = await import("@/lib/config/env");
  const { ensureDatabase } = await import("@/lib/store/migrate");
  await ensureDatabase(env().DATABASE_URL);
  if (process.env.POLLER === "off") return;
  const { startDefaultPoller } = await import("@/lib/poller/run");
  const poller = await startDefaultPoller();
  console.log(`[poller] polling ${poller.clusters.join(", ")} every ${env().POLL_INTERVAL_MS} ms`);
}
