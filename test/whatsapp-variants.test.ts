// Acceptance test: one WhatsApp group ("Семья") exported eight ways, English/German ×
// Android/iOS × 24 h/12 h, exactly as each app writes it (fixtures/whatsapp/variants/, written by
// make-fixtures.py there; README.md in fixtures/whatsapp/ lists every invisible character).
// Read with --tz Europe/Berlin, every variant must give the same authored messages: the same
// senders in order, texts, UTC minutes and kinds. System lines carry no threat text and no
// threat author, whatever the export writes before them (iOS files them under the group's name).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { whatsappTxtReader } from '../src/readers/whatsapp/whatsapp-txt.js';
import type { ParsedMessage, ReaderEvent } from '../src/model.js';
import { fixturePath, messagesOf, readAll } from './helpers.js';

const VARIANTS = [
  'android-en-24h',
  'android-en-12h',
  'android-de-24h',
  'android-de-12h',
  'ios-en-24h',
  'ios-en-12h',
  'ios-de-24h',
  'ios-de-12h',
] as const;

const file = (variant: string): string => fixturePath('whatsapp', 'variants', `${variant}.txt`);
const read = (variant: string): Promise<ReaderEvent[]> => readAll(whatsappTxtReader, file(variant), { tz: 'Europe/Berlin', dateOrder: null });

const THREAT_KEY = 'phone:+79281234567';
const THREAT_NAME = '+7 928 123-45-67';

/** Invisible format characters a text may begin with (bidi marks and embeddings, isolates, BOM, ZWSP). */
const LEADING_INVISIBLE = /^[\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]+/;
/** The text as a reader shows it, whether or not it keeps a leading invisible mark. */
const visible = (s: string): string => s.replace(LEADING_INVISIBLE, '');

/**
 * The authored messages, in file order: sender name (cleaned), kind, visible text, UTC minute,
 * edited. Berlin is UTC+1 on all these days. Row 8 begins with U+200E and row 13 with U+FEFF in
 * every file; row 6 has a blank line inside and two blank lines after it in the file.
 */
const AUTHORED: ReadonlyArray<readonly [string, ParsedMessage['kind'], string, string, boolean]> = [
  ['Boris', 'text', 'Всем привет! Это наш семейный чат 👨‍👩‍👧', '2024-03-09T20:02', false],
  ['Мама', 'text', 'Привет, мои дорогие ❤️', '2024-03-09T20:03', false],
  ['Lena', 'text', "Hi all! It's Lena, Boris's cousin 🙂 New number, please save it", '2024-03-09T20:05', false],
  ['Anna', 'text', 'Привет, Лена! Сохранила 👍', '2024-03-09T20:06', false],
  ['Boris', 'media', '', '2024-03-09T20:14', false],
  ['Мама', 'text', 'Дети, в субботу все едем на дачу.\n\nБорис, возьми ключи от сарая!', '2024-03-09T20:20', false],
  [THREAT_NAME, 'text', 'Анна, ты думала, сменишь номер и всё? Мы знаем, где живёт твоя мать.', '2024-03-13T21:47', false],
  [THREAT_NAME, 'text', 'Это не шутка. Мы рядом.', '2024-03-13T21:47', false],
  ['Anna', 'text', 'Кто это?! Boris, did you share the invite link?', '2024-03-13T21:49', false],
  ['Boris', 'text', "I posted it in the school parents' chat, sorry. Fixing it now.", '2024-03-13T21:51', false],
  [THREAT_NAME, 'deleted', '', '2024-03-13T21:52', false],
  [THREAT_NAME, 'text', 'Полиция тебе не поможет.', '2024-03-13T21:53', true],
  ['Lena', 'text', 'I saved everything he wrote: screenshots, his number, the times.', '2024-03-13T22:01', false],
  ['Мама', 'text', 'Аня, я вызвала полицию. Не открывай никому дверь.', '2024-03-13T23:05', false],
  ['Anna', 'text', 'Заявление приняли, номер КУСП 1234. Спасибо всем ❤️', '2024-03-14T11:30', false],
];

/** System lines per file: encryption notice, created, 3 × added, 2 × subject, joined, left. */
const SERVICE_LINES = 9;

const threatTexts = AUTHORED.filter((r) => r[0] === THREAT_NAME && r[2] !== '').map((r) => r[2]);

test('one group exported eight ways: the same authored messages, senders, texts, UTC minutes and kinds', async () => {
  const shapes: { variant: string; rows: unknown[] }[] = [];
  for (const variant of VARIANTS) {
    const msgs = messagesOf(await read(variant));
    const authored = msgs.filter((m) => m.kind !== 'service');
    assert.deepEqual(
      authored.map((m) => [m.sender?.name ?? null, m.kind, visible(m.text), m.time.utc?.slice(0, 16) ?? null, m.edited]),
      AUTHORED,
      `${variant}: authored messages`,
    );
    for (const m of authored) {
      assert.notEqual(m.sender, null, `${variant} line ${m.source.line}: an authored message without sender`);
      assert.equal(m.time.basis, 'zone');
      assert.equal(m.time.zone, 'Europe/Berlin');
    }
    // The unsaved number is one phone identity on every line it wrote.
    const threat = authored.filter((m) => m.sender!.name === THREAT_NAME);
    assert.equal(threat.length, 4, variant);
    for (const m of threat) {
      assert.equal(m.sender!.key, THREAT_KEY, `${variant} line ${m.source.line}`);
      assert.equal(m.sender!.phone, '+79281234567', `${variant} line ${m.source.line}`);
    }
    assert.equal(msgs.filter((m) => m.kind === 'service').length, SERVICE_LINES, `${variant}: system lines`);
    shapes.push({
      variant,
      rows: authored.map((m) => ({
        key: m.sender!.key.replace(/^name:\w+:/, 'name:'),
        name: m.sender!.name,
        kind: m.kind,
        text: m.text,
        minute: m.time.utc!.slice(0, 16),
        edited: m.edited,
        media: m.media.length,
      })),
    });
  }
  for (const s of shapes.slice(1)) assert.deepEqual(s.rows, shapes[0]!.rows, `${s.variant} differs from ${shapes[0]!.variant}`);
});

test('eight ways: system lines carry no threat text and are not the threat author', async () => {
  for (const variant of VARIANTS) {
    const msgs = messagesOf(await read(variant));
    const service = msgs.filter((m) => m.kind === 'service');
    assert.equal(service[0]!.action, 'encryption-notice', variant);
    for (const m of service) {
      // iOS files a system line under the group's name ("Семья: ‎Boris added you") or under the
      // actor ("Boris: ‎Boris created group …"): never under the unsaved number.
      assert.notEqual(m.sender?.key, THREAT_KEY, `${variant} line ${m.source.line}: a system line authored by the threat sender`);
      assert.notEqual(m.sender?.name, 'Семья', `${variant} line ${m.source.line}: the group's name is not a sender`);
      for (const t of threatTexts) assert.ok(!visible(m.text).includes(t), `${variant} line ${m.source.line}: threat text read as a system line`);
    }
    for (const m of msgs) assert.notEqual(m.sender?.name, 'Семья', `${variant} line ${m.source.line}`);
  }
});

test('eight ways: the member texts that begin with U+200E and U+FEFF are authored', async () => {
  for (const variant of VARIANTS) {
    const msgs = messagesOf(await read(variant));
    const bytes = readFileSync(file(variant));
    const raw = (m: ParsedMessage): string => bytes.subarray(m.source.offset!, m.source.offset! + m.source.length!).toString('utf8');
    const lrm = msgs.find((m) => raw(m).includes(': \u200eЭто не шутка.'));
    assert.ok(lrm, variant);
    assert.equal(lrm.kind, 'text', `${variant}: "‎Это не шутка" (U+200E first) read as ${lrm.kind}`);
    assert.equal(lrm.sender?.key, THREAT_KEY, variant);
    assert.equal(lrm.action, null, variant);
    const bom = msgs.find((m) => raw(m).includes(': \ufeffI saved everything'));
    assert.ok(bom, variant);
    assert.equal(bom.kind, 'text', variant);
    assert.equal(bom.sender?.name, 'Lena', variant);
  }
});

test('eight ways: facts per file, and messages tile the file byte for byte', async () => {
  for (const variant of VARIANTS) {
    const events = await read(variant);
    const first = events[0]!;
    assert.equal(first.type, 'export');
    const info = first.type === 'export' ? first.info : null;
    assert.ok(info);
    assert.equal(info.facts.variant, variant.startsWith('ios') ? 'ios' : 'android', variant);
    assert.equal(info.facts.clock, variant.endsWith('12h') ? '12h' : '24h', variant);
    assert.equal(info.facts.dateOrder, variant.startsWith('android-en-12h') || variant.startsWith('ios-en-12h') ? 'mdy' : 'dmy', variant);
    assert.equal(info.facts.dateOrderSource, 'proven', variant);
    // Every byte after a BOM belongs to exactly one message, blank lines after a message included.
    const bytes = readFileSync(file(variant));
    let at = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    for (const m of messagesOf(events)) {
      assert.equal(m.source.offset, at, `${variant} line ${m.source.line}`);
      at += m.source.length!;
      const slice = bytes.subarray(m.source.offset!, at).toString('utf8');
      assert.ok(slice.endsWith(variant.startsWith('ios') ? '\r\n' : '\n'), `${variant} line ${m.source.line}`);
    }
    assert.equal(at, bytes.length, variant);
  }
});
