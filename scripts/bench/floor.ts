// The protocol floor: the fewest requests that answer a poll's questions, sent over warm connections with the most
// parallelism the data dependencies allow (rounds: what exists, then everything about it, then what depends on those
// answers), answers counted in bytes and decoded only where a later round needs them, nothing stored. The poll
// worker runs one round of each set right after each measured poll over the collector's own warm connections, so
// both meet the same load. Two sets:
// - "cli": what the official CLIs of the side-by-side answer (group offsets and end offsets, transactions listed and
//   described, hanging transactions = producer state per partition, end offsets of every partition);
// - "poll": everything the collector reads (adds LSO, log start, producer state, configs, log dirs, features, and
//   in a third round the records between committed offsets and the LSO a few offsets short of it, and the offsets
//   of the partitions listed transactional producers write, read before and after their describe).
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
import { DEFAULT_MARKER_CHECK_MAX_GAP, MARKER_FETCH_MAX_BYTES, MARKER_FETCH_PARTITION_MAX_BYTES } from "@/lib/kafka/collector/groups";
import { BROKER_CONFIG_NAMES, TOPIC_CONFIG_NAMES } from "@/lib/kafka/collector/metadata";

export type FloorSet = "cli" | "poll";

export interface FloorRound {
  wallMs: number;
  /** Until the second round's answers were in: the whole floor before round 3 joined the poll set (commit 255d8bb). */
  twoRoundsMs: number;
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
  const [metadata, groups, listedTransactions] = await Promise.all([
    client.call(nodeIds[0], metadataApi, { topics: null }, meter).then((answer) => answer.response),
    Promise.all(nodeIds.map(async (id) => [id, (await client.call(id, listGroupsApi, {}, meter)).response.groups.map((g) => g.groupId)] as const)),
    Promise.all(nodeIds.map(async (id) => [id, (await client.call(id, listTransactionsApi, {}, meter)).response.transactions] as const)),
  ]);
  const transactions = listedTransactions.map(([id, listed]) => [id, listed.map((t) => t.transactionalId)] as const);
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
  // Round 2: everything about them, in parallel, undecoded but for what round 3 needs (poll set).
  const requests: Promise<unknown>[] = [];
  const round3 = set === "poll" ? new Round3Inputs(metadata, listedTransactions.flatMap(([, listed]) => listed.map((t) => t.producerId))) : null;
  const offsetsRequest = (topics: Map<string, number[]>, isolationLevel: IsolationLevel, timestamp: number) => ({
    isolationLevel,
    topics: [...topics].map(([name, partitions]) => ({ name, partitions: partitions.map((partition) => ({ partition, timestamp })) })),
  });
  const listOffsets = (nodeId: number, topics: Map<string, number[]>, isolationLevel: IsolationLevel, timestamp: number) =>
    undecoded(client, nodeId, listOffsetsApi, offsetsRequest(topics, isolationLevel, timestamp), meter);
  for (const [nodeId, topics] of byLeader) {
    requests.push(listOffsets(nodeId, topics, ISOLATION_LEVEL.READ_UNCOMMITTED, OFFSET_TIMESTAMP.LATEST));
    const producersRequest = { topics: [...topics].map(([name, partitions]) => ({ name, partitions })) };
    if (!round3) {
      requests.push(undecoded(client, nodeId, describeProducersApi, producersRequest, meter));
    } else {
      requests.push(client.call(nodeId, describeProducersApi, producersRequest, meter).then(({ response }) => round3.producers(nodeId, response)));
      const lso = offsetsRequest(topics, ISOLATION_LEVEL.READ_COMMITTED, OFFSET_TIMESTAMP.LATEST);
      requests.push(client.call(nodeId, listOffsetsApi, lso, meter).then(({ response }) => round3.lastStableOffsets(nodeId, response)));
      requests.push(listOffsets(nodeId, topics, ISOLATION_LEVEL.READ_UNCOMMITTED, OFFSET_TIMESTAMP.EARLIEST));
      // Over the second connection, as the collector sends it.
      requests.push(undecoded(client, nodeId, describeLogDirsApi, { topics: null }, meter, "bulk"));
    }
  }
  for (const [nodeId, groupIds] of groups) {
    if (groupIds.length === 0) continue;
    const fetchRequest = { groups: groupIds.map((groupId) => ({ groupId, topics: null })) };
    if (round3) requests.push(client.call(nodeId, offsetFetchApi, fetchRequest, meter).then(({ response }) => round3.committed(response)));
    else requests.push(undecoded(client, nodeId, offsetFetchApi, fetchRequest, meter));
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
  const twoRoundsMs = performance.now() - start;
  // Round 3 (poll set): what depends on round 2's answers, in parallel.
  if (round3) {
    const reads: Promise<unknown>[] = [];
    for (const [nodeId, topics] of round3.bracketPartitions()) {
      reads.push(listOffsets(nodeId, topics, ISOLATION_LEVEL.READ_COMMITTED, OFFSET_TIMESTAMP.LATEST));
      reads.push(listOffsets(nodeId, topics, ISOLATION_LEVEL.READ_UNCOMMITTED, OFFSET_TIMESTAMP.LATEST));
      reads.push(listOffsets(nodeId, topics, ISOLATION_LEVEL.READ_UNCOMMITTED, OFFSET_TIMESTAMP.LATEST));
    }
    for (const [nodeId, fetches] of round3.gapReads()) {
      for (const topics of fetches) {
        meter.requests += 1;
        reads.push(
          client.broker(nodeId).then((b) =>
            kafkajsBroker(b, "main").fetch({ replicaId: -1, isolationLevel: ISOLATION_LEVEL.READ_COMMITTED, maxWaitTime: 0, minBytes: 0, maxBytes: MARKER_FETCH_MAX_BYTES, topics }),
          ),
        );
      }
    }
    await Promise.all(reads);
  }
  return { wallMs: performance.now() - start, twoRoundsMs, requests: meter.requests, bytesSent: meter.bytesSent, bytesReceived: meter.bytesReceived };
}

/** What the poll set's third round is computed from: LSOs, committed offsets and producer state of round 2. */
export class Round3Inputs {
  private readonly topicNames = new Map<string, string>();
  private readonly lso = new Map<string, { leader: number; offset: number }>();
  private readonly committedOffsets: { topic: string; partition: number; offset: number }[] = [];
  private readonly written = new Map<number, Map<string, number[]>>();

  constructor(
    metadata: { topics: { name: string | null; topicId: string }[] },
    private readonly listedProducerIds: number[],
  ) {
    for (const t of metadata.topics) if (t.name !== null) this.topicNames.set(t.topicId, t.name);
  }

  lastStableOffsets(leader: number, response: { topics: { name: string; partitions: { partition: number; errorCode: number; offset: number }[] }[] }): void {
    for (const t of response.topics) {
      for (const p of t.partitions) if (p.errorCode === 0) this.lso.set(`${t.name}\u0000${p.partition}`, { leader, offset: p.offset });
    }
  }

  committed(response: { groups: { topics: { name: string | null; topicId: string | null; partitions: { partition: number; committedOffset: number; errorCode: number }[] }[] }[] }): void {
    for (const g of response.groups) {
      for (const t of g.topics) {
        const topic = t.name ?? this.topicNames.get(t.topicId ?? "");
        if (topic === undefined) continue;
        for (const p of t.partitions) if (p.errorCode === 0 && p.committedOffset >= 0) this.committedOffsets.push({ topic, partition: p.partition, offset: p.committedOffset });
      }
    }
  }

  producers(leader: number, response: { topics: { name: string; partitions: { partition: number; activeProducers: { producerId: number }[] }[] }[] }): void {
    const listed = new Set(this.listedProducerIds);
    for (const t of response.topics) {
      for (const p of t.partitions) {
        if (!p.activeProducers.some((a) => listed.has(a.producerId))) continue;
        const topics = this.written.get(leader) ?? new Map<string, number[]>();
        this.written.set(leader, topics);
        topics.set(t.name, [...(topics.get(t.name) ?? []), p.partition]);
      }
    }
  }

  /** Per leader, the partitions listed transactional producers write. */
  bracketPartitions(): Map<number, Map<string, number[]>> {
    return this.written;
  }

  /** Per leader, the Fetch requests of the marker-gap check: each partition once per request, as the collector reads. */
  gapReads(): Map<number, { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[][]> {
    const starts = new Map<number, Map<string, Set<number>>>();
    for (const c of this.committedOffsets) {
      const key = `${c.topic}\u0000${c.partition}`;
      const lso = this.lso.get(key);
      if (!lso || lso.offset - c.offset <= 0 || lso.offset - c.offset > DEFAULT_MARKER_CHECK_MAX_GAP) continue;
      const byPartition = starts.get(lso.leader) ?? new Map<string, Set<number>>();
      starts.set(lso.leader, byPartition);
      byPartition.set(key, (byPartition.get(key) ?? new Set()).add(c.offset));
    }
    const reads = new Map<number, { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[][]>();
    for (const [leader, byPartition] of starts) {
      const rounds: Map<string, { partition: number; fetchOffset: string; maxBytes: number }[]>[] = [];
      for (const [key, offsets] of byPartition) {
        const [topic, partition] = key.split("\u0000");
        [...offsets].forEach((offset, round) => {
          rounds[round] ??= new Map();
          rounds[round].set(topic, [...(rounds[round].get(topic) ?? []), { partition: Number(partition), fetchOffset: String(offset), maxBytes: MARKER_FETCH_PARTITION_MAX_BYTES }]);
        });
      }
      reads.set(leader, rounds.map((r) => [...r].map(([topic, partitions]) => ({ topic, partitions }))));
    }
    return reads;
  }
}
