#!/usr/bin/env bash
# DSARKit against the fastest way to do the same work on this machine, side by side in one run.
# Prints a Markdown table of medians and ratios (DSARKit / limit). See Docs/Performance.md.
#
#   bash Benchmarks/run.sh                 # full scale: 1,000,000 customers, 5,000,000 calls
#   DSAR_BENCH_CUSTOMERS=50000 bash Benchmarks/run.sh   # a quick look
#   DSAR_BENCH_ROWS=discovery bash Benchmarks/run.sh     # only row 1 (builds dsar-bench alone)
#   DSAR_BENCH_ROWS=erasure bash Benchmarks/run.sh       # only row 3 (batch erasure, grouped and one at a time)
#   DSAR_BENCH_BIN=.build-release/release …              # use binaries already built there (dsar, dsar-bench)
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
customers="${DSAR_BENCH_CUSTOMERS:-1000000}"
runs="${DSAR_BENCH_RUNS:-3}"
only="${DSAR_BENCH_ROWS:-all}"
case "$only" in all|discovery|erasure) ;; *) echo "DSAR_BENCH_ROWS is all, discovery or erasure" >&2; exit 2 ;; esac
data="${DSAR_BENCH_DIR:-$root/.build-bench-data}/c$customers"
work="$(mktemp -d /tmp/dsar-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT

need=()
command -v hyperfine >/dev/null || need+=(hyperfine)
command -v sqlite3 >/dev/null || need+=(sqlite3)
command -v bsdtar >/dev/null || need+=(libarchive-tools)
[ -x /usr/bin/time ] || need+=(time)
[ -f /usr/include/archive.h ] || need+=(libarchive-dev)
if [ ${#need[@]} -gt 0 ]; then
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
fi

if [ -n "${DSAR_BENCH_BIN:-}" ]; then
  bin="$(cd "$DSAR_BENCH_BIN" && pwd)"
else
  echo "Building release binaries…" >&2
  [ "$only" = discovery ] || swift build -c release --product dsar >&2
  swift build -c release --product dsar-bench >&2
  [ "$only" != all ] || swift build -c release --product callcenter-example >&2
  bin="$(swift build -c release --show-bin-path)"
fi

echo "Scale data set ($customers customers) in $data…" >&2
"$bin/dsar-bench" generate --dir "$data" --customers "$customers" --subjects "$data/subjects.txt" --subject-count 1000 >&2
"$bin/dsar-bench" baseline-sql --subjects "$data/subjects.txt" > "$data/baseline.sql"
db="$data/data/crm.sqlite"

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
peak_rss_mib() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -n 1 | awk '{printf "%.0f", $1/1024}'; }
hyper() { # name, command A, command B → medians in seconds "a b"
  hyperfine --style none --warmup 1 --runs "$runs" --export-json "$work/$1.json" "$2" "$3" >/dev/null 2>&1
  python3 -c "import json,sys; r=json.load(open('$work/$1.json'))['results']; print(r[0]['median'], r[1]['median'])"
}
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }

rows=()
print_table() {
  echo
  echo "DSARKit benchmarks — $(date -u +%Y-%m-%d), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $customers customers, medians of $runs runs"
  echo
  echo "| what | DSARKit | the limit | ratio | target |"
  echo "|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
}

recordings="$data/data/recordings"
# 1. Discovery of 1,000 subjects in one process vs the same lookups as indexed SQL in sqlite3.
if [ "$only" != erasure ]; then
for i in $(seq "$runs"); do
  "$bin/dsar-bench" discover --catalog "$data/dsar.yaml" --subjects "$data/subjects.txt" > "$work/discover-$i.json"
done
read -r ours base < <(hyper discovery "$bin/dsar-bench discover --catalog $data/dsar.yaml --subjects $data/subjects.txt" \
  "sqlite3 $db -init /dev/null -batch < $data/baseline.sql")
p50=$(for f in "$work"/discover-*.json; do python3 -c "import json; print(json.load(open('$f'))['p50_ms'])"; done | median)
p99=$(for f in "$work"/discover-*.json; do python3 -c "import json; print(json.load(open('$f'))['p99_ms'])"; done | median)
rows+=("| discovery, 1,000 subjects (one process) | $(printf %.2f "$ours") s (p50 $(printf %.2f "$p50") ms, p99 $(printf %.2f "$p99") ms per subject) | $(printf %.2f "$base") s: hand-written indexed SQL in sqlite3 | $(ratio "$ours" "$base") | ≤ 1.5 |")
# 1b. The same discovery with the CRM in PostgreSQL, against psql (Benchmarks/postgres.sh).
rows+=("$(bash "$root/Benchmarks/postgres.sh" "$bin" "$data" "$runs")")
if [ "$only" = discovery ]; then print_table; exit 0; fi

# 2. Packaging the subject with 1 GiB of recordings vs bsdtar writing the same files.
for format in zip tar.zst; do
  if [ "$format" = zip ]; then bsd="bsdtar -cf $work/b.zip --format zip --options zip:compression=store -C $recordings heavy/1"
  else bsd="bsdtar --zstd -cf $work/b.tar.zst -C $recordings heavy/1"; fi
  ours_cmd="$bin/dsar access --catalog $data/dsar.yaml --subject email:client1@exemple.fr --no-encryption --format $format --force --out $work/a.$format"
  read -r ours base < <(hyper "pack-$format" "$ours_cmd" "$bsd")
  rss_ours=$(peak_rss_mib $ours_cmd)
  rss_base=$(peak_rss_mib $bsd)
  rows+=("| access package, 1 GiB of recordings, $format | $(printf %.2f "$ours") s, peak RSS $rss_ours MiB | $(printf %.2f "$base") s, $rss_base MiB: bsdtar, same files | $(ratio "$ours" "$base") | ≤ 1.15, RSS < 64 MiB |")
done

# 2b. The same 1 GiB read from an S3 API server against rclone copy + bsdtar (Benchmarks/s3.sh).
rows+=("$(bash "$root/Benchmarks/s3.sh" "$bin" "$data" "$runs")")
fi

# 3. Batch erasure of 10,000 subjects vs one set-based statement per table plus rm of the files,
#    each run on a fresh copy of the database.
erase_n="${DSAR_BENCH_ERASE_SUBJECTS:-10000}"
"$bin/dsar-bench" generate --dir "$data" --customers "$customers" --subjects "$data/erase-subjects.txt" --subject-count "$erase_n" \
  --distinct >/dev/null
"$bin/dsar-bench" baseline-erase-sql --subjects "$data/erase-subjects.txt" > "$data/baseline-erase.sql"
"$bin/dsar-bench" baseline-erase-files --subjects "$data/erase-subjects.txt" --customers "$customers" > "$data/baseline-erase-files.txt"
erase_dir="$work/erase"
# The data set holds no file for most recording rows, and DSARKit keeps a row whose file is missing
# (the erasure is then incomplete): every recording row gets an empty file in each fresh copy, and
# the baseline removes the files of the recording rows it deletes (listed once, outside the timing,
# from a scratch run of the baseline SQL).
LC_ALL=C sqlite3 "$db" "SELECT path FROM recordings" | LC_ALL=C sort -u > "$work/recordings-all.txt"
cp "$db" "$work/scratch.sqlite"
sqlite3 "$work/scratch.sqlite" < "$data/baseline-erase.sql"
LC_ALL=C sqlite3 "$work/scratch.sqlite" "SELECT path FROM recordings" | LC_ALL=C sort -u > "$work/recordings-kept.txt"
rm -f "$work/scratch.sqlite"
LC_ALL=C comm -23 "$work/recordings-all.txt" "$work/recordings-kept.txt" | cat "$data/baseline-erase-files.txt" - > "$work/baseline-rm.txt"
awk -F/ 'BEGIN { OFS = "/" } { NF--; print }' "$work/recordings-all.txt" | sort -u > "$work/recording-dirs.txt"
prepare="rm -rf $erase_dir && mkdir -p $erase_dir/data/recordings && cp $db $erase_dir/data/crm.sqlite && cp -r $recordings/voicemail $erase_dir/data/recordings/ && cd $erase_dir/data/recordings && xargs -d '\\n' mkdir -p < $work/recording-dirs.txt && xargs -d '\\n' touch < $work/recordings-all.txt && cd - >/dev/null && cp $data/dsar.yaml $erase_dir/ && $bin/dsar keys generate --catalog $erase_dir/dsar.yaml >/dev/null"
erase_runs="${DSAR_BENCH_ERASE_RUNS:-1}"
# Grouped (the default, 200 subjects a group), one subject at a time, and the set-based baseline,
# each on a fresh copy, in the same run.
hyperfine --style none --runs "$erase_runs" --prepare "$prepare" --export-json "$work/erase.json" \
  "$bin/dsar erase --catalog $erase_dir/dsar.yaml --batch $data/erase-subjects.txt --execute --outcomes $work/outcomes.jsonl" \
  "$bin/dsar erase --catalog $erase_dir/dsar.yaml --batch $data/erase-subjects.txt --execute --outcomes $work/outcomes.jsonl --group-size 1" \
  "sh -c 'sqlite3 $erase_dir/data/crm.sqlite < $data/baseline-erase.sql && cd $erase_dir/data/recordings && xargs rm -f < $work/baseline-rm.txt'" \
  >/dev/null 2>&1
read -r ours single base < <(python3 -c "import json; r=json.load(open('$work/erase.json'))['results']; print(r[0]['median'], r[1]['median'], r[2]['median'])")
per_s() { python3 -c "print(f'{$erase_n/$1:,.0f}')"; }
rows+=("| batch erasure, $erase_n subjects, grouped (200) | $(printf %.1f "$ours") s ($(per_s "$ours") subjects/s) | $(printf %.2f "$base") s ($(per_s "$base") subjects/s): set-based DELETE/UPDATE per table + rm of their files | $(ratio "$ours" "$base") | ≤ 3 |")
rows+=("| batch erasure, $erase_n subjects, one at a time (--group-size 1) | $(printf %.1f "$single") s ($(per_s "$single") subjects/s) | the same baseline | $(ratio "$single" "$base") | — |")
if [ "$only" = erasure ]; then print_table; exit 0; fi

# 4. A cold `dsar discover` process on the example data set.
"$bin/callcenter-example" --out "$work/example" >/dev/null
hyperfine --style none --warmup 2 --runs 20 --export-json "$work/cold.json" \
  "$bin/dsar discover --catalog $work/example/dsar.yaml --subject email:amel.benali@example.tn" >/dev/null 2>&1
cold=$(python3 -c "import json; print(json.load(open('$work/cold.json'))['results'][0]['median'])")
rows+=("| cold \`dsar discover\` on the example (process start included) | $(python3 -c "print(f'{$cold*1000:.0f}')") ms | — | — | < 150 ms |")

# 5. Packaging a subject with many records: the example's Amel (customer 1) given 1,000 and then
#    100,000 more calls. Peak memory should not follow the number of records; time is compared with
#    sqlite3 writing the same calls as CSV and JSON and bsdtar packing them (no page, no manifest).
for n in 1000 100000; do
  dir="$work/many-$n"
  cp -r "$work/example" "$dir"
  sqlite3 "$dir/data/crm.sqlite" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $n)
    INSERT INTO calls (customer_id, caller_number, started_at, duration_s, reason, agent_notes)
    SELECT 1, '+21698123456', '2026-01-01T10:00:00Z', i, 'Suivi de dossier', 'Notes de l''appel ' || i || ', saisies par le conseiller.' FROM n;"
done
many_cmd() { echo "$bin/dsar access --catalog $work/many-$1/dsar.yaml --subject email:amel.benali@example.tn --no-encryption --format tar.gz --force --out $work/many-$1.tar.gz"; }
rss_small=$(peak_rss_mib $(many_cmd 1000))
rss_large=$(peak_rss_mib $(many_cmd 100000))
echo "email:amel.benali@example.tn" > "$work/amel.txt"
rss_discovery=$(peak_rss_mib "$bin/dsar-bench" discover --catalog "$work/many-100000/dsar.yaml" --subjects "$work/amel.txt" --link-columns)
cat > "$work/many-limit.sh" <<LIMIT
set -e
rm -rf $work/many-limit && mkdir -p $work/many-limit
sqlite3 -csv -header $work/many-100000/data/crm.sqlite "SELECT * FROM calls WHERE customer_id = 1 ORDER BY id" > $work/many-limit/calls.csv
sqlite3 -json $work/many-100000/data/crm.sqlite "SELECT * FROM calls WHERE customer_id = 1 ORDER BY id" > $work/many-limit/calls.json
bsdtar -czf $work/many-limit.tar.gz -C $work/many-limit .
LIMIT
# One run each: the subject takes tens of seconds, and the memory is what this row is about.
hyperfine --style none --runs 1 --export-json "$work/many.json" "$(many_cmd 100000)" "sh $work/many-limit.sh" >/dev/null 2>&1
read -r ours base < <(python3 -c "import json; r=json.load(open('$work/many.json'))['results']; print(r[0]['median'], r[1]['median'])")
rss_limit=$(peak_rss_mib sh "$work/many-limit.sh")
rows+=("| access package, a subject with 100,000 calls, tar.gz | $(printf %.2f "$ours") s, peak RSS $rss_large MiB, discovery alone $rss_discovery MiB (with 1,000 calls: $rss_small MiB) | $(printf %.2f "$base") s, $rss_limit MiB: sqlite3 → CSV + JSON, bsdtar | $(ratio "$ours" "$base") | writing adds no memory per record |")

# 6. The load check of `dsar serve`: 200 concurrent status polls and 20 concurrent intakes (Benchmarks/serve-load.sh).
rows+=("$(bash "$root/Benchmarks/serve-load.sh" "$bin")")

print_table
