// The Telegram reader's shortcuts give the answers of the plain code they stand in for: the
// sender cache (recent answers compared before the maps) and senderOf, and the reused read
// buffers of the JSON scanner and fresh ones, whatever the chunk size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SenderCache, senderOf } from '../src/readers/telegram/message.js';
import type { RawMessage } from '../src/readers/telegram/types.js';
import { scanJsonBuffer, scanJsonFile, type ScanEvent } from '../src/readers/kit/json-scanner.js';

test('sender cache: the same senders as senderOf, through renames, deleted accounts and both id eras', () => {
  const people: [unknown, unknown][] = [
    ['user5000000001', 'Анна Петрова'],
    ['user5100000007', 'Контакт 7'],
    [5100000007, 'Контакт 7'],
    ['user5100000007', 'Костя (новый номер)'],
    ['user5000000001', 'Анна Петрова'],
    [undefined, 'Boris'],
    [undefined, 'Boris\u200e'],
    [undefined, ''],
    ['user5000000001', undefined],
    [undefined, null],
    ['channel1234567890', 'Новости Города'],
    ['user5000000001', null],
    [null, 'Deleted Account'],
    ['user123', '~ Ivan'],
    ['chat42', 'Родители'],
    ['user5000000001', 'Анна Петрова'],
  ];
  const cache = new SenderCache('0123456789ab');
  const check = (index: number, service: boolean): void => {
    const [id, name] = people[index]!;
    const raw: RawMessage = service ? { type: 'service', actor_id: id, actor: name } : { type: 'message', from_id: id, from: name };
    // The raw name as the reader hands it over: null when the export wrote null (a deleted account).
    const rawName = typeof name === 'string' ? name : name === null ? null : '';
    assert.deepEqual(cache.get(id, rawName), senderOf(raw, service, '0123456789ab'), JSON.stringify([id, name]));
  };
  // Every pair in both orders and back (renames, the same name under another id), then runs
  // longer than the recent answers kept.
  for (let a = 0; a < people.length; a++) {
    for (let b = 0; b < people.length; b++) {
      check(a, false);
      check(b, b % 3 === 0);
      check(a, false);
    }
  }
  for (let round = 0; round < 3; round++) for (let i = 0; i < people.length; i++) check((i * 5) % people.length, false);
});

test('JSON scanner: values spanning chunks read the same from reused read buffers as from one buffer', async () => {
  // Two rounds of the seven text lengths, both senders (one-byte chunks are a read per byte: kept small).
  const messages = Array.from({ length: 14 }, (_, i) => ({
    id: i + 1,
    type: 'message',
    date: '2024-03-12T10:00:00',
    date_unixtime: String(1710226800 + i * 60),
    from: i % 2 === 0 ? 'Анна Петрова' : 'Борис',
    from_id: i % 2 === 0 ? 'user5000000001' : 'user5100000002',
    text: `${'Мы знаем, где ты живёшь. '.repeat(i % 7)}\\ "кавычки" и \u00a0 эмодзи 😀 ${i}`,
    text_entities: [{ type: 'plain', text: `сообщение ${i}` }],
  }));
  const doc = Buffer.from(JSON.stringify({ name: 'Борис', type: 'personal_chat', id: 5100000002, messages }, null, 1));
  const select = (p: readonly (string | number)[]): 'descend' | 'value' | 'skip' =>
    p.length === 0 || (p.length === 1 && p[0] === 'messages') ? 'descend' : 'value';
  const strip = (events: ScanEvent[]): unknown[] => events.map((e) => ({ ...e }));
  const whole = strip(scanJsonBuffer(doc, select));
  const dir = mkdtempSync(join(tmpdir(), 'threatlens-tg-chunks-'));
  try {
    const file = join(dir, 'result.json');
    writeFileSync(file, doc);
    for (const chunkSize of [1, 2, 3, 7, 64, 333, 4096]) {
      const events: ScanEvent[] = [];
      for await (const ev of scanJsonFile(file, { select, chunkSize })) events.push(ev);
      assert.deepEqual(strip(events), whole, `chunk size ${chunkSize}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
