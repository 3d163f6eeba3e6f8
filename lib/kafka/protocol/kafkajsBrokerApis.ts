// kafkajs's own Broker methods for the APIs it does implement (DescribeGroups,
// DescribeConfigs, Fetch). They are undocumented shapes of kafkajs 2.2.4's src/broker/index.js, typed here so
// the collector never touches kafkajs internals directly.
import { AssignerProtocol } from "kafkajs";
import { brokerOnLane, type InternalBroker, type Lane } from "./kafkajsAdapter";

export interface KafkajsGroupDescription {
  errorCode: number;
  groupId: string;
  state: string;
  protocolType: string;
  protocol: string;
  members: { memberId: string; clientId: string; clientHost: string; memberAssignment: Buffer | null }[];
}

export interface KafkajsConfigResource {
  errorCode: number;
  errorMessage: string | null;
  resourceType: number;
  resourceName: string;
  configEntries: { configName: string; configValue: string | null; isSensitive: boolean }[];
}

export interface KafkajsFetchedRecord {
  offset: string;
  isControlRecord: boolean;
  batchContext: { producerId: string; inTransaction: boolean; firstOffset: string };
}

export interface KafkajsFetchPartition {
  partition: number;
  errorCode: number;
  lastStableOffset: string;
  abortedTransactions: { producerId: string; firstOffset: string }[];
  messages: KafkajsFetchedRecord[];
}

interface KafkajsBrokerMethods {
  describeGroups(query: { groupIds: string[] }): Promise<{ groups: KafkajsGroupDescription[] }>;
  describeConfigs(query: {
    resources: { type: number; name: string; configNames?: string[] }[];
    includeSynonyms?: boolean;
  }): Promise<{ resources: KafkajsConfigResource[] }>;
  fetch(query: {
    replicaId?: number;
    isolationLevel: number;
    maxWaitTime: number;
    minBytes: number;
    maxBytes: number;
    topics: { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[];
  }): Promise<{ responses: { topicName: string; partitions: KafkajsFetchPartition[] }[] }>;
}

/**
 * The kafkajs Broker behind an InternalBroker, with the request methods kafkajs already implements; a lane
 * sends them over that connection instead of the one kafkajs picks (Fetch on "bulk", the rest on "main").
 */
export function kafkajsBroker(broker: InternalBroker, lane?: Lane): InternalBroker & KafkajsBrokerMethods {
  return (lane ? brokerOnLane(broker, lane) : broker) as InternalBroker & KafkajsBrokerMethods;
}

/** Topic → partitions assigned to a classic-protocol consumer, from its member assignment bytes. */
export function decodeMemberAssignment(bytes: Buffer | null): { topic: string; partition: number }[] {
  if (!bytes || bytes.length === 0) return [];
  const decoded = AssignerProtocol.MemberAssignment.decode(bytes);
  if (!decoded) return [];
  return Object.entries(decoded.assignment).flatMap(([topic, partitions]) =>
    partitions.map((partition) => ({ topic, partition })),
  );
}

/** DescribeConfigs resource types (org.apache.kafka.common.config.ConfigResource.Type). */
export const CONFIG_RESOURCE = { TOPIC: 2, BROKER: 4 } as const;
