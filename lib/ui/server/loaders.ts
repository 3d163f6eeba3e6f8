import { computeGroupLag } from "@/lib/analysis/detectors/eos-lag";
import { partitionRates, type PartitionSample } from "@/lib/analysis/partition-history";
import { DEFAULT_SETTINGS } from "@/lib/analysis/settings";
import { buildIndex } from "@/lib/analysis/snapshot-index";
import type { CommandContext } from "@/lib/analysis/commands";
import { configuredCluster, redactedSecurity } from "@/lib/config/clusters";
import { commandContext } from "@/lib/config/command-context";
import { env } from "@/lib/config/env";
import type { ClusterSnapshot } from "@/lib/snapshot/types";
import { discoverPipelines, type DetectorState } from "@/lib/analysis";
import {
  getAnalysisState,
  getFinding,
  getFindingOccurrences,
  getGroupLagSeries,
  getLastCompletePollAt,
  getLatestSnapshot,
  getPartitionHistory,
  topicRollupView,
  transactionRollupView,
  getTransactionRollups,
  countActiveTransactionalIds,
  getSnapshotAt,
  getPartitionValuesAt,
  getTransactionalIdEvents,
  getTransactionalIdStates,
  listClusters,
  listFindings,
  type ClusterOverview,
  type FindingView,
  type StoredSnapshot,
} from "@/lib/store/queries";
import { version } from "@/package.json";
import { getCapacityRollups } from "@/lib/store/capacity-rollups";
import { unstoredRollups } from "@/lib/store/retention";
import { listRemediationAudit, type RemediationAuditView } from "@/lib/store/remediation-audit";
import { clusterOverview } from "../cluster-view";
import { clientPropertiesDto, commandDtos } from "../finding-view";
import { familyIds, idTimelineKind, timelineWindow } from "../id-timeline";
import type {
  CapacityDto,
  CapacityRange,
  ClusterDto,
  ConfigRisksDto,
  HotPartitionsDto,
  PipelinesDto,
  ClustersDto,
  RemediationAuditDto,
  FindingDetailDto,
  FindingDto,
  IdTimelineDto,
  IdTimelinePoint,
  FindingsDto,
  GroupDetailDto,
  GroupHistoryDto,
  GroupsDto,
  PollStatusDto,
  TopicDetailDto,
  TopicHistoryDto,
  TopicsDto,
  TransactionDetailDto,
  TransactionsDto,
} from "../dto";
import { groupDetail, groupRows, verdictsFromFindings } from "../group-view";
import { metricsRegistry, type ClusterMetricsInput, type MetricsPartitions } from "../metrics";
import { partitionKey, topicDetail, topicRows, type PartitionRates } from "../topic-view";
import { capacityRows, groupConfigRisks, topSkewedPartitions, transactionCapacity } from "../section-views";
import { partitionRateCells } from "../series";
import { chartResolution, thinPolls } from "../downsample";
import { groupsBlockedBy, transactionRow, transactionRows } from "../transaction-view";
import { BadRequestError, NotFoundError } from "./errors";
import { DAY_MS, HOUR_MS, bucketMs, floorTo } from "@/lib/time";

// Server-side composition for the API routes: store reads in, view DTOs out. Kept apart from the routes
// so each route stays a parse-call-respond one-liner.

const ms = (d: Date | null) => (d ? d.getTime() : null);

function pollStatus(c: ClusterOverview): PollStatusDto {
  return {
    lastPollAt: ms(c.lastPoll?.startedAt ?? null),
    lastPollComplete: c.lastPoll?.complete ?? null,
    lastPollError: c.lastPoll?.error ?? null,
    lastSnapshotAt: ms(c.lastSnapshotAt),
  };
}


export function findingDto(f: FindingView, context: CommandContext): FindingDto {
  const commands = commandDtos(f.commands, context);
  return {
    id: f.id,
    key: f.key,
    kind: f.kind,
    severity: f.severity,
    subject: f.subject,
    title: f.title,
    evidence: f.evidence,
    explanation: f.explanation,
    remediation: f.remediation,
    commands,
    clientProperties: clientPropertiesDto(commands, context),
    firstSeenAt: f.firstSeenAt.getTime(),
    lastSeenAt: f.lastSeenAt.getTime(),
    resolvedAt: ms(f.resolvedAt),
  };
}

/** A cluster's interval and security settings from the configuration; secrets never leave this function. */
function clusterSettings(name: string) {
  const config = configuredCluster(name);
  return {
    pollIntervalMs: config?.pollIntervalMs ?? env().POLL_INTERVAL_MS,
    security: config ? redactedSecurity(config) : null,
  };
}

export async function loadClusters(at: Date | undefined): Promise<ClustersDto> {
  const clusters = await listClusters({ at });
  return {
    pollIntervalMs: env().POLL_INTERVAL_MS,
    now: Date.now(),
    clusters: clusters.map((c) => ({
      name: c.name,
      poll: pollStatus(c),
      ...clusterSettings(c.name),
      openFindings: { critical: c.openFindings.critical, warning: c.openFindings.warning, info: c.openFindings.info },
    })),
  };
}

async function requireCluster(cluster: string): Promise<ClusterOverview> {
  const found = (await listClusters()).find((c) => c.name === cluster);
  if (!found) throw new NotFoundError(`Unknown cluster: ${cluster}`);
  return found;
}

/** How commands are rendered for a cluster: its configured connection, else the brokers it was last polled at. */
async function clusterCommandContext(cluster: string): Promise<CommandContext> {
  const configured = configuredCluster(cluster);
  return configured ? commandContext(configured) : { bootstrapServers: (await requireCluster(cluster)).brokers };
}

async function findingDtos(cluster: string, findings: FindingView[]): Promise<FindingDto[]> {
  const context = await clusterCommandContext(cluster);
  return findings.map((f) => findingDto(f, context));
}

/** `known`: the cluster's overview when the caller already read it (listClusters is a read of its own). */
async function loadSnapshot(cluster: string, at: Date | undefined, known?: ClusterOverview): Promise<StoredSnapshot> {
  const info = known ?? (await requireCluster(cluster));
  const stored = at ? await getSnapshotAt(cluster, at) : await getLatestSnapshot(cluster);
  if (!stored) {
    const lastError = info.lastPoll?.error ? ` The last attempt failed: ${info.lastPoll.error}` : "";
    throw new NotFoundError(
      at
        ? `No snapshot of ${cluster} at or before ${at.toISOString()} is kept (snapshots are kept for 48 h).`
        : `No poll of ${cluster} has produced data yet.${lastError}`,
    );
  }
  return stored;
}

export async function loadCluster(cluster: string, at: Date | undefined): Promise<ClusterDto> {
  const info = await requireCluster(cluster);
  const stored = await loadSnapshot(cluster, at, info);
  return {
    name: cluster,
    poll: pollStatus(info),
    ...clusterSettings(cluster),
    now: Date.now(),
    overview: clusterOverview(stored.snapshot),
  };
}

export async function loadFindings(cluster: string, at: Date | undefined, status: "open" | "all"): Promise<FindingsDto> {
  await requireCluster(cluster);
  return { cluster, findings: await findingDtos(cluster, await listFindings({ cluster, at, status })) };
}

export async function loadFinding(cluster: string, id: string): Promise<FindingDetailDto> {
  const f = await getFinding(id);
  if (!f || f.cluster !== cluster) throw new NotFoundError(`No finding ${id} on cluster ${cluster} (resolved findings are kept 90 days).`);
  const [context, audit] = await Promise.all([clusterCommandContext(cluster), listRemediationAudit({ cluster, findingId: id })]);
  const finding = findingDto(f, context);
  const now = Date.now();
  return { cluster, finding, now, idTimeline: await idTimeline(cluster, finding, now), remediationAudit: audit.map(auditDto) };
}

const ID_TIMELINE_EVENTS = 500;

async function idTimeline(cluster: string, f: FindingDto, now: number): Promise<IdTimelineDto | null> {
  const kind = idTimelineKind(f);
  if (kind === "epochs") {
    const { from, to } = timelineWindow(f, now);
    const events = await getTransactionalIdEvents(cluster, { transactionalId: f.subject.transactionalId!, from: new Date(from), to: new Date(to), limit: ID_TIMELINE_EVENTS });
    // State changes repeat the (producer id, epoch) they happened under: only changes of the pair are its history.
    const points = events.reverse().filter((e) => e.kind !== "state-change").map(({ at, transactionalId, producerId, epoch, kind: event }) => ({ at: at.getTime(), transactionalId, producerId, epoch, event }));
    return { kind, points };
  }
  if (kind === "appearances") {
    // An id the coordinator still lists has its first sighting in its state; one it dropped, in its "appeared" event.
    const states = new Map((await getTransactionalIdStates(cluster)).map((s) => [s.transactionalId, s]));
    const points = await Promise.all(
      familyIds(f.evidence).map(async (transactionalId): Promise<IdTimelinePoint | null> => {
        const state = states.get(transactionalId);
        if (state) return { at: state.firstSeenAt.getTime(), transactionalId, producerId: state.producerId, epoch: state.producerEpoch, event: "first seen" };
        const appeared = (await getTransactionalIdEvents(cluster, { transactionalId })).findLast((e) => e.kind === "appeared");
        return appeared ? { at: appeared.at.getTime(), transactionalId, producerId: appeared.producerId, epoch: appeared.epoch, event: appeared.kind } : null;
      }),
    );
    return { kind, points: points.filter((p): p is IdTimelinePoint => p !== null).sort((a, b) => a.at - b.at) };
  }
  return null;
}

function auditDto({ at, action: _action, cluster: _cluster, ...rest }: RemediationAuditView): RemediationAuditDto {
  return { ...rest, at: at.getTime() };
}

/** The newest finding (open or resolved) with a stable key: where an alert's link lands; null when none is kept. */
export async function newestFindingWithKey(cluster: string, key: string): Promise<string | null> {
  const [newest] = await getFindingOccurrences(cluster, key);
  return newest?.id ?? null;
}

export async function loadTransactions(cluster: string, at: Date | undefined): Promise<TransactionsDto> {
  const { snapshot } = await loadSnapshot(cluster, at);
  return { cluster, collectedAt: snapshot.collectedAt, rows: transactionRows(snapshot) };
}

export async function loadTransaction(cluster: string, transactionalId: string, at: Date | undefined): Promise<TransactionDetailDto> {
  const { snapshot } = await loadSnapshot(cluster, at);
  const [events, findings, audit] = await Promise.all([
    getTransactionalIdEvents(cluster, { transactionalId, to: at, limit: 500 }),
    listFindings({ cluster, at, status: "all" }),
    listRemediationAudit({ cluster, transactionalId }),
  ]);
  const t = snapshot.transactions.find((x) => x.transactionalId === transactionalId) ?? null;
  const related = findings.filter((f) => f.subject.transactionalId === transactionalId);
  if (!t && events.length === 0 && related.length === 0) {
    throw new NotFoundError(`Transactional id not seen on ${cluster}: ${transactionalId}`);
  }
  return {
    cluster,
    collectedAt: snapshot.collectedAt,
    transaction: t ? transactionRow(t, snapshot.collectedAt) : null,
    blockedGroups: t ? groupsBlockedBy(snapshot, t) : [],
    events: events.map((e) => ({
      at: e.at.getTime(),
      kind: e.kind,
      fromState: e.fromState,
      toState: e.toState,
      producerId: e.producerId,
      epoch: e.epoch,
      prevProducerId: e.prevProducerId,
      prevEpoch: e.prevEpoch,
    })),
    findings: await findingDtos(cluster, related),
    remediationAudit: audit.filter((a) => !at || a.at <= at).map(auditDto),
  };
}

/**
 * Records/s per partition between the previous kept poll and this one, by analysis' rate arithmetic over the two
 * samples its fold would hold (a sample only where the HW was read). The previous poll is read from the
 * history's columns alone.
 */
async function ratesFor(cluster: string, snapshot: ClusterSnapshot): Promise<PartitionRates> {
  const previous = await getPartitionValuesAt(cluster, new Date(snapshot.collectedAt - 1));
  const rates = new Map<string, number>();
  if (!previous) return rates;
  const before = previous.collectedAt.getTime();
  for (const topic of snapshot.topics) {
    for (const p of topic.partitions) {
      const v = previous.valuesOf(topic.name, p.partition);
      if (v?.hw == null || p.highWatermark === null) continue;
      const samples: PartitionSample[] = [
        [before, v.hw, v.sizeBytes],
        [snapshot.collectedAt, p.highWatermark, p.sizeBytes],
      ];
      const rate = partitionRates({ samples }).recordsPerSec;
      if (rate != null) rates.set(partitionKey(topic.name, p.partition), rate);
    }
  }
  return rates;
}

export async function loadTopics(cluster: string, at: Date | undefined): Promise<TopicsDto> {
  const { snapshot } = await loadSnapshot(cluster, at);
  const rates = await ratesFor(cluster, snapshot);
  return { cluster, collectedAt: snapshot.collectedAt, hasRates: rates.size > 0, rows: topicRows(snapshot, rates) };
}

export async function loadTopic(cluster: string, topic: string, at: Date | undefined): Promise<TopicDetailDto> {
  const { snapshot } = await loadSnapshot(cluster, at);
  // Rates are per partition: the topic's own are all its page needs.
  const detail = topicDetail(snapshot, topic, await ratesFor(cluster, { ...snapshot, topics: snapshot.topics.filter((t) => t.name === topic) }));
  if (!detail) throw new NotFoundError(`Topic not found on ${cluster} at this poll: ${topic}`);
  return detail;
}

export interface RangeInput {
  from?: Date;
  to?: Date;
  windowMs?: number;
}

function resolveRange(range: RangeInput): { from: Date; to: Date } {
  const to = range.to ?? new Date();
  const from = range.from ?? new Date(to.getTime() - (range.windowMs ?? HOUR_MS));
  if (from > to) throw new BadRequestError("from must be before to");
  if (to.getTime() - from.getTime() > 7 * 24 * HOUR_MS) throw new BadRequestError("range is limited to 7 days of per-poll samples");
  return { from, to };
}

/**
 * A chart's points at the resolution its window gets (see downsample.ts): grouped per poll, thinned by `value` of
 * each poll's points, flattened back in time order.
 */
function atChartResolution<P extends { at: Date }>(points: P[], range: { from: Date; to: Date }, value: (poll: P[]) => number | null) {
  const resolution = chartResolution(range.from.getTime(), range.to.getTime());
  if (resolution.bucketMs === null) return { resolution, points };
  const polls: { at: number; points: P[] }[] = [];
  for (const p of points) {
    const last = polls.at(-1);
    if (last?.at === p.at.getTime()) last.points.push(p);
    else polls.push({ at: p.at.getTime(), points: [p] });
  }
  return { resolution, points: thinPolls(polls, resolution, (poll) => value(poll.points)).flatMap((poll) => poll.points) };
}

const sumOrNull = (values: (number | null)[]) => (values.some((v) => v === null) ? null : values.reduce<number>((a, b) => a + b!, 0));

export async function loadTopicHistory(cluster: string, topic: string, range: RangeInput & { partition?: number }): Promise<TopicHistoryDto> {
  await requireCluster(cluster);
  const { from, to } = resolveRange(range);
  const all = await getPartitionHistory(cluster, { topic, partition: range.partition, from, to });
  // A long window keeps each bucket's polls of least and most held back by open transactions (HW and LSO only
  // grow, so the bucket's first and last poll bound them).
  const { resolution, points } = atChartResolution(all, { from, to }, (poll) => sumOrNull(poll.map((p) => (p.hw === null || p.lso === null ? null : p.hw - p.lso))));
  return {
    topic,
    from: from.getTime(),
    to: to.getTime(),
    resolution,
    points: points.map((p) => ({
      at: p.at.getTime(),
      partition: p.partition,
      logStartOffset: p.logStart,
      highWatermark: p.hw,
      lastStableOffset: p.lso,
      sizeBytes: p.sizeBytes,
    })),
  };
}

/** Lag and verdicts of a snapshot's groups, as the groups pages show them, with the open findings they come from. */
async function groupViewInputs(cluster: string, snapshot: ClusterSnapshot, at: Date | undefined, onlyGroup?: string) {
  // Lag is per group: a group's page computes its own only.
  const lagged = onlyGroup === undefined ? snapshot : { ...snapshot, groups: snapshot.groups.filter((g) => g.groupId === onlyGroup) };
  const lags = computeGroupLag(buildIndex(lagged, snapshot.collectedAt, DEFAULT_SETTINGS), {}, {});
  const openFindings = await findingDtos(cluster, await listFindings({ cluster, at, status: "open" }));
  return { snapshot, lags, verdicts: verdictsFromFindings(openFindings), openFindings };
}

async function groupInputs(cluster: string, at: Date | undefined, onlyGroup?: string) {
  return groupViewInputs(cluster, (await loadSnapshot(cluster, at)).snapshot, at, onlyGroup);
}

export async function loadGroups(cluster: string, at: Date | undefined): Promise<GroupsDto> {
  const { snapshot, lags, verdicts } = await groupInputs(cluster, at);
  return { cluster, collectedAt: snapshot.collectedAt, rows: groupRows(snapshot, lags, verdicts) };
}

export async function loadGroup(cluster: string, groupId: string, at: Date | undefined): Promise<GroupDetailDto> {
  const { snapshot, lags, verdicts } = await groupInputs(cluster, at, groupId);
  const detail = groupDetail(snapshot, lags, groupId, verdicts);
  if (!detail) throw new NotFoundError(`Consumer group not found on ${cluster} at this poll: ${groupId}`);
  return detail;
}

export async function loadGroupHistory(cluster: string, groupId: string, range: RangeInput): Promise<GroupHistoryDto> {
  await requireCluster(cluster);
  const { from, to } = resolveRange(range);
  // A long window keeps each bucket's polls of least and most lag (consumable and held back together).
  const { resolution, points } = atChartResolution(await getGroupLagSeries(cluster, { groupId, from, to }), { from, to }, (poll) =>
    poll.reduce((sum, p) => sum + p.lag + p.heldBackByTransactions, 0),
  );
  return {
    groupId,
    from: from.getTime(),
    to: to.getTime(),
    resolution,
    points: points.map((p) => ({ at: p.at.getTime(), topic: p.topic, consumable: p.lag, txnBlocked: p.heldBackByTransactions })),
  };
}

export async function loadConfigRisks(cluster: string, at: Date | undefined): Promise<ConfigRisksDto> {
  await requireCluster(cluster);
  const findings = await findingDtos(cluster, await listFindings({ cluster, at, status: "open" }));
  return { cluster, groups: groupConfigRisks(findings, cluster) };
}

export async function loadPipelines(cluster: string, at: Date | undefined): Promise<PipelinesDto> {
  const { snapshot } = await loadSnapshot(cluster, at);
  // The detectors' state only exists for the newest poll: a past view uses that poll's snapshot alone.
  const state = at ? null : ((await getAnalysisState(cluster)) as DetectorState | null);
  return { cluster, collectedAt: snapshot.collectedAt, withHistory: state != null, pipelines: discoverPipelines(snapshot, state) };
}

const HEATMAP_TOPICS = 6;

export async function loadHotPartitions(cluster: string, at: Date | undefined, windowMs: number | undefined): Promise<HotPartitionsDto> {
  const { snapshot } = await loadSnapshot(cluster, at);
  const rates = await ratesFor(cluster, snapshot);
  const details = snapshot.topics
    .filter((t) => !t.internal)
    .map((t) => topicDetail(snapshot, t.name, rates)!)
    .map((d) => ({ topic: d.topic.name, rate: d.topic.ratePerSec ?? 0, partitions: d.partitions }));
  const busiest = [...details].sort((a, b) => b.rate - a.rate || a.topic.localeCompare(b.topic)).slice(0, HEATMAP_TOPICS);
  const { from, to } = resolveRange({ to: at ?? new Date(snapshot.collectedAt), windowMs: windowMs ?? HOUR_MS });
  const heatmaps = await Promise.all(
    busiest.map(async (t) => {
      const points = await getPartitionHistory(cluster, { topic: t.topic, from, to });
      return {
        topic: t.topic,
        cells: partitionRateCells(
          points.map((p) => ({ at: p.at.getTime(), partition: p.partition, logStartOffset: p.logStart, highWatermark: p.hw, lastStableOffset: p.lso, sizeBytes: p.sizeBytes })),
        ),
      };
    }),
  );
  const findings = await findingDtos(
    cluster,
    (await listFindings({ cluster, at, status: "open" })).filter((f) => f.kind === "hot-partition" || f.kind === "hot-broker"),
  );
  return { cluster, collectedAt: snapshot.collectedAt, top: topSkewedPartitions(details), heatmaps, findings };
}

export const CAPACITY_RANGES: Record<CapacityRange, { ms: number; granularity: "hour" | "day" }> = {
  "24h": { ms: DAY_MS, granularity: "hour" },
  "7d": { ms: 7 * DAY_MS, granularity: "hour" },
  "30d": { ms: 30 * DAY_MS, granularity: "day" },
  "90d": { ms: 90 * DAY_MS, granularity: "day" },
};

/** `now` is pinned by measurements only (scripts/db/measure-capacity.ts). */
export async function loadCapacity(cluster: string, range: CapacityRange, now = new Date()): Promise<CapacityDto> {
  await requireCluster(cluster);
  const { ms: span, granularity } = CAPACITY_RANGES[range];
  const to = now;
  const from = new Date(to.getTime() - span);
  const unit = bucketMs(granularity);
  // Buckets the hourly roll-up job has not stored yet (all of them on a fresh install), computed the same way.
  const unstored = (await unstoredRollups(cluster, to, granularity)).filter((r) => r.bucketStart >= from);
  const current = unstored.find((r) => r.bucketStart.getTime() === floorTo(to.getTime(), unit));
  const stored = await getCapacityRollups(cluster, { granularity, from, to });
  const rollups = [...stored.topics, ...unstored.flatMap((r) => r.topics.map(topicRollupView))];
  const points = rollups.map((r) => ({ ...r, bucketStart: r.bucketStart.getTime() }));
  const topics = [...new Set(points.map((p) => p.topic))];
  const partitionRecords = new Map<string, number[]>();
  for (const topic of topics) {
    const perPartition = new Map(stored.partitionRecords.get(topic));
    for (const r of unstored.flatMap((u) => u.partitions.filter((p) => p.topic === topic))) {
      perPartition.set(r.partition, (perPartition.get(r.partition) ?? 0) + Number(r.recordsIn));
    }
    if (perPartition.size) partitionRecords.set(topic, [...perPartition.values()]);
  }
  const [transactionRollups, activeIds] = await Promise.all([
    getTransactionRollups(cluster, { granularity, from, to }),
    countActiveTransactionalIds(cluster, { from, to }),
  ]);
  const transactions = transactionCapacity(
    [...transactionRollups, ...unstored.map((r) => transactionRollupView(r.transactions))].map((r) => ({ ...r, bucketStart: r.bucketStart.getTime() })),
    activeIds,
  );
  const partial = current ? { bucketStart: current.bucketStart.getTime(), to: (current.lastSampleAt ?? to).getTime() } : null;
  return {
    cluster,
    range,
    granularity,
    from: from.getTime(),
    to: to.getTime(),
    rows: capacityRows(points, unit, partitionRecords, partial),
    points,
    transactions,
    partial,
  };
}

async function clusterMetricsInput(info: ClusterOverview): Promise<ClusterMetricsInput> {
  const cluster = info.name;
  const base = {
    name: cluster,
    poll: pollStatus(info),
    pollIntervalMs: clusterSettings(cluster).pollIntervalMs,
    lastPollDurationMs: info.lastPoll?.durationMs ?? null,
    lastCompletePollAt: ms(await getLastCompletePollAt(cluster)),
  };
  const stored = await getLatestSnapshot(cluster);
  if (!stored) return { ...base, data: null, openFindings: await findingDtos(cluster, await listFindings({ cluster, status: "open" })) };
  const { snapshot, lags, verdicts, openFindings } = await groupViewInputs(cluster, stored.snapshot, undefined);
  return {
    ...base,
    openFindings,
    data: { snapshot, groups: groupRows(snapshot, lags, verdicts), lags, transactions: transactionRows(snapshot) },
  };
}

/** The Prometheus exposition of every cluster's latest poll (lib/ui/metrics.ts); no time travel: Prometheus keeps history. */
export async function loadMetrics(partitions: MetricsPartitions = env().METRICS_PARTITIONS): Promise<{ contentType: string; body: string }> {
  const clusters = await Promise.all((await listClusters()).map(clusterMetricsInput));
  const registry = metricsRegistry(clusters, {
    partitions,
    dashboardUrl: env().DASHBOARD_URL ?? null,
    version,
    now: Date.now(),
  });
  return { contentType: registry.contentType, body: await registry.metrics() };
}
