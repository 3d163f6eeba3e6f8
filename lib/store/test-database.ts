// A throw-away database with every migration applied by the store's own runner, for tests: a temp SQLite
// file, or a fresh database on the PostgreSQL server in TEST_POSTGRES_URL when that is set.
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDb, type Db } from "./db";
import { migrateDeploy, migrationsDirFor } from "./migrate";

export interface TestDatabase {
  db: Db;
  url: string;
  dispose(): Promise<void>;
}

let created = 0;

/** Runs one statement (or a script) on a PostgreSQL server with its own short connection. */
export async function postgresAdmin(serverUrl: string, sql: string): Promise<void> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new, empty database on a PostgreSQL server, named with `prefix`; `drop` removes it whatever it holds. */
export async function scratchPostgresDatabase(serverUrl: string, prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Date.now()}_${created++}`;
  await postgresAdmin(serverUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => postgresAdmin(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

export interface TestDatabaseOptions {
  /** Apply only the migrations before the first whose name ends with this: a database of an older release. */
  migrationsBefore?: string;
}

/** The migrations directory for `url`, or a temporary copy of its first migrations (see migrationsBefore). */
function migrationsFor(url: string, before: string | undefined): { dir: string; cleanup(): void } {
  const all = migrationsDirFor(url);
  if (!before) return { dir: all, cleanup: () => {} };
  const dir = mkdtempSync(path.join(tmpdir(), "auditor-migrations-"));
  const names = readdirSync(all, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const stop = names.findIndex((name) => name.endsWith(before));
  for (const name of names.slice(0, stop < 0 ? names.length : stop)) cpSync(path.join(all, name), path.join(dir, name), { recursive: true });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

async function migrate(url: string, options: TestDatabaseOptions) {
  const migrations = migrationsFor(url, options.migrationsBefore);
  try {
    await migrateDeploy(url, migrations.dir, () => {});
  } finally {
    migrations.cleanup();
  }
}

export async function openTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_POSTGRES_URL;
  if (serverUrl) {
    const scratch = await scratchPostgresDatabase(serverUrl, "auditor_test");
    await migrate(scratch.url, options);
    const db = createDb(scratch.url);
    return {
      db,
      url: scratch.url,
      async dispose() {
        await db.$disconnect();
        await scratch.drop();
      },
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), "auditor-store-"));
  const url = `file:${path.join(dir, "test.db")}`;
  await migrate(url, options);
  const db = createDb(url);
  return {
    db,
    url,
    async dispose() {
      await db.$disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
