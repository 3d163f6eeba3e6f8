import type { BrokerConfig, BrokerInfo, ClusterFeatures, ConfigMap, TopicState } from "@/lib/snapshot/types";
import { CONFIG_RESOURCE, KafkaProtocolError, kafkajsBroker, metadataApi, type MetadataResponse, type MetadataTopic, type ProtocolClient } from "../protocol";
import type { PhaseContext } from "./phases";

export interface ClusterMetadata {
  clusterId: string | null;
  controllerId: number | null;
  brokers: BrokerInfo[];
  topics: TopicState[];
}

/** Every topic (internal ones included) from the first broker that answers. */
export async function fetchMetadata(client: ProtocolClient, ctx: PhaseContext): Promise<ClusterMetadata> {
  let lastError: unknown = new Error("no broker known");
  const failed: { nodeId: number; error: unknown }[] = [];
  for (const nodeId of client.nodeIds()) {
    let md: MetadataResponse;
    try {
      md = (await client.call(nodeId, metadataApi, { topics: null }, ctx.meter)).response;
    } catch (error) {
      // Another broker may answer; the one that did not (down, frozen) is still named, if one does.
      lastError = error;
      failed.push({ nodeId, error });
      continue;
    }
    for (const f of failed) ctx.fail(f.nodeId, f.error);
    // A topic or partition in error (no leader while a broker is down) is missing data, not a failed poll: the
    // rest is kept and the poll is partial, naming it.
    for (const t of md.topics) {
      if (t.errorCode !== 0) ctx.fail(nodeId, new KafkaProtocolError(t.errorCode, `Metadata ${t.name ?? "(unnamed topic)"}`));
      for (const p of t.errorCode === 0 ? t.partitions : []) {
        if (p.errorCode !== 0) ctx.fail(p.leader >= 0 ? p.leader : nodeId, new KafkaProtocolError(p.errorCode, `Metadata ${t.name}-${p.partition}`));
      }
    }
    return {
      clusterId: md.clusterId,
      controllerId: md.controllerId >= 0 ? md.controllerId : null,
      brokers: md.brokers.map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port, rack: b.rack })).sort((a, b) => a.nodeId - b.nodeId),
      topics: md.topics
        .filter((t): t is MetadataTopic & { name: string } => t.errorCode === 0 && t.name !== null)
        .map((t) => ({
          name: t.name,
          internal: t.internal,
          configs: {},
          partitions: t.partitions
            .map((p) => ({
              partition: p.partition,
              leader: p.leader,
              replicas: p.replicas,
              isr: p.isr,
              offlineReplicas: p.offlineReplicas,
              logStartOffset: null,
              highWatermark: null,
              lastStableOffset: null,
              sizeBytes: null,
              producers: null,
            }))
            .sort((a, b) => a.partition - b.partition),
        }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    };
  }
  throw lastError;
}

async function featuresOf(client: ProtocolClient, ctx: PhaseContext, nodeId: number): Promise<ClusterFeatures> {
  const { response } = await client.features(nodeId, ctx.meter);
  const finalized = response.finalizedFeatures;
  return {
    transactionVersion: finalized["transaction.version"]?.maxVersion ?? 0,
    metadataVersion: finalized["metadata.version"]?.maxVersion ?? null,
  };
}

/** Finalized feature levels (transaction.version decides TV2 epoch behaviour) from one broker. */
export async function fetchFeatures(
  client: ProtocolClient,
  ctx: PhaseContext,
  nodeIds: number[],
): Promise<ClusterFeatures> {
  for (const nodeId of nodeIds) {
    try {
      return await featuresOf(client, ctx, nodeId);
    } catch (error) {
      ctx.fail(nodeId, error);
    }
  }
  return { transactionVersion: 0, metadataVersion: null };
}

/** The feature levels of one broker, or null (no broker known, or any failure, which is not recorded). */
export async function featuresOrNull(client: ProtocolClient, ctx: PhaseContext, nodeId: number | undefined): Promise<ClusterFeatures | null> {
  if (nodeId === undefined) return null;
  return featuresOf(client, ctx, nodeId).catch(() => null);
}

// Only what the detectors and pages read: keeps snapshots small at thousands of topics.
export const TOPIC_CONFIG_NAMES = [
  "min.insync.replicas",
  "unclean.leader.election.enable",
  "retention.bytes",
  "retention.ms",
  "segment.bytes",
  "cleanup.policy",
  "message.timestamp.type",
];

export const BROKER_CONFIG_NAMES = [
  "min.insync.replicas",
  "default.replication.factor",
  "unclean.leader.election.enable",
  "log.retention.bytes",
  "log.segment.bytes",
  "transaction.max.timeout.ms",
  "transaction.state.log.replication.factor",
  "transaction.state.log.min.isr",
  "transaction.state.log.num.partitions",
  "offsets.topic.num.partitions",
  "offsets.topic.replication.factor",
  "transactional.id.expiration.ms",
  "producer.id.expiration.ms",
  "transaction.partition.verification.enable",
  "transaction.abort.timed.out.transaction.cleanup.interval.ms",
  "inter.broker.protocol.version",
];

/** Topic configs in one request (any broker answers for topics), broker configs from each broker itself. */
export async function fetchConfigs(
  client: ProtocolClient,
  ctx: PhaseContext,
  topics: TopicState[],
  brokerIds: number[],
  controllerId: number | null,
): Promise<BrokerConfig[]> {
  const describe = async (nodeId: number, resources: { type: number; name: string; configNames: string[] }[]) => {
    ctx.meter.requests += 1;
    // Over the second connection: the broker takes its time over hundreds of topics' configs, an answer nothing
    // else waits for, which on the first would hold up every request queued behind it (group and transaction reads).
    const response = await kafkajsBroker(await client.broker(nodeId), "bulk").describeConfigs({ resources });
    return response.resources;
  };
  const topicHost = controllerId != null && brokerIds.includes(controllerId) ? controllerId : brokerIds[0];
  const topicRequest =
    topics.length === 0 || topicHost === undefined
      ? Promise.resolve([])
      : describe(
          topicHost,
          topics.map((t) => ({ type: CONFIG_RESOURCE.TOPIC, name: t.name, configNames: TOPIC_CONFIG_NAMES })),
        );
  const brokerRequests = brokerIds.map(async (nodeId): Promise<BrokerConfig | null> => {
    try {
      const [resource] = await describe(nodeId, [
        { type: CONFIG_RESOURCE.BROKER, name: String(nodeId), configNames: BROKER_CONFIG_NAMES },
      ]);
      if (!resource || resource.errorCode !== 0) {
        throw new KafkaProtocolError(resource?.errorCode ?? -1, `broker ${nodeId} configs`, resource?.errorMessage);
      }
      return { nodeId, configs: toConfigMap(resource.configEntries) };
    } catch (error) {
      ctx.fail(nodeId, error);
      return null;
    }
  });

  try {
    const byName = new Map(topics.map((t) => [t.name, t]));
    for (const resource of await topicRequest) {
      const topic = byName.get(resource.resourceName);
      if (!topic) continue;
      if (resource.errorCode !== 0) {
        ctx.fail(topicHost ?? null, new KafkaProtocolError(resource.errorCode, `topic ${topic.name} configs`));
        continue;
      }
      topic.configs = toConfigMap(resource.configEntries);
    }
  } catch (error) {
    ctx.fail(topicHost ?? null, error);
  }
  return (await Promise.all(brokerRequests)).filter((c): c is BrokerConfig => c !== null);
}

function toConfigMap(entries: { configName: string; configValue: string | null; isSensitive: boolean }[]): ConfigMap {
  return Object.fromEntries(entries.map((e) => [e.configName, e.isSensitive ? null : e.configValue]));
}
