// Direct access to kafkajs 2.2.4's internal Cluster and Broker objects, for requests its public API
// never sends on their own (a transactional Produce without AddPartitionsToTxn). Pinned to 2.2.4:
// the Kafka client keeps its cluster factory under a private symbol.
import type { Kafka } from "kafkajs";

export interface RawBroker {
  nodeId: number;
  initProducerId(request: {
    transactionalId: string;
    transactionTimeout: number;
  }): Promise<{ producerId: string; producerEpoch: number }>;
  produce(request: {
    transactionalId: string | null;
    producerId: number | string;
    producerEpoch: number;
    acks?: number;
    timeout?: number;
    topicData: Array<{
      topic: string;
      partitions: Array<{
        partition: number;
        firstSequence: number;
        messages: Array<{ key?: string; value: string; timestamp: number }>;
      }>;
    }>;
  }): Promise<unknown>;
  addPartitionsToTxn(request: {
    transactionalId: string;
    producerId: number | string;
    producerEpoch: number;
    topics: Array<{ topic: string; partitions: number[] }>;
  }): Promise<unknown>;
  endTxn(request: {
    transactionalId: string;
    producerId: number | string;
    producerEpoch: number;
    transactionResult: boolean;
  }): Promise<unknown>;
}

export interface RawCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  findTopicPartitionMetadata(topic: string): Array<{ partitionId: number; leader: number }>;
  findBroker(request: { nodeId: number }): Promise<RawBroker>;
  findGroupCoordinator(request: { groupId: string; coordinatorType: number }): Promise<RawBroker>;
}

const CREATE_CLUSTER = "private:Kafka:createCluster";
export const TRANSACTION_COORDINATOR = 1;

export class KafkajsInternalsError extends Error {
  constructor(what: string) {
    super(`kafkajs internals changed (${what}); raw-protocol.ts is written against kafkajs 2.2.4`);
    this.name = "KafkajsInternalsError";
  }
}

export function rawCluster(kafka: Kafka): RawCluster {
  const symbol = Object.getOwnPropertySymbols(kafka).find((s) => s.description === CREATE_CLUSTER);
  const factory = symbol && (kafka as unknown as Record<symbol, unknown>)[symbol];
  if (typeof factory !== "function") throw new KafkajsInternalsError(CREATE_CLUSTER);
  return factory({}) as RawCluster;
}

export async function partitionLeader(cluster: RawCluster, topic: string, partition: number): Promise<RawBroker> {
  await cluster.addTargetTopic(topic);
  const metadata = cluster.findTopicPartitionMetadata(topic).find((p) => p.partitionId === partition);
  if (!metadata) throw new Error(`no metadata for ${topic}-${partition}`);
  return cluster.findBroker({ nodeId: metadata.leader });
}

export function transactionCoordinator(cluster: RawCluster, transactionalId: string): Promise<RawBroker> {
  return cluster.findGroupCoordinator({ groupId: transactionalId, coordinatorType: TRANSACTION_COORDINATOR });
}

/**
 * Retries `attempt` while the broker answers with a retriable error (a coordinator still loading or
 * moved, e.g. right after startup). kafkajs's own producers do this; raw requests must do it themselves.
 */
export async function retryRetriable<T>(attempt: () => Promise<T>, { attempts = 40, delayMs = 250 } = {}): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      const retriable = (error as { retriable?: boolean }).retriable === true;
      if (!retriable || n >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
