// The .zip reader: chat text and media read in place from the archive, unsafe entry names set
// aside, and zip bombs refused by declared sizes, ratios and the bytes actually inflated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { createWhatsappZipReader, whatsappZipReader } from '../src/readers/whatsapp/whatsapp-zip.js';
import { whatsappTxtReader } from '../src/readers/whatsapp/whatsapp-txt.js';
import { DEFAULT_ZIP_LIMITS } from '../src/readers/kit/zip-archive.js';
import { openInput } from '../src/ingest/input.js';
import { InputError } from '../src/util/errors.js';
import { fixturePath, messagesOf, readAll, warningsOf } from './helpers.js';

const wa = (...p: string[]): string => fixturePath('whatsapp', ...p);
const ZIP = wa('zip', 'WhatsApp Chat - Boris Petrov.zip');
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** The bytes of one entry, read with a tiny zip parser of the test's own (stored or deflated). */
function entryBytes(zipFile: string, name: string): Buffer {
  const zip = readFileSync(zipFile);
  let pos = 0;
  while (zip.readUInt32LE(pos) === 0x04034b50) {
    const method = zip.readUInt16LE(pos + 8);
    const size = zip.readUInt32LE(pos + 18);
    const nameLength = zip.readUInt16LE(pos + 26);
    const extra = zip.readUInt16LE(pos + 28);
    const start = pos + 30 + nameLength + extra;
    if (zip.toString('utf8', pos + 30, pos + 30 + nameLength) === name) {
      const data = zip.subarray(start, start + size);
      return method === 0 ? data : inflateRawSync(data);
    }
    pos = start + size;
  }
  throw new Error(`no entry ${name}`);
}

test('zip export: chat from _chat.txt, photo hashed from the archive, owner from the zip name', async () => {
  const events = await readAll(whatsappZipReader, ZIP, { tz: 'Europe/Berlin' });
  const info = events[0]!;
  assert.equal(info.type, 'export');
  if (info.type !== 'export') return;
  assert.equal(info.info.reader, 'whatsapp-zip');
  assert.equal(info.info.ownerName, 'Anna');
  assert.equal(info.info.facts.ownerSource, 'file-name');
  assert.equal(info.info.facts.chatEntry, '_chat.txt');
  const zipSha = sha(readFileSync(ZIP));
  assert.deepEqual(events[1], { type: 'chat', chat: { id: `whatsapp:${zipSha.slice(0, 12)}`, name: 'Boris Petrov', platform: 'whatsapp', type: 'chat' } });
  const msgs = messagesOf(events);
  assert.deepEqual(msgs.map((m) => m.kind), ['service', 'media', 'media', 'text', 'text']);
  assert.equal(msgs[0]!.action, 'encryption-notice');
  assert.equal(msgs[0]!.sender, null);
  const photoBytes = entryBytes(ZIP, '00000003-PHOTO-2024-03-12-10-01-00.jpg');
  assert.equal(photoBytes.subarray(0, 2).toString('hex'), 'ffd8');
  assert.deepEqual(msgs[1]!.media, [
    {
      kind: 'photo',
      name: '00000003-PHOTO-2024-03-12-10-01-00.jpg',
      path: `${ZIP}!00000003-PHOTO-2024-03-12-10-01-00.jpg`,
      sha256: sha(photoBytes),
      size: photoBytes.length,
      missing: null,
      mime: 'image/jpeg',
    },
  ]);
  assert.equal(msgs[2]!.media[0]!.missing, 'not-found');
  assert.equal(msgs[2]!.media[0]!.kind, 'video');
  assert.equal(msgs[3]!.text, 'Stop sending me this.\nPlease.');
  assert.equal(msgs[3]!.outgoing, true);
  assert.equal(msgs[4]!.outgoing, false);
  assert.equal(msgs[4]!.time.utc, '2024-03-13T21:00:00Z');
  // Provenance: inside the entry, which is hashed too.
  const chat = entryBytes(ZIP, '_chat.txt');
  for (const m of msgs) {
    assert.equal(m.source.file, ZIP);
    assert.equal(m.source.sha256, zipSha);
    assert.equal(m.source.entry, '_chat.txt');
    assert.equal(m.source.entrySha256, sha(chat));
  }
  const anna = msgs[3]!.source;
  assert.equal(anna.line, 4);
  assert.equal(chat.subarray(anna.offset!, anna.offset! + anna.length!).toString(), '[12.03.24, 10:03:00] Anna: Stop sending me this.\nPlease.\n');
});

test('zip: entries named ../evil.txt or /etc/... are never used, and reported', async () => {
  const events = await readAll(whatsappZipReader, wa('zip-evil-path.zip'));
  const unusable = warningsOf(events).filter((w) => w.code === 'zip-entry-unusable');
  assert.equal(unusable.length, 2);
  assert.match(unusable[0]!.message, /"\.\.\/evil\.txt".*unsafe path/);
  assert.match(unusable[1]!.message, /"\/etc\/evil\.jpg".*absolute/);
  assert.deepEqual(messagesOf(events).map((m) => m.text), ['hello', 'hi']);
  assert.equal(events[0]!.type, 'export');
});

test('zip bomb by ratio: refused before anything is inflated, naming entry and limit', async () => {
  await assert.rejects(readAll(whatsappZipReader, wa('zip-bomb-ratio.zip')), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.equal(e.file, wa('zip-bomb-ratio.zip'));
    assert.equal(e.position.entry, '00000009-PHOTO-2024-03-12-10-00-00.jpg');
    assert.match(e.message, /ratio above the limit of 200:1/);
    return true;
  });
});

test('zip bomb with lying headers: the bytes actually inflated are enforced', async () => {
  await assert.rejects(readAll(whatsappZipReader, wa('zip-bomb-lying.zip')), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.equal(e.position.entry, '00000009-PHOTO-2024-03-12-10-00-00.jpg');
    assert.match(e.message, /does not inflate to the 100000 bytes its header declares/);
    return true;
  });
});

test('zip limits are enforced as configured (chat text size, entry size, ratio)', async () => {
  const small = createWhatsappZipReader({ ...DEFAULT_ZIP_LIMITS, maxChatBytes: 100 });
  await assert.rejects(readAll(small, ZIP), (e: unknown) => e instanceof InputError && e.position.entry === '_chat.txt' && /limit of 100 bytes/.test(e.message));
  const tinyEntries = createWhatsappZipReader({ ...DEFAULT_ZIP_LIMITS, maxEntryBytes: 200 });
  await assert.rejects(readAll(tinyEntries, ZIP), (e: unknown) => e instanceof InputError && /more than the limit of 200 bytes/.test(e.message));
  const strictRatio = createWhatsappZipReader({ ...DEFAULT_ZIP_LIMITS, maxRatio: 1.2, ratioFloorBytes: 0 });
  await assert.rejects(readAll(strictRatio, ZIP), (e: unknown) => e instanceof InputError && e.position.entry === '_chat.txt' && /ratio/.test(e.message));
  const total = createWhatsappZipReader({ ...DEFAULT_ZIP_LIMITS, maxTotalBytes: 500 });
  await assert.rejects(readAll(total, ZIP), (e: unknown) => e instanceof InputError && /in total/.test(e.message));
});

test('not a zip, or a zip without chat text: InputError', async () => {
  await assert.rejects(readAll(whatsappZipReader, wa('android-en-gb-24h.txt')), (e: unknown) => e instanceof InputError && /not a readable zip/.test(e.message));
});

test('sniff: WhatsApp zips by content; text files and other zips not', async () => {
  for (const name of ['zip/WhatsApp Chat - Boris Petrov.zip', 'zip-evil-path.zip', 'zip-bomb-ratio.zip']) {
    const input = await openInput(wa(name));
    assert.equal(whatsappZipReader.sniff(input.head, 'renamed.zip'), true, name);
    assert.equal(whatsappTxtReader.sniff(input.head, name), false, name);
  }
  const text = await openInput(wa('android-en-gb-24h.txt'));
  assert.equal(whatsappZipReader.sniff(text.head, 'x.zip'), false);
  // A zip whose first entry is an unrelated text file, under a neutral name.
  const other = Buffer.concat([Buffer.from('504b0304140000000000', 'hex'), Buffer.alloc(8), Buffer.from([5, 0, 0, 0, 5, 0, 0, 0, 9, 0, 0, 0]), Buffer.from('notes.txthello')]);
  assert.equal(whatsappZipReader.sniff(other, 'notes.zip'), false);
  assert.equal(whatsappZipReader.sniff(other, 'WhatsApp Chat - Lena.zip'), true);
});
