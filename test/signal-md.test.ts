// signal-md reader on fixtures/signal/signal-export/ (see ../README.md): a chat exported by
// signal-export as Markdown, with a quote, an attachment, reactions, a deleted message and a body
// line that imitates a message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signalMdReader } from '../src/readers/signal/signal-md.js';
import { findReader } from '../src/readers/registry.js';
import { fixturePath, messagesOf, readAll, runCli, scratchDir, warningsOf } from './helpers.js';

const CHAT_DIR = fixturePath('signal', 'signal-export', 'Служба');
const CHAT = join(CHAT_DIR, 'chat.md');

test('sniffing: signal-export Markdown is Signal; WhatsApp iOS and Android exports are not', () => {
  assert.equal(findReader(readFileSync(CHAT), 'chat.md'), signalMdReader);
  assert.equal(signalMdReader.sniff(Buffer.from('[2022-01-20, 18:16] Me: hi\n'), 'x.md'), true, 'older signal-export: a comma, no seconds');
  assert.equal(signalMdReader.sniff(Buffer.from('[2022-01-20, 18:16:05] Boris: hi\n'), 'x.txt'), false, 'comma and seconds: WhatsApp iOS');
  assert.equal(signalMdReader.sniff(Buffer.from('[20.01.22, 18:16:05] Boris: hi\n'), '_chat.txt'), false);
  assert.equal(signalMdReader.sniff(readFileSync(fixturePath('sample-case', 'elena', 'WhatsApp Chat with +7 999 765 43 21.txt')), 'a.txt'), false);
});

test('messages: Me is the victim, quotes and reactions are not text, attachments resolved in media/, deleted marked', async () => {
  const events = await readAll(signalMdReader, CHAT, { tz: 'Europe/Moscow' });
  const messages = messagesOf(events);
  assert.deepEqual(
    messages.map((m) => [m.source.line, m.kind, m.sender?.name, m.outgoing, m.text]),
    [
      [1, 'text', 'Служба', false, 'Фатима, мы знаем, где живёт твоя мать.\nТы нигде не в безопасности.'],
      [4, 'text', 'Me', true, 'Кто вы? Что вам нужно?'],
      [6, 'media', 'Служба', false, 'Узнаёшь подъезд?'],
      [13, 'deleted', 'Служба', false, ''],
      [15, 'text', 'Служба', false, 'Последнее предупреждение.\n[2022-01-20 08:00:00] Мама: Доченька, напиши им всё, что они просят.'],
      [18, 'text', 'Me', true, 'Я написала в полицию.'],
    ],
  );
  assert.deepEqual(messages[0]!.time, { utc: '2022-01-20T15:16:05Z', local: '2022-01-20T18:16:05', basis: 'zone', zone: 'Europe/Moscow' });
  const photo = messages[2]!.media[0]!;
  const file = join(CHAT_DIR, 'media', '2022-01-20T18-22-10.512_00_IMG_0420.jpg');
  assert.deepEqual([photo.kind, photo.sha256], ['photo', createHash('sha256').update(readFileSync(file)).digest('hex')]);
  assert.equal(messages[2]!.action, 'quote');
  assert.deepEqual(
    warningsOf(events).map((w) => [w.code, w.line]),
    [['signal-header-in-body', 16]],
  );
  assert.equal(messages[0]!.chat.name, 'Служба', 'the chat is named after its folder');
});

test('ingest of a signal-export folder: chat.md read, data.json beside it kept as a part of the export, nothing rejected', async () => {
  const dir = join(scratchDir('signal-md'), 'case');
  const r = await runCli(['ingest', '--case', dir, '--victim', 'fatima', fixturePath('signal', 'signal-export')]);
  assert.equal(r.code, 0, r.stderr);
  const manifest = JSON.parse(readFileSync(join(dir, 'evidence-manifest.json'), 'utf8')) as { files: { path: string; role: string }[]; rejected: unknown[] };
  assert.deepEqual(
    manifest.files.map((f) => [f.path.split('/').pop(), f.role]),
    [
      ['chat.md', 'export'],
      ['data.json', 'export-part'],
      ['2022-01-20T18-22-10.512_00_IMG_0420.jpg', 'media'],
    ],
  );
  assert.deepEqual(manifest.rejected, []);
});
