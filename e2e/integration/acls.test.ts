// The access docs/acls.md documents, proven on a real 4.4.0 broker with KRaft's StandardAuthorizer: with exactly
// those ACLs every phase is clean; without Describe on transactional ids the poll is partial, its transactions
// phase names the missing ACL, and no finding that needs transactions can resolve on it.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canResolve, FINDING_PHASES } from "@/lib/analysis/finding-phases";
import { clusterConfig } from "@/lib/config/clusters";
import { collectSnapshot } from "@/lib/kafka/collector";
import type { ClusterSnapshot } from "@/lib/snapshot/types";
import { recordPoll } from "@/lib/store/polls";
import { listFindings } from "@/lib/store/queries";
import { openTestDatabase, type TestDatabase } from "@/lib/store/test-database";
import { authorizerBrokerConfig, SECURE_LISTENERS } from "../../scripts/kafka/security";
import { KAFKA_VERSIONS } from "../../scripts/kafka/versions";
import { runStuckTransaction } from "../../scripts/scenarios";
import { useKafka } from "./scenarios/kafka-under-test";

const user = { username: "auditor", password: `it-${randomBytes(8).toString("hex")}` };
const principal = `User:${user.username}`;

/** The grants of docs/acls.md except Describe on transactional ids, as kafka-acls arguments. */
const DOCUMENTED_WITHOUT_TRANSACTIONAL_IDS = [
  ["--cluster", "--operation", "Describe", "--operation", "DescribeConfigs"],
  ["--topic", "*", "--operation", "Describe", "--operation", "DescribeConfigs", "--operation", "Read"],
  ["--group", "*", "--operation", "Describe"],
];
const TRANSACTIONAL_IDS = ["--transactional-id", "*", "--operation", "Describe"];

const errorsOf = (snapshot: ClusterSnapshot) => snapshot.phases.flatMap((p) => p.errors.map((e) => ({ phase: p.name, ...e })));

describe("ACLs the collector needs (Kafka 4.4.0, StandardAuthorizer)", () => {
  const kafka = useKafka({
    version: KAFKA_VERSIONS.latest,
    name: "acls",
    extraListeners: [SECURE_LISTENERS.saslPlaintext],
    brokerConfig: authorizerBrokerConfig(user),
  });
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase();
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const acl = (action: "--add" | "--remove", grant: string[]) =>
    kafka.cli("acls", [action, "--allow-principal", principal, ...grant, ...(action === "--remove" ? ["--force"] : [])]);
  const auditor = () =>
    clusterConfig({
      name: "acls",
      brokers: kafka.cluster.listenerBrokers(SECURE_LISTENERS.saslPlaintext.name),
      clientId: "it-acls",
      sasl: { mechanism: "plain", ...user },
    });

  it("without Describe on transactional ids the poll is partial, names the missing ACL and resolves nothing", async () => {
    for (const grant of DOCUMENTED_WITHOUT_TRANSACTIONAL_IDS) await acl("--add", grant);
    const stuck = await kafka.run(runStuckTransaction, {});

    // The super user (the harness's PLAINTEXT listener) sees the transaction: a clean poll with a finding open.
    const full = await collectSnapshot({ name: "acls", brokers: kafka.cluster.brokers, clientId: "it-acls", ssl: false });
    expect(errorsOf(full)).toEqual([]);
    expect(full.transactions.map((x) => x.transactionalId)).toContain(stuck.info.transactionalId);
    const finding = {
      key: "it-acls-zombie",
      kind: "zombie-fenced",
      severity: "info" as const,
      cluster: "acls",
      subject: { transactionalId: stuck.info.transactionalId },
      title: "A finding open before the ACL went missing",
      evidence: {},
      explanation: "-",
      remediation: "-",
    };
    await recordPoll(full, [finding], {}, t.db);

    const partial = await collectSnapshot(auditor());
    expect(partial.complete).toBe(false);
    // ListTransactions answers without an error, leaving the id out; the probe says why.
    expect(partial.transactions).toEqual([]);
    expect(errorsOf(partial)).toEqual([
      expect.objectContaining({
        phase: "transactions",
        code: "TRANSACTIONAL_ID_AUTHORIZATION_FAILED",
        message: expect.stringContaining("missing ACL: Describe on TransactionalId"),
      }),
    ]);
    console.info(`transactions phase without the ACL: ${errorsOf(partial)[0]?.message}`);
    // Every other documented grant was enough: the open transaction's producer state and the group were read.
    const partition = partial.topics.find((x) => x.name === stuck.info.topic)!.partitions[0];
    expect(partition.producers?.some((p) => p.currentTxnStartOffset === stuck.info.transactionFirstOffset)).toBe(true);
    expect(partial.groups.map((g) => g.groupId)).toContain(stuck.info.groupId);

    for (const [kind, phases] of Object.entries(FINDING_PHASES)) {
      expect(canResolve(partial, kind), kind).toBe(!phases.includes("transactions"));
    }
    await recordPoll(partial, [], {}, t.db);
    expect((await listFindings({ cluster: "acls" }, t.db)).map((f) => [f.key, f.resolvedAt])).toEqual([["it-acls-zombie", null]]);

    // Granting exactly that ACL makes the auditor's poll complete, with the transaction in it.
    await acl("--add", TRANSACTIONAL_IDS);
    const granted = await collectSnapshot(auditor());
    expect(errorsOf(granted)).toEqual([]);
    expect(granted.complete).toBe(true);
    expect(granted.transactions.map((x) => x.transactionalId)).toContain(stuck.info.transactionalId);
    await stuck.stop();
  }, 180_000);

  // One documented grant missing at a time (the others in place): the phase that needs it fails and names it.
  it.each([
    // DescribeProducers, and the Fetch of the marker check for the stuck scenario's group (behind the LSO).
    { grant: ["--topic", "*", "--operation", "Read"], phases: ["groupOffsets", "producers"], code: "TOPIC_AUTHORIZATION_FAILED", acl: "Read on Topic" },
    { grant: ["--group", "*", "--operation", "Describe"], phases: ["groups"], code: "GROUP_AUTHORIZATION_FAILED", acl: "Describe on Group" },
    { grant: ["--cluster", "--operation", "Describe"], phases: ["logDirs"], code: "CLUSTER_AUTHORIZATION_FAILED", acl: "Describe on Cluster" },
    { grant: ["--cluster", "--operation", "DescribeConfigs"], phases: ["configs"], code: "CLUSTER_AUTHORIZATION_FAILED", acl: "DescribeConfigs on Cluster" },
  ])("without $acl the $phases phase(s) fail and name it", async ({ grant, phases, code, acl: missing }) => {
    await acl("--remove", grant);
    try {
      const snapshot = await collectSnapshot(auditor());
      expect(snapshot.complete).toBe(false);
      const errors = errorsOf(snapshot);
      expect(errors.length).toBeGreaterThan(0);
      expect([...new Set(errors.map((e) => e.phase))].sort()).toEqual(phases);
      expect(errors.every((e) => e.code === code)).toBe(true);
      expect(errors.every((e) => e.message.includes(`missing ACL: ${missing}`))).toBe(true);
    } finally {
      await acl("--add", grant);
    }
  }, 120_000);
});
