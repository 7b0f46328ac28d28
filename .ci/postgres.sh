#!/usr/bin/env bash
# Starts a throw-away PostgreSQL 15 on a loopback port for the integration tests and prints the
# environment to use it. Source it: `source .ci/postgres.sh` (CI does); `dsar_postgres_stop` stops it.
# Password authentication is on, so the tests exercise `passwordEnv`.
set -euo pipefail

pg_bin="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  echo "PostgreSQL server binaries not found; installing postgresql" >&2
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq postgresql >/dev/null
  pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
fi

# The first free loopback port from 54329 (another test server may be running).
port="${DSAR_PG_PORT:-54329}"
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
pg_dir="$(mktemp -d /tmp/dsar-postgres.XXXXXX)"
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres:postgres "$pg_dir"   # initdb refuses to run as root
  as_owner=(runuser -u postgres --)
fi
printf 'dsar-test-secret\n' > "$pg_dir/pwfile"
chmod 644 "$pg_dir/pwfile"
"${as_owner[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U dsar --pwfile="$pg_dir/pwfile" \
  --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$pg_dir/initdb.log" 2>&1
"${as_owner[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
  -o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null
PGPASSWORD=dsar-test-secret "$pg_bin/psql" -h 127.0.0.1 -p "$port" -U dsar -d postgres -qc "CREATE DATABASE dsar_test" >/dev/null

export DSAR_TEST_POSTGRES_URL="postgres://dsar@127.0.0.1:$port/dsar_test"
export DSAR_TEST_POSTGRES_PASSWORD="dsar-test-secret"
export DSAR_PG_DIR="$pg_dir"
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') running on 127.0.0.1:$port (data in $pg_dir)"

dsar_postgres_stop() {
  "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
