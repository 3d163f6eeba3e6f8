// Faults on one real 3-broker Kafka 4.4.0 cluster under transactional load: a Java EosPipeline (read_committed,
// sendOffsetsToTransaction) fed by an idempotent generator, and a hanging transaction (KIP-664) that must stay
// reported throughout. The production poller (startPoller with the real collector, detectors at their default
// settings and the real store on SQLite) polls every 2 s while, one after another:
//   1. the broker that is the pipeline's group and transaction coordinator and the hanging partition's leader is
//      SIGKILLed during a poll;
//   2. a broker is frozen (SIGSTOP) for longer than a poll;
//   3. the whole cluster is killed for WHOLE_CLUSTER_OUTAGE_MS and started again;
// then the poller process itself (scripts/poller.ts) is SIGKILLed while it writes a poll, on SQLite and PostgreSQL.
// After each fault: no crash, the fault's polls stored as partial (or failed) naming the failing phase and broker,
// complete polls again within two intervals, every poll whole, no finding resolved and re-opened, nothing opened
// that the fault alone explains, and the hanging transaction's finding the same one (id, first seen) as before.
// The banner is asserted through /api/clusters, the route the header's freshness indicator reads.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runDetectors, type FindingKind } from "@/lib/analysis";
import { canResolve } from "@/lib/analysis/finding-phases";
import { DEFAULT_SETTINGS } from "@/lib/analysis/settings";
import { coordinatorPartition } from "@/lib/analysis/java-hash";
import { ClusterCollector } from "@/lib/kafka/collector";
import { startPoller, type Poller } from "@/lib/poller";
import { OPEN_TRANSACTION_STATES } from "@/lib/snapshot/transaction-states";
import type { ClusterSnapshot } from "@/lib/snapshot/types";
import { createDb, type Db } from "@/lib/store/db";
import { ensureDatabase, getAnalysisState, recordFailedPoll, recordPoll } from "@/lib/store";
import { openTestDatabase } from "@/lib/store/test-database";
import type { ClustersDto, FindingsDto } from "@/lib/ui/dto";
import { freshness } from "@/lib/ui/freshness";
import { startKafka, type KafkaTestCluster } from "../../scripts/kafka/cluster";
import { runHangingTransaction, runJavaEosPipeline, type RunningScenario } from "../../scripts/scenarios";
import type { HangingTransactionInfo, JavaEosPipelineInfo } from "../../scripts/scenarios";
import { createKafka, waitFor } from "../../scripts/scenarios/support";
import { PollerProcess } from "../integration/poller-process";
import { halfWrittenPolls, WHOLE } from "../integration/stored-polls";

const CLUSTER = "faults";
const INTERVAL_MS = 2000;
/** Two minutes, as the issue asks (60 intervals; the stale banner after 3). */
const WHOLE_CLUSTER_OUTAGE_MS = 120_000;
/** Longer than a poll: a request to a frozen broker costs the collector's 8 s request timeout. */
const FREEZE_MS = 12_000;
/** Jitter (±10 %) on top of two intervals. */
const RECOVERY_LIMIT_MS = 2 * INTERVAL_MS * 1.1;
const INTERNAL_PARTITIONS = 5;
/** Findings about transactions and their readers: what a fault must never make up about a healthy pipeline. */
const EOS_KINDS = new Set<string>([
  "hanging-transaction", "stuck-lso", "long-transaction", "eos-lag", "transaction-timed-out", "zombie-fenced", "fencing-fight",
  "lost-fencing", "unfenced-zombie", "read-uncommitted", "mixed-writers", "pipeline-checklist", "compacted-lso-pinned",
] satisfies FindingKind[]);

/** What the broker state of a finding's first poll must show for a fault's consequence of that kind to be true. */
const CONSEQUENCE_EVIDENCE: Partial<Record<string, (at: ClusterSnapshot, f: FindingRow) => boolean>> = {
  "long-transaction": (at, f) =>
    at.transactions.some((t) => t.transactionalId === f.transactionalId && t.state === "Ongoing" && at.collectedAt - t.transactionStartTimeMs > t.transactionTimeoutMs),
  // The partition's leader reports a transaction open at its LSO (below the HW), and that transaction's coordinator
  // reports it in a state that holds the LSO, on this partition, open for longer than the detector's threshold. After
  // a whole-cluster restart that state is PrepareAbort: the coordinator has written its timeout abort but not yet the
  // markers (CI run 25; seen again by polling every 0.4 s across such a restart: LSO 229 before the kill, PrepareAbort
  // 89 s old with LSO 229 < HW 232 at the first poll after).
  "stuck-lso": (at, f) =>
    (at.topics.find((t) => t.name === f.topic)?.partitions ?? []).some(
      (p) =>
        p.lastStableOffset !== null &&
        p.highWatermark !== null &&
        p.lastStableOffset < p.highWatermark &&
        (p.producers ?? []).some(
          (producer) =>
            producer.currentTxnStartOffset === p.lastStableOffset &&
            at.transactions.some(
              (t) =>
                t.producerId === producer.producerId &&
                OPEN_TRANSACTION_STATES.has(t.state) &&
                t.transactionStartTimeMs >= 0 &&
                at.collectedAt - t.transactionStartTimeMs >= DEFAULT_SETTINGS.lsoStuckMs &&
                t.partitions.some((tp) => tp.topic === f.topic && tp.partition === p.partition),
            ),
        ),
    ),
};

const workDir = mkdtempSync(path.join(os.tmpdir(), "eos-auditor-faults-"));
const DATABASE_URL = `file:${path.join(workDir, "auditor.db")}`;
// The API routes read the process's configuration on first use: this test's database, cluster and interval.
Object.assign(process.env, { DATABASE_URL, KAFKA_CLUSTER_NAME: CLUSTER, POLL_INTERVAL_MS: String(INTERVAL_MS) });
delete process.env.CLUSTERS_FILE;

const until = <T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined> | T | undefined) =>
  waitFor(what, probe, { timeoutMs, intervalMs: 100 });

interface StoredPoll {
  id: number;
  startedAt: number;
  durationMs: number;
  complete: boolean;
  error: string | null;
  phases: { name: string; errors: { brokerId: number | null; code: string; message: string }[] }[];
}

interface FindingRow {
  id: string;
  key: string;
  kind: string;
  title: string;
  topic: string | null;
  groupId: string | null;
  transactionalId: string | null;
  firstSeenAt: number;
  resolvedAt: number | null;
}

const nameOf = (f: FindingRow) => `${f.kind} ${f.topic ?? f.groupId ?? f.transactionalId ?? ""}`;
/** Those of `rows` that resolved and were opened again (a new row, same key) among `all`. */
const reopened = (rows: FindingRow[], all: FindingRow[]) =>
  rows.filter((f) => f.resolvedAt !== null && all.some((g) => g.key === f.key && g.firstSeenAt > f.resolvedAt!));

interface FaultFigures {
  fault: string;
  victim: string;
  faultMs: number;
  polls: number;
  partial: number;
  failed: number;
  recoveryMs: number;
  recoveryPolls: number;
  shown: string[];
}

describe("faults on a 3-broker cluster under transactional load", () => {
  let cluster: KafkaTestCluster;
  let db: Db;
  let poller: Poller | undefined;
  let collector: ClusterCollector;
  let hanging: RunningScenario<HangingTransactionInfo>;
  let pipeline: RunningScenario<JavaEosPipelineInfo>;
  const scenarios: RunningScenario<object>[] = [];
  /** Every snapshot the collector returned, by collectedAt (what the poller was given to store). */
  const snapshots = new Map<number, ClusterSnapshot>();
  const logLines: string[] = [];
  /** The scenarios' own output (the Java clients log every retry), printed when a test fails. */
  const scenarioLines: string[] = [];
  const figures: FaultFigures[] = [];
  /** Run by the next collection once its requests are in flight. */
  let duringNextCollection: (() => Promise<void>) | null = null;
  let baseline: FindingRow[] = [];
  let hangingFinding: FindingRow;

  const polls = async (): Promise<StoredPoll[]> =>
    (await db.poll.findMany({ orderBy: { startedAt: "asc" }, select: { id: true, startedAt: true, durationMs: true, complete: true, error: true, phases: true } })).map(
      (p) => ({ ...p, startedAt: p.startedAt.getTime(), phases: p.phases as unknown as StoredPoll["phases"] }),
    );
  const findings = async (): Promise<FindingRow[]> =>
    (await db.finding.findMany({ orderBy: { firstSeenAt: "asc" }, select: { id: true, key: true, kind: true, title: true, topic: true, groupId: true, transactionalId: true, firstSeenAt: true, resolvedAt: true } })).map(
      (f) => ({ ...f, firstSeenAt: f.firstSeenAt.getTime(), resolvedAt: f.resolvedAt?.getTime() ?? null }),
    );
  const api = async <T>(route: string): Promise<T> => {
    const url = new URL(`http://localhost${route}`);
    const { GET } = url.pathname === "/api/clusters" ? await import("@/app/api/clusters/route") : await import("@/app/api/clusters/[cluster]/findings/route");
    const response = await (GET as (r: Request, c: { params: Promise<unknown> }) => Promise<Response>)(new Request(url), {
      params: Promise.resolve({ cluster: CLUSTER }),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as T;
  };
  /** What the header shows, computed as it computes it from /api/clusters (as of `at`, or now). */
  const banner = async (at?: number) => {
    const dto = await api<ClustersDto>(`/api/clusters${at ? `?at=${new Date(at).toISOString()}` : ""}`);
    const c = dto.clusters.find((x) => x.name === CLUSTER)!;
    return freshness(c.poll, c.pollIntervalMs, at ?? dto.now);
  };
  const brokerIds = () => cluster.nodes.map((n) => n.nodeId);
  const latestSnapshot = () => [...snapshots.values()].at(-1)!;

  beforeAll(async () => {
    cluster = await startKafka({ version: "4.4.0", nodes: 3, name: "faults", brokerConfig: { "transaction.partition.verification.enable": "false" } });
    process.env.KAFKA_BROKERS = cluster.bootstrap;
    await ensureDatabase(DATABASE_URL, () => {});
    db = createDb(DATABASE_URL);
    const ctx = (prefix: string) => ({ brokers: cluster.brokers, prefix, log: (m: string) => void scenarioLines.push(m) });

    hanging = await runHangingTransaction(ctx("h-"), { onStop: "abort" });
    scenarios.push(hanging);
    // One broker as both coordinators of the pipeline and the hanging partition's leader, so one kill takes all
    // three: pick the prefix whose group and transactional id hash to internal partitions that broker leads.
    const kafka = createKafka(ctx("probe-"), "faults-probe");
    const admin = kafka.admin();
    await admin.connect();
    let prefix: string;
    try {
      // Creates __consumer_offsets; NOT_COORDINATOR while its partitions load.
      await until("__consumer_offsets", 60_000, () => admin.fetchOffsets({ groupId: "faults-probe", topics: [] }).then(() => true, () => undefined));
      const leaders = await until("internal topics with leaders", 60_000, async () => {
        const { topics } = await admin.fetchTopicMetadata({ topics: ["__consumer_offsets", "__transaction_state"] });
        const byTopic = new Map(topics.map((t) => [t.name, new Map(t.partitions.map((p) => [p.partitionId, p.leader]))]));
        const ready = [...byTopic.values()].every((m) => m.size === INTERNAL_PARTITIONS && [...m.values()].every((l) => l >= 0));
        return byTopic.size === 2 && ready ? byTopic : undefined;
      });
      const candidates = Array.from({ length: 500 }, (_, i) => `p${i}-`);
      prefix = candidates.find((p) => {
        const group = leaders.get("__consumer_offsets")!.get(coordinatorPartition(`${p}java-eos-pipeline-payment-service`, INTERNAL_PARTITIONS));
        const txn = leaders.get("__transaction_state")!.get(coordinatorPartition(`${p}java-eos-pipeline-payment-service-0`, INTERNAL_PARTITIONS));
        return group === hanging.info.leaderId && txn === hanging.info.leaderId;
      })!;
    } finally {
      await admin.disconnect();
    }
    const pipelineStart = Date.now();
    pipeline = await runJavaEosPipeline(ctx(prefix));
    scenarios.push(pipeline);
    console.info(`faults: Java EosPipeline committing ${Date.now() - pipelineStart} ms after its start`);

    collector = new ClusterCollector({ name: CLUSTER, brokers: cluster.brokers, clientId: "faults-auditor", ssl: false });
    const log = (level: string) => (line: string) => void logLines.push(`${new Date().toISOString()} ${level} ${line}`);
    poller = startPoller({
      clusters: [{ name: CLUSTER, brokers: cluster.brokers }],
      intervalMs: INTERVAL_MS,
      collect: async () => {
        const collecting = collector.collect();
        const fault = duringNextCollection;
        duringNextCollection = null;
        if (fault) await fault();
        const snapshot = await collecting;
        snapshots.set(snapshot.collectedAt, snapshot);
        return snapshot;
      },
      analyze: (snapshot, previous, now) => {
        const result = runDetectors({ snapshot, previous: previous as Parameters<typeof runDetectors>[0]["previous"], now });
        return { findings: result.findings, state: result.state };
      },
      store: {
        loadAnalysisState: (name) => getAnalysisState(name),
        // Every poll sampled: each one's samples and snapshot blob are then checked to be whole.
        recordPoll: (snapshot, found, options) => recordPoll(snapshot, found, { ...options, sampleEveryMs: 0 }),
        recordFailedPoll: (input) => recordFailedPoll(input),
      },
      log: { info: log("info"), warn: log("warn"), error: log("error") },
    });

    // The starting point: the hanging transaction reported, and the same findings open over five complete polls.
    const commitsBefore = pipeline.info.pipeline.count("commit");
    const steady: string[] = [];
    hangingFinding = await until("the hanging transaction reported and the findings steady", 120_000, async () => {
      const all = await findings();
      const found = all.find((f) => f.kind === "hanging-transaction" && f.topic === hanging.info.topic);
      const last = (await polls()).at(-1);
      if (!found || !last?.complete) return (steady.length = 0), undefined;
      const open = all.filter((f) => f.resolvedAt === null).map((f) => f.id).join(",");
      if (steady.at(-1)?.startsWith(`${last.id}:`)) return undefined;
      steady.push(`${last.id}:${open}`);
      const recent = steady.slice(-5).map((r) => r.split(":")[1]);
      return recent.length === 5 && new Set(recent).size === 1 ? found : undefined;
    }).catch(async (error: unknown) => {
      const recent = (await polls()).slice(-3).map((p) => ({ complete: p.complete, error: p.error, failing: p.phases.filter((ph) => ph.errors.length) }));
      console.error(`faults: last polls ${JSON.stringify(recent)}\nfindings ${JSON.stringify(await findings())}\npoller log:\n${logLines.join("\n")}`);
      throw error;
    });
    await until("the pipeline committing", 30_000, () => (pipeline.info.pipeline.count("commit") > commitsBefore ? true : undefined));
    const beforeFaults = await findings();
    // Nothing flapped while the healthy pipeline started either (CI run 21: a low-replication finding did).
    expect(reopened(beforeFaults, beforeFaults).map(nameOf), "resolved and re-opened before the faults").toEqual([]);
    baseline = beforeFaults.filter((f) => f.resolvedAt === null);
    console.info(`faults: baseline findings ${baseline.map(nameOf).join(", ")}`);
  }, 240_000);

  beforeEach(({ onTestFailed }) => {
    onTestFailed(async () => {
      console.error(`poller log:\n${logLines.join("\n")}\nscenarios (last 40 lines):\n${scenarioLines.slice(-40).join("\n")}`);
      console.error(`broker log tail:\n${await cluster.logTail(40)}`);
    });
  });

  afterAll(async () => {
    await poller?.stop();
    await collector?.close();
    for (const s of scenarios.reverse()) await s.stop();
    await db?.$disconnect();
    await cluster?.stop();
    rmSync(workDir, { recursive: true, force: true });
    console.info(
      `faults: ${"fault".padEnd(34)} ${"victim".padEnd(10)} fault ms  polls partial failed  recovery ms (polls)  shown by /api/clusters\n` +
        figures
          .map(
            (f) =>
              `faults: ${f.fault.padEnd(34)} ${f.victim.padEnd(10)} ${String(f.faultMs).padStart(8)} ${String(f.polls).padStart(6)} ` +
              `${String(f.partial).padStart(7)} ${String(f.failed).padStart(6)} ${String(f.recoveryMs).padStart(12)} (${f.recoveryPolls})  ${f.shown.join(" → ")}`,
          )
          .join("\n"),
    );
  }, 120_000);

  /**
   * Runs one fault: `inject` starts it (resolves with the affected brokers and when they were hit, once the fault
   * has lasted long enough), `end` ends it and resolves when it is over (brokers back and serving). Then waits for
   * recovery and checks everything the fault must not break.
   */
  async function runFault(
    fault: string,
    inject: () => Promise<{ victims: number[]; at: number }>,
    end: (victims: number[]) => Promise<void>,
    expectFailedPolls = false,
    /** Findings this fault really causes when it lasts as long as it does here (see the whole-cluster test). */
    consequences: FindingKind[] = [],
  ): Promise<void> {
    const commitsBefore = pipeline.info.pipeline.count("commit");
    // What the header showed live, sampled through the API while the fault lasts and until recovery.
    const shown: string[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const f = await banner();
        if (shown.at(-1) !== f.level) shown.push(f.level);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
    try {
      const { victims, at: faultStartedAt } = await inject();
      await end(victims);
      const faultEndedAt = Date.now();
      // The first complete poll with every broker that ends after the fault did (it may have started just before).
      const recovered = await until(`a complete poll with every broker after ${fault}`, 60_000, async () =>
        (await polls()).find((p) => p.startedAt + p.durationMs >= faultEndedAt && p.complete && snapshots.get(p.startedAt)?.brokers.length === brokerIds().length),
      );
      const after = (await polls()).filter((p) => p.startedAt >= faultEndedAt && p.startedAt <= recovered.startedAt);
      const during = (await polls()).filter((p) => p.startedAt + p.durationMs >= faultStartedAt && p.startedAt < faultEndedAt);
      const partial = during.filter((p) => !p.complete && p.error === null);
      const failed = during.filter((p) => p.error !== null);
      sampling = false;
      await sampler;
      const summary = (p: StoredPoll) =>
        `${new Date(p.startedAt).toISOString().slice(11, 23)} ${p.error ? `failed ${p.error.slice(0, 80)}` : p.complete ? "complete" : "partial"} ` +
        p.phases.filter((ph) => ph.errors.length).map((ph) => `${ph.name}[${[...new Set(ph.errors.map((e) => `${e.brokerId}:${e.code}`))].join(",")}]`).join(" ");
      console.info(`faults: ${fault}: ${victims.join(",")} hit ${new Date(faultStartedAt).toISOString().slice(11, 23)}, over ${new Date(faultEndedAt).toISOString().slice(11, 23)}\n  ${[...during, ...after].map(summary).join("\n  ")}`);
      figures.push({
        fault,
          victim: victims.length === brokerIds().length ? "all" : `broker ${victims.join(",")}`,
        faultMs: faultEndedAt - faultStartedAt,
        polls: during.length,
        partial: partial.length,
        failed: failed.length,
        recoveryMs: Math.max(0, recovered.startedAt + recovered.durationMs - faultEndedAt),
        recoveryPolls: after.length,
        shown,
      });

      // No crash: the loop never hit its last line of defence, and it is still polling.
      expect(logLines.filter((l) => / error unexpected:/.test(l))).toEqual([]);
      // The fault is in the stored history: partial polls naming the failing phase and a victim broker, or showing
      // it gone from the cluster's broker list once the controller fenced it; failed polls when nothing answered.
      const namesVictim = (p: StoredPoll) =>
        p.phases.some((ph) => ph.errors.some((e) => e.brokerId !== null && victims.includes(e.brokerId))) ||
        !snapshots.get(p.startedAt)?.brokers.some((b) => victims.includes(b.nodeId));
      if (expectFailedPolls) {
        expect(failed.length).toBeGreaterThanOrEqual(3);
        for (const p of failed) expect(p.error).toMatch(/^Cluster faults unreachable: (CONNECTION|TIMEOUT): /);
      } else {
        expect(partial.filter(namesVictim).length, `polls during ${fault}: ${JSON.stringify(during)}`).toBeGreaterThanOrEqual(1);
        expect(failed).toEqual([]);
      }
      for (const p of partial) {
        expect(p.phases.filter((ph) => ph.errors.length > 0).length, JSON.stringify(p.phases)).toBeGreaterThanOrEqual(1);
      }
      // Every poll of the fault showed the banner through the API as of its time: partial, failed, or stale.
      for (const p of [...partial, ...failed]) {
        const f = await banner(p.startedAt);
        expect(f.level, `as of poll ${p.id}`).not.toBe("fresh");
        expect(f.banner).toBeTruthy();
      }
      // Complete again within two intervals of the fault's end, and fresh on the API. A poll in flight when the fault
      // ended (started while brokers were still coming back, slow on a loaded machine) delays the next one: the
      // two intervals count from whichever is later, the fault's end or that poll's.
      const inFlightEnd = Math.max(faultEndedAt, ...during.map((p) => p.startedAt + p.durationMs));
      expect(recovered.startedAt - inFlightEnd, `polls after the fault: ${JSON.stringify(after)}`).toBeLessThanOrEqual(RECOVERY_LIMIT_MS);
      expect(after.length).toBeLessThanOrEqual(2);
      await until("the API showing fresh data", 10_000, async () => ((await banner()).level === "fresh" ? true : undefined));

      await checkStoreInvariants(fault, faultStartedAt, consequences);
      // The pipeline lives on through the fault (its Java client rides out broker failures).
      await until(`the pipeline committing after ${fault}`, 90_000, () => (pipeline.info.pipeline.count("commit") > commitsBefore ? true : undefined));
    } finally {
      sampling = false;
      await sampler;
    }
  }

  /** Whole polls, no flapping, no finding the fault alone caused, the hanging transaction's finding unchanged. */
  async function checkStoreInvariants(fault: string, faultStartedAt: number, consequences: FindingKind[]): Promise<void> {
    expect(await halfWrittenPolls(db)).toEqual(WHOLE);
    // Every collection was stored as exactly one poll (one may be in flight).
    const stored = await polls();
    const collected = [...snapshots.keys()];
    const storedStarts = new Set(stored.map((p) => p.startedAt));
    expect(collected.filter((t) => !storedStarts.has(t)).length, "collections not stored").toBeLessThanOrEqual(1);

    const all = await findings();
    // No flapping: whatever resolved did so on a poll that collected its detector's data cleanly (a partial poll is
    // no evidence that a problem ended), and nothing resolved during this fault was opened again in it.
    const resolvedNow = all.filter((f) => f.resolvedAt !== null && f.resolvedAt >= faultStartedAt);
    for (const f of resolvedNow) {
      const at = snapshots.get(f.resolvedAt!);
      expect(at && canResolve(at, f.kind), `${nameOf(f)} resolved on poll ${new Date(f.resolvedAt!).toISOString()}`).toBe(true);
    }
    expect(reopened(resolvedNow, all).map(nameOf), `resolved and re-opened during ${fault}`).toEqual([]);
    // Findings open before the faults are still open, the same rows.
    const open = new Map(all.filter((f) => f.resolvedAt === null).map((f) => [f.id, f]));
    expect(baseline.filter((f) => !open.has(f.id)).map((f) => f.key), `resolved by ${fault}`).toEqual([]);
    // No new claim about the transactions of the pipeline or the hanging transaction: a partial poll is not "the
    // transaction ended", nor a stall, a timeout or a fence. What a fault really does (under-replicated internal
    // topics, a partition's write rate skewed by the backlog of a stalled broker) may be reported, and is listed.
    const about = [pipeline.info.inputTopic, pipeline.info.outputTopic, pipeline.info.groupId, pipeline.info.transactionalId, hanging.info.topic];
    const baselineIds = new Set(baseline.map((f) => f.id));
    const opened = all.filter((f) => !baselineIds.has(f.id));
    const describe = (f: FindingRow) => `${nameOf(f)} (${f.resolvedAt ? "resolved" : "open"})`;
    // A consequence that states the broker's state must have it in the poll that opened it. That poll may be partial
    // elsewhere (CI run 18: an internal partition's offsets not yet available after the restart) and still be right.
    const proven = (f: FindingRow) => {
      const evidence = CONSEQUENCE_EVIDENCE[f.kind];
      const at = snapshots.get(f.firstSeenAt);
      return !evidence || (at !== undefined && evidence(at, f));
    };
    const eosClaims = opened.filter(
      (f) =>
        EOS_KINDS.has(f.kind) &&
        !((consequences as string[]).includes(f.kind) && proven(f)) &&
        [f.topic, f.groupId, f.transactionalId].some((name) => name !== null && about.includes(name)),
    );
    const firstPoll = (f: FindingRow) => {
      const at = snapshots.get(f.firstSeenAt);
      const failedPhases = at?.phases.filter((p) => p.errors.length).map((p) => `${p.name}: ${p.errors.map((e) => `${e.brokerId} ${e.message}`).join("; ")}`);
      // What that poll saw of the finding's subject: its partitions' offsets and open producers, and its transactions.
      const partitions = at?.topics.find((t) => t.name === f.topic)?.partitions.map(
        (p) => `${p.partition}: LSO ${p.lastStableOffset} HW ${p.highWatermark} open ${(p.producers ?? []).filter((x) => (x.currentTxnStartOffset ?? -1) >= 0).map((x) => `${x.producerId}@${x.currentTxnStartOffset}`).join("/") || "-"}`,
      );
      const transactions = at?.transactions
        .filter((t) => t.transactionalId === f.transactionalId || t.partitions.some((tp) => tp.topic === f.topic))
        .map((t) => `${t.transactionalId} ${t.state} producer ${t.producerId} started ${t.transactionStartTimeMs} on ${t.partitions.map((tp) => `${tp.topic}-${tp.partition}`).join(",")}`);
      const seen = at ? `; saw ${partitions?.join(", ") ?? "no such topic"}; transactions ${transactions?.join(", ") || "none"}` : "";
      return `"${f.title}" first seen ${new Date(f.firstSeenAt).toISOString().slice(11, 23)} (${at ? (at.complete ? "complete poll" : `partial poll: ${failedPhases?.join(" | ")}`) : "no snapshot"}${seen})`;
    };
    expect(eosClaims.map(describe), `opened by ${fault}: ${eosClaims.map(firstPoll).join(", ")}`).toEqual([]);
    if (opened.length) console.info(`faults: opened during ${fault}: ${opened.map(describe).join(", ")}`);

    // The hanging transaction: the same finding, first seen when it was first seen, listed open by the API.
    const listed = await api<FindingsDto>(`/api/clusters/${CLUSTER}/findings?status=open`);
    expect(listed.findings.find((f) => f.id === hangingFinding.id)).toMatchObject({ kind: "hanging-transaction", firstSeenAt: hangingFinding.firstSeenAt, resolvedAt: null });
  }

  /** SIGKILLs `victim` while the next collection is in flight. */
  const killDuringPoll = (victim: number) =>
    new Promise<{ victims: number[]; at: number }>((resolve, reject) => {
      duringNextCollection = async () => {
        const at = Date.now();
        await cluster.crash(victim).then(() => resolve({ victims: [victim], at }), reject);
      };
    });
  const restart = async (victims: number[]) => {
    for (const id of victims) await cluster.restart(id);
    await settled();
  };

  /**
   * The fault is over for the cluster itself: every broker registered and answering on its own, and every partition
   * with a leader, as an independent client sees it. Until then a partial poll is the truth, not a slow recovery.
   */
  const settled = async () => {
    await cluster.waitReady({ nodeIds: brokerIds() });
    await until("every broker answering and every partition led", 120_000, async () => {
      for (const broker of cluster.brokers) {
        const admin = createKafka({ brokers: [broker], prefix: "settle-", log: () => {} }, "faults-settle").admin();
        try {
          await admin.connect();
          // kafkajs refuses a Metadata answer in which any partition has an error: success means every one is led.
          await admin.fetchTopicMetadata();
        } catch {
          return undefined;
        } finally {
          await admin.disconnect().catch(() => undefined);
        }
      }
      return true;
    });
  };

  it("the broker that is the group and transaction coordinator and the hanging partition's leader SIGKILLed during a poll", async () => {
    const snapshot = latestSnapshot();
    const groupCoordinator = snapshot.groups.find((g) => g.groupId === pipeline.info.groupId)?.coordinatorId;
    const txnCoordinator = snapshot.transactions.find((t) => t.transactionalId === pipeline.info.transactionalId)?.coordinatorId;
    const leader = snapshot.topics.find((t) => t.name === hanging.info.topic)!.partitions.find((p) => p.partition === hanging.info.partition)!.leader;
    expect([groupCoordinator, txnCoordinator]).toEqual([leader, leader]);
    await runFault("coordinators' and leader's broker SIGKILLed", () => killDuringPoll(leader), restart);
  }, 300_000);

  it("a broker frozen (SIGSTOP) for longer than a poll", async () => {
    const controller = latestSnapshot().controllerId;
    const victim = brokerIds().find((id) => id !== controller)!;
    await runFault(
      "broker frozen (SIGSTOP) 12 s",
      async () => {
        await cluster.hang(victim);
        // Frozen until a poll has hit it and at least FREEZE_MS have passed.
        const frozenAt = Date.now();
        await until("a poll hit by the freeze", 60_000, async () =>
          (await polls()).some((p) => p.startedAt >= frozenAt && !p.complete) ? true : undefined,
        );
        await until(`${FREEZE_MS} ms frozen`, 2 * FREEZE_MS, () => (Date.now() - frozenAt >= FREEZE_MS ? true : undefined));
        return { victims: [victim], at: frozenAt };
      },
      async ([id]) => {
        await cluster.resume(id);
        await settled();
      },
    );
  }, 240_000);

  it(`the whole cluster down for ${WHOLE_CLUSTER_OUTAGE_MS / 1000} s and back`, async () => {
    await runFault(
      `whole cluster down ${WHOLE_CLUSTER_OUTAGE_MS / 1000} s`,
      async () => {
        await Promise.all(brokerIds().map((id) => cluster.crash(id)));
        const downAt = Date.now();
        // The stale banner appears after three intervals without data; the outage lasts its full length.
        await until("the stale banner", 30_000, async () => ((await banner()).level === "stale" ? true : undefined));
        await until(`${WHOLE_CLUSTER_OUTAGE_MS} ms down`, 2 * WHOLE_CLUSTER_OUTAGE_MS, () => (Date.now() - downAt >= WHOLE_CLUSTER_OUTAGE_MS ? true : undefined));
        return { victims: brokerIds(), at: downAt };
      },
      restart,
      true,
      // Down and restarting for longer than the pipeline's transaction.timeout.ms (60 s, the Java default) on a
      // loaded machine: its open transaction really times out, and its group really waits behind it. Until the
      // restarted brokers' __transaction_state replicas meet its min ISR again the coordinator cannot write the abort
      // ("Rollback of ongoing transaction ... failed due to error COORDINATOR_NOT_AVAILABLE" in its log, CI run 17):
      // the transaction really stays Ongoing past its timeout and really pins its partitions' LSO meanwhile, and
      // still does in PrepareAbort until the markers are written.
      ["transaction-timed-out", "eos-lag", "long-transaction", "stuck-lso"],
    );
  }, 2 * WHOLE_CLUSTER_OUTAGE_MS + 180_000);

  const serverUrl = process.env.TEST_POSTGRES_URL;
  for (const kind of ["sqlite", "postgresql"] as const) {
    it.skipIf(kind === "postgresql" && !serverUrl)(`the auditor SIGKILLed while it writes a poll (${kind})`, async () => {
      // The in-process poller is done: the real poller process takes over on a database of its own.
      await poller?.stop();
      poller = undefined;
      const pgDatabase = kind === "postgresql" ? await openTestDatabase() : undefined;
      const url = pgDatabase?.url ?? `file:${path.join(workDir, "killed.db")}`;
      const name = `faults-auditor-${kind}`;
      const own = createDb(url);
      const { default: pg } = await import("pg");
      const observer = pgDatabase ? new pg.Client({ connectionString: url }) : undefined;
      await observer?.connect();
      const { default: Sqlite } = await import("better-sqlite3");
      const sqlite = pgDatabase ? undefined : () => new Sqlite(url.slice("file:".length), { timeout: 0 });
      /** Whether the poller is inside a poll's write transaction right now. */
      const writing = async (): Promise<boolean> => {
        if (observer) {
          const dbName = new URL(url).pathname.slice(1);
          const open = await observer.query(`SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND application_name = $2 AND xact_start IS NOT NULL AND state <> 'idle'`, [dbName, name]);
          return open.rowCount! > 0;
        }
        // SQLite has one writer: BEGIN IMMEDIATE fails at once while the poller's transaction holds the lock.
        const probe = sqlite!();
        try {
          probe.exec("BEGIN IMMEDIATE; ROLLBACK");
          return false;
        } catch (error) {
          if ((error as { code?: string }).code === "SQLITE_BUSY") return true;
          throw error;
        } finally {
          probe.close();
        }
      };
      const pollCount = () => own.poll.count().catch(() => 0);
      const start = () => new PollerProcess({ name, databaseUrl: url, brokers: cluster.brokers, cluster: CLUSTER, intervalMs: INTERVAL_MS, env: { HISTORY_SAMPLE_INTERVAL_MS: "0" } });
      const spawned: PollerProcess[] = [];
      try {
        const first = start();
        spawned.push(first);
        const finding = await until("the hanging transaction reported by the poller process", 120_000, async () =>
          // Before its first poll the poller process has not created the tables yet.
          (await own.finding.findFirst({ where: { kind: "hanging-transaction", topic: hanging.info.topic, resolvedAt: null } }).catch(() => null)) ?? undefined,
        );
        // Kill the moment a poll's write transaction is seen open.
        const stored = await pollCount();
        await until("a poll being written", 60_000, async () => ((await writing()) ? true : undefined));
        await first.kill("SIGKILL");
        const killedAt = Date.now();
        const killedWhileWriting = (await pollCount()) === stored;
        const afterKill = await pollCount();
        expect(await halfWrittenPolls(own)).toEqual(WHOLE);

        const second = start();
        spawned.push(second);
        const startedAt = Date.now();
        const ready = await until("the restarted poller polling", 60_000, () => second.lines.find((l) => l.includes("polling")) !== undefined ? Date.now() : undefined);
        const recovered = await until("a complete poll after the restart", 60_000, async () =>
          (await own.poll.findFirst({ where: { startedAt: { gte: new Date(killedAt) }, complete: true }, orderBy: { startedAt: "asc" } })) ?? undefined,
        );
        await until("two more polls", 30_000, async () => ((await pollCount()) >= afterKill + 3 ? true : undefined));
        expect(second.running).toBe(true);
        expect(await halfWrittenPolls(own)).toEqual(WHOLE);
        // The hanging transaction's finding survives the kill: same id, same first-seen time, still open.
        const again = await own.finding.findMany({ where: { kind: "hanging-transaction", key: finding.key } });
        expect(again.map((f) => [f.id, f.firstSeenAt.getTime(), f.resolvedAt])).toEqual([[finding.id, finding.firstSeenAt.getTime(), null]]);
        const recoveryMs = recovered.startedAt.getTime() - ready;
        figures.push({
          fault: `auditor SIGKILLed writing (${kind})`,
          victim: "poller",
          faultMs: startedAt - killedAt,
          polls: 0,
          partial: 0,
          failed: 0,
          recoveryMs: recovered.startedAt.getTime() + recovered.durationMs - startedAt,
          recoveryPolls: 1,
          shown: [killedWhileWriting ? "killed inside the write transaction" : "killed as the write committed"],
        });
        expect(recoveryMs).toBeLessThanOrEqual(RECOVERY_LIMIT_MS);
      } finally {
        for (const p of spawned) await p.kill("SIGKILL");
        await own.$disconnect();
        await observer?.end();
        await pgDatabase?.dispose();
      }
    }, 240_000);
  }
});
