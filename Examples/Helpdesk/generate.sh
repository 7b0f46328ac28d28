#!/usr/bin/env bash
# Writes the Helpdesk example: Chatwoot's tables (schema.sql) filled with data.sql in a
# PostgreSQL schema, the ActiveStorage blob files its rows name laid out as Rails' Disk service
# does (storage/<key[0,2]>/<key[2,2]>/<key>), and dsar.yaml (catalog.yaml pointed at that
# database). Deterministic; needs bash and psql.
#
#   DATABASE_URL=postgres://user@host:5432/db PGPASSWORD=… bash Examples/Helpdesk/generate.sh OUT [SCHEMA]
#
# SCHEMA (default helpdesk) is created; it must not hold the tables yet. dsar reads the password
# from the variable HELPDESK_PASSWORD_ENV names (default PGPASSWORD, as psql does).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-helpdesk-demo}"
schema="${2:-helpdesk}"
: "${DATABASE_URL:?set DATABASE_URL=postgres://user@host:port/database (and PGPASSWORD)}"
password_env="${HELPDESK_PASSWORD_ENV:-PGPASSWORD}"
case "$schema" in *[!a-z0-9_]*|"") echo "generate.sh: a schema name is lower-case letters, digits and _" >&2; exit 1;; esac
psql="$(command -v psql || ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -n 1)"
[ -x "$psql" ] || { echo "generate.sh: psql not found (apt-get install postgresql-client)" >&2; exit 1; }
if [ -e "$out/dsar.yaml" ]; then
  echo "generate.sh: $out already holds an example; remove it first" >&2
  exit 1
fi

export PGOPTIONS="-c search_path=$schema"
"$psql" "$DATABASE_URL" -v ON_ERROR_STOP=1 -q -X -c "CREATE SCHEMA IF NOT EXISTS $schema" \
  -f "$here/schema.sql" -f "$here/data.sql"

# Each blob's file where ActiveStorage's Disk service keeps it.
mkdir -p "$out/storage"
"$psql" "$DATABASE_URL" -X -At -F $'\t' -c "SELECT key, filename, content_type FROM active_storage_blobs ORDER BY id" |
while IFS=$'\t' read -r key filename content_type; do
  mkdir -p "$out/storage/${key:0:2}/${key:2:2}"
  printf 'Example %s (%s) for the DSARKit Helpdesk example\n' "$filename" "$content_type" > "$out/storage/${key:0:2}/${key:2:2}/$key"
done

sed -e "s|^    url: .*|    url: \"$DATABASE_URL\"|" -e "s|^    passwordEnv: .*|    passwordEnv: $password_env|" \
    -e "s|^    schema: public|    schema: $schema|" "$here/catalog.yaml" > "$out/dsar.yaml"
echo "Helpdesk example written to $out (tables in schema $schema)"
