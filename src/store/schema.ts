// The case database schema, versioned with SQLite's `user_version`. Each migration is applied
// once, in order, inside a transaction; a case written by a newer threatlens is refused.
//
// Tables are plain and documented so that a case can be read in any SQLite tool.

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: 'evidence, exports, chats, senders, messages, media references, full-text index',
    sql: `
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- Every file taken in: chat exports, the media they reference, loose images.
CREATE TABLE evidence (
  sha256      TEXT NOT NULL,
  path        TEXT NOT NULL,             -- as the user gave it; archive entries as 'a.zip!entry'
  size        INTEGER NOT NULL,
  role        TEXT NOT NULL,             -- 'export' | 'export-part' | 'media' | 'image'
  export_id   INTEGER,                   -- the export that referenced it (media)
  ingested_at TEXT NOT NULL,
  PRIMARY KEY (sha256, path)
) WITHOUT ROWID;

-- One row per chat export file. Re-ingesting a file with the same SHA-256 adds nothing.
CREATE TABLE exports (
  id           INTEGER PRIMARY KEY,
  sha256       TEXT NOT NULL UNIQUE,
  path         TEXT NOT NULL,
  size         INTEGER NOT NULL,
  reader       TEXT NOT NULL,
  platform     TEXT NOT NULL,
  victim       TEXT NOT NULL,
  tz           TEXT,                     -- zone given with --tz for zone-less clocks
  owner_key    TEXT,                     -- the victim's own identity in this export, when known
  owner_name   TEXT,
  owner_phone  TEXT,                     -- raw, as the export wrote it
  facts        TEXT NOT NULL,            -- JSON object of what the reader decided (date order, offsets…)
  messages     INTEGER NOT NULL,
  ingested_at  TEXT NOT NULL,
  tool_version TEXT NOT NULL
);

CREATE TABLE chats (
  export_id INTEGER NOT NULL REFERENCES exports(id),
  id        TEXT NOT NULL,
  name      TEXT NOT NULL,
  type      TEXT NOT NULL,
  platform  TEXT NOT NULL,
  PRIMARY KEY (export_id, id)
);

CREATE TABLE messages (
  rowid            INTEGER PRIMARY KEY,
  id               TEXT NOT NULL UNIQUE,
  export_id        INTEGER NOT NULL REFERENCES exports(id),
  platform         TEXT NOT NULL,
  kind             TEXT NOT NULL,
  chat_id          TEXT NOT NULL,
  chat_name        TEXT NOT NULL,
  victim           TEXT NOT NULL,
  sender_key       TEXT,                 -- NULL on service lines without an actor
  sender_name      TEXT,
  sender_raw       TEXT,
  sender_phone     TEXT,
  outgoing         INTEGER,              -- 1 the victim wrote it, 0 someone else, NULL unknown
  sent_at          TEXT,                 -- ISO 8601 UTC
  sent_at_local    TEXT,                 -- wall clock as the export wrote it
  time_basis       TEXT NOT NULL,
  time_zone        TEXT,
  edited           INTEGER NOT NULL,
  edited_at        TEXT,
  text             TEXT NOT NULL,
  forwarded        INTEGER NOT NULL,
  forwarded_from   TEXT,
  reply_to         TEXT,
  action           TEXT,
  extra            TEXT,                 -- JSON: location, contact, markedPhones
  src_file         TEXT NOT NULL,
  src_sha256       TEXT NOT NULL,
  src_entry        TEXT,
  src_entry_sha256 TEXT,
  src_line         INTEGER,
  src_offset       INTEGER,
  src_length       INTEGER,
  src_message_id   TEXT
);
CREATE INDEX messages_sender ON messages(sender_key);
CREATE INDEX messages_sent_at ON messages(sent_at);
CREATE INDEX messages_victim ON messages(victim);

CREATE TABLE message_media (
  message_rowid INTEGER NOT NULL REFERENCES messages(rowid),
  ord           INTEGER NOT NULL,
  kind          TEXT NOT NULL,
  name          TEXT NOT NULL,
  path          TEXT,
  sha256        TEXT,
  size          INTEGER,
  missing       TEXT,
  mime          TEXT,
  PRIMARY KEY (message_rowid, ord)
) WITHOUT ROWID;
CREATE INDEX message_media_sha ON message_media(sha256);

-- Address-book entries an export lists (Telegram contacts.list).
CREATE TABLE contacts (
  export_id   INTEGER NOT NULL REFERENCES exports(id),
  name        TEXT NOT NULL,
  phone_raw   TEXT NOT NULL,
  platform_id TEXT,
  src_offset  INTEGER
);

-- Diagnostics about inputs, kept with the case.
CREATE TABLE warnings (
  export_id INTEGER REFERENCES exports(id),
  file      TEXT NOT NULL,
  line      INTEGER,
  offset    INTEGER,
  code      TEXT NOT NULL,
  message   TEXT NOT NULL
);

CREATE VIRTUAL TABLE messages_fts USING fts5(
  text, content='messages', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
);
`,
  },
  {
    version: 2,
    description: 'phone numbers: normalized facts, and every place a number was seen',
    sql: `
-- One row per E.164 number seen anywhere in the case.
CREATE TABLE phones (
  e164          TEXT PRIMARY KEY,
  country       TEXT,
  countries     TEXT NOT NULL,            -- JSON array of possible countries
  type          TEXT,
  valid         INTEGER NOT NULL,         -- matches a number pattern of its country ("valid pattern", not "exists")
  possible      INTEGER NOT NULL,
  reason        TEXT NOT NULL,
  national      TEXT NOT NULL,
  international TEXT NOT NULL
) WITHOUT ROWID;

-- Every place a number was seen: in a message's text, a platform phone entity, a shared contact,
-- or as the sender itself.
CREATE TABLE message_phones (
  message_rowid INTEGER NOT NULL REFERENCES messages(rowid),
  e164          TEXT NOT NULL REFERENCES phones(e164),
  raw           TEXT NOT NULL,            -- exactly as written
  role          TEXT NOT NULL,            -- 'text' | 'entity' | 'contact' | 'sender' | 'sender-name'
  start         INTEGER,                  -- UTF-16 offsets in the message text (role 'text')
  end           INTEGER,
  ext           TEXT,
  region_used   TEXT                      -- default country used to read a number written without +
);
CREATE INDEX message_phones_e164 ON message_phones(e164);
CREATE INDEX message_phones_message ON message_phones(message_rowid);

ALTER TABLE contacts ADD COLUMN e164 TEXT;
ALTER TABLE exports ADD COLUMN region TEXT;
ALTER TABLE exports ADD COLUMN region_source TEXT;
`,
  },
  {
    version: 3,
    description: 'image facts (metadata, perceptual hashes, anomalies) and near-identical image links',
    sql: `
-- Facts about each distinct image content (by SHA-256), computed once.
CREATE TABLE media_facts (
  sha256   TEXT PRIMARY KEY,
  size     INTEGER NOT NULL,
  format   TEXT,
  width    INTEGER,
  height   INTEGER,
  phash    TEXT,                          -- 64-bit DCT pHash, 16 hex digits
  make     TEXT,
  model    TEXT,
  serial   TEXT,
  software TEXT,
  taken_at TEXT,
  gps_lat  REAL,
  gps_lon  REAL,
  facts    TEXT NOT NULL,                 -- the full ImageFacts as JSON (exif, thumbnail, anomalies, errors)
  read_by  TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX media_facts_serial ON media_facts(serial);

-- Pairs of different files showing the same picture (perceptual hash within the threshold).
CREATE TABLE media_links (
  sha_a    TEXT NOT NULL,
  sha_b    TEXT NOT NULL,                 -- sha_a < sha_b
  distance INTEGER NOT NULL,
  PRIMARY KEY (sha_a, sha_b)
) WITHOUT ROWID;
`,
  },
  {
    version: 4,
    description: 'run manifest of attribution runs',
    sql: `
-- Every clustering run: the tool version, every parameter, the exports it read and what it found.
CREATE TABLE runs (
  id         INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL,               -- 'cluster'
  started_at TEXT NOT NULL,
  tool       TEXT NOT NULL,
  params     TEXT NOT NULL,               -- JSON, every parameter
  inputs     TEXT NOT NULL,               -- JSON: the exports read (path, SHA-256)
  stats      TEXT NOT NULL,               -- JSON counters
  result     TEXT NOT NULL                -- JSON: clusters (ids, members) and candidate links
);
`,
  },
  {
    version: 5,
    description: 'inputs that were rejected, with their hash and the reason',
    sql: `
-- Every input a run rejected (unknown format, truncated, unreadable, unsafe archive…): what the
-- investigator handed in but the case does not hold. A file that is later ingested keeps its row.
CREATE TABLE rejections (
  path         TEXT NOT NULL,             -- as the user gave it
  sha256       TEXT,                      -- NULL when the file could not be read at all
  size         INTEGER,
  reason       TEXT NOT NULL,             -- the error as printed, with its position
  rejected_at  TEXT NOT NULL,
  tool_version TEXT NOT NULL
);
CREATE UNIQUE INDEX rejections_once ON rejections(path, ifnull(sha256, ''), reason);
`,
  },
  {
    version: 6,
    description: 'image facts: hashes by kind, links by kind, camera times as instants only when the offset is known, stored anomalies',
    sql: `
-- Perceptual hashes of each image by kind: 'phash64' (64-bit DCT pHash, 16 hex digits) today; another
-- kind (PDQ) adds rows of its own, with its own links below.
CREATE TABLE media_hashes (
  sha256 TEXT NOT NULL,
  kind   TEXT NOT NULL,
  hash   TEXT NOT NULL,                   -- lowercase hex
  PRIMARY KEY (sha256, kind)
) WITHOUT ROWID;
INSERT INTO media_hashes (sha256, kind, hash) SELECT sha256, 'phash64', phash FROM media_facts WHERE phash IS NOT NULL;
ALTER TABLE media_facts DROP COLUMN phash;

-- Pairs of different files showing the same picture, per hash kind (distance within that kind's threshold).
CREATE TABLE media_links_by_kind (
  kind     TEXT NOT NULL,                 -- 'phash64'
  sha_a    TEXT NOT NULL,
  sha_b    TEXT NOT NULL,                 -- sha_a < sha_b
  distance INTEGER NOT NULL,              -- Hamming distance between the two hashes
  PRIMARY KEY (kind, sha_a, sha_b)
) WITHOUT ROWID;
INSERT INTO media_links_by_kind (kind, sha_a, sha_b, distance) SELECT 'phash64', sha_a, sha_b, distance FROM media_links;
DROP TABLE media_links;
ALTER TABLE media_links_by_kind RENAME TO media_links;

-- taken_at is a UTC instant only when the camera's offset is known (facts.exif.takenAtBasis says
-- how); taken_at_local is the camera's wall clock, never given a zone.
ALTER TABLE media_facts ADD COLUMN taken_at_local TEXT;
UPDATE media_facts SET taken_at_local = taken_at, taken_at = NULL WHERE taken_at NOT LIKE '%Z';
-- The shape of the facts JSON (from now on without \`anomalies\`: they are in media_anomalies); rows of
-- an older shape are read again by the next ingest or media run.
ALTER TABLE media_facts ADD COLUMN facts_version INTEGER NOT NULL DEFAULT 1;

-- Every anomaly of every image, as \`threatlens media\` prints it. Those judged against a message
-- (exif-time-far-from-message, gps-in-messenger-image) name it in context_message; the others are
-- facts of the file alone. Rebuilt after every ingest, since a new export can carry an image again.
CREATE TABLE media_anomalies (
  sha256          TEXT NOT NULL,
  code            TEXT NOT NULL,
  message         TEXT NOT NULL,          -- the one-line explanation
  context_message TEXT,                   -- messages.id the anomaly was judged against; NULL for file facts
  PRIMARY KEY (sha256, code)
) WITHOUT ROWID;
`,
  },
  {
    version: 7,
    description: 'phone numbers read from contact card files (vCard): the file and its SHA-256 on each sighting',
    sql: `
-- A number read from a contact card attached to the message (Telegram contact_vcard, a WhatsApp
-- .vcf attachment): the card file as the case names it ('a.zip!entry' inside archives) and its SHA-256.
ALTER TABLE message_phones ADD COLUMN card_path TEXT;
ALTER TABLE message_phones ADD COLUMN card_sha256 TEXT;
`,
  },
  {
    version: 8,
    description: 'run manifest: the method of each run (normalization data, formulas, fixed rules)',
    sql: `
-- JSON: what the parameters do not say: the text normalization channels and the Unicode data behind
-- them (Node's Unicode version for NFKC, the confusables data package), the commonness formula, the
-- evidence families that can tie accounts into one source, and the algorithm of each signal.
ALTER TABLE runs ADD COLUMN method TEXT NOT NULL DEFAULT '{}';
`,
  },
  {
    version: 9,
    description: 'a chat exported twice is stored once: every source of a message, overlap keys; name-keyed senders scoped to the victim; link targets searchable',
    sql: `
-- A saved contact name belongs to the victim's address book on a platform, not to one export file:
-- name keys were 'name:<export sha12>:<name>', now 'name:<sha12 of platform and victim>:<name>'.
UPDATE messages SET sender_key = 'name:' || threatlens_sender_scope(platform, victim) || ':' || substr(sender_key, 19)
  WHERE sender_key LIKE 'name:%';
UPDATE exports SET owner_key = 'name:' || threatlens_sender_scope(platform, victim) || ':' || substr(owner_key, 19)
  WHERE owner_key LIKE 'name:%';

-- The key two copies of one message share (util/message-key.ts): the platform's message id, else
-- the minute, sender, kind and text. Not indexed (an index costs every insert): a new export's
-- copies are looked for among the messages of its victim (messages_victim).
ALTER TABLE messages ADD COLUMN overlap_key INTEGER;
UPDATE messages SET overlap_key = threatlens_overlap_key(src_message_id, sent_at_local, sent_at, sender_key, kind, text);

-- Messages each export holds of each chat (after copies of earlier exports were merged away).
ALTER TABLE chats ADD COLUMN messages INTEGER NOT NULL DEFAULT 0;
UPDATE chats SET messages = (SELECT count(*) FROM messages m WHERE m.export_id = chats.export_id AND m.chat_id = chats.id);

-- Every further export that holds a message already in the case (a re-export of the chat, the .txt
-- and the .zip of one export): the message is stored once, its first source in messages.src_*, the
-- others here, in the order they were taken in.
CREATE TABLE message_sources (
  message_rowid    INTEGER NOT NULL REFERENCES messages(rowid),
  export_id        INTEGER NOT NULL REFERENCES exports(id),
  src_file         TEXT NOT NULL,
  src_sha256       TEXT NOT NULL,
  src_entry        TEXT,
  src_entry_sha256 TEXT,
  src_line         INTEGER,
  src_offset       INTEGER,
  src_length       INTEGER,
  src_message_id   TEXT
);
CREATE UNIQUE INDEX message_sources_once ON message_sources(message_rowid, export_id, ifnull(src_offset, -1));
CREATE INDEX message_sources_export ON message_sources(export_id);

-- Link targets a message hides behind its visible text (Telegram text_link hrefs, mentioned user
-- ids, bot buttons; structured in extra.links), one per line, searchable beside the text.
ALTER TABLE messages ADD COLUMN link_targets TEXT NOT NULL DEFAULT '';
DROP TABLE messages_fts;
CREATE VIRTUAL TABLE messages_fts USING fts5(
  text, link_targets, content='messages', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
);
INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
`,
  },
  {
    version: 10,
    description: 'attachments whose bytes or identity are in doubt: a note on the media reference',
    sql: `
-- NULL for an ordinary attachment. 'crc-mismatch': an archive entry that fails its CRC-32 check (its
-- bytes are not the ones the archive was written with); 'ambiguous-name': the archive holds several
-- entries of the name the message gives, with different contents, and each is recorded. Such files
-- get no image facts and are left out of attribution: their hash says nothing about what was sent.
ALTER TABLE message_media ADD COLUMN note TEXT;
`,
  },
  {
    version: 11,
    description: 'search sees through disguise: a folded copy of disguised texts in the full-text index; the index found by Datasette; views for SQL users',
    sql: `
-- The text folded as attribution folds it (attribution/text.ts searchFold: NFKC, invisible characters
-- removed, lower case, ё→е, look-alike letters inside mixed-script words), or '' when folding only
-- lowercases it (most texts). \`messages --search\` folds the query the same way.
ALTER TABLE messages ADD COLUMN search_folded TEXT NOT NULL DEFAULT '';
UPDATE messages SET search_folded = threatlens_search_fold(text) WHERE text != '';

-- content="messages" in double quotes: how Datasette and sqlite-utils recognise the index of a table.
DROP TABLE messages_fts;
CREATE VIRTUAL TABLE messages_fts USING fts5(
  text, link_targets, search_folded, content="messages", content_rowid="rowid", tokenize="unicode61 remove_diacritics 2"
);
INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');

-- Views for SQL users (Datasette, sqlite-utils, the sqlite3 shell). They hold nothing: they read the tables.
-- Every sender account of the case, with what the messages say of it.
CREATE VIEW senders AS
SELECT sender_key,
       platform,
       group_concat(DISTINCT sender_name) AS names,
       max(sender_phone) AS phone,
       count(*) AS messages,
       count(DISTINCT victim) AS victims,
       group_concat(DISTINCT victim) AS victim_labels,
       min(sent_at) AS first_sent_at,
       max(sent_at) AS last_sent_at
FROM messages WHERE sender_key IS NOT NULL
GROUP BY sender_key, platform;

-- The clusters of the latest clustering run over the whole case (a run of part of it, cluster
-- --victim…, records its messageFilter and is left out), one row per member.
CREATE VIEW clusters AS
SELECT r.id AS run_id,
       r.started_at AS run_started_at,
       json_extract(c.value, '$.id') AS cluster_id,
       json_extract(c.value, '$.score') AS score,
       m.value AS sender_key
FROM (SELECT id, started_at, result FROM runs WHERE kind = 'cluster' AND json_extract(params, '$.messageFilter') IS NULL ORDER BY id DESC LIMIT 1) AS r,
     json_each(r.result, '$.clusters') AS c,
     json_each(c.value, '$.members') AS m;

-- Every place a phone number was seen, with the message and its source.
CREATE VIEW phone_sightings AS
SELECT p.e164, p.raw, p.role, p.region_used, f.country, f.type, f.valid,
       m.id AS message_id, m.victim, m.platform, m.chat_name, m.sender_key, m.sent_at, m.time_basis,
       m.src_file, m.src_sha256, m.src_line, m.src_offset, p.card_path, p.card_sha256
FROM message_phones p JOIN messages m ON m.rowid = p.message_rowid LEFT JOIN phones f ON f.e164 = p.e164;

-- Image facts flattened: one row per image content, its perceptual hash and its anomalies' codes.
CREATE VIEW media_facts_flat AS
SELECT f.sha256, f.size, f.format, f.width, f.height, f.make, f.model, f.serial, f.software,
       f.taken_at, f.taken_at_local, f.gps_lat, f.gps_lon,
       (SELECT hash FROM media_hashes h WHERE h.sha256 = f.sha256 AND h.kind = 'phash64') AS phash64,
       (SELECT group_concat(code, ' ') FROM (SELECT code FROM media_anomalies a WHERE a.sha256 = f.sha256 ORDER BY code)) AS anomalies,
       (SELECT min(path) FROM evidence e WHERE e.sha256 = f.sha256) AS first_path
FROM media_facts f;
`,
  },
  {
    version: 12,
    description: 'custody log, the folder evidence paths were given from, analyst decisions',
    sql: `
-- The folder a relative evidence path was given from (the working folder of the ingest), so that
-- \`threatlens verify\` finds the files from anywhere. NULL in cases written before.
ALTER TABLE evidence ADD COLUMN base TEXT;

-- Every command that changed the case (store/custody.ts), oldest first.
CREATE TABLE custody (
  id          INTEGER PRIMARY KEY,
  started_at  TEXT NOT NULL,
  finished_at TEXT,                       -- NULL: the command did not finish (killed), or is still running
  tool        TEXT NOT NULL,              -- threatlens version
  command     TEXT NOT NULL,              -- 'ingest', 'cluster', 'review', 'custody', … ('library' for the API)
  arguments   TEXT NOT NULL,              -- JSON array, as typed
  cwd         TEXT NOT NULL,              -- the working folder (relative paths in the arguments are from it)
  examiner    TEXT,
  os_user     TEXT,
  note        TEXT,                       -- the examiner's (--note)
  outcome     TEXT,                       -- what the command found, when it says (verify)
  counts      TEXT                        -- JSON: what the case held when the command ended
);

-- An analyst's decision on a link between two sender identities, or on a whole cluster (the
-- identities it had when decided). Withdrawn decisions are kept, marked.
CREATE TABLE decisions (
  id           INTEGER PRIMARY KEY,
  verdict      TEXT NOT NULL,             -- 'confirm' | 'reject'
  subject      TEXT NOT NULL,             -- 'link' | 'cluster'
  cluster_id   TEXT,                      -- the cluster decided on (subject 'cluster')
  keys         TEXT NOT NULL,             -- JSON array of sender keys, sorted
  note         TEXT,
  examiner     TEXT,
  decided_at   TEXT NOT NULL,
  tool         TEXT NOT NULL,
  withdrawn_at TEXT,
  withdrawn_by TEXT
);
`,
  },
  {
    version: 13,
    description: 'indexes for comparing a new export with the earlier exports of its victim',
    sql: `
-- Ingest compares each new export with the earlier exports of its victim (store/overlap.ts): by
-- victim and platform, and by chat id. Without these, each export scanned every export and every
-- chat of the case: 130 s of the 316 s it took to ingest a folder of 38,610 chats.
CREATE INDEX exports_victim ON exports(victim, platform);
CREATE INDEX chats_id ON chats(id);
`,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
