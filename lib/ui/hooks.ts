"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
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
import { apiPaths, withQuery } from "./urls";

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

export function useClustersQuery() {
  const live = useLive(null);
  return useQuery({
    queryKey: queryKeys.clusters(),
    queryFn: ({ signal }) => fetchJson<ClustersDto>(apiPaths.clusters(), signal),
    ...live,
  });
}

export function useClusterOverviewQuery(cluster: string, at: string | null) {
  return useQuery({
    queryKey: queryKeys.overview(cluster, { at }),
    queryFn: ({ signal }) => fetchJson<ClusterDto>(withQuery(apiPaths.cluster(cluster), { at }), signal),
    ...useLive(at),
  });
}

export function useClusterFindingsQuery(cluster: string, at: string | null, status: "open" | "all") {
  return useQuery({
    queryKey: queryKeys.findings(cluster, { at, status }),
    queryFn: ({ signal }) => fetchJson<FindingsDto>(withQuery(apiPaths.findings(cluster), { at, status }), signal),
    ...useLive(at),
  });
}

export function useFindingDetailQuery(cluster: string, id: string) {
  return useQuery({
    queryKey: queryKeys.finding(cluster, id),
    queryFn: ({ signal }) => fetchJson<FindingDetailDto>(apiPaths.finding(cluster, id), signal),
    ...useLive(null),
  });
}

export function useClusterTransactionsQuery(cluster: string, at: string | null) {
  return useQuery({
    queryKey: queryKeys.transactions(cluster, { at }),
    queryFn: ({ signal }) => fetchJson<TransactionsDto>(withQuery(apiPaths.transactions(cluster), { at }), signal),
    ...useLive(at),
  });
}

export function useTransactionDetailQuery(cluster: string, transactionalId: string, at: string | null) {
  return useQuery({
    queryKey: queryKeys.transaction(cluster, transactionalId, { at }),
    queryFn: ({ signal }) =>
      fetchJson<TransactionDetailDto>(withQuery(apiPaths.transaction(cluster, transactionalId), { at }), signal),
    ...useLive(at),
  });
}

export function useClusterTopicsQuery(cluster: string, at: string | null) {
  return useQuery({
    queryKey: queryKeys.topics(cluster, { at }),
    queryFn: ({ signal }) => fetchJson<TopicsDto>(withQuery(apiPaths.topics(cluster), { at }), signal),
    ...useLive(at),
  });
}

export function useTopicDetailQuery(cluster: string, topic: string, at: string | null) {
  return useQuery({
    queryKey: queryKeys.topic(cluster, topic, { at }),
    queryFn: ({ signal }) => fetchJson<TopicDetailDto>(withQuery(apiPaths.topic(cluster, topic), { at }), signal),
    ...useLive(at),
  });
}

export function useTopicHistoryQuery(cluster: string, topic: string | null, range: RangeParam, enabled = true) {
  return useQuery({
    queryKey: queryKeys.topicHistory(cluster, topic ?? "", range),
    queryFn: ({ signal }) =>
      fetchJson<TopicHistoryDto>(withQuery(apiPaths.topicHistory(cluster, topic ?? ""), { ...range }), signal),
    enabled: enabled && topic != null,
    ...useLive(range.to),
  });
}

export function useClusterGroupsQuery(cluster: string, at: string | null) {
  return useQuery({
    queryKey: queryKeys.groups(cluster, { at }),
    queryFn: ({ signal }) => fetchJson<GroupsDto>(withQuery(apiPaths.groups(cluster), { at }), signal),
    ...useLive(at),
  });
}

export function useGroupDetailQuery(cluster: string, groupId: string, at: string | null) {
  return useQuery({
    queryKey: queryKeys.group(cluster, groupId, { at }),
    queryFn: ({ signal }) => fetchJson<GroupDetailDto>(withQuery(apiPaths.group(cluster, groupId), { at }), signal),
    ...useLive(at),
  });
}

export function useGroupHistoryQuery(cluster: string, groupId: string | null, range: RangeParam, enabled = true) {
  return useQuery({
    queryKey: queryKeys.groupHistory(cluster, groupId ?? "", range),
    queryFn: ({ signal }) =>
      fetchJson<GroupHistoryDto>(withQuery(apiPaths.groupHistory(cluster, groupId ?? ""), { ...range }), signal),
    enabled: enabled && groupId != null,
    ...useLive(range.to),
  });
}

export function useConfigRisksQuery(cluster: string, at: string | null) {
  return useQuery({
    queryKey: queryKeys.section(cluster, "config", { at }),
    queryFn: ({ signal }) => fetchJson<ConfigRisksDto>(withQuery(apiPaths.config(cluster), { at }), signal),
    ...useLive(at),
  });
}

export function usePipelinesQuery(cluster: string, at: string | null) {
  return useQuery({
    queryKey: queryKeys.section(cluster, "pipelines", { at }),
    queryFn: ({ signal }) => fetchJson<PipelinesDto>(withQuery(apiPaths.pipelines(cluster), { at }), signal),
    ...useLive(at),
  });
}

export function useHotPartitionsQuery(cluster: string, at: string | null, windowMs: number) {
  return useQuery({
    queryKey: queryKeys.section(cluster, "hot-partitions", { at, windowMs: String(windowMs) }),
    queryFn: ({ signal }) => fetchJson<HotPartitionsDto>(withQuery(apiPaths.hotPartitions(cluster), { at, windowMs }), signal),
    ...useLive(at),
  });
}

export function useCapacityQuery(cluster: string, range: CapacityRange) {
  return useQuery({
    queryKey: queryKeys.section(cluster, "capacity", { range }),
    queryFn: ({ signal }) => fetchJson<CapacityDto>(withQuery(apiPaths.capacity(cluster), { range }), signal),
    // Roll-ups change hourly: no need to follow every poll.
    refetchInterval: 5 * 60_000,
  });
}
