import type { TopicState, TransactionState } from "@/lib/snapshot/types";
import {
  describeProducersApi,
  describeTransactionsApi,
  KafkaProtocolError,
  listTransactionsApi,
  type ProtocolClient,
} from "../protocol";
import type { Coordinators } from "./coordinators";
import { byTopic, PartitionMap, perBroker } from "./fanout";
import { partitionsByLeader } from "./offsets";
import type { PhaseContext } from "./phases";

/**
 * Every transactional id with its coordinator state: each broker lists the ids it coordinates, then describes
 * them in one request. Two requests per broker, whatever the number of ids. `aroundDescribe` runs between the
 * lists and the describes, and after the describes, with the producer ids listed.
 */
export async function collectTransactions(
  client: ProtocolClient,
  ctx: PhaseContext,
  brokerIds: number[],
  topics: TopicState[],
  coordinators: Coordinators,
  aroundDescribe: (when: "before" | "after", producerIds: Set<number>) => Promise<void> = async () => undefined,
): Promise<TransactionState[]> {
  const listedBy = coordinators.keepFirstListing(
    ctx,
    "transaction",
    await perBroker(client, ctx, brokerIds, async (nodeId) => {
      const { response: listed } = await client.call(nodeId, listTransactionsApi, {}, ctx.meter);
      if (listed.errorCode !== 0) throw new KafkaProtocolError(listed.errorCode, "ListTransactions");
      return coordinators.keepCoordinated(ctx, "transaction", nodeId, listed.transactions, (t) => t.transactionalId);
    }),
    (t) => t.transactionalId,
  );
  coordinators.checkCoverage(ctx, "transaction", brokerIds);
  const producerIds = new Set([...listedBy.values()].flat().map((t) => t.producerId));
  await aroundDescribe("before", producerIds);
  const perCoordinator = await perBroker(client, ctx, listedBy.keys(), async (nodeId) => {
    const listed = listedBy.get(nodeId) ?? [];
    if (listed.length === 0) return [];
    const { response } = await client.call(
      nodeId,
      describeTransactionsApi,
      { transactionalIds: listed.map((t) => t.transactionalId) },
      ctx.meter,
    );
    return response.transactions.flatMap((t): TransactionState[] => {
      if (t.errorCode !== 0) {
        // TRANSACTIONAL_ID_NOT_FOUND between list and describe means the id expired meanwhile: not an error.
        if (t.errorCode !== 105) ctx.fail(nodeId, new KafkaProtocolError(t.errorCode, `DescribeTransactions ${t.transactionalId}`));
        return [];
      }
      return [
        {
          transactionalId: t.transactionalId,
          coordinatorId: nodeId,
          state: t.state,
          producerId: t.producerId,
          producerEpoch: t.producerEpoch,
          transactionTimeoutMs: t.transactionTimeoutMs,
          transactionStartTimeMs: t.transactionStartTimeMs,
          partitions: t.topics
            .flatMap((topic) => topic.partitions.map((partition) => ({ topic: topic.topic, partition })))
            .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition),
        },
      ];
    });
  });
  await aroundDescribe("after", producerIds);
  const transactions = [...perCoordinator.values()].flat().sort((a, b) => a.transactionalId.localeCompare(b.transactionalId));
  // Probed through a broker that just answered, so a broker that is down does not fail the probe too.
  await probeHiddenTransactionalIds(client, ctx, [...perCoordinator.keys()], topics, transactions);
  return transactions;
}

/** A transactional id no principal is ever granted: describing it shows whether ids may be described at all. */
const PROBE_TRANSACTIONAL_ID = "kafka-eos-auditor-acl-probe";
const TRANSACTIONAL_ID_AUTHORIZATION_FAILED = 53;

/**
 * ListTransactions silently leaves out the ids the principal may not describe (no error), which would turn every
 * open transaction into one "no transactional id" knows. When an open transaction's producer is missing from the
 * list (hanging, or hidden), one DescribeTransactions of a probe id tells which: without Describe on
 * transactional ids it fails with TRANSACTIONAL_ID_AUTHORIZATION_FAILED, and the phase says which ACL is missing.
 */
async function probeHiddenTransactionalIds(
  client: ProtocolClient,
  ctx: PhaseContext,
  answeredBrokerIds: number[],
  topics: TopicState[],
  transactions: TransactionState[],
): Promise<void> {
  const listed = new Set(transactions.map((t) => t.producerId));
  const unexplained = topics.some((t) =>
    t.partitions.some((p) => p.producers?.some((producer) => producer.currentTxnStartOffset >= 0 && !listed.has(producer.producerId))),
  );
  if (!unexplained || answeredBrokerIds.length === 0) return;
  const nodeId = answeredBrokerIds[0];
  await perBroker(client, ctx, [nodeId], async () => {
    const { response } = await client.call(nodeId, describeTransactionsApi, { transactionalIds: [PROBE_TRANSACTIONAL_ID] }, ctx.meter);
    if (response.transactions.some((t) => t.errorCode === TRANSACTIONAL_ID_AUTHORIZATION_FAILED)) {
      ctx.fail(nodeId, new KafkaProtocolError(TRANSACTIONAL_ID_AUTHORIZATION_FAILED, "ListTransactions left out the ids this principal may not describe"));
    }
  });
}

/** Producer state of every partition from its leader: one DescribeProducers per broker. */
export async function collectProducers(client: ProtocolClient, ctx: PhaseContext, topics: TopicState[]): Promise<void> {
  const byLeader = partitionsByLeader(topics);
  await perBroker(client, ctx, byLeader.keys(), async (nodeId) => {
    const led = byLeader.get(nodeId) ?? [];
    const { response } = await client.call(nodeId, describeProducersApi, { topics: byTopic(led) }, ctx.meter);
    const answers = new PartitionMap<(typeof response.topics)[number]["partitions"][number]>();
    for (const t of response.topics) for (const p of t.partitions) answers.set(t.name, p.partition, p);
    for (const p of led) {
      const answer = answers.get(p.topic, p.partition);
      if (!answer) continue;
      if (answer.errorCode !== 0) {
        ctx.fail(nodeId, new KafkaProtocolError(answer.errorCode, `DescribeProducers ${p.topic}-${p.partition}`, answer.errorMessage));
        continue;
      }
      p.state.producers = answer.activeProducers
        .map((a) => ({ ...a }))
        .sort((a, b) => a.producerId - b.producerId);
    }
  });
}
