// A chat exported twice is stored once (ingest/overlap.ts): Telegram by chat and message id,
// WhatsApp by the messages themselves; and the cases that must never be merged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fixturePath, runCli, scratchDir } from './helpers.js';
import { isSameChat } from '../src/ingest/overlap.js';
import { openCase } from '../src/store/case.js';
import { ingest } from '../src/ingest/pipeline.js';

interface Listed {
  id: string;
  text: string;
  chat: { id: string; name: string };
  sender: { key: string; name: string } | null;
  source: { file: string; messageId?: string };
  sources: { file: string; messageId?: string }[];
}

async function messages(caseDir: string): Promise<Listed[]> {
  const r = await runCli(['messages', '--case', caseDir, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout).items;
}

test('Telegram: a later single-chat export of a chat in an account export adds only its new messages, each shared one with both sources', async () => {
  const caseDir = scratchDir('overlap-tg');
  const account = fixturePath('sample-case', 'dmitri', 'DataExport_2022-02-01', 'result.json');
  const later = fixturePath('cases', 'overlap-telegram', 'ChatExport_2022-02-10', 'result.json');
  const opts = ['--case', caseDir, '--victim', 'dmitri', '--format', 'json'];
  assert.equal((await runCli(['ingest', account, ...opts])).code, 0);
  const r = await runCli(['ingest', later, ...opts]);
  assert.equal(r.code, 0, r.stderr);
  const file = JSON.parse(r.stdout).items.find((i: { path: string }) => i.path.endsWith('ChatExport_2022-02-10/result.json'));
  assert.equal(file.messages, 1, 'one new message');
  assert.equal(file.overlaps.length, 1);
  assert.deepEqual({ ...file.overlaps[0], firstExport: undefined }, { chat: { id: 'telegram:5098765432', name: 'Доброжелатель' }, firstExport: undefined, shared: 4, new: 1 });
  assert.ok(file.overlaps[0].firstExport.endsWith('DataExport_2022-02-01/result.json'));
  assert.match(file.detail, /^1 new, 4 already in the case \(overlaps .*DataExport_2022-02-01\/result\.json, chat "Доброжелатель"\)/);
  const all = await messages(caseDir);
  assert.equal(all.length, 16);
  const chat = all.filter((m) => m.chat.id === 'telegram:5098765432');
  assert.deepEqual(chat.map((m) => m.sources.length), [1, 1, 2, 2, 2, 2, 1]);
  for (const m of chat.filter((x) => x.sources.length === 2)) {
    assert.deepEqual(m.sources[0], m.source);
    assert.ok(m.sources[1]!.file.endsWith('ChatExport_2022-02-10/result.json'));
    assert.equal(m.sources[1]!.messageId, m.source.messageId, 'the same Telegram message id in both');
  }
  // The full-text index holds each kept message once, and none of the copies merged away.
  const handle = openCase(caseDir, { create: false, access: 'write' });
  try {
    handle.db.exec("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')");
    const indexed = handle.db.prepare('SELECT count(*) FROM messages_fts_docsize').pluck().get(); // one row per document indexed
    const withText = handle.db.prepare("SELECT count(*) FROM messages WHERE text != '' OR link_targets != ''").pluck().get();
    assert.equal(indexed, withText);
  } finally {
    handle.close();
  }
  const shared = chat.find((m) => m.sources.length === 2 && m.text.length > 0)!;
  const word = shared.text.split(/[\s,.!?]+/).find((w) => w.length > 5)!;
  const found = JSON.parse((await runCli(['messages', '--case', caseDir, '--search', word, '--format', 'json'])).stdout).items as Listed[];
  assert.deepEqual(found.filter((m) => m.id === shared.id).length, 1, `--search ${word} finds the shared message once`);
  // Re-ingesting either file adds nothing.
  const again = JSON.parse((await runCli(['ingest', later, ...opts])).stdout).items[0];
  assert.equal(again.status, 'duplicate');
  assert.equal((await messages(caseDir)).length, 16);
});

test('WhatsApp: two chats of one victim that share a forwarded plea to the minute stay two chats; another victim\'s copy stays hers', async () => {
  const caseDir = scratchDir('overlap-neg');
  const dir = fixturePath('cases', 'overlap-negative');
  const r = await runCli(['ingest', dir, '--case', caseDir, '--tz', 'Europe/Moscow', '--region', 'RU', '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const files = JSON.parse(r.stdout).items as { path: string; messages: number; overlaps: unknown[] }[];
  assert.deepEqual(files.map((f) => [f.path.replace(/^.*overlap-negative\//, ''), f.messages, f.overlaps.length]), [
    ['anna/WhatsApp Chat with Брат.txt', 10, 0],
    ['anna/WhatsApp Chat with Мама.txt', 11, 0],
    ['elena/WhatsApp Chat with Мама.txt', 11, 0],
  ]);
  const all = await messages(caseDir);
  assert.equal(all.length, 32);
  assert.ok(all.every((m) => m.sources.length === 1));
  assert.equal(new Set(all.map((m) => m.chat.id)).size, 3);
  // Anna's own name is one identity across her two chats (her address book), Elena's another.
  const selves = new Set(all.filter((m) => m.sender?.name === 'Anna' || m.sender?.name === 'Elena').map((m) => m.sender!.key));
  assert.equal(selves.size, 2);
});

test('the .zip first, then its .txt: the messages are kept once, with the photo the zip holds', async () => {
  const caseDir = scratchDir('overlap-zip-first');
  const boris = fixturePath('cases', 'reexport', 'boris');
  const opts = ['--case', caseDir, '--victim', 'boris', '--tz', 'Europe/Moscow', '--region', 'RU'];
  assert.equal((await runCli(['ingest', join(boris, 'WhatsApp Chat - Серёжа.zip'), ...opts])).code, 0);
  assert.equal((await runCli(['ingest', join(boris, 'mail-2024-03-21', '_chat.txt'), ...opts])).code, 0);
  const all = await messages(caseDir);
  assert.equal(all.length, 6);
  assert.ok(all.every((m) => m.sources.length === 2 && m.source.file.endsWith('.zip') && m.sources[1]!.file.endsWith('_chat.txt')));
  const r = await runCli(['messages', '--case', caseDir, '--format', 'json']);
  const photo = JSON.parse(r.stdout).items.flatMap((m: { media: { path: string | null; missing: string | null }[] }) => m.media);
  assert.equal(photo.length, 1);
  assert.equal(photo[0].missing, null);
  assert.match(photo[0].path, /Серёжа\.zip!00000004-PHOTO-2024-03-18-19-42-10\.jpg$/);
});

test('when two WhatsApp chats are one: half the smaller chat copied, and at least three messages or all of a smaller one', () => {
  assert.equal(isSameChat(12, 12, 17), true, 'a re-export holding all of the first');
  assert.equal(isSameChat(2, 10, 11), false, 'a forwarded plea shared by two chats');
  assert.equal(isSameChat(2, 2, 40), true, 'a two-message chat wholly inside a later export');
  assert.equal(isSameChat(2, 3, 40), false, 'two of three: too few to tell');
  assert.equal(isSameChat(1, 3, 40), false);
  assert.equal(isSameChat(5, 10, 10), true);
  assert.equal(isSameChat(4, 10, 10), false);
  assert.equal(isSameChat(0, 0, 0), false);
});

test('comparing a new export with the earlier exports of its victim looks them up by index: no statement ingest runs scans every export, chat or message of the case', async () => {
  const handle = openCase(null, { create: true });
  try {
    const options = { tz: 'Europe/Moscow', dateOrder: null, region: 'RU' };
    await ingest(handle, [fixturePath('cases', 'overlap-negative')], { ...options, victim: null });
    await ingest(handle, [fixturePath('sample-case', 'dmitri', 'DataExport_2022-02-01', 'result.json')], { ...options, victim: 'dmitri' });
    // The statements of the next exports: a later Telegram export of a chat the case holds (compared
    // by chat id) and WhatsApp chats of a victim with earlier chats (compared by content).
    const seen = new Set<string>();
    const prepare = handle.db.prepare.bind(handle.db);
    handle.db.prepare = ((sql: string) => {
      seen.add(sql);
      return prepare(sql);
    }) as typeof handle.db.prepare;
    const later = await ingest(handle, [fixturePath('cases', 'overlap-telegram', 'ChatExport_2022-02-10', 'result.json')], { ...options, victim: 'dmitri' });
    assert.equal(later.files[0]!.overlaps?.[0]?.shared, 4, 'compared, and found the copies');
    await ingest(handle, [fixturePath('cases', 'reexport', 'anna')], { ...options, victim: 'anna' });
    handle.db.prepare = prepare;
    const scans: string[] = [];
    for (const sql of seen) {
      if (!/^\s*(SELECT|WITH|UPDATE|DELETE|INSERT[\s\S]*SELECT)/i.test(sql)) continue;
      const plan = (handle.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...new Array(sql.split('?').length - 1).fill(null)) as { detail: string }[]).map((r) => r.detail);
      // SQLite names a table by its alias in a plan: those of the four tables count as them.
      const names = new Set(['exports', 'chats', 'messages', 'message_phones']);
      for (const [, , alias] of sql.matchAll(/\b(?:FROM|JOIN)\s+(exports|chats|messages|message_phones)\s+(?:AS\s+)?(\w+)/gi)) names.add(alias!);
      for (const step of plan) {
        const table = /^SCAN (\w+)/.exec(step)?.[1];
        if (table !== undefined && names.has(table)) scans.push(`${step}: ${sql.replace(/\s+/g, ' ').slice(0, 160)}`);
      }
    }
    assert.ok(seen.size > 30, `${seen.size} statements seen`);
    assert.deepEqual(scans, []);
  } finally {
    handle.close();
  }
});
