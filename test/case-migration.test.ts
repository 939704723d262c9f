// A case written by an earlier threatlens (schema 8) is brought up to date when opened: name-keyed
// senders move to the victim's scope, overlap keys are filled in, and full-text search still works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../src/store/schema.js';
import { openCase, DB_FILE } from '../src/store/case.js';
import { listMessages, listSenders } from '../src/store/query.js';
import { senderScope } from '../src/util/hash.js';
import { scratchDir } from './helpers.js';

test('a schema 8 case is migrated: victim-scoped name keys, overlap keys, searchable text', () => {
  const dir = scratchDir('migrate');
  const old = new Database(join(dir, DB_FILE));
  for (const m of MIGRATIONS.filter((x) => x.version <= 8)) old.exec(m.sql);
  old.pragma('user_version = 8');
  old.prepare("INSERT INTO meta (key, value) VALUES ('created_by', 'threatlens 0.1.0')").run();
  const exportSql = `INSERT INTO exports (id, sha256, path, size, reader, platform, victim, owner_key, facts, messages, ingested_at, tool_version)
    VALUES (?, ?, ?, 10, 'whatsapp-txt', 'whatsapp', 'anna', ?, '{}', 1, '2026-12-01T00:00:00Z', 'threatlens 0.1.0')`;
  old.prepare(exportSql).run(1, 'a'.repeat(64), 'anna/a.txt', 'name:aaaaaaaaaaaa:Anna');
  old.prepare(exportSql).run(2, 'b'.repeat(64), 'anna/b.txt', 'name:bbbbbbbbbbbb:Anna');
  const msgSql = `INSERT INTO messages (rowid, id, export_id, platform, kind, chat_id, chat_name, victim, sender_key, sender_name, sender_raw,
      sent_at, sent_at_local, time_basis, edited, text, forwarded, src_file, src_sha256, src_line, src_offset, src_length)
    VALUES (?, ?, ?, 'whatsapp', 'text', ?, 'Мама', 'anna', ?, 'Мама', 'Мама', '2022-01-20T15:16:00Z', '2022-01-20T18:16:00', 'zone', 0, ?, 0, ?, ?, 1, 0, 40)`;
  old.prepare(msgSql).run(1, 'wa:aaaaaaaaaaaa:L1', 1, 'whatsapp:aaaaaaaaaaaa', 'name:aaaaaaaaaaaa:Мама', 'Доченька, позвони', 'anna/a.txt', 'a'.repeat(64));
  old.prepare(msgSql).run(2, 'wa:bbbbbbbbbbbb:L1', 2, 'whatsapp:bbbbbbbbbbbb', 'name:bbbbbbbbbbbb:Мама', 'Ты где?', 'anna/b.txt', 'b'.repeat(64));
  old.prepare('INSERT INTO messages_fts (rowid, text) SELECT rowid, text FROM messages').run();
  old.close();

  const handle = openCase(dir, { create: false });
  try {
    const scope = senderScope('whatsapp', 'anna');
    assert.deepEqual(
      listSenders(handle).map((s) => [s.key, s.messages]),
      [[`name:${scope}:Мама`, 2]],
      "the same victim's Мама in two exports is one identity",
    );
    assert.deepEqual(
      handle.db.prepare('SELECT owner_key FROM exports ORDER BY id').pluck().all(),
      [`name:${scope}:Anna`, `name:${scope}:Anna`],
    );
    assert.equal(handle.db.prepare('SELECT count(*) FROM messages WHERE overlap_key IS NULL').pluck().get(), 0);
    assert.deepEqual(listMessages(handle, { match: 'позвони' }).map((m) => m.id), ['wa:aaaaaaaaaaaa:L1']);
    assert.equal(handle.db.pragma('user_version', { simple: true }), MIGRATIONS[MIGRATIONS.length - 1]!.version);
  } finally {
    handle.close();
  }
});
