// Scenario 6: a hot partition. Orders keyed by `customerId-(ts % 8)` spread each customer over up to
// eight keys; one whale customer sends most of the traffic, so the few partitions its keys hash to
// carry many times the median partition's rate.
import { Partitioners, type Message, type PartitionMetadata } from "kafkajs";
import { createTopics, startScenario, type Scenario } from "./support";

export interface HotPartitionOptions {
  partitions: number;
  tickMs: number;
  /** Records per tick from ordinary customers (spread over all partitions). */
  ordinaryPerTick: number;
  /** Records per tick from the whale (spread over its few partitions). */
  whalePerTick: number;
  ordinaryCustomers: number;
}

export interface HotPartitionInfo {
  topic: string;
  partitions: number;
  whaleCustomerId: string;
  /** Partitions the whale's keys hash to (the default murmur2 partitioner). */
  hotPartitions: number[];
}

const defaults: HotPartitionOptions = {
  partitions: 16,
  tickMs: 250,
  ordinaryPerTick: 16,
  whalePerTick: 80,
  ordinaryCustomers: 200,
};

const KEY_SPREAD = 8;
/** The whale's keys should land on at most this many partitions, each taking at least two keys. */
const MAX_HOT_PARTITIONS = 3;

function keyOf(customerId: string, ts: number): string {
  return `${customerId}-${ts % KEY_SPREAD}`;
}

/** Where the default (Java-compatible murmur2) partitioner sends each of a customer's keys. */
function partitionsOf(customerId: string, topic: string, partitions: number): number[] {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata: PartitionMetadata[] = Array.from({ length: partitions }, (_, partitionId) => ({
    partitionId,
    leader: 1,
    partitionErrorCode: 0,
    replicas: [1],
    isr: [1],
  }));
  return Array.from({ length: KEY_SPREAD }, (_, spread) =>
    partitioner({ topic, partitionMetadata, message: { key: keyOf(customerId, spread), value: null } }),
  );
}

/** A whale id whose keys concentrate on few partitions, so "hot" is unambiguous. */
function pickWhale(topic: string, partitions: number): { whaleCustomerId: string; hotPartitions: number[] } {
  for (let n = 0; n < 10_000; n++) {
    const whaleCustomerId = `whale-${n}`;
    const counts = new Map<number, number>();
    for (const p of partitionsOf(whaleCustomerId, topic, partitions)) counts.set(p, (counts.get(p) ?? 0) + 1);
    if (counts.size <= MAX_HOT_PARTITIONS && [...counts.values()].every((c) => c >= 2)) {
      return { whaleCustomerId, hotPartitions: [...counts.keys()].sort((a, b) => a - b) };
    }
  }
  throw new Error(`no whale id maps onto ${MAX_HOT_PARTITIONS} partitions or fewer`);
}

/** `count` records for a customer; each carries its own timestamp, one ms apart, which picks its key. */
function customerMessages(customerId: (i: number) => string, count: number, start: number): Message[] {
  return Array.from({ length: count }, (_, i) => {
    const ts = start + i;
    const id = customerId(i);
    return {
      key: keyOf(id, ts),
      value: JSON.stringify({ customerId: id, amountCents: 100 + (i % 900), createdAt: ts }),
      timestamp: String(ts),
    };
  });
}

export const runHotPartition: Scenario<HotPartitionOptions, HotPartitionInfo> = (ctx, opts) =>
  startScenario(ctx, "hot-partition", async ({ name, kafka, cleanup, every }) => {
    const options = { ...defaults, ...opts };
    const topic = name("orders-by-customer");
    const info: HotPartitionInfo = { topic, partitions: options.partitions, ...pickWhale(topic, options.partitions) };
    const counters = { ordinary: 0, whale: 0 };
    await createTopics(kafka, [{ topic, numPartitions: options.partitions }]);

    const producer = cleanup.client(
      "order producer",
      kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner }),
    );
    await producer.connect();
    every("order traffic", options.tickMs, async () => {
      const start = Date.now();
      const firstOrdinary = counters.ordinary;
      const messages = [
        ...customerMessages((i) => `customer-${(firstOrdinary + i) % options.ordinaryCustomers}`, options.ordinaryPerTick, start),
        ...customerMessages(() => info.whaleCustomerId, options.whalePerTick, start),
      ];
      await producer.send({ topic, messages });
      counters.ordinary += options.ordinaryPerTick;
      counters.whale += options.whalePerTick;
    });

    return { info, progress: () => ({ ...counters }) };
  });
