import { DEMO_CLUSTER } from "../../scripts/seed-demo-names";

// The seeded UI suite runs the same build three times: AUTH_MODE=none on loopback (every other spec),
// token mode and proxy mode (auth.spec.ts). Ports follow the main server's, which playwright.config.ts picks.

export const AUTH_TEST_TOKENS = {
  viewer: "e2e-viewer-token-4f1c9a7d2b",
  operator: "e2e-operator-token-8a3e5c1f07",
} as const;
/**
 * A Kafka password and the tokens, present in the environment of `next build` (build-time secrets are how a
 * careless `NEXT_PUBLIC_` or inlined env would leak them): the spec checks no built file contains any of them.
 */
export const BUILD_TIME_SECRETS = { KAFKA_TEST_PASSWORD: "e2e-kafka-password-7d41c0", AUTH_VIEWER_TOKEN: AUTH_TEST_TOKENS.viewer, AUTH_OPERATOR_TOKEN: AUTH_TEST_TOKENS.operator } as const;

/** Nothing listens on the discard port: connections are refused at once. */
export const REMEDIATION_CLOSED_BROKER = "127.0.0.1:9";

export const AUTH_TEST_GROUPS = { operator: "kafka-admins", viewer: "engineering" } as const;

export function authTestPorts(mainPort: number) {
  return { token: mainPort + 1, proxy: mainPort + 2 };
}

type ServerEnv = Record<string, string>;

/** The two extra `next start` servers over the already-built .next-e2e and the seeded database. */
export function authWebServers(mainPort: number, shared: ServerEnv) {
  const ports = authTestPorts(mainPort);
  return [
    {
      command: `npx next start -p ${ports.token} -H 127.0.0.1`,
      url: `http://127.0.0.1:${ports.token}/api/health`,
      env: {
        ...shared,
        AUTH_MODE: "token",
        AUTH_VIEWER_TOKEN: AUTH_TEST_TOKENS.viewer,
        AUTH_OPERATOR_TOKEN: AUTH_TEST_TOKENS.operator,
        // The guarded abort is on here (remediation.spec.ts). The seeded cluster is configured at a closed port,
        // so an attempt gets as far as the check before acting, which cannot reach Kafka and refuses.
        ALLOW_REMEDIATION: "true",
        KAFKA_CLUSTER_NAME: DEMO_CLUSTER,
        KAFKA_BROKERS: REMEDIATION_CLOSED_BROKER,
      },
    },
    {
      // Every interface, so the spec can also arrive from this machine's non-loopback address (untrusted).
      command: `npx next start -p ${ports.proxy} -H 0.0.0.0`,
      url: `http://127.0.0.1:${ports.proxy}/api/health`,
      env: {
        ...shared,
        AUTH_MODE: "proxy",
        AUTH_PROXY_TRUSTED: "127.0.0.1,::1",
        AUTH_PROXY_OPERATOR_GROUPS: AUTH_TEST_GROUPS.operator,
        AUTH_PROXY_VIEWER_GROUPS: AUTH_TEST_GROUPS.viewer,
      },
    },
  ].map((server) => ({ ...server, timeout: 120_000, reuseExistingServer: false, stdout: "pipe" as const }));
}
