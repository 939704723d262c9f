// Numbers read on the extraction thread while an export is read are the numbers the phone stage
// finds itself: the same matches, offsets, extensions, regions used and caps, row by row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { PhonePrefetch, PREFETCH_AFTER } from '../src/ingest/phone-prefetch.js';
import { PHONE_SIGHTINGS_PER_MESSAGE } from '../src/ingest/phone-stage.js';
import { extractPhonesCapped } from '../src/phone/index.js';
import { openCase } from '../src/store/case.js';
import { runCli, scratchDir } from './helpers.js';

/** Message texts of every kind the extractor meets: none, national, international, extensions, lists, dates. */
function texts(n: number): string[] {
  const shapes = [
    (i: number) => `Перезвони 8 (928) ${100 + (i % 900)}-45-67, иначе пожалеешь`,
    (i: number) => `Call +44 7911 ${String(100000 + i).slice(-6)} or +7 916 555-${String(i % 100).padStart(2, '0')}-23 доб. ${i % 1000}`,
    () => 'Мы знаем, где живёт твоя мать. Ты нигде не в безопасности.',
    (i: number) => `Заказ № 7707083893 от 12.03.2024, ИНН 7707083893, тел. 8-495-${String(1000000 + i).slice(-7)}`,
    (i: number) => `Номера: +7 912 345-67-${String(i % 100).padStart(2, '0')}, +7 912 345-68-${String(i % 100).padStart(2, '0')}; 8 800 555 35 35`,
    () => '',
  ];
  return Array.from({ length: n }, (_, i) => shapes[i % shapes.length]!(i));
}

test('the extraction thread gives each row what extractPhonesCapped gives, caps included; rows it did not read are null', async () => {
  // Started after 500 texts (PREFETCH_AFTER in ingest), then batches of 2,000 and a last short one.
  const all = texts(2700);
  // One text over the cap: more numbers than are recorded per message.
  all[2321] = Array.from({ length: PHONE_SIGHTINGS_PER_MESSAGE + 40 }, (_, k) => `+7 928 ${String(1000000 + k).slice(-7)}`).join(', ');
  const prefetch = new PhonePrefetch('RU', PHONE_SIGHTINGS_PER_MESSAGE, 500);
  // Row ids as an export's are: increasing, not contiguous (merged copies leave gaps).
  const rowids = all.map((_, i) => 1000 + 3 * i);
  all.forEach((text, i) => prefetch.add(rowids[i]!, text));
  prefetch.finish();
  let rows = 0;
  for (const [i, text] of all.entries()) {
    if (i % 7 === 3) continue; // rows the phone stage never asks for (merged away)
    const got = await prefetch.take(rowids[i]!, text);
    assert.ok(got !== null, `row ${i} was read on the thread`);
    assert.deepEqual(got, extractPhonesCapped(text, { region: 'RU', limit: PHONE_SIGHTINGS_PER_MESSAGE }), `row ${i}: ${text.slice(0, 60)}`);
    rows++;
  }
  assert.ok(rows > 2000);
  assert.equal(await prefetch.take(999_999_999, 'x'), null, 'a row past the last batch');
});

test('a short export starts no thread: every row is left to the phone stage', async () => {
  const prefetch = new PhonePrefetch('RU', PHONE_SIGHTINGS_PER_MESSAGE);
  texts(100).forEach((text, i) => prefetch.add(i + 1, text));
  prefetch.finish();
  assert.equal(await prefetch.take(1, texts(1)[0]!), null);
});

test('ingest with --region records per message exactly the numbers extractPhonesCapped finds; a long chat exported twice: numbers and full-text entries recorded while reading go with the copies merged away', async () => {
  // The reader waits on the thread once six batches are unanswered (PREFETCH_AFTER texts, then
  // batches of 2,000, four in flight): by then the first batch's rows have their numbers recorded
  // and their texts indexed, before the export's copies are merged away at its end.
  const dir = scratchDir('prefetch-merge');
  const all = texts(PREFETCH_AFTER + 8 * 2000);
  const line = (text: string, i: number): string => {
    const minute = i % 60;
    const hour = Math.floor(i / 60) % 24;
    const day = 1 + (Math.floor(i / 1440) % 28);
    return `${String(day).padStart(2, '0')}/03/2024, ${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')} - ${i % 2 ? 'Борис' : 'Мама'}: ${text || 'ok'}`;
  };
  // The first export: the chat's first 3,000 messages, read without a region (its national numbers
  // are not read, so the numbers the second export reads in those messages are held by no other).
  const first = join(dir, 'first', 'WhatsApp Chat with Борис.txt');
  const second = join(dir, 'second', 'WhatsApp Chat with Борис.txt');
  mkdirSync(join(dir, 'first'));
  mkdirSync(join(dir, 'second'));
  writeFileSync(first, all.slice(0, 3000).map(line).join('\n') + '\n');
  writeFileSync(second, all.map(line).join('\n') + '\n');
  const caseDir = join(dir, 'case');
  const one = await runCli(['ingest', '--case', caseDir, first, '--victim', 'vera', '--tz', 'Europe/Moscow']);
  assert.equal(one.code, 0, one.stderr);
  const two = await runCli(['ingest', '--case', caseDir, second, '--victim', 'vera', '--tz', 'Europe/Moscow', '--region', 'RU', '--format', 'json']);
  assert.equal(two.code, 0, two.stderr);
  const outcome = (JSON.parse(two.stdout) as { items: { messages: number; overlaps: { shared: number }[] }[] }).items[0]!;
  assert.equal(outcome.overlaps[0]!.shared, 3000);
  assert.equal(outcome.messages, all.length - 3000);

  const handle = openCase(caseDir, { create: false, access: 'read' });
  try {
    const db = handle.db;
    assert.equal(db.prepare('SELECT count(*) FROM messages').pluck().get(), all.length);
    // Every sighting is of a message still in the case; the first export's messages keep theirs
    // (none of its national numbers were read), the second's rows have what their text holds.
    assert.equal(db.prepare('SELECT count(*) FROM message_phones WHERE message_rowid NOT IN (SELECT rowid FROM messages)').pluck().get(), 0);
    const secondRows = db.prepare('SELECT rowid, text FROM messages WHERE export_id = 2 ORDER BY rowid').all() as { rowid: number; text: string }[];
    const sightings = db
      .prepare("SELECT message_rowid, e164, raw, start, end, ext, region_used FROM message_phones WHERE role = 'text' ORDER BY message_rowid, rowid")
      .all() as { message_rowid: number; e164: string; raw: string; start: number; end: number; ext: string | null; region_used: string | null }[];
    const byRow = new Map<number, typeof sightings>();
    for (const s of sightings) byRow.set(s.message_rowid, [...(byRow.get(s.message_rowid) ?? []), s]);
    let numbers = 0;
    for (const m of secondRows) {
      const expected = extractPhonesCapped(m.text, { region: 'RU', limit: PHONE_SIGHTINGS_PER_MESSAGE }).matches.map((x) => ({
        message_rowid: m.rowid, e164: x.e164, raw: x.raw, start: x.start, end: x.end, ext: x.ext, region_used: x.regionUsed,
      }));
      assert.deepEqual(byRow.get(m.rowid) ?? [], expected, m.text);
      numbers += expected.length;
    }
    assert.ok(numbers > secondRows.length / 2, `${numbers} numbers in ${secondRows.length} messages`);
    // No number fact is left that only a copy merged away held ('8 (928) 1xx-45-67' is in the first 3,000 only as a national number).
    assert.equal(db.prepare('SELECT count(*) FROM phones WHERE e164 NOT IN (SELECT e164 FROM message_phones)').pluck().get(), 0);
    // The full-text index agrees with the table, and finds each message once.
    db.prepare("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')").run();
    const inText = db.prepare("SELECT count(*) FROM messages WHERE text LIKE '%пожалеешь%'").pluck().get();
    assert.equal(db.prepare("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'пожалеешь'").pluck().get(), inText);
    assert.equal(inText, Math.ceil(all.length / 6));
  } finally {
    handle.close();
  }
});
