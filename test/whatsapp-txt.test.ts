// The .txt reader on hand-written exports: the same chat in six locales, other locales and
// scripts, and every quirk of the format (see fixtures/whatsapp/README.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { whatsappTxtReader } from '../src/readers/whatsapp/whatsapp-txt.js';
import { wholeFile } from '../src/readers/reader.js';
import { HEAD_BYTES, openInput } from '../src/ingest/input.js';
import { invalidUtf8At } from '../src/readers/whatsapp/lines.js';
import { isUtf8 } from 'node:buffer';
import { InputError } from '../src/util/errors.js';
import type { ParsedMessage, ReaderEvent } from '../src/model.js';
import { fixturePath, messagesOf, readAll, warningsOf } from './helpers.js';

const wa = (...p: string[]): string => fixturePath('whatsapp', ...p);
const read = (name: string, tz: string | null = 'Europe/Berlin', dateOrder: 'dmy' | 'mdy' | 'ymd' | null = null) =>
  readAll(whatsappTxtReader, wa(name), { tz, dateOrder });
const exportOf = (events: ReaderEvent[]) => {
  const e = events[0]!;
  assert.equal(e.type, 'export');
  return e.info;
};

/** The bytes at offset..offset+length are the message's lines (header line included). */
function assertProvenance(file: string, m: ParsedMessage, encoding: BufferEncoding = 'utf8'): string {
  const bytes = readFileSync(file);
  const { offset, length } = m.source;
  assert.ok(offset !== undefined && length !== undefined);
  const slice = bytes.subarray(offset, offset + length).toString(encoding);
  assert.ok(slice.endsWith('\n'), `message at line ${m.source.line} does not end with its line break`);
  return slice;
}

const SAME_CHAT = ['android-en-gb-24h.txt', 'android-en-us-12h.txt', 'ios-en-12h.txt', 'ios-de-24h.txt', 'android-de-24h.txt', 'ios-de-12h.txt'];
const MULTI = 'You are not safe anywhere.\n\nМы знаем, где живёт твоя мать.\n12/03/2024, 08:00 is when we come.';
const EXPECTED_UTC = [
  '2024-03-09T20:14:05Z',
  '2024-03-09T20:14:05Z',
  '2024-03-09T20:15:40Z',
  '2024-03-09T20:16:02Z',
  '2024-03-09T20:17:30Z',
  '2024-03-12T07:02:11Z',
  '2024-03-12T07:03:47Z',
  '2024-03-13T18:45:00Z',
  '2024-03-13T22:58:20Z',
  '2024-03-13T23:01:09Z',
  '2024-03-14T11:30:59Z',
];

test('the same chat exported in six locales gives the same messages and times (to the minute)', async () => {
  const shapes = [];
  for (const name of SAME_CHAT) {
    const events = await read(name);
    const msgs = messagesOf(events);
    assert.equal(msgs.length, 11, name);
    const ios = name.startsWith('ios');
    msgs.forEach((m, i) => {
      const want = ios ? EXPECTED_UTC[i]! : `${EXPECTED_UTC[i]!.slice(0, 17)}00Z`;
      assert.equal(m.time.utc, want, `${name} message ${i}`);
      assert.equal(m.time.basis, 'zone');
      assert.equal(m.time.zone, 'Europe/Berlin');
    });
    shapes.push({
      name,
      rows: msgs.map((m) => ({
        kind: m.kind,
        text: m.kind === 'service' ? m.action : m.text,
        sender: m.sender?.name ?? null,
        key: m.sender?.key.replace(/^name:\w+:/, 'name:') ?? null,
        phone: m.sender?.phone ?? null,
        outgoing: m.outgoing,
        edited: m.edited,
        media: m.media.map((x) => [x.kind, x.missing]),
      })),
    });
    const info = exportOf(events);
    assert.equal(info.ownerName, 'Anna', name);
    assert.equal(info.facts.ownerSource, 'you-deleted', name);
    assert.equal(info.facts.variant, ios ? 'ios' : 'android', name);
    assert.equal(info.facts.clock, /12h/.test(name) ? '12h' : '24h', name);
    assert.equal(info.facts.dateOrder, name === 'android-en-us-12h.txt' || name === 'ios-en-12h.txt' ? 'mdy' : 'dmy', name);
    assert.equal(info.facts.dateOrderSource, 'proven', name);
  }
  for (const s of shapes.slice(1)) assert.deepEqual(s.rows, shapes[0]!.rows, `${s.name} differs from ${shapes[0]!.name}`);
  const rows = shapes[0]!.rows;
  assert.deepEqual(
    rows.map((r) => r.kind),
    ['service', 'text', 'text', 'text', 'media', 'text', 'deleted', 'text', 'deleted', 'text', 'text'],
  );
  assert.equal(rows[0]!.text, 'encryption-notice');
  assert.equal(rows[0]!.sender, null);
  assert.equal(rows[3]!.text, MULTI);
  assert.deepEqual(rows[4]!.media, [['photo', 'not-included']]);
  assert.equal(rows[5]!.text, 'Leave me alone or I will go to the police.');
  assert.equal(rows[5]!.edited, true);
  assert.equal(rows[1]!.key, 'phone:+79123456789');
  assert.equal(rows[1]!.phone, '+79123456789');
  assert.equal(rows[1]!.outgoing, false);
  assert.equal(rows[2]!.key, 'name:Anna');
  assert.equal(rows[2]!.outgoing, true);
  assert.equal(rows[10]!.text, 'I have saved all of this: screenshots, your number, everything.');
});

test('same chat: raw senders, local times, seconds and provenance per export', async () => {
  const ios = messagesOf(await read('ios-en-12h.txt'));
  assert.equal(ios[1]!.sender!.raw, '\u202a+7 912 345-67-89\u202c');
  assert.equal(ios[1]!.sender!.name, '+7 912 345-67-89');
  assert.equal(ios[9]!.time.local, '2024-03-14T00:01:09');
  assert.equal(ios[10]!.time.local, '2024-03-14T12:30:59');
  const de = messagesOf(await read('ios-de-12h.txt'));
  assert.equal(de[9]!.time.local, '2024-03-14T00:01:09');
  assert.equal(de[4]!.media[0]!.name, '00000005-PHOTO-2024-03-09-21-17-30.jpg');
  const gb = messagesOf(await read('android-en-gb-24h.txt'));
  assert.equal(gb[1]!.sender!.raw, '+7 912 345-67-89');
  assert.equal(gb[4]!.media[0]!.name, 'IMG-20240309-WA0003.jpg');
  assert.equal(gb[4]!.media[0]!.mime, 'image/jpeg');
  for (const [name, msgs] of [['ios-en-12h.txt', ios], ['android-en-gb-24h.txt', gb]] as const) {
    const multi = msgs[3]!;
    assert.equal(multi.source.line, 4);
    const slice = assertProvenance(wa(name), multi);
    assert.equal(slice.split('\n').length - 1, 4, 'four lines');
    assert.ok(slice.includes('12/03/2024, 08:00 is when we come.'));
    assert.equal(msgs[4]!.source.line, 8);
    for (const m of msgs) {
      const s = assertProvenance(wa(name), m);
      if (m.kind === 'text') assert.ok(s.includes(m.text.split('\n')[0]!));
      assert.equal(m.source.file, wa(name));
      assert.equal(m.source.sha256, createHash('sha256').update(readFileSync(wa(name))).digest('hex'));
    }
  }
});

test('a line that only looks like a timestamp stays in its message, with a warning', async () => {
  const events = await read('android-en-gb-24h.txt');
  const w = warningsOf(events).filter((x) => x.code === 'timestamp-in-text');
  assert.deepEqual(w.map((x) => x.line), [7]);
  // The warning follows the message it belongs to.
  const idx = events.findIndex((e) => e.type === 'warning' && e.warning.code === 'timestamp-in-text');
  const prev = events[idx - 1]!;
  assert.equal(prev.type === 'message' && prev.message.source.line, 4);
});

test('without --tz wall clocks are read as UTC and flagged as assumed', async () => {
  const msgs = messagesOf(await read('ios-en-12h.txt', null));
  assert.equal(msgs[1]!.time.utc, '2024-03-09T21:14:05Z');
  assert.equal(msgs[1]!.time.local, '2024-03-09T21:14:05');
  assert.equal(msgs[1]!.time.basis, 'assumed-utc');
  assert.equal(msgs[1]!.time.zone, 'UTC');
});

test('Russian Android group: placeholders, captions, push names, phones, location, view-once, system lines', async () => {
  const events = await read('android-ru-24h.txt', 'Europe/Moscow');
  const msgs = messagesOf(events);
  assert.equal(msgs.length, 16);
  const byLine = new Map(msgs.map((m) => [m.source.line, m]));
  const at = (line: number): ParsedMessage => byLine.get(line)!;
  assert.equal(at(1).kind, 'service');
  assert.equal(at(1).action, 'encryption-notice');
  assert.equal(at(2).action, 'group-created');
  assert.equal(at(3).action, 'member-added');
  assert.equal(at(4).time.utc, '2024-02-01T06:05:00Z');
  assert.equal(at(4).time.local, '2024-02-01T09:05:00');
  assert.deepEqual(at(5).media, [
    { kind: 'other', name: '<Без медиафайлов>', path: null, sha256: null, size: null, missing: 'omitted', mime: null },
  ]);
  assert.equal(at(6).kind, 'media');
  assert.equal(at(6).text, 'Это Лёша на катке');
  assert.equal(at(6).media[0]!.name, 'IMG-20240201-WA0002.jpg');
  assert.equal(at(6).media[0]!.missing, 'not-included');
  assert.equal(at(8).sender!.raw, '~ Серёга');
  assert.equal(at(8).sender!.name, 'Серёга');
  assert.equal(at(8).text, 'Пересылаю новость:\n"В Подмосковье задержали мошенников, звонивших от имени банка."\nИсточник: РИА Новости');
  assert.equal(at(8).forwarded, false);
  assert.equal(at(11).kind, 'deleted');
  assert.equal(at(11).sender!.key, 'phone:+79123456789');
  assert.equal(at(12).text, 'Мы знаем, где живёт твоя мать. Улица Ленина, 12.');
  assert.equal(at(13).text, 'Кто это??');
  assert.equal(at(13).edited, true);
  assert.equal(at(14).kind, 'deleted');
  assert.equal(at(14).outgoing, true);
  assert.equal(at(15).kind, 'location');
  assert.deepEqual(at(15).location, { lat: 55.751244, lon: 37.618423, name: null });
  assert.equal(at(16).kind, 'view-once');
  assert.equal(at(16).text, '');
  assert.equal(at(17).kind, 'service');
  assert.equal(at(17).sender, null);
  assert.equal(at(17).action, 'subject-changed');
  assert.equal(at(17).text, 'Папа изменил(-а) тему с "Семья" на "Семья: важное"');
  assert.equal(at(18).media[0]!.kind, 'voice');
  const info = exportOf(events);
  assert.equal(info.ownerName, 'Аня');
  assert.equal(info.facts.dateOrder, 'dmy');
  assert.equal(at(4).outgoing, false);
  assert.equal(at(1).outgoing, null);
  // Every sender key is scoped to this export, except phone keys.
  const sha12 = createHash('sha256').update(readFileSync(wa('android-ru-24h.txt'))).digest('hex').slice(0, 12);
  assert.equal(at(4).sender!.key, `name:${sha12}:Мама`);
  assert.equal(at(4).chat.id, `whatsapp:${sha12}`);
  assert.equal(at(4).chat.name, 'android-ru-24h');
  const chat = events[1]!;
  assert.deepEqual(chat, { type: 'chat', chat: { id: `whatsapp:${sha12}`, name: 'android-ru-24h', platform: 'whatsapp', type: 'chat' } });
  for (const m of msgs) {
    assert.equal(m.platform, 'whatsapp');
    assert.deepEqual(m.markedPhones, []);
    assert.equal(m.replyTo, null);
    assertProvenance(wa('android-ru-24h.txt'), m);
  }
});

test('Persian and Arabic-Indic digits, Arabic comma, RLM, and Persian/Arabic day halves', async () => {
  const fa = messagesOf(await read('android-fa-24h.txt', 'Asia/Tehran'));
  assert.deepEqual(fa.map((m) => m.time.local), ['2021-05-30T18:44:00', '2021-05-30T18:45:00', '2021-05-30T18:46:00', '2021-06-01T09:05:00']);
  assert.equal(fa[0]!.time.utc, '2021-05-30T14:14:00Z');
  assert.equal(fa[0]!.action, 'encryption-notice');
  assert.equal(fa[2]!.sender!.key, 'phone:+989123456789');
  assert.equal(fa[3]!.media[0]!.missing, 'omitted');
  const fa12 = messagesOf(await read('android-fa-12h.txt', null));
  assert.deepEqual(fa12.map((m) => m.time.local), ['2021-05-30T18:44:00', '2021-05-31T09:05:00']);
  const ar = messagesOf(await read('android-ar-12h.txt', null));
  assert.deepEqual(ar.map((m) => m.time.local), ['2024-03-12T22:05:00', '2024-03-13T09:30:00']);
  assert.equal(ar[1]!.sender!.phone, '+966501234567');
});

test('Korean 오후, Japanese 午後 and Chinese 下午 before the time; Korean dotted year-first dates', async () => {
  const ko = messagesOf(await read('android-ko-12h.txt', 'Asia/Seoul'));
  assert.deepEqual(ko.map((m) => m.time.local), ['2024-03-12T15:05:00', '2024-03-12T23:59:00', '2024-03-13T00:10:00', '2024-03-13T09:00:00']);
  assert.equal(ko[0]!.time.utc, '2024-03-12T06:05:00Z');
  assert.equal(ko[3]!.media[0]!.name, '<미디어 파일 제외됨>');
  const ja = messagesOf(await read('android-ja-12h.txt', null));
  assert.deepEqual(ja.map((m) => m.time.local), ['2024-03-12T15:05:00', '2024-03-13T00:30:00', '2024-03-13T12:15:00']);
  assert.equal(ja[2]!.kind, 'media');
  const zh = messagesOf(await read('android-zh-12h.txt', null));
  assert.deepEqual(zh.map((m) => m.time.local), ['2024-03-12T15:05:00', '2024-03-13T09:05:00']);
});

test('Spanish p. m. with NBSP, localized deleted/edited/omitted/attached', async () => {
  const events = await read('android-es-12h.txt', 'Europe/Madrid');
  const es = messagesOf(events);
  assert.deepEqual(es.map((m) => m.kind), ['service', 'text', 'text', 'deleted', 'deleted', 'media', 'text', 'media']);
  assert.deepEqual(es.map((m) => m.time.local!.slice(11, 16)), ['09:00', '15:05', '15:06', '15:07', '15:08', '00:15', '12:20', '12:21']);
  assert.equal(es[0]!.action, 'encryption-notice');
  assert.equal(es[2]!.sender!.phone, '+34612345678');
  assert.equal(es[4]!.outgoing, true);
  assert.equal(es[3]!.outgoing, false);
  assert.equal(es[5]!.media[0]!.missing, 'omitted');
  assert.equal(es[6]!.text, 'Voy a la policía.');
  assert.equal(es[6]!.edited, true);
  assert.equal(es[7]!.text, 'Captura de pantalla');
  assert.equal(es[7]!.media[0]!.name, 'IMG-20240314-WA0007.jpg');
  assert.equal(exportOf(events).ownerName, 'Juan');
});

test('Finnish klo and dotted times, no comma', async () => {
  const fi = messagesOf(await read('android-fi-klo.txt', 'Europe/Helsinki'));
  assert.deepEqual(fi.map((m) => m.time.utc), ['2018-06-13T18:25:00Z', '2018-06-13T18:27:00Z', '2018-06-14T04:05:00Z']);
  assert.equal(fi[2]!.media[0]!.missing, 'omitted');
});

test('year-first iOS dates are never reordered (2024/12/10 is 10 December)', async () => {
  const events = await read('ios-year-first.txt', null);
  const msgs = messagesOf(events);
  assert.deepEqual(msgs.map((m) => m.time.local), ['2024-12-10T21:25:15', '2024-12-11T08:00:00', '2025-01-02T09:30:00']);
  assert.equal(msgs[1]!.kind, 'media');
  assert.deepEqual([msgs[1]!.media[0]!.kind, msgs[1]!.media[0]!.missing], ['photo', 'omitted']);
  assert.equal(warningsOf(events).length, 0);
  assert.equal(exportOf(events).facts.dateOrderSource, 'proven');
});

test('a file mixing 6/30/23 and 30/6/2023 decides each shape on its own, without rollover', async () => {
  const events = await read('android-mixed-shapes.txt', null);
  const msgs = messagesOf(events);
  assert.deepEqual(msgs.map((m) => m.time.local), [
    '2023-06-28T21:15:00',
    '2023-06-30T10:02:00',
    '2023-07-01T08:00:00',
    '2023-06-30T22:00:00',
    '2023-07-01T08:30:00',
    '2023-07-02T09:00:00',
  ]);
  assert.equal(warningsOf(events).length, 0);
  assert.match(exportOf(events).facts.dateOrders!, /=mdy; .*=dmy/);
});

test('an ambiguous file warns and names the choice; --date-order overrides', async () => {
  const events = await read('android-ambiguous.txt', null);
  const w = warningsOf(events);
  assert.equal(w.length, 1);
  assert.equal(w[0]!.code, 'date-order-ambiguous');
  assert.equal(w[0]!.line, 1);
  assert.match(w[0]!.message, /Read as dmy/);
  assert.match(w[0]!.message, /--date-order dmy\|mdy\|ymd/);
  assert.equal(exportOf(events).facts.dateOrderSource, 'heuristic');
  assert.deepEqual(messagesOf(events).map((m) => m.time.local!.slice(0, 10)), ['2024-02-10', '2024-02-11', '2024-02-12', '2024-03-01', '2024-03-02']);
  const forced = await read('android-ambiguous.txt', null, 'mdy');
  assert.equal(warningsOf(forced).length, 0);
  assert.equal(exportOf(forced).facts.dateOrderSource, 'option');
  assert.deepEqual(messagesOf(forced).map((m) => m.time.local!.slice(0, 10)), ['2024-10-02', '2024-11-02', '2024-12-02', '2024-01-03', '2024-02-03']);
});

test('a message quoting a day-first date cannot silently flip a month-first file', async () => {
  // Line 6 sits inside a forwarded message but looks like a header with day 25: it proves dmy,
  // against every other line. The reader says so, names the line, and --date-order settles it.
  const events = await read('android-en-us-quoted-date.txt', 'America/New_York');
  const doubt = warningsOf(events).filter((w) => w.code === 'date-order-doubtful');
  assert.equal(doubt.length, 1);
  assert.equal(doubt[0]!.line, 6);
  assert.match(doubt[0]!.message, /check line 6 \(a message may quote a date\) and pass --date-order mdy/);
  const settled = await read('android-en-us-quoted-date.txt', 'America/New_York', 'mdy');
  const msgs = messagesOf(settled);
  assert.deepEqual(
    msgs.map((m) => m.time.local?.slice(0, 10) ?? null),
    ['2024-03-01', '2024-03-01', '2024-03-01', '2024-03-02', '2024-03-03', null, '2024-03-03', '2024-03-04', '2024-03-05'],
  );
  assert.equal(msgs[1]!.time.utc, '2024-03-01T13:02:00Z');
  const w = warningsOf(settled).map((x) => [x.code, x.line]);
  assert.deepEqual(w, [['date-order-doubtful', 6], ['invalid-date', 6]]);
});

test('English "a.m."/"p.m." day halves (en-AU): 12:10 a.m. is 00:10, 12:30 p.m. is 12:30', async () => {
  const events = await read('android-en-au-dotted-ampm.txt', 'Australia/Sydney');
  const msgs = messagesOf(events);
  assert.equal(warningsOf(events).length, 0);
  assert.deepEqual(
    msgs.map((m) => [m.time.local, m.time.utc, m.sender?.key ?? null]),
    [
      ['2018-06-13T09:05:00', '2018-06-12T23:05:00Z', null],
      ['2018-06-13T09:05:00', '2018-06-12T23:05:00Z', 'phone:+61412345678'],
      ['2018-06-13T12:30:00', '2018-06-13T02:30:00Z', msgs[2]!.sender!.key],
      ['2018-06-14T00:10:00', '2018-06-13T14:10:00Z', 'phone:+61412345678'],
      ['2018-06-14T13:55:00', '2018-06-14T03:55:00Z', msgs[2]!.sender!.key],
    ],
  );
  assert.equal(msgs[2]!.sender!.name, 'Sophie Nguyen');
  assert.equal(exportOf(events).facts.dateOrder, 'dmy');
});

test('an invalid date is kept as a message without time, with a warning naming the line', async () => {
  const events = await read('android-invalid-date.txt', null);
  const msgs = messagesOf(events);
  assert.equal(msgs.length, 6);
  assert.deepEqual(msgs.map((m) => m.time.utc), ['2023-02-27T10:00:00Z', '2023-02-28T11:00:00Z', null, '2023-03-01T09:00:00Z', null, '2023-03-13T10:00:00Z']);
  assert.equal(msgs[2]!.time.local, null);
  assert.equal(msgs[2]!.text, 'Ты не ответил.');
  assert.equal(msgs[4]!.text, 'test');
  const w = warningsOf(events);
  assert.deepEqual(w.map((x) => [x.code, x.line]), [['invalid-date', 3], ['invalid-date', 5]]);
  assert.match(w[0]!.message, /"29\/02\/2023, 12:00"/);
});

test('a BOM at the start of the file and at a line start mid-file never merges lines', async () => {
  const msgs = messagesOf(await read('android-bom-midfile.txt', null));
  assert.deepEqual(msgs.map((m) => [m.sender!.name, m.text]), [
    ['Ivan', 'first'],
    ['Ivan', 'second'],
    ['Petr', 'third, after a BOM at the line start'],
    ['Ivan', 'fourth'],
  ]);
  assert.equal(msgs[0]!.source.offset, 3);
  const slice = assertProvenance(wa('android-bom-midfile.txt'), msgs[2]!);
  assert.ok(slice.startsWith('\ufeff14/03/2024, 10:02'));
});

test('CRLF line ends: text without CR, offsets and lengths counting CRLF', async () => {
  const msgs = messagesOf(await read('android-en-crlf.txt', null));
  assert.equal(msgs.length, 3);
  assert.equal(msgs[0]!.text, 'line one\nline two\n\nline four');
  const slice = assertProvenance(wa('android-en-crlf.txt'), msgs[0]!);
  assert.equal(slice, '14/03/2024, 10:00 - Ivan: line one\r\nline two\r\n\r\nline four\r\n');
  assert.equal(msgs[1]!.source.line, 5);
  assert.equal(msgs[1]!.source.offset, Buffer.byteLength(slice));
  // Out-of-order lines are kept in file order with their own dates.
  assert.equal(msgs[2]!.time.local, '2024-03-13T09:00:00');
});

test('lines before the first header are reported with their text, not lost', async () => {
  const events = await read('android-en-preamble.txt', null);
  const w = warningsOf(events);
  assert.equal(w.length, 1);
  assert.equal(w[0]!.code, 'text-before-first-message');
  assert.equal(w[0]!.line, 1);
  assert.match(w[0]!.message, /Exported for case 2024-117/);
  assert.equal(messagesOf(events)[0]!.source.line, 3);
});

test('UTF-16LE exports with a BOM are decoded, offsets in bytes of the file', async () => {
  const events = await read('android-en-utf16le.txt', null);
  const msgs = messagesOf(events);
  assert.deepEqual(msgs.map((m) => m.text), ['Привет from UTF-16', 'Ты знаешь, что будет.']);
  assert.equal(msgs[1]!.sender!.key, 'phone:+79123456789');
  assert.equal(exportOf(events).facts.encoding, 'utf-16le');
  assert.equal(msgs[0]!.source.offset, 2);
  const slice = assertProvenance(wa('android-en-utf16le.txt'), msgs[1]!, 'utf16le');
  assert.ok(slice.startsWith('14/03/2024, 10:01 - '));
});

test('invalid UTF-8, binary garbage and text without headers are InputErrors naming the position', async () => {
  await assert.rejects(read('invalid-utf8.txt'), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.equal(e.file, wa('invalid-utf8.txt'));
    assert.equal(e.position.line, 3);
    // The line starts at byte 64; "ü" written in cp1252 (0xfc) is its 28th byte.
    assert.equal(e.position.offset, 91);
    assert.match(e.message, /not valid UTF-8 text \(byte 0xfc at column 28/);
    assert.match(e.hint ?? '', /UTF-8/);
    return true;
  });
  await assert.rejects(read('binary-garbage.txt'), (e: unknown) => e instanceof InputError && e.position.line === 1);
  await assert.rejects(read('no-header.txt'), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.match(e.message, /no WhatsApp message header/);
    assert.match(e.hint ?? '', /Export chat/);
    return true;
  });
});

test('DST gap and overlap are flagged; gap uses the offset before the change, overlap the earlier instant', async () => {
  const events = await read('android-de-dst.txt', 'Europe/Berlin');
  const msgs = messagesOf(events);
  assert.deepEqual(msgs.map((m) => m.time.utc), ['2024-03-30T22:00:00Z', '2024-03-31T01:30:00Z', '2024-03-31T01:30:00Z', '2024-10-27T00:30:00Z']);
  assert.deepEqual(warningsOf(events).map((w) => [w.code, w.line]), [['dst-gap', 2], ['dst-ambiguous', 4]]);
  assert.equal(warningsOf(await read('android-de-dst.txt', null)).length, 0);
});

test('iOS group: system lines attributed to the group become service lines without sender', async () => {
  const events = await read('ios-en-group.txt', null);
  const msgs = messagesOf(events);
  const svc = msgs.filter((m) => m.kind === 'service');
  assert.deepEqual(svc.map((m) => m.action), ['encryption-notice', 'group-created', 'member-added', 'subject-changed', 'member-removed']);
  for (const m of svc) {
    assert.equal(m.sender, null);
    assert.equal(m.outgoing, null);
    assert.ok(!m.text.startsWith('\u200e'));
  }
  assert.equal(svc[3]!.text, 'Boris changed the subject to “Family: plans & news”');
  const senders = new Set(msgs.flatMap((m) => (m.sender ? [m.sender.name] : [])));
  assert.deepEqual([...senders].sort(), ['+49 1512 3456789', 'Boris Petrov', 'Lena']);
  const lena = msgs.find((m) => m.sender?.name === 'Lena')!;
  assert.equal(lena.sender!.raw, '~\u202fLena');
  const audio = msgs.find((m) => m.kind === 'media')!;
  assert.deepEqual([audio.sender!.name, audio.media[0]!.kind, audio.media[0]!.missing], ['Lena', 'audio', 'omitted']);
  const loc = msgs.filter((m) => m.kind === 'location');
  assert.deepEqual(loc.map((m) => m.location), [{ lat: 52.520008, lon: 13.404954, name: null }, null]);
  assert.equal(loc[0]!.sender!.name, 'Boris Petrov');
  const call = msgs.find((m) => m.kind === 'call')!;
  assert.deepEqual([call.sender!.name, call.text], ['Boris Petrov', 'Missed voice call']);
  assert.equal(exportOf(events).ownerKey, null);
  assert.equal(exportOf(events).facts.participants, '3');
});

test('Android group: classic system lines with ": " inside quotes are not authors', async () => {
  const msgs = messagesOf(await read('android-en-group.txt', null));
  assert.deepEqual(msgs.map((m) => [m.kind, m.sender?.name ?? null, m.action]), [
    ['service', null, 'group-created'],
    ['service', null, 'member-added'],
    ['service', null, 'subject-changed'],
    ['text', 'Boris Petrov', null],
    ['text', 'Lena', null],
    ['text', '+44 7700 900123', null],
    ['service', null, 'member-left'],
    ['service', null, 'icon-changed'],
  ]);
  assert.equal(msgs[2]!.text, 'Boris Petrov changed the subject from "Family" to "Family: plans & news"');
  assert.equal(msgs[5]!.sender!.raw, '\u202a+44 7700 900123\u202c');
  assert.equal(msgs[5]!.sender!.key, 'phone:+447700900123');
});

test('export folder: owner from "WhatsApp Chat with X.txt", attachments resolved beside the .txt', async () => {
  const file = wa('android-en-media', 'WhatsApp Chat with Boris Petrov.txt');
  const events = await readAll(whatsappTxtReader, file, { tz: 'Europe/Berlin' });
  const info = exportOf(events);
  assert.equal(info.ownerName, 'Anna');
  assert.equal(info.facts.ownerSource, 'file-name');
  assert.equal(info.reader, 'whatsapp-txt');
  assert.equal(info.ownerPhoneRaw, null);
  const chat = events[1]!;
  assert.equal(chat.type === 'chat' && chat.chat.name, 'Boris Petrov');
  const msgs = messagesOf(events);
  const photo = msgs[1]!;
  const jpg = readFileSync(wa('android-en-media', 'IMG-20240312-WA0001.jpg'));
  assert.deepEqual(photo.media, [
    {
      kind: 'photo',
      name: 'IMG-20240312-WA0001.jpg',
      path: `${wa('android-en-media')}/IMG-20240312-WA0001.jpg`,
      sha256: createHash('sha256').update(jpg).digest('hex'),
      size: jpg.length,
      missing: null,
      mime: 'image/jpeg',
    },
  ]);
  assert.equal(photo.text, 'Look who I found outside your house');
  assert.equal(photo.outgoing, false);
  assert.deepEqual(
    msgs.slice(2, 9).map((m) => [m.kind, m.media[0]?.kind ?? null, m.media[0]?.missing ?? null]),
    [
      ['media', 'video', 'not-included'],
      ['media', 'voice', 'not-included'],
      ['media', 'sticker', 'not-included'],
      ['media', 'document', 'not-included'],
      ['media', 'other', 'omitted'],
      ['location', null, null],
      ['media', 'photo', 'not-included'],
    ],
  );
  assert.equal(msgs[8]!.media[0]!.name, '2015-08-04-PHOTO-00004762.jpg');
  assert.equal(msgs[4]!.outgoing, true);
  assert.equal(msgs[9]!.outgoing, true);
});

test('sniff: WhatsApp text in any locale yes; prose, JSON and binary no', async () => {
  for (const name of [...SAME_CHAT, 'android-ru-24h.txt', 'android-fa-24h.txt', 'android-ko-12h.txt', 'android-en-preamble.txt', 'android-en-utf16le.txt', 'android-bom-midfile.txt']) {
    const input = await openInput(wa(name));
    assert.equal(whatsappTxtReader.sniff(input.head, name), true, name);
  }
  for (const name of ['no-header.txt', 'binary-garbage.txt']) {
    const input = await openInput(wa(name));
    assert.equal(whatsappTxtReader.sniff(input.head, name), false, name);
  }
  assert.equal(whatsappTxtReader.sniff(Buffer.from('{"name": "x", "messages": []}'), 'result.json'), false);
});

test('attachments: a link beside the chat is followed only to a file in the same folder', async () => {
  const root = mkdtempSync(join(tmpdir(), 'threatlens-wa-link-'));
  const chatDir = join(root, 'anna');
  mkdirSync(chatDir);
  const chat = join(chatDir, 'WhatsApp Chat with Boris Petrov.txt');
  copyFileSync(wa('android-en-media', 'WhatsApp Chat with Boris Petrov.txt'), chat);
  // The photo links out of the folder (to a file elsewhere on the machine); the PDF links to a
  // file that really is in the chat's folder.
  symlinkSync(wa('android-en-media', 'IMG-20240312-WA0001.jpg'), join(chatDir, 'IMG-20240312-WA0001.jpg'));
  copyFileSync(wa('android-en-media', 'IMG-20240312-WA0001.jpg'), join(chatDir, 'scan.pdf'));
  symlinkSync(join(chatDir, 'scan.pdf'), join(chatDir, 'DOC-20240312-WA0005.pdf'));
  const msgs = messagesOf(await readAll(whatsappTxtReader, chat, { tz: 'Europe/Berlin', dateOrder: null }));
  const photo = msgs.find((m) => m.media[0]?.name === 'IMG-20240312-WA0001.jpg')!.media[0]!;
  assert.deepEqual([photo.path, photo.sha256, photo.missing], [null, null, 'unsafe-path']);
  const doc = msgs.find((m) => m.media[0]?.name === 'DOC-20240312-WA0005.pdf')!.media[0]!;
  assert.equal(doc.missing, null);
  assert.equal(doc.sha256, createHash('sha256').update(readFileSync(wa('android-en-media', 'IMG-20240312-WA0001.jpg'))).digest('hex'));
});

test('invalidUtf8At finds the first byte that breaks UTF-8, as isUtf8 judges it', () => {
  let seed = 11;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const pieces = ['a', 'я', '€', '😀', '\u07ff', '\uffff'].map((t) => Buffer.from(t));
  const bad = [[0xc0, 0x80], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf8], [0x80], [0xe2, 0x82]].map((b) => Buffer.from(b));
  for (let round = 0; round < 3000; round++) {
    const parts: Buffer[] = [];
    const n = 1 + Math.floor(random() * 8);
    for (let k = 0; k < n; k++) parts.push(random() < 0.15 ? bad[Math.floor(random() * bad.length)]! : pieces[Math.floor(random() * pieces.length)]!);
    const b = Buffer.concat(parts);
    const at = invalidUtf8At(b);
    assert.equal(at === b.length, isUtf8(b), b.toString('hex'));
    assert.ok(isUtf8(b.subarray(0, at)), b.toString('hex'));
    // From the byte found on, no prefix is valid: that byte starts no well-formed sequence.
    for (let k = at + 1; k <= b.length; k++) assert.ok(!isUtf8(b.subarray(0, k)), `${b.toString('hex')} prefix ${k}`);
  }
});

test('a chat shorter than a head is read once: hashed and parsed from the same bytes, as if read from disk', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'threatlens-wa-whole-'));
  const line = (i: number) =>
    `${String(1 + (i % 28)).padStart(2, '0')}.03.2024, ${String(8 + (i % 12)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} - ` +
    `${i % 3 === 0 ? 'Тётя Оля' : '+7 916 555-12-34'}: Сообщение ${i}: позвони мне на +7 (903) 123-45-${String(i % 100).padStart(2, '0')}\n`;
  // Just under, at and over the head's 64 KiB: the first two are all in their head (the second
  // hashed apart, as every longer file is).
  const headBuffer = Buffer.alloc(HEAD_BYTES + 1, 0x41);
  for (const [target, whole] of [[65535, true], [65536, true], [65537, false], [70000, false]] as const) {
    let text = '';
    for (let i = 0; Buffer.byteLength(text) < target - 200; i++) text += line(i);
    text += 'x'.repeat(target - Buffer.byteLength(text) - 1) + '\n';
    const file = join(dir, `WhatsApp Chat with Тётя Оля ${target}.txt`);
    writeFileSync(file, text);
    const bytes = readFileSync(file);
    assert.equal(bytes.length, target);
    const input = await openInput(file);
    assert.equal(input.sha256, createHash('sha256').update(bytes).digest('hex'), `${target}: the hash is the file's`);
    assert.equal(wholeFile(input) !== null, whole, `${target}: taken whole from its head`);
    if (whole) assert.ok(input.head.equals(bytes));
    // The same file with only its first KiB as head makes the reader open it: the same messages.
    const fromDisk = { ...input, head: input.head.subarray(0, 1024) };
    const options = { tz: 'Europe/Moscow', dateOrder: null };
    const events = async (i: typeof input) => {
      const out: ReaderEvent[] = [];
      for await (const e of whatsappTxtReader.read(i, options)) out.push(e);
      return out;
    };
    const a = messagesOf(await events(input));
    assert.ok(a.length > 400, `${target}: ${a.length} messages`);
    assert.deepEqual(a, messagesOf(await events(fromDisk)));
    // As ingest opens its exports one after another: every head read into the same buffer, the
    // file before this one's overwritten (a buffer per file was tens of MB of garbage in a folder).
    const shared = await openInput(file, undefined, undefined, headBuffer);
    assert.equal(shared.head.buffer, headBuffer.buffer, `${target}: the head is read into the buffer given`);
    assert.equal(shared.sha256, input.sha256);
    assert.equal(wholeFile(shared) !== null, whole);
    assert.deepEqual(messagesOf(await events(shared)), a);
  }
});
