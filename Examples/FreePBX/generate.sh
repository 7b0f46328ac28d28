#!/usr/bin/env bash
# Writes the FreePBX example into a folder (default ./freepbx-demo): asteriskcdrdb.sqlite
# (schema.sql + data.sql), the recordings its cdr rows name under spool/monitor/YYYY/MM/DD/,
# the voicemail spool of voicemail.tsv as Asterisk lays it out (msgNNNN.wav + msgNNNN.txt), and
# dsar.yaml (catalog.yaml). Deterministic; needs only bash, sqlite3 and GNU date.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-freepbx-demo}"
if [ -e "$out/asteriskcdrdb.sqlite" ]; then
  echo "generate.sh: $out already holds an example; remove it first" >&2
  exit 1
fi
mkdir -p "$out/spool"

cat "$here/schema.sql" "$here/data.sql" | sqlite3 "$out/asteriskcdrdb.sqlite"

le32() { printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
# A playable WAV: 8 kHz, mono, 16-bit, $2 seconds of silence.
wav() {
  local bytes=$(($2 * 16000))
  mkdir -p "$(dirname "$1")"
  {
    printf "RIFF$(le32 $((36 + bytes)))WAVEfmt $(le32 16)\\x01\\x00\\x01\\x00$(le32 8000)$(le32 16000)\\x02\\x00\\x10\\x00data$(le32 "$bytes")"
    head -c "$bytes" /dev/zero
  } > "$1"
}

# Recordings, one per distinct file the cdr names (a conference file is linked by two rows).
sqlite3 -separator $'\t' "$out/asteriskcdrdb.sqlite" \
  "SELECT DISTINCT strftime('%Y/%m/%d', calldate), recordingfile, MAX(billsec) FROM cdr WHERE recordingfile <> '' GROUP BY 1, 2 ORDER BY 1, 2" |
while IFS=$'\t' read -r day file seconds; do
  wav "$out/spool/monitor/$day/$file" $((seconds < 3 ? seconds : 3))
done

# Voicemail: msgNNNN.wav and, unless the caller id is `-`, the msgNNNN.txt Asterisk writes.
grep -v '^#' "$here/voicemail.tsv" | while IFS=$'\t' read -r mailbox folder message callerid origtime duration; do
  base="$out/spool/voicemail/default/$mailbox/$folder/msg$message"
  wav "$base.wav" 1
  [ "$callerid" != "-" ] || continue
  cat > "$base.txt" <<TXT
;
; Message Information file
;
[message]
origmailbox=$mailbox
context=from-did-direct
macrocontext=
exten=s
rdnis=71222333
priority=1
callerchan=PJSIP/trunk-$origtime
callerid=$callerid
origdate=$(LC_ALL=C date -u -d "@$origtime" '+%a %b %e %r UTC %Y')
origtime=$origtime
category=
msg_id=$origtime-00000000
flag=
duration=$duration
TXT
done

cp "$here/catalog.yaml" "$out/dsar.yaml"
echo "FreePBX example written to $out"
