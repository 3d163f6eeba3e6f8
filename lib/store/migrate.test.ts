import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { migrateDeploy, migrationsDirFor } from "./migrate";

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
