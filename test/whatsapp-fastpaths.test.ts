// The WhatsApp reader's fast paths give the same answers as the slow ones they stand in for: the
// byte-level header scanner and the header regex, the line splitter at any chunk size, the UTF-8
// decoder and Buffer#toString, ZoneConverter's two readings of an offset, the batched event
// iterator and a plain one, and the key gates and the lookups they guard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isUtf8 } from 'node:buffer';
import { newHeader, parseHeaderBytes, parseHeaderRegex, scanHeader } from '../src/readers/whatsapp/header.js';
import type { Header } from '../src/readers/whatsapp/header.js';
import { BLOCK_BYTES, LineSplitter } from '../src/readers/whatsapp/lines.js';
import { pumpOfBatches, PumpedEvents } from '../src/readers/kit/events.js';

const batchedEvents = (batches: AsyncGenerator<ReaderEvent[], void, undefined>) => new PumpedEvents(pumpOfBatches(batches));
import { classifyBody, isOwnDeletion, KeyGate, mayBeOwnDeletion } from '../src/readers/whatsapp/body.js';
import { androidMediaKind, describeAttachment, isGeneratedMediaName } from '../src/readers/whatsapp/attachments.js';
import { DELETED_BY_OTHER, DELETED_BY_OWNER, IOS_OMITTED, LIVE_LOCATION } from '../src/readers/whatsapp/locale.js';
import { ZoneConverter } from '../src/util/time.js';
import type { ReaderEvent } from '../src/model.js';
import { fixturePath } from './helpers.js';

const FIELDS = ['frame', 'sep', 'n0', 'n1', 'n2', 'len0', 'len1', 'len2', 'hour', 'minute', 'second', 'half', 'bodyStart'] as const;

function fields(h: Header): unknown[] {
  return FIELDS.map((k) => h[k]);
}

/** The regex's reading of a line, with bodyStart in UTF-8 bytes (null: not a header). */
function byRegex(line: string): unknown[] | null {
  const h = newHeader();
  if (!parseHeaderRegex(line, 0, line.length, h)) return null;
  h.bodyStart = Buffer.byteLength(line.slice(0, h.bodyStart));
  return fields(h);
}

/** Every line of every WhatsApp text fixture, decoded. */
function fixtureLines(): string[] {
  const dir = fixturePath('whatsapp');
  const lines: string[] = [];
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    if (!name.endsWith('.txt')) continue;
    const raw = readFileSync(join(dir, name));
    let text: string;
    if (raw[0] === 0xff && raw[1] === 0xfe) text = raw.toString('utf16le', 2);
    else if (isUtf8(raw)) text = raw.toString('utf8');
    else continue;
    for (const line of text.split('\n')) lines.push(line.replace(/\r$/, ''));
  }
  return lines;
}

/** Checks the byte-level paths against the regex on one line, set inside a larger block. */
function checkLine(line: string): 'fast' | 'regex' {
  const want = byRegex(line);
  const before = 'x: previous line\r\n';
  const block = Buffer.from(`${before}${line}\r\nnext line\n`);
  const start = Buffer.byteLength(before);
  const end = start + Buffer.byteLength(line);
  const h = newHeader();
  const fast = scanHeader(block, start, end, h);
  if (fast === 1) {
    h.bodyStart -= start;
    assert.deepEqual(fields(h), want, `fast path on ${JSON.stringify(line)}`);
  } else if (fast === 0) {
    assert.equal(want, null, `fast path refused ${JSON.stringify(line)}`);
  }
  const full = newHeader();
  const ok = parseHeaderBytes(block, start, end, full);
  full.bodyStart -= start;
  assert.deepEqual(ok ? fields(full) : null, want, `parseHeaderBytes on ${JSON.stringify(line)}`);
  return fast === -1 ? 'regex' : 'fast';
}

test('header fast path: the same answer as the regex on every fixture line', () => {
  let headers = 0;
  let fastHeaders = 0;
  for (const line of fixtureLines()) {
    const path = checkLine(line);
    if (byRegex(line) !== null) {
      headers++;
      if (path === 'fast') fastHeaders++;
    }
  }
  // The common Android and iOS frames are read without the regex.
  assert.ok(headers > 150, `${headers} header lines`);
  assert.ok(fastHeaders >= 150, `${fastHeaders} of ${headers} header lines on the fast path`);
});

test('header fast path: the same answer as the regex on tricky lines', () => {
  const lines = [
    '12/03/2024, 10:00 - Anna: hi',
    '12/03/2024, 10:00 – Anna: en dash',
    '12/03/2024, 10:00 -Anna: no space after the dash',
    '12/03/2024, 10:00  - Anna: two spaces',
    '12/03/2024, 10:00- Anna: no space before the dash',
    '12/03/2024, 10:00: Anna: colon frame',
    '12/03/2024, 10:00 Anna: space frame',
    '12/03/2024, 08:00 is when we come.',
    '12/03/2024, 10:00',
    '12/03/2024, 10:00 -',
    '12/03/2024, 100:00 - Anna: three-digit hour',
    '12/03/20245, 10:00 - Anna: five-digit year',
    '12/03/2024, 10:0 - Anna: one-digit minute',
    '12/03/2024, 10:00:5 - Anna: one-digit second',
    '12/03/2024, 10:00:59 - Anna: seconds',
    '12/03/2024,10:00 - Anna: no space after the comma',
    '12/03/2024 10:00 - Anna: no comma',
    '12/03/2024., 10:00 - Anna: dot after the year',
    '12/03-2024, 10:00 - Anna: mixed separators',
    '12. 03. 2024. 10:00 - Anna: spaced dots',
    '3/14/24, 12:30 PM - Anna: hi',
    '3/14/24, 12:30\u202fPM - Anna: narrow no-break space',
    '3/14/24, 12:30\u00a0pm - Anna: no-break space',
    '3/14/24, 12:30PM - Anna: no space',
    '12/3/24, 12:15 a.m. - Juan: a.m.',
    '12/3/24, 12:15 a. m. - Juan: a. m.',
    '12/3/24, 12:15 a.\u00a0m. - Juan: a.NBSP m.',
    '12/3/24, 12:15 am. - Juan: unknown marker',
    '12/3/24, 12:15 am.x',
    '12/3/24, 12:15 a.mx',
    '12/3/24, 12:15 a. x',
    '12/3/24, 12:15 Anna: letter a',
    '12/3/24, 12:15 vorm. - Max: vorm',
    '12/3/24, 12:15 nachm - Max: nachm',
    '[12.03.24, 10:00:00] Max: hi',
    '[12.03.24, 10:00:00]Max: no space',
    '[12.03.24, 10:00:00]\u200eMax: mark after the bracket',
    '\u200e[12.03.24, 10:00:00] Max: mark before',
    '[\u200e12.03.24, 10:00:00] Max: mark inside',
    '[\u061c12.03.24, 10:00:00] Max: ALM inside',
    '[12.03.24, 10:00:00 Max: no closing bracket',
    '12.03.24, 10:00:00] Max: no opening bracket',
    '[3/14/24, 1:05:09 PM] Anna: bracketed 12h',
    '\ufeff14/03/2024, 10:02 - Petr: BOM',
    '\u202a12/03/2024, 10:00 - Anna: embedding mark',
    '13.06.18 21.25.15: a: dotted time',
    '١٢/٣/٢٠٢٤، ١٠:٠٥ م - أحمد: Arabic digits',
    '12/03/2024, ١٠:٠٥ - mixed digits',
    '2024/03/13 午後0:15 - 田中: はい',
    '13.6.2018 klo 21.25.15 - a: m',
    '5 apples',
    '',
    '[',
    '\u200e',
  ];
  for (const line of lines) checkLine(line);
});

/** Lines as a simple split sees them: text, byte offset and byte length (with the break). */
function referenceLines(bytes: Buffer, bom: number): { text: string; offset: number; length: number }[] {
  const out = [];
  let at = bom;
  while (at < bytes.length) {
    const nl = bytes.indexOf(0x0a, at);
    const stop = nl < 0 ? bytes.length : nl + 1;
    let end = nl < 0 ? bytes.length : nl;
    if (end > at && bytes[end - 1] === 0x0d) end--;
    out.push({ text: bytes.toString('utf8', at, end), offset: at, length: stop - at });
    at = stop;
  }
  return out;
}

test('line splitter: the same lines, offsets and text at any chunk size', () => {
  const long = 'ж😀'.repeat(BLOCK_BYTES / 3);
  const text = `\ufeff12/03/2024, 10:00 - Мама: привет 😀\r\nсо второй строкой\n${long}\n\n\ufeffmid-file BOM\r\nlast line without a break ${long}`;
  const bytes = Buffer.from(text);
  const want = referenceLines(bytes, 3);
  for (const size of [1, 2, 3, 5, 64, 4093, BLOCK_BYTES - 1, BLOCK_BYTES + 7, 1 << 20]) {
    for (const validate of [true, false]) {
      const sp = new LineSplitter('f', 'utf8', 3, validate);
      const got: { text: string; offset: number; length: number }[] = [];
      const drain = (): void => {
        while (sp.next()) got.push({ text: sp.decode(sp.start, sp.end), offset: sp.offset, length: sp.length });
      };
      for (let at = 0; at < bytes.length; at += size) {
        sp.load(bytes.subarray(at, Math.min(bytes.length, at + size)));
        drain();
      }
      sp.finish();
      drain();
      assert.deepEqual(got, want, `chunks of ${size} bytes`);
    }
  }
});

test('UTF-8 decoding: the splitter decodes as Buffer#toString does', () => {
  let seed = 7;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const char = (): string => {
    const r = random();
    if (r < 0.4) return String.fromCharCode(32 + Math.floor(random() * 95));
    if (r < 0.6) return String.fromCharCode(0x400 + Math.floor(random() * 0x100));
    if (r < 0.75) return String.fromCharCode(0x80 + Math.floor(random() * 0x780));
    if (r < 0.9) return String.fromCharCode(0xe000 + Math.floor(random() * 0x1fff));
    return String.fromCodePoint(0x10000 + Math.floor(random() * 0xfffff));
  };
  for (let t = 0; t < 500; t++) {
    let s = '';
    for (let i = Math.floor(random() * 200); i > 0; i--) s += char();
    const bytes = Buffer.from(`${s}\n`);
    for (const validate of [true, false]) {
      const sp = new LineSplitter('f', 'utf8', 0, validate);
      sp.load(bytes);
      assert.ok(sp.next());
      assert.equal(sp.decode(sp.start, sp.end), s);
    }
  }
  // Bytes that are not UTF-8 (possible only if the file changed between the passes) decode as
  // toString does, with replacement characters.
  const bad = Buffer.from([0x61, 0xc3, 0x28, 0xe2, 0x82, 0x61, 0x0a]);
  const sp = new LineSplitter('f', 'utf8', 0, false);
  sp.load(bad);
  assert.ok(sp.next());
  assert.equal(sp.decode(sp.start, sp.end), bad.toString('utf8', 0, 6));
});

test('zone offsets: the format() reading gives formatToParts\'s offsets, across DST and odd zones', () => {
  const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Apia', 'Asia/Tehran', 'Africa/Casablanca', 'UTC', '+03:00'];
  for (const zone of zones) {
    const zc = new ZoneConverter(zone);
    for (let ms = Date.UTC(2010, 0, 1); ms < Date.UTC(2013, 0, 1); ms += 3_600_000 * 7 + 60_000 * 13) {
      const probe = Math.floor(ms / 3_600_000) * 3_600_000;
      assert.equal(zc.offsetAt(ms), zc.offsetFromParts(probe), `${zone} at ${new Date(ms).toISOString()}`);
    }
  }
});

test('batched events: one event per next(), errors after the events before them, return() reaches the source', async () => {
  const ev = (n: number): ReaderEvent => ({ type: 'warning', warning: { file: 'f', code: 'c', message: String(n) } });
  const seen = async (it: AsyncIterable<ReaderEvent>): Promise<string[]> => {
    const out: string[] = [];
    for await (const e of it) if (e.type === 'warning') out.push(e.warning.message);
    return out;
  };
  async function* batches(): AsyncGenerator<ReaderEvent[], void, undefined> {
    yield [ev(1), ev(2)];
    yield [];
    yield [ev(3)];
  }
  assert.deepEqual(await seen(batchedEvents(batches())), ['1', '2', '3']);

  async function* failing(): AsyncGenerator<ReaderEvent[], void, undefined> {
    yield [ev(1), ev(2)];
    throw new Error('broken');
  }
  const got: string[] = [];
  await assert.rejects(async () => {
    for await (const e of batchedEvents(failing())) if (e.type === 'warning') got.push(e.warning.message);
  }, /broken/);
  assert.deepEqual(got, ['1', '2']);

  let closed = false;
  async function* endless(): AsyncGenerator<ReaderEvent[], void, undefined> {
    try {
      for (let i = 0; ; i++) yield [ev(i), ev(i + 0.5)];
    } finally {
      closed = true;
    }
  }
  const it = batchedEvents(endless());
  for await (const e of it) if (e.type === 'warning' && e.warning.message === '2') break;
  assert.equal(closed, true);
  assert.deepEqual(await it.next(), { value: undefined, done: true });
});

/** lookupForm as body.ts defines it: the form the placeholder tables are compared in. */
function referenceKey(s: string): string {
  if (s.length > 64) return '';
  let t = s.replace(/[\u200E\u200F]/g, '').trim().toLowerCase();
  if (t.endsWith('.')) t = t.slice(0, -1);
  return t;
}

test('key gates: a placeholder is never ruled out before its lookup', () => {
  let seed = 3;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const variants = (s: string): string[] => {
    const out = [s, s[0]!.toUpperCase() + s.slice(1), `${s}.`, ` ${s} `, `\u200e${s}`, `${s}\u200f`, `\u200e${s[0]!.toUpperCase()}${s.slice(1)}.\u200e`];
    for (let k = 0; k < 20; k++) {
      let v = '';
      for (const ch of s) v += random() < 0.3 ? ch.toUpperCase() : ch;
      if (random() < 0.3) v = `\u200f${v}`;
      if (random() < 0.3) v = `${v}\u00a0`;
      if (random() < 0.3) v = `${v}.`;
      out.push(v);
    }
    return out;
  };
  const tables: [readonly string[], (v: string) => void][] = [
    [DELETED_BY_OWNER, (v) => assert.equal(classifyBody(v, null).ownDeletion, true, JSON.stringify(v))],
    [DELETED_BY_OTHER, (v) => assert.equal(classifyBody(v, null).kind, 'deleted', JSON.stringify(v))],
    [IOS_OMITTED.flatMap(([, list]) => list), (v) => assert.equal(classifyBody(v, null).kind, 'media', JSON.stringify(v))],
    [LIVE_LOCATION, (v) => assert.equal(classifyBody(v, null).kind, 'location', JSON.stringify(v))],
  ];
  for (const [list, check] of tables) {
    const gate = new KeyGate(list);
    for (const entry of list) {
      for (const v of variants(entry)) {
        if (!list.includes(referenceKey(v))) continue;
        const bytes = Buffer.from(v);
        assert.ok(gate.maybe(v, 0, v.length), JSON.stringify(v));
        assert.ok(gate.maybeBytes(bytes, 0, bytes.length), JSON.stringify(v));
        check(v);
        if (list === DELETED_BY_OWNER) {
          assert.ok(isOwnDeletion(v), JSON.stringify(v));
          assert.ok(mayBeOwnDeletion(bytes, 0, bytes.length), JSON.stringify(v));
        }
      }
    }
  }
});

test('Android media names: read by character as the pattern IMG|VID|AUD|PTT|STK|DOC-8 digits-WA digit reads them', () => {
  const pattern = /^(IMG|VID|AUD|PTT|STK|DOC)-\d{8}-WA\d+/;
  const kinds: Record<string, string> = { IMG: 'photo', VID: 'video', AUD: 'audio', PTT: 'voice', STK: 'sticker', DOC: 'document' };
  const names = [
    'IMG-20240312-WA0001.jpg',
    'VID-20231224-WA0017.mp4',
    'AUD-20240101-WA0002.opus',
    'PTT-20240312-WA0003.opus',
    'STK-20240312-WA0004.webp',
    'DOC-20240312-WA0005.pdf',
    'DOC-20240312-WA0005',
    'IMG-20240312-WA1',
    'IMG-20240312-WA',
    'IMG-20240312-WAx.jpg',
    'IMG-20240312-wa0001.jpg',
    'img-20240312-WA0001.jpg',
    'IMG-2024031-WA0001.jpg',
    'IMG-202403121-WA0001.jpg',
    'IMG-2024O312-WA0001.jpg',
    'IMG-٢٠٢٤٠٣١٢-WA0001.jpg',
    'IMG_20240312_WA0001.jpg',
    ' IMG-20240312-WA0001.jpg',
    'XYZ-20240312-WA0001.jpg',
    'GIF-20240312-WA0001.gif',
    '00000012-PHOTO-2024-03-12-10-00-00.jpg',
    '2015-08-04-PHOTO-00004762.jpg',
    'Договор аренды.pdf',
    '',
  ];
  for (const name of names) {
    const m = pattern.exec(name);
    assert.equal(androidMediaKind(name), m === null ? undefined : kinds[m[1]!], JSON.stringify(name));
    const described = describeAttachment(name);
    if (m !== null) assert.equal(described.kind, kinds[m[1]!], JSON.stringify(name));
    assert.equal(isGeneratedMediaName(name), m !== null || /^\d{8}-/.test(name) || /^\d{4}-\d{2}-\d{2}-([A-Z]+)-\d+/.test(name), JSON.stringify(name));
  }
  assert.deepEqual(describeAttachment('PTT-20240312-WA0003.opus'), { kind: 'voice', mime: 'audio/ogg' });
  assert.deepEqual(describeAttachment('Договор аренды.pdf'), { kind: 'document', mime: 'application/pdf' });
});

test('edit marks: found from the last line back, as in the joined text, blank lines and marks included', () => {
  const EDIT = /^<[\u200E\u200F]?(?:this message was edited|сообщение изменено|diese nachricht wurde bearbeitet)\.?>[\s\u200E\u200F]*$/i;
  // The text and edit flag as the joined message reads, its blank last lines dropped: cut the mark
  // off the end of the whole text.
  const reference = (first: string, lines: string[] | null): { text: string; edited: boolean } => {
    const kept = [...(lines ?? [])];
    while (kept.length > 0 && /^[\s\u200B\u200E\u200F\uFEFF]*$/.test(kept[kept.length - 1]!)) kept.pop();
    const raw = kept.length === 0 ? first : `${first}\n${kept.join('\n')}`;
    const lt = raw.lastIndexOf('<');
    if (lt >= 0 && raw.length - lt <= 48 && EDIT.test(raw.slice(lt))) return { text: raw.slice(0, lt).replace(/[\s\u200E\u200F]+$/, ''), edited: true };
    return { text: raw, edited: false };
  };
  const cases: [string, string[] | null][] = [
    ['Я буду у подъезда в восемь <This message was edited>', null],
    ['Я буду у подъезда', ['в восемь <This message was edited>']],
    ['Я буду у подъезда', ['в восемь <Сообщение изменено>', '', ' ']],
    ['Я буду у подъезда <Сообщение изменено>', ['', '\u200e']],
    ['Я буду у подъезда <Сообщение изменено>', ['', 'потом позвоню']],
    ['Meet me at <the station>', ['tomorrow']],
    ['Meet me at', ['<the station>']],
    ['Meet me at', ['<Diese Nachricht wurde bearbeitet>\u200f ']],
    ['', ['', '']],
    ['Wo bist du?', ['\u200e<Diese Nachricht wurde bearbeitet>']],
    ['First line', ['second > third', '   ']],
  ];
  for (const [first, more] of cases) {
    const want = reference(first, more);
    const got = classifyBody(first, more);
    assert.equal(got.kind, 'text', JSON.stringify([first, more]));
    assert.equal(got.edited, want.edited, JSON.stringify([first, more]));
    assert.equal(got.text, want.text, JSON.stringify([first, more]));
  }
  // A caption after an attachment line keeps its own lines, with or without an edit mark.
  const photo = classifyBody('IMG-20240312-WA0001.jpg (file attached)', ['Смотри, кто у твоего дома', 'вчера вечером <This message was edited>']);
  assert.equal(photo.kind, 'media');
  assert.equal(photo.edited, true);
  assert.equal(photo.text, 'Смотри, кто у твоего дома\nвчера вечером');
  // Blank lines that end a message are not part of its text.
  assert.equal(classifyBody('IMG-20240312-WA0001.jpg (file attached)', ['Смотри', '']).text, 'Смотри');
});
