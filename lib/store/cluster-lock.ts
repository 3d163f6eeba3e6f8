import { createHash } from "node:crypto";
import { databaseKind } from "./db";

// At most one poller per cluster across replicas that share a PostgreSQL database: a session-level
// advisory lock per cluster, held on one dedicated connection for as long as this process polls it.
// SQLite means a single process, so every lock is granted.

export interface ClusterLock {
  /** True when this process holds (or just acquired) the lock for `name`. Never throws. */
  tryAcquire(name: string): Promise<boolean>;
  release(name: string): Promise<void>;
  close(): Promise<void>;
}

/** A signed 64-bit advisory lock key from the lock name (stable across processes and versions). */
export function advisoryLockKey(name: string): bigint {
  return createHash("sha256").update(`kafka-eos-auditor:${name}`).digest().readBigInt64BE(0);
}

export const singleProcessLock: ClusterLock = {
  tryAcquire: async () => true,
  release: async () => {},
  close: async () => {},
};

export function createClusterLock(url: string, log: (line: string) => void = console.warn): ClusterLock {
  if (databaseKind(url) === "sqlite") return singleProcessLock;
  type PgClient = import("pg").Client;
  let client: PgClient | null = null;
  const held = new Set<string>();

  async function connection(): Promise<PgClient> {
    if (client) return client;
    const { default: pg } = await import("pg");
    const next = new pg.Client({ connectionString: url });
    // A dropped session releases its advisory locks server-side: forget them so they are re-acquired.
    next.on("error", (error) => {
      log(`cluster lock connection lost: ${error.message}`);
      held.clear();
      if (client === next) client = null;
    });
    await next.connect();
    client = next;
    return next;
  }

  return {
    async tryAcquire(name) {
      if (held.has(name) && client) return true;
      try {
        const c = await connection();
        const result = await c.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1::bigint) AS locked", [
          advisoryLockKey(name).toString(),
        ]);
        if (result.rows[0]?.locked) held.add(name);
        return held.has(name);
      } catch (error) {
        log(`cluster lock for ${name} unavailable: ${(error as Error).message}`);
        held.clear();
        const broken = client;
        client = null;
        await broken?.end().catch(() => undefined);
        return false;
      }
    },
    async release(name) {
      if (!held.delete(name) || !client) return;
      await client.query("SELECT pg_advisory_unlock($1::bigint)", [advisoryLockKey(name).toString()]).catch(() => undefined);
    },
    async close() {
      held.clear();
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}
