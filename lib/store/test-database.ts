// A throw-away database with every migration applied by the store's own runner, for tests: a temp SQLite
// file, or a fresh database on the PostgreSQL server in TEST_POSTGRES_URL when that is set.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDb, type Db } from "./db";
import { migrateDeploy } from "./migrate";

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

export async function openTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_POSTGRES_URL;
  if (serverUrl) {
    const name = `auditor_test_${process.pid}_${Date.now()}_${created++}`;
    await postgresAdmin(serverUrl, `CREATE DATABASE "${name}"`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    await migrateDeploy(url.toString(), undefined, () => {});
    const db = createDb(url.toString());
    return {
      db,
      url: url.toString(),
      async dispose() {
        await db.$disconnect();
        await postgresAdmin(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      },
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), "auditor-store-"));
  const url = `file:${path.join(dir, "test.db")}`;
  await migrateDeploy(url, undefined, () => {});
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
