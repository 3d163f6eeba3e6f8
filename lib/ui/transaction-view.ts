import type { ClusterSnapshot, TransactionState } from "../snapshot/types";
import { transactionalIdFamily } from "../analysis/detectors/lost-fencing";
import type { BlockedGroupRow, TransactionRow } from "./dto";
import { OPEN_TRANSACTION_STATES } from "./cluster-view";
import { partitionKey } from "./topic-view";

/** Ages are measured at poll time so that a time-travel view shows the age it had then. */
export function transactionRow(t: TransactionState, collectedAt: number): TransactionRow {
  const open = t.transactionStartTimeMs >= 0 && OPEN_TRANSACTION_STATES.has(t.state);
  const openForMs = open ? Math.max(0, collectedAt - t.transactionStartTimeMs) : null;
  return {
    transactionalId: t.transactionalId,
    state: t.state,
    producerId: t.producerId,
    producerEpoch: t.producerEpoch,
    coordinatorId: t.coordinatorId,
    transactionTimeoutMs: t.transactionTimeoutMs,
    transactionStartTimeMs: t.transactionStartTimeMs,
    openForMs,
    overTimeout: openForMs != null && openForMs > t.transactionTimeoutMs,
    partitions: t.partitions,
  };
}

export function transactionRows(snapshot: ClusterSnapshot): TransactionRow[] {
  return snapshot.transactions.map((t) => transactionRow(t, snapshot.collectedAt));
}

export interface TransactionFilter {
  state?: string;
  /** Only transactions open at least this long. */
  minOpenMs?: number;
  idPrefix?: string;
  /** Only ids of this family, as a lost-fencing finding names it (`exporter-*`). */
  family?: string;
}

export function filterTransactions(rows: TransactionRow[], f: TransactionFilter): TransactionRow[] {
  return rows.filter(
    (r) =>
      (!f.state || r.state === f.state) &&
      (f.minOpenMs == null || (r.openForMs != null && r.openForMs >= f.minOpenMs)) &&
      (!f.idPrefix || r.transactionalId.startsWith(f.idPrefix)) &&
      (!f.family || transactionalIdFamily(r.transactionalId) === f.family),
  );
}

/**
 * Groups held back by this transaction: they committed up to the LSO of a partition the transaction keeps open,
 * while data sits committed-invisible between the LSO and the HW.
 */
export function groupsBlockedBy(snapshot: ClusterSnapshot, t: TransactionState): BlockedGroupRow[] {
  if (!OPEN_TRANSACTION_STATES.has(t.state)) return [];
  const pinned = new Map<string, { lso: number; hw: number }>();
  for (const ref of t.partitions) {
    const p = snapshot.topics.find((x) => x.name === ref.topic)?.partitions.find((x) => x.partition === ref.partition);
    if (p?.lastStableOffset != null && p.highWatermark != null && p.highWatermark > p.lastStableOffset) {
      pinned.set(partitionKey(ref.topic, ref.partition), { lso: p.lastStableOffset, hw: p.highWatermark });
    }
  }
  const rows: BlockedGroupRow[] = [];
  for (const g of snapshot.groups) {
    for (const o of g.offsets) {
      const pin = pinned.get(partitionKey(o.topic, o.partition));
      if (pin && o.offset >= pin.lso) {
        rows.push({ groupId: g.groupId, topic: o.topic, partition: o.partition, committed: o.offset, lastStableOffset: pin.lso, highWatermark: pin.hw });
      }
    }
  }
  return rows;
}
