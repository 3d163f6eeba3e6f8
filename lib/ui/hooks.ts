"use client";

import { keepPreviousData, useQuery, type QueryKey } from "@tanstack/react-query";
import { createContext, useContext } from "react";
import { fetchJson } from "./api-client";
import type {
  CapacityDto,
  CapacityRange,
  ClusterDto,
  ConfigRisksDto,
  HotPartitionsDto,
  PipelinesDto,
  ClustersDto,
  FindingDetailDto,
  FindingNotificationsDto,
  FindingsDto,
  GroupDetailDto,
  GroupHistoryDto,
  GroupsDto,
  TopicDetailDto,
  TopicHistoryDto,
  TopicsDto,
  TransactionDetailDto,
  TransactionsDto,
} from "./dto";
import { queryKeys, type RangeParam } from "./query-keys";
import { apiPaths, withQuery, type SearchValue } from "./urls";

/** Poll interval of the backend, provided once by the root layout. */
export const PollIntervalContext = createContext<number>(15_000);

/**
 * Live views refetch once per poll; a time-travel view (`at` set) shows a past poll that never changes.
 * Previous data stays on screen while a refetch runs so a 3 a.m. page never flickers to a spinner.
 */
function useLive(at: string | null) {
  const interval = useContext(PollIntervalContext);
  return { refetchInterval: at ? (false as const) : interval, placeholderData: keepPreviousData };
}

/** A view of one poll, the latest or (with `at`) a past one; `query` adds URL parameters after `at`. */
function usePollViewQuery<T>(queryKey: QueryKey, path: string, at: string | null, query: Record<string, SearchValue> = {}) {
  return useQuery({
    queryKey,
    queryFn: ({ signal }) => fetchJson<T>(withQuery(path, { at, ...query }), signal),
    ...useLive(at),
  });
}

/** Samples over a chart window; a window that ends now follows the polls. */
function useHistoryQuery<T>(queryKey: QueryKey, path: string, range: RangeParam & { partition?: number | null }, enabled: boolean) {
  return useQuery({
    queryKey,
    queryFn: ({ signal }) => fetchJson<T>(withQuery(path, { ...range }), signal),
    enabled,
    ...useLive(range.to),
  });
}

/** Every cluster's live status (header, freshness banners); with `at`, the overview as of that time. */
export function useClustersQuery(at: string | null = null) {
  return usePollViewQuery<ClustersDto>(at ? queryKeys.clustersAt({ at }) : queryKeys.clusters(), apiPaths.clusters(), at);
}

export function useClusterOverviewQuery(cluster: string, at: string | null) {
  return usePollViewQuery<ClusterDto>(queryKeys.overview(cluster, { at }), apiPaths.cluster(cluster), at);
}

export function useClusterFindingsQuery(cluster: string, at: string | null, status: "open" | "all") {
  return usePollViewQuery<FindingsDto>(queryKeys.findings(cluster, { at, status }), apiPaths.findings(cluster), at, { status });
}

export function useFindingDetailQuery(cluster: string, id: string) {
  return usePollViewQuery<FindingDetailDto>(queryKeys.finding(cluster, id), apiPaths.finding(cluster, id), null);
}

export function useFindingNotificationsQuery(cluster: string, id: string) {
  return usePollViewQuery<FindingNotificationsDto>(queryKeys.findingNotifications(cluster, id), apiPaths.findingNotifications(cluster, id), null);
}

export function useClusterTransactionsQuery(cluster: string, at: string | null) {
  return usePollViewQuery<TransactionsDto>(queryKeys.transactions(cluster, { at }), apiPaths.transactions(cluster), at);
}

export function useTransactionDetailQuery(cluster: string, transactionalId: string, at: string | null) {
  return usePollViewQuery<TransactionDetailDto>(
    queryKeys.transaction(cluster, transactionalId, { at }),
    apiPaths.transaction(cluster, transactionalId),
    at,
  );
}

export function useClusterTopicsQuery(cluster: string, at: string | null) {
  return usePollViewQuery<TopicsDto>(queryKeys.topics(cluster, { at }), apiPaths.topics(cluster), at);
}

export function useTopicDetailQuery(cluster: string, topic: string, at: string | null) {
  return usePollViewQuery<TopicDetailDto>(queryKeys.topic(cluster, topic, { at }), apiPaths.topic(cluster, topic), at);
}

/** One partition's offsets over a chart window. */
export function useTopicHistoryQuery(cluster: string, topic: string | null, partition: number, range: RangeParam, enabled = true) {
  const query = { ...range, partition };
  return useHistoryQuery<TopicHistoryDto>(
    queryKeys.topicHistory(cluster, topic ?? "", query),
    apiPaths.topicHistory(cluster, topic ?? ""),
    query,
    enabled && topic != null,
  );
}

export function useClusterGroupsQuery(cluster: string, at: string | null) {
  return usePollViewQuery<GroupsDto>(queryKeys.groups(cluster, { at }), apiPaths.groups(cluster), at);
}

export function useGroupDetailQuery(cluster: string, groupId: string, at: string | null) {
  return usePollViewQuery<GroupDetailDto>(queryKeys.group(cluster, groupId, { at }), apiPaths.group(cluster, groupId), at);
}

export function useGroupHistoryQuery(cluster: string, groupId: string | null, range: RangeParam, enabled = true) {
  return useHistoryQuery<GroupHistoryDto>(
    queryKeys.groupHistory(cluster, groupId ?? "", range),
    apiPaths.groupHistory(cluster, groupId ?? ""),
    range,
    enabled && groupId != null,
  );
}

export function useConfigRisksQuery(cluster: string, at: string | null) {
  return usePollViewQuery<ConfigRisksDto>(queryKeys.section(cluster, "config", { at }), apiPaths.config(cluster), at);
}

export function usePipelinesQuery(cluster: string, at: string | null) {
  return usePollViewQuery<PipelinesDto>(queryKeys.section(cluster, "pipelines", { at }), apiPaths.pipelines(cluster), at);
}

export function useHotPartitionsQuery(cluster: string, at: string | null, windowMs: number) {
  return usePollViewQuery<HotPartitionsDto>(
    queryKeys.section(cluster, "hot-partitions", { at, windowMs: String(windowMs) }),
    apiPaths.hotPartitions(cluster),
    at,
    { windowMs },
  );
}

export function useCapacityQuery(cluster: string, range: CapacityRange) {
  return useQuery({
    queryKey: queryKeys.section(cluster, "capacity", { range }),
    queryFn: ({ signal }) => fetchJson<CapacityDto>(withQuery(apiPaths.capacity(cluster), { range }), signal),
    // Roll-ups change hourly: no need to follow every poll.
    refetchInterval: 5 * 60_000,
  });
}
