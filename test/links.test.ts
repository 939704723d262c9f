// Link targets hidden behind a message's visible text (Telegram text_link hrefs, mention_name user
// ids, bot buttons) are kept in the case, found by full-text search, and used as identifiers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixturePath, runCli, scratchDir } from './helpers.js';
import { linkIdentifiers } from '../src/attribution/signals/identifiers.js';

const LINKS = fixturePath('telegram', 'chat-links', 'result.json');

test('hidden link targets are listed with their message and found by --search', async () => {
  const caseDir = scratchDir('links');
  assert.equal((await runCli(['ingest', LINKS, '--case', caseDir, '--victim', 'olga'])).code, 0);
  const found = await runCli(['messages', '--case', caseDir, '--search', 'grabify', '--format', 'json']);
  assert.equal(found.code, 0, found.stderr);
  const items = JSON.parse(found.stdout).items;
  // The visible text says only "фото": the target is what matched.
  assert.deepEqual(items.map((m: { source: { messageId: string } }) => m.source.messageId), ['6201']);
  assert.deepEqual(items[0].links, [{ text: 'фото', href: 'https://grabify.link/Q7ZK2M', kind: 'text-link' }]);
  assert.ok(!items[0].text.includes('grabify'));
  // A link behind a zero-width space, and a bot button's URL.
  const hidden = JSON.parse((await runCli(['messages', '--case', caseDir, '--search', 'imgur', '--format', 'json'])).stdout).items;
  assert.deepEqual(hidden.map((m: { source: { messageId: string } }) => m.source.messageId), ['6203']);
  const button = JSON.parse((await runCli(['messages', '--case', caseDir, '--search', 'yandex', '--format', 'json'])).stdout).items;
  assert.deepEqual(button.map((m: { source: { messageId: string } }) => m.source.messageId), ['6206']);
});

test('hidden URLs and mentioned accounts are identifiers; callback data and custom emoji are not', () => {
  assert.deepEqual(
    linkIdentifiers([
      { text: 'фото', href: 'https://grabify.link/Q7ZK2M', kind: 'text-link' },
      { text: 'Дмитрию', href: '5022222222', kind: 'mention-name' },
      { text: 'Открыть', href: 'https://t.me/+Xk3LmZp9QwYzMjYy', kind: 'button-url' },
      { text: 'Подтвердить', href: 'Y29uZmlybTo3MDEyMzQ1Njc4', kind: 'button-callback' },
      { text: '😈', href: '5368324170671202286', kind: 'custom-emoji' },
    ]),
    ['telegram-id:user5022222222', 'telegram:xk3lmzp9qwyzmjyy', 'url:grabify.link/Q7ZK2M'],
  );
});
