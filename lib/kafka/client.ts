import { Kafka, logLevel, type SASLOptions } from "kafkajs";
import type { ClusterConfig } from "@/lib/config/clusters";

export interface ConnectionTimeouts {
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
}

// A hung broker must cost one timeout, not a poll that never ends: short timeouts, and retries are ours
// (one, after a metadata refresh), not kafkajs's exponential ones.
export const DEFAULT_TIMEOUTS: ConnectionTimeouts = { connectionTimeoutMs: 3000, requestTimeoutMs: 8000 };

export function createKafka(cluster: ClusterConfig, timeouts: ConnectionTimeouts = DEFAULT_TIMEOUTS): Kafka {
  return new Kafka({
    clientId: cluster.clientId,
    brokers: cluster.brokers,
    ssl: cluster.ssl,
    sasl: cluster.sasl as SASLOptions | undefined,
    connectionTimeout: timeouts.connectionTimeoutMs,
    requestTimeout: timeouts.requestTimeoutMs,
    enforceRequestTimeout: true,
    retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 500 },
    logLevel: logLevel.NOTHING,
  });
}
