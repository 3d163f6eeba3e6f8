import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeFinding } from "@/lib/analysis/findings";
import { buildSnapshot } from "@/lib/analysis/testing/snapshot-builder";
import { closeDatabase } from "@/lib/store/db";
import { recordPoll } from "@/lib/store/polls";
import { DEMO_CLUSTER, HOSTILE_GROUP_ID, STALE_CLUSTER } from "@/scripts/seed-demo-names";
import { seedDemoDb } from "@/scripts/seed-demo-db";
import type { ClustersDto, FindingDto, FindingsDto, GroupDetailDto, GroupsDto, TopicDetailDto, TopicsDto, TransactionsDto, ClusterDto } from "./dto";
import { freshness } from "./freshness";
import { LAG_VERDICTS, metricsRegistry, type ClusterMetricsInput } from "./metrics";
import { loadMetrics } from "./server/loaders";
import { paths } from "./urls";
import { parsePrometheusText, sampleValue, type Sample } from "./testing/prometheus-text";
import { fixtureSnapshot, partition, topic, FIXTURE_AT } from "./testing/snapshot-fixture";

// The numbers on /api/metrics are the numbers the dashboard's API shows for the same poll: both are read from
// the seeded demo database (real SQLite, the store's own writes) through the real route handlers.

type Route = (request: Request, context: { params?: Promise<unknown> }) => Promise<Response>;

async function call(route: Route, url: string, params: object = {}): Promise<Response> {
  return route(new Request(`http://localhost${url}`), { params: Promise.resolve(params) });
}

async function api<T>(module: Promise<{ GET: Route }>, url: string, params: object = {}): Promise<T> {
  const response = await call((await module).GET, url, params);
  expect(response.status, url).toBe(200);
  return (await response.json()) as T;
}

const cluster = DEMO_CLUSTER;
const routes = {
  metrics: () => import("@/app/api/metrics/route"),
  clusters: () => import("@/app/api/clusters/route"),
  cluster: () => import("@/app/api/clusters/[cluster]/route"),
  groups: () => import("@/app/api/clusters/[cluster]/groups/route"),
  group: () => import("@/app/api/clusters/[cluster]/groups/[group]/route"),
  topics: () => import("@/app/api/clusters/[cluster]/topics/route"),
  topic: () => import("@/app/api/clusters/[cluster]/topics/[topic]/route"),
  transactions: () => import("@/app/api/clusters/[cluster]/transactions/route"),
  findings: () => import("@/app/api/clusters/[cluster]/findings/route"),
};

let dir: string;
let samples: Sample[];
let text: string;
/** The overview's API read right before the scrape: freshness depends on the time of reading. */
let clustersAtScrape: ClustersDto;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "auditor-metrics-"));
  await seedDemoDb(`file:${path.join(dir, "demo.db")}`);
  // seedDemoDb closes its client; the loaders reopen it from the URL it last used.
  const { useDatabase } = await import("@/lib/store/db");
  await useDatabase(`file:${path.join(dir, "demo.db")}`);
  clustersAtScrape = await api<ClustersDto>(routes.clusters(), "/api/clusters");
  const response = await call((await routes.metrics()).GET, "/api/metrics");
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  text = await response.text();
  samples = parsePrometheusText(text);
}, 120_000);

afterAll(async () => {
  await closeDatabase();
  rmSync(dir, { recursive: true, force: true });
});

const value = (name: string, labels: Record<string, string>) => sampleValue(samples, name, { cluster_name: cluster, ...labels });

describe("/api/metrics on the seeded database", () => {
  it("has the lag of every group and partition the groups pages show, against the LSO", async () => {
    const { rows } = await api<GroupsDto>(routes.groups(), `/api/clusters/${cluster}/groups`, { cluster });
    expect(rows.map((r) => r.groupId)).toContain(HOSTILE_GROUP_ID);
    let partitionsCompared = 0;
    for (const row of rows) {
      const group = { group: row.groupId };
      expect(value("kafka_consumergroup_group_sum_lag", group), row.groupId).toBe(row.consumableLag);
      expect(value("eos_auditor_consumergroup_txn_held_lag", group), row.groupId).toBe(row.txnBlockedLag);
      for (const verdict of LAG_VERDICTS) {
        expect(value("eos_auditor_consumergroup_verdict", { ...group, verdict }), `${row.groupId} ${verdict}`).toBe(verdict === row.verdict ? 1 : 0);
      }
      const detail = await api<GroupDetailDto>(routes.group(), `/api/clusters/${cluster}/groups/x`, { cluster, group: row.groupId });
      const lags = [
        ...detail.partitions.map((p) => ({ topic: p.topic, partition: p.partition, lag: p.consumableLag })),
        ...(detail.shareOffsets ?? []).map((o) => ({ topic: o.topic, partition: o.partition, lag: o.lag })),
      ];
      const byTopic = new Map<string, number>();
      for (const p of lags) {
        const metric = value("kafka_consumergroup_group_lag", { ...group, topic: p.topic, partition: String(p.partition) });
        expect(metric, `${row.groupId} ${p.topic}-${p.partition}`).toBe(p.lag ?? undefined);
        if (p.lag != null) byTopic.set(p.topic, (byTopic.get(p.topic) ?? 0) + p.lag);
        partitionsCompared++;
      }
      for (const [topicName, sum] of byTopic) expect(value("kafka_consumergroup_group_topic_sum_lag", { ...group, topic: topicName })).toBe(sum);
      const max = Math.max(0, ...lags.map((p) => p.lag ?? 0));
      expect(value("kafka_consumergroup_group_max_lag", group), row.groupId).toBe(max);
    }
    expect(partitionsCompared).toBeGreaterThan(10);
    // The seed's consumer of the pinned partition sits at the LSO with records held behind it: lag 0, held > 0.
    expect(rows.some((r) => r.txnBlockedLag > 0 && r.verdict === "TXN_BLOCKED")).toBe(true);
  });

  it("has LSO, HW and HW-LSO of the active partitions as the topic pages, and no series for idle ones", async () => {
    const { rows } = await api<TopicsDto>(routes.topics(), `/api/clusters/${cluster}/topics`, { cluster });
    let active = 0;
    let idle = 0;
    for (const t of rows) {
      const detail = await api<TopicDetailDto>(routes.topic(), `/api/clusters/${cluster}/topics/x`, { cluster, topic: t.name });
      for (const p of detail.partitions) {
        const labels = { topic: t.name, partition: String(p.partition) };
        const lso = value("eos_auditor_partition_last_stable_offset", labels);
        if (lso === undefined) {
          idle++;
          expect(p.txnBlocked ?? 0, `${t.name}-${p.partition} holds offsets but has no series`).toBe(0);
          continue;
        }
        active++;
        expect(lso).toBe(p.lastStableOffset);
        expect(value("eos_auditor_partition_high_watermark", labels)).toBe(p.highWatermark);
        expect(value("eos_auditor_partition_txn_held_offsets", labels)).toBe(p.txnBlocked);
        const open = (p.producers ?? []).filter((pr) => pr.currentTxnStartOffset >= 0).length;
        expect(value("eos_auditor_partition_open_transactions", labels)).toBe(p.producers ? open : undefined);
      }
    }
    expect(active).toBeGreaterThan(0);
    expect(idle).toBeGreaterThan(0);
  });

  it("has the oldest open transaction's age where the transactions page shows one open", async () => {
    const { rows, collectedAt } = await api<TransactionsDto>(routes.transactions(), `/api/clusters/${cluster}/transactions`, { cluster });
    const open = rows.filter((r) => r.openForMs != null);
    expect(open.length).toBeGreaterThan(0);
    for (const t of open) {
      for (const p of t.partitions) {
        const age = value("eos_auditor_partition_oldest_open_transaction_age_seconds", { topic: p.topic, partition: String(p.partition) });
        // Another, older transaction may be open on the same partition: the series is the oldest.
        if (age !== undefined) expect(age * 1000, `${t.transactionalId} ${p.topic}-${p.partition}`).toBeGreaterThanOrEqual(t.openForMs!);
      }
    }
    const overview = await api<ClusterDto>(routes.cluster(), `/api/clusters/${cluster}`, { cluster });
    const byState = samples.filter((s) => s.name === "eos_auditor_open_transactions" && s.labels.cluster_name === cluster);
    expect(byState.reduce((n, s) => n + s.value, 0)).toBe(overview.overview.openTransactionCount);
    for (const s of byState) expect(s.value, s.labels.state).toBe(rows.filter((r) => r.state === s.labels.state).length);
    expect(collectedAt).toBe(overview.overview.collectedAt);
  });

  it("has one series per open finding and the counts the findings page shows", async () => {
    const { findings } = await api<FindingsDto>(routes.findings(), `/api/clusters/${cluster}/findings`, { cluster });
    expect(findings.length).toBeGreaterThan(3);
    const series = samples.filter((s) => s.name === "eos_auditor_finding_open" && s.labels.cluster_name === cluster);
    expect(series.map((s) => s.labels.key).sort()).toEqual(findings.map((f) => f.key).sort());
    for (const f of findings) {
      const labels = { kind: f.kind, severity: f.severity, key: f.key };
      expect(value("eos_auditor_finding_first_seen_timestamp_seconds", labels)).toBe(f.firstSeenAt / 1000);
    }
    const counted = samples.filter((s) => s.name === "eos_auditor_open_findings" && s.labels.cluster_name === cluster);
    expect(counted.reduce((n, s) => n + s.value, 0)).toBe(findings.length);
    expect(value("eos_auditor_hanging_transactions", {})).toBe(findings.filter((f) => f.kind === "hanging-transaction").length);
    const fences = findings
      .filter((f) => f.kind === "fencing-fight" || f.kind === "zombie-fenced")
      .reduce((n, f) => n + ((f.evidence as { fencesInWindow?: number }).fencesInWindow ?? 0), 0);
    expect(value("eos_auditor_fences_in_window", {})).toBe(fences);
  });

  it("has each cluster's poll status and freshness as the overview shows it", async () => {
    const { clusters, now } = clustersAtScrape;
    for (const c of clusters) {
      const labels = { cluster_name: c.name };
      const status = c.poll.lastPollError ? "failed" : c.poll.lastPollComplete ? "complete" : "partial";
      expect(sampleValue(samples, "eos_auditor_last_poll_status", { ...labels, status })).toBe(1);
      expect(sampleValue(samples, "eos_auditor_last_poll_timestamp_seconds", labels)).toBe(c.poll.lastPollAt! / 1000);
      const age = sampleValue(samples, "eos_auditor_data_age_seconds", labels)!;
      expect(Math.abs(age - (now - c.poll.lastSnapshotAt!) / 1000)).toBeLessThan(60);
    }
    expect(sampleValue(samples, "eos_auditor_data_stale", { cluster_name: STALE_CLUSTER })).toBe(1);
    expect(sampleValue(samples, "eos_auditor_last_poll_status", { cluster_name: STALE_CLUSTER, status: "failed" })).toBe(1);
    // Fresh unless seeding took longer than three poll intervals on a loaded machine: as the banner would say.
    const demo = clusters.find((c) => c.name === cluster)!;
    const level = freshness(demo.poll, demo.pollIntervalMs, now).level;
    expect(sampleValue(samples, "eos_auditor_data_stale", { cluster_name: cluster })).toBe(level === "stale" ? 1 : 0);
    // The seed's last poll is complete, the one before it partial: the last complete poll is the last poll.
    expect(sampleValue(samples, "eos_auditor_last_complete_poll_timestamp_seconds", { cluster_name: cluster })).toBe(
      sampleValue(samples, "eos_auditor_last_poll_timestamp_seconds", { cluster_name: cluster }),
    );
    expect(sampleValue(samples, "eos_auditor_info", {})).toBe(1);
  });

  it("lists every partition with METRICS_PARTITIONS=all", async () => {
    const all = parsePrometheusText((await loadMetrics("all")).body);
    const overview = await api<ClusterDto>(routes.cluster(), `/api/clusters/${cluster}`, { cluster });
    const hw = all.filter((s) => s.name === "eos_auditor_partition_high_watermark" && s.labels.cluster_name === cluster);
    expect(hw.length).toBe(overview.overview.partitionCount);
    expect(samples.filter((s) => s.name === "eos_auditor_partition_high_watermark" && s.labels.cluster_name === cluster).length).toBeLessThan(hw.length);
  });

  it("refuses time travel with 400", async () => {
    const response = await call((await routes.metrics()).GET, "/api/metrics?at=2026-01-01T00:00:00Z");
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/time travel/);
  });
});

describe("the stable finding link /clusters/<cluster>/findings/key/<key>", () => {
  /** Where the link leads: the redirect's Location, or "404". */
  async function open(cluster: string, key: string): Promise<string> {
    const { GET } = await import("@/app/clusters/[cluster]/findings/key/[key]/route");
    const response = await GET(new Request(`http://localhost${paths.findingByKey(cluster, key)}`), { params: Promise.resolve({ cluster, key }) });
    if (response.status === 404) return "404";
    expect(response.status).toBe(307);
    return response.headers.get("location")!;
  }

  it("redirects to the newest finding with the key, open or resolved", async () => {
    // A condition that came back after resolving, and resolved again: three rows for one key, the newest resolved.
    const c = "deeplink";
    const text = { title: "t", evidence: {}, explanation: "", remediation: "" };
    const fight = makeFinding({ kind: "fencing-fight", severity: "critical", cluster: c, subject: { transactionalId: 'a/b?c"#' }, ...text });
    const still = makeFinding({ kind: "lost-fencing", severity: "warning", cluster: c, subject: { transactionalId: "x" }, ...text });
    const seen = [[fight, still], [still], [fight, still], [still], [fight, still], [still]];
    // Every phase ran cleanly, so a finding missing from a poll resolves.
    const phases = (["metadata", "configs", "offsets", "logDirs", "groups", "groupOffsets", "transactions", "producers"] as const).map((name) => ({
      name, startedAt: FIXTURE_AT, durationMs: 1, requests: 1, bytesSent: 0, bytesReceived: 0, errors: [], unsupported: false,
    }));
    for (const [i, findings] of seen.entries()) {
      await recordPoll(buildSnapshot({ cluster: c, collectedAt: FIXTURE_AT + i * 15_000, phases }), findings);
    }
    const { findings } = await api<FindingsDto>(routes.findings(), `/api/clusters/${c}/findings?status=all`, { cluster: c });
    const rows = findings.filter((f) => f.key === fight.key).sort((a, b) => b.firstSeenAt - a.firstSeenAt);
    expect(rows.map((r) => r.resolvedAt != null)).toEqual([true, true, true]);
    expect(await open(c, fight.key)).toBe(paths.finding(c, rows[0].id));
    const open_ = findings.filter((f) => f.key === still.key);
    expect(open_).toHaveLength(1);
    expect(open_[0].resolvedAt).toBeNull();
    expect(await open(c, still.key)).toBe(paths.finding(c, open_[0].id));
  });

  it("is not found for unknown keys, hostile keys and other clusters' keys", async () => {
    const { findings } = await api<FindingsDto>(routes.findings(), `/api/clusters/${cluster}/findings`, { cluster });
    const unknown = [[cluster, "hanging-transaction-0000000000"], [cluster, '../x"<script>%'], [STALE_CLUSTER, findings[0].key], ["nope", findings[0].key], ["no/such cluster", "k"]];
    for (const [c, key] of unknown) expect(await open(c, key), `${c} ${key}`).toBe("404");
  });
});

function oneCluster(input: Partial<ClusterMetricsInput>): Promise<string> {
  const registry = metricsRegistry(
    [
      {
        name: "c",
        poll: { lastPollAt: FIXTURE_AT, lastPollComplete: true, lastPollError: null, lastSnapshotAt: FIXTURE_AT },
        pollIntervalMs: 15_000,
        lastPollDurationMs: 100,
        lastCompletePollAt: FIXTURE_AT,
        data: null,
        openFindings: [],
        ...input,
      },
    ],
    { partitions: "active", dashboardUrl: "https://auditor.example", version: "test", now: FIXTURE_AT },
  );
  return registry.metrics();
}

function finding(kind: string, key: string, evidence: Record<string, unknown>): FindingDto {
  return {
    id: `${key}-1`, key, kind, severity: "critical", subject: { topic: null, partition: null, transactionalId: "t", groupId: null, brokerId: null, detail: null }, title: "", evidence, explanation: "",
    remediation: "", commands: [], clientProperties: null, firstSeenAt: FIXTURE_AT, lastSeenAt: FIXTURE_AT, resolvedAt: null,
  };
}

describe("metricsRegistry", () => {
  it("sums the fences the fencing findings counted in their window", async () => {
    const body = await oneCluster({
      openFindings: [
        finding("fencing-fight", "fencing-fight-a", { fencesInWindow: 5 }),
        finding("zombie-fenced", "zombie-fenced-b", { fencesInWindow: 1 }),
        finding("hanging-transaction", "hanging-transaction-c", {}),
      ],
    });
    const parsed = parsePrometheusText(body);
    expect(sampleValue(parsed, "eos_auditor_fences_in_window", { cluster_name: "c" })).toBe(6);
    expect(sampleValue(parsed, "eos_auditor_hanging_transactions", { cluster_name: "c" })).toBe(1);
    expect(sampleValue(parsed, "eos_auditor_open_findings", { cluster_name: "c", kind: "fencing-fight", severity: "critical" })).toBe(1);
    expect(sampleValue(parsed, "eos_auditor_info", { dashboard_url: "https://auditor.example" })).toBe(1);
  });

  it("escapes quotes, backslashes and line breaks in Kafka names, and they parse back exactly", async () => {
    const name = 'evil"topic\\with\nnewline} 1\nfake_metric 2';
    const snapshot = fixtureSnapshot({
      topics: [topic(name, [partition({ partition: 0, highWatermark: 10, lastStableOffset: 7, producers: [] })])],
    });
    const body = await oneCluster({ data: { snapshot, groups: [], lags: [], transactions: [] } });
    expect(body).toContain('topic="evil\\"topic\\\\with\\nnewline} 1\\nfake_metric 2"');
    expect(body).not.toMatch(/^fake_metric/m);
    const parsed = parsePrometheusText(body);
    expect(sampleValue(parsed, "eos_auditor_partition_txn_held_offsets", { topic: name, partition: "0" })).toBe(3);
    expect(parsed.some((s) => s.name === "fake_metric")).toBe(false);
  });
});
