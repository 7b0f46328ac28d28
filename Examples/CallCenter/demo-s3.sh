#!/usr/bin/env bash
# The DSARKit demo with the recordings in a bucket: starts a throw-away S3 server (rclone serve s3,
# from PyPI, on loopback), puts the call-centre example's recordings and voicemails in bucket
# `recordings`, then checks the catalog, finds one customer, writes her access package and erases her.
#   bash Examples/CallCenter/demo-s3.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
source .ci/s3.sh
trap dsar_s3_stop EXIT

swift build
bin="$(swift build --show-bin-path)"
rm -rf demo-s3
"$bin/callcenter-example" --out demo-s3
cd demo-s3
# rclone serves each folder of its root as a bucket: the recordings become objects of `recordings`.
cp -R data/recordings "$DSAR_TEST_S3_RCLONE_ROOT/recordings"
rm -rf data/recordings
export DEMO_S3_ACCESS_KEY="$DSAR_TEST_S3_ACCESS_KEY" DEMO_S3_SECRET_KEY="$DSAR_TEST_S3_SECRET_KEY"
sed "s|  recordings: { type: files, root: data/recordings }|  recordings: { type: s3, endpoint: \"$DSAR_TEST_S3_RCLONE_URL\", bucket: recordings, region: us-east-1, accessKeyEnv: DEMO_S3_ACCESS_KEY, secretKeyEnv: DEMO_S3_SECRET_KEY, pathStyle: true }|" \
  dsar.yaml > dsar-s3.yaml
export DSAR_CATALOG=dsar-s3.yaml
grep -n "type: s3" dsar-s3.yaml
subject="email:amel.benali@example.tn"
for command in "check" "discover --subject $subject" \
               "access --subject $subject --no-encryption --format tar.gz --out amel.tar.gz" \
               "keys generate" "erase --subject $subject --execute --certificate certificate.json"; do
  echo
  echo "\$ dsar $command"
  # shellcheck disable=SC2086
  "$bin/dsar" $command
done
echo
echo "Objects left in the bucket: $(find "$DSAR_TEST_S3_RCLONE_ROOT/recordings" -type f | wc -l)"
