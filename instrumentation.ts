// Next.js start-up hook: migrate the database, then poll the configured clusters in the background
// (unless POLLER=off, e.g. for UI-only replicas or when scripts/poller.ts runs separately).
export async function register(): Promise<void> {
  // This exact form lets Next drop the import from the Edge bundle (its compiler replaces NEXT_RUNTIME).
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { registerNode } = await import("@/lib/startup/register-node");
    await registerNode();
  }
}
