import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeFinding } from "@/lib/analysis/findings";
import type { Identity } from "@/lib/auth/identity";
import { recordPoll } from "@/lib/store/polls";
import { listFindings } from "@/lib/store/queries";
import { listRemediationAudit } from "@/lib/store/remediation-audit";
import { openTestDatabase, type TestDatabase } from "@/lib/store/test-database";
import { makeSnapshot } from "@/lib/store/test-fixtures";
import { abortHangingTransaction, type AbortDependencies } from "./abort";
import { RemediationRefusedError, type RefusalReason } from "./errors";

// The refusals decided before Kafka is asked, and the one when the check before acting cannot reach it (a closed
// port: connections are refused at once). The abort itself is proven on real brokers in e2e/integration/remediation.

const OPERATOR: Identity = { user: "alice", role: "operator", via: "session" };
const VIEWER: Identity = { user: "bob", role: "viewer", via: "bearer" };
const CLOSED_PORT = "127.0.0.1:9";

let t: TestDatabase;
let findingIds: { hanging: string; other: string };

beforeEach(async () => {
  t = await openTestDatabase();
  const snapshot = makeSnapshot({ cluster: "prod", collectedAt: Date.parse("2026-11-30T10:00:00Z") });
  const common = { cluster: "prod", explanation: "", remediation: "" } as const;
  await recordPoll(
    snapshot,
    [
      makeFinding({
        ...common,
        kind: "hanging-transaction",
        severity: "critical",
        subject: { topic: "orders", partition: 1, transactionalId: "writer" },
        title: "hanging",
        evidence: { producerId: 7, producerEpoch: 2, startOffset: 40 },
      }),
      makeFinding({ ...common, kind: "stuck-lso", severity: "warning", subject: { topic: "orders", partition: 0 }, title: "stuck", evidence: {} }),
    ],
    {},
    t.db,
  );
  const findings = await listFindings({ cluster: "prod" }, t.db);
  findingIds = { hanging: findings.find((f) => f.kind === "hanging-transaction")!.id, other: findings.find((f) => f.kind === "stuck-lso")!.id };
});

afterEach(async () => {
  await t.dispose();
});

const deps = (fields: Partial<AbortDependencies> = {}): AbortDependencies => ({
  allowRemediation: true,
  clusterConfig: (name) => (name === "prod" ? { name, brokers: [CLOSED_PORT], clientId: "abort-test", ssl: false } : undefined),
  database: t.db,
  ...fields,
});

async function refusedWith(promise: Promise<unknown>): Promise<RefusalReason> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(RemediationRefusedError);
  return (error as RemediationRefusedError).reason;
}

describe("abortHangingTransaction refusals", () => {
  it("refuses in order: off, not an operator, unknown finding, not a hanging transaction, unconfirmed", async () => {
    const attempt = (fields: { identity?: Identity; findingId?: string; confirm?: string; cluster?: string }, d = deps()) =>
      abortHangingTransaction({ cluster: "prod", findingId: findingIds.hanging, confirm: "orders-1", identity: OPERATOR, ...fields }, d);
    expect(await refusedWith(attempt({ identity: VIEWER }, deps({ allowRemediation: false })))).toBe("disabled");
    expect(await refusedWith(attempt({ identity: VIEWER }))).toBe("forbidden");
    expect(await refusedWith(attempt({ findingId: "nope" }))).toBe("not-found");
    expect(await refusedWith(attempt({ cluster: "staging" }))).toBe("not-found");
    expect(await refusedWith(attempt({ findingId: findingIds.other }))).toBe("not-applicable");
    expect(await refusedWith(attempt({ confirm: "orders-0" }))).toBe("not-confirmed");
    expect(await refusedWith(attempt({ confirm: "orders" }))).toBe("not-confirmed");

    const log = await listRemediationAudit({ cluster: "prod" }, t.db);
    expect(log.map((r) => [r.reason, r.actor, r.findingId === findingIds.hanging])).toEqual([
      ["not-confirmed", "alice", true],
      ["not-confirmed", "alice", true],
      ["not-applicable", "alice", false],
      ["not-found", "alice", false],
      ["forbidden", "bob", true],
      ["disabled", "bob", true],
    ]);
    // What the finding says is kept with the refusal; another cluster's id tells nothing about this one.
    expect(log[0]).toMatchObject({ topic: "orders", partition: 1, transactionalId: "writer", producerId: 7, producerEpoch: 2, startOffset: 40, outcome: "refused" });
    expect(await listRemediationAudit({ cluster: "staging" }, t.db)).toMatchObject([{ reason: "not-found", topic: null, producerId: null }]);
  });

  it("refuses when the check before acting cannot read the cluster, and when the cluster is not configured", async () => {
    const attempt = (d: AbortDependencies) =>
      abortHangingTransaction({ cluster: "prod", findingId: findingIds.hanging, confirm: " orders-1 ", identity: OPERATOR }, d);
    const unreachable = await attempt(deps()).catch((e: unknown) => e);
    expect(unreachable).toMatchObject({ reason: "unverified", message: expect.stringMatching(/could not read metadata/) });
    expect(await refusedWith(attempt(deps({ clusterConfig: () => undefined })))).toBe("not-found");
    expect((await listRemediationAudit({ cluster: "prod" }, t.db)).map((r) => r.reason)).toEqual(["not-found", "unverified"]);
  });

  it("refuses a resolved finding", async () => {
    // A later poll with clean phases that no longer reports it.
    await recordPoll(makeSnapshot({ cluster: "prod", collectedAt: Date.parse("2026-11-30T10:01:00Z"), pollIndex: 1 }), [], {}, t.db);
    const attempt = abortHangingTransaction({ cluster: "prod", findingId: findingIds.hanging, confirm: "orders-1", identity: OPERATOR }, deps());
    const error = await attempt.catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: "resolved", status: 409 });
  });
});

describe("abortHangingTransaction concurrency", () => {
  it("refuses a second abort of the same finding while the first is checking, and frees it afterwards", async () => {
    const attempt = () =>
      abortHangingTransaction({ cluster: "prod", findingId: findingIds.hanging, confirm: "orders-1", identity: OPERATOR }, deps()).then(
        () => null,
        (e: unknown) => (e as RemediationRefusedError).reason,
      );
    // The first to pass the checks holds the claim while its collection waits on the (closed) port.
    expect((await Promise.all([attempt(), attempt()])).sort()).toEqual(["in-progress", "unverified"]);
    expect(await attempt()).toBe("unverified");
    const log = await listRemediationAudit({ cluster: "prod" }, t.db);
    expect(log.map((r) => r.reason).sort()).toEqual(["in-progress", "unverified", "unverified"]);
  });
});
