import net from "node:net";
import { describe, expect, it } from "vitest";
import { advisoryLockKey, createClusterLock } from "./cluster-lock";

/**
 * A TCP pass-through to PostgreSQL that can go silent: after `partition()` nothing crosses in either direction
 * and neither side is told, as in a network partition.
 */
async function partitionableProxy(target: URL) {
  let silent = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
      sockets.add(from);
      from.on("error", () => undefined);
      from.on("data", (chunk) => void (silent || to.write(chunk)));
      from.on("close", () => void (silent || to.destroy()));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = new URL(target);
  url.host = `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return {
    url: url.toString(),
    partition: () => void (silent = true),
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

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

  it.skipIf(!process.env.TEST_POSTGRES_URL)("keeps every lock of a replica on one session when asked concurrently (PostgreSQL)", async () => {
    const url = process.env.TEST_POSTGRES_URL!;
    const lines: string[] = [];
    const replicaA = createClusterLock(url, (line) => void lines.push(line));
    const replicaB = createClusterLock(url, () => {});
    try {
      // At start-up each cluster and the maintenance task ask at once, before any session exists.
      const names = ["prod", "staging", "maintenance"];
      expect(await Promise.all(names.map((name) => replicaA.tryAcquire(name)))).toEqual([true, true, true]);
      // The re-check runs on the session that took each lock, so the holder keeps them all.
      for (const name of names) expect(await replicaA.tryAcquire(name)).toBe(true);
      for (const name of names) expect(await replicaB.tryAcquire(name)).toBe(false);
      expect(lines).toEqual([]);
    } finally {
      await replicaA.close();
      await replicaB.close();
    }
  });

  it.skipIf(!process.env.TEST_POSTGRES_URL)("re-checks a held lock: a replica whose session was lost in silence stops polling (PostgreSQL)", async () => {
    const url = process.env.TEST_POSTGRES_URL!;
    const proxy = await partitionableProxy(new URL(url));
    const lines: string[] = [];
    const replicaA = createClusterLock(proxy.url, (line) => void lines.push(line), { queryTimeoutMs: 1_000 });
    const replicaB = createClusterLock(url, () => {});
    const { default: pg } = await import("pg");
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      expect(await replicaA.tryAcquire("prod")).toBe(true);
      expect(await replicaB.tryAcquire("prod")).toBe(false);
      // The network drops A's packets, and the server ends A's session (as its TCP keepalive would): the lock is free.
      proxy.partition();
      const key = advisoryLockKey("prod");
      const killed = await admin.query<{ pid: number }>(
        `SELECT pg_terminate_backend(pid), pid FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND ((classid::bigint << 32) | objid::bigint) = $1::bigint`,
        [key.toString()],
      );
      expect(killed.rows).toHaveLength(1);
      // pg_terminate_backend only signals: the lock is free once that backend has exited.
      await expect.poll(() => replicaB.tryAcquire("prod"), { timeout: 10_000 }).toBe(true);
      // A heard nothing; its next poll's check finds out instead of polling beside B (it cannot tell who holds it).
      expect(await replicaA.tryAcquire("prod")).toEqual({ unavailable: expect.stringMatching(/timeout/i) });
      expect(lines.join("\n")).toMatch(/cluster lock for prod unavailable: .*timeout/i);
    } finally {
      await admin.end();
      await replicaA.close();
      await replicaB.close();
      await proxy.close();
    }
  });

  it.skipIf(!process.env.TEST_POSTGRES_URL)("keeps a held lock through the re-check, and re-entrant checks do not stack it (PostgreSQL)", async () => {
    const url = process.env.TEST_POSTGRES_URL!;
    const replicaA = createClusterLock(url, () => {});
    const replicaB = createClusterLock(url, () => {});
    try {
      for (let poll = 0; poll < 5; poll++) expect(await replicaA.tryAcquire("prod")).toBe(true);
      expect(await replicaB.tryAcquire("prod")).toBe(false);
      // One release frees it: the checks above took the lock once, not five times.
      await replicaA.release("prod");
      expect(await replicaB.tryAcquire("prod")).toBe(true);
    } finally {
      await replicaA.close();
      await replicaB.close();
    }
  });
});
