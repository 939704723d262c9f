// messenger-json and instagram-json on fixtures/meta/ (see its README.md): threads of Meta's
// "Download your information", with Meta's mojibake, in their download folders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { instagramJsonReader, messengerJsonReader, repairMojibake } from '../src/readers/meta/meta-json.js';
import { fixturePath, messagesOf, readAll, runCli, scratchDir, warningsOf } from './helpers.js';

const IG_THREAD = fixturePath('meta', 'instagram-amina_k-2024-01-15', 'your_instagram_activity', 'messages', 'inbox', 'watcher77_17845678901234567');
const FB_THREAD = fixturePath('meta', 'facebook-amina.k-2024-01-15', 'your_facebook_activity', 'messages', 'inbox', 'watcher_1234567890');
const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

test('mojibake is repaired only where it is mojibake', () => {
  const moji = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');
  assert.equal(repairMojibake(moji('Амина, мы знаем ❤')), 'Амина, мы знаем ❤');
  assert.equal(repairMojibake('Au revoir, café.'), 'Au revoir, café.', 'Latin-1 text that is not UTF-8 bytes stays');
  assert.equal(repairMojibake('plain ASCII'), 'plain ASCII');
  assert.equal(repairMojibake('Амина'), 'Амина', 'text beyond Latin-1 is already right');
  assert.equal(repairMojibake(moji('Амина') + '\u00e9'), moji('Амина') + '\u00e9', 'bytes that are not valid UTF-8 stay as written');
});

test('an Instagram thread in two files reads as one chat, oldest first, each message citing its file', async () => {
  const events = await readAll(instagramJsonReader, join(IG_THREAD, 'message_1.json'));
  const parts = events.flatMap((e) => (e.type === 'part' ? [e.part] : []));
  const second = join(IG_THREAD, 'message_2.json');
  assert.deepEqual(parts.map((p) => [p.path.split('/').pop(), p.sha256]), [['message_2.json', sha256(second)]]);
  const messages = messagesOf(events);
  assert.deepEqual(
    messages.map((m) => [m.source.messageId, m.kind, m.sender?.name, m.text]),
    [
      ['message_2.json#1', 'text', 'watcher77', 'Амина, мы знаем, где живёт твоя мать.'],
      ['message_2.json#0', 'media', 'watcher77', ''],
      ['message_1.json#3', 'text', 'watcher77', 'Узнаёшь?'],
      ['message_1.json#2', 'deleted', 'watcher77', ''],
      ['message_1.json#1', 'text', 'watcher77', 'Ты нигде не в безопасности ❤'],
      ['message_1.json#0', 'text', 'Амина', 'Au revoir, café.'],
    ],
  );
  const times = messages.map((m) => m.time.utc!);
  assert.deepEqual([...times].sort(), times, 'in time order');
  assert.equal(messages[0]!.time.basis, 'instant');
  assert.equal(messages[0]!.source.sha256, sha256(second));
  assert.equal(messages[5]!.source.sha256, sha256(join(IG_THREAD, 'message_1.json')));
  assert.equal(messages[0]!.platform, 'instagram');
  assert.deepEqual(messages[2]!.links, [{ text: '', href: 'https://www.instagram.com/p/C2abcDEF123/', kind: 'text-link' }]);
  const photo = messages[1]!.media[0]!;
  assert.deepEqual([photo.kind, photo.sha256], ['photo', sha256(join(IG_THREAD, 'photos', '17990000000000000.jpg'))]);
  assert.deepEqual(warningsOf(events), []);
});

test('a Messenger thread: calls, stickers, and a media path out of the download refused', async () => {
  const events = await readAll(messengerJsonReader, join(FB_THREAD, 'message_1.json'));
  const messages = messagesOf(events);
  assert.deepEqual(
    messages.map((m) => [m.kind, m.platform]),
    [
      ['text', 'messenger'],
      ['sticker', 'messenger'],
      ['call', 'messenger'],
      ['media', 'messenger'],
    ],
  );
  assert.equal(messages[3]!.media[0]!.missing, 'unsafe-path');
  assert.deepEqual(
    warningsOf(events).map((w) => w.code),
    ['media-not-found', 'media-path-outside-export'],
  );
});

test('the app is the download\'s: a thread copied out of it, or a later file alone, is refused with what to do', async () => {
  const loose = await runCli(['messages', fixturePath('meta', 'loose-thread')]);
  assert.equal(loose.code, 1);
  assert.match(loose.stderr, /loose-thread\/message_1\.json: unrecognised format/);
  assert.match(loose.stderr, /app cannot be told from its file: ingest it inside its download/);
  const later = await runCli(['messages', join(IG_THREAD, 'message_2.json')]);
  assert.equal(later.code, 1);
  assert.match(later.stderr, /a later file of a Messenger or Instagram thread: it is read with the thread's message_1\.json/);
});

test('ingest of a download: both threads land, the second file is evidence of its thread, media is not loose', async () => {
  const dir = join(scratchDir('meta'), 'case');
  const r = await runCli(['ingest', '--case', dir, '--victim', 'amina', fixturePath('meta', 'instagram-amina_k-2024-01-15'), fixturePath('meta', 'facebook-amina.k-2024-01-15'), '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const items = (JSON.parse(r.stdout) as { items: { path: string; status: string; reader: string | null }[] }).items;
  assert.deepEqual(
    items.map((i) => [i.path.split('/').pop(), i.status, i.reader]),
    [
      ['message_1.json', 'ingested', 'messenger-json'],
      ['message_1.json', 'ingested', 'instagram-json'],
    ],
  );
  const manifest = JSON.parse(readFileSync(join(dir, 'evidence-manifest.json'), 'utf8')) as { files: { path: string; role: string }[] };
  assert.deepEqual(
    manifest.files.filter((f) => f.role !== 'export').map((f) => [f.path.split('/').pop(), f.role]),
    [
      ['message_2.json', 'export-part'],
      ['17990000000000000.jpg', 'media'],
    ],
  );
});
