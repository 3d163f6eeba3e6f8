import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { registerClusters } from "./clusters";
import { recordFailedPoll } from "./polls";
import { listClusters } from "./queries";
import { openTestDatabase, type TestDatabase } from "./test-database";

let t: TestDatabase;
beforeEach(async () => {
  t = await openTestDatabase();
});
afterEach(async () => {
  await t.dispose();
});

describe("configured clusters", () => {
  it("appear before their first poll, then with the error of a failed one, and registering again changes nothing else", async () => {
    const at = new Date(Date.UTC(2026, 0, 1));
    await registerClusters([{ name: "prod", brokers: ["k1:9093", "k2:9093"] }, { name: "dev", brokers: ["localhost:9092"] }], at, t.db);
    expect((await listClusters({}, t.db)).map((c) => [c.name, c.brokers, c.lastPoll])).toEqual([
      ["dev", ["localhost:9092"], null],
      ["prod", ["k1:9093", "k2:9093"], null],
    ]);

    const error = "Cluster prod unreachable: AUTHENTICATION: SASL SCRAM SHA512 authentication failed";
    await recordFailedPoll({ cluster: "prod", startedAt: at, durationMs: 40, error, brokers: ["k1:9093", "k2:9093"] }, t.db);
    await registerClusters([{ name: "prod", brokers: ["k1:9093", "k2:9093"] }], new Date(at.getTime() + 60_000), t.db);
    const prod = (await listClusters({}, t.db)).find((c) => c.name === "prod")!;
    expect(prod.lastPoll).toMatchObject({ complete: false, error });
    expect(prod.lastSnapshotAt).toBeNull();
  });
});
