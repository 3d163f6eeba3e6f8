// The Node half of instrumentation.ts, in its own module so the Edge compilation of the hook never sees
// process.exit or the database (Next bundles instrumentation for both runtimes).
export async function registerNode(): Promise<void> {
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const holder = globalThis as unknown as { __auditorPollerStarted?: boolean };
  // Dev-mode reloads may call register again: one poller per process.
  if (holder.__auditorPollerStarted) return;
  holder.__auditorPollerStarted = true;

  // First: every request from now on carries its real remote address (lib/auth/peer.ts). Then the settings are
  // checked, so a bad environment, clusters file or auth setting (AUTH_MODE=none on a public address) stops the
  // server here with every problem listed: Next only logs a failed register() and then answers 500 forever.
  const { installPeerCapture } = await import("@/lib/auth/peer");
  installPeerCapture();
  const { env } = await import("@/lib/config/env");
  const { configuredClusters } = await import("@/lib/config/clusters");
  const { configuredNotifications } = await import("@/lib/config/notifications");
  const { authConfig } = await import("@/lib/auth/config");
  try {
    env();
    configuredClusters();
    configuredNotifications();
    console.log(`[auth] AUTH_MODE=${authConfig().mode}`);
  } catch (error) {
    if ((error as Error).name !== "ConfigError") throw error;
    console.error((error as Error).message);
    process.exit(1);
  }
  const { ensureDatabase, verifySchema } = await import("@/lib/store/migrate");
  if (process.env.POLLER === "off") {
    // A UI-only instance never changes the schema, so it may run as a role without DDL rights.
    try {
      await verifySchema(env().DATABASE_URL);
    } catch (error) {
      if ((error as Error).name !== "MigrationError") throw error;
      console.error((error as Error).message);
      process.exit(1);
    }
    return;
  }
  await ensureDatabase(env().DATABASE_URL);
  const { startDefaultPoller } = await import("@/lib/poller/run");
  const poller = await startDefaultPoller();
  console.log(`[poller] polling ${poller.description}`);
}
