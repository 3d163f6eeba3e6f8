// Secured clusters on a real broker: SASL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) over TLS and alone, TLS with a
// server-name check, mutual TLS. The collector's snapshot through each listener must equal what the official CLIs
// say with the same client properties; rejected credentials and certificates must end as a clear, stored, backed-off
// poll error; and the password in use must never leave the server.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it, vi } from "vitest";
import { loadClustersFile } from "@/lib/config/clusters";
import { collectSnapshot } from "@/lib/kafka/collector";
import type { ClusterSnapshot } from "@/lib/snapshot/types";
import { describeGroupOffsets, getOffsets, listTransactions, type KafkaCliTarget } from "../../scripts/kafka/cli";
import {
  BROKER_DNS_NAME,
  cliClientProperties,
  createTestPki,
  SECURE_LISTENERS,
  scramFormatArgs,
  secureBrokerConfig,
  writeClientProperties,
  type ExtraListener,
  type TestPki,
} from "../../scripts/kafka/security";
import { REPO_ROOT } from "../../scripts/kafka/paths";
import { KAFKA_VERSIONS } from "../../scripts/kafka/versions";
import { runLagOfOne, runMixedWriters } from "../../scripts/scenarios";
import { useKafka } from "./scenarios/kafka-under-test";

const execFileAsync = promisify(execFile);
const version = KAFKA_VERSIONS.latest;
const workDir = mkdtempSync(path.join(os.tmpdir(), "eos-auditor-security-"));
// Known test secrets: the right password, and the wrong one a misconfigured cluster uses.
const PASSWORD = `it-right-${randomBytes(8).toString("hex")}`;
const WRONG_PASSWORD = `it-wrong-${randomBytes(8).toString("hex")}`;
const user = { username: "auditor", password: PASSWORD };
let pki: TestPki;

const kafka = useKafka(async () => {
  pki = await createTestPki(path.join(workDir, "pki"));
  return {
    version,
    name: "security",
    extraListeners: Object.values(SECURE_LISTENERS),
    brokerConfig: secureBrokerConfig(pki, user),
    formatArgs: scramFormatArgs(user),
  };
});

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** A clusters file as an operator writes it: secrets by ${ENV} or file, never inline. */
function writeClustersFile(name: string, entries: Record<string, unknown>[]): string {
  const file = path.join(workDir, name);
  writeFileSync(file, JSON.stringify({ clusters: entries }, null, 2));
  return file;
}

const secretEnv = () => ({ IT_KAFKA_PASSWORD: PASSWORD, IT_WRONG_PASSWORD: WRONG_PASSWORD, IT_CA_PEM: readFileSync(pki.caPem, "utf8") });
const brokersOf = (listener: ExtraListener) => kafka.cluster.listenerBrokers(listener.name);
const sasl = (mechanism: string, password = "${IT_KAFKA_PASSWORD}") => ({ mechanism, username: user.username, password });

function metadataErrors(snapshot: ClusterSnapshot) {
  return snapshot.phases.flatMap((p) => p.errors.map((e) => ({ phase: p.name, code: e.code, message: e.message })));
}

describe(`secured listeners on Kafka ${version}`, () => {
  it("polls SASL_SSL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512), SASL_PLAINTEXT, TLS with a server-name check and mTLS, matching the CLIs", async () => {
    const lagOfOne = await kafka.run(runLagOfOne, {});
    const mixed = await kafka.run(runMixedWriters, {});
    await mixed.stop(); // quiescent from here: CLIs and snapshots must see the same state

    mkdirSync(path.join(workDir, "secrets"), { recursive: true });
    writeFileSync(path.join(workDir, "secrets", "password"), `${PASSWORD}\n`);
    const { saslSsl, saslPlaintext, tls, mtls } = SECURE_LISTENERS;
    const combos: { entry: Record<string, unknown>; listener: ExtraListener; cli: Parameters<typeof cliClientProperties>[2] }[] = [
      {
        entry: { name: "sasl-ssl-plain", brokers: brokersOf(saslSsl), security: { tls: { caFile: pki.caPem }, sasl: sasl("plain") } },
        listener: saslSsl,
        cli: { user, mechanism: "PLAIN" },
      },
      {
        entry: {
          name: "sasl-ssl-scram-256",
          brokers: brokersOf(saslSsl),
          security: { tls: { ca: "${IT_CA_PEM}" }, sasl: { mechanism: "scram-sha-256", username: user.username, passwordFile: "secrets/password" } },
        },
        listener: saslSsl,
        cli: { user, mechanism: "SCRAM-SHA-256" },
      },
      {
        entry: { name: "sasl-ssl-scram-512", brokers: brokersOf(saslSsl), security: { tls: { caFile: pki.caPem }, sasl: sasl("SCRAM-SHA-512") } },
        listener: saslSsl,
        cli: { user, mechanism: "SCRAM-SHA-512" },
      },
      {
        entry: { name: "sasl-plaintext-scram-512", brokers: brokersOf(saslPlaintext), security: { sasl: sasl("scram-sha-512") } },
        listener: saslPlaintext,
        cli: { user, mechanism: "SCRAM-SHA-512" },
      },
      {
        entry: { name: "tls-servername", brokers: brokersOf(tls), security: { tls: { caFile: pki.caPem, servername: BROKER_DNS_NAME } } },
        listener: tls,
        cli: {},
      },
      {
        entry: { name: "mtls", brokers: brokersOf(mtls), security: { tls: { caFile: pki.caPem, certFile: pki.clientCertPem, keyFile: pki.clientKeyPem } } },
        listener: mtls,
        cli: { clientCertificate: true },
      },
    ];
    const clusters = loadClustersFile(writeClustersFile("secured.json", combos.map((c) => c.entry)), secretEnv());

    for (const [i, combo] of combos.entries()) {
      const cluster = clusters[i];
      const snapshot = await collectSnapshot(cluster);
      expect(metadataErrors(snapshot), cluster.name).toEqual([]);
      expect(snapshot.complete).toBe(true);
      // Metadata came back over the secured listener: the brokers it lists are that listener's.
      expect(snapshot.brokers.map((b) => `${b.host}:${b.port}`)).toEqual(brokersOf(combo.listener));

      const target: KafkaCliTarget = {
        version,
        bootstrap: brokersOf(combo.listener).join(","),
        commandConfig: await writeClientProperties(path.join(workDir, `${cluster.name}.properties`), cliClientProperties(pki, combo.listener, combo.cli)),
      };
      // Three JVMs per listener: the group's rows carry its topic's log-end offsets, get-offsets the other topic's.
      const [listed, groupRows, mixedOffsets] = await Promise.all([
        listTransactions(target),
        describeGroupOffsets(target, lagOfOne.info.groupId),
        getOffsets(target, mixed.info.topic, { time: -1 }),
      ]);
      expect(snapshot.transactions.map((t) => [t.transactionalId, t.producerId, t.state, t.coordinatorId]).sort(), cluster.name).toEqual(
        listed.map((t) => [t.transactionalId, t.producerId, t.state, t.coordinatorId]).sort(),
      );
      expect(listed.length).toBeGreaterThanOrEqual(2);
      const group = snapshot.groups.find((g) => g.groupId === lagOfOne.info.groupId)!;
      expect(group.offsets.map((o) => [o.topic, o.partition, o.offset])).toEqual(
        groupRows.filter((r) => r.currentOffset !== null).map((r) => [r.topic, r.partition, r.currentOffset]),
      );
      const highWatermarks = (topic: string) => snapshot.topics.find((t) => t.name === topic)!.partitions.map((p) => p.highWatermark);
      expect(highWatermarks(mixed.info.topic), cluster.name).toEqual(mixedOffsets.map((o) => o.offset));
      expect(groupRows.map((r) => highWatermarks(r.topic)[r.partition])).toEqual(groupRows.map((r) => r.logEndOffset));
    }
  }, 300_000);

  it("turns rejected credentials and certificates into a clear failed poll, and `npm run snapshot` exits 1", async () => {
    const { saslSsl, tls, mtls, expired } = SECURE_LISTENERS;
    const cases: { entry: Record<string, unknown>; code: string; message: string }[] = [
      {
        entry: { name: "wrong-password", brokers: brokersOf(saslSsl), security: { tls: { caFile: pki.caPem }, sasl: sasl("scram-sha-256", "${IT_WRONG_PASSWORD}") } },
        code: "AUTHENTICATION",
        message:
          "SASL SCRAM SHA256 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256",
      },
      {
        entry: { name: "wrong-password-plain", brokers: brokersOf(saslSsl), security: { tls: { caFile: pki.caPem }, sasl: sasl("plain", "${IT_WRONG_PASSWORD}") } },
        code: "AUTHENTICATION",
        message: "SASL PLAIN authentication failed: Authentication failed: Invalid username or password",
      },
      {
        entry: {
          name: "unknown-user",
          brokers: brokersOf(saslSsl),
          security: { tls: { caFile: pki.caPem }, sasl: { mechanism: "scram-sha-512", username: "nobody", password: "${IT_KAFKA_PASSWORD}" } },
        },
        code: "AUTHENTICATION",
        message:
          "SASL SCRAM SHA512 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512",
      },
      {
        entry: { name: "wrong-ca", brokers: brokersOf(tls), security: { tls: { caFile: pki.otherCaPem } } },
        code: "TLS",
        message:
          "TLS handshake failed: the broker's certificate is not signed by a trusted CA (check security.tls.ca) (Connection error: unable to verify the first certificate)",
      },
      {
        entry: { name: "expired-certificate", brokers: brokersOf(expired), security: { tls: { caFile: pki.caPem } } },
        code: "TLS",
        message: "TLS handshake failed: the broker's certificate has expired (Connection error: certificate has expired)",
      },
      {
        entry: { name: "wrong-server-name", brokers: brokersOf(tls), security: { tls: { caFile: pki.caPem, servername: "kafka.other.test" } } },
        code: "TLS",
        message: expect.stringMatching(
          /^TLS handshake failed: the broker's certificate does not name this host \(check security\.tls\.servername\) \(Connection error: Hostname\/IP does not match certificate's altnames: Host: kafka\.other\.test\. is not in the cert's altnames: IP Address:127\.0\.0\.1, DNS:localhost, DNS:kafka\.test\)$/,
        ) as unknown as string,
      },
      {
        entry: { name: "mtls-without-certificate", brokers: brokersOf(mtls), security: { tls: { caFile: pki.caPem } } },
        code: "TLS",
        message:
          "TLS handshake failed: the broker rejected the client certificate: none was sent or the broker does not trust it (check security.tls.cert/key)",
      },
      {
        entry: { name: "plaintext-client-on-tls", brokers: brokersOf(tls) },
        code: "CONNECTION",
        message: "Closed connection: the broker hung up before answering (a TLS listener does this to a client without security.tls)",
      },
      {
        entry: { name: "tls-client-on-plaintext", brokers: kafka.cluster.brokers, security: { tls: { caFile: pki.caPem } } },
        code: "TLS",
        message:
          "TLS handshake failed: the listener does not speak TLS (Connection error: Client network socket disconnected before secure TLS connection was established)",
      },
    ];
    const file = writeClustersFile("rejected.json", cases.map((c) => c.entry));
    const clusters = loadClustersFile(file, secretEnv());
    for (const [i, c] of cases.entries()) {
      const snapshot = await collectSnapshot(clusters[i]);
      expect({ name: clusters[i].name, complete: snapshot.complete, brokers: snapshot.brokers, errors: metadataErrors(snapshot) }).toEqual({
        name: clusters[i].name,
        complete: false,
        brokers: [],
        errors: [{ phase: "metadata", code: c.code, message: c.message }],
      });
    }

    // The connectivity check an operator runs before deploying: the reason on screen, a non-zero exit.
    const run = await execFileAsync("npx", ["tsx", "scripts/snapshot.ts", "--cluster", "wrong-password"], {
      cwd: REPO_ROOT,
      env: { ...process.env, CLUSTERS_FILE: file, ...secretEnv() },
    }).then(
      () => ({ code: 0, stdout: "", stderr: "" }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("FAILED (no broker answered)");
    expect(run.stdout).toContain(`AUTHENTICATION ${cases[0].message}`);
    expect(run.stdout + run.stderr).not.toContain(WRONG_PASSWORD);
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
  }, 180_000);
});

