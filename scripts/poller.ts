// npm run poller — the poller without the web server (run the UI with POLLER=off beside it).
import { ConfigError } from "@/lib/config/env";
import { startDefaultPoller } from "@/lib/poller/run";

const poller = await startDefaultPoller().catch((error: unknown) => {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
});
console.log(`[poller] polling ${poller.description}; Ctrl-C stops`);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`[poller] ${signal}: finishing the polls in flight`);
  await poller.stop();
  process.exit(0);
};
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
