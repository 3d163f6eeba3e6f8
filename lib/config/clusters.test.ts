import { mkdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { clusterForCli, clusterNeedsCommandConfig, clusterConfig, clustersFromEnv, loadClustersFile, redactedSecurity, securityProtocol } from "./clusters";
import { configProblems as problems, useConfigDir } from "./test-files";

const configDir = useConfigDir("clusters-file-");
const write = (name: string, text: string) => configDir.write(name, text);

const PROD_YAML = `
clusters:
  - name: prod
    brokers: [kafka-1:9093, kafka-2:9093]
    clientId: eos-auditor-prod
    pollIntervalMs: 15000
    sampleIntervalMs: 120000
    security:
      tls:
        caFile: ca.pem
        servername: kafka.internal
      sasl:
        mechanism: SCRAM-SHA-512
        username: auditor
        passwordFile: secrets/password
  - name: payments.mtls
    brokers: kafka-a:9094,kafka-b:9094
    security:
      tls:
        ca: \${PAYMENTS_CA}
        certFile: client.pem
        key: \${PAYMENTS_KEY}
        rejectUnauthorized: true
  - name: dev
    brokers: [localhost:9092]
`;

describe("clusters file", () => {
  it("reads YAML: brokers as a list or a comma string, TLS from files and variables, SASL password from a file", () => {
    write("ca.pem", "-----CA-----\n");
    write("client.pem", "-----CERT-----\n");
    mkdirSync(path.join(configDir.path, "secrets"));
    write("secrets/password", "s3cret-from-file\n");
    const file = write("clusters.yaml", PROD_YAML);

    const clusters = loadClustersFile(file, { PAYMENTS_CA: "-----CA2-----", PAYMENTS_KEY: "-----KEY-----" });

    expect(clusters).toEqual([
      {
        name: "prod",
        brokers: ["kafka-1:9093", "kafka-2:9093"],
        clientId: "eos-auditor-prod",
        pollIntervalMs: 15000,
        sampleIntervalMs: 120000,
        ssl: { ca: "-----CA-----", servername: "kafka.internal", rejectUnauthorized: true },
        sasl: { mechanism: "scram-sha-512", username: "auditor", password: "s3cret-from-file" },
      },
      {
        name: "payments.mtls",
        brokers: ["kafka-a:9094", "kafka-b:9094"],
        clientId: "kafka-eos-auditor",
        pollIntervalMs: undefined,
        sampleIntervalMs: undefined,
        ssl: { ca: "-----CA2-----", cert: "-----CERT-----", key: "-----KEY-----", rejectUnauthorized: true },
        sasl: undefined,
      },
      {
        name: "dev",
        brokers: ["localhost:9092"],
        clientId: "kafka-eos-auditor",
        pollIntervalMs: undefined,
        sampleIntervalMs: undefined,
        ssl: false,
        sasl: undefined,
      },
    ]);
  });

  it("reads JSON, with tls: true for the system's CAs and the password from a variable", () => {
    const file = write(
      "clusters.json",
      JSON.stringify({
        clusters: [{ name: "cloud", brokers: ["b-1.example:9096"], security: { tls: true, sasl: { mechanism: "plain", username: "${USER_NAME}", password: "${PW}" } } }],
      }),
    );
    const [cloud] = loadClustersFile(file, { USER_NAME: "svc-auditor", PW: "pa55" });
    expect(cloud.ssl).toBe(true);
    expect(cloud.sasl).toEqual({ mechanism: "plain", username: "svc-auditor", password: "pa55" });
  });

  it("refuses a secret written in the file, naming the file, the cluster and the field", () => {
    const file = write(
      "clusters.yaml",
      `clusters:\n  - name: prod\n    brokers: [k:9093]\n    security:\n      sasl: {mechanism: plain, username: u, password: hunter2}\n      tls: {key: "-----BEGIN PRIVATE KEY-----", cert: c}\n`,
    );
    const message = problems(() => loadClustersFile(file, {}));
    expect(message).toContain(`Invalid clusters file ${file}:`);
    expect(message).toContain(`cluster "prod" (clusters[0]): security.sasl.password: must be \${ENV_NAME}: secrets are never written in the clusters file (or use passwordFile)`);
    expect(message).toContain(`cluster "prod" (clusters[0]): security.tls.key: must be \${ENV_NAME}`);
    // The rejected value is not repeated in the message.
    expect(message).not.toContain("hunter2");
  });

  it("lists every problem of every cluster in one message", () => {
    const file = write(
      "clusters.yaml",
      [
        "clusters:",
        "  - name: ok",
        "    brokers: [a:1]",
        "  - name: 'bad name/x'",
        "    brokers: [nohost]",
        "    pollIntervalMs: 10",
        "  - name: ok",
        "    brokers: [a:1]",
        "    securty: {}",
        "  - name: three",
        "    brokers: []",
        "    security:",
        "      tls: {certFile: c.pem, ca: x, caFile: y}",
        "      sasl: {mechanism: scram-sha-256, username: u, password: '${A}', passwordFile: p}",
        "  - name: four",
        "    brokers: [a:1]",
        "    security: {sasl: {mechanism: gssapi, username: u, passwordFile: p}}",
      ].join("\n"),
    );
    const lines = problems(() => loadClustersFile(file, {})).split("\n").slice(1);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/cluster "bad name\/x" \(clusters\[1\]\): name: cluster name: letters/),
        expect.stringMatching(/cluster "bad name\/x" \(clusters\[1\]\): brokers\.0: each broker must be host:port/),
        expect.stringMatching(/cluster "bad name\/x" \(clusters\[1\]\): pollIntervalMs: must be at least 1000 ms/),
        expect.stringMatching(/cluster "ok" \(clusters\[2\]\): .*securty/),
        expect.stringMatching(/cluster "three" \(clusters\[3\]\): brokers: must list at least one broker/),
        expect.stringMatching(/cluster "three" \(clusters\[3\]\): security\.tls\.ca: set ca or caFile, not both/),
        expect.stringMatching(/cluster "three" \(clusters\[3\]\): security\.tls\.key: a client certificate needs both/),
        expect.stringMatching(/cluster "four" \(clusters\[4\]\): security\.sasl\.mechanism: Invalid option: expected one of "plain"\|"scram-sha-256"\|"scram-sha-512"/),
        expect.stringMatching(/cluster "three" \(clusters\[3\]\): security\.sasl\.password: set password or passwordFile, not both/),
      ]),
    );
    expect(lines.filter((l) => l.includes("duplicate cluster name"))).toEqual([
      expect.stringContaining(`cluster "ok" (clusters[2]): name: duplicate cluster name "ok"`),
    ]);
  });

  it("reports schema problems of one cluster together with a missing variable of another", () => {
    const file = write(
      "clusters.yaml",
      "clusters:\n  - {name: a, brokers: [h:1], security: {sasl: {mechanism: plain, username: u, password: '${NOPE}'}}}\n  - {name: b, brokers: [nohost]}\n",
    );
    expect(problems(() => loadClustersFile(file, {})).split("\n").slice(1)).toEqual([
      `  - cluster "a" (clusters[0]): security.sasl.password: environment variable NOPE is not set`,
      `  - cluster "b" (clusters[1]): brokers.0: each broker must be host:port`,
    ]);
  });

  it("names every missing variable and unreadable file at once", () => {
    const file = write(
      "clusters.yaml",
      [
        "clusters:",
        "  - name: prod",
        "    brokers: [k:9093]",
        "    security:",
        "      tls: {caFile: missing-ca.pem}",
        "      sasl: {mechanism: scram-sha-256, username: '${KAFKA_USER}', password: '${KAFKA_PASSWORD}'}",
        "  - name: staging",
        "    brokers: [k:9093]",
        "    security:",
        "      sasl: {mechanism: scram-sha-256, username: u, passwordFile: /nonexistent/password}",
      ].join("\n"),
    );
    const message = problems(() => loadClustersFile(file, { KAFKA_USER: "" }));
    expect(message.split("\n").slice(1)).toEqual([
      `  - cluster "prod" (clusters[0]): security.tls.caFile: cannot read ${path.join(configDir.path, "missing-ca.pem")} (ENOENT)`,
      `  - cluster "prod" (clusters[0]): security.sasl.username: environment variable KAFKA_USER is not set`,
      `  - cluster "prod" (clusters[0]): security.sasl.password: environment variable KAFKA_PASSWORD is not set`,
      `  - cluster "staging" (clusters[1]): security.sasl.passwordFile: cannot read /nonexistent/password (ENOENT)`,
    ]);
  });

  it("reports an unreadable or unparsable file, and a file without clusters", () => {
    expect(problems(() => loadClustersFile(path.join(configDir.path, "nope.yaml"), {}))).toBe(
      `Invalid clusters file ${path.join(configDir.path, "nope.yaml")}:\n  - cannot read it (ENOENT)`,
    );
    expect(problems(() => loadClustersFile(write("broken.yaml", "clusters: [\n  - name: x"), {}))).toMatch(/Invalid clusters file .*broken\.yaml:\n {2}- .*line/);
    expect(problems(() => loadClustersFile(write("empty.yaml", "clusters: []"), {}))).toContain("clusters: must list at least one cluster");
  });
});

describe("clusters from the environment", () => {
  it("keeps KAFKA_BROKERS as the one-cluster shortcut", () => {
    expect(clustersFromEnv({ KAFKA_BROKERS: "a:1, b:2", KAFKA_CLUSTER_NAME: "prod" })).toEqual([
      { name: "prod", brokers: ["a:1", "b:2"], clientId: "kafka-eos-auditor", ssl: false },
    ]);
  });

  it("uses CLUSTERS_FILE, resolving its variables from the same environment, and refuses it beside KAFKA_BROKERS", () => {
    const file = write("c.yaml", "clusters:\n  - name: x\n    brokers: [h:1]\n    security: {sasl: {mechanism: plain, username: u, password: '${PW}'}}\n");
    expect(clustersFromEnv({ CLUSTERS_FILE: file, PW: "p" })[0].sasl?.password).toBe("p");
    expect(problems(() => clustersFromEnv({ CLUSTERS_FILE: file, PW: "p", KAFKA_BROKERS: "h:1" }))).toContain(
      "KAFKA_BROKERS: set either CLUSTERS_FILE or KAFKA_BROKERS, not both",
    );
  });
});

describe("the cluster of a command-line tool", () => {
  it("takes --brokers, --cluster NAME from the clusters file, or the only configured cluster", () => {
    const file = write("c.yaml", "clusters:\n  - {name: a, brokers: [h:1]}\n  - {name: b, brokers: [h:2], security: {tls: true}}\n");
    expect(clusterForCli({ brokers: "x:9,y:9", name: "adhoc" }, {})).toMatchObject({ name: "adhoc", brokers: ["x:9", "y:9"], ssl: false });
    expect(clusterForCli({ cluster: "b" }, { CLUSTERS_FILE: file })).toMatchObject({ name: "b", brokers: ["h:2"], ssl: true });
    expect(clusterForCli({}, { KAFKA_BROKERS: "z:1" })).toMatchObject({ name: "local", brokers: ["z:1"] });
    expect(problems(() => clusterForCli({ cluster: "c" }, { CLUSTERS_FILE: file }))).toContain(
      `--cluster: no cluster named "c" is configured (configured: a, b)`,
    );
    expect(problems(() => clusterForCli({}, { CLUSTERS_FILE: file }))).toContain("2 clusters are configured: pass --cluster with one of a, b");
    expect(problems(() => clusterForCli({ cluster: "a", brokers: "h:1" }, { CLUSTERS_FILE: file }))).toContain("use --brokers or --cluster, not both");
    expect(problems(() => clusterForCli({ brokers: "nohost" }, {}))).toContain("KAFKA_BROKERS.0: each broker must be host:port");
  });
});

describe("security summary", () => {
  const base = { name: "c", brokers: ["h:1"] };

  it("maps settings to Kafka's security.protocol and says when CLI commands need --command-config", () => {
    const cases = [
      [clusterConfig(base), "PLAINTEXT", false],
      [clusterConfig({ ...base, ssl: true }), "SSL", true],
      [clusterConfig({ ...base, sasl: { mechanism: "plain", username: "u", password: "p" } }), "SASL_PLAINTEXT", true],
      [clusterConfig({ ...base, ssl: { ca: "x" }, sasl: { mechanism: "scram-sha-256", username: "u", password: "p" } }), "SASL_SSL", true],
    ] as const;
    for (const [config, protocol, needs] of cases) {
      expect(securityProtocol(config)).toBe(protocol);
      expect(clusterNeedsCommandConfig(config)).toBe(needs);
    }
  });

  it("redacts every secret and key", () => {
    const config = clusterConfig({
      ...base,
      ssl: { ca: "CA-PEM", cert: "CERT-PEM", key: "KEY-PEM", servername: "kafka.internal" },
      sasl: { mechanism: "scram-sha-512", username: "auditor", password: "PASSWORD" },
    });
    const summary = redactedSecurity(config);
    expect(summary).toEqual({
      protocol: "SASL_SSL",
      tls: { ca: "set", clientCertificate: true, servername: "kafka.internal", rejectUnauthorized: true },
      sasl: { mechanism: "scram-sha-512", username: "auditor" },
    });
    expect(JSON.stringify(summary)).not.toMatch(/PEM|PASSWORD/);
    expect(redactedSecurity(clusterConfig({ ...base, ssl: true })).tls).toEqual({
      ca: "system",
      clientCertificate: false,
      servername: null,
      rejectUnauthorized: true,
    });
  });
});
