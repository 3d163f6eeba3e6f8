// Nested query keys: invalidating ['clusters', name] refreshes everything about one cluster.

export interface AtParam {
  at: string | null;
}

/** A chart window: explicit bounds, or the `windowMs` before `to` (now when null). */
export interface RangeParam {
  from: string | null;
  to: string | null;
  windowMs?: number | null;
}

export const queryKeys = {
  clusters: () => ["clusters"] as const,
  clustersAt: (p: AtParam) => ["clusters-at", p] as const,
  cluster: (cluster: string) => ["clusters", cluster] as const,
  overview: (cluster: string, p: AtParam) => ["clusters", cluster, "overview", p] as const,
  findings: (cluster: string, p: AtParam & { status: string }) => ["clusters", cluster, "findings", p] as const,
  finding: (cluster: string, id: string) => ["clusters", cluster, "findings", id] as const,
  findingNotifications: (cluster: string, id: string) => ["clusters", cluster, "findings", id, "notifications"] as const,
  transactions: (cluster: string, p: AtParam) => ["clusters", cluster, "transactions", p] as const,
  transaction: (cluster: string, id: string, p: AtParam) => ["clusters", cluster, "transactions", id, p] as const,
  topics: (cluster: string, p: AtParam) => ["clusters", cluster, "topics", p] as const,
  topic: (cluster: string, topic: string, p: AtParam) => ["clusters", cluster, "topics", topic, p] as const,
  topicHistory: (cluster: string, topic: string, p: RangeParam & { partition: number }) =>
    ["clusters", cluster, "topics", topic, "history", p] as const,
  groups: (cluster: string, p: AtParam) => ["clusters", cluster, "groups", p] as const,
  group: (cluster: string, group: string, p: AtParam) => ["clusters", cluster, "groups", group, p] as const,
  groupHistory: (cluster: string, group: string, p: RangeParam) =>
    ["clusters", cluster, "groups", group, "history", p] as const,
  section: (cluster: string, section: string, p: Record<string, string | null>) =>
    ["clusters", cluster, section, p] as const,
};
