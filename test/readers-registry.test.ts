// The reader registry: platform facts are data on the readers, and model.ts PLATFORMS agrees with them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PLATFORMS, type ParsedMessage } from '../src/model.js';
import { accountIds, folderMarkers, platformTable, READERS, readsHint } from '../src/readers/registry.js';
import type { Reader } from '../src/readers/reader.js';
import { runCli } from './helpers.js';

test('every platform of the model has a reader, and every reader a known platform', () => {
  assert.deepEqual([...platformTable(READERS).keys()].sort(), [...PLATFORMS].sort());
  const stray = { ...READERS[0]!, name: 'stray', platform: { ...READERS[0]!.platform, name: 'nowhere' } } as unknown as Reader;
  assert.throws(() => platformTable([...READERS, stray]), /platform "nowhere" is not in model\.ts PLATFORMS/);
  const odd = { ...READERS[0]!, name: 'odd', platform: { ...READERS[0]!.platform, displayName: 'Other' } } as Reader;
  assert.throws(() => platformTable([...READERS, odd]), /differ from another reader's/);
  assert.throws(() => platformTable(READERS.filter((r) => r.platform.name !== 'whatsapp')), /"whatsapp" of model\.ts PLATFORMS has no reader/);
});

test('platform facts come from the readers', () => {
  assert.deepEqual(accountIds('telegram'), { keyPrefix: 'telegram:', label: 'Telegram' });
  assert.equal(accountIds('whatsapp'), undefined);
  assert.deepEqual(
    READERS.map((r) => [r.name, r.stableChatIds]),
    [
      ['telegram-json', true],
      ['telegram-html', false],
      ['sigtop-text', false],
      ['signal-md', false],
      ['discord-dce-json', true],
      ['discord-dce-csv', false],
      ['messenger-json', false],
      ['instagram-json', false],
      ['table-csv', false],
      ['table-jsonl', false],
      ['whatsapp-zip', false],
      ['whatsapp-txt', false],
    ],
  );
  assert.deepEqual([...folderMarkers()], ['result.json', 'messages.html', 'export_results.html']);
  assert.equal(readsHint(), 'threatlens reads Telegram Desktop JSON and HTML exports, Signal exports (sigtop text, signal-export Markdown), Discord exports (DiscordChatExporter JSON and CSV), Messenger and Instagram downloads (JSON), tables of messages (CSV, JSON Lines) with --map, WhatsApp .txt/.zip exports and images');
  for (const reader of READERS) {
    assert.equal(typeof reader.messageId, 'function', reader.name);
    assert.deepEqual(Object.keys(reader.capabilities).sort(), ['accountIds', 'forwards', 'media', 'phones', 'zones'], reader.name);
  }
});

test('message id schemes: tg:<sha12>:<chat>:<id>, tg:<sha12>:html:<id> and wa:<sha12>[tag]:L<line>', () => {
  const byName = new Map(READERS.map((r) => [r.name, r]));
  const tg = { chat: { id: 'telegram:6012345678', name: 'x' }, source: { file: 'f', sha256: 'a'.repeat(64), messageId: '42', offset: 9 } } as ParsedMessage;
  assert.equal(byName.get('telegram-json')!.messageId(tg, 'aaaaaaaaaaaa'), 'tg:aaaaaaaaaaaa:6012345678:42');
  assert.equal(byName.get('telegram-json')!.messageId({ ...tg, source: { ...tg.source, messageId: undefined } } as ParsedMessage, 's'), 'tg:s:6012345678:@9');
  // HTML pages name no chat: every page's messages take the first page's hash, from the chat id.
  const html = { chat: { id: 'telegram-html:cccccccccccc', name: 'x' }, source: { file: 'f/messages2.html', sha256: 'd'.repeat(64), messageId: '2114', line: 146 } } as ParsedMessage;
  assert.equal(byName.get('telegram-html')!.messageId(html, 'dddddddddddd'), 'tg:cccccccccccc:html:2114');
  const wa = { chat: { id: 'whatsapp:bbbbbbbbbbbb', name: 'x' }, source: { file: 'f', sha256: 'b'.repeat(64), line: 17 } } as ParsedMessage;
  for (const name of ['whatsapp-txt', 'whatsapp-zip']) {
    assert.equal(byName.get(name)!.messageId(wa, 'bbbbbbbbbbbb'), 'wa:bbbbbbbbbbbb:L17');
    assert.equal(byName.get(name)!.messageId({ ...wa, chat: { id: 'whatsapp:bbbbbbbbbbbb:e3', name: 'x' } }, 'bbbbbbbbbbbb'), 'wa:bbbbbbbbbbbb:e3:L17');
  }
});

test('threatlens formats lists every reader with what its exports give, as a table and as JSON', async () => {
  const json = await runCli(['formats', '--format', 'json']);
  assert.equal(json.code, 0, json.stderr);
  const items = (JSON.parse(json.stdout) as { kind: string; items: Record<string, unknown>[] }).items;
  assert.deepEqual(
    items.map((i) => [i.reader, i.platform, i.accountIds, i.phones, i.zones, i.media, i.forwards, i.stableChatIds]),
    READERS.map((r) => [r.name, r.platform.name, r.capabilities.accountIds, r.capabilities.phones, r.capabilities.zones, r.capabilities.media, r.capabilities.forwards, r.stableChatIds]),
  );
  const table = await runCli(['formats']);
  assert.equal(table.code, 0);
  const lines = table.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^reader +platform +ids +phones +zones +media +forwards +reads$/);
  assert.equal(lines.length, READERS.length + 1);
  assert.match(lines.find((l) => l.startsWith('telegram-html'))!, /^telegram-html +telegram +- +yes +yes +yes +yes +Telegram Desktop HTML export/);
});
