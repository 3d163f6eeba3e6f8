import { describe, expect, it } from "vitest";
import type { ClusterSnapshot, TransactionState } from "../../snapshot/types";
import { coordinatorPartition } from "../java-hash";
import { resolveSettings } from "../settings";
import { buildIndex } from "../snapshot-index";
import { T0, buildGroup, buildSnapshot, buildTransaction, buildUniformTopic } from "../testing/snapshot-builder";
import { foldTransactionalIds, type TransactionalIdHistory } from "../transactional-id-history";
import { detectLostFencing, transactionalIdFamily } from "./lost-fencing";

const settings = resolveSettings();

describe("transactionalIdFamily", () => {
  it.each([
    ["orders-writer-3f2b8c1e-9d4a-4b7e-8f00-1234567890ab", "orders-writer-*"],
    ["orders-writer-7d9f8b6c4-x2x7k", "orders-writer-*"],
    ["orders-writer-7d9f8b6c4-x2x7k-0", "orders-writer-*-*"],
    ["payments.tx.1732700000123", "payments.tx.*"],
    ["payments_a1b2c3d4", "payments_*"],
    ["app-0_1", "app-*_*"],
    ["kafka-order-writer", "kafka-order-writer"],
    ["decade-facade", "decade-facade"],
  ])("%s → %s", (id, family) => {
    expect(transactionalIdFamily(id)).toBe(family);
  });
});

function fold(polls: TransactionState[][], extra: Partial<ClusterSnapshot> = {}) {
  let ids: Record<string, TransactionalIdHistory> | undefined;
  let last!: ClusterSnapshot;
  polls.forEach((transactions, i) => {
    last = buildSnapshot({ collectedAt: T0 + i * 60_000, transactions, ...extra });
    ids = foldTransactionalIds(ids, last, settings);
  });
  return detectLostFencing(buildIndex(last, last.collectedAt, settings), ids!);
}

const tx = (transactionalId: string, producerId: number, fields: Partial<TransactionState> = {}) =>
  buildTransaction({ transactionalId, producerId, state: "CompleteCommit", ...fields });

describe("lost fencing families", () => {
  it("flags ids of one family that keep appearing", () => {
    const [f, ...rest] = fold([
      [tx("writer-8f3a9c21", 1)],
      [tx("writer-8f3a9c21", 1), tx("writer-77b2e410", 2)],
      [tx("writer-8f3a9c21", 1), tx("writer-77b2e410", 2), tx("writer-0c9d1e55", 3)],
    ]);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ kind: "lost-fencing", severity: "warning", subject: { transactionalId: "writer-*" } });
    expect(f.evidence).toMatchObject({
      distinctIds: 3,
      appearedWhileWatching: 2,
      generatedParts: true,
      newestId: "writer-0c9d1e55",
      stillListed: 3,
    });
  });

  it("flags ids with generated parts at first sight: UUID per start, all listed before we started watching", () => {
    const ids = [0, 1, 2].map((i) => tx(`payments-writer-${["6468c3fe-7c66-4439-a7b7-b64bf795efdb", "80dff12b-dda7-4075-9849-1706dfa88a42", "e66c98bd-d2f5-40e5-9a07-a81110985c2f"][i]}`, i, { transactionStartTimeMs: T0 - (3 - i) * 60_000 }));
    const [f] = fold([ids]);
    expect(f.evidence).toMatchObject({
      family: "payments-writer-*",
      distinctIds: 3,
      appearedWhileWatching: 0,
      generatedParts: true,
      newestId: "payments-writer-e66c98bd-d2f5-40e5-9a07-a81110985c2f",
    });
  });

  it("flags numbered ids only once new ones appear while watching", () => {
    const first = [tx("app-0", 1), tx("app-1", 2), tx("app-2", 3)];
    expect(fold([first, [...first, tx("app-3", 4)]])[0].evidence).toMatchObject({ appearedWhileWatching: 1, generatedParts: false });
  });

  it("does not flag stable per-instance ids present from the start, or fewer than 3 ids", () => {
    const stable = [tx("app-0", 1), tx("app-1", 2), tx("app-2", 3)];
    expect(fold([stable, stable])).toEqual([]);
    expect(fold([[tx("w-8f3a9c21", 1)], [tx("w-8f3a9c21", 1), tx("w-77b2e410", 2)]])).toEqual([]);
  });
});

describe("unfenced zombie suspects", () => {
  const offsetsPartitions = 3;
  const groupPartition = coordinatorPartition("enricher", offsetsPartitions);
  const base: Partial<ClusterSnapshot> = {
    topics: [buildUniformTopic("__consumer_offsets", offsetsPartitions), buildUniformTopic("enriched", 2)],
    groups: [buildGroup("enricher", [["raw", 0, 10]])],
  };
  const writing = (id: string, pid: number, out: number) =>
    tx(id, pid, {
      state: "Ongoing",
      transactionStartTimeMs: T0,
      partitions: [
        { topic: "enriched", partition: out },
        { topic: "__consumer_offsets", partition: groupPartition },
      ],
    });

  it("flags more concurrent writers for a group than it has members, sharing an output partition", () => {
    const [f] = fold([[writing("enricher-4f1c2d9a", 1, 0), writing("enricher-9b8e7f6a", 2, 0)]], base);
    expect(f).toMatchObject({ kind: "unfenced-zombie", severity: "critical", subject: { groupId: "enricher" } });
    expect(f.evidence).toMatchObject({
      transactionalIds: ["enricher-4f1c2d9a", "enricher-9b8e7f6a"],
      groupMembers: 1,
      sharedOutputPartitions: ["enriched-0"],
      sameFamily: true,
    });
  });

  it("does not flag writers matching the member count, or writing disjoint partitions", () => {
    const twoMembers = { ...base, groups: [buildGroup("enricher", [["raw", 0, 10]], { members: [1, 2].map((i) => ({ memberId: `m${i}`, clientId: "c", host: "h", assignment: [] })) })] };
    expect(fold([[writing("a-1", 1, 0), writing("b-2", 2, 0)]], twoMembers)).toEqual([]);
    expect(fold([[writing("a-1", 1, 0), writing("b-2", 2, 1)]], base)).toEqual([]);
  });

  it("does not count writers for a KIP-848 group the classic describe reports Dead without members", () => {
    const kip848 = { ...base, groups: [buildGroup("enricher", [["raw", 0, 10]], { type: "consumer", state: "Dead", protocolType: "", protocol: "", members: [] })] };
    expect(fold([[writing("enricher-4f1c2d9a", 1, 0), writing("enricher-9b8e7f6a", 2, 0)]], kip848)).toEqual([]);
  });
});

describe("group-generation fencing (KIP-447)", () => {
  it("Kafka Streams ids (<application.id>-<process UUID>-<thread>, new per start) committing offsets are not lost fencing", () => {
    const uuids = ["6468c3fe-7c66-4439-a7b7-b64bf795efdb", "80dff12b-dda7-4075-9849-1706dfa88a42", "e66c98bd-d2f5-40e5-9a07-a81110985c2f"];
    const streams = (n: number, withOffsets: boolean) =>
      uuids.slice(0, n).flatMap((uuid, i) =>
        [1, 2].map((thread) =>
          tx(`orders-app-${uuid}-${thread}`, i * 2 + thread, {
            state: "Ongoing",
            transactionStartTimeMs: T0 + i * 60_000,
            partitions: [{ topic: "orders-out", partition: thread }, ...(withOffsets ? [{ topic: "__consumer_offsets", partition: 1 }] : [])],
          }),
        ),
      );
    expect(fold([streams(1, true), streams(2, true), streams(3, true)])).toEqual([]);
    // The same ids without offsets in their transactions: nothing fences a zombie, the advice stays.
    expect(fold([streams(1, false), streams(2, false), streams(3, false)]).map((f) => [f.kind, f.subject.transactionalId])).toEqual([
      ["lost-fencing", "orders-app-*-*"],
    ]);
  });
});

