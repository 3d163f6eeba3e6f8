import type { Reader, Writer } from "./codec";
import { decodeResponseBody, encodeRequestBody, type ApiMessage } from "./message";

export interface DescribeLogDirsRequest {
  /** null = every partition the broker hosts. */
  topics: { topic: string; partitions: number[] }[] | null;
}

export interface LogDirPartition {
  partition: number;
  sizeBytes: number;
  offsetLag: number;
  /** True for the future replica of an in-progress intra-broker move (ignore when summing sizes). */
  isFuture: boolean;
}

export interface LogDirResult {
  errorCode: number;
  logDir: string;
  topics: { name: string; partitions: LogDirPartition[] }[];
  /** v4+, -1 when unknown. */
  totalBytes: number;
  /** v4+, -1 when unknown. */
  usableBytes: number;
  /** v5+, false before. */
  isCordoned: boolean;
}

export interface DescribeLogDirsResponse {
  throttleTimeMs: number;
  /** v3+ top-level error (e.g. CLUSTER_AUTHORIZATION_FAILED), 0 before. */
  errorCode: number;
  results: LogDirResult[];
}

/** Answers only for the broker it is sent to. */
export const describeLogDirsApi: ApiMessage<DescribeLogDirsRequest, DescribeLogDirsResponse> = {
  apiKey: 35,
  apiName: "DescribeLogDirs",
  minVersion: 1,
  maxVersion: 5,
  firstFlexibleVersion: 2,
  responseHeaderHasTags: true,
  writeRequest(w: Writer, _version: number, request: DescribeLogDirsRequest) {
    w.nullableArray(request.topics, (w, topic) => {
      w.string(topic.topic);
      w.array(topic.partitions, (w, partition) => w.int32(partition));
      w.taggedFields();
    });
    w.taggedFields();
  },
  readResponse(r: Reader, version: number) {
    const throttleTimeMs = r.int32();
    const errorCode = version >= 3 ? r.int16() : 0;
    const results = r.array((r): LogDirResult => {
      const resultErrorCode = r.int16();
      const logDir = r.string();
      const topics = r.array((r) => {
        const name = r.string();
        const partitions = r.array((r) => {
          const partition: LogDirPartition = {
            partition: r.int32(),
            sizeBytes: r.int64(),
            offsetLag: r.int64(),
            isFuture: r.bool(),
          };
          r.taggedFields();
          return partition;
        });
        r.taggedFields();
        return { name, partitions };
      });
      const totalBytes = version >= 4 ? r.int64() : -1;
      const usableBytes = version >= 4 ? r.int64() : -1;
      const isCordoned = version >= 5 ? r.bool() : false;
      r.taggedFields();
      return { errorCode: resultErrorCode, logDir, topics, totalBytes, usableBytes, isCordoned };
    });
    r.taggedFields();
    return { throttleTimeMs, errorCode, results };
  },
};

export function encodeDescribeLogDirsRequest(version: number, request: DescribeLogDirsRequest): Buffer {
  return encodeRequestBody(describeLogDirsApi, version, request);
}

export function decodeDescribeLogDirsResponse(version: number, payload: Buffer): DescribeLogDirsResponse {
  return decodeResponseBody(describeLogDirsApi, version, payload);
}
