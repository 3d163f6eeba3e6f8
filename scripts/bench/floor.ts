// The protocol floor: the fewest requests that answer a poll's questions, sent over warm connections with the most
// parallelism the data dependencies allow (two rounds: what exists, then everything about it), answers of the second
// round counted in bytes and never decoded, nothing stored. The poll worker runs one round of each set right after
// each measured poll over the collector's own warm connections, so both meet the same load. Two sets:
// - "cli": what the official CLIs of the side-by-side answer (group offsets and end offsets, transactions listed and
//   described, hanging transactions = producer state per partition, end offsets of every partition);
// - "poll": everything the collector reads (adds LSO, log start, producer state, configs, log dirs, features).
import {
  CLIENT_SOFTWARE,
  CONFIG_RESOURCE,
  apiVersionsApi,
  describeLogDirsApi,
  describeProducersApi,
  describeTransactionsApi,
  encodeRequestBody,
  ISOLATION_LEVEL,
  kafkajsBroker,
  listGroupsApi,
  listOffsetsApi,
  listTransactionsApi,
  metadataApi,
  OFFSET_TIMESTAMP,
  offsetFetchApi,
  pickVersion,
  sendRaw,
  TrafficMeter,
  type ApiMessage,
  type IsolationLevel,
  type Lane,
  type ProtocolClient,
} from "@/lib/kafka/protocol";
import { BROKER_CONFIG_NAMES, TOPIC_CONFIG_NAMES } from "@/lib/kafka/collector/metadata";

export type FloorSet = "cli" | "poll";

export interface FloorRound {
  wallMs: number;
  requests: number;
  bytesSent: number;
  bytesReceived: number;
}

/** Sends a request and counts its answer's bytes without decoding them. */
async function undecoded<Req>(
  client: ProtocolClient,
  nodeId: number,
  api: ApiMessage<Req, unknown>,
  request: Req,
  meter: TrafficMeter,
  lane?: Lane,
): Promise<void> {
  const broker = await client.broker(nodeId);
  const version = pickVersion(api.apiKey, api.minVersion, api.maxVersion, broker.versions ?? {});
  if (version === null) throw new Error(`broker ${nodeId} lacks ${api.apiName}`);
  const body = encodeRequestBody(api, version, request);
  await sendRaw(broker, { apiKey: api.apiKey, apiName: api.apiName, version, body, decode: (p) => p.length, lane }, meter);
}

export async function floorRound(client: ProtocolClient, set: FloorSet): Promise<FloorRound> {
  const meter = new TrafficMeter();
  const nodeIds = client.nodeIds();
  const start = performance.now();
  // Round 1: topics and leaders, and which groups and transactional ids each coordinator holds.
  const [metadata, groups, transactions] = await Promise.all([
    client.call(nodeIds[0], metadataApi, { topics: null }, meter).then((answer) => answer.response),
    Promise.all(nodeIds.map(async (id) => [id, (await client.call(id, listGroupsApi, {}, meter)).response.groups.map((g) => g.groupId)] as const)),
    Promise.all(
      nodeIds.map(async (id) => [id, (await client.call(id, listTransactionsApi, {}, meter)).response.transactions.map((t) => t.transactionalId)] as const),
    ),
  ]);
  const byLeader = new Map<number, Map<string, number[]>>();
  const topicNames = metadata.topics.flatMap((t) => (t.name === null ? [] : [t.name]));
  for (const t of metadata.topics) {
    if (t.name === null) continue;
    for (const p of t.partitions) {
      if (p.leader < 0) continue;
      const topics = byLeader.get(p.leader) ?? new Map<string, number[]>();
      byLeader.set(p.leader, topics);
      topics.set(t.name, [...(topics.get(t.name) ?? []), p.partition]);
    }
  }
  // Round 2: everything about them, in parallel, undecoded.
  const requests: Promise<unknown>[] = [];
  const listOffsets = (nodeId: number, topics: Map<string, number[]>, isolationLevel: IsolationLevel, timestamp: number) =>
    undecoded(client, nodeId, listOffsetsApi, {
      isolationLevel,
      topics: [...topics].map(([name, partitions]) => ({ name, partitions: partitions.map((partition) => ({ partition, timestamp })) })),
    }, meter);
  for (const [nodeId, topics] of byLeader) {
    requests.push(listOffsets(nodeId, topics, ISOLATION_LEVEL.READ_UNCOMMITTED, OFFSET_TIMESTAMP.LATEST));
    requests.push(undecoded(client, nodeId, describeProducersApi, { topics: [...topics].map(([name, partitions]) => ({ name, partitions })) }, meter));
    if (set === "poll") {
      requests.push(listOffsets(nodeId, topics, ISOLATION_LEVEL.READ_COMMITTED, OFFSET_TIMESTAMP.LATEST));
      requests.push(listOffsets(nodeId, topics, ISOLATION_LEVEL.READ_UNCOMMITTED, OFFSET_TIMESTAMP.EARLIEST));
      // Over the second connection, as the collector sends it.
      requests.push(undecoded(client, nodeId, describeLogDirsApi, { topics: null }, meter, "bulk"));
    }
  }
  for (const [nodeId, groupIds] of groups) {
    if (groupIds.length === 0) continue;
    requests.push(undecoded(client, nodeId, offsetFetchApi, { groups: groupIds.map((groupId) => ({ groupId, topics: null })) }, meter));
    // kafkajs has the only DescribeGroups codec here, and it decodes: a little above the true floor.
    meter.requests += 1;
    requests.push(client.broker(nodeId).then((b) => kafkajsBroker(b).describeGroups({ groupIds })));
  }
  for (const [nodeId, transactionalIds] of transactions) {
    if (transactionalIds.length > 0) requests.push(undecoded(client, nodeId, describeTransactionsApi, { transactionalIds }, meter));
  }
  if (set === "poll") {
    requests.push(undecoded(client, nodeIds[0], apiVersionsApi, CLIENT_SOFTWARE, meter));
    // kafkajs's DescribeConfigs codec (the collector's too), decoded, over the second connection as the collector sends it.
    const describeConfigs = async (nodeId: number, resources: { type: number; name: string; configNames: string[] }[]) => {
      meter.requests += 1;
      return kafkajsBroker(await client.broker(nodeId), "bulk").describeConfigs({ resources });
    };
    requests.push(describeConfigs(nodeIds[0], topicNames.map((name) => ({ type: CONFIG_RESOURCE.TOPIC, name, configNames: TOPIC_CONFIG_NAMES }))));
    for (const nodeId of nodeIds) {
      requests.push(describeConfigs(nodeId, [{ type: CONFIG_RESOURCE.BROKER, name: String(nodeId), configNames: BROKER_CONFIG_NAMES }]));
    }
  }
  await Promise.all(requests);
  return { wallMs: performance.now() - start, requests: meter.requests, bytesSent: meter.bytesSent, bytesReceived: meter.bytesReceived };
}
