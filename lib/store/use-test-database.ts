// Vitest hooks around openTestDatabase (apart from it: scripts/bench opens test databases outside vitest).
import { afterEach, beforeEach } from "vitest";
import type { Db } from "./db";
import { openTestDatabase, type TestDatabase } from "./test-database";

/** A fresh test database per test of the calling file: `t.db` inside a test. */
export function useTestDatabase(): { readonly db: Db; readonly url: string } {
  let current: TestDatabase | undefined;
  beforeEach(async () => {
    current = await openTestDatabase();
  });
  afterEach(async () => {
    await current?.dispose();
    current = undefined;
  });
  return {
    get db() {
      if (!current) throw new Error("the test database is open only inside a test");
      return current.db;
    },
    get url() {
      if (!current) throw new Error("the test database is open only inside a test");
      return current.url;
    },
  };
}
