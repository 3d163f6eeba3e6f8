import type { Reader, Writer } from "./codec";
import { decodeResponseBody, encodeRequestBody, type ApiMessage } from "./message";

export interface WritableTxnMarker {
  producerId: number;
  /** INT16 on the wire. */
  producerEpoch: number;
  /** false = ABORT, true = COMMIT. */
  transactionResult: boolean;
  topics: { name: string; partitionIndexes: number[] }[];
  coordinatorEpoch: number;
}

export interface WriteTxnMarkersRequest {
  markers: WritableTxnMarker[];
}

export interface WriteTxnMarkersResponse {
  markers: {
    producerId: number;
    topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[];
  }[];
}

/**
 * Normally sent by a transaction coordinator to partition leaders; `kafka-transactions.sh abort` (Admin
 * abortTransaction) sends it itself to end a hanging transaction. Needs ALTER (or CLUSTER_ACTION) on the cluster
 * resource. v1 is what every broker with DescribeProducers accepts: 3.9 advertises v0-1, 4.x v1-2 (4.0 removed
 * v0; v2, KIP-1228, adds the marker's transaction version), and v1 aborts a hanging transaction on both
 * (e2e/integration/remediation/abort.test.ts).
 */
export const writeTxnMarkersApi: ApiMessage<WriteTxnMarkersRequest, WriteTxnMarkersResponse> = {
  apiKey: 27,
  apiName: "WriteTxnMarkers",
  minVersion: 0,
  maxVersion: 1,
  firstFlexibleVersion: 1,
  responseHeaderHasTags: true,
  writeRequest(w: Writer, _version: number, request: WriteTxnMarkersRequest) {
    w.array(request.markers, (w, marker) => {
      w.int64(marker.producerId);
      w.int16(marker.producerEpoch);
      w.bool(marker.transactionResult);
      w.array(marker.topics, (w, topic) => {
        w.string(topic.name);
        w.array(topic.partitionIndexes, (w, partition) => w.int32(partition));
        w.taggedFields();
      });
      w.int32(marker.coordinatorEpoch);
      w.taggedFields();
    });
    w.taggedFields();
  },
  readResponse(r: Reader) {
    const markers = r.array((r) => {
      const producerId = r.int64();
      const topics = r.array((r) => {
        const name = r.string();
        const partitions = r.array((r) => {
          const partitionIndex = r.int32();
          const errorCode = r.int16();
          r.taggedFields();
          return { partitionIndex, errorCode };
        });
        r.taggedFields();
        return { name, partitions };
      });
      r.taggedFields();
      return { producerId, topics };
    });
    r.taggedFields();
    return { markers };
  },
};

export function encodeWriteTxnMarkersRequest(version: number, request: WriteTxnMarkersRequest): Buffer {
  return encodeRequestBody(writeTxnMarkersApi, version, request);
}

export function decodeWriteTxnMarkersResponse(version: number, payload: Buffer): WriteTxnMarkersResponse {
  return decodeResponseBody(writeTxnMarkersApi, version, payload);
}
