#!/bin/bash
# The hot standby: on an empty data directory, a base backup of the primary taken with
# pg_basebackup -R (which writes standby.signal and primary_conninfo), then the image's own
# entrypoint, which finds a data directory and starts PostgreSQL on it (a standby, read-only).
# The primary keeps wal_keep_size of WAL for it (docker-compose.yml); a standby that falls further
# behind must be taken again: docker compose rm -sf replica && docker volume rm stance_replica-data.
set -euo pipefail

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  until pg_isready --host "$PRIMARY_HOST" --port "$PRIMARY_PORT" --username "$REPLICATION_USER" --quiet; do
    echo "waiting for the primary at $PRIMARY_HOST:$PRIMARY_PORT"
    sleep 1
  done
  # PGPASSWORD (the environment) is the replication role's; -R keeps it in primary_conninfo.
  gosu postgres pg_basebackup --host "$PRIMARY_HOST" --port "$PRIMARY_PORT" --username "$REPLICATION_USER" \
    --pgdata "$PGDATA" --write-recovery-conf --wal-method stream --checkpoint fast --no-password
fi

exec docker-entrypoint.sh "$@"
