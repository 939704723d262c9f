import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Chalk } from 'chalk';
import stringWidth from 'string-width';
import { displayWidth, renderCsv, renderJson, renderJsonl, renderTable, tableChunks, type Listing } from '../src/output/listing.js';
import { prettyJsonChunks } from '../src/util/json-stream.js';

interface Row { name: string; n: number }
const listing = (items: Row[]): Listing<Row> => ({
  kind: 'rows',
  items,
  toJson: (r) => ({ name: r.name, n: r.n }),
  columns: [
    { header: 'name', value: (r) => r.name, flex: true },
    { header: 'n', value: (r) => r.n, align: 'right' },
  ],
});

test('streamed JSON equals JSON.stringify of the whole document', () => {
  for (const items of [[], [{ name: 'a', n: 1 }], [{ name: 'Мама', n: 2 }, { name: 'x"y', n: 3 }]]) {
    const streamed = [...renderJson(listing(items))].join('');
    const whole = JSON.stringify({ schema: 'threatlens/v1', kind: 'rows', items: items.map((r) => ({ name: r.name, n: r.n })) }, null, 2) + '\n';
    assert.equal(streamed, whole);
  }
});

test('a document of several lists, written item by item, equals JSON.stringify of the whole (the evidence manifest)', () => {
  const files = [
    { path: 'anna/ChatExport_2026-03-01/result.json', size: 48213, sha256: 'ab'.repeat(32), role: 'export', ingestedAt: '2026-03-02T10:00:00Z' },
    { path: 'boris/WhatsApp Chat with Мама.txt', size: 912, sha256: 'cd'.repeat(32), role: 'export', ingestedAt: '2026-03-02T10:00:01Z' },
  ];
  const custody = [{ id: 1, arguments: ['ingest', 'x'], counts: { exports: 2, nested: { a: [] as number[] } }, note: null }];
  for (const rejected of [[], [{ path: 'c/notes.docx', reason: 'no reader', size: null }]]) {
    for (const listed of [files, []]) {
      const head = { schema: 'threatlens/evidence-manifest/v1', tool: 'threatlens 0.1.0', examiner: null };
      const streamed = [...prettyJsonChunks(head, [['files', listed.values()], ['rejected', rejected], ['custody', custody]])].join('');
      assert.equal(streamed, JSON.stringify({ ...head, files: listed, rejected, custody }, null, 2) + '\n');
    }
  }
  // What a terminal would act on is escaped, and the text still parses to the same path.
  const bidi = [...prettyJsonChunks({ schema: 's' }, [['files', [{ path: 'txt.\u202egpj' }]]])].join('');
  assert.doesNotMatch(bidi, /\u202e/);
  assert.equal((JSON.parse(bidi) as { files: { path: string }[] }).files[0]!.path, 'txt.\u202egpj');
  assert.throws(() => [...prettyJsonChunks({}, [])], /at least one field/);
});

test('JSONL is one item per line', () => {
  assert.equal([...renderJsonl(listing([{ name: 'a', n: 1 }, { name: 'b', n: 2 }]))].join(''), '{"name":"a","n":1}\n{"name":"b","n":2}\n');
});

test('CSV has a header and guarded cells', () => {
  const csv = [...renderCsv(listing([{ name: '=cmd()', n: 1 }, { name: 'a,b', n: 2 }]))].join('');
  assert.equal(csv, `name,n\n'=cmd(),1\n"a,b",2\n`);
});

test('a table of 300,000 rows is written line by line, aligned to its widest cell (a million messages overflowed the stack: Math.max over every cell)', () => {
  const rows = Array.from({ length: 300_000 }, (_, i) => ({ name: i === 277_777 ? 'Доброжелатель' : `u${i % 1000}`, n: i * 3 + 2 }));
  let lines = 0;
  let first = '';
  let last = '';
  let longest = 0;
  for (const chunk of tableChunks(listing(rows), { chalk: new Chalk({ level: 0 }), width: 40 })) {
    for (const line of chunk.split('\n')) {
      if (line === '') continue;
      if (lines === 0) first = line;
      last = line;
      longest = Math.max(longest, line.length);
      lines++;
    }
  }
  assert.equal(lines, 300_001);
  // The widths are those of the widest cells: a two-row table of them has the same header and rows.
  const small = renderTable(listing([{ name: 'Доброжелатель', n: 899_999 }, { name: 'u999', n: 899_999 }]), { chalk: new Chalk({ level: 0 }), width: 40 }).split('\n');
  assert.equal(first, small[0]);
  assert.equal(last, small[2]);
  assert.ok(longest <= 40);
});

test('tables are aligned, truncated to width and free of escapes', () => {
  const table = renderTable(listing([{ name: 'x'.repeat(100), n: 1 }, { name: 'evil\u001b[2Jname', n: 22 }]), {
    chalk: new Chalk({ level: 0 }),
    width: 30,
  });
  const lines = table.trimEnd().split('\n');
  assert.equal(lines.length, 3);
  assert.ok(lines.every((l) => l.length <= 30), table);
  assert.match(lines[1]!, /…/);
  assert.doesNotMatch(table, /\u001b/);
  assert.match(lines[2]!, /^evilname\s+22$/);
});

test('display width: the fast path agrees with string-width on every character it takes, and defers on the rest', () => {
  // Every code point of the Latin, Greek and Cyrillic blocks and of General Punctuation, alone and in a line of text.
  const codePoints = [...Array(0x600).keys(), ...Array.from({ length: 0x130 }, (_, i) => 0x2000 + i)];
  for (const cp of codePoints) {
    const ch = String.fromCodePoint(cp);
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp === 0x2028 || cp === 0x2029) continue; // controls and line breaks: cells are terminal-safe before they are measured
    assert.equal(displayWidth(ch), stringWidth(ch), `U+${cp.toString(16).padStart(4, '0')}`);
    assert.equal(displayWidth(`Мы знаем ${ch} где ты`), stringWidth(`Мы знаем ${ch} где ты`), `U+${cp.toString(16)} in text`);
  }
  // Wide, joined and invisible characters take string-width's way.
  // Each run outside the fast path is measured on its own, with the character before it: keycaps,
  // accents on a Latin letter, joined and flagged emoji, Hangul, CJK and Arabic amid narrow text.
  for (const text of ['刀', '👨‍👩‍👧', 'e\u0301', 'soft\u00adhyphen', 'zero\u200bwidth', '✅ готово', 'й\u0483', 'code 1\ufe0f\u20e3 now #\ufe0f\u20e3',
    'Мама 👨‍👩‍👧 и 🇷🇺🇺🇦 флаги ✌🏽 ok', 'x\u0301\u0302 y\u0308', '한국어 텍스트 각', '日本 и 中文', 'تهديد 🙂 угроза', 'a\u200db', '\u2066x\u2069 ✅✅']) {
    assert.equal(displayWidth(text), stringWidth(text), JSON.stringify(text));
  }
  assert.equal(displayWidth('刀刀'), 4);
});
