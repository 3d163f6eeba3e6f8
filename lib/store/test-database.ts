// A throw-away SQLite database with every migration applied by the store's own runner, for tests.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDb, type Db } from "./db";
import { migrateDeploy } from "./migrate";

export interface TestDatabase {
  db: Db;
  url: string;
  file: string;
  dispose(): Promise<void>;
}

export async function openTestDatabase(): Promise<TestDatabase> {
  const dir = mkdtempSync(path.join(tmpdir(), "auditor-store-"));
  const file = path.join(dir, "test.db");
  const url = `file:${file}`;
  await migrateDeploy(url, undefined, () => {});
  const db = createDb(url);
  return {
    db,
    url,
    file,
    async dispose() {
      await db.$disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
