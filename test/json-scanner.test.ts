import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  formatPath,
  JsonFileScanner,
  JsonScanError,
  JsonScanner,
  locateJsonError,
  scanJsonBuffer,
  scanJsonFile,
  type JsonPath,
  type ScanAction,
  type ScanEvent,
} from '../src/readers/kit/json-scanner.js';
import { openInput } from '../src/ingest/input.js';
import { wholeFile } from '../src/readers/reader.js';

// A document with every hard case: escaped quotes and backslashes (including `\\\"`), brackets
// inside strings, raw and escaped unicode, a key with an escape, a skipped value holding invalid
// JSON, empty containers, nested arrays of messages, and top-level primitives.
const DOC = Buffer.from(
  String.raw`{
 "about": "quotes \" and backslashes \\ and \\\" and {braces} [brackets] inside",
 "na\u006de": "Чат \"Семья\" 😈",
 "skipme": {"deep": [1, 2, {"x": "}]\"{"}], "bad": tru},
 "messages": [
  {
   "id": 1,
   "text": "ends with a backslash \\",
   "nested": {"k": "]}"}
  },
  {"id": -999999999, "text": "\ud83d\ude08 \u2028 tab\t"},
  []
 ],
 "groups": [[{"id": 2}], [], [{"id": 3}, {"id": 4}]],
 "empty": {},
 "n": -1.5e3, "t": true, "f": false, "z": null
}`,
  'utf8',
);

function select(p: JsonPath): ScanAction {
  if (p.length === 0) return 'descend';
  const k = p[0];
  if (p.length === 1) return k === 'messages' || k === 'groups' || k === 'empty' ? 'descend' : k === 'skipme' ? 'skip' : 'value';
  if (k === 'groups' && p.length === 2) return 'descend';
  return 'value';
}

/** Events without their paths' identity, for deepEqual. */
function summary(events: ScanEvent[]): unknown[] {
  return events.map((e) =>
    e.kind === 'value'
      ? ['value', formatPath(e.path), e.value, e.offset, e.length]
      : e.kind === 'start'
        ? ['start', formatPath(e.path), e.container, e.offset]
        : ['end', formatPath(e.path), e.container, e.offset, e.length],
  );
}

const at = (needle: string, from = 0): number => DOC.indexOf(needle, from);

test('cuts the selected values, with exact offsets, and skips the rest', () => {
  const events = scanJsonBuffer(DOC, select);
  const kinds = events.map((e) => `${e.kind} ${formatPath(e.path)}`);
  assert.deepEqual(kinds, [
    'start (top level)',
    'value about',
    'value name',
    'start messages',
    'value messages[0]',
    'value messages[1]',
    'value messages[2]',
    'end messages',
    'start groups',
    'start groups[0]',
    'value groups[0][0]',
    'end groups[0]',
    'start groups[1]',
    'end groups[1]',
    'start groups[2]',
    'value groups[2][0]',
    'value groups[2][1]',
    'end groups[2]',
    'end groups',
    'start empty',
    'end empty',
    'value n',
    'value t',
    'value f',
    'value z',
    'end (top level)',
  ]);
  const values = new Map(events.flatMap((e) => (e.kind === 'value' ? [[formatPath(e.path), e.value] as const] : [])));
  assert.equal(values.get('about'), 'quotes " and backslashes \\ and \\" and {braces} [brackets] inside');
  assert.equal(values.get('name'), 'Чат "Семья" 😈');
  assert.deepEqual(values.get('messages[0]'), { id: 1, text: 'ends with a backslash \\', nested: { k: ']}' } });
  assert.deepEqual(values.get('messages[1]'), { id: -999999999, text: '😈 \u2028 tab\t' });
  assert.deepEqual(values.get('messages[2]'), []);
  assert.deepEqual(values.get('groups[2][1]'), { id: 4 });
  assert.equal(values.get('n'), -1500);
  assert.equal(values.get('t'), true);
  assert.equal(values.get('f'), false);
  assert.equal(values.get('z'), null);

  // Every value's bytes, cut from the document at offset..offset+length, parse to the value.
  for (const e of events) {
    if (e.kind === 'value') assert.deepEqual(JSON.parse(DOC.subarray(e.offset, e.offset + e.length).toString('utf8')), e.value);
  }
  const first = events.find((e) => e.kind === 'value' && formatPath(e.path) === 'messages[0]')!;
  assert.equal(first.offset, at('{\n   "id": 1'));
  const messagesEnd = events.find((e) => e.kind === 'end' && formatPath(e.path) === 'messages')!;
  assert.equal(messagesEnd.offset, at('[\n  {'));
  assert.equal(DOC[messagesEnd.offset + (messagesEnd as { length: number }).length - 1], 0x5d); // ']'
  const root = events[events.length - 1]!;
  assert.equal(root.kind === 'end' && root.offset + root.length, DOC.length);
});

test('gives identical events for every chunk size and every split position', () => {
  const base = summary(scanJsonBuffer(DOC, select));
  for (let size = 1; size <= 80; size++) {
    assert.deepEqual(summary(scanJsonBuffer(DOC, select, size)), base, `chunk size ${size}`);
  }
  for (let cut = 1; cut < DOC.length; cut++) {
    const scanner = new JsonScanner(select);
    const events = [...scanner.push(DOC.subarray(0, cut)), ...scanner.push(DOC.subarray(cut))];
    const last = scanner.end();
    if (last) events.push(last);
    assert.deepEqual(summary(events), base, `split at ${cut}`);
  }
});

test('a skipped value is never parsed (its invalid literal goes unnoticed)', () => {
  const events = scanJsonBuffer(DOC, select);
  assert.ok(!events.some((e) => formatPath(e.path).startsWith('skipme')));
  // Selecting it instead makes the invalid literal an error, at its exact offset.
  assert.throws(
    () => scanJsonBuffer(DOC, (p) => (p.length === 0 ? 'descend' : 'value')),
    (e: unknown) => e instanceof JsonScanError && !e.eof && e.offset === at('tru}') && formatPath(e.path) === 'skipme',
  );
});

test('handles a UTF-8 byte order mark, offsets still counting from byte 0 of the file', () => {
  const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), DOC]);
  const plain = scanJsonBuffer(DOC, select);
  for (const size of [1, 2, 3, 4, 7, withBom.length]) {
    const events = scanJsonBuffer(withBom, select, size);
    assert.equal(events.length, plain.length);
    events.forEach((e, i) => {
      assert.equal(e.offset, plain[i]!.offset + 3, `chunk size ${size}, event ${i}`);
      if (e.kind === 'value') assert.deepEqual(JSON.parse(withBom.subarray(e.offset, e.offset + e.length).toString()), e.value);
    });
  }
  // Half a BOM is not a BOM.
  assert.throws(
    () => scanJsonBuffer(Buffer.from([0xef, 0xbb, 0x7b, 0x7d]), select),
    (e: unknown) => e instanceof JsonScanError && e.offset === 2,
  );
});

test('every truncation is reported as end of file at the cut, naming the open value', () => {
  for (let cut = 0; cut < DOC.length; cut++) {
    const prefix = DOC.subarray(0, cut);
    for (const size of [1, 5, Math.max(1, cut)]) {
      assert.throws(
        () => scanJsonBuffer(prefix, select, size),
        (e: unknown) => e instanceof JsonScanError && e.eof && e.offset === cut,
        `cut at ${cut}, chunk size ${size}`,
      );
    }
  }
  // Inside the second message: the path and start name that message.
  const cut = at('tab') ;
  assert.throws(
    () => scanJsonBuffer(DOC.subarray(0, cut), select, 3),
    (e: unknown) =>
      e instanceof JsonScanError &&
      formatPath(e.path) === 'messages[1]' &&
      e.startOffset === at('{"id": -999999999') &&
      /unexpected end of file inside messages\[1\] \(started at byte \d+\)/.test(e.message),
  );
  // Between messages: the messages array itself.
  const between = at('{"id": -999999999');
  assert.throws(
    () => scanJsonBuffer(DOC.subarray(0, between), select),
    (e: unknown) => e instanceof JsonScanError && formatPath(e.path) === 'messages' && e.startOffset === at('[\n  {'),
  );
  assert.throws(
    () => scanJsonBuffer(Buffer.alloc(0), select),
    (e: unknown) => e instanceof JsonScanError && e.eof && /empty/.test(e.message),
  );
});

test('syntax errors carry the absolute offset and what was expected', () => {
  // A comma missing between two fields of a message (JSON.parse fails; the offset is mapped back).
  const missingComma = Buffer.from('{"messages": [\n  {"id": 1, "text": "Привет"},\n  {"id": 2 "text": "x"}\n]}');
  for (const size of [1, 3, missingComma.length]) {
    assert.throws(
      () => scanJsonBuffer(missingComma, select, size),
      (e: unknown) =>
        e instanceof JsonScanError &&
        !e.eof &&
        e.offset === missingComma.indexOf('"text": "x"') &&
        e.startOffset === missingComma.indexOf('{"id": 2') &&
        e.expected === `',' or '}'` &&
        formatPath(e.path) === 'messages[1]',
    );
  }
  // A colon missing in a descended object.
  const missingColon = Buffer.from('{"name" "X", "messages": []}');
  assert.throws(
    () => scanJsonBuffer(missingColon, select),
    (e: unknown) => e instanceof JsonScanError && e.offset === 8 && /':' after the key/.test(e.expected),
  );
  // Brackets that do not match, inside a skipped value.
  const mismatch = Buffer.from('{"skipme": {"a": [1, 2}, "about": "x"}');
  assert.throws(
    () => scanJsonBuffer(mismatch, select, 4),
    (e: unknown) => e instanceof JsonScanError && e.offset === mismatch.indexOf('}') && e.expected === `']'`,
  );
  // Data after the document.
  const trailing = Buffer.from('{"about": "x"}\n{"about": "y"}');
  assert.throws(
    () => scanJsonBuffer(trailing, select),
    (e: unknown) => e instanceof JsonScanError && e.offset === 15,
  );
  // A trailing comma in a descended array.
  const trailingComma = Buffer.from('{"messages": [{"id": 1},]}');
  assert.throws(
    () => scanJsonBuffer(trailingComma, select),
    (e: unknown) => e instanceof JsonScanError && e.offset === trailingComma.indexOf(']') && e.expected === 'a value',
  );
});

test('the pretty-print fast path never trusts a misleading closing line', () => {
  // The nested object closes at the message's own indentation: the guessed end is wrong and
  // must be rejected, falling back to the byte scan.
  const tricky = Buffer.from('{\n "messages": [\n  {\n   "a": {\n  },\n   "b": "x\\n  }"\n  }\n ]\n}');
  const events = scanJsonBuffer(tricky, select).filter((e) => e.kind === 'value');
  assert.equal(events.length, 1);
  assert.deepEqual(events[0]!.kind === 'value' && events[0]!.value, { a: {}, b: 'x\n  }' });
  assert.equal(events[0]!.offset + (events[0] as { length: number }).length, tricky.indexOf('\n ]'));
});

test('minified and tdesktop-indented documents give the same values', () => {
  const obj = { name: 'A', type: 'personal_chat', id: 5, messages: [{ id: 1, text: ['x', { type: 'phone', text: '+7 928 123 45 67' }] }, { id: 2, text: '' }] };
  const pick = (b: Buffer): unknown[] => scanJsonBuffer(b, select).flatMap((e) => (e.kind === 'value' ? [e.value] : []));
  const pretty = pick(Buffer.from(JSON.stringify(obj, null, 1)));
  assert.deepEqual(pretty, ['A', 'personal_chat', 5, obj.messages[0], obj.messages[1]]);
  assert.deepEqual(pick(Buffer.from(JSON.stringify(obj))), pretty);
  assert.deepEqual(pick(Buffer.from(JSON.stringify(obj, null, '\t'))), pretty);
});

test('a top-level primitive is a document too', () => {
  const events = scanJsonBuffer(Buffer.from(' 42 '), () => 'value');
  assert.deepEqual(summary(events), [['value', '(top level)', 42, 1, 2]]);
  const bare = scanJsonBuffer(Buffer.from('-7'), () => 'value', 1);
  assert.deepEqual(summary(bare), [['value', '(top level)', -7, 0, 2]]);
});

test('scanJsonFile reads a file in chunks and reports progress', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tl-scan-'));
  try {
    const file = join(dir, 'doc.json');
    writeFileSync(file, DOC);
    const seen: number[] = [];
    const events: ScanEvent[] = [];
    for await (const e of scanJsonFile(file, { select, chunkSize: 7, progress: (n) => seen.push(n) })) events.push(e);
    assert.deepEqual(summary(events), summary(scanJsonBuffer(DOC, select)));
    assert.equal(seen[seen.length - 1], DOC.length);
    assert.ok(seen.every((n, i) => i === 0 || n > seen[i - 1]!));

    const truncated = join(dir, 'cut.json');
    writeFileSync(truncated, DOC.subarray(0, 200));
    const scan = await JsonFileScanner.open(truncated, { select, chunkSize: 16 });
    await assert.rejects(
      (async () => {
        for (;;) {
          if (scan.next() === null && !(await scan.fill())) break;
        }
      })(),
      (e: unknown) => e instanceof JsonScanError && e.eof && e.offset === 200,
    );
    await scan.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a short file read whole by ingest is scanned from those bytes, and one read from disk with buffers no longer than it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tl-scan-'));
  try {
    const file = join(dir, 'result.json');
    writeFileSync(file, DOC);
    const input = await openInput(file);
    assert.ok(wholeFile(input) !== null);
    // The file changes after it was hashed: what is scanned is what was hashed, not the file now.
    writeFileSync(file, '{"messages": []}');
    const events: ScanEvent[] = [];
    for await (const e of scanJsonFile(input, { select, chunkSize: 7 })) events.push(e);
    assert.deepEqual(summary(events), summary(scanJsonBuffer(DOC, select)));

    // Read from disk, a short export takes read buffers of about its size (and a few KiB for a file
    // that grew), not two of the 4 MiB default: a folder of thousands of them allocated 8 MiB for each.
    writeFileSync(file, DOC);
    const allocated: number[] = [];
    const allocUnsafe = Buffer.allocUnsafe;
    Buffer.allocUnsafe = (size: number) => {
      allocated.push(size);
      return allocUnsafe(size);
    };
    const fromDisk: ScanEvent[] = [];
    try {
      for await (const e of scanJsonFile(file, { select })) fromDisk.push(e);
    } finally {
      Buffer.allocUnsafe = allocUnsafe;
    }
    assert.deepEqual(summary(fromDisk), summary(events));
    const total = allocated.reduce((a, b) => a + b, 0);
    assert.ok(total < 16 * 1024, `allocated ${total} bytes for a file of ${DOC.length}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('exports scanned one after another read into the buffers of the one before, and each scans as from memory', async () => {
  // A folder of thousands of Telegram chats: a pair of new read buffers per file, garbage at once,
  // made tens of MB of memory for the collector to find, and the C heap kept that size.
  const dir = mkdtempSync(join(tmpdir(), 'tl-scan-'));
  try {
    const files: { path: string; doc: Buffer }[] = [];
    for (let f = 0; f < 12; f++) {
      const messages = Array.from({ length: 700 + f * 10 }, (_, i) => ({
        id: f * 10_000 + i,
        text: `Сообщение ${i} из чата ${f}: "ты нигде не в безопасности" \\ [${'я'.repeat(i % 40)}]`,
        nested: { k: ']}' },
      }));
      const doc = Buffer.from(JSON.stringify({ about: `chat ${f}`, messages, groups: [], empty: {} }, null, 1), 'utf8');
      const path = join(dir, `chat-${f}.json`);
      writeFileSync(path, doc);
      files.push({ path, doc });
    }
    const biggest = Math.max(...files.map((f) => f.doc.length));
    assert.ok(biggest > 64 * 1024, 'long enough to be read from disk, not whole');
    const allocated: number[] = [];
    const allocUnsafe = Buffer.allocUnsafe;
    Buffer.allocUnsafe = (size: number) => {
      allocated.push(size);
      return allocUnsafe(size);
    };
    const scanned: ScanEvent[][] = [];
    try {
      for (const { path } of files) {
        const events: ScanEvent[] = [];
        for await (const e of scanJsonFile(path, { select, chunkSize: 32 * 1024 })) events.push(e);
        scanned.push(events);
      }
    } finally {
      Buffer.allocUnsafe = allocUnsafe;
    }
    files.forEach(({ doc }, i) => assert.deepEqual(summary(scanned[i]!), summary(scanJsonBuffer(doc, select)), `file ${i}`));
    const total = allocated.reduce((a, b) => a + b, 0);
    // Two buffers of a chunk each at most (and a few KiB for the heads), not two per file.
    assert.ok(total <= 2 * (32 * 1024 + 4096) + 16 * 1024, `allocated ${total} bytes for ${files.length} files`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('locateJsonError finds where a text stops being JSON', () => {
  assert.equal(locateJsonError('{"a": [1, 2]}'), null);
  assert.deepEqual(locateJsonError('{"a": tru}'), { index: 6, expected: 'a value', found: "'t'" });
  assert.deepEqual(locateJsonError('{"a": 1 "b": 2}'), { index: 8, expected: `',' or '}'`, found: `'"'` });
  assert.equal(locateJsonError('{"a": "x\ny"}')!.index, 8); // raw newline inside a string
  assert.equal(locateJsonError('["\\q"]')!.expected, 'a valid escape sequence');
  assert.equal(locateJsonError('{"a": 1')!.found, 'the end of the value');
});

test('formatPath', () => {
  assert.equal(formatPath([]), '(top level)');
  assert.equal(formatPath(['chats', 'list', 3, 'messages', 12]), 'chats.list[3].messages[12]');
  assert.equal(formatPath([0, 'a']), '[0].a');
});

test('a repair hook can rescue a value JSON.parse refuses; the event says so', () => {
  const doc = Buffer.from('{"messages": [{"id": 1, "text": "a\\x0Bb"}, {"id": 2, "text": "ok"}]}');
  assert.throws(() => scanJsonBuffer(doc, select), (e: unknown) => e instanceof JsonScanError && e.offset === doc.indexOf('\\x0B'));
  const repair = (t: string): string | null => (t.includes('\\x') ? t.replace('\\x', '\\u00') : null);
  for (const size of [1, 9, doc.length]) {
    const values = scanJsonBuffer(doc, select, size, { repair }).filter((e) => e.kind === 'value');
    assert.deepEqual(
      values.map((e) => e.kind === 'value' && [e.value, e.repaired === true]),
      [
        [{ id: 1, text: 'a\u000bb' }, true],
        [{ id: 2, text: 'ok' }, false],
      ],
    );
  }
  // A repair that does not help leaves the original error.
  assert.throws(
    () => scanJsonBuffer(doc, select, doc.length, { repair: () => '{' }),
    (e: unknown) => e instanceof JsonScanError && e.offset === doc.indexOf('\\x0B'),
  );
});
