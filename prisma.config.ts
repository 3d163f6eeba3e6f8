import { defineConfig } from "prisma/config";

// SQLite by default, PostgreSQL when DATABASE_URL is postgres(ql)://. Same default path as lib/config/env.ts.
// The application applies migrations itself (lib/store/migrate.ts); this file serves the stock Prisma CLI.
const url = process.env.DATABASE_URL || "file:./data/auditor.db";
const postgres = /^postgres(ql)?:\/\//.test(url);

export default defineConfig({
  schema: postgres ? "prisma/postgres/schema.prisma" : "prisma/schema.prisma",
  migrations: { path: postgres ? "prisma/postgres/migrations" : "prisma/migrations" },
  datasource: { url },
});
