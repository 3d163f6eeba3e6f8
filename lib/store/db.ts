import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { env } from "@/lib/config/env";
import { PrismaClient as PostgresClient } from "@/lib/generated/prisma/postgres/client";
import { PrismaClient as SqliteClient } from "@/lib/generated/prisma/sqlite/client";
import { escapeStoredText, mapStrings, unescapeStoredText } from "./stored-text";

// The two generated clients come from one model list (prisma/postgres/schema.prisma is derived from
// prisma/schema.prisma), so their query APIs are the same: the store is typed against the SQLite one.
export type Db = SqliteClient;
export { Prisma } from "@/lib/generated/prisma/sqlite/client";

export type DatabaseKind = "sqlite" | "postgresql";

/** Transactions writing thousands of rows (a poll, an hour's roll-up): room beyond Prisma's 5 s default on a loaded host. */
export const LARGE_TRANSACTION = { maxWait: 30_000, timeout: 120_000 };

export function databaseKind(url: string): DatabaseKind {
  if (/^postgres(ql)?:\/\//.test(url)) return "postgresql";
  if (url.startsWith("file:")) return "sqlite";
  throw new Error(`Unsupported DATABASE_URL scheme: ${url.split(":")[0]}`);
}

export function sqlitePath(url: string): string {
  return url.replace(/^file:/, "");
}

/** Busy timeout: the poller writes while page requests read; WAL lets them overlap, this covers the rest. */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

// On globalThis, like the client itself: Next.js may load this module more than once (instrumentation and
// route bundles), and a client made by one copy must be recognised by the other.
const kinds = ((globalThis as unknown as { __auditorDbKinds?: WeakMap<Db, DatabaseKind> }).__auditorDbKinds ??=
  new WeakMap<Db, DatabaseKind>());

/** Which SQL dialect a client speaks (raw statements differ in value encoding). */
export function kindOf(database: Db): DatabaseKind {
  const kind = kinds.get(database);
  if (!kind) throw new Error("Not a client made by createDb()");
  return kind;
}

export function createDb(url: string): Db {
  const client = openClient(url);
  kinds.set(client, databaseKind(url));
  return client;
}

function openClient(url: string): Db {
  if (databaseKind(url) === "postgresql") {
    // Every model query's strings escaped on the way in and unescaped on the way out (see stored-text.ts);
    // bulk.ts does the same for its raw INSERTs.
    return new PostgresClient({ adapter: new PrismaPg({ connectionString: url }) }).$extends({
      query: {
        $allModels: {
          async $allOperations({ args, query }) {
            return mapStrings(await query(mapStrings(args, escapeStoredText)), unescapeStoredText);
          },
        },
      },
    }) as unknown as Db;
  }
  // unixepoch-ms: DateTime columns as 8-byte integers, not 24-character strings, in the sample-heavy tables.
  const adapter = new PrismaBetterSqlite3(
    { url: sqlitePath(url), timeout: SQLITE_BUSY_TIMEOUT_MS },
    { timestampFormat: "unixepoch-ms" },
  );
  return new SqliteClient({ adapter });
}

// One client per process. Kept on globalThis so Next.js dev-mode module reloading does not open a new
// connection pool on every edit.
const holder = globalThis as unknown as { __auditorDb?: { url: string; client: Db } };

/** The process-wide client, opened on first use from DATABASE_URL (or the URL given to useDatabase). */
export function db(): Db {
  holder.__auditorDb ??= { url: env().DATABASE_URL, client: createDb(env().DATABASE_URL) };
  return holder.__auditorDb.client;
}

/** Points the process-wide client at another database (tests, scripts); closes the previous one. */
export async function useDatabase(url: string): Promise<Db> {
  await closeDatabase();
  holder.__auditorDb = { url, client: createDb(url) };
  return holder.__auditorDb.client;
}

export function currentDatabaseUrl(): string {
  return holder.__auditorDb?.url ?? env().DATABASE_URL;
}

export async function closeDatabase(): Promise<void> {
  const current = holder.__auditorDb;
  holder.__auditorDb = undefined;
  await current?.client.$disconnect();
}
