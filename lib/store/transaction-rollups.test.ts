import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { recordPoll } from "./polls";
import { countActiveTransactionalIds, getTransactionRollups } from "./queries";
import { pruneAndRollup } from "./retention";
import { openTestDatabase, type TestDatabase } from "./test-database";
import { FIXTURE_T0, fixtureTransaction, makeSnapshot } from "./test-fixtures";
import { openTransactionFigures } from "./transactional-ids";

const HOUR = 3_600_000;
const MIN = 60_000;
const HUNG_SINCE = FIXTURE_T0 - MIN;
let t: TestDatabase;

// Polls every 20 minutes from 12:00 to 14:00. "writer" commits, aborts and commits again; "hung" stays open.
const at = (i: number) => FIXTURE_T0 + i * 20 * MIN;
const WRITER: [state: string, openForMs: number][] = [
  ["Ongoing", 1_000],
  ["CompleteCommit", -1],
  ["Ongoing", 3_000],
  ["CompleteAbort", -1],
  ["Ongoing", 500],
  ["CompleteCommit", -1],
  ["Empty", -1],
];

function pollSnapshot(i: number) {
  const [state, openForMs] = WRITER[i];
  return makeSnapshot({
    collectedAt: at(i),
    pollIndex: i,
    transactions: [
      fixtureTransaction({ transactionalId: "writer", state, producerId: 1, transactionStartTimeMs: openForMs < 0 ? -1 : at(i) - openForMs }),
      fixtureTransaction({ transactionalId: "hung", state: "Ongoing", producerId: 2, transactionStartTimeMs: HUNG_SINCE }),
    ],
  });
}

beforeEach(async () => {
  t = await openTestDatabase();
  for (let i = 0; i < WRITER.length; i++) await recordPoll(pollSnapshot(i), [], {}, t.db);
});
afterEach(async () => {
  await t.dispose();
});

const hungOpenAt = (i: number) => at(i) - HUNG_SINCE;

describe("transaction roll-ups", () => {
  it("count observed completions, changed ids and open durations per hour", async () => {
    await pruneAndRollup(new Date(FIXTURE_T0 + 2 * HOUR + 10 * MIN), undefined, t.db);
    const hours = await getTransactionRollups("fixture", { granularity: "hour", from: new Date(0), to: new Date(at(6)) }, t.db);
    expect(hours).toEqual([
      {
        bucketStart: new Date(FIXTURE_T0),
        observedCommits: 1,
        observedAborts: 0,
        activeIds: 1,
        polls: 3,
        openSamples: 5,
        sumOpenMs: 1_000 + hungOpenAt(0) + hungOpenAt(1) + 3_000 + hungOpenAt(2),
        maxOpenMs: hungOpenAt(2),
        maxOpenTxns: 2,
      },
      {
        bucketStart: new Date(FIXTURE_T0 + HOUR),
        observedCommits: 1,
        observedAborts: 1,
        activeIds: 1,
        polls: 3,
        openSamples: 4,
        sumOpenMs: hungOpenAt(3) + 500 + hungOpenAt(4) + hungOpenAt(5),
        maxOpenMs: hungOpenAt(5),
        maxOpenTxns: 2,
      },
    ]);
  });

  it("build daily roll-ups from the hours, recounting distinct ids over the day", async () => {
    const nextDay = new Date(FIXTURE_T0 + 13 * HOUR);
    await pruneAndRollup(nextDay, undefined, t.db);
    const [day] = await getTransactionRollups("fixture", { granularity: "day", from: new Date(0), to: nextDay }, t.db);
    // "writer" changed state in three hours but is one id.
    expect(day).toMatchObject({ observedCommits: 2, observedAborts: 1, activeIds: 1, polls: 7, openSamples: 10, maxOpenMs: hungOpenAt(6) });
    expect(await countActiveTransactionalIds("fixture", { from: new Date(0), to: nextDay }, t.db)).toBe(1);
    expect(await countActiveTransactionalIds("fixture", { from: new Date(at(6) + 1), to: nextDay }, t.db)).toBe(0);
  });
});

describe("openTransactionFigures", () => {
  it("measures transactions in an open state with a start time", () => {
    expect(openTransactionFigures(pollSnapshot(0))).toEqual({ openTxnCount: 2, maxOpenTxnMs: BigInt(hungOpenAt(0)), sumOpenTxnMs: BigInt(1_000 + hungOpenAt(0)) });
    const none = makeSnapshot({ transactions: [fixtureTransaction({ transactionalId: "idle", state: "CompleteCommit" })] });
    expect(openTransactionFigures(none)).toEqual({ openTxnCount: 0, maxOpenTxnMs: null, sumOpenTxnMs: 0n });
  });

  it("gives nothing when the transactions listing failed", () => {
    expect(openTransactionFigures(makeSnapshot({ failedPhases: ["transactions"] }))).toBeNull();
  });
});
