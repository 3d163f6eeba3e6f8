import { readFileSync, writeFileSync } from "node:fs";

// The PostgreSQL schema is the SQLite schema with another provider and client output: deriving it keeps
// the two from drifting apart. Models must stay within what both providers support.

export const SQLITE_SCHEMA = "prisma/schema.prisma";
export const POSTGRES_SCHEMA = "prisma/postgres/schema.prisma";

const HEADER = `// GENERATED from ../schema.prisma by scripts/db/postgres-schema.ts (npm run db:create-migration).
// Do not edit: change prisma/schema.prisma instead.
`;

export class SchemaDerivationError extends Error {}

export function postgresSchemaFrom(sqliteSchema: string): string {
  const replace = (text: string, from: RegExp, to: string): string => {
    if (!from.test(text)) throw new SchemaDerivationError(`${SQLITE_SCHEMA} no longer matches ${from}`);
    return text.replace(from, to);
  };
  let schema = replace(sqliteSchema, /provider = "sqlite"/, 'provider = "postgresql"');
  // The schema moved one directory down, so relative paths gain a `../`.
  schema = replace(schema, /output {3}= "\.\.\/lib\/generated\/prisma\/sqlite"/, 'output   = "../../lib/generated/prisma/postgres"');
  return HEADER + schema;
}

export function writePostgresSchema(): boolean {
  const next = postgresSchemaFrom(readFileSync(SQLITE_SCHEMA, "utf8"));
  let current = "";
  try {
    current = readFileSync(POSTGRES_SCHEMA, "utf8");
  } catch {
    // first run: no file yet
  }
  if (current === next) return false;
  writeFileSync(POSTGRES_SCHEMA, next);
  return true;
}
