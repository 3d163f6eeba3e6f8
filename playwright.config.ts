import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { BUILD_TIME_SECRETS, authWebServers } from "./e2e/ui/auth-servers";
import { chromiumLaunchOptions } from "./e2e/ui/browser";

// UI tests run the production build against a throw-away SQLite database seeded through lib/store.

// The main server and the auth servers (port + 1, + 2) stay inside 7100-8901, where Next.js reserves no port
// (`next start` refuses e.g. 6000 and 6566-6697, which the old 5000-7001 range could draw).
const port = Number(process.env.UI_TEST_PORT ?? 7100 + Math.floor(Math.random() * 1800));
const dbDir = process.env.UI_TEST_DB_DIR ?? mkdtempSync(path.join(tmpdir(), "eos-auditor-ui-"));
process.env.UI_TEST_DB_DIR = dbDir;
process.env.UI_TEST_PORT = String(port);
const databaseUrl = `file:${path.join(dbDir, "ui.db")}`;
/** Point the tests at a server you already run (seeded with scripts/seed-demo-db.ts) to skip the build. */
const externalBaseUrl = process.env.UI_TEST_BASE_URL;
const serverEnv = {
  DATABASE_URL: databaseUrl,
  POLL_INTERVAL_MS: "600000",
  // The seeded data stands alone: no background poller adding a cluster it cannot reach.
  POLLER: "off",
  NEXT_TELEMETRY_DISABLED: "1",
  NEXT_DIST_DIR: ".next-e2e",
};

export default defineConfig({
  testDir: "e2e/ui",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    baseURL: externalBaseUrl ?? `http://127.0.0.1:${port}`,
    colorScheme: "light",
    launchOptions: chromiumLaunchOptions,
  },
  // Started in order: the first builds and seeds, the auth-mode servers (auth.spec.ts) reuse both.
  webServer: externalBaseUrl
    ? undefined
    : [
        {
          // Seeding right before `next start` keeps the demo data fresh; the long poll interval keeps it so.
          // No sign-in: AUTH_MODE=none is allowed because the server listens on loopback only.
          command: `env ${Object.entries(BUILD_TIME_SECRETS).map(([k, v]) => `${k}=${v}`).join(" ")} npx next build && npx tsx scripts/seed-demo-db.ts && npx next start -p ${port} -H 127.0.0.1`,
          url: `http://127.0.0.1:${port}/api/health`,
          timeout: 600_000,
          reuseExistingServer: false,
          stdout: "pipe",
          env: { ...serverEnv, AUTH_MODE: "none" },
        },
        ...authWebServers(port, serverEnv),
      ],
});
