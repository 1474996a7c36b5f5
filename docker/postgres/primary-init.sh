#!/bin/bash
# The primary's first start (the official image runs /docker-entrypoint-initdb.d/ once, on an
# empty data directory, as the superuser): Stance's two roles (src/database/roles.ts: the owner
# runs the migrations, the app may only read and append to the log), a role for the replica's
# streaming, and the pg_hba line that lets it in (the image's own lines do not cover
# replication connections from other hosts).
set -euo pipefail

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v database="$POSTGRES_DB" \
  -v owner_password="$STANCE_OWNER_PASSWORD" \
  -v app_password="$STANCE_APP_PASSWORD" \
  -v replication_password="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE stance_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE stance_app LOGIN PASSWORD :'app_password';
CREATE ROLE replicator REPLICATION LOGIN PASSWORD :'replication_password';
-- The owner of the database owns its public schema (pg_database_owner, PostgreSQL 15 and later),
-- so the migrations create the tables, and the trusted extension btree_gist, as stance_owner.
ALTER DATABASE :"database" OWNER TO stance_owner;
SQL

echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
