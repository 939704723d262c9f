// telegram-html reader on fixtures/telegram-html/ (see its README.md): chat-two-pages is the chat of
// fixtures/telegram/chat-personal as tdesktop writes it in HTML, on two pages; old-hostile is an
// export from before tdesktop v3.7.6 (no offsets) with what a hostile sender can put in a message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { telegramHtmlReader, parseDateTitle } from '../src/readers/telegram/telegram-html.js';
import { HtmlPageParser, type HtmlRecord } from '../src/readers/telegram/html-page.js';
import { findReader } from '../src/readers/registry.js';
import type { ParsedMessage, ReaderEvent } from '../src/model.js';
import { fixturePath, messagesOf, readAll, runCli, scratchDir, warningsOf } from './helpers.js';

const TWO_PAGES = fixturePath('telegram-html', 'chat-two-pages');
const PAGE1 = join(TWO_PAGES, 'messages.html');
const PAGE2 = join(TWO_PAGES, 'messages2.html');
const HOSTILE = join(fixturePath('telegram-html', 'old-hostile'), 'messages.html');

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

function byId(messages: ParsedMessage[], id: string): ParsedMessage {
  const m = messages.find((x) => x.source.messageId === id);
  assert.ok(m, `message ${id}`);
  return m;
}

test('sniffing: a first page is read; a continuing page, other HTML and a JSON export are not', () => {
  const head = (p: string) => readFileSync(p).subarray(0, 65536);
  assert.equal(findReader(head(PAGE1), 'messages.html'), telegramHtmlReader);
  assert.equal(findReader(head(HOSTILE), 'messages.html'), telegramHtmlReader);
  // messages2.html opens its history with a link to the previous page: read with the first, never alone.
  assert.equal(telegramHtmlReader.sniff(head(PAGE2), 'messages2.html'), false);
  assert.equal(telegramHtmlReader.sniff(Buffer.from('<!DOCTYPE html><html><body><div class="history"></div></body></html>'), 'messages.html'), false);
  assert.equal(telegramHtmlReader.sniff(head(fixturePath('telegram', 'chat-personal', 'result.json')), 'messages.html'), false);
});

test('two pages read as one chat: order, senders carried forward on joined messages, provenance per page', async () => {
  const events = await readAll(telegramHtmlReader, PAGE1);
  assert.equal(events[0]!.type, 'export');
  const chat = events.find((e): e is Extract<ReaderEvent, { type: 'chat' }> => e.type === 'chat')!.chat;
  assert.equal(chat.name, 'Виктор');
  assert.equal(chat.platform, 'telegram');
  const parts = events.flatMap((e) => (e.type === 'part' ? [e.part] : []));
  assert.deepEqual(parts, [{ path: PAGE2.split('\\').join('/'), sha256: sha256(PAGE2), size: readFileSync(PAGE2).length }]);

  const messages = messagesOf(events);
  // 19 messages: 2101-2118 and 2120 (day separators are not messages).
  assert.deepEqual(
    messages.map((m) => m.source.messageId),
    ['2101', '2102', '2103', '2104', '2105', '2106', '2107', '2108', '2109', '2110', '2111', '2112', '2113', '2114', '2115', '2116', '2117', '2118', '2120'],
  );
  for (const m of messages) {
    const page = Number(m.source.messageId) >= 2111 ? PAGE2 : PAGE1;
    assert.equal(m.source.file, page.split('\\').join('/'), m.source.messageId);
    assert.equal(m.source.sha256, sha256(page));
    // The line cited is the message's opening tag.
    const line = readFileSync(page, 'utf8').split('\n')[m.source.line! - 1]!;
    assert.match(line, new RegExp(`id="message${m.source.messageId}"`), `${m.source.messageId} at line ${m.source.line}`);
  }
  const sender = (id: string) => byId(messages, id).sender?.name ?? null;
  // 2104, 2105 are joined to 2103; 2113-2116 (page 2) to 2112; the scope is the file's when read outside a case.
  for (const id of ['2101', '2103', '2104', '2105', '2107', '2108', '2109', '2110', '2112', '2113', '2114', '2115', '2116', '2118', '2120']) assert.equal(sender(id), 'Виктор', id);
  for (const id of ['2102', '2106', '2117']) assert.equal(sender(id), 'Ольга Смирнова', id);
  assert.equal(byId(messages, '2101').sender!.raw, 'Виктор ', 'the name as written, with the space tdesktop leaves');
  assert.match(byId(messages, '2101').sender!.key, /^name:[0-9a-f]{12}:Виктор$/);
  assert.equal(byId(messages, '2111').sender, null, 'a service line names no sender');
});

test('times, forwards, replies, phones, media and the rest as the pages write them', async () => {
  const events = await readAll(telegramHtmlReader, PAGE1);
  const messages = messagesOf(events);
  const m2101 = byId(messages, '2101');
  // 14.03.2024 21:03:12 UTC+03:00 is the instant the JSON export gives as date_unixtime 1710439392.
  assert.deepEqual(m2101.time, { utc: '2024-03-14T18:03:12Z', local: '2024-03-14T21:03:12', basis: 'inferred-offset', zone: '+03:00' });
  assert.equal(byId(messages, '2120').time.utc, '2024-03-14T21:02:19Z');
  assert.equal(byId(messages, '2103').replyTo, '2102');
  assert.equal(byId(messages, '2111').replyTo, '2103', 'the pinned message, on the previous page');
  assert.equal(byId(messages, '2111').text, 'Виктор pinned this message');
  assert.equal(byId(messages, '2111').kind, 'service');
  assert.deepEqual(byId(messages, '2111').links, [], 'a link to another message hides nothing');
  const fwd = byId(messages, '2107');
  assert.equal(fwd.forwarded, true);
  assert.equal(fwd.forwardedFrom, 'Новости Ростова');
  assert.equal(fwd.text, 'Полиция ищет свидетелей поджога на Пушкинской. Подробнее: https://example.org/rostov/news/4481');
  assert.deepEqual(byId(messages, '2104').markedPhones, ['+7 928 123 45 67']);
  assert.equal(byId(messages, '2104').text, 'Позвони на +7 928 123 45 67 до вечера, иначе пожалеешь.');

  const photo = byId(messages, '2105');
  assert.equal(photo.kind, 'media');
  assert.equal(photo.text, 'Узнаёшь подъезд?');
  const jpeg = join(TWO_PAGES, 'photos', 'photo_1@14-03-2024_21-07-30.jpg');
  assert.deepEqual(
    { kind: photo.media[0]!.kind, sha256: photo.media[0]!.sha256, missing: photo.media[0]!.missing },
    { kind: 'photo', sha256: sha256(jpeg), missing: null },
  );
  assert.equal(byId(messages, '2108').kind, 'sticker');
  assert.equal(byId(messages, '2109').media[0]!.kind, 'voice');
  assert.equal(byId(messages, '2109').media[0]!.missing, 'not-found');
  assert.deepEqual(
    ['2110', '2117', '2118'].map((id) => [byId(messages, id).media[0]!.kind, byId(messages, id).media[0]!.missing]),
    [
      ['video', 'not-included'],
      ['video', 'too-large'],
      ['video-note', 'not-included'],
    ],
  );
  assert.deepEqual(
    ['2112', '2113', '2114', '2115', '2116'].map((id) => byId(messages, id).kind),
    ['call', 'call', 'contact', 'location', 'poll'],
  );
  assert.equal(byId(messages, '2116').text, 'Что выберешь?\n- Заплатить\n- Уехать из города', 'as the JSON reader gives a poll');
  assert.deepEqual(byId(messages, '2114').contact, { name: 'Ирина Волкова', phoneRaw: '+7 988 555 12 34' });
  assert.deepEqual(byId(messages, '2115').location, { lat: 47.222078, lon: 39.720349, name: 'Школа № 5' });
  const warnings = warningsOf(events);
  assert.deepEqual(
    warnings.map((w) => [w.code, w.line]),
    [['media-not-found', byId(messages, '2109').source.line]],
  );
});

test('hostile text stays text; invisible characters, hidden links and deleted accounts are kept apart; paths out of the folder are refused', async () => {
  const events = await readAll(telegramHtmlReader, HOSTILE);
  const messages = messagesOf(events);
  const first = byId(messages, '77');
  assert.equal(first.text, '<script>alert(1)</script> Мы зн\u200bаем, где ты. Смотри здесь');
  assert.deepEqual(first.links, [{ text: 'здесь', href: 'https://t.me/+QxYz7Ab_cdEf', kind: 'text-link' }]);
  assert.equal(byId(messages, '78').text, 'Ты нигде не в безопасности.\nНи здесь, ни там.');
  assert.equal(byId(messages, '78').sender!.name, 'Марат Исаев');
  // " via @vote_bot" is tdesktop's, not the sender's name: one identity.
  assert.equal(byId(messages, '80').sender!.key, byId(messages, '77').sender!.key);
  assert.equal(byId(messages, '80').sender!.raw, 'Марат Исаев via @vote_bot');
  // Deleted accounts: one key within this chat, never the victim's address book.
  const deleted = byId(messages, '79').sender!;
  assert.equal(deleted.name, '');
  assert.equal(deleted.key, `name:${sha256(HOSTILE).slice(0, 12)}:Deleted Account`);
  assert.equal(byId(messages, '81').sender!.key, deleted.key);
  // Times without an offset: wall clocks, read as UTC and flagged, or in the zone given.
  assert.deepEqual(first.time, { utc: '2021-02-02T09:15:00Z', local: '2021-02-02T09:15:00', basis: 'assumed-utc', zone: null });
  const inMoscow = messagesOf(await readAll(telegramHtmlReader, HOSTILE, { tz: 'Europe/Moscow' }));
  assert.deepEqual(byId(inMoscow, '77').time, { utc: '2021-02-02T06:15:00Z', local: '2021-02-02T09:15:00', basis: 'zone', zone: 'Europe/Moscow' });
  const photo = byId(messages, '80').media[0]!;
  assert.equal(photo.missing, 'unsafe-path');
  assert.equal(photo.sha256, null);
  assert.deepEqual(
    warningsOf(events).map((w) => w.code),
    ['media-path-outside-export', 'html-page-link'],
  );
});

test('the page parser gives the same records whatever the chunk boundaries', () => {
  const text = readFileSync(PAGE1, 'utf8') + '';
  const parse = (pieces: string[]): { records: HtmlRecord[]; name: string | null; next: string | null } => {
    const p = new HtmlPageParser();
    const records: HtmlRecord[] = [];
    for (const piece of pieces) {
      p.write(piece);
      records.push(...p.take());
    }
    p.end();
    records.push(...p.take());
    return { records, name: p.chatName, next: p.nextPage };
  };
  const whole = parse([text]);
  assert.equal(whole.records.length, 10);
  assert.equal(whole.next, 'messages2.html');
  let seed = 7;
  for (let round = 0; round < 20; round++) {
    const pieces: string[] = [];
    for (let at = 0; at < text.length; ) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const n = 1 + (seed % (round < 5 ? 3 : 400));
      pieces.push(text.slice(at, at + n));
      at += n;
    }
    assert.deepEqual(parse(pieces), whole, `round ${round}`);
  }
});

test('date titles: with an offset, UTC alone, without; impossible clocks are refused', () => {
  assert.deepEqual(parseDateTitle('20.01.2022 18:16:05 UTC+03:00'), { wall: { day: 20, month: 1, year: 2022, hour: 18, minute: 16, second: 5 }, offset: 180 });
  assert.equal(parseDateTitle('20.01.2022 18:16:05 UTC-05:30')!.offset, -330);
  assert.equal(parseDateTitle('20.01.2022 18:16:05 UTC')!.offset, 0);
  assert.equal(parseDateTitle('20.01.2022 18:16:05')!.offset, null);
  assert.equal(parseDateTitle('31.02.2022 18:16:05'), null);
  assert.equal(parseDateTitle('20.01.2022 18:16:05 UTC+15:00'), null);
});

test('ingest: the folder lands as one export; the second page is evidence of it, not loose or rejected', async () => {
  const dir = join(scratchDir('tg-html'), 'case');
  const r = await runCli(['ingest', '--case', dir, TWO_PAGES, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { items: { path: string; status: string; reader: string | null; messages: number }[] };
  assert.deepEqual(
    report.items.filter((i) => i.path.endsWith('.html')).map((i) => [i.path.split('/').pop(), i.status, i.reader, i.messages]),
    [['messages.html', 'ingested', 'telegram-html', 19]],
  );
  const manifest = JSON.parse(readFileSync(join(dir, 'evidence-manifest.json'), 'utf8')) as { files: { path: string; sha256: string; role: string }[] };
  const page2 = manifest.files.find((f) => f.path.endsWith('messages2.html'));
  assert.deepEqual(page2 && { role: page2.role, sha256: page2.sha256 }, { role: 'export-part', sha256: sha256(PAGE2) });
  const again = await runCli(['ingest', '--case', dir, TWO_PAGES, '--format', 'json']);
  assert.equal(again.code, 0, again.stderr);
  assert.ok((JSON.parse(again.stdout) as typeof report).items.every((i) => i.status !== 'ingested'), 'a second ingest adds nothing');
  const senders = await runCli(['senders', '--case', dir, '--format', 'json']);
  const rows = JSON.parse(senders.stdout) as { items: { key: string; messages: number }[] };
  assert.deepEqual(
    rows.items.map((s) => [s.key.replace(/^name:[0-9a-f]{12}:/, 'name:…:'), s.messages]).sort(),
    [
      ['name:…:Виктор', 15],
      ['name:…:Ольга Смирнова', 3],
    ],
  );
});

test('a continuing page named alone is refused with what to name instead', async () => {
  const r = await runCli(['messages', PAGE2]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /messages2\.html: unrecognised format/);
  assert.match(r.stderr, /continues another: name the first page \(messages\.html\) or the export folder/);
});

test('the same chat in JSON and in HTML is one chat: each message once, with both sources, whichever came first', async () => {
  const json = fixturePath('telegram', 'chat-personal');
  for (const order of [[json, TWO_PAGES], [TWO_PAGES, json]]) {
    const dir = join(scratchDir('tg-html-json'), 'case');
    for (const path of order) {
      const r = await runCli(['ingest', '--case', dir, '--victim', 'olga', path]);
      assert.equal(r.code, 0, r.stderr);
    }
    const listed = await runCli(['messages', '--case', dir, '--format', 'jsonl']);
    const messages = listed.stdout.trim().split('\n').map((l) => JSON.parse(l) as { source: { messageId: string }; sources: { file: string }[] });
    // The JSON holds 20 messages; the HTML the same chat but 2119 (19): 20 in the case, not 39.
    assert.equal(messages.length, 20, `order ${order.map((p) => p.split('/').pop()).join(', ')}`);
    const twice = messages.filter((m) => m.sources.length === 2);
    assert.equal(twice.length, 19);
    for (const m of twice) {
      const files = m.sources.map((s) => s.file.split('/').pop()).sort();
      assert.deepEqual(files, [Number(m.source.messageId) >= 2111 ? 'messages2.html' : 'messages.html', 'result.json'], m.source.messageId);
    }
  }
});

test('two HTML chats of one victim with the same message ids but other messages stay two chats', async () => {
  // Message ids of groups are per chat: another group's message 2101 at another time with another text
  // is another message.
  const dir = join(scratchDir('tg-html-other'), 'case');
  const other = join(scratchDir('tg-html-other-src'), 'chat');
  mkdirSync(other, { recursive: true });
  const page = readFileSync(PAGE1, 'utf8')
    .replace(/title="14\.03\.2024 21:/g, 'title="11.03.2024 10:')
    .replace('Привет, Оля. Узнаёшь меня?', 'Доброе утро всем!')
    .replace('Нет. Кто это?', 'Собрание в пятницу.')
    .replace(/<a class="pagination block_link" href="messages2\.html">\nNext messages\n     <\/a>/, '');
  writeFileSync(join(other, 'messages.html'), page);
  for (const path of [TWO_PAGES, other]) assert.equal((await runCli(['ingest', '--case', dir, '--victim', 'olga', path])).code, 0);
  const listed = await runCli(['messages', '--case', dir, '--format', 'jsonl']);
  assert.equal(listed.stdout.trim().split('\n').length, 19 + 10);
});

test('a page cut short says so (tdesktop closes every page)', async () => {
  const dir = scratchDir('tg-html-cut');
  const bytes = readFileSync(PAGE1);
  writeFileSync(join(dir, 'messages.html'), bytes.subarray(0, Math.floor(bytes.length / 2)));
  const events = await readAll(telegramHtmlReader, join(dir, 'messages.html'));
  assert.ok(messagesOf(events).length > 0 && messagesOf(events).length < 10);
  assert.ok(warningsOf(events).some((w) => w.code === 'html-page-cut'));
  assert.ok(!warningsOf(await readAll(telegramHtmlReader, PAGE1)).some((w) => w.code === 'html-page-cut'), 'an intact page does not');
});

test('a whole-account HTML export: each chat read, its lists, styles and icons neither rejected nor taken as evidence images', async () => {
  const dir = join(scratchDir('tg-html-account'), 'case');
  const r = await runCli(['ingest', '--case', dir, fixturePath('telegram-html', 'account-export'), '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const items = (JSON.parse(r.stdout) as { items: { path: string; status: string; reader: string | null }[] }).items;
  assert.deepEqual(
    items.map((i) => [i.path.split('/').slice(-3).join('/'), i.status, i.reader]),
    [['chats/chat_01/messages.html', 'ingested', 'telegram-html']],
  );
  // export_results.html, lists/chats.html, the style sheet, the script and the icon.
  assert.match(r.stderr, /5 files inside export folders are not referenced by any message/);
  const manifest = JSON.parse(readFileSync(join(dir, 'evidence-manifest.json'), 'utf8')) as { files: { role: string }[]; rejected: unknown[] };
  assert.deepEqual(manifest.files.map((f) => f.role), ['export']);
  assert.deepEqual(manifest.rejected, []);
});
