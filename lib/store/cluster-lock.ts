import { createHash } from "node:crypto";
import { databaseKind } from "./db";

// At most one poller per cluster across replicas that share a PostgreSQL database: a session-level
// advisory lock per cluster, held on one dedicated connection for as long as this process polls it.
// SQLite means a single process, so every lock is granted.

/** The lock could not be checked (database down): whether another replica polls is unknown. */
export interface LockUnavailable {
  unavailable: string;
}

export interface ClusterLock {
  /** True when this process holds (or just acquired) the lock for `name`, false when another does. Never throws. */
  tryAcquire(name: string): Promise<boolean | LockUnavailable>;
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

/** Is this session still holding the advisory lock? Its bigint key is split into classid (high) and objid (low). */
const HOLDS_LOCK_SQL = `SELECT EXISTS (
  SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted AND objsubid = 1
    AND ((classid::bigint << 32) | objid::bigint) = $1::bigint
) AS held`;

/** A lock check that does not answer within this long counts as a lost session. */
const LOCK_QUERY_TIMEOUT_MS = 10_000;

export function createClusterLock(
  url: string,
  log: (line: string) => void = console.warn,
  options: { queryTimeoutMs?: number } = {},
): ClusterLock {
  if (databaseKind(url) === "sqlite") return singleProcessLock;
  type PgClient = import("pg").Client;
  let client: PgClient | null = null;
  // Shared by concurrent callers (each cluster and the maintenance task ask at start-up): two sessions would
  // leave a lock held on one that is no longer checked, and no replica would ever poll that cluster again.
  let connecting: Promise<PgClient> | null = null;
  const held = new Set<string>();

  async function open(): Promise<PgClient> {
    const { default: pg } = await import("pg");
    const next = new pg.Client({ connectionString: url, query_timeout: options.queryTimeoutMs ?? LOCK_QUERY_TIMEOUT_MS, keepAlive: true });
    // A dropped session releases its advisory locks server-side: forget them so they are re-acquired.
    next.on("error", (error) => {
      log(`cluster lock connection lost: ${error.message}`);
      held.clear();
      if (client === next) client = null;
    });
    try {
      await next.connect();
    } finally {
      connecting = null;
    }
    client = next;
    return next;
  }

  function connection(): Promise<PgClient> {
    if (client) return Promise.resolve(client);
    connecting ??= open();
    return connecting;
  }

  return {
    async tryAcquire(name) {
      const key = advisoryLockKey(name).toString();
      try {
        const c = await connection();
        // Re-checked on every poll: a session lost without a word (network partition, failover) has released the
        // lock server-side, and another replica may poll the cluster by now.
        if (held.has(name)) {
          const still = await c.query<{ held: boolean }>(HOLDS_LOCK_SQL, [key]);
          if (still.rows[0]?.held) return true;
          log(`cluster lock for ${name} lost with its database session`);
          held.delete(name);
        }
        const result = await c.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1::bigint) AS locked", [key]);
        if (result.rows[0]?.locked) held.add(name);
        return held.has(name);
      } catch (error) {
        log(`cluster lock for ${name} unavailable: ${(error as Error).message}`);
        held.clear();
        const broken = client;
        client = null;
        // Not awaited: ending a session whose peer went silent can wait for TCP to give up.
        void broken?.end().catch(() => undefined);
        return { unavailable: (error as Error).message };
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
