// Our protocol codecs against real brokers: an open kafkajs transaction must show up consistently in every
// admin API (LSO pinned at its first offset, producer state, coordinator state), on the newest 4.x and on 3.9.
import { Kafka, logLevel, type Admin, type Producer } from "kafkajs";
import { createTopicsReady } from "../../scripts/kafka/topics";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  describeLogDirsApi,
  describeProducersApi,
  describeTransactionsApi,
  ISOLATION_LEVEL,
  listOffsetsApi,
  listTransactionsApi,
  metadataApi,
  MULTI_GROUP_OFFSET_FETCH_VERSION,
  OFFSET_TIMESTAMP,
  offsetFetchApi,
  ProtocolClient,
  TOPIC_ID_OFFSET_FETCH_VERSION,
  TrafficMeter,
  type ListOffsetsResponse,
} from "../../lib/kafka/protocol";
import { startKafka, type KafkaTestCluster } from "../../scripts/kafka/cluster";
import { KAFKA_VERSIONS } from "../../scripts/kafka/versions";

const TOPIC = "protocol-eos";
const TXN_ID = "protocol-open-txn";
const COMMITTED_RECORDS = 5;
const OPEN_RECORDS = 3;
// Committed batch, its commit marker, then the open transaction's first record.
const OPEN_TXN_FIRST_OFFSET = COMMITTED_RECORDS + 1;
const HIGH_WATERMARK = OPEN_TXN_FIRST_OFFSET + OPEN_RECORDS;
const GROUP_OFFSETS = { "protocol-g1": 2, "protocol-g2": 4 } as const;

const SLOW = { timeout: 60_000 };

function offsetOf(response: ListOffsetsResponse): number {
  const partition = response.topics.find((t) => t.name === TOPIC)?.partitions.find((p) => p.partition === 0);
  expect(partition?.errorCode).toBe(0);
  return partition!.offset;
}

describe.each(Object.values(KAFKA_VERSIONS))("protocol codecs against Kafka %s", (version) => {
  let cluster: KafkaTestCluster;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  let client: ProtocolClient;
  let leaderId: number;

  beforeAll(async () => {
    cluster = await startKafka({ version, name: `protocol-${version}` });
    kafka = new Kafka({ clientId: "protocol-test", brokers: cluster.brokers, logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
    await createTopicsReady(admin, [{ topic: TOPIC, numPartitions: 2 }]);

    producer = kafka.producer({ transactionalId: TXN_ID, maxInFlightRequests: 1, idempotent: true });
    await producer.connect();
    const record = (i: number) => ({ value: `v${i}`, partition: 0 });
    const committed = await producer.transaction();
    await committed.send({ topic: TOPIC, messages: Array.from({ length: COMMITTED_RECORDS }, (_, i) => record(i)) });
    await committed.commit();
    const open = await producer.transaction();
    await open.send({ topic: TOPIC, messages: Array.from({ length: OPEN_RECORDS }, (_, i) => record(i)) });
    // `open` is deliberately never committed: it pins the LSO for the rest of the suite.

    for (const [groupId, offset] of Object.entries(GROUP_OFFSETS)) {
      await admin.setOffsets({ groupId, topic: TOPIC, partitions: [{ partition: 0, offset: String(offset) }] });
    }

    const [metadata] = (await admin.fetchTopicMetadata({ topics: [TOPIC] })).topics;
    leaderId = metadata.partitions.find((p) => p.partitionId === 0)!.leader;
    client = ProtocolClient.fromKafka(kafka);
    await client.connect();
  }, 180_000);

  afterAll(async () => {
    await client?.disconnect();
    await producer?.disconnect();
    await admin?.disconnect();
    await cluster?.stop();
  }, 60_000);

  it("ListOffsets: LSO stops at the open transaction's first offset, below the high watermark", SLOW, async () => {
    const meter = new TrafficMeter();
    const latest = (isolationLevel: 0 | 1) =>
      client.call(
        leaderId,
        listOffsetsApi,
        { isolationLevel, topics: [{ name: TOPIC, partitions: [{ partition: 0, timestamp: OFFSET_TIMESTAMP.LATEST }] }] },
        meter,
      );
    const committed = await latest(ISOLATION_LEVEL.READ_COMMITTED);
    const uncommitted = await latest(ISOLATION_LEVEL.READ_UNCOMMITTED);
    const earliest = await client.call(leaderId, listOffsetsApi, {
      isolationLevel: ISOLATION_LEVEL.READ_UNCOMMITTED,
      topics: [{ name: TOPIC, partitions: [{ partition: 0, timestamp: OFFSET_TIMESTAMP.EARLIEST }] }],
    });

    expect(committed.version).toBeGreaterThanOrEqual(7);
    expect(offsetOf(committed.response)).toBe(OPEN_TXN_FIRST_OFFSET);
    expect(offsetOf(uncommitted.response)).toBe(HIGH_WATERMARK);
    expect(offsetOf(earliest.response)).toBe(0);
    expect(meter.requests).toBe(2);
    expect(meter.bytesSent).toBeGreaterThan(2 * 30);
    expect(meter.bytesReceived).toBeGreaterThan(2 * 30);
  });

  it("DescribeProducers: the transactional producer's open transaction starts at the LSO", SLOW, async () => {
    const { response } = await client.call(leaderId, describeProducersApi, { topics: [{ name: TOPIC, partitions: [0, 1] }] });
    const partitions = response.topics.find((t) => t.name === TOPIC)!.partitions;
    const p0 = partitions.find((p) => p.partition === 0)!;
    expect(p0.errorCode).toBe(0);
    expect(p0.activeProducers).toHaveLength(1);
    expect(p0.activeProducers[0]).toMatchObject({ currentTxnStartOffset: OPEN_TXN_FIRST_OFFSET, lastSequence: COMMITTED_RECORDS + OPEN_RECORDS - 1 });
    expect(p0.activeProducers[0].producerId).toBeGreaterThanOrEqual(0);
    expect(partitions.find((p) => p.partition === 1)!.activeProducers).toEqual([]);
  });

  it("ListTransactions and DescribeTransactions: the id is Ongoing with the partition", SLOW, async () => {
    const listed = await Promise.all(
      client.nodeIds().map((nodeId) => client.call(nodeId, listTransactionsApi, { stateFilters: ["Ongoing"] })),
    );
    const ongoing = listed.flatMap((r) => r.response.transactions);
    expect(listed.every((r) => r.response.errorCode === 0)).toBe(true);
    expect(ongoing.map((t) => t.transactionalId)).toContain(TXN_ID);
    expect(ongoing.find((t) => t.transactionalId === TXN_ID)!.state).toBe("Ongoing");

    const coordinator = await client.coordinator("transaction", TXN_ID);
    const { response } = await client.call(coordinator.nodeId!, describeTransactionsApi, { transactionalIds: [TXN_ID, "protocol-no-such-txn"] });
    const [described, missing] = response.transactions;
    expect(described).toMatchObject({ errorCode: 0, transactionalId: TXN_ID, state: "Ongoing", transactionTimeoutMs: 60_000 });
    expect(described.topics).toEqual([{ topic: TOPIC, partitions: [0] }]);
    expect(described.transactionStartTimeMs).toBeGreaterThan(Date.now() - 5 * 60_000);
    expect(described.producerId).toBe(ongoing.find((t) => t.transactionalId === TXN_ID)!.producerId);
    expect(missing.errorCode).toBe(105); // TRANSACTIONAL_ID_NOT_FOUND

    const producers = await client.call(leaderId, describeProducersApi, { topics: [{ name: TOPIC, partitions: [0] }] });
    expect(producers.response.topics[0].partitions[0].activeProducers[0].producerId).toBe(described.producerId);
  });

  it("DescribeLogDirs: the written partition has a size on disk", SLOW, async () => {
    const all = await client.call(leaderId, describeLogDirsApi, { topics: null });
    expect(all.version).toBeGreaterThanOrEqual(4);
    expect(all.response.errorCode).toBe(0);
    const [dir] = all.response.results;
    expect(dir.errorCode).toBe(0);
    expect(dir.totalBytes).toBeGreaterThan(0);
    const partitions = dir.topics.find((t) => t.name === TOPIC)!.partitions;
    expect(partitions.find((p) => p.partition === 0)!.sizeBytes).toBeGreaterThan(0);
    expect(partitions.map((p) => p.partition).sort()).toEqual([0, 1]);

    const filtered = await client.call(leaderId, describeLogDirsApi, { topics: [{ topic: TOPIC, partitions: [0] }] });
    expect(filtered.response.results[0].topics).toEqual([
      { name: TOPIC, partitions: [expect.objectContaining({ partition: 0, sizeBytes: expect.any(Number) })] },
    ]);
  });

  it("OffsetFetch: committed offsets of two groups in one request", SLOW, async () => {
    const groupIds = Object.keys(GROUP_OFFSETS);
    const coordinators = await Promise.all(groupIds.map((g) => client.coordinator("group", g)));
    // One node: every group has the same coordinator, so one multi-group request suffices.
    expect(new Set(coordinators.map((c) => c.nodeId)).size).toBe(1);
    const meter = new TrafficMeter();
    const { version, response } = await client.call(
      coordinators[0].nodeId!,
      offsetFetchApi,
      { groups: groupIds.map((groupId) => ({ groupId, topics: null })), requireStable: true },
      meter,
    );
    expect(version).toBeGreaterThanOrEqual(MULTI_GROUP_OFFSET_FETCH_VERSION);
    expect(meter.requests).toBe(1);
    expect(response.groups.map((g) => g.groupId).sort()).toEqual(groupIds);
    // From v10 (Kafka 4.1+) the answer names the topic by its id alone: the id Metadata gives the topic.
    const byId = version >= TOPIC_ID_OFFSET_FETCH_VERSION;
    const metadata = await client.call(coordinators[0].nodeId!, metadataApi, { topics: [TOPIC] });
    const topicId = metadata.response.topics.find((t) => t.name === TOPIC)!.topicId;
    for (const group of response.groups) {
      expect(group.errorCode).toBe(0);
      const [topic] = group.topics;
      expect([topic.name, topic.topicId]).toEqual(byId ? [null, topicId] : [TOPIC, null]);
      expect(topic.partitions).toEqual([
        expect.objectContaining({ partition: 0, errorCode: 0, committedOffset: GROUP_OFFSETS[group.groupId as keyof typeof GROUP_OFFSETS] }),
      ]);
    }
  });

  it("ApiVersions v3+: finalized features are read from tagged fields", SLOW, async () => {
    const { version: used, response } = await client.features(leaderId);
    expect(used).toBeGreaterThanOrEqual(3);
    expect(response.errorCode).toBe(0);
    expect(response.finalizedFeatures["metadata.version"]?.maxVersion).toBeGreaterThan(0);
    expect(response.supportedFeatures["metadata.version"]?.maxVersion).toBeGreaterThanOrEqual(
      response.finalizedFeatures["metadata.version"]!.maxVersion,
    );
    expect(response.finalizedFeaturesEpoch).toBeGreaterThanOrEqual(0);
    expect(response.apiVersions[listOffsetsApi.apiKey]?.maxVersion).toBe((await client.apiVersions(leaderId))[listOffsetsApi.apiKey]?.maxVersion);
    console.log(`Kafka ${version} finalized features`, JSON.stringify(response.finalizedFeatures));
  });
});
