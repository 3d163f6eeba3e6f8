// Secured clusters on a real broker: SASL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) over TLS and alone, TLS with a
// server-name check, mutual TLS. The collector's snapshot through each listener must equal what the official CLIs
// say with the same client properties; rejected credentials and certificates must end as a clear, stored, backed-off
// poll error; and the password in use must never leave the server.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it, vi } from "vitest";
import { loadClustersFile } from "@/lib/config/clusters";
import { collectSnapshot } from "@/lib/kafka/collector";
import { startDefaultPoller } from "@/lib/poller/run";
import { db, getPollHistory } from "@/lib/store";
import { blockText } from "@/lib/store/history/codec";
import { decodeJson } from "@/lib/store/snapshot-codec";
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
import { ALL_KAFKA_VERSIONS, KAFKA_VERSIONS } from "../../scripts/kafka/versions";
import { runLagOfOne, runMixedWriters } from "../../scripts/scenarios";
import { useKafka } from "./scenarios/kafka-under-test";

const execFileAsync = promisify(execFile);
const workDir = mkdtempSync(path.join(os.tmpdir(), "eos-auditor-security-"));
// Known test secrets: the right password, and the wrong one a misconfigured cluster uses.
const PASSWORD = `it-right-${randomBytes(8).toString("hex")}`;
const WRONG_PASSWORD = `it-wrong-${randomBytes(8).toString("hex")}`;
const user = { username: "auditor", password: PASSWORD };
let pkiCreated: Promise<TestPki> | undefined;
/** One PKI for the file: every version's broker uses the same certificates. */
const testPki = () => (pkiCreated ??= createTestPki(path.join(workDir, "pki")));

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** A clusters file as an operator writes it: secrets by ${ENV} or file, never inline. */
function writeClustersFile(name: string, entries: Record<string, unknown>[]): string {
  const file = path.join(workDir, name);
  writeFileSync(file, JSON.stringify({ clusters: entries }, null, 2));
  return file;
}

const sasl = (mechanism: string, password = "${IT_KAFKA_PASSWORD}") => ({ mechanism, username: user.username, password });

/** A TCP pass-through to a broker port that notes when each client connection arrives. */
async function countingProxy(targetPort: number) {
  const connections: number[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    connections.push(Date.now());
    const upstream = net.connect(targetPort, "127.0.0.1");
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("error", () => undefined);
      s.on("close", () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function until(what: string, timeoutMs: number, condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Everything written to the console or the process's stdout/stderr while `body` runs. */
function captureOutput() {
  const chunks: string[] = [];
  const spies = [
    ...(["log", "info", "warn", "error", "debug"] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation((...args: unknown[]) => void chunks.push(args.map((a) => (a instanceof Error ? a.stack : String(a))).join(" "))),
    ),
    ...[process.stdout, process.stderr].map((stream) => {
      const write = stream.write.bind(stream);
      return vi.spyOn(stream, "write").mockImplementation(((chunk: string | Uint8Array, ...rest: never[]) => {
        chunks.push(String(chunk));
        return write(chunk, ...rest);
      }) as typeof stream.write);
    }),
  ];
  return { text: () => chunks.join("\n"), restore: () => spies.forEach((s) => s.mockRestore()) };
}

function metadataErrors(snapshot: ClusterSnapshot) {
  return snapshot.phases.flatMap((p) => p.errors.map((e) => ({ phase: p.name, code: e.code, message: e.message })));
}

/** The part of a snapshot that must not depend on the listener it was collected through. */
function clusterState(snapshot: ClusterSnapshot) {
  return {
    transactions: snapshot.transactions.map((t) => [t.transactionalId, t.producerId, t.producerEpoch, t.state, t.coordinatorId]).sort(),
    groups: snapshot.groups.map((g) => [g.groupId, g.offsets.map((o) => [o.topic, o.partition, o.offset])]).sort(),
    offsets: snapshot.topics.flatMap((t) => t.partitions.map((p) => [t.name, p.partition, p.logStartOffset, p.highWatermark, p.lastStableOffset])),
  };
}

// 4.4.0 in full (CLIs on every listener, the poller, secrets); 3.9.2 checks every listener against its own
// plaintext snapshot (which collector.test.ts compares with the CLIs) and the rejection messages.
describe.each(ALL_KAFKA_VERSIONS)("secured listeners on Kafka %s", (version) => {
  const full = version === KAFKA_VERSIONS.latest;
  let pki: TestPki;
  const kafka = useKafka(async () => {
    pki = await testPki();
    return {
      version,
      name: `security-${version}`,
      extraListeners: Object.values(SECURE_LISTENERS),
      brokerConfig: secureBrokerConfig(pki, user),
      formatArgs: scramFormatArgs(user),
    };
  });
  const secretEnv = () => ({ IT_KAFKA_PASSWORD: PASSWORD, IT_WRONG_PASSWORD: WRONG_PASSWORD, IT_CA_PEM: readFileSync(pki.caPem, "utf8") });
  const brokersOf = (listener: ExtraListener) => kafka.cluster.listenerBrokers(listener.name);

  function securedCombos(): { entry: Record<string, unknown>; listener: ExtraListener; cli: Parameters<typeof cliClientProperties>[2] }[] {
    mkdirSync(path.join(workDir, "secrets"), { recursive: true });
    writeFileSync(path.join(workDir, "secrets", "password"), `${PASSWORD}\n`);
    const { saslSsl, saslPlaintext, tls, mtls } = SECURE_LISTENERS;
    return [
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
  }

  it.runIf(!full)("polls every secured listener to the same state as plaintext", async () => {
    const lagOfOne = await kafka.run(runLagOfOne, {});
    const mixed = await kafka.run(runMixedWriters, {});
    await mixed.stop();
    const plaintext = await collectSnapshot({ name: "plaintext", brokers: kafka.cluster.brokers, clientId: "it", ssl: false });
    expect(plaintext.complete).toBe(true);
    expect(plaintext.groups.map((g) => g.groupId)).toContain(lagOfOne.info.groupId);
    const combos = securedCombos();
    const clusters = loadClustersFile(writeClustersFile(`secured-${version}.json`, combos.map((c) => c.entry)), secretEnv());
    for (const [i, combo] of combos.entries()) {
      const snapshot = await collectSnapshot(clusters[i]);
      expect(metadataErrors(snapshot), clusters[i].name).toEqual([]);
      expect(snapshot.complete).toBe(true);
      expect(snapshot.brokers.map((b) => `${b.host}:${b.port}`)).toEqual(brokersOf(combo.listener));
      expect(clusterState(snapshot), clusters[i].name).toEqual(clusterState(plaintext));
    }
  }, 180_000);

  it.runIf(full)("polls SASL_SSL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512), SASL_PLAINTEXT, TLS with a server-name check and mTLS, matching the CLIs", async () => {
    const lagOfOne = await kafka.run(runLagOfOne, {});
    const mixed = await kafka.run(runMixedWriters, {});
    await mixed.stop(); // quiescent from here: CLIs and snapshots must see the same state
    const combos = securedCombos();
    const clusters = loadClustersFile(writeClustersFile("secured.json", combos.map((c) => c.entry)), secretEnv());

    for (const [i, combo] of combos.entries()) {
      const cluster = clusters[i];
      const snapshot = await collectSnapshot(cluster);
      expect(metadataErrors(snapshot), cluster.name).toEqual([]);
      expect(snapshot.complete).toBe(true);
      // Metadata came back over the secured listener: the brokers it lists are that listener's.
      expect(snapshot.brokers.map((b) => `${b.host}:${b.port}`)).toEqual(brokersOf(combo.listener));
      // Our own codecs (ListTransactions, DescribeTransactions, ListOffsets, DescribeProducers, OffsetFetch) went
      // over the same authenticated connections: every phase ran, none unsupported, producers and LSOs filled in.
      expect(snapshot.phases.filter((p) => p.unsupported || p.requests === 0).map((p) => p.name)).toEqual([]);
      expect(snapshot.topics.find((t) => t.name === mixed.info.topic)!.partitions.every((p) => p.producers !== null && p.lastStableOffset !== null)).toBe(true);

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
    const file = writeClustersFile(`rejected-${version}.json`, cases.map((c) => c.entry));
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

    // The connectivity check an operator runs before deploying: the reason on screen, a non-zero exit. The audit
    // gives up at the first rejected poll instead of knocking for its whole window.
    const tool = (args: string[]) =>
      execFileAsync("npx", ["tsx", ...args], { cwd: REPO_ROOT, env: { ...process.env, CLUSTERS_FILE: file, ...secretEnv() } }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
    const auditStarted = Date.now();
    const [run, audit] = await Promise.all([
      tool(["scripts/snapshot.ts", "--cluster", "wrong-password"]),
      tool(["scripts/audit.ts", "--cluster", "expired-certificate", "--window", "120", "--interval", "1"]).then((r) => ({ ...r, ms: Date.now() - auditStarted })),
    ]);
    expect(audit.code).toBe(3);
    expect(audit.stderr).toContain(`Could not reach cluster "expired-certificate" at ${brokersOf(expired).join(",")}.\nmetadata: TLS ${cases[4].message}`);
    expect(audit.ms).toBeLessThan(60_000);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("FAILED (no broker answered)");
    expect(run.stdout).toContain(`AUTHENTICATION ${cases[0].message}`);
    expect(run.stdout + run.stderr).not.toContain(WRONG_PASSWORD);
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
  }, 180_000);

  it.runIf(full)("stores rejected polls with the reason, backs off (a rejection does not fix itself), and never lets a password out", async () => {
    const proxy = await countingProxy(kafka.cluster.nodes[0].listenerPorts[SECURE_LISTENERS.saslSsl.name]);
    const dbDir = path.join(workDir, "db");
    mkdirSync(dbDir, { recursive: true });
    const databaseFile = path.join(dbDir, "auditor.db");
    const file = writeClustersFile("poller.json", [
      { name: "secured", brokers: brokersOf(SECURE_LISTENERS.saslSsl), pollIntervalMs: 1000, security: { tls: { caFile: pki.caPem }, sasl: sasl("scram-sha-512") } },
      {
        name: "rejected",
        brokers: [`127.0.0.1:${proxy.port}`],
        pollIntervalMs: 1000,
        security: { tls: { caFile: pki.caPem }, sasl: sasl("scram-sha-512", "${IT_WRONG_PASSWORD}") },
      },
    ]);
    // The server's own configuration path: CLUSTERS_FILE with the secrets in its environment.
    Object.assign(process.env, { CLUSTERS_FILE: file, DATABASE_URL: `file:${databaseFile}`, ...secretEnv() });
    const output = captureOutput();
    let polls: { rejected: Awaited<ReturnType<typeof getPollHistory>>; secured: Awaited<ReturnType<typeof getPollHistory>> };
    const scheduled: { at: number; delayMs: number }[] = [];
    const poller = await startDefaultPoller({
      onScheduled: (cluster, delayMs) => {
        if (cluster === "rejected") scheduled.push({ at: Date.now(), delayMs });
      },
    });
    try {
      const history = async () => ({ rejected: await getPollHistory("rejected"), secured: await getPollHistory("secured") });
      await until("4 rejected polls and 2 complete secured ones", 90_000, async () => {
        polls = await history();
        return polls.rejected.length >= 4 && polls.secured.filter((p) => p.complete).length >= 2;
      });
      polls = await history();
    } finally {
      await poller.stop();
      output.restore();
      await proxy.close();
    }

    // Stored as failed, with the reason; never a crash (the poller kept going and stopped cleanly).
    const rejected = [...polls!.rejected].reverse();
    for (const poll of rejected) {
      expect(poll).toMatchObject({ complete: false, error: `Cluster rejected unreachable: AUTHENTICATION: SASL SCRAM SHA512 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512` });
    }
    // Backoff (unlike a cluster that is down, retried every interval): 2 s, 4 s, 8 s after the 1st, 2nd, 3rd failure (±10 % jitter),
    // the delay the poller chose once the failure was stored; the next attempt starts then (storing the failure and the
    // timer's lateness take less than the 1 s interval, which a retry sooner than the backoff would show as).
    const gaps = rejected.slice(1).map((p, i) => p.startedAt.getTime() - (rejected[i].startedAt.getTime() + rejected[i].durationMs));
    rejected.slice(1).forEach((p, i) => {
      const end = rejected[i].startedAt.getTime() + rejected[i].durationMs;
      const next = scheduled.find((e) => e.at >= end && e.at <= p.startedAt.getTime());
      expect(next, `the scheduling after failure ${i + 1}`).toBeDefined();
      const expected = 1000 * 2 ** (i + 1);
      expect(next!.delayMs, `delay after failure ${i + 1}`).toBeGreaterThanOrEqual(Math.floor(expected * 0.9));
      expect(next!.delayMs, `delay after failure ${i + 1}`).toBeLessThanOrEqual(Math.ceil(expected * 1.1));
      const overheadMs = gaps[i] - next!.delayMs;
      expect(overheadMs, `storing and timer lateness after failure ${i + 1}: gaps ${gaps.join(", ")} ms`).toBeGreaterThanOrEqual(-5);
      expect(overheadMs, `storing and timer lateness after failure ${i + 1}: gaps ${gaps.join(", ")} ms`).toBeLessThan(1000);
    });
    // No retry storm: one connection per poll (kafkajs does not retry a SASL rejection), nothing in between; one
    // more poll may have started after the history was read.
    console.info(`rejected cluster: ${rejected.length} polls, ${proxy.connections.length} connections, gaps ${gaps.join(", ")} ms`);
    expect(proxy.connections.length).toBeGreaterThanOrEqual(rejected.length);
    expect(proxy.connections.length).toBeLessThanOrEqual(rejected.length + 1);

    // Secrets stay on the server: API responses, logs and everything stored.
    const { GET: clustersRoute } = await import("@/app/api/clusters/route");
    const { GET: healthRoute } = await import("@/app/api/health/route");
    const clusterRoutes = await Promise.all(
      ["", "/config", "/findings", "/transactions", "/topics", "/groups", "/pipelines", "/hot-partitions", "/capacity"].map(
        async (suffix) => [suffix, (await import(`@/app/api/clusters/[cluster]${suffix}/route`)).GET] as const,
      ),
    );
    const call = async (route: (r: Request, c: { params?: Promise<unknown> }) => Promise<Response>, url: string, params: object = {}) => {
      const response = await route(new Request(`http://localhost${url}`), { params: Promise.resolve(params) });
      return { url, status: response.status, body: await response.text() };
    };
    const responses = [
      await call(clustersRoute, "/api/clusters"),
      await call(healthRoute as never, "/api/health"),
      ...(await Promise.all(
        ["secured", "rejected"].flatMap((cluster) =>
          clusterRoutes.map(([suffix, route]) => call(route, `/api/clusters/${cluster}${suffix}`, { cluster })),
        ),
      )),
    ];
    expect(responses.filter((r) => r.url.startsWith("/api/clusters/secured")).map((r) => [r.url, r.status])).toEqual(
      clusterRoutes.map(([suffix]) => [`/api/clusters/secured${suffix}`, 200]),
    );
    const listed = JSON.parse(responses[0].body) as { clusters: { name: string; security: unknown; poll: { lastPollError: string | null } }[] };
    expect(listed.clusters.map((c) => [c.name, c.security])).toEqual(
      ["rejected", "secured"].map((name) => [
        name,
        {
          protocol: "SASL_SSL",
          tls: { ca: "set", clientCertificate: false, servername: null, rejectUnauthorized: true },
          sasl: { mechanism: "scram-sha-512", username: "auditor" },
        },
      ]),
    );
    expect(listed.clusters.find((c) => c.name === "rejected")!.poll.lastPollError).toContain("AUTHENTICATION");
    const rejectedPage = responses.find((r) => r.url === "/api/clusters/rejected")!;
    expect(rejectedPage.status).toBe(404);
    expect(JSON.parse(rejectedPage.body).error).toContain("No poll of rejected has produced data yet. The last attempt failed: Cluster rejected unreachable: AUTHENTICATION");

    const database = db();
    const blobs = [
      ...(await database.latestSnapshot.findMany()).map((r) => r.gzip),
      ...(await database.analysisState.findMany()).map((r) => r.gzip),
    ];
    const historyBlocks = (await database.historyBlock.findMany()).map((r) => blockText(r.data));
    expect(blobs.length + historyBlocks.length).toBeGreaterThanOrEqual(3);
    const json = (value: unknown) => JSON.stringify(value, (_, v: unknown) => (typeof v === "bigint" ? String(v) : v));
    const stored = [
      json(await database.poll.findMany()),
      json(await database.cluster.findMany()),
      ...(await Promise.all(blobs.map(async (b) => JSON.stringify(await decodeJson(b))))),
      ...historyBlocks,
      // The database files themselves, write-ahead log included.
      ...[databaseFile, `${databaseFile}-wal`].filter(existsSync).map((f) => readFileSync(f).toString("latin1")),
    ];
    expect(output.text()).toContain("rejected: poll failed");
    for (const secret of [PASSWORD, WRONG_PASSWORD]) {
      expect(responses.filter((r) => r.body.includes(secret)).map((r) => r.url), "API responses").toEqual([]);
      expect(output.text().includes(secret), "server and poller output").toBe(false);
      expect(stored.filter((text) => text.includes(secret)).length, "stored polls, snapshots, state, database files").toBe(0);
    }
  }, 180_000);
});

