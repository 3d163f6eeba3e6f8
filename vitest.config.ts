import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Two projects: fast unit tests colocated with the code, and integration tests that start real Kafka brokers
// (each test file starts its own cluster through scripts/kafka, so files are independent but run one at a time
// to keep JVMs on a small machine from starving each other).
const UNIT_TIMEOUT_MS = 30_000;

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL(".", import.meta.url)) } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "scripts/**/*.test.ts"],
          environment: "node",
          // Store tests write real databases: 5 s was seen exceeded on a loaded 2-core machine. A timeout is a
          // safeguard against hangs, not a speed check (that is `npm run bench`).
          testTimeout: UNIT_TIMEOUT_MS,
        },
      },
      {
        // The store's suite again on PostgreSQL (openTestDatabase creates a fresh database per test there).
        extends: true,
        test: {
          name: "store-postgres",
          include: ["lib/store/**/*.test.ts"],
          environment: "node",
          globalSetup: ["lib/store/require-postgres.setup.ts"],
          testTimeout: UNIT_TIMEOUT_MS,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["e2e/integration/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          globalSetup: ["e2e/integration/global-setup.ts"],
        },
      },
    ],
  },
});
