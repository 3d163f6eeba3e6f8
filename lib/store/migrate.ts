import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { databaseKind, sqlitePath } from "./db";
import { DROPS_LEGACY_SAMPLES, moveSamplesIntoHistoryBlocks } from "./history/legacy";

// Offline equivalent of `prisma migrate deploy` (Prisma's native schema engine cannot be downloaded here).
// It applies prisma/[postgres/]migrations/<ts>_<name>/migration.sql in order and records each in Prisma's
// own `_prisma_migrations` table (same columns, sha256 checksum, same advisory lock id), so the stock
// `prisma migrate deploy/status` keeps working on the same database.

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MigrationError";
  }
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

interface MigrationConnection {
  readonly migrationsTableDdl: string;
  script(sql: string): Promise<void>;
  query<T = AppliedRow>(sql: string, params?: unknown[]): Promise<T[]>;
  run(sql: string, params?: unknown[]): Promise<void>;
  timestamp(): unknown;
  close(): Promise<void>;
}

const SQLITE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME, "migration_name" TEXT NOT NULL,
    "logs" TEXT, "rolled_back_at" DATETIME, "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`;
const POSTGRES_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`;
/** The advisory lock Prisma Migrate takes, so this runner and the stock CLI exclude each other. */
const PRISMA_MIGRATE_LOCK_ID = 72707369;

async function connectPostgres(url: string): Promise<MigrationConnection> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // Replicas starting together: the first migrates, the others wait here and then find nothing to do.
  await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK_ID]);
  return {
    migrationsTableDdl: POSTGRES_MIGRATIONS_TABLE,
    script: async (sql) => void (await client.query(sql)),
    query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
    run: async (sql, params) => void (await client.query(sql, params as unknown[])),
    timestamp: () => new Date(),
    close: async () => {
      try {
        await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK_ID]);
      } finally {
        await client.end();
      }
    },
  };
}

async function connectSqlite(url: string): Promise<MigrationConnection> {
  const { default: Database } = await import("better-sqlite3");
  const file = sqlitePath(url);
  if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file, { timeout: 10_000 });
  // WAL is a property of the database file: set once here, every later connection uses it.
  sqlite.pragma("journal_mode = WAL");
  const positional = (sql: string) => sql.replace(/\$\d+/g, "?");
  return {
    migrationsTableDdl: SQLITE_MIGRATIONS_TABLE,
    script: async (sql) => void sqlite.exec(sql),
    query: async <T>(sql: string, params: unknown[] = []) => sqlite.prepare(positional(sql)).all(...params) as T[],
    run: async (sql, params = []) => void sqlite.prepare(positional(sql)).run(...params),
    // Prisma's SQLite engine writes RFC 3339 text with an explicit offset.
    timestamp: () => new Date().toISOString().replace("Z", "+00:00"),
    close: async () => void sqlite.close(),
  };
}

export function migrationsDirFor(url: string): string {
  const kind = databaseKind(url);
  return path.join(process.cwd(), "prisma", ...(kind === "postgresql" ? ["postgres"] : []), "migrations");
}

function migrationNames(migrationsDir: string): string[] {
  if (!existsSync(migrationsDir)) throw new MigrationError(`No migrations directory at ${migrationsDir}`);
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

function throwIfFailedEarlier(rows: AppliedRow[]): void {
  const failed = rows.find((row) => row.finished_at == null && row.rolled_back_at == null);
  if (failed) {
    throw new MigrationError(
      `Migration ${failed.migration_name} failed earlier (Prisma P3009): fix the database, then mark it rolled back.`,
    );
  }
}

/** The recorded migrations, read without writing anything; null when the database has no migrations table. */
async function readAppliedMigrations(url: string): Promise<AppliedRow[] | null> {
  const select = `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`;
  if (databaseKind(url) === "postgresql") {
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ exists: boolean }>(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS exists`);
      return rows[0]?.exists ? (await client.query<AppliedRow>(select)).rows : null;
    } finally {
      await client.end();
    }
  }
  const file = sqlitePath(url);
  if (file === ":memory:" || !existsSync(file)) return null;
  const { default: Database } = await import("better-sqlite3");
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const table = sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`).get();
    return table ? (sqlite.prepare(select).all() as AppliedRow[]) : null;
  } finally {
    sqlite.close();
  }
}

/**
 * For instances that must not change the schema (POLLER=off, a role without DDL rights): reads which migrations
 * are applied and fails, naming the missing ones, unless the schema is current. Writes nothing.
 */
export async function verifySchema(url: string, migrationsDir = migrationsDirFor(url)): Promise<void> {
  const rows = await readAppliedMigrations(url);
  const remedy = "start an instance with the poller on (it migrates at start-up) or run `npm run db:migrate` with a role that may change the schema";
  if (rows === null) throw new MigrationError(`The database has no schema yet (no _prisma_migrations table): ${remedy}.`);
  throwIfFailedEarlier(rows);
  const applied = new Set(rows.filter((row) => row.finished_at != null).map((row) => row.migration_name));
  const pending = migrationNames(migrationsDir).filter((name) => !applied.has(name));
  if (pending.length) {
    throw new MigrationError(`The database schema is not current: ${pending.length} migration(s) pending (${pending.join(", ")}): ${remedy}.`);
  }
}

/** Applies pending migrations; returns the names applied. */
export async function migrateDeploy(
  url: string,
  migrationsDir = migrationsDirFor(url),
  log: (line: string) => void = console.log,
): Promise<string[]> {
  const names = migrationNames(migrationsDir);
  const connection = databaseKind(url) === "postgresql" ? await connectPostgres(url) : await connectSqlite(url);
  try {
    await connection.script(connection.migrationsTableDdl);
    const rows = await connection.query(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
    );
    throwIfFailedEarlier(rows);
    const appliedChecksums = new Map(
      rows.filter((row) => row.finished_at != null).map((row) => [row.migration_name, row.checksum]),
    );
    const applied: string[] = [];
    for (const name of names) {
      const file = readFileSync(path.join(migrationsDir, name, "migration.sql"));
      const checksum = createHash("sha256").update(file).digest("hex");
      if (appliedChecksums.has(name)) {
        if (appliedChecksums.get(name) !== checksum) log(`warning: migration ${name} was modified after it was applied`);
        continue;
      }
      // Data the dropped tables hold moves first (idempotent: a crash before the drop just runs it again).
      if (name.endsWith(DROPS_LEGACY_SAMPLES)) {
        const moved = await moveSamplesIntoHistoryBlocks(connection, databaseKind(url));
        if (moved) log(`moved the samples of ${moved} poll(s) into history blocks`);
      }
      const id = randomUUID();
      await connection.run(
        `INSERT INTO "_prisma_migrations" (id, checksum, started_at, migration_name) VALUES ($1, $2, $3, $4)`,
        [id, checksum, connection.timestamp(), name],
      );
      try {
        await connection.script(file.toString("utf8"));
      } catch (error) {
        await connection.run(`UPDATE "_prisma_migrations" SET logs = $1 WHERE id = $2`, [String(error), id]);
        throw new MigrationError(`Migration ${name} failed: ${(error as Error).message}`);
      }
      await connection.run(
        `UPDATE "_prisma_migrations" SET finished_at = $1, applied_steps_count = 1 WHERE id = $2`,
        [connection.timestamp(), id],
      );
      applied.push(name);
      log(`applied migration ${name}`);
    }
    return applied;
  } finally {
    await connection.close();
  }
}

const ensured = new Map<string, Promise<string[]>>();

/**
 * Creates the database (and the `data/` directory of the default SQLite file) and applies pending
 * migrations, once per process and URL, however many callers ask.
 */
export function ensureDatabase(url: string, log?: (line: string) => void): Promise<string[]> {
  let pending = ensured.get(url);
  if (!pending) {
    pending = migrateDeploy(url, undefined, log);
    ensured.set(url, pending);
    pending.catch(() => ensured.delete(url));
  }
  return pending;
}
