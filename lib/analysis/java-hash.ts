// Kafka picks a group's / transactional id's coordinator with Java's String.hashCode, so linking a
// transaction's `__consumer_offsets` partition back to a group needs the exact same arithmetic.

/** Java's String.hashCode: h = 31*h + c over UTF-16 code units, in 32-bit signed arithmetic. */
export function javaStringHashCode(value: string): number {
  let hash = 0;
  for (let i = 0; i < value.length; i++) {
    hash = (Math.imul(31, hash) + value.charCodeAt(i)) | 0;
  }
  return hash;
}

/** Kafka's Utils.abs: 0 for Integer.MIN_VALUE (whose Math.abs is still negative), Math.abs otherwise. */
export function kafkaAbs(n: number): number {
  return n === -2147483648 ? 0 : Math.abs(n);
}

/** Partition of `__consumer_offsets` / `__transaction_state` that holds this id's coordinator state. */
export function coordinatorPartition(id: string, partitionCount: number): number {
  if (!Number.isInteger(partitionCount) || partitionCount <= 0) {
    throw new RangeError(`partitionCount must be a positive integer, got ${partitionCount}`);
  }
  return kafkaAbs(javaStringHashCode(id)) % partitionCount;
}
