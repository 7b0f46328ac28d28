#!/usr/bin/env bash
# One row of Benchmarks/run.sh, also runnable alone: the load check of `dsar serve` on the call-centre
# example (Benchmarks/serve-load.py): 200 concurrent status polls and 20 concurrent intakes against one
# server, p50/p99 latencies, and nothing lost. Prints one Markdown table row.
#
#   bash Benchmarks/serve-load.sh BIN_DIR       # BIN_DIR holds dsar and callcenter-example
set -euo pipefail
bin="$1"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d /tmp/dsar-bench-serve.XXXXXX)"
server=""
trap '[ -n "$server" ] && { kill -9 $server 2>/dev/null; wait $server 2>/dev/null; }; rm -rf "$work"' EXIT

"$bin/callcenter-example" --out "$work/example" >/dev/null
catalog="$work/example/dsar.yaml"
"$bin/dsar" keys generate --catalog "$catalog" >/dev/null
intake=$("$bin/dsar" serve tokens add load-portal --scope intake --catalog "$catalog" 2>/dev/null)
status=$("$bin/dsar" serve tokens add load-tracker --scope status --catalog "$catalog" 2>/dev/null)
"$bin/dsar" serve --catalog "$catalog" --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
server=$!
base=""
for _ in $(seq 300); do
  base=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/serve.out" | head -n 1 || true)
  [ -n "$base" ] && break
  sleep 0.1
done
[ -n "$base" ] || { echo "dsar serve did not start: $(head -c 400 "$work/serve.err")" >&2; exit 1; }
python3 "$here/serve-load.py" "$base" "$intake" "$status" "$bin/dsar" "$catalog" "${DSAR_BENCH_POLLS:-200}" "${DSAR_BENCH_INTAKES:-20}"
