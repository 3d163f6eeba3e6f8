import { OPEN_TRANSACTION_STATES } from "@/lib/snapshot/transaction-states";
import type { ClusterSnapshot, TransactionState } from "@/lib/snapshot/types";
import type { TransactionalIdEventRecord } from "./types";

/** What the store remembers of a transactional id between polls. */
export interface KnownTransactionalId {
  transactionalId: string;
  state: string;
  producerId: number;
  producerEpoch: number;
}

/**
 * The changes between the stored state of the transactional ids and this poll's listing.
 * `listingComplete` is false when the transactions phase failed or is unsupported: ids missing from a
 * partial listing are not gone, so no `disappeared` events are produced then.
 */
export function diffTransactionalIds(
  known: readonly KnownTransactionalId[],
  current: readonly TransactionState[],
  listingComplete: boolean,
): TransactionalIdEventRecord[] {
  const previous = new Map(known.map((k) => [k.transactionalId, k]));
  const events: TransactionalIdEventRecord[] = [];
  const seen = new Set<string>();
  for (const txn of current) {
    seen.add(txn.transactionalId);
    const before = previous.get(txn.transactionalId);
    const base = { transactionalId: txn.transactionalId, producerId: txn.producerId, epoch: txn.producerEpoch };
    if (!before) {
      events.push({ ...base, kind: "appeared", fromState: null, toState: txn.state, prevProducerId: null, prevEpoch: null });
      continue;
    }
    const prev = { prevProducerId: before.producerId, prevEpoch: before.producerEpoch };
    if (before.producerId !== txn.producerId) {
      events.push({ ...base, ...prev, kind: "producer-id-change", fromState: before.state, toState: txn.state });
    } else if (before.producerEpoch !== txn.producerEpoch) {
      events.push({ ...base, ...prev, kind: "epoch-bump", fromState: before.state, toState: txn.state });
    }
    if (before.state !== txn.state) {
      events.push({ ...base, ...prev, kind: "state-change", fromState: before.state, toState: txn.state });
    }
  }
  if (listingComplete) {
    for (const before of known) {
      if (seen.has(before.transactionalId)) continue;
      events.push({
        transactionalId: before.transactionalId,
        kind: "disappeared",
        fromState: before.state,
        toState: null,
        producerId: null,
        epoch: null,
        prevProducerId: before.producerId,
        prevEpoch: before.producerEpoch,
      });
    }
  }
  return events;
}

export interface OpenTransactionFigures {
  openTxnCount: number;
  maxOpenTxnMs: bigint | null;
  sumOpenTxnMs: bigint;
}

/**
 * How many transactions a poll saw open and for how long (collectedAt − transactionStartTimeMs). Null when
 * the transactions listing failed or is unsupported: a partial listing would bias the capacity figures.
 */
export function openTransactionFigures(snapshot: ClusterSnapshot): OpenTransactionFigures | null {
  const phase = snapshot.phases.find((p) => p.name === "transactions");
  if (phase && (phase.errors.length > 0 || phase.unsupported)) return null;
  const openMs = snapshot.transactions
    .filter((t) => OPEN_TRANSACTION_STATES.has(t.state) && t.transactionStartTimeMs >= 0)
    .map((t) => Math.max(0, snapshot.collectedAt - t.transactionStartTimeMs));
  return {
    openTxnCount: openMs.length,
    maxOpenTxnMs: openMs.length ? BigInt(openMs.reduce((max, ms) => Math.max(max, ms), 0)) : null,
    sumOpenTxnMs: BigInt(openMs.reduce((sum, ms) => sum + ms, 0)),
  };
}
