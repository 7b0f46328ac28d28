#!/usr/bin/env bash
# One row of Benchmarks/run.sh, also runnable alone: discovery of the data set's 1,000 subjects
# with the CRM in PostgreSQL, against the same hand-written indexed queries run by `psql`.
# Loads the SQLite data set into a throw-away PostgreSQL 15 (the one .ci/postgres.sh starts), or
# into DSAR_BENCH_POSTGRES_URL (+ DSAR_BENCH_POSTGRES_PASSWORD) when set. Prints one Markdown row.
#
#   bash Benchmarks/postgres.sh BIN_DIR DATA_DIR [RUNS]   # BIN_DIR holds dsar-bench; DATA_DIR a dsar-bench data set
set -euo pipefail
bin="$1"; data="$2"; runs="${3:-3}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d /tmp/dsar-bench-pg.XXXXXX)"
schema=bench

if [ -n "${DSAR_BENCH_POSTGRES_URL:-}" ]; then
  url="$DSAR_BENCH_POSTGRES_URL"; password="${DSAR_BENCH_POSTGRES_PASSWORD:-}"
  trap 'rm -rf "$work"' EXIT
else
  DSAR_PG_PORT=54349 source "$root/.ci/postgres.sh" >&2
  url="$DSAR_TEST_POSTGRES_URL"; password="$DSAR_TEST_POSTGRES_PASSWORD"
  trap 'dsar_postgres_stop; rm -rf "$work"' EXIT
fi
export PGPASSWORD="$password" BENCH_PG_PASSWORD="$password"
psql_cmd=(psql -X -q -v ON_ERROR_STOP=1 "$url")

# Load the SQLite tables with COPY, then build the same indexes (the email folded as DSARKit compares it).
db="$data/data/crm.sqlite"
"${psql_cmd[@]}" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1
"$bin/dsar-bench" postgres-schema --schema "$schema" --part tables | "${psql_cmd[@]}" >/dev/null
for table in customers recording_consents calls recordings; do
  sqlite3 -csv "$db" "SELECT * FROM $table" | "${psql_cmd[@]}" -c "\\copy $schema.$table FROM STDIN WITH (FORMAT csv)"
done
"$bin/dsar-bench" postgres-schema --schema "$schema" --part indexes | "${psql_cmd[@]}" >/dev/null

sed "s|  crm:        { type: sqlite, path: data/crm.sqlite }|  crm:        { type: postgres, url: \"$url\", passwordEnv: BENCH_PG_PASSWORD, schema: $schema }|" \
  "$data/dsar.yaml" > "$data/dsar-postgres.yaml"
grep -q "type: postgres" "$data/dsar-postgres.yaml" || { echo "the data set's catalog has no crm SQLite store to replace" >&2; exit 1; }
"$bin/dsar-bench" baseline-sql --subjects "$data/subjects.txt" --postgres-schema "$schema" > "$work/baseline.sql"

ours_cmd="$bin/dsar-bench discover --catalog $data/dsar-postgres.yaml --subjects $data/subjects.txt"
base_cmd="psql -X -q -o /dev/null -f $work/baseline.sql $url"
for i in $(seq "$runs"); do $ours_cmd > "$work/discover-$i.json"; done
hyperfine --style none --warmup 1 --runs "$runs" --export-json "$work/h.json" "$ours_cmd" "$base_cmd" >/dev/null 2>&1
read -r ours base < <(python3 -c "import json; r=json.load(open('$work/h.json'))['results']; print(r[0]['median'], r[1]['median'])")
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
p50=$(for f in "$work"/discover-*.json; do python3 -c "import json; print(json.load(open('$f'))['p50_ms'])"; done | median)
p99=$(for f in "$work"/discover-*.json; do python3 -c "import json; print(json.load(open('$f'))['p99_ms'])"; done | median)
ratio=$(python3 -c "print(f'{$ours/$base:.2f}')")
echo "| discovery, 1,000 subjects, CRM in PostgreSQL 15 (one process) | $(printf %.2f "$ours") s (p50 $(printf %.2f "$p50") ms, p99 $(printf %.2f "$p99") ms per subject) | $(printf %.2f "$base") s: the same indexed SQL in psql | $ratio | ≤ 1.5 |"
