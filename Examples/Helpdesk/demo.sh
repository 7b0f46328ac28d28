#!/usr/bin/env bash
# The Helpdesk example: builds dsar, loads Chatwoot's tables and the example's data into
# PostgreSQL (a throw-away server from .ci/postgres.sh unless DATABASE_URL and PGPASSWORD name
# one), lays the ActiveStorage files out in ./helpdesk-demo, checks the catalog, finds
# everything held on one contact (Amel), writes and verifies her access package, then plans,
# runs and certifies her erasure. Needs PostgreSQL 13+ (server binaries for the throw-away one).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

if [ ! -f /usr/include/archive.h ]; then
  echo "Installing libarchive-dev (needed to write access packages)…"
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq libarchive-dev >/dev/null
fi
if [ -z "${DATABASE_URL:-}" ]; then
  source .ci/postgres.sh
  trap dsar_postgres_stop EXIT
  export DATABASE_URL="$DSAR_TEST_POSTGRES_URL" PGPASSWORD="$DSAR_TEST_POSTGRES_PASSWORD"
fi

swift build --product dsar
bin="$(swift build --show-bin-path)"
rm -rf helpdesk-demo
schema="helpdesk_demo_$(date +%s)"
bash Examples/Helpdesk/generate.sh helpdesk-demo "$schema"
cd helpdesk-demo
run() { echo; echo "\$ dsar $*"; "$bin/dsar" "$@"; }
run check
run discover --subject email:amel.benali@example.tn
run access --subject email:amel.benali@example.tn --out amel.zip --no-encryption
run verify amel.zip
run erase --subject email:amel.benali@example.tn --dry-run
run keys generate
run erase --subject email:amel.benali@example.tn --execute --certificate certificate.json
run certificate verify certificate.json
echo
echo "The example's tables are in schema $schema (drop it with: DROP SCHEMA $schema CASCADE)."
