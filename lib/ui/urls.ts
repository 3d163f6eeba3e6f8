// Every link to a Kafka-named entity goes through here. Topic, group and transactional ids are untrusted and
// may contain '/', '#', '?', '%', spaces or markup: each becomes exactly one encoded path segment.

export type SearchValue = string | number | null | undefined;

function seg(value: string): string {
  return encodeURIComponent(value);
}

/** Appends the query, dropping empty values; keeps `at` so time travel survives navigation. */
export function withQuery(path: string, query: Record<string, SearchValue> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === null || value === undefined || value === "") continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export type ClusterSection =
  | "findings"
  | "transactions"
  | "topics"
  | "groups"
  | "pipelines"
  | "hot-partitions"
  | "config"
  | "capacity";

export const paths = {
  overview: () => "/",
  cluster: (cluster: string) => `/clusters/${seg(cluster)}`,
  section: (cluster: string, section: ClusterSection) => `/clusters/${seg(cluster)}/${section}`,
  finding: (cluster: string, id: string) => `/clusters/${seg(cluster)}/findings/${seg(id)}`,
  /** Stable across occurrences: redirects to the newest finding with this key (alert links use it). */
  findingByKey: (cluster: string, key: string) => `/clusters/${seg(cluster)}/findings/key/${seg(key)}`,
  transaction: (cluster: string, transactionalId: string) =>
    `/clusters/${seg(cluster)}/transactions/${seg(transactionalId)}`,
  /** The transactions list narrowed to the ids of one family (`exporter-*`): a family has no page of its own. */
  transactionFamily: (cluster: string, family: string) => withQuery(`/clusters/${seg(cluster)}/transactions`, { family }),
  topic: (cluster: string, topic: string) => `/clusters/${seg(cluster)}/topics/${seg(topic)}`,
  group: (cluster: string, groupId: string) => `/clusters/${seg(cluster)}/groups/${seg(groupId)}`,
};

export const apiPaths = {
  clusters: () => "/api/clusters",
  cluster: (cluster: string) => `/api/clusters/${seg(cluster)}`,
  findings: (cluster: string) => `/api/clusters/${seg(cluster)}/findings`,
  finding: (cluster: string, id: string) => `/api/clusters/${seg(cluster)}/findings/${seg(id)}`,
  abortFinding: (cluster: string, id: string) => `/api/clusters/${seg(cluster)}/findings/${seg(id)}/abort`,
  transactions: (cluster: string) => `/api/clusters/${seg(cluster)}/transactions`,
  transaction: (cluster: string, transactionalId: string) =>
    `/api/clusters/${seg(cluster)}/transactions/${seg(transactionalId)}`,
  topics: (cluster: string) => `/api/clusters/${seg(cluster)}/topics`,
  topic: (cluster: string, topic: string) => `/api/clusters/${seg(cluster)}/topics/${seg(topic)}`,
  topicHistory: (cluster: string, topic: string) => `/api/clusters/${seg(cluster)}/topics/${seg(topic)}/history`,
  groups: (cluster: string) => `/api/clusters/${seg(cluster)}/groups`,
  group: (cluster: string, groupId: string) => `/api/clusters/${seg(cluster)}/groups/${seg(groupId)}`,
  groupHistory: (cluster: string, groupId: string) => `/api/clusters/${seg(cluster)}/groups/${seg(groupId)}/history`,
  pipelines: (cluster: string) => `/api/clusters/${seg(cluster)}/pipelines`,
  hotPartitions: (cluster: string) => `/api/clusters/${seg(cluster)}/hot-partitions`,
  config: (cluster: string) => `/api/clusters/${seg(cluster)}/config`,
  capacity: (cluster: string) => `/api/clusters/${seg(cluster)}/capacity`,
  capacityCsv: (cluster: string) => `/api/clusters/${seg(cluster)}/capacity/csv`,
  findingNotifications: (cluster: string, id: string) => `/api/clusters/${seg(cluster)}/findings/${seg(id)}/notifications`,
};
