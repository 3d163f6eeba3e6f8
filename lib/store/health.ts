import { db, type Db } from "./db";

/** Throws when the database does not answer a trivial query: the liveness probe's database check. */
export async function pingDatabase(database: Db = db()): Promise<void> {
  await database.$queryRaw`SELECT 1`;
}
