import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { kindOf } from "./db";
import { recordPoll } from "./polls";
import {
  getFinding,
  getGroupLagSeries,
  getGroupStates,
  getSnapshotAt,
  getTransactionalIdEvents,
  getTransactionalIdStates,
} from "./queries";
import { pruneAndRollup } from "./retention";
import { escapeStoredText, unescapeStoredText } from "./stored-text";
import { FIXTURE_T0, fixtureGroup, fixtureTransaction, makeSnapshot } from "./test-fixtures";
import { openTestDatabase, type TestDatabase } from "./test-database";

describe("stored text escaping", () => {
  it("round-trips every mix of NUL and the escape character, and leaves other text alone", () => {
    for (const text of ["", "plain", "\u0000", "\u2400", "\u24000", "\u0000\u2400", "\u2400\u0000", "a\u0000\u0000b\u2400\u24000c", "0\u0000"]) {
      const stored = escapeStoredText(text);
      expect(stored).not.toContain("\u0000");
      expect(unescapeStoredText(stored)).toBe(text);
    }
    expect(escapeStoredText("orders-processor-0")).toBe("orders-processor-0");
    // Distinct names stay distinct once stored.
    expect(new Set(["\u0000\u2400", "\u2400\u0000", "\u24000", "\u0000"].map(escapeStoredText)).size).toBe(4);
  });
});

describe("Kafka names holding U+0000", () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await openTestDatabase();
  });
  afterEach(async () => {
    await t.dispose();
  });

  const MIN = 60_000;
  const groupId = "billing\u0000shadow \u2400 <b>";
  const transactionalId = "tx\u0000\u24000-id";

  it("records polls and a finding whose group and transactional id contain NUL, and reads them back by the real name", async () => {
    for (let i = 0; i < 6; i++) {
      const snapshot = makeSnapshot({
        collectedAt: FIXTURE_T0 + i * 15_000,
        pollIndex: i,
        transactions: [fixtureTransaction({ transactionalId, state: i < 3 ? "Ongoing" : "CompleteCommit", producerId: 7, producerEpoch: i < 3 ? 1 : 2 })],
        groups: [fixtureGroup(groupId, [{ topic: "orders", partition: 0, offset: 100 + i }])],
      });
      const finding = {
        key: `stuck-${transactionalId}`,
        kind: "hanging-transaction",
        severity: "critical" as const,
        cluster: "fixture",
        subject: { transactionalId, groupId },
        title: `Hanging transaction ${transactionalId}`,
        evidence: { transactionalId, groups: [groupId] },
        explanation: "x",
        remediation: "y",
      };
      await recordPoll(snapshot, [finding], {}, t.db);
    }

    const states = await getTransactionalIdStates("fixture", t.db);
    expect(states.map((s) => s.transactionalId)).toContain(transactionalId);
    const events = await getTransactionalIdEvents("fixture", { transactionalId }, t.db);
    expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(["appeared", "epoch-bump"]));
    expect(events.every((e) => e.transactionalId === transactionalId)).toBe(true);

    const groups = await getGroupStates("fixture", t.db);
    expect(groups.map((g) => g.groupId)).toEqual([groupId]);

    const range = { from: new Date(FIXTURE_T0), to: new Date(FIXTURE_T0 + 5 * 15_000) };
    expect(await getGroupLagSeries("fixture", { groupId, ...range }, t.db)).toHaveLength(6);
    const past = await getSnapshotAt("fixture", new Date(FIXTURE_T0 + 15_000), t.db);
    expect(past?.snapshot.groups.map((g) => g.groupId)).toEqual([groupId]);
    expect(past?.snapshot.transactions.map((x) => x.transactionalId)).toEqual([transactionalId]);

    const findings = await t.db.finding.findMany({ where: { key: `stuck-${transactionalId}` } });
    expect(findings).toHaveLength(1);
    const view = await getFinding(findings[0].id, t.db);
    expect(view?.title).toBe(`Hanging transaction ${transactionalId}`);
    expect(view?.subject).toMatchObject({ transactionalId, groupId });
    expect(view?.evidence).toMatchObject({ transactionalId, groups: [groupId] });

    // The hour row of the group (written by the roll-up) is found by the real name too.
    await pruneAndRollup(new Date(FIXTURE_T0 + 60 * MIN + 5 * MIN), undefined, t.db);
    expect(await t.db.historyHour.count({ where: { kind: "group", name: groupId } })).toBe(1);
    expect(await getGroupLagSeries("fixture", { groupId, ...range }, t.db)).toHaveLength(6);

    // What the database holds: NUL itself on SQLite, the escaped form on PostgreSQL (which rejects NUL).
    const raw = await t.db.$queryRawUnsafe<{ groupId: string }[]>(`SELECT "groupId" FROM "GroupState"`);
    expect(raw.map((r) => r.groupId)).toEqual([kindOf(t.db) === "postgresql" ? escapeStoredText(groupId) : groupId]);
  });
});
