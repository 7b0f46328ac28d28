#!/usr/bin/env bash
# The FreePBX example: builds dsar, generates the PBX (cdr table, recordings, voicemail spool with
# Asterisk's .txt sidecars) into ./freepbx-demo, checks the catalog, finds everything held on one
# caller (Amel, +216 98 123 456), writes and verifies her access package, then plans, runs and
# certifies her erasure. Needs sqlite3 (and libarchive-dev to build).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

if [ ! -f /usr/include/archive.h ] || ! command -v sqlite3 >/dev/null; then
  echo "Installing libarchive-dev and sqlite3…"
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq libarchive-dev sqlite3 >/dev/null
fi

swift build --product dsar
bin="$(swift build --show-bin-path)"
rm -rf freepbx-demo
bash Examples/FreePBX/generate.sh freepbx-demo
cd freepbx-demo
run() { echo; echo "\$ dsar $*"; "$bin/dsar" "$@"; }
run check
run discover --subject phone:98123456
run access --subject phone:98123456 --out amel.zip --no-encryption
run verify amel.zip
run erase --subject phone:98123456 --dry-run
run keys generate
run erase --subject phone:98123456 --execute --certificate certificate.json
run certificate verify certificate.json
