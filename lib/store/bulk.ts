import { Prisma } from "./db";
import type { DatabaseKind } from "./db";
import { escapeStoredText, mapStrings } from "./stored-text";

// Multi-row INSERTs for the per-poll tables. Prisma's createMany/upsert cost about 1 ms per row through
// the driver adapters (6 s for one 5,000-partition poll); one parameterised statement per chunk of rows
// costs a few percent of that. Both SQLite and PostgreSQL take the same SQL apart from value encoding.

export type ColumnType = "int" | "bigint" | "text" | "date" | "json" | "bool";
export type Columns = Record<string, ColumnType>;

interface RawExecutor {
  $executeRaw(query: Prisma.Sql): Promise<number>;
}

/** Well below SQLite's 32,766 and PostgreSQL's 65,535 bound parameters per statement. */
const MAX_PARAMETERS = 30_000;

const quote = (identifier: string) => `"${identifier}"`;

function encode(kind: DatabaseKind, type: ColumnType, value: unknown): Prisma.Sql {
  if (value === null || value === undefined) return Prisma.sql`NULL`;
  switch (type) {
    case "date":
      // SQLite stores DateTime as epoch ms (the client's timestampFormat), PostgreSQL as timestamptz.
      return kind === "sqlite" ? Prisma.sql`${(value as Date).getTime()}` : Prisma.sql`${(value as Date).toISOString()}::timestamptz`;
    case "json":
      return kind === "sqlite" ? Prisma.sql`${JSON.stringify(value)}` : Prisma.sql`${JSON.stringify(mapStrings(value, escapeStoredText))}::jsonb`;
    case "bool":
      return kind === "sqlite" ? Prisma.sql`${value ? 1 : 0}` : Prisma.sql`${Boolean(value)}`;
    case "bigint":
      return kind === "sqlite" ? Prisma.sql`${value as bigint}` : Prisma.sql`${String(value)}::bigint`;
    case "int":
      return kind === "sqlite" ? Prisma.sql`${value as number}` : Prisma.sql`${String(value)}::integer`;
    case "text":
      return kind === "sqlite" ? Prisma.sql`${value as string}` : Prisma.sql`${escapeStoredText(value as string)}`;
  }
}

/**
 * INSERTs `rows` (objects keyed by column name) into `table`; with `upsert`, rows whose `target` key
 * exists update the `update` columns instead (or are skipped when `update` is empty).
 */
export async function bulkInsert(
  executor: RawExecutor,
  kind: DatabaseKind,
  table: string,
  columns: Columns,
  rows: readonly Record<string, unknown>[],
  upsert?: { target: readonly string[]; update: readonly string[] },
): Promise<void> {
  if (rows.length === 0) return;
  const names = Object.keys(columns);
  const head = Prisma.raw(`INSERT INTO ${quote(table)} (${names.map(quote).join(", ")}) VALUES `);
  const conflict = upsert && `ON CONFLICT (${upsert.target.map(quote).join(", ")})`;
  const tail = !upsert
    ? Prisma.empty
    : upsert.update.length === 0
      ? Prisma.raw(` ${conflict} DO NOTHING`)
      : Prisma.raw(` ${conflict} DO UPDATE SET ${upsert.update.map((c) => `${quote(c)} = excluded.${quote(c)}`).join(", ")}`);
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / names.length));
  for (let start = 0; start < rows.length; start += perStatement) {
    const tuples = rows
      .slice(start, start + perStatement)
      .map((row) => Prisma.sql`(${Prisma.join(names.map((n) => encode(kind, columns[n], row[n])))})`);
    await executor.$executeRaw(Prisma.sql`${head}${Prisma.join(tuples)}${tail}`);
  }
}
