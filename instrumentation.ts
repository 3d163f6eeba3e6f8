// Next.js start-up hook: migrate the database, then poll the configured clusters in the background
// (unless POLLER=off, e.g. for UI-only replicas or when scripts/poller.ts runs separately).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const holder = globalThis as unknown as { __auditorPollerStarted?: boolean };
  // Dev-mode reloads may call register again: one poller per process.
  if (holder.__auditorPollerStarted) return;
  holder.__auditorPollerStarted = true;

  const { ConfigError, env } = await import("@/lib/config/env");
  const { configuredClusters } = await import("@/lib/config/clusters");
  try {
    // A bad environment or clusters file stops the server here, with every problem listed, not at the first poll.
    env();
    configuredClusters();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const { ensureDatabase } = await import("@/lib/store/migrate");
  await ensureDatabase(env().DATABASE_URL);
  if (process.env.POLLER === "off") return;
  const { startDefaultPoller } = await import("@/lib/poller/run");
  const poller = await startDefaultPoller();
  console.log(`[poller] polling ${poller.description}`);
}
