import type { Reader, Writer } from "./codec";
import { decodeResponseBody, encodeRequestBody, type ApiMessage } from "./message";
import type { VersionRange } from "./versions";

export interface ApiVersionsRequest {
  /** Must match [a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])? or the broker answers INVALID_REQUEST. */
  clientSoftwareName: string;
  clientSoftwareVersion: string;
}

export interface FeatureRange {
  minVersion: number;
  maxVersion: number;
}

export interface ApiVersionsResponse {
  errorCode: number;
  apiVersions: Record<number, VersionRange>;
  throttleTimeMs: number;
  /** Feature name -> range this broker can support (tag 0). */
  supportedFeatures: Record<string, FeatureRange>;
  /** Epoch of the finalized features, -1 when absent (tag 1). */
  finalizedFeaturesEpoch: number;
  /** Feature name -> finalized (cluster-wide active) level range (tag 2), e.g. transaction.version, metadata.version. */
  finalizedFeatures: Record<string, FeatureRange>;
}

export const CLIENT_SOFTWARE: ApiVersionsRequest = {
  clientSoftwareName: "kafka-eos-auditor",
  clientSoftwareVersion: "0.1.0",
};

function readFeatures(field: Reader, readRange: (r: Reader) => FeatureRange): Record<string, FeatureRange> {
  const features: Record<string, FeatureRange> = {};
  for (const { name, range } of field.array((r) => {
    const entry = { name: r.string(), range: readRange(r) };
    r.taggedFields();
    return entry;
  })) {
    features[name] = range;
  }
  return features;
}

/**
 * v3-4 only: the versions whose tagged fields carry the features (v0-2 are what kafkajs already sends). v5 adds
 * cluster-id checks (KIP-1242) that an admin read does not need.
 */
export const apiVersionsApi: ApiMessage<ApiVersionsRequest, ApiVersionsResponse> = {
  apiKey: 18,
  apiName: "ApiVersions",
  minVersion: 3,
  maxVersion: 4,
  firstFlexibleVersion: 3,
  responseHeaderHasTags: false,
  writeRequest(w: Writer, _version: number, request: ApiVersionsRequest) {
    w.string(request.clientSoftwareName);
    w.string(request.clientSoftwareVersion);
    w.taggedFields();
  },
  readResponse(r: Reader) {
    const errorCode = r.int16();
    const apiVersions: Record<number, VersionRange> = {};
    for (const { apiKey, range } of r.array((r) => {
      const entry = { apiKey: r.int16(), range: { minVersion: r.int16(), maxVersion: r.int16() } };
      r.taggedFields();
      return entry;
    })) {
      apiVersions[apiKey] = range;
    }
    const throttleTimeMs = r.int32();
    const response: ApiVersionsResponse = {
      errorCode,
      apiVersions,
      throttleTimeMs,
      supportedFeatures: {},
      finalizedFeaturesEpoch: -1,
      finalizedFeatures: {},
    };
    r.taggedFields({
      0: (field) => {
        response.supportedFeatures = readFeatures(field, (r) => ({ minVersion: r.int16(), maxVersion: r.int16() }));
      },
      1: (field) => {
        response.finalizedFeaturesEpoch = field.int64();
      },
      2: (field) => {
        // On the wire the finalized entry is MaxVersionLevel then MinVersionLevel.
        response.finalizedFeatures = readFeatures(field, (r) => {
          const maxVersion = r.int16();
          return { minVersion: r.int16(), maxVersion };
        });
      },
    });
    return response;
  },
};

export function encodeApiVersionsRequest(version: number, request: ApiVersionsRequest = CLIENT_SOFTWARE): Buffer {
  return encodeRequestBody(apiVersionsApi, version, request);
}

export function decodeApiVersionsResponse(version: number, payload: Buffer): ApiVersionsResponse {
  return decodeResponseBody(apiVersionsApi, version, payload);
}

