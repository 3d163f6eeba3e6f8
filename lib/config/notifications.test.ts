import { describe, expect, it } from "vitest";
import { loadClustersFile } from "./clusters";
import { notificationsFromEnv } from "./notifications";
import { configProblems as problems, useConfigDir } from "./test-files";

const configDir = useConfigDir("notifications-config-");
const write = (name: string, text: string) => configDir.write(name, text);

const SLACK_URL = "https://hooks.slack.example/services/T000/B000/secret-part";

const CLUSTERS = `
clusters:
  - name: prod
    brokers: [kafka-1:9092]
  - name: dev
    brokers: [localhost:9092]
`;

describe("notifications in the clusters file", () => {
  it("reads webhooks with secrets from variables and files, filters, defaults and the dashboard address", () => {
    write("pager-url", "https://pager.internal/hooks/eos\n");
    const file = write(
      "clusters.yaml",
      `${CLUSTERS}
notifications:
  dashboardUrl: https://eos.internal/
  webhooks:
    - name: slack-oncall
      format: slack
      url: \${SLACK_ONCALL_URL}
      minSeverity: critical
      clusters: [prod]
      kinds: [hanging-transaction, stuck-lso]
    - name: pager
      urlFile: pager-url
      transitions: [opened, resolved]
      dashboardUrl: https://other.internal
      timeoutMs: 3000
`,
    );
    // The clusters loader accepts the section it does not read.
    expect(loadClustersFile(file, {}).map((c) => c.name)).toEqual(["prod", "dev"]);
    expect(notificationsFromEnv({ CLUSTERS_FILE: file, SLACK_ONCALL_URL: SLACK_URL })).toEqual([
      {
        name: "slack-oncall",
        url: SLACK_URL,
        format: "slack",
        minSeverity: "critical",
        clusters: ["prod"],
        kinds: ["hanging-transaction", "stuck-lso"],
        transitions: ["opened", "escalated", "resolved"],
        dashboardUrl: "https://eos.internal/",
        timeoutMs: 10_000,
      },
      {
        name: "pager",
        url: "https://pager.internal/hooks/eos",
        format: "json",
        minSeverity: "warning",
        clusters: null,
        kinds: null,
        transitions: ["opened", "resolved"],
        dashboardUrl: "https://other.internal",
        timeoutMs: 3000,
      },
    ]);
  });

  it("names the file, the webhook and the field of every problem, and never repeats a URL", () => {
    const file = write(
      "clusters.yaml",
      `${CLUSTERS}
notifications:
  webhooks:
    - name: slack-oncall
      format: slack
      url: ${SLACK_URL}
    - name: pager
      url: \${PAGER_URL}
      clusters: [prod, staging]
      minSeverity: urgent
    - name: bad-url
      url: \${NOT_A_URL}
    - name: pager
      urlFile: missing-file
      format: teams
`,
    );
    const message = problems(() => notificationsFromEnv({ CLUSTERS_FILE: file, NOT_A_URL: "ftp://files.internal/secret-token" }));
    expect(message).toContain(`Invalid clusters file ${file}:`);
    expect(message).toContain(
      'webhook "slack-oncall" (notifications.webhooks[0]): url: must be ${ENV_NAME}: a Slack webhook URL is a secret (or use urlFile)',
    );
    expect(message).toContain('webhook "pager" (notifications.webhooks[1]): minSeverity:');
    expect(message).toContain('webhook "bad-url" (notifications.webhooks[2]): url: must be an http(s) URL');
    expect(message).toContain('webhook "pager" (notifications.webhooks[3]): format:');
    expect(message).not.toContain("secret-part");
    expect(message).not.toContain("secret-token");
  });

  it("reports unset variables, unreadable files, unknown clusters and duplicate names", () => {
    const file = write(
      "clusters.yaml",
      `${CLUSTERS}
notifications:
  webhooks:
    - name: pager
      url: \${PAGER_URL}
      clusters: [prod, staging]
    - name: pager
      urlFile: missing-file
`,
    );
    const message = problems(() => notificationsFromEnv({ CLUSTERS_FILE: file }));
    expect(message).toContain('webhook "pager" (notifications.webhooks[0]).url: environment variable PAGER_URL is not set');
    expect(message).toContain('webhook "pager" (notifications.webhooks[0]): clusters: no cluster named "staging" is configured');
    expect(message).toMatch(/webhook "pager" \(notifications\.webhooks\[1\]\)\.urlFile: cannot read .*missing-file \(ENOENT\)/);
    expect(message).toContain('webhook "pager" (notifications.webhooks[1]): name: duplicate webhook name "pager"');
  });

  it("rejects an empty or misspelt section", () => {
    const file = write("clusters.yaml", `${CLUSTERS}\nnotifications:\n  webhook: []\n`);
    const message = problems(() => notificationsFromEnv({ CLUSTERS_FILE: file }));
    expect(message).toContain("notifications.webhooks:");
    expect(message).toContain("notifications: Unrecognized key");
  });
});

describe("the WEBHOOK_URL shortcut", () => {
  it("is one webhook named 'webhook', JSON and warning by default", () => {
    expect(notificationsFromEnv({ WEBHOOK_URL: "http://127.0.0.1:9000/hook", DASHBOARD_URL: "https://eos.internal" })).toEqual([
      {
        name: "webhook",
        url: "http://127.0.0.1:9000/hook",
        format: "json",
        minSeverity: "warning",
        clusters: null,
        kinds: null,
        transitions: ["opened", "escalated", "resolved"],
        dashboardUrl: "https://eos.internal",
        timeoutMs: 10_000,
      },
    ]);
    expect(notificationsFromEnv({ WEBHOOK_URL: SLACK_URL, WEBHOOK_FORMAT: "slack", WEBHOOK_MIN_SEVERITY: "critical" })[0]).toMatchObject({
      format: "slack",
      minSeverity: "critical",
      dashboardUrl: null,
    });
    expect(notificationsFromEnv({})).toEqual([]);
  });

  it("refuses bad values without echoing them, and a file section beside it", () => {
    const message = problems(() => notificationsFromEnv({ WEBHOOK_URL: "hooks.slack.example/secret-part", WEBHOOK_FORMAT: "teams" }));
    expect(message).toContain("WEBHOOK_URL: must be an http(s) URL");
    expect(message).toContain("WEBHOOK_FORMAT:");
    expect(message).not.toContain("secret-part");

    const file = write("clusters.yaml", `${CLUSTERS}\nnotifications:\n  webhooks:\n    - name: pager\n      url: https://pager.internal/x\n`);
    expect(problems(() => notificationsFromEnv({ CLUSTERS_FILE: file, WEBHOOK_URL: "https://pager.internal/y" }))).toContain(
      "WEBHOOK_URL: set either WEBHOOK_URL or the clusters file's notifications section, not both",
    );
    // A clusters file without the section leaves the shortcut usable.
    const plain = write("plain.yaml", CLUSTERS);
    expect(notificationsFromEnv({ CLUSTERS_FILE: plain, WEBHOOK_URL: "https://pager.internal/y" }).map((t) => t.name)).toEqual(["webhook"]);
  });
});
