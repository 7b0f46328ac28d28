-- Asterisk's CDR table as FreePBX creates it in the `asteriskcdrdb` database, with the same
-- column names and order. FreePBX uses MySQL/MariaDB; this example uses SQLite, so the MySQL
-- types are written as their SQLite affinities (varchar → TEXT, int → INTEGER, datetime →
-- TEXT 'YYYY-MM-DD HH:MM:SS' in the PBX's local time). Like FreePBX's, the table has no
-- primary key: the catalog names rows by (uniqueid, sequence).
CREATE TABLE cdr (
  calldate      TEXT NOT NULL DEFAULT '0000-00-00 00:00:00',
  clid          TEXT NOT NULL DEFAULT '',
  src           TEXT NOT NULL DEFAULT '',
  dst           TEXT NOT NULL DEFAULT '',
  dcontext      TEXT NOT NULL DEFAULT '',
  channel       TEXT NOT NULL DEFAULT '',
  dstchannel    TEXT NOT NULL DEFAULT '',
  lastapp       TEXT NOT NULL DEFAULT '',
  lastdata      TEXT NOT NULL DEFAULT '',
  duration      INTEGER NOT NULL DEFAULT 0,
  billsec       INTEGER NOT NULL DEFAULT 0,
  disposition   TEXT NOT NULL DEFAULT '',
  amaflags      INTEGER NOT NULL DEFAULT 0,
  accountcode   TEXT NOT NULL DEFAULT '',
  uniqueid      TEXT NOT NULL DEFAULT '',
  userfield     TEXT NOT NULL DEFAULT '',
  did           TEXT NOT NULL DEFAULT '',
  recordingfile TEXT NOT NULL DEFAULT '',
  cnum          TEXT NOT NULL DEFAULT '',
  cnam          TEXT NOT NULL DEFAULT '',
  outbound_cnum TEXT NOT NULL DEFAULT '',
  outbound_cnam TEXT NOT NULL DEFAULT '',
  dst_cnam      TEXT NOT NULL DEFAULT '',
  linkedid      TEXT NOT NULL DEFAULT '',
  peeraccount   TEXT NOT NULL DEFAULT '',
  sequence      INTEGER NOT NULL DEFAULT 0
);
-- FreePBX's own indexes, and the ones `dsar check` asks for (lookups by caller and callee,
-- "who else links this recording").
CREATE INDEX calldate ON cdr (calldate);
CREATE INDEX dst ON cdr (dst);
CREATE INDEX accountcode ON cdr (accountcode);
CREATE INDEX uniqueid ON cdr (uniqueid, sequence);
CREATE INDEX src ON cdr (src);
CREATE INDEX recordingfile ON cdr (recordingfile);
