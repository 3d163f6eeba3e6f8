import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { migrateDeploy, migrationsDirFor, verifySchema } from "./migrate";
import { postgresAdmin, scratchPostgresDatabase } from "./test-database";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("migrateDeploy (SQLite)", () => {
  it("creates the directory, applies every migration once and records it like Prisma Migrate", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "auditor-migrate-"));
    dirs.push(dir);
    const url = `file:${path.join(dir, "nested", "data", "auditor.db")}`;
    const migrationsDir = migrationsDirFor(url);
    const expected = readdirSync(migrationsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

    expect(await migrateDeploy(url, undefined, () => {})).toEqual(expected);
    expect(await migrateDeploy(url, undefined, () => {})).toEqual([]);

    const sqlite = new Database(url.slice("file:".length), { readonly: true });
    const rows = sqlite.prepare(`SELECT migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name`).all() as {
      migration_name: string; checksum: string; finished_at: string | null; applied_steps_count: number;
    }[];
    const journalMode = sqlite.pragma("journal_mode", { simple: true });
    sqlite.close();
    expect(rows.map((r) => r.migration_name)).toEqual(expected);
    for (const row of rows) {
      const sql = readFileSync(path.join(migrationsDir, row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
      expect(row.finished_at).not.toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    expect(journalMode).toBe("wal");
  });
});

/** A copy of the migrations with one more, not applied anywhere yet: what a newer release brings. */
function withPendingMigration(url: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "auditor-migrations-"));
  dirs.push(dir);
  cpSync(migrationsDirFor(url), dir, { recursive: true });
  mkdirSync(path.join(dir, "99990101000000_next_release"));
  writeFileSync(path.join(dir, "99990101000000_next_release", "migration.sql"), `CREATE TABLE "NextRelease" ("id" INTEGER PRIMARY KEY);\n`);
  return dir;
}

describe("verifySchema: UI-only instances check the schema and change nothing", () => {
  it("SQLite: fails clearly without a schema (creating no file), passes when current, names a pending migration", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "auditor-verify-"));
    dirs.push(dir);
    const file = path.join(dir, "auditor.db");
    const url = `file:${file}`;
    await expect(verifySchema(url)).rejects.toThrow(/no schema yet .*npm run db:migrate/);
    expect(existsSync(file)).toBe(false);
    await migrateDeploy(url, undefined, () => {});
    await expect(verifySchema(url)).resolves.toBeUndefined();
    await expect(verifySchema(url, withPendingMigration(url))).rejects.toThrow(/not current: 1 migration\(s\) pending \(99990101000000_next_release\)/);
  });

  // Needs a PostgreSQL server: TEST_POSTGRES_URL=postgresql://user@127.0.0.1:5432/postgres
  it.skipIf(!process.env.TEST_POSTGRES_URL)("PostgreSQL: a role without DDL rights cannot migrate, but verifies a current schema", async () => {
    const serverUrl = process.env.TEST_POSTGRES_URL!;
    const role = `auditor_ui_${process.pid}_${Date.now()}`;
    const database = await scratchPostgresDatabase(serverUrl, "auditor_verify");
    await postgresAdmin(serverUrl, `CREATE ROLE "${role}" LOGIN PASSWORD 'ui'`);
    try {
      const adminUrl = database.url;
      await migrateDeploy(adminUrl, undefined, () => {});
      // Read and write the data, never the schema (PostgreSQL 15+ grants no CREATE on public by default).
      await postgresAdmin(
        adminUrl,
        `REVOKE CREATE ON SCHEMA public FROM PUBLIC;
         GRANT USAGE ON SCHEMA public TO "${role}";
         GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "${role}";
         GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "${role}"`,
      );
      const ui = new URL(database.url);
      ui.username = role;
      ui.password = "ui";
      const uiUrl = ui.toString();
      await expect(migrateDeploy(uiUrl, undefined, () => {})).rejects.toThrow(/permission denied/);
      await expect(verifySchema(uiUrl)).resolves.toBeUndefined();
      await expect(verifySchema(uiUrl, withPendingMigration(uiUrl))).rejects.toThrow(/pending \(99990101000000_next_release\)/);
    } finally {
      await database.drop();
      await postgresAdmin(serverUrl, `DROP ROLE IF EXISTS "${role}"`);
    }
  });
});
