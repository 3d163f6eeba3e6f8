#!/usr/bin/env bash
# Starts Debian's PostgreSQL 15 cluster on 127.0.0.1:5432 for the store tests and prints the TEST_POSTGRES_URL to
# use. Idempotent. Needs root (or the postgres user) and the `postgresql` package.
set -euo pipefail
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
pg_lsclusters -h | grep -q "^$version main" || pg_createcluster "$version" main >/dev/null
pg_ctlcluster "$version" main start >/dev/null 2>&1 || pg_ctlcluster "$version" main status >/dev/null
for _ in $(seq 1 60); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 0.5
done
pg_isready -q -h 127.0.0.1 -p 5432
runuser -u postgres -- psql -q -c "ALTER USER postgres PASSWORD 'postgres'" >/dev/null
echo "postgresql://postgres:postgres@127.0.0.1:5432/postgres"
