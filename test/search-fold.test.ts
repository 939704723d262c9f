// Search that sees through disguise (issue 16): the threats of fixtures/cases/disguise hide their
// words with a Latin a or c inside Cyrillic words and a zero-width space; --search folds them as
// attribution does, in the texts and in the query, and --grep --fold does the same for patterns.
// The benign messages beside them (the plain spellings, a word that only starts alike) keep search
// honest: found when they hold the word, never when they do not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { fixturePath, runCli, scratchDir } from './helpers.js';
import { MIGRATIONS } from '../src/store/schema.js';
import { DB_FILE, openCase } from '../src/store/case.js';
import { listMessages } from '../src/store/query.js';
import { ftsQuery } from '../src/cli/filters.js';
import { searchFold, searchFoldOrEmpty } from '../src/attribution/text.js';

const CASE = fixturePath('cases', 'disguise');

async function found(args: string[]): Promise<string[]> {
  const r = await runCli(['messages', CASE, '--format', 'jsonl', ...args]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim() === '' ? [] : r.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { text: string }).text);
}

test('searchFold: look-alike letters, zero-width characters, case and ё folded; plain text needs no folded copy', () => {
  assert.equal(searchFold('Мы знaем'), 'мы знаем', 'a Latin a inside a Cyrillic word');
  assert.equal(searchFold('Зна\u200bем'), 'знаем', 'a zero-width space inside a word');
  assert.equal(searchFold('Ещё'), 'еще');
  assert.equal(searchFold('ＴＥＳＴ'), 'test', 'full-width forms (NFKC)');
  assert.equal(searchFoldOrEmpty('Мы знаем, где ты живешь. Call me at 8 928 123 45 67'), '', 'nothing to fold: no copy stored');
  assert.equal(searchFoldOrEmpty('Mama, I am fine'), '', 'a word all in Latin letters stays Latin');
  assert.equal(searchFold('Пo\u00adзвони'), 'позвони', 'a soft hyphen and a Latin o');
});

test('--search знаем finds the threats written зн[a]ем and зна⟨U+200B⟩ем, and the plain знаем; never знаешь', async () => {
  assert.deepEqual(await found(['--search', 'знаем']), [
    'Да, мы знаем. Ещё увидимся',
    'Мы знaем, где живёт твоя мать.',
    'Зна\u200bем и про сестру. Ещё раз напишешь про нас — пожалеешь',
  ]);
});

test('--search Муслим* finds Му[c]лиму beside the plain Муслим; a disguised query finds plain texts', async () => {
  assert.deepEqual(await found(['--search', 'Муслим*']), ['Ты знаешь, что Муслим вернулся?', 'Передай брату Муcлиму: ты нигде не в безопасности']);
  assert.deepEqual(await found(['--search', 'Муcлим']), ['Ты знаешь, что Муслим вернулся?'], 'the query itself folded (a Latin c)');
  assert.deepEqual(await found(['--search', 'позвони вечером']), ['Пoзвони вечером']);
  assert.deepEqual(await found(['--search', 'еще']), ['Да, мы знаем. Ещё увидимся', 'Зна\u200bем и про сестру. Ещё раз напишешь про нас — пожалеешь']);
  assert.deepEqual(await found(['--search', 'знаем мать']), ['Мы знaем, где живёт твоя мать.'], 'every word must appear');
});

test('--grep matches the text as written; --grep --fold also matches it folded, ignoring case', async () => {
  assert.deepEqual(await found(['--grep', 'знаем']), ['Да, мы знаем. Ещё увидимся']);
  assert.deepEqual(await found(['--grep', 'знаем', '--fold']), [
    'Да, мы знаем. Ещё увидимся',
    'Мы знaем, где живёт твоя мать.',
    'Зна\u200bем и про сестру. Ещё раз напишешь про нас — пожалеешь',
  ]);
  assert.deepEqual(await found(['--grep', 'МУСЛИМУ', '--fold']), ['Передай брату Муcлиму: ты нигде не в безопасности']);
  const r = await runCli(['messages', CASE, '--fold']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--fold applies to --grep/);
});

test('a case of schema 10 is given folded copies and the new index when opened: disguised words found', () => {
  const dir = scratchDir('fold-migrate');
  const old = new Database(join(dir, DB_FILE));
  // Migration 9 derives values of rows with functions of its own; the database is empty here.
  for (const name of ['threatlens_sender_scope', 'threatlens_overlap_key']) old.function(name, { varargs: true }, () => null);
  for (const m of MIGRATIONS.filter((x) => x.version <= 10)) old.exec(m.sql);
  old.pragma('user_version = 10');
  old.prepare("INSERT INTO meta (key, value) VALUES ('created_by', 'threatlens 0.1.0')").run();
  old
    .prepare(
      `INSERT INTO exports (id, sha256, path, size, reader, platform, victim, facts, messages, ingested_at, tool_version)
       VALUES (1, ?, 'anna/chat.txt', 10, 'whatsapp-txt', 'whatsapp', 'anna', '{}', 2, '2026-12-01T00:00:00Z', 'threatlens 0.1.0')`,
    )
    .run('a'.repeat(64));
  const msg = old.prepare(
    `INSERT INTO messages (rowid, id, export_id, platform, kind, chat_id, chat_name, victim, sender_key, sent_at, time_basis, edited, text,
       forwarded, src_file, src_sha256, src_line)
     VALUES (?, ?, 1, 'whatsapp', 'text', 'c', 'chat', 'anna', 'phone:+79185550123', '2024-02-14T17:14:00Z', 'zone', 0, ?, 0, 'anna/chat.txt', ?, ?)`,
  );
  msg.run(1, 'wa:a:L2', 'Мы знaем, где живёт твоя мать.', 'a'.repeat(64), 2);
  msg.run(2, 'wa:a:L3', 'Доброе утро', 'a'.repeat(64), 3);
  old.prepare('INSERT INTO messages_fts (rowid, text, link_targets) SELECT rowid, text, link_targets FROM messages').run();
  old.close();

  const handle = openCase(dir, { create: false });
  try {
    assert.deepEqual(listMessages(handle, { match: ftsQuery('знаем') }).map((m) => m.id), ['wa:a:L2']);
    assert.deepEqual(listMessages(handle, { match: ftsQuery('утро') }).map((m) => m.id), ['wa:a:L3']);
    assert.deepEqual(
      handle.db.prepare('SELECT search_folded FROM messages ORDER BY rowid').pluck().all(),
      ['мы знаем, где живет твоя мать.', ''],
      'a folded copy only where folding changes more than case',
    );
  } finally {
    handle.close();
  }
});

test('the full-text index is found by Datasette and sqlite-utils; the views for SQL users read the case', async () => {
  const dir = join(scratchDir('views'), 'case');
  assert.equal((await runCli(['ingest', '--case', dir, fixturePath('sample-case')])).code, 0);
  assert.equal((await runCli(['cluster', '--case', dir])).code, 0);
  // A later run over part of the case does not replace the whole case's clusters in the view.
  assert.equal((await runCli(['cluster', '--case', dir, '--victim', 'anna'])).code, 0);
  const db = new Database(join(dir, DB_FILE), { readonly: true });
  try {
    // Datasette's detect_fts (datasette/utils/__init__.py) and sqlite-utils' detect_fts, as written there.
    const detect = db
      .prepare(
        `SELECT name FROM sqlite_master WHERE rootpage = 0 AND (
           sql LIKE '%VIRTUAL TABLE%USING FTS%content="messages"%' OR sql LIKE '%VIRTUAL TABLE%USING FTS%content=[messages]%'
           OR (tbl_name = 'messages' AND sql LIKE '%VIRTUAL TABLE%USING FTS%'))`,
      )
      .pluck()
      .all();
    assert.deepEqual(detect, ['messages_fts']);
    const senders = db.prepare('SELECT sender_key, messages, victims FROM senders ORDER BY sender_key').all() as { sender_key: string; messages: number }[];
    const listed = JSON.parse((await runCli(['senders', '--case', dir, '--format', 'json'])).stdout) as { items: { key: string; messages: number }[] };
    assert.deepEqual(
      senders.map((s) => [s.sender_key, s.messages]),
      listed.items.map((s) => [s.key, s.messages]).sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
      'the senders view counts as `threatlens senders` does',
    );
    const clusters = db.prepare('SELECT cluster_id, sender_key FROM clusters ORDER BY sender_key').all() as { cluster_id: string; sender_key: string }[];
    assert.deepEqual(
      clusters.map((c) => c.sender_key),
      ['phone:+79281234567', 'telegram:user5012345678', 'telegram:user5098765432'],
      "the latest run's cluster, one row per member",
    );
    const sightings = db.prepare("SELECT message_id, src_sha256 FROM phone_sightings WHERE e164 = '+79281234567'").all() as { src_sha256: string }[];
    assert.ok(sightings.length >= 2 && sightings.every((s) => /^[0-9a-f]{64}$/.test(s.src_sha256)), 'sightings carry their source');
    const images = db.prepare('SELECT sha256, width, phash64, first_path FROM media_facts_flat ORDER BY sha256').all() as { phash64: string | null; first_path: string }[];
    assert.ok(images.length > 0 && images.every((i) => i.first_path !== null && (i.phash64 === null || /^[0-9a-f]{16}$/.test(i.phash64))));
  } finally {
    db.close();
  }
});
