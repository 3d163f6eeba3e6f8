import { describe, expect, it } from "vitest";
import { groupDetail, groupPartitionLag, groupRows } from "./group-view";
import { partitionKey, topicDetail, topicRows } from "./topic-view";
import { filterTransactions, groupsBlockedBy, transactionRows } from "./transaction-view";
import { fixtureSnapshot } from "./testing/snapshot-fixture";

describe("topic views", () => {
  const rates = new Map([
    [partitionKey("orders", 0), 30],
    [partitionKey("orders", 1), 10],
  ]);

  it("sums txn-blocked offsets and computes skew from partition rates", () => {
    const orders = topicRows(fixtureSnapshot(), rates).find((t) => t.name === "orders")!;
    expect(orders.txnBlocked).toBe(30);
    expect(orders.ratePerSec).toBe(40);
    expect(orders.skew).toBe(1.5);
    expect(orders.partitionsWithOpenTxn).toBe(1);
    expect(orders.offline).toBe(1);
    expect(orders.sizeBytes).toBe(1500);
  });

  it("has no rate or skew without a previous poll", () => {
    const orders = topicRows(fixtureSnapshot(), new Map()).find((t) => t.name === "orders")!;
    expect(orders.ratePerSec).toBeNull();
    expect(orders.skew).toBeNull();
  });

  it("links producers to their transactional id and keeps unknown offsets null", () => {
    const detail = topicDetail(fixtureSnapshot(), "orders", rates)!;
    expect(detail.partitions[0].producers?.[0].transactionalId).toBe("writer-1");
    expect(detail.partitions[0].txnBlocked).toBe(30);
    expect(detail.partitions[2].txnBlocked).toBeNull();
    expect(detail.partitions[2].producers).toBeNull();
    expect(topicDetail(fixtureSnapshot(), "missing", rates)).toBeNull();
  });
});

describe("group views", () => {
  it("splits lag into consumable (LSO − committed) and txn-blocked (HW − LSO)", () => {
    expect(groupPartitionLag(110, 120, 150)).toEqual({ consumableLag: 10, txnBlockedLag: 30 });
    expect(groupPartitionLag(80, 80, 80)).toEqual({ consumableLag: 0, txnBlockedLag: 0 });
    expect(groupPartitionLag(null, 80, 80)).toEqual({ consumableLag: null, txnBlockedLag: null });
  });

  it("does not count offsets a read_uncommitted consumer already read as blocked", () => {
    expect(groupPartitionLag(140, 120, 150)).toEqual({ consumableLag: 0, txnBlockedLag: 10 });
  });

  it("aggregates per group with the detector's verdict", () => {
    const [billing] = groupRows(fixtureSnapshot(), new Map([["billing", "TXN_BLOCKED" as const]]));
    expect(billing.consumableLag).toBe(10);
    expect(billing.txnBlockedLag).toBe(30);
    expect(billing.verdict).toBe("TXN_BLOCKED");
    expect(billing.topics).toEqual(["orders"]);
  });

  it("shows the assigned member per partition", () => {
    const detail = groupDetail(fixtureSnapshot(), "billing", new Map())!;
    expect(detail.partitions.map((p) => p.assignedTo)).toEqual(["c1", null]);
    expect(detail.group.verdict).toBeNull();
  });
});

describe("transaction views", () => {
  it("measures open time at poll time and flags transactions over their timeout", () => {
    const [open, idle] = transactionRows(fixtureSnapshot());
    expect(open.openForMs).toBe(90_000);
    expect(open.overTimeout).toBe(true);
    expect(idle.openForMs).toBeNull();
    expect(idle.overTimeout).toBe(false);
  });

  it("filters by state, minimum age and id prefix", () => {
    const rows = transactionRows(fixtureSnapshot());
    expect(filterTransactions(rows, { state: "Ongoing" }).map((r) => r.transactionalId)).toEqual(["writer-1"]);
    expect(filterTransactions(rows, { minOpenMs: 120_000 })).toEqual([]);
    expect(filterTransactions(rows, { idPrefix: "writer-2" }).length).toBe(1);
  });

  it("finds groups caught up to a pinned LSO", () => {
    const snap = fixtureSnapshot();
    snap.groups[0].offsets[0].offset = 120;
    const blocked = groupsBlockedBy(snap, snap.transactions[0]);
    expect(blocked).toEqual([
      { groupId: "billing", topic: "orders", partition: 0, committed: 120, lastStableOffset: 120, highWatermark: 150 },
    ]);
    expect(groupsBlockedBy(fixtureSnapshot(), fixtureSnapshot().transactions[0])).toEqual([]);
  });
});
