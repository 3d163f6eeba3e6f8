import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { recordFailedPoll, recordPoll } from "./polls";
import { listClusters, listFindings } from "./queries";
import { FIXTURE_T0, makeSnapshot } from "./test-fixtures";
import { openTestDatabase, type TestDatabase } from "./test-database";
import type { FindingRecordInput } from "./types";

let t: TestDatabase;
beforeEach(async () => {
  t = await openTestDatabase();
});
afterEach(async () => {
  await t.dispose();
});

const at = (pollIndex: number) => FIXTURE_T0 + pollIndex * 15_000;

function finding(key: string, severity: FindingRecordInput["severity"]): FindingRecordInput {
  return {
    key,
    kind: "hanging-transaction",
    severity,
    cluster: "fixture",
    subject: { topic: "orders", partition: 0 },
    title: key,
    evidence: {},
    explanation: "",
    remediation: "",
  };
}

/** Poll 0 opens A (critical); poll 1 opens B (warning); poll 2 resolves A; poll 3 fails to reach the cluster. */
async function recordHistory() {
  await recordPoll(makeSnapshot({ collectedAt: at(0) }), [finding("A", "critical")], {}, t.db);
  await recordPoll(makeSnapshot({ collectedAt: at(1) }), [finding("A", "critical"), finding("B", "warning")], {}, t.db);
  await recordPoll(makeSnapshot({ collectedAt: at(2) }), [finding("B", "warning")], {}, t.db);
  await recordFailedPoll({ cluster: "fixture", startedAt: new Date(at(3)), durationMs: 5_000, error: "ECONNREFUSED" }, t.db);
}

describe("listClusters as of a time", () => {
  it("gives the last poll, last snapshot and open findings as they were then", async () => {
    await recordHistory();
    const [live] = await listClusters({}, t.db);
    expect(live.lastPoll!.startedAt.getTime()).toBe(at(3));
    expect(live.lastSnapshotAt!.getTime()).toBe(at(2));
    expect(live.openFindings).toEqual({ critical: 0, warning: 1, info: 0, total: 1 });

    const [atOne] = await listClusters({ at: new Date(at(1) + 5_000) }, t.db);
    expect(atOne.lastPoll!.startedAt.getTime()).toBe(at(1));
    expect(atOne.lastSnapshotAt!.getTime()).toBe(at(1));
    expect(atOne.openFindings).toEqual({ critical: 1, warning: 1, info: 0, total: 2 });

    // Resolved at exactly at(2): no longer open at that instant.
    const [atTwo] = await listClusters({ at: new Date(at(2)) }, t.db);
    expect(atTwo.openFindings).toEqual({ critical: 0, warning: 1, info: 0, total: 1 });

    // After the failed poll the last poll is the failure, the last snapshot the poll before it.
    const [atThree] = await listClusters({ at: new Date(at(3)) }, t.db);
    expect(atThree.lastPoll).toMatchObject({ error: "ECONNREFUSED" });
    expect(atThree.lastSnapshotAt!.getTime()).toBe(at(2));
  });

  it("leaves out clusters first seen after the time", async () => {
    await recordHistory();
    expect(await listClusters({ at: new Date(at(0) - 1) }, t.db)).toEqual([]);
  });
});

describe("listFindings as of a time", () => {
  it("filters open, resolved and all by what was known at that time", async () => {
    await recordHistory();
    const keys = async (status: "open" | "resolved" | "all", time: number) =>
      (await listFindings({ cluster: "fixture", status, at: new Date(time) }, t.db)).map((f) => f.key).sort();
    expect(await keys("open", at(0))).toEqual(["A"]);
    expect(await keys("open", at(1))).toEqual(["A", "B"]);
    expect(await keys("open", at(2))).toEqual(["B"]);
    expect(await keys("resolved", at(1))).toEqual([]);
    expect(await keys("resolved", at(2))).toEqual(["A"]);
    expect(await keys("all", at(0))).toEqual(["A"]);
    expect(await keys("all", at(0) - 1)).toEqual([]);
  });

  it("applies the time in the query, so the limit counts only findings that match it", async () => {
    await recordHistory();
    // B is the most recently seen: without filtering in the query, a limit of 1 would fetch B and drop it.
    const open = await listFindings({ cluster: "fixture", status: "open", at: new Date(at(0)), limit: 1 }, t.db);
    expect(open.map((f) => f.key)).toEqual(["A"]);
  });
});
