// The ONLY code that reaches into kafkajs 2.2.4 internals. kafkajs lacks the admin APIs we need, but its broker
// connections already do TLS, SASL, re-authentication, request queueing and timeouts; reusing them keeps our own
// requests on exactly the same security setup. Everything here depends on undocumented shapes of kafkajs 2.2.4
// (pinned in package.json): revisit this file, and only this file, when upgrading kafkajs.
import type { Kafka } from "kafkajs";
import type { ApiVersionRanges } from "./versions";

/** kafkajs `Broker` (src/broker/index.js), reduced to what we use. */
export interface InternalBroker {
  nodeId: number | null;
  /** Ranges from the ApiVersions exchange kafkajs does on connect. */
  versions: ApiVersionRanges | null;
  connectionPool: {
    clientId?: string | null;
    /** Over connection 0, or 1 for Fetch (src/network/connectionPool.js). */
    send(protocolRequest: ProtocolRequest): Promise<Buffer>;
    /** The pool's connection `index` (0 or 1), connected first if need be. */
    getConnection(index: number): Promise<{ send(protocolRequest: ProtocolRequest): Promise<Buffer> }>;
  };
  disconnect(): Promise<void>;
}

/** kafkajs `Cluster` (src/cluster/index.js), reduced to what we use. */
export interface InternalCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  /** Refreshes only when the cached metadata is older than the cluster's metadataMaxAge. */
  refreshMetadataIfNecessary(): Promise<void>;
  getNodeIds(): Array<number | string>;
  findBroker(query: { nodeId: number | string }): Promise<InternalBroker>;
  /** coordinatorType 0 = group, 1 = transaction (src/protocol/coordinatorTypes.js). */
  findGroupCoordinator(query: { groupId: string; coordinatorType: 0 | 1 }): Promise<InternalBroker>;
}

interface ProtocolRequest {
  request: {
    apiKey: number;
    apiName: string;
    apiVersion: number;
    /** kafkajs's request framer calls `writeEncoder(await encode())`, which reads only `.buf` and `.buffer`. */
    encode(): Promise<{ buf: Buffer; buffer: Buffer }>;
  };
  response: { decode(payload: Buffer): Promise<Buffer>; parse(payload: Buffer): Promise<Buffer> };
  requestTimeout?: number;
}

/** kafkajs's DEFAULT_METADATA_MAX_AGE (src/index.js), which its createCluster factory does not apply. */
const KAFKAJS_METADATA_MAX_AGE_MS = 300_000;

/**
 * A fresh kafkajs Cluster configured like the given client (brokers, TLS, SASL, timeouts, retry). Admin/producer
 * objects keep theirs in a closure, but the Kafka client exposes its factory under a private symbol.
 */
export function createInternalCluster(kafka: Kafka): InternalCluster {
  const factorySymbol = Object.getOwnPropertySymbols(kafka).find(
    (symbol) => symbol.description === "private:Kafka:createCluster",
  );
  const factory = factorySymbol && (kafka as unknown as Record<symbol, unknown>)[factorySymbol];
  if (typeof factory !== "function") {
    throw new Error("kafkajs internals changed: Kafka client has no private:Kafka:createCluster factory");
  }
  // The factory's metadataMaxAge has no default (a Cluster takes `undefined || 0`: stale at once, so every
  // refreshMetadataIfNecessary refreshed); producers and admins get kafkajs's 5 min from their own options.
  return factory({ allowAutoTopicCreation: false, metadataMaxAge: KAFKAJS_METADATA_MAX_AGE_MS }) as InternalCluster;
}

/**
 * Which of a broker's two pooled connections carries a request. A broker serves one connection's requests one at
 * a time, in the order sent; "bulk" (kafkajs's Fetch connection) lets a slow answer nothing waits for be served
 * beside the requests on "main".
 */
export type Lane = "main" | "bulk";

/**
 * Sends an already-encoded request body over one of the broker's pooled connections (kafkajs writes the size,
 * request header v1 and correlation id) and resolves with the response bytes after the correlation id.
 */
export async function sendOverBroker(
  broker: InternalBroker,
  request: { apiKey: number; apiName: string; apiVersion: number; body: Buffer; timeoutMs?: number; lane?: Lane },
): Promise<Buffer> {
  const passThrough = async (payload: Buffer) => payload;
  const protocolRequest: ProtocolRequest = {
    request: {
      apiKey: request.apiKey,
      apiName: request.apiName,
      apiVersion: request.apiVersion,
      encode: async () => ({ buf: request.body, buffer: request.body }),
    },
    response: { decode: passThrough, parse: passThrough },
    requestTimeout: request.timeoutMs,
  };
  try {
    if (request.lane === "bulk") return await (await broker.connectionPool.getConnection(1)).send(protocolRequest);
    return await broker.connectionPool.send(protocolRequest);
  } catch (error) {
    // Same recovery as kafkajs's own Broker#sendRequest: a closed socket marks the broker for reconnection.
    if ((error as Error).name === "KafkaJSConnectionClosedError") await broker.disconnect();
    throw error;
  }
}

/**
 * The broker as kafkajs's own request methods (DescribeConfigs, DescribeGroups, Fetch) see it, with its requests
 * sent over the given lane: a view whose pool sends there and otherwise is the broker's (its connections,
 * disconnect and state stay the broker's own). kafkajs's pool picks the connection by API key (Fetch on 1).
 */
export function brokerOnLane(broker: InternalBroker, lane: Lane): InternalBroker {
  const pool = broker.connectionPool;
  const index = lane === "bulk" ? 1 : 0;
  const send = async (protocolRequest: ProtocolRequest) => (await pool.getConnection(index)).send(protocolRequest);
  // Every other member is the pool's own, called on the pool itself (a method never writes to the view).
  const lanePool = new Proxy(pool, {
    get(target, property) {
      if (property === "send") return send;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return Object.create(broker, { connectionPool: { value: lanePool } }) as InternalBroker;
}

/** Bytes kafkajs puts on the wire for a request: size, api key, version, correlation id, client id, body. */
export function requestFrameSize(broker: InternalBroker, bodySize: number): number {
  const clientId = broker.connectionPool.clientId ?? "kafkajs"; // kafkajs Connection's default client id
  return 4 + 2 + 2 + 4 + 2 + Buffer.byteLength(clientId, "utf8") + bodySize;
}

/** Bytes of a response frame whose payload (after the correlation id) kafkajs handed over. */
export function responseFrameSize(payloadSize: number): number {
  return 4 + 4 + payloadSize;
}
