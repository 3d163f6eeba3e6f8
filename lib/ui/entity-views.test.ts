import { describe, expect, it } from "vitest";
import { computeGroupLag } from "../analysis/detectors/eos-lag";
import { DEFAULT_SETTINGS } from "../analysis/settings";
import { buildIndex } from "../analysis/snapshot-index";
import type { ClusterSnapshot } from "../snapshot/types";
import type { FindingDto } from "./dto";
import { groupDetail, groupRows, verdictsFromFindings } from "./group-view";
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

function lagsOf(snapshot: ClusterSnapshot) {
  return computeGroupLag(buildIndex(snapshot, snapshot.collectedAt, DEFAULT_SETTINGS), {}, {});
}

const lagFinding = (groupId: string, verdict: string, resolvedAt: number | null = null) =>
  ({ kind: "eos-lag", subject: { groupId }, evidence: { verdict }, resolvedAt }) as unknown as FindingDto;

describe("group views", () => {
  it("takes the worst open eos-lag verdict per group and ignores resolved ones", () => {
    const verdicts = verdictsFromFindings([
      lagFinding("g", "LAGGING"),
      lagFinding("g", "STALLED"),
      lagFinding("h", "STOPPED", 5),
      lagFinding("i", "<script>"),
    ]);
    expect([...verdicts]).toEqual([["g", "STALLED"]]);
  });

  it("aggregates EOS lag per group; a group without a finding is OK", () => {
    const snap = fixtureSnapshot();
    const [billing] = groupRows(snap, lagsOf(snap), new Map());
    expect(billing.consumableLag).toBe(10);
    expect(billing.txnBlockedLag).toBe(30);
    expect(billing.verdict).toBe("OK");
    expect(billing.topics).toEqual(["orders"]);
    expect(groupRows(snap, lagsOf(snap), new Map([["billing", "TXN_BLOCKED" as const]]))[0].verdict).toBe("TXN_BLOCKED");
  });

  it("shows an offset-only group (no members, no protocol type) as EXTERNAL without a finding", () => {
    const snap = fixtureSnapshot();
    const offsetOnly = { ...snap, groups: snap.groups.map((g) => (g.groupId === "billing" ? { ...g, protocolType: "", state: "Empty", members: [] } : g)) };
    expect(groupRows(offsetOnly, lagsOf(offsetOnly), new Map())[0].verdict).toBe("EXTERNAL");
  });

  it("shows committed vs LSO vs HW and the assigned member per partition", () => {
    const snap = fixtureSnapshot();
    const detail = groupDetail(snap, lagsOf(snap), "billing", new Map())!;
    expect(detail.partitions.map((p) => [p.partition, p.committed, p.lastStableOffset, p.highWatermark, p.assignedTo])).toEqual([
      [0, 110, 120, 150, "c1"],
      [1, 80, 80, 80, null],
    ]);
    expect(groupDetail(snap, lagsOf(snap), "nope", new Map())).toBeNull();
  });

  it("reads groups of snapshots recorded before types as classic, without epochs", () => {
    const snap = fixtureSnapshot();
    const detail = groupDetail(snap, lagsOf(snap), "billing", new Map())!;
    expect(detail.group.type).toBe("classic");
    expect([detail.groupEpoch, detail.stateNote, detail.shareOffsets]).toEqual([null, null, null]);
    expect(detail.members[0]).toMatchObject({ memberEpoch: null, targetAssignment: null });
  });

  it("shows a KIP-848 group's epochs, member epochs, target assignment and what Reconciling means", () => {
    const snap = fixtureSnapshot();
    snap.groups.push({
      groupId: "kip848",
      type: "consumer",
      state: "Reconciling",
      protocolType: "consumer",
      protocol: "uniform",
      coordinatorId: 1,
      groupEpoch: 7,
      assignmentEpoch: 7,
      members: [
        {
          memberId: "m",
          clientId: "c",
          host: "/h",
          memberEpoch: 6,
          assignment: [{ topic: "orders", partition: 0 }, { topic: "orders", partition: 1 }],
          targetAssignment: [{ topic: "orders", partition: 0 }],
        },
      ],
      offsets: [{ topic: "orders", partition: 0, offset: 110, metadata: null }],
    });
    const detail = groupDetail(snap, lagsOf(snap), "kip848", new Map())!;
    expect(detail.group).toMatchObject({ type: "consumer", state: "Reconciling", memberCount: 1 });
    expect([detail.groupEpoch, detail.assignmentEpoch]).toEqual([7, 7]);
    expect(detail.stateNote).toMatch(/target assignment/);
    expect(detail.members).toEqual([{ memberId: "m", clientId: "c", host: "/h", memberEpoch: 6, assignment: ["orders-0", "orders-1"], targetAssignment: ["orders-0"] }]);
  });

  it("gives a share group the broker's lag and start offsets, shared partitions and no committed-offset rows", () => {
    const snap = fixtureSnapshot();
    const member = (clientId: string) => ({ memberId: clientId, clientId, host: "/h", memberEpoch: 3, assignment: [{ topic: "orders", partition: 1 }] });
    snap.groups.push({
      groupId: "share",
      type: "share",
      state: "Stable",
      protocolType: "share",
      protocol: "simple",
      coordinatorId: 1,
      groupEpoch: 3,
      assignmentEpoch: 3,
      members: [member("a"), member("b")],
      offsets: [],
      shareOffsets: [
        { topic: "orders", partition: 0, startOffset: null, lag: null },
        { topic: "orders", partition: 1, startOffset: 70, lag: 4 },
      ],
    });
    const row = groupRows(snap, lagsOf(snap), new Map()).find((r) => r.groupId === "share")!;
    expect(row).toMatchObject({ type: "share", consumableLag: 4, txnBlockedLag: 0, topics: ["orders"] });
    const detail = groupDetail(snap, lagsOf(snap), "share", new Map())!;
    expect(detail.partitions).toEqual([]);
    expect(detail.shareOffsets).toEqual([
      { topic: "orders", partition: 0, startOffset: null, lag: null, highWatermark: 150, assignedTo: null },
      { topic: "orders", partition: 1, startOffset: 70, lag: 4, highWatermark: 80, assignedTo: "a, b" },
    ]);
    expect(detail.members.map((m) => [m.memberEpoch, m.targetAssignment])).toEqual([[3, null], [3, null]]);
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
