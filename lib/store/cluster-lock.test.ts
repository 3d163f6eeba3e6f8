import { describe, expect, it } from "vitest";
import { advisoryLockKey, createClusterLock } from "./cluster-lock";

describe("cluster lock", () => {
  it("derives distinct, stable 64-bit keys", () => {
    expect(advisoryLockKey("prod")).toBe(advisoryLockKey("prod"));
    expect(advisoryLockKey("prod")).not.toBe(advisoryLockKey("staging"));
  });

  it("grants everything with SQLite (single process)", async () => {
    const lock = createClusterLock("file:./unused.db");
    expect(await lock.tryAcquire("prod")).toBe(true);
  });

  // Needs a PostgreSQL server: TEST_POSTGRES_URL=postgresql://user@127.0.0.1:5432/postgres
  it.skipIf(!process.env.TEST_POSTGRES_URL)("lets one replica at a time hold a cluster (PostgreSQL)", async () => {
    const url = process.env.TEST_POSTGRES_URL!;
    const replicaA = createClusterLock(url, () => {});
    const replicaB = createClusterLock(url, () => {});
    try {
      expect(await replicaA.tryAcquire("prod")).toBe(true);
      expect(await replicaA.tryAcquire("prod")).toBe(true);
      expect(await replicaB.tryAcquire("prod")).toBe(false);
      expect(await replicaB.tryAcquire("staging")).toBe(true);
      await replicaA.release("prod");
      expect(await replicaB.tryAcquire("prod")).toBe(true);
      // A replica that dies (its session ends) frees its clusters.
      await replicaB.close();
      expect(await replicaA.tryAcquire("staging")).toBe(true);
    } finally {
      await replicaA.close();
      await replicaB.close();
    }
  });
});
