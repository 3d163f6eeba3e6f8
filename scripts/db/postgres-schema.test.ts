import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { POSTGRES_SCHEMA, SQLITE_SCHEMA, postgresSchemaFrom } from "./postgres-schema";

describe("postgres schema", () => {
  it("is the committed derivation of the SQLite schema", () => {
    const derived = postgresSchemaFrom(readFileSync(SQLITE_SCHEMA, "utf8"));
    expect(readFileSync(POSTGRES_SCHEMA, "utf8")).toBe(derived);
    expect(derived).toContain('provider = "postgresql"');
    expect(derived).toContain("../../lib/generated/prisma/postgres");
  });
});
