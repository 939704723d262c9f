// discord-dce-json reader on fixtures/discord/dce/ (see its README.md): a DM exported by
// DiscordChatExporter as JSON with --media.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { discordDceJsonReader } from '../src/readers/discord/dce-json.js';
import { findReader } from '../src/readers/registry.js';
import { fixturePath, messagesOf, readAll, runCli, scratchDir, warningsOf } from './helpers.js';

const NAME = 'Direct Messages - Private - watcher_77 [1098765432109876543].json';
const DM = fixturePath('discord', 'dce', NAME);
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

test('sniffing: a DiscordChatExporter JSON export, not a Telegram one', () => {
  assert.equal(findReader(readFileSync(DM), NAME), discordDceJsonReader);
  assert.equal(discordDceJsonReader.sniff(readFileSync(fixturePath('telegram', 'chat-personal', 'result.json')), 'result.json'), false);
});

test('ids stay the strings the export writes (beyond 2^53); authors by user id; nicknames shown; replies, edits, pins, media', async () => {
  const events = await readAll(discordDceJsonReader, DM);
  const chat = events.find((e) => e.type === 'chat');
  assert.deepEqual(chat?.type === 'chat' && [chat.chat.id, chat.chat.name, chat.chat.type], ['discord:1098765432109876543', 'watcher_77', 'DirectTextChat']);
  const messages = messagesOf(events);
  assert.deepEqual(
    messages.map((m) => [m.source.messageId, m.kind, m.sender?.key, m.sender?.name]),
    [
      ['1103000000000000001', 'text', 'discord:987654321098765432', 'watcher_77'],
      ['1103000000000000002', 'media', 'discord:987654321098765432', 'watcher_77'],
      ['1103000000000000003', 'text', 'discord:1001234567890123456', 'Амина'],
      ['1103000000000000004', 'text', 'discord:987654321098765432', 'watcher_77'],
      ['1103000000000000005', 'media', 'discord:987654321098765432', 'watcher_77'],
      ['1103000000000000006', 'service', 'discord:1001234567890123456', 'Амина'],
    ],
  );
  // 1103000000000000001 > 2^53: as a JSON number it would have lost its last digits.
  assert.ok(BigInt(messages[0]!.source.messageId!) > BigInt(Number.MAX_SAFE_INTEGER));
  assert.equal(messages[2]!.sender!.raw, 'amina.k', 'the user name behind the nickname');
  assert.equal(messages[2]!.replyTo, '1103000000000000001');
  assert.deepEqual(messages[0]!.time, { utc: '2023-05-02T10:15:00.123Z', local: '2023-05-02T13:15:00', basis: 'instant', zone: '+03:00' });
  assert.equal(messages[3]!.edited, true);
  assert.equal(messages[3]!.editedAt, '2023-05-02T10:22:05Z');
  assert.equal(messages[5]!.action, 'ChannelPinnedMessage');
  const photo = readFileSync(join(fixturePath('discord', 'dce'), `${NAME}_Files`, 'podezd-5F3A1.jpg'));
  assert.deepEqual([messages[1]!.media[0]!.kind, messages[1]!.media[0]!.sha256, messages[1]!.media[0]!.missing], ['photo', sha256(photo), null]);
  assert.deepEqual([messages[4]!.media[0]!.name, messages[4]!.media[0]!.missing, messages[4]!.media[0]!.size], ['brat.mp4', 'not-included', 5242880]);
  // Provenance: the bytes at offset..offset+length are the message.
  const bytes = readFileSync(DM);
  for (const m of messages) {
    const raw = JSON.parse(bytes.subarray(m.source.offset!, m.source.offset! + m.source.length!).toString('utf8')) as { id: string };
    assert.equal(raw.id, m.source.messageId);
  }
  assert.deepEqual(warningsOf(events), []);
});

test('the channel exported again later: its messages are kept once, by their ids', async () => {
  const dir = join(scratchDir('discord'), 'case');
  const later = join(scratchDir('discord-later'), 'export');
  mkdirSync(later, { recursive: true });
  const doc = JSON.parse(readFileSync(DM, 'utf8')) as { messages: { id: string; content: string; timestamp: string }[]; messageCount: number };
  doc.messages.push({ ...doc.messages[0]!, id: '1103000000000000007', content: 'Последнее предупреждение.', timestamp: '2023-05-03T08:00:00+03:00' });
  doc.messageCount++;
  writeFileSync(join(later, 'dm.json'), JSON.stringify(doc, null, 2));
  for (const path of [DM, join(later, 'dm.json')]) assert.equal((await runCli(['ingest', '--case', dir, '--victim', 'amina', path])).code, 0);
  const listed = (await runCli(['messages', '--case', dir, '--format', 'jsonl'])).stdout.trim().split('\n');
  assert.equal(listed.length, 7);
});

test('a cut-off export is refused with the byte where it ends', async () => {
  const dir = scratchDir('discord-cut');
  const cut = join(dir, 'cut.json');
  const bytes = readFileSync(DM);
  writeFileSync(cut, bytes.subarray(0, 3000));
  const r = await runCli(['messages', cut]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /cut\.json@byte 3000: unexpected end of file inside messages\[\d\]/);
});

test('DiscordChatExporter CSV: authors by the same user ids as its JSON, rows by line, old locale dates reported', async () => {
  const csvName = 'Direct Messages - Private - watcher_77 [1098765432109876543].csv';
  const csvPath = fixturePath('discord', 'dce', csvName);
  const reader = findReader(readFileSync(csvPath), csvName);
  assert.equal(reader?.name, 'discord-dce-csv');
  const events = await readAll(reader!, csvPath);
  const messages = messagesOf(events);
  assert.deepEqual(
    messages.map((m) => [m.source.line, m.sender?.key, m.sender?.name, m.time.utc, m.platform]),
    [
      [2, 'discord:987654321098765432', 'watcher_77', '2023-05-02T10:15:00.123Z', 'discord'],
      [3, 'discord:987654321098765432', 'watcher_77', '2023-05-02T10:16:40.500Z', 'discord'],
      [4, 'discord:1001234567890123456', 'amina.k', '2023-05-02T10:20:00Z', 'discord'],
      [7, 'discord:31337', 'oldschool#1234', '2023-05-02T10:25:00Z', 'discord'],
    ],
  );
  assert.equal(messages[2]!.text, 'Кто вы? Я сообщу модераторам.\nСкриншоты сохранены.');
  assert.equal(messages[3]!.text, '"Цитата" в кавычках, и запятая');
  assert.deepEqual(warningsOf(events).map((w) => [w.code, w.line]), [['table-row', 6]]);
  // The same author in the JSON export is the same identity.
  const json = messagesOf(await readAll(discordDceJsonReader, DM));
  assert.equal(json[0]!.sender!.key, messages[0]!.sender!.key);
});
