import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions } from "../ui/browser";

// The dashboard against a real Kafka broker with real scenarios and the real poller: global setup starts
// Kafka, the scenarios and `next start` (the build must exist), and tears all of it down.
export default defineConfig({
  testDir: ".",
  testMatch: "*.spec.ts",
  globalSetup: "./global-setup.ts",
  timeout: 120_000,
  expect: { timeout: 60_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  outputDir: "../../test-results/live",
  use: { colorScheme: "light", launchOptions: chromiumLaunchOptions },
});
