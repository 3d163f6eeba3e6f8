import { KafkaProtocolError, writeTxnMarkersApi, type ProtocolClient } from "./protocol";

// What `kafka-transactions.sh abort` does once it has found the transaction (Admin#abortTransaction,
// AbortTransactionHandler): one WriteTxnMarkers ABORT for one partition, sent to that partition's leader with
// the producer id, epoch and coordinator epoch that DescribeProducers reports for the open transaction.

export interface AbortSpec {
  topic: string;
  partition: number;
  /** The partition leader's node id. */
  leaderId: number;
  producerId: number;
  producerEpoch: number;
  /** As DescribeProducers reports it; -1 (no marker written yet) is sent as 0, as the CLI does. */
  coordinatorEpoch: number;
}

/** The broker answered, but not with exactly one result for the marker and partition that were sent. */
export class UnexpectedWriteTxnMarkersResponse extends Error {
  override name = "UnexpectedWriteTxnMarkersResponse";
}

/** Writes the abort marker; resolves once the leader has appended it, throws KafkaProtocolError on its error code. */
export async function writeAbortMarker(client: ProtocolClient, spec: AbortSpec): Promise<void> {
  const { response } = await client.call(spec.leaderId, writeTxnMarkersApi, {
    markers: [
      {
        producerId: spec.producerId,
        producerEpoch: spec.producerEpoch,
        transactionResult: false,
        topics: [{ name: spec.topic, partitionIndexes: [spec.partition] }],
        // A producer whose transaction never got a marker reports -1; 0 is ≤ any real coordinator epoch.
        coordinatorEpoch: Math.max(spec.coordinatorEpoch, 0),
      },
    ],
  });
  const marker = response.markers.length === 1 && response.markers[0].producerId === spec.producerId ? response.markers[0] : null;
  const topic = marker?.topics.length === 1 && marker.topics[0].name === spec.topic ? marker.topics[0] : null;
  const result = topic?.partitions.length === 1 && topic.partitions[0].partitionIndex === spec.partition ? topic.partitions[0] : null;
  if (!result) {
    throw new UnexpectedWriteTxnMarkersResponse(
      `WriteTxnMarkers answered ${JSON.stringify(response.markers)}, expected one result for producer ${spec.producerId} on ${spec.topic}-${spec.partition}`,
    );
  }
  if (result.errorCode !== 0) throw new KafkaProtocolError(result.errorCode, `WriteTxnMarkers ${spec.topic}-${spec.partition}`);
}
