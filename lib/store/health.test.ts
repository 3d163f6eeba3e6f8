// Kafka down must not fail liveness: an orchestrator restarting the auditor would lose nothing but its eyes.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dataFreshness, liveness } from "@/lib/ui/health";
import { pingDatabase } from "./health";
import { recordFailedPoll, recordPoll } from "./polls";
import { listClusters } from "./queries";
import { FIXTURE_T0, makeSnapshot } from "./test-fixtures";
import { openTestDatabase, type TestDatabase } from "./test-database";

const INTERVAL = 15_000;
let t: TestDatabase;
beforeEach(async () => {
  t = await openTestDatabase();
});
afterEach(async () => {
  await t.dispose();
});

describe("liveness apart from Kafka freshness", () => {
  it("with Kafka down for ten minutes: live 200, freshness 503", async () => {
    await recordPoll(makeSnapshot({ collectedAt: FIXTURE_T0 }), [], {}, t.db);
    for (let i = 1; i <= 40; i++) {
      await recordFailedPoll({ cluster: "fixture", startedAt: new Date(FIXTURE_T0 + i * INTERVAL), durationMs: 5, error: "CONNECTION: connect ECONNREFUSED 127.0.0.1:9092" }, t.db);
    }
    const now = FIXTURE_T0 + 40 * INTERVAL + 1000;
    expect(await liveness(() => pingDatabase(t.db))).toEqual({ status: 200, body: { status: "ok", db: "ok" } });
    const fresh = await dataFreshness(() => listClusters({}, t.db), INTERVAL, now);
    expect(fresh).toMatchObject({ status: 503, body: { status: "degraded", db: "ok", clusters: 1, lastPoll: new Date(FIXTURE_T0 + 40 * INTERVAL).toISOString() } });
  });

  it("with Kafka polled just now both are 200", async () => {
    await recordPoll(makeSnapshot({ collectedAt: FIXTURE_T0 }), [], {}, t.db);
    expect((await liveness(() => pingDatabase(t.db))).status).toBe(200);
    expect(await dataFreshness(() => listClusters({}, t.db), INTERVAL, FIXTURE_T0 + 1000)).toMatchObject({ status: 200, body: { status: "ok" } });
  });

  it("without the database both are 503", async () => {
    const down = () => Promise.reject(new Error("connection refused"));
    expect(await liveness(down)).toMatchObject({ status: 503, body: { db: "unreachable" } });
    expect(await dataFreshness(down, INTERVAL, FIXTURE_T0)).toMatchObject({ status: 503, body: { db: "unreachable" } });
  });
});
