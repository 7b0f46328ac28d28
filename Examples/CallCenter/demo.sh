#!/usr/bin/env bash
# The DSARKit demo: build, generate the call-centre example into ./demo, check the catalog,
# find everything held on one customer, write her access package and verify it, then plan, execute
# and certify her erasure.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

if [ ! -f /usr/include/archive.h ]; then
  echo "Installing libarchive-dev (needed to write access packages)…"
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq libarchive-dev >/dev/null
fi

swift build
bin="$(swift build --show-bin-path)"
rm -rf demo
"$bin/callcenter-example" --out demo
cd demo
echo
echo "\$ dsar check"
"$bin/dsar" check
echo
echo "\$ dsar discover --subject email:amel.benali@example.tn"
"$bin/dsar" discover --subject email:amel.benali@example.tn
echo
echo "\$ dsar access --subject email:amel.benali@example.tn --out amel.zip --letter amel-letter.txt"
"$bin/dsar" access --subject email:amel.benali@example.tn --out amel.zip --letter amel-letter.txt 2> passphrase.txt
cat passphrase.txt
# The generated passphrase, as the privacy officer would read it out on the phone.
sed -n 's/^Passphrase (shown once, not stored): //p' passphrase.txt > amel.pass
echo
echo "\$ dsar verify amel.zip --passphrase-file amel.pass"
"$bin/dsar" verify amel.zip --passphrase-file amel.pass
echo
echo "Open it with: 7z x amel.zip (passphrase above), then open index.html; the cover letter is demo/amel-letter.txt."
echo
echo "\$ dsar erase --subject email:amel.benali@example.tn --dry-run --plan-out plan.json"
"$bin/dsar" erase --subject email:amel.benali@example.tn --dry-run --plan-out plan.json
echo
echo "\$ dsar keys generate"
"$bin/dsar" keys generate
echo
echo "\$ dsar erase --subject email:amel.benali@example.tn --execute --certificate certificate.json"
"$bin/dsar" erase --subject email:amel.benali@example.tn --execute --certificate certificate.json
echo
echo "\$ dsar certificate verify certificate.json && dsar audit verify"
"$bin/dsar" certificate verify certificate.json
"$bin/dsar" audit verify
