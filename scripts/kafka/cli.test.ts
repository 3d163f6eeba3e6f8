import { describe, expect, it } from "vitest";
import { parseCliTable, parseGroupMembers, parseGroupStates } from "./cli";
import * as output from "./cli-output.fixtures";

describe("parseCliTable", () => {
  it("reads kafka-transactions' tab-separated tables", () => {
    expect(parseCliTable(output.list)).toEqual([
      { TransactionalId: "tx-open", Coordinator: "1", ProducerId: "3", TransactionState: "Ongoing" },
      { TransactionalId: "tx-1", Coordinator: "1", ProducerId: "1", TransactionState: "CompleteCommit" },
    ]);
  });

  it("keeps empty cells empty instead of shifting later columns", () => {
    const [done] = parseCliTable(output.describeDone);
    expect(done.TopicPartitions).toBe("");
    expect(done.TransactionDurationMs).toBe("4118");
    const [open] = parseCliTable(output.describeOpen);
    expect(open.TopicPartitions).toBe("out-0,out-1");
  });

  it("keeps 'None' as text for the caller to interpret", () => {
    expect(parseCliTable(output.producers).map((r) => r.CurrentTransactionStartOffset)).toEqual(["None", "2"]);
  });

  it("returns no rows for a header-only table", () => {
    expect(parseCliTable(output.hangingEmpty)).toEqual([]);
  });

  it.each([
    ["4.4.0 (blank line between groups)", output.groupsAll44],
    ["3.9.2 (repeated header, no blank line)", output.groupsAll392],
  ])("reads kafka-consumer-groups' space-padded tables, one per group, on %s", (_, stdout) => {
    const rows = parseCliTable(stdout, { headerStart: "GROUP" });
    expect(rows.map((r) => [r.GROUP, r.PARTITION, r["CURRENT-OFFSET"], r["CONSUMER-ID"]]).sort()).toEqual([
      ["g1", "0", "2", expect.stringMatching(/^kafkajs-/)],
      ["g1", "1", "1", expect.stringMatching(/^kafkajs-/)],
      ["g2", "0", "2", "-"],
    ]);
    expect(rows.every((r) => r.HOST === "/127.0.0.1" || r.HOST === "-")).toBe(true);
  });
});

describe("group state and member tables (4.4.0)", () => {
  it("reads consumer and share group states, with epochs only where the type has them", () => {
    expect(parseGroupStates(output.groupStates44)).toEqual([
      { group: "gt-classic", coordinatorId: 1, assignmentStrategy: "range", state: "Stable", groupEpoch: null, assignmentEpoch: null, members: 1 },
      { group: "gt-consumer", coordinatorId: 1, assignmentStrategy: "uniform", state: "Stable", groupEpoch: 4, assignmentEpoch: 4, members: 1 },
    ]);
    expect(parseGroupStates(output.shareGroupState44)).toEqual([
      { group: "gt-share", coordinatorId: 1, assignmentStrategy: null, state: "Stable", groupEpoch: 5, assignmentEpoch: 5, members: 1 },
    ]);
  });

  it("reads members with epochs and current and target assignments", () => {
    const all = [0, 1, 2].map((partition) => ({ topic: "gt", partition }));
    expect(parseGroupMembers(output.groupMembers44)).toEqual([
      { group: "gt-classic", memberId: "console-consumer-42700c05-ea10-48fd-a28c-5afeb24acb1a", host: "/127.0.0.1", clientId: "console-consumer", partitions: 3, memberEpoch: null, assignment: all, targetAssignment: [] },
      { group: "gt-consumer", memberId: "32FSZbXhR_2gpo_87lNBIw", host: "/127.0.0.1", clientId: "console-consumer", partitions: 3, memberEpoch: 4, assignment: all, targetAssignment: all },
    ]);
    expect(parseGroupMembers(output.shareGroupMembers44)).toEqual([
      { group: "gt-share", memberId: "ST6tGz34SWyUUxy0ZEbY9w", host: "/127.0.0.1", clientId: "console-share-consumer", partitions: 3, memberEpoch: 5, assignment: all },
    ]);
  });

  it("3.9.2: no epochs, and an assignment column without topic names", () => {
    expect(parseGroupStates(output.groupState392)).toEqual([
      { group: "gt-classic", coordinatorId: 1, assignmentStrategy: "range", state: "Stable", members: 1 },
    ]);
    expect(parseGroupMembers(output.groupMembers392)).toEqual([
      {
        group: "gt-classic",
        memberId: "console-consumer-b04ddcb3-3162-4931-ab54-e6d5a5e88bb9",
        host: "/127.0.0.1",
        clientId: "console-consumer",
        partitions: 3,
        assignment: [0, 1, 2].map((partition) => ({ topic: "", partition })),
      },
    ]);
  });
});
