#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on 127.0.0.1 (first free port from ${PGPORT:-55432}) for the test suite and prints
# the JDBC URL to give the tests as LIFEBOAT_TEST_POSTGRES. Installs PostgreSQL if the machine lacks it.
set -euo pipefail
port="${PGPORT:-55432}"
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done  # first free port
if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql postgres
dir=$(mktemp -d /tmp/lifeboat-pg.XXXXXX)
chown postgres "$dir"
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
as_pg "$bin/initdb -D $dir/data -U postgres --auth=trust -E UTF8 >/dev/null"
as_pg "$bin/pg_ctl -D $dir/data -l $dir/log -w -o \"-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200\" start >/dev/null"
echo "jdbc:postgresql://127.0.0.1:$port/postgres?user=postgres"
