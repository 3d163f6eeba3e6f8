import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listRemediationAudit, recordRemediationAttempt, type RemediationAuditEntry } from "./remediation-audit";
import { openTestDatabase, type TestDatabase } from "./test-database";

let t: TestDatabase;

beforeEach(async () => {
  t = await openTestDatabase();
});

afterEach(async () => {
  await t.dispose();
});

const entry = (fields: Partial<RemediationAuditEntry>): RemediationAuditEntry => ({
  at: new Date("2026-11-30T10:00:00Z"),
  actor: "alice",
  role: "operator",
  action: "abort-transaction",
  cluster: "prod",
  findingId: "f1",
  topic: "orders",
  partition: 2,
  transactionalId: "writer-2",
  // Producer ids and offsets are int64 on the wire: beyond int32 they must come back exactly.
  producerId: 2 ** 40 + 7,
  producerEpoch: 3,
  coordinatorEpoch: -1,
  startOffset: 2 ** 35,
  outcome: "refused",
  reason: "not-hanging",
  error: "producer 7 has no transaction open",
  ...fields,
});

describe("remediation audit log", () => {
  it("keeps every field of an attempt, int64 values exactly", async () => {
    const saved = await recordRemediationAttempt(entry({}), t.db);
    expect(saved).toEqual({ id: expect.any(Number), ...entry({}) });
    expect(await listRemediationAudit({ cluster: "prod", findingId: "f1" }, t.db)).toEqual([saved]);
  });

  it("lists one finding's or one transactional id's attempts on one cluster, newest first", async () => {
    await recordRemediationAttempt(entry({ at: new Date("2026-11-30T10:00:00Z"), outcome: "refused" }), t.db);
    await recordRemediationAttempt(entry({ at: new Date("2026-11-30T10:05:00Z"), outcome: "aborted", reason: null, error: null }), t.db);
    await recordRemediationAttempt(entry({ findingId: "f2", transactionalId: null, producerId: null, startOffset: null }), t.db);
    await recordRemediationAttempt(entry({ cluster: "staging" }), t.db);

    expect((await listRemediationAudit({ cluster: "prod", findingId: "f1" }, t.db)).map((r) => r.outcome)).toEqual(["aborted", "refused"]);
    expect(await listRemediationAudit({ cluster: "prod", transactionalId: "writer-2" }, t.db)).toHaveLength(2);
    expect(await listRemediationAudit({ cluster: "prod", findingId: "f2" }, t.db)).toMatchObject([{ transactionalId: null, producerId: null, startOffset: null }]);
    expect(await listRemediationAudit({ cluster: "staging", findingId: "f1" }, t.db)).toHaveLength(1);
  });
});
