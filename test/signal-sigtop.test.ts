// sigtop-text reader on fixtures/signal/sigtop/ (see its README.md): a Signal Desktop conversation as
// sigtop writes it with -f text, with a body that imitates another message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSigtopTime, sigtopTextReader } from '../src/readers/signal/sigtop-text.js';
import { findReader } from '../src/readers/registry.js';
import { fixturePath, messagesOf, readAll, runCli, scratchDir, warningsOf } from './helpers.js';

const CHAT = fixturePath('signal', 'sigtop', 'Служба (+79281234567).txt');

test('sniffing: a sigtop text export is Signal, not WhatsApp; other text is not sigtop', () => {
  assert.equal(findReader(readFileSync(CHAT), 'Служба (+79281234567).txt'), sigtopTextReader);
  assert.equal(sigtopTextReader.sniff(Buffer.from('Conversation: x\n\nhello\n'), 'a.txt'), false);
  assert.equal(sigtopTextReader.sniff(readFileSync(fixturePath('sample-case', 'elena', 'WhatsApp Chat with +7 999 765 43 21.txt')), 'a.txt'), false);
});

test('messages as sigtop writes them: senders by number, You, quotes, attachments, edits, system rows', async () => {
  const events = await readAll(sigtopTextReader, CHAT);
  const chat = events.find((e) => e.type === 'chat');
  assert.deepEqual(chat?.type === 'chat' && { name: chat.chat.name, platform: chat.chat.platform }, { name: 'Служба', platform: 'signal' });
  const messages = messagesOf(events);
  assert.deepEqual(
    messages.map((m) => [m.source.line, m.kind, m.sender?.key.replace(/^name:[0-9a-f]{12}:/, 'name:…:') ?? null, m.outgoing]),
    [
      [3, 'text', 'phone:+79281234567', false],
      [11, 'text', 'name:…:You', true],
      [17, 'media', 'phone:+79281234567', false],
      [31, 'text', 'phone:+79281234567', false],
      [47, 'service', null, null],
      [50, 'call', 'phone:+79281234567', null],
      [55, 'text', 'phone:+79281234567', false],
      [69, 'text', 'name:…:You', true],
    ],
  );
  const [first, , photo, edited, keychange] = messages;
  assert.equal(first!.text, 'Фатима, мы знаем, где живёт твоя мать.\nТы нигде не в безопасности.');
  assert.deepEqual(first!.time, { utc: '2022-01-20T15:16:05Z', local: '2022-01-20T18:16:05', basis: 'instant', zone: '+03:00' });
  assert.deepEqual(first!.sender, { key: 'phone:+79281234567', name: 'Служба', raw: 'Служба (+79281234567)', phone: '+79281234567' });
  // The quote is not the message's text; the attachment is named, its file exported apart.
  assert.equal(photo!.text, 'Узнаёшь подъезд? Перезвони на +7 928 123-45-67.');
  assert.deepEqual(photo!.media, [{ kind: 'photo', name: '', path: null, sha256: null, size: 53211, missing: 'not-included', mime: 'image/jpeg' }]);
  assert.equal(edited!.edited, true);
  assert.equal(edited!.text, 'У тебя есть время до пятницы.', 'the newest version');
  assert.equal(keychange!.action, 'keychange');
  assert.equal(keychange!.time.utc, '2022-01-21T06:02:00Z', 'a system row without Sent is dated by Received');
  for (const m of messages) assert.equal(m.source.sha256.length, 64);
});

test('a body imitating a message header dated before it stays that body, with a warning', async () => {
  const events = await readAll(sigtopTextReader, CHAT);
  const messages = messagesOf(events);
  assert.ok(!messages.some((m) => m.sender?.name === 'Мама'), 'no message of "Мама" is made up');
  const last = messages.find((m) => m.source.line === 55)!;
  assert.match(last.text, /^Последнее предупреждение\.\n\nFrom: Мама \(\+4917612345678\)\nType: incoming\n/);
  assert.deepEqual(
    warningsOf(events).map((w) => [w.code, w.line]),
    [['signal-header-in-body', 62]],
  );
});

test('sigtop times: Go layout with offset; impossible dates and offsets are refused', () => {
  assert.deepEqual(parseSigtopTime('Tue, 5 Mar 2024 14:07:09 +0100'), { utcMs: Date.UTC(2024, 2, 5, 13, 7, 9), local: '2024-03-05T14:07:09', offset: 60 });
  assert.equal(parseSigtopTime('Tue, 5 Mar 2024 14:07:09 -0930')!.offset, -570);
  assert.equal(parseSigtopTime('Thu, 30 Feb 2024 14:07:09 +0100'), null);
  assert.equal(parseSigtopTime('Tue, 5 Mar 2024 14:07:09 +1500'), null);
  assert.equal(parseSigtopTime('5 Mar 2024 14:07'), null);
});

test('a sender known by number on Signal and on WhatsApp is one identity in senders and cluster', async () => {
  const dir = join(scratchDir('signal-wa'), 'case');
  assert.equal((await runCli(['ingest', '--case', dir, fixturePath('sample-case')])).code, 0);
  const r = await runCli(['ingest', '--case', dir, '--victim', 'fatima', CHAT]);
  assert.equal(r.code, 0, r.stderr);
  const senders = JSON.parse((await runCli(['senders', '--case', dir, '--format', 'json'])).stdout) as { items: { key: string; victims: string[] }[] };
  const caller = senders.items.filter((s) => s.key === 'phone:+79281234567');
  assert.equal(caller.length, 1);
  assert.deepEqual(caller[0]!.victims, ['boris', 'fatima']);
  const clusters = JSON.parse((await runCli(['cluster', '--case', dir, '--format', 'json'])).stdout) as { items: { members: { key: string }[] }[] };
  const holding = clusters.items.filter((c) => c.members.some((m) => m.key === 'phone:+79281234567'));
  assert.equal(holding.length, 1, 'the number is in one cluster');
  assert.equal(holding[0]!.members.filter((m) => m.key === 'phone:+79281234567').length, 1);
});

test('a file cut inside a message says so (sigtop ends each with a blank line)', async () => {
  const dir = scratchDir('sigtop-cut');
  const cut = join(dir, 'cut.txt');
  writeFileSync(cut, readFileSync(CHAT).subarray(0, 700));
  const events = await readAll(sigtopTextReader, cut);
  assert.deepEqual(warningsOf(events).map((w) => w.code), ['signal-cut']);
  assert.ok(!warningsOf(await readAll(sigtopTextReader, CHAT)).some((w) => w.code === 'signal-cut'), 'an intact file does not');
});
