import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { LongestFirstSequencer } from "./e2e/integration/sequencer";

// Projects: fast unit tests colocated with the code, the store's suite on PostgreSQL, and integration tests that
// start real Kafka brokers. Each integration file starts its own cluster through scripts/kafka on free ports, so
// files are independent; two run at a time (most of their wall time is waiting on brokers and timeouts, which
// overlaps well even on two cores; INTEGRATION_WORKERS=1 runs them one by one).
const UNIT_TIMEOUT_MS = 30_000;
const JAVA_PROOFS = "e2e/integration/scenarios/java-clients.test.ts";
const REAL_KAFKA: { environment: "node"; testTimeout: number; hookTimeout: number; maxWorkers: number; globalSetup: string[] } = {
  environment: "node",
  testTimeout: 120_000,
  hookTimeout: 180_000,
  maxWorkers: Number(process.env.INTEGRATION_WORKERS ?? 2),
  globalSetup: ["e2e/integration/global-setup.ts"],
};

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL(".", import.meta.url)) } },
  test: {
    sequence: { sequencer: LongestFirstSequencer },
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
          hookTimeout: UNIT_TIMEOUT_MS,
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
          // Hooks create a database and record polls: the same safeguard as a test, not vitest's 10 s.
          hookTimeout: UNIT_TIMEOUT_MS,
        },
      },
      {
        extends: true,
        test: { name: "integration", include: ["e2e/integration/**/*.test.ts"], exclude: [JAVA_PROOFS], ...REAL_KAFKA },
      },
      {
        // Faults on a 3-broker cluster under load (`npm run test:faults`, ~6 min): one cluster shared by the file's
        // tests, which run in order.
        extends: true,
        test: { name: "faults", include: ["e2e/faults/**/*.test.ts"], ...REAL_KAFKA, maxWorkers: 1 },
      },
      {
        // The official CLIs' proof of each Java and Streams scenario (7 min). The detection suite runs the same
        // scenarios in `npm test`; this runs before changing them: `npm run test:java-proofs`.
        extends: true,
        test: { name: "java-proofs", include: [JAVA_PROOFS], ...REAL_KAFKA },
      },
    ],
  },
});
