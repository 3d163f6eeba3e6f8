// Records /api/metrics during real scenarios and writes deploy/prometheus/tests/alerts.test.yml, the promtool unit
// test of deploy/prometheus/alerts.yml: `npx tsx scripts/metrics/record-alert-series.ts` (about 3 minutes; starts its
// own single 4.4.0 broker). The production poller (startPoller, collector, detectors at test-scaled thresholds,
// store on a temp SQLite file) polls every 2 s and the metrics are scraped every 2 s, while a stuck transaction
// with a read_committed group, a hanging transaction, a fencing fight and a fresh-transactional-id producer run;
// then the broker is stopped. Every scrape becomes one minute of the test's series (a time-lapse: values are as
// scraped, the clock is stretched so the rules' minute-scale windows pass over seconds of recording), and a
// series missing from a scrape gets a staleness marker, as Prometheus writes one.
//
// The expected alerts are stated from what the scenarios did (their names, the scrape at which each situation
// was first exported), not by evaluating the rules.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { stringify } from "yaml";

const STEP_MS = 2000;
const dir = mkdtempSync(path.join(tmpdir(), "alert-series-"));
// Before anything reads the environment: the store and the stale flag (three poll intervals) follow the 2 s polls.
process.env.DATABASE_URL = `file:${path.join(dir, "auditor.db")}`;
process.env.POLL_INTERVAL_MS = String(STEP_MS);
process.env.DASHBOARD_URL = "https://auditor.example.com";

const { runDetectors } = await import("@/lib/analysis");
const { findingKey } = await import("@/lib/analysis/findings");
const { ClusterCollector } = await import("@/lib/kafka/collector");
const { startPoller } = await import("@/lib/poller");
const { closeDatabase, ensureDatabase, getAnalysisState, recordFailedPoll, recordPoll, registerClusters } = await import("@/lib/store");
const { loadMetrics } = await import("@/lib/ui/server/loaders");
const { parsePrometheusText } = await import("@/lib/ui/testing/prometheus-text");
const { paths } = await import("@/lib/ui/urls");
const { SCALED_SETTINGS } = await import("../../e2e/integration/detection/detection-session");
const { startKafka } = await import("../kafka/cluster");
const { runHangingTransaction, runRiskyConfigs, runStuckTransaction, runUnstableTransactionalId, runZombieFencing } = await import("../scenarios");
type Sample = import("@/lib/ui/testing/prometheus-text").Sample;

const CLUSTER = "prod";
const BASE = process.env.DASHBOARD_URL;
const OUT = path.join(process.cwd(), "deploy/prometheus/tests/alerts.test.yml");

const seriesKey = (s: Sample) => `${s.name}{${Object.entries(s.labels).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(",")}}`;

async function main() {
  const kafka = await startKafka({ version: "4.4.0", nodes: 1, name: "alert-series", brokerConfig: { "transaction.partition.verification.enable": "false" } });
  const scrapes: Sample[][] = [];
  const scrape = async () => {
    scrapes.push(parsePrometheusText((await loadMetrics()).body));
    return scrapes.length - 1;
  };
  const has = (i: number, name: string, labels: Record<string, string>, value?: number) =>
    scrapes[i].some((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v) && (value === undefined || s.value === value));
  const first = (name: string, labels: Record<string, string>, value?: number) => scrapes.findIndex((_, i) => has(i, name, labels, value));
  const firstHeld = (partition: Record<string, string>) =>
    scrapes.findIndex((samples) => samples.some((s) => s.name === "eos_auditor_partition_txn_held_offsets" && s.value > 0 && Object.entries(partition).every(([k, v]) => s.labels[k] === v)));

  await ensureDatabase(process.env.DATABASE_URL!);
  const clusters = [{ name: CLUSTER, brokers: kafka.brokers }];
  await registerClusters(clusters, new Date());
  const collector = new ClusterCollector({ name: CLUSTER, brokers: kafka.brokers, clientId: "alert-series", ssl: false });
  const poller = startPoller({
    clusters,
    intervalMs: STEP_MS,
    collect: () => collector.collect(),
    analyze: (snapshot, previous, now) => {
      const result = runDetectors({ snapshot, previous: previous as Parameters<typeof runDetectors>[0]["previous"], now, settings: SCALED_SETTINGS });
      return { findings: result.findings, state: result.state };
    },
    store: { loadAnalysisState: getAnalysisState, recordPoll: (s, f, o) => recordPoll(s, f, o), recordFailedPoll: (input) => recordFailedPoll(input) },
    log: { info: () => {}, warn: () => {}, error: (m) => console.error(m) },
  });
  const tick = () => new Promise((resolve) => setTimeout(resolve, STEP_MS));
  const ctx = { brokers: kafka.brokers, prefix: "rec-", log: (m: string) => console.log(m) };
  try {
    for (let i = 0; i < 3; i++) await scrape().then(tick);
    const stuck = await runStuckTransaction(ctx, { transactionTimeoutMs: 60_000 });
    const hanging = await runHangingTransaction(ctx, { onStop: "abort" });
    const fencing = await runZombieFencing(ctx, { rounds: 8, intervalMs: 3000, commitMs: 500 });
    const unstable = await runUnstableTransactionalId(ctx, {});
    // Unclean leader election on a transactionally written topic: a critical finding without an alert of its own.
    const risky = await runRiskyConfigs(ctx, { replicationFactor: 1 });
    // Both transactions pin their partition's LSO: the stuck one until it is aborted, the hanging one for good.
    const pinned = [stuck.info, hanging.info].map((i) => ({ cluster_name: CLUSTER, topic: i.topic, partition: String(i.partition) }));
    const keys = {
      hanging: findingKey(CLUSTER, "hanging-transaction", { topic: hanging.info.topic, partition: hanging.info.partition, transactionalId: hanging.info.transactionalId }),
      fight: findingKey(CLUSTER, "fencing-fight", { transactionalId: fencing.info.transactionalId }),
      lost: findingKey(CLUSTER, "lost-fencing", { transactionalId: `${unstable.info.transactionalIdPrefix}*` }),
    };
    // Until every situation is exported and the LSO has been held 13 scrapes ("minutes"): the LSO-stuck window.
    const critical = () => scrapes.findIndex((samples) => samples.some(isOtherCritical));
    for (let i = 0; i < 120; i++) {
      const at = await scrape();
      // Each situation exported at least two scrapes before the end, so the expected alerts have fired by then.
      const since = (i: number) => i >= 0 && i <= at - 2;
      const seen = [keys.hanging, keys.fight, keys.lost].every((key) => since(first("eos_auditor_finding_open", { key })));
      const blocked = first("eos_auditor_consumergroup_verdict", { group: stuck.info.groupId, verdict: "TXN_BLOCKED" }, 1);
      const held = Math.max(...pinned.map(firstHeld));
      console.log(`scrape ${at}: findings ${seen}, blocked ${blocked}, held ${held}, other critical ${critical()}`);
      if (seen && since(blocked) && held >= 0 && at >= held + 13 && since(critical())) break;
      await tick();
    }
    for (const s of [stuck, hanging, fencing, unstable, risky]) await s.stop();
    await scrape().then(tick);
    await kafka.stop();
    const stoppedAt = scrapes.length;
    for (let i = 0; i < 9; i++) await tick().then(scrape);
    writeTestFile(scrapes, { keys, stuckGroup: stuck.info.groupId, pinned, stoppedAt, first, firstHeld });
  } finally {
    await poller.stop();
    await collector.close();
    await closeDatabase();
    await kafka.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Timeline {
  keys: { hanging: string; fight: string; lost: string };
  stuckGroup: string;
  /** Partitions whose LSO a scenario's transaction pins (cluster_name, topic, partition labels). */
  pinned: Record<string, string>[];
  stoppedAt: number;
  first: (name: string, labels: Record<string, string>, value?: number) => number;
  /** First scrape at which the partition had offsets held back. */
  firstHeld: (partition: Record<string, string>) => number;
}

/** An open critical finding of a kind without its own alert (KafkaEosCriticalFinding). */
const isOtherCritical = (s: Sample) =>
  s.name === "eos_auditor_finding_open" && s.labels.severity === "critical" && !["hanging-transaction", "fencing-fight", "lost-fencing"].includes(s.labels.kind);

const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
const minute = (i: number) => `${i}m`;

function writeTestFile(scrapes: Sample[][], t: Timeline): void {
  // Values per series, "stale" where a series went missing (as Prometheus marks it), "_" while it does not exist.
  const series = new Map<string, (number | null)[]>();
  scrapes.forEach((samples, i) => {
    for (const s of samples) {
      const key = seriesKey(s);
      if (!series.has(key)) series.set(key, Array(scrapes.length).fill(null));
      series.get(key)![i] = s.value;
    }
  });
  const input_series = [...series].map(([key, values]) => ({
    series: key,
    values: values.map((v, i) => (v !== null ? String(v) : i > 0 && values[i - 1] !== null ? "stale" : "_")).join(" "),
  }));
  const valueAt = (i: number, name: string, labels: Record<string, string>) =>
    scrapes[i].find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

  const findingAlert = (alertname: string, kind: string, key: string, severity: string) => {
    const shown = t.first("eos_auditor_finding_open", { key });
    const at = shown + 1;
    const firstSeen = valueAt(at, "eos_auditor_finding_first_seen_timestamp_seconds", { key })!;
    return [
      { eval_time: minute(shown - 1), alertname, exp_alerts: [] },
      {
        eval_time: minute(at),
        alertname,
        exp_alerts: [
          {
            exp_labels: { cluster_name: CLUSTER, kind, key, severity },
            exp_annotations: {
              ...ANNOTATION_TEXT[alertname],
              runbook_url: `${BASE}${paths.findingByKey(CLUSTER, key)}`,
              dashboard_url: `${BASE}/clusters/${CLUSTER}/transactions?at=${iso(firstSeen)}`,
            },
          },
        ],
      },
    ];
  };

  // KafkaLsoStuck fires 11 scrapes after a partition's offsets are first held (10 m window, then for 1 m).
  const held = t.pinned.map((p) => ({ partition: p, from: t.firstHeld(p) }));
  const lsoAt = Math.max(...held.map((h) => h.from)) + 12;
  const lsoSilentAt = Math.min(...held.map((h) => h.from)) + 5;
  const minHeld = (p: Record<string, string>) =>
    Math.min(...Array.from({ length: 11 }, (_, j) => valueAt(lsoAt - 10 + j, "eos_auditor_partition_txn_held_offsets", p)!));
  const blocked = t.first("eos_auditor_consumergroup_verdict", { group: t.stuckGroup, verdict: "TXN_BLOCKED" }, 1);
  const stale = t.first("eos_auditor_data_stale", { cluster_name: CLUSTER }, 1);
  const last = scrapes.length - 1;
  const criticalFrom = scrapes.findIndex((samples) => samples.some(isOtherCritical));
  const criticalAt = (i: number) =>
    scrapes[i]
      .filter(isOtherCritical)
      .map((s) => ({
        exp_labels: { ...s.labels, severity: "critical" },
        exp_annotations: {
          summary: `Critical ${s.labels.kind} finding on Kafka cluster ${CLUSTER}`,
          description: `The auditor reports a critical exactly-once problem (${s.labels.kind}); the finding page explains it and what to do.`,
          runbook_url: `${BASE}${paths.findingByKey(CLUSTER, s.labels.key)}`,
          dashboard_url: `${BASE}/clusters/${CLUSTER}?at=${iso(valueAt(i, "eos_auditor_finding_first_seen_timestamp_seconds", { key: s.labels.key })!)}`,
        },
      }));
  const lagHeld = valueAt(blocked + 2, "eos_auditor_consumergroup_txn_held_lag", { group: t.stuckGroup })!;
  const alertTests = [
    ...findingAlert("KafkaHangingTransaction", "hanging-transaction", t.keys.hanging, "critical"),
    ...findingAlert("KafkaFencingFight", "fencing-fight", t.keys.fight, "critical"),
    ...findingAlert("KafkaLostFencing", "lost-fencing", t.keys.lost, "warning"),
    { eval_time: minute(lsoSilentAt), alertname: "KafkaLsoStuck", exp_alerts: [] },
    {
      eval_time: minute(lsoAt),
      alertname: "KafkaLsoStuck",
      exp_alerts: t.pinned.map((p) => ({
        exp_labels: { ...p, severity: "warning" },
        exp_annotations: {
          summary: `LSO of ${p.topic}-${p.partition} stuck for 10 minutes on ${CLUSTER}`,
          description: `At least ${minHeld(p)} offsets have been held back from read_committed consumers for 10 minutes by a transaction that does not end.`,
          runbook_url: `${BASE}/clusters/${CLUSTER}/findings`,
          dashboard_url: `${BASE}/clusters/${CLUSTER}/topics/${encodeURIComponent(p.topic)}?at=${iso(lsoAt * 60)}`,
        },
      })),
    },
    { eval_time: minute(blocked - 1), alertname: "KafkaConsumerGroupBlockedByTransaction", exp_alerts: [] },
    {
      eval_time: minute(blocked + 2),
      alertname: "KafkaConsumerGroupBlockedByTransaction",
      exp_alerts: [
        {
          exp_labels: { cluster_name: CLUSTER, group: t.stuckGroup, verdict: "TXN_BLOCKED", severity: "warning" },
          exp_annotations: {
            summary: `Consumer group ${t.stuckGroup} on ${CLUSTER} waits behind an open transaction`,
            description: `The group has read everything up to the LSO; ${lagHeld} records behind it are held by a transaction that has not ended.`,
            runbook_url: `${BASE}/clusters/${CLUSTER}/findings`,
            dashboard_url: `${BASE}/clusters/${CLUSTER}/groups/${encodeURIComponent(t.stuckGroup)}?at=${iso((blocked + 2) * 60)}`,
          },
        },
      ],
    },
    { eval_time: minute(criticalFrom - 1), alertname: "KafkaEosCriticalFinding", exp_alerts: criticalAt(criticalFrom - 1) },
    { eval_time: minute(criticalFrom), alertname: "KafkaEosCriticalFinding", exp_alerts: criticalAt(criticalFrom) },
    { eval_time: minute(t.stoppedAt - 1), alertname: "KafkaEosAuditorStale", exp_alerts: [] },
    {
      eval_time: minute(last),
      alertname: "KafkaEosAuditorStale",
      exp_alerts:
        last >= stale + 2
          ? [
              {
                exp_labels: { cluster_name: CLUSTER, severity: "warning" },
                exp_annotations: {
                  ...ANNOTATION_TEXT.KafkaEosAuditorStale,
                  runbook_url: `${BASE}/clusters/${CLUSTER}`,
                  dashboard_url: `${BASE}/?at=${iso(last * 60)}`,
                },
              },
            ]
          : [],
    },
    { eval_time: minute(t.stoppedAt - 1), alertname: "KafkaEosAuditorPollsFailing", exp_alerts: [] },
    {
      eval_time: minute(last),
      alertname: "KafkaEosAuditorPollsFailing",
      exp_alerts: [
        {
          exp_labels: { cluster_name: CLUSTER, status: "complete", severity: "warning" },
          exp_annotations: {
            ...ANNOTATION_TEXT.KafkaEosAuditorPollsFailing,
            runbook_url: `${BASE}/clusters/${CLUSTER}`,
            dashboard_url: `${BASE}/clusters/${CLUSTER}?at=${iso(last * 60)}`,
          },
        },
      ],
    },
    { eval_time: minute(last), alertname: "KafkaEosAuditorDown", exp_alerts: [] },
  ];
  if (!(stale >= 0 && stale < last - 1)) throw new Error(`the stale flag came too late to test (scrape ${stale} of ${last})`);
  const header =
    "# Generated by scripts/metrics/record-alert-series.ts from real scenarios on Kafka 4.4.0 (see its header): one\n" +
    "# recorded scrape per minute of series. Regenerate after changing the metrics; do not edit by hand.\n";
  const doc = {
    rule_files: ["../alerts.yml"],
    evaluation_interval: "1m",
    tests: [{ interval: "1m", input_series, alert_rule_test: alertTests }],
  };
  writeFileSync(OUT, header + stringify(doc, { lineWidth: 0 }));
  console.log(`wrote ${OUT}: ${input_series.length} series, ${scrapes.length} scrapes`);
}

/** The rules' summary and description, rendered for this recording's cluster. */
const ANNOTATION_TEXT: Record<string, { summary: string; description: string }> = {
  KafkaHangingTransaction: {
    summary: `Hanging transaction on Kafka cluster ${CLUSTER}`,
    description: "A transaction no coordinator will ever complete pins the LSO of a partition: read_committed consumers of it receive nothing past it until it is aborted.",
  },
  KafkaFencingFight: {
    summary: `Fencing fight on Kafka cluster ${CLUSTER}`,
    description: "Instances sharing one transactional.id keep fencing each other: transactions rarely complete and input is reprocessed.",
  },
  KafkaLostFencing: {
    summary: `Producers on ${CLUSTER} take a new transactional.id on every start: zombies are never fenced`,
    description: "Without a stable transactional.id a restarted instance cannot fence its predecessor, so exactly-once does not hold across restarts.",
  },
  KafkaEosAuditorStale: {
    summary: `The auditor's data for ${CLUSTER} is stale`,
    description: "No poll has produced data for three poll intervals: the dashboard and every other alert about this cluster are blind.",
  },
  KafkaEosAuditorPollsFailing: {
    summary: `Polls of ${CLUSTER} have not completed for 5 minutes`,
    description: "Every poll was partial or failed: some numbers are missing or old, and findings cannot resolve.",
  },
};

await main();
