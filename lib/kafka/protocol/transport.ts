import type { Kafka } from "kafkajs";
import { apiVersionsApi, CLIENT_SOFTWARE, type ApiVersionsResponse } from "./apiVersions";
import {
  createInternalCluster,
  requestFrameSize,
  responseFrameSize,
  sendOverBroker,
  type InternalBroker,
  type InternalCluster,
  type Lane,
} from "./kafkajsAdapter";
import { decodeResponseBody, encodeRequestBody, type ApiMessage } from "./message";
import { pickVersion, type ApiVersionRanges } from "./versions";

export type { InternalBroker as KafkaBroker, Lane } from "./kafkajsAdapter";

/** Request/byte counts of one poll phase (or any other unit the caller wants to measure). */
export class TrafficMeter {
  requests = 0;
  bytesSent = 0;
  bytesReceived = 0;
}

export interface RawRequest<T> {
  apiKey: number;
  apiName: string;
  version: number;
  /** Body as produced by an encode*Request function (flexible versions start with the header tag byte). */
  body: Buffer;
  /** Turns the bytes after the correlation id into a result, e.g. `(p) => decodeListOffsetsResponse(v, p)`. */
  decode: (payload: Buffer) => T;
  /** Overrides the client's requestTimeout for this request. */
  timeoutMs?: number;
  /** The broker connection that carries it (default "main"). */
  lane?: Lane;
}

/** The broker does not implement any version of an API that this module implements. */
export class UnsupportedApiError extends Error {
  override name = "UnsupportedApiError";
  constructor(
    readonly apiName: string,
    readonly nodeId: number | null,
  ) {
    super(`broker ${nodeId ?? "?"} supports no version of ${apiName} that this client implements`);
  }
}

/**
 * Sends one request over a kafkajs broker connection. Bytes are counted as framed on the wire (size prefixes and
 * headers included); a request that fails in transit counts as sent with nothing received.
 */
export async function sendRaw<T>(broker: InternalBroker, request: RawRequest<T>, meter?: TrafficMeter): Promise<T> {
  if (meter) {
    meter.requests += 1;
    meter.bytesSent += requestFrameSize(broker, request.body.length);
  }
  const payload = await sendOverBroker(broker, {
    apiKey: request.apiKey,
    apiName: request.apiName,
    apiVersion: request.version,
    body: request.body,
    timeoutMs: request.timeoutMs,
    lane: request.lane,
  });
  if (meter) meter.bytesReceived += responseFrameSize(payload.length);
  return request.decode(payload);
}

/** The result of a negotiated call, with the version used (responses differ in which fields are filled). */
export interface ApiResult<Res> {
  version: number;
  response: Res;
}

/** Negotiates the version with the broker's ApiVersions ranges, encodes, sends and decodes. */
export async function callApi<Req, Res>(
  broker: InternalBroker,
  api: ApiMessage<Req, Res>,
  request: Req,
  meter?: TrafficMeter,
  lane?: Lane,
): Promise<ApiResult<Res>> {
  const version = pickVersion(api.apiKey, api.minVersion, api.maxVersion, broker.versions ?? {});
  if (version === null) throw new UnsupportedApiError(api.apiName, broker.nodeId ?? null);
  const response = await sendRaw(
    broker,
    {
      apiKey: api.apiKey,
      apiName: api.apiName,
      version,
      body: encodeRequestBody(api, version, request),
      decode: (payload) => decodeResponseBody(api, version, payload, request),
      lane,
    },
    meter,
  );
  return { version, response };
}

/**
 * Owns a kafkajs cluster (same brokers, TLS and SASL as the given client) and hands out its broker connections
 * for our own requests. Connect once, reuse across polls, disconnect on shutdown.
 */
export class ProtocolClient {
  private constructor(private readonly cluster: InternalCluster) {}

  static fromKafka(kafka: Kafka): ProtocolClient {
    return new ProtocolClient(createInternalCluster(kafka));
  }

  /** Connects the seed broker and loads the broker list (kafkajs's connect alone leaves it empty). */
  async connect(): Promise<void> {
    await this.cluster.connect();
    await this.cluster.refreshMetadata();
  }

  async disconnect(): Promise<void> {
    await this.cluster.disconnect();
  }

  async refreshMetadata(): Promise<void> {
    await this.cluster.refreshMetadata();
  }

  /**
   * kafkajs's broker list, refreshed only when older than its metadata max age: each poll's own Metadata
   * request is the truth, and a node id the list lacks refreshes it anyway (kafkajs's findBroker). kafkajs asks
   * for every topic on each refresh, a second full Metadata per poll that no request count saw.
   */
  async refreshBrokersIfStale(): Promise<void> {
    await this.cluster.refreshMetadataIfNecessary();
  }

  /** Broker ids from the latest metadata. */
  nodeIds(): number[] {
    return this.cluster.getNodeIds().map(Number);
  }

  /** A connected broker; an id missing from the cached metadata gets one metadata refresh (done by kafkajs). */
  async broker(nodeId: number): Promise<InternalBroker> {
    const broker = await this.cluster.findBroker({ nodeId }).catch((error: Error) => {
      if (error.name !== "KafkaJSBrokerNotFound") throw error;
      return this.cluster.findBroker({ nodeId });
    });
    broker.nodeId ??= nodeId;
    return broker;
  }

  /** Coordinator of a consumer group or transactional id (FindCoordinator, with kafkajs's retries). */
  async coordinator(kind: "group" | "transaction", key: string): Promise<InternalBroker> {
    return this.cluster.findGroupCoordinator({ groupId: key, coordinatorType: kind === "group" ? 0 : 1 });
  }

  /** Version ranges the broker advertised when kafkajs connected to it. */
  async apiVersions(nodeId: number): Promise<ApiVersionRanges> {
    return (await this.broker(nodeId)).versions ?? {};
  }

  /** Our own ApiVersions v3+ exchange, for the feature levels kafkajs's v0-2 request cannot see. */
  async features(nodeId: number, meter?: TrafficMeter): Promise<ApiResult<ApiVersionsResponse>> {
    return callApi(await this.broker(nodeId), apiVersionsApi, CLIENT_SOFTWARE, meter);
  }

  async call<Req, Res>(
    nodeId: number,
    api: ApiMessage<Req, Res>,
    request: Req,
    meter?: TrafficMeter,
    lane?: Lane,
  ): Promise<ApiResult<Res>> {
    return callApi(await this.broker(nodeId), api, request, meter, lane);
  }
}
