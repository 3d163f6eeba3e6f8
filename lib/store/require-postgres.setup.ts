// The store-postgres test project runs the store suite on a real PostgreSQL server; without one it must fail
// loudly rather than quietly run on SQLite a second time.
export default function requirePostgres(): void {
  if (!process.env.TEST_POSTGRES_URL?.startsWith("postgres")) {
    throw new Error(
      "TEST_POSTGRES_URL is not set: the store tests also run on PostgreSQL. Start one with " +
        "`export TEST_POSTGRES_URL=$(sudo bash scripts/db/start-test-postgres.sh)` (Debian's postgresql package).",
    );
  }
}
