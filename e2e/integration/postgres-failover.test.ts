// Real poller processes (scripts/poller.ts) on PostgreSQL: two replicas on one database poll a cluster one at a
// time (advisory lock), the survivor takes over when the holder is SIGKILLed, and a poller rides out its
// PostgreSQL server being restarted under it. Who holds the lock is read from the server itself (pg_locks joined
// with pg_stat_activity, each replica naming its sessions with application_name); cadence and gaps come from the
// stored polls. The restart uses a private PostgreSQL instance so the shared server other tests use stays up.
// Last, a poller killed over and over while it polls (on PostgreSQL the moment its poll's transaction is seen open,
// on SQLite at random moments) must leave only whole polls behind.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { advisoryLockKey } from "@/lib/store/cluster-lock";
import { createDb } from "@/lib/store/db";
import { migrateDeploy } from "@/lib/store/migrate";
import { openTestDatabase, postgresAdmin, type TestDatabase } from "@/lib/store/test-database";
import { runHangingTransaction } from "../../scripts/scenarios";
import { waitFor } from "../../scripts/scenarios/support";
import { freeLoopbackPort } from "../../scripts/ports";
import { PollerProcess } from "./poller-process";
import { halfWrittenPolls, WHOLE } from "./stored-polls";
import { useKafka } from "./scenarios/kafka-under-test";

const INTERVAL_MS = 2000;
const CLUSTER = "failover";

const serverUrl = process.env.TEST_POSTGRES_URL;
if (!serverUrl) console.warn("postgres-failover: skipped, TEST_POSTGRES_URL is unset (bash scripts/db/start-test-postgres.sh prints one)");

const until = <T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>) => waitFor(what, probe, { timeoutMs, intervalMs: 100 });

/** One SQL query on its own short connection: the servers here come and go. */
async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

interface StoredPoll {
  id: number;
  start: number;
  end: number;
}
const storedPolls = async (url: string): Promise<StoredPoll[]> =>
  (await query<{ id: number; startedAt: Date; durationMs: number }>(url, `SELECT id, "startedAt", "durationMs" FROM "Poll" ORDER BY "startedAt"`)).map(
    (p) => ({ id: p.id, start: p.startedAt.getTime(), end: p.startedAt.getTime() + p.durationMs }),
  );

const spawned: PollerProcess[] = [];
afterEach(({ task }) => {
  if (task.result?.state === "fail") for (const p of spawned) console.error(`${p.name} log:\n${p.lines.join("\n")}`);
});
afterAll(async () => {
  await Promise.all(spawned.map((p) => p.kill("SIGKILL")));
});

describe.skipIf(!serverUrl)("PostgreSQL failover with real poller processes", () => {
  const kafka = useKafka({
    version: "4.4.0",
    nodes: 1,
    name: "pg-failover",
    brokerConfig: { "transaction.partition.verification.enable": "false" },
  });
  const startPoller = (name: string, databaseUrl: string, extraEnv?: Record<string, string>) => {
    const poller = new PollerProcess({ name, databaseUrl, brokers: kafka.cluster.brokers, cluster: CLUSTER, intervalMs: INTERVAL_MS, env: extraEnv });
    spawned.push(poller);
    return poller;
  };

  it("two pollers on one database: one polls at a time, the survivor takes over a SIGKILL within two intervals", async () => {
    const database: TestDatabase = await openTestDatabase();
    const url = database.url;
    const dbName = new URL(url).pathname.slice(1);
    const lockKey = advisoryLockKey(CLUSTER).toString();
    const holders = async () =>
      (
        await query<{ application_name: string }>(
          url,
          `SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
           WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND a.datname = $1
             AND ((l.classid::bigint << 32) | l.objid::bigint) = $2::bigint`,
          [dbName, lockKey],
        )
      ).map((r) => r.application_name);
    const openPerKey = async () =>
      query<{ key: string; open: number }>(
        url,
        `SELECT key, COUNT(*)::int AS open FROM "Finding" WHERE "resolvedAt" IS NULL GROUP BY key`,
      );
    const connected = async (name: string) =>
      (await query(url, `SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND application_name = $2`, [dbName, name])).length > 0;

    const scenario = await kafka.run(runHangingTransaction, { onStop: "abort" });
    // Sampled all along: the lock holders and the open findings per key.
    const holderSamples: string[][] = [];
    const duplicateOpen: string[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        holderSamples.push(await holders());
        for (const row of await openPerKey()) if (row.open > 1) duplicateOpen.push(`${row.key} ×${row.open}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();

    try {
      const a = startPoller("poller-a", url);
      await until("poller-a holding the lock", 90_000, async () => ((await holders())[0] === "poller-a" ? true : undefined));
      const b = startPoller("poller-b", url);
      await until("poller-b connected and waiting", 90_000, async () => ((await connected("poller-b")) ? true : undefined));
      // Several intervals with both replicas up.
      const bothUpAt = Date.now();
      await until("four polls with both replicas up", 60_000, async () =>
        (await storedPolls(url)).filter((p) => p.start >= bothUpAt).length >= 4 ? true : undefined,
      );
      expect(await holders()).toEqual(["poller-a"]);

      // Kill the holder right after it stored a poll, while it sleeps: the gap is then the takeover alone.
      const before = (await storedPolls(url)).length;
      await until("poller-a storing one more poll", 30_000, async () => ((await storedPolls(url)).length > before ? true : undefined));
      await a.kill("SIGKILL");
      const killedAt = Date.now();
      const firstAfter = await until("the survivor's first poll", 30_000, async () =>
        (await storedPolls(url)).find((p) => p.start > killedAt),
      );
      const lastBefore = (await storedPolls(url)).filter((p) => p.start < killedAt).at(-1)!;
      expect(await holders()).toEqual(["poller-b"]);
      const takeoverGap = firstAfter.start - lastBefore.end;

      // The killed replica comes back: it waits, the survivor keeps polling.
      const restarted = startPoller("poller-a", url);
      await until("the restarted poller-a connected", 90_000, async () => ((await connected("poller-a")) ? true : undefined));
      const restartedAt = Date.now();
      await until("four polls after the restart", 60_000, async () =>
        (await storedPolls(url)).filter((p) => p.start >= restartedAt).length >= 4 ? true : undefined,
      );
      expect(await holders()).toEqual(["poller-b"]);
      expect(restarted.running && b.running).toBe(true);

      sampling = false;
      await sampler;
      const polls = await storedPolls(url);
      // From the second poll on: storing the first poll of a database also creates the cluster's stored state.
      const gaps = polls.slice(2).map((p, i) => ({ prev: polls[i + 1], next: p, gap: p.start - polls[i + 1].end, takeover: p.id === firstAfter.id }));
      console.info(
        `postgres failover: takeover gap ${takeoverGap} ms (${(takeoverGap / INTERVAL_MS).toFixed(2)} intervals) from the end of the last poll ` +
          `before the SIGKILL, the survivor polled ${firstAfter.start - killedAt} ms after the kill; ${polls.length} polls, other gaps ` +
          `${gaps.filter((g) => !g.takeover).map((g) => g.gap).sort((x, y) => x - y).join(",")} ms; ${holderSamples.length} lock samples`,
      );

      // Never two holders, and the stored polls never overlap nor come closer than one (jittered) interval:
      // two replicas polling at once would interleave their polls at about half an interval.
      expect(holderSamples.filter((h) => h.length > 1)).toEqual([]);
      const polledSchedulings = spawned.flatMap((p) => p.scheduled.filter((s) => s.polled));
      for (const { prev, next, gap, takeover } of gaps) {
        // The survivor's retries run on its own clock: its first poll may come sooner than an interval, never overlapping.
        expect(gap, `gaps ${gaps.map((g) => g.gap).join(", ")} ms`).toBeGreaterThanOrEqual(takeover ? 0 : INTERVAL_MS * 0.9 - 5);
        if (takeover) {
          expect(gap).toBeLessThanOrEqual(2 * INTERVAL_MS);
          continue;
        }
        // No poll missed: the replica that stored `prev` chose the next one an interval (±10 %) later, and `next`
        // came from that timer, well within an interval of it; storing takes what it takes on a loaded machine.
        const chosen = polledSchedulings.find((s) => s.at >= prev.end && s.at <= next.start);
        expect(chosen, `a scheduling between polls ${prev.id} and ${next.id}`).toBeDefined();
        expect(chosen!.delayMs).toBeGreaterThanOrEqual(INTERVAL_MS * 0.9);
        expect(chosen!.delayMs).toBeLessThanOrEqual(INTERVAL_MS * 1.1);
        expect(next.start - (chosen!.at + chosen!.delayMs)).toBeLessThan(INTERVAL_MS);
      }
      // The hanging transaction is one finding, open throughout, never duplicated by the second replica.
      expect(duplicateOpen).toEqual([]);
      const hanging = await query<{ id: string; resolvedAt: Date | null }>(url, `SELECT id, "resolvedAt" FROM "Finding" WHERE topic = $1`, [
        scenario.info.topic,
      ]);
      expect(hanging.length).toBeGreaterThanOrEqual(1);
      expect(hanging.every((f) => f.resolvedAt === null)).toBe(true);
    } finally {
      sampling = false;
      await sampler;
      await Promise.all(spawned.map((p) => p.kill("SIGKILL")));
      await database.dispose();
    }
  }, 300_000);

  const pgBin = existsSync("/usr/lib/postgresql")
    ? readdirSync("/usr/lib/postgresql")
        .sort((x, y) => Number(y) - Number(x))
        .map((v) => `/usr/lib/postgresql/${v}/bin`)[0]
    : undefined;
  const canRunPrivateServer = process.getuid?.() === 0 && pgBin !== undefined;
  if (serverUrl && !canRunPrivateServer) console.warn("postgres-failover: restart test skipped, it needs root and Debian's PostgreSQL binaries");

  it.skipIf(!canRunPrivateServer)("PostgreSQL restarted under a running poller: the outage is reported, the poller recovers, nothing is lost", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "eos-auditor-pg-"));
    const data = path.join(dir, "data");
    const asPostgres = (command: string, args: string[]) => execFileSync("runuser", ["-u", "postgres", "--", path.join(pgBin!, command), ...args], { stdio: "pipe" });
    execFileSync("chown", ["postgres:postgres", dir]);
    asPostgres("initdb", ["-D", data, "--auth=trust", "-U", "postgres", "--no-sync"]);
    const port = await freeLoopbackPort();
    const admin = `postgresql://postgres@127.0.0.1:${port}/postgres`;
    const url = `postgresql://postgres@127.0.0.1:${port}/auditor`;
    const startServer = async () => {
      asPostgres("pg_ctl", ["-D", data, "-l", path.join(dir, "server.log"), "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, "-w", "start"]);
    };
    const stopServer = () => asPostgres("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
    const counts = async () =>
      (
        await query<{ polls: number; findings: number; blocks: number }>(
          url,
          `SELECT (SELECT COUNT(*)::int FROM "Poll") AS polls, (SELECT COUNT(*)::int FROM "Finding") AS findings,
                  (SELECT COUNT(*)::int FROM "HistoryBlock") AS blocks`,
        )
      )[0];

    try {
      await startServer();
      await postgresAdmin(admin, `CREATE DATABASE auditor`);
      await migrateDeploy(url, undefined, () => {});
      await kafka.run(runHangingTransaction, { onStop: "abort" });
      const poller = startPoller("poller-restart", url);
      await until("two stored polls", 90_000, async () => ((await storedPolls(url)).length >= 2 ? true : undefined));
      const before = await counts();
      const idsBefore = (await storedPolls(url)).map((p) => p.id);

      const linesBefore = poller.lines.length;
      const stoppedAt = Date.now();
      stopServer();
      // Out for two of the poller's attempts: each finds the lock unchecked, so it goes unpolled, logged as it happens.
      const reports = await until("two reported attempts during the outage", 30_000, async () => {
        const seen = poller.lines.slice(linesBefore).filter((l) => /cluster lock for \S+ unavailable/.test(l));
        return seen.length >= 2 ? seen : undefined;
      });
      expect(poller.running).toBe(true);
      await startServer();
      const restartedAt = Date.now();
      const recovered = await until("a stored poll after the restart", 60_000, async () =>
        (await storedPolls(url)).find((p) => p.start >= restartedAt),
      );
      const after = await counts();
      const idsAfter = new Set((await storedPolls(url)).map((p) => p.id));
      // Each interval the outage kept from being polled is in the history as a failed poll of the phase store.
      const outagePolls = await query<{ startedAt: Date; error: string; phases: { name: string }[] }>(
        url,
        `SELECT "startedAt", error, phases FROM "Poll" WHERE "startedAt" >= $1 AND "startedAt" < $2 ORDER BY "startedAt"`,
        [new Date(stoppedAt), new Date(restartedAt)],
      );
      console.info(
        `postgres restart: outage ${restartedAt - stoppedAt} ms, first stored poll started ${recovered.start - restartedAt} ms ` +
          `(${((recovered.start - restartedAt) / INTERVAL_MS).toFixed(2)} intervals) after the server was back; ` +
          `counts before ${JSON.stringify(before)}, after ${JSON.stringify(after)}; ${outagePolls.length} polls of the outage recorded ` +
          `(${outagePolls[0]?.error}); logged: ${reports.join(" | ")}`,
      );

      expect(poller.running).toBe(true);
      expect(recovered.start - restartedAt).toBeLessThanOrEqual(3 * INTERVAL_MS);
      expect(outagePolls.length).toBeGreaterThanOrEqual(2);
      for (const poll of outagePolls) {
        expect(poll.error).toMatch(/STORE: not stored, the database was unavailable from \S+ to \S+: /);
        expect(poll.phases.map((p) => p.name)).toEqual(["store"]);
      }
      expect(idsBefore.filter((id) => !idsAfter.has(id))).toEqual([]);
      expect(after.polls).toBeGreaterThan(before.polls);
      expect(after.findings).toBeGreaterThanOrEqual(before.findings);
      expect(after.blocks).toBeGreaterThanOrEqual(before.blocks);
    } finally {
      await Promise.all(spawned.map((p) => p.kill("SIGKILL")));
      try {
        stopServer();
      } catch {
        // Already stopped (or never started).
      }
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  // Every poll sampled, so each stored poll must carry its history block; whatever a kill interrupted
  // must be absent as a whole.
  const KILL_ROUNDS = 4;
  for (const kind of ["sqlite", "postgresql"] as const) {
    it(`the poller SIGKILLed while it polls leaves only whole polls, and the next start works (${kind})`, async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), "eos-auditor-kill-"));
      const pgDatabase = kind === "postgresql" ? await openTestDatabase() : undefined;
      const url = pgDatabase?.url ?? `file:${path.join(dir, "auditor.db")}`;
      const dbName = pgDatabase ? new URL(url).pathname.slice(1) : "";
      const db = createDb(url);
      const count = async (sql: string) => Number((await db.$queryRawUnsafe<{ n: number | bigint }[]>(sql))[0].n);
      const pollCount = () => count(`SELECT COUNT(*) AS n FROM "Poll"`).catch(() => 0);
      // Asked on one standing connection, fast enough to catch a poll's transaction open (PostgreSQL only).
      const { default: pg } = await import("pg");
      const observer = pgDatabase ? new pg.Client({ connectionString: url }) : undefined;
      await observer?.connect();
      const writing = async (name: string) =>
        (
          await observer!.query(`SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND application_name = $2 AND xact_start IS NOT NULL`, [
            dbName,
            name,
          ])
        ).rowCount! > 0;
      let killedWriting = 0;
      try {
        await kafka.run(runHangingTransaction, { onStop: "abort" });
        for (let round = 0; round <= KILL_ROUNDS; round++) {
          const name = `killed-${round}`;
          const before = await pollCount();
          const poller = startPoller(name, url, { HISTORY_SAMPLE_INTERVAL_MS: "0" });
          // Each start after a kill works: it stores a poll.
          await until(`a stored poll after start ${round}`, 90_000, async () => ((await pollCount()) > before ? true : undefined));
          if (round === KILL_ROUNDS) {
            await poller.kill("SIGTERM");
            break;
          }
          const stored = await pollCount();
          if (pgDatabase) {
            // Kill as soon as the next poll's transaction is seen open (or once it is stored, if it was missed).
            while (!(await writing(name))) if ((await pollCount()) > stored) break;
            if ((await pollCount()) === stored) killedWriting += 1;
          } else {
            await new Promise((resolve) => setTimeout(resolve, Math.random() * INTERVAL_MS * 1.2));
          }
          await poller.kill("SIGKILL");
        }

        const polls = await pollCount();
        const sampledPolls = await count(`SELECT COUNT(*) AS n FROM "Poll" WHERE sampled AND error IS NULL`);
        console.info(
          `kill while polling (${kind}): ${KILL_ROUNDS} SIGKILLs${pgDatabase ? `, ${killedWriting} with a poll's transaction open` : " at random moments"}; ` +
            `${polls} polls stored, ${sampledPolls} sampled`,
        );
        expect(sampledPolls).toBeGreaterThanOrEqual(KILL_ROUNDS + 1);
        expect(await halfWrittenPolls(db)).toEqual(WHOLE);
        if (pgDatabase) expect(killedWriting).toBeGreaterThanOrEqual(1);
      } finally {
        await Promise.all(spawned.map((p) => p.kill("SIGKILL")));
        await db.$disconnect();
        await observer?.end();
        await pgDatabase?.dispose();
        rmSync(dir, { recursive: true, force: true });
      }
    }, 300_000);
  }
});
