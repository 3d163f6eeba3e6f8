// Offline `prisma migrate dev --create-only` for both schemas, using the Wasm schema engine with driver
// adapters (Prisma's native schema engine cannot be downloaded here). With internet, the stock
// `prisma migrate dev` works on the same files.
//
// usage: npm run db:create-migration -- <name>
//   SQLite: the shadow database is in memory.
//   PostgreSQL: the shadow database is a temporary database on the server in POSTGRES_SHADOW_URL (or a
//   postgres DATABASE_URL); without one, only a first migration (diff from empty) can be created.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import * as engineBindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import { POSTGRES_SCHEMA, SQLITE_SCHEMA, writePostgresSchema } from "./postgres-schema";

type Provider = "sqlite" | "postgresql";

function loadEngineWasm(): void {
  const require = createRequire(import.meta.url);
  const wasmPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg").replace(/\.js$/, ".wasm");
  const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasmPath)), {
    "./schema_engine_bg.js": engineBindings as unknown as WebAssembly.ModuleImports,
  });
  engineBindings.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as (() => void) | undefined)?.();
}

function migrationDirectories(baseDir: string) {
  const lockPath = path.join(baseDir, "migration_lock.toml");
  const names = existsSync(baseDir)
    ? readdirSync(baseDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
    : [];
  return {
    baseDir,
    shadowDbInitScript: "",
    lockfile: { path: "migration_lock.toml", content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null },
    migrationDirectories: names.map((name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: { tag: "ok" as const, value: readFileSync(path.join(baseDir, name, "migration.sql"), "utf8") },
      },
    })),
  };
}

// Adapters get patched where they do not do what the engine expects; each patch says why.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- adapters are patched reflectively: their internals are untyped
type AnyAdapter = Record<string, any>;

async function sqliteFactory(): Promise<SqlMigrationAwareDriverAdapterFactory> {
  const { PrismaBetterSqlite3 } = await import("@prisma/adapter-better-sqlite3");
  const factory = new PrismaBetterSqlite3({ url: ":memory:" });
  // The engine replays migration files on the shadow DB through executeRaw, which better-sqlite3 limits to
  // a single statement: run argument-less raw SQL as a script.
  const runScripts = (adapter: AnyAdapter) => {
    const executeRaw = adapter.executeRaw.bind(adapter);
    adapter.executeRaw = async (query: { sql: string; args: unknown[] }) =>
      query.args.length === 0 ? (await adapter.executeScript(query.sql), 0) : executeRaw(query);
    return adapter;
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => factory.connect(),
    connectToShadowDb: async () => runScripts(await factory.connectToShadowDb()) as never,
  } as SqlMigrationAwareDriverAdapterFactory;
}

async function postgresFactory(url: string | undefined): Promise<SqlMigrationAwareDriverAdapterFactory> {
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const { default: pg } = await import("pg");
  const parsed = new URL(url ?? "postgresql://127.0.0.1:1/unconfigured");
  // Explicit fields rather than a connection string: the shadow database swaps only the database name.
  const config = (database = parsed.pathname.slice(1)) => ({
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database,
  });
  // adapter-pg cannot map the catalog types `name` and `"char"` (and their arrays) that the schema
  // describer reads: present them as text.
  const AS_TEXT: Record<number, number> = { 18: 25, 19: 25, 1002: 1009, 1003: 1009 };
  const catalogTypesAsText = (adapter: AnyAdapter) => {
    const performIO = adapter.performIO.bind(adapter);
    adapter.performIO = async (query: unknown) => {
      const result = await performIO(query);
      for (const field of result.fields ?? []) field.dataTypeID = AS_TEXT[field.dataTypeID] ?? field.dataTypeID;
      return result;
    };
    return adapter;
  };
  const admin = async (sql: string) => {
    const client = new pg.Client(config());
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const factory = new PrismaPg(config());
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => catalogTypesAsText(await factory.connect()) as never,
    // adapter-pg's own shadow database is dropped before its pool closes, which fails: manage it here.
    async connectToShadowDb() {
      const name = `prisma_shadow_${process.pid}_${Date.now()}`;
      await admin(`CREATE DATABASE "${name}"`);
      const adapter = catalogTypesAsText(await new PrismaPg(config(name)).connect());
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        await admin(`DROP DATABASE IF EXISTS "${name}"`);
      };
      return adapter as never;
    },
  } as SqlMigrationAwareDriverAdapterFactory;
}

function nextTimestamp(previous: string | undefined, now: Date): string {
  const ts = now.toISOString().replace(/\D/g, "").slice(0, 14);
  // Directory order must be creation order even when two migrations land in the same second.
  return previous && /^\d{14}$/.test(previous) && previous >= ts ? String(BigInt(previous) + 1n) : ts;
}

async function createMigration(provider: Provider, schemaPath: string, name: string, postgresUrl?: string) {
  const migrationsDir = path.join(path.dirname(schemaPath), "migrations");
  const schemaFiles = [{ path: path.resolve(schemaPath), content: readFileSync(schemaPath, "utf8") }];
  const factory = provider === "sqlite" ? await sqliteFactory() : await postgresFactory(postgresUrl);
  const engine = await engineBindings.SchemaEngine.new(
    { datamodels: schemaFiles.map((f) => [f.path, f.content]) } as never,
    (log: string) => process.env.DEBUG && console.error(log),
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  const existing = migrationDirectories(migrationsDir);
  if (existing.migrationDirectories.length > 0 && provider === "postgresql" && !postgresUrl) {
    throw new Error("PostgreSQL: set POSTGRES_SHADOW_URL=postgresql://user:pass@host:port/db to replay existing migrations");
  }
  const from = existing.migrationDirectories.length ? { tag: "migrations" as const, ...existing } : { tag: "empty" as const };
  const result = await engine.diff({
    from,
    to: { tag: "schemaDatamodel", files: schemaFiles },
    script: true,
    exitCode: null,
    filters: { externalTables: [], externalEnums: [] },
  } as never);
  const sql = (result as { stdout?: string }).stdout ?? "";
  if (!sql.trim() || /^-- This is an empty migration\.?$/.test(sql.trim())) {
    console.log(`${provider}: no schema changes`);
    return;
  }
  const dir = path.join(migrationsDir, `${nextTimestamp(existing.migrationDirectories.at(-1)?.path.slice(0, 14), new Date())}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "migration.sql"), sql);
  const lockPath = path.join(migrationsDir, "migration_lock.toml");
  if (!existsSync(lockPath)) {
    writeFileSync(lockPath, `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${provider}"\n`);
  }
  console.log(`${provider}: created ${path.relative(process.cwd(), dir)}/migration.sql`);
}

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:create-migration -- <snake_case_name>");
  process.exit(2);
}
if (writePostgresSchema()) console.log(`updated ${POSTGRES_SCHEMA}`);
loadEngineWasm();
const postgresUrl = process.env.POSTGRES_SHADOW_URL ?? (/^postgres/.test(process.env.DATABASE_URL ?? "") ? process.env.DATABASE_URL : undefined);
await createMigration("sqlite", SQLITE_SCHEMA, name);
await createMigration("postgresql", POSTGRES_SCHEMA, name, postgresUrl);
