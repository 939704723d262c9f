// telegram-json reader: damaged files, unsafe media paths, sniffing, and files that differ from
// what tdesktop writes (BOM, reordered keys, no offset leak, chunk boundaries).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openInput } from '../src/ingest/input.js';
import { readTelegramJson, repairHexEscapes, telegramJsonReader } from '../src/readers/telegram/telegram-json.js';
import type { ParsedMessage, ReaderEvent, SkippedPart } from '../src/model.js';
import { InputError } from '../src/util/errors.js';
import { fixturePath, messagesOf, readAll, warningsOf } from './helpers.js';

const PERSONAL = fixturePath('telegram', 'chat-personal', 'result.json');
const OLD = fixturePath('telegram', 'chat-old-2020', 'result.json');
const ACCOUNT = fixturePath('telegram', 'account', 'result.json');
const TRUNCATED = fixturePath('telegram', 'truncated', 'result.json');
const MALFORMED = fixturePath('telegram', 'malformed', 'result.json');
const TRAVERSAL = fixturePath('telegram', 'traversal', 'result.json');

function byId(messages: ParsedMessage[], id: string): ParsedMessage {
  const m = messages.find((x) => x.source.messageId === id);
  assert.ok(m, `message ${id} exists`);
  return m;
}

function assertProvenance(file: string, messages: ParsedMessage[]): void {
  const bytes = readFileSync(file);
  assert.ok(messages.length > 0);
  for (const m of messages) {
    const raw = JSON.parse(bytes.subarray(m.source.offset!, m.source.offset! + m.source.length!).toString('utf8')) as { id: number };
    assert.equal(String(raw.id), m.source.messageId);
  }
}

/** Start of the message object whose id is `id`. */
function messageStart(bytes: Buffer, id: string): number {
  const at = bytes.indexOf(`"id": ${id},`);
  assert.ok(at > 0);
  return bytes.lastIndexOf('{', at);
}

async function withTemp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'tl-telegram-'));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function readChunked(path: string, chunkSize: number, tz: string | null = null): Promise<ReaderEvent[]> {
  const input = await openInput(path);
  const events: ReaderEvent[] = [];
  for await (const e of readTelegramJson(input, { tz, dateOrder: null }, chunkSize)) events.push(e);
  return events;
}

// ------------------------------------------------------------------------------------------------
// Damaged files

test('a truncated export fails with the end-of-file offset and the message it cut', async () => {
  const bytes = readFileSync(TRUNCATED);
  const start = messageStart(bytes, '2104');
  await assert.rejects(readAll(telegramJsonReader, TRUNCATED), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.equal(e.file, TRUNCATED);
    assert.equal(e.position.offset, bytes.length);
    assert.equal(e.message, `unexpected end of file inside messages[3] of chat "Виктор" (started at byte ${start})`);
    assert.match(e.hint ?? '', /truncated/);
    assert.match(e.describe(), new RegExp(`@byte ${bytes.length}: unexpected end of file`));
    return true;
  });
});

test('a truncated account export names the chat and the message index', async () => {
  await withTemp(async (dir) => {
    const bytes = readFileSync(ACCOUNT);
    const start = messageStart(bytes, '3');
    const file = join(dir, 'result.json');
    writeFileSync(file, bytes.subarray(0, start + 40));
    await assert.rejects(readAll(telegramJsonReader, file), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.equal(e.position.offset, start + 40);
      assert.equal(e.message, `unexpected end of file inside messages[4] of chat "Родительский чат 5Б" (started at byte ${start})`);
      return true;
    });
    // Cut between two chats: the list itself is unfinished.
    const between = bytes.indexOf('{\n    "name": "Новости Ростова"');
    writeFileSync(file, bytes.subarray(0, between));
    await assert.rejects(readAll(telegramJsonReader, file), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.equal(e.position.offset, between);
      assert.match(e.message, /^unexpected end of file inside chats\.list \(started at byte \d+\)$/);
      return true;
    });
  });
});

test('a malformed message fails at the byte where JSON breaks', async () => {
  const bytes = readFileSync(MALFORMED);
  const start = messageStart(bytes, '2103');
  const broken = bytes.indexOf('"text"', bytes.indexOf('"reply_to_message_id": 2102'));
  await assert.rejects(readAll(telegramJsonReader, MALFORMED), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.equal(e.position.offset, broken);
    assert.equal(
      e.message,
      `invalid JSON in messages[2] of chat "Виктор" (started at byte ${start}): expected ',' or '}', found '"'`,
    );
    assert.match(e.hint ?? '', /damaged/);
    return true;
  });
  // Same offset whatever the read size.
  for (const size of [1, 13, 256]) {
    await assert.rejects(readChunked(MALFORMED, size), (e: unknown) => e instanceof InputError && e.position.offset === broken);
  }
});

test('malformed structure, empty files and non-Telegram JSON are input errors with offsets', async () => {
  await withTemp(async (dir) => {
    const file = join(dir, 'result.json');
    writeFileSync(file, '{\n "name": "Виктор"\n "type": "personal_chat",\n "id": 1,\n "messages": []\n}');
    await assert.rejects(readAll(telegramJsonReader, file), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.equal(e.position.offset, readFileSync(file).indexOf('"type"'));
      assert.match(e.message, /expected ',' or '}'/);
      return true;
    });
    writeFileSync(file, '');
    await assert.rejects(readAll(telegramJsonReader, file), (e: unknown) => e instanceof InputError && /empty/.test(e.message));
    writeFileSync(file, '{"guild": {"id": "1"}, "channel": {"id": "2"}}');
    await assert.rejects(
      readAll(telegramJsonReader, file),
      (e: unknown) => e instanceof InputError && /not a Telegram Desktop JSON export/.test(e.message),
    );
    writeFileSync(file, '[{"id": 1}]');
    await assert.rejects(
      readAll(telegramJsonReader, file),
      (e: unknown) => e instanceof InputError && e.position.offset === 0 && /JSON object/.test(e.message),
    );
  });
});

// ------------------------------------------------------------------------------------------------
// Media paths

test('media paths leaving the export folder are refused and never opened', async () => {
  const events = await readAll(telegramJsonReader, TRAVERSAL);
  const messages = messagesOf(events);
  for (const id of ['10', '11', '12', '13']) {
    const m = byId(messages, id);
    assert.equal(m.media.length, 1);
    assert.equal(m.media[0]!.missing, 'unsafe-path', id);
    assert.equal(m.media[0]!.path, null, id);
    assert.equal(m.media[0]!.sha256, null, id);
  }
  const warnings = warningsOf(events);
  assert.deepEqual(
    warnings.map((w) => [w.code, w.offset]),
    ['10', '11', '12', '13'].map((id) => ['media-path-outside-export', byId(messages, id).source.offset]),
  );
  assert.match(warnings[0]!.message, /"\.\.\/\.\.\/etc\/passwd"/);
  // A path that wanders but stays inside is fine.
  const inside = byId(messages, '14').media[0]!;
  assert.equal(inside.path, `${dirname(TRAVERSAL)}/files/report.txt`);
  assert.equal(inside.missing, null);
  assert.match(inside.sha256 ?? '', /^[0-9a-f]{64}$/);
});

test('a symlink inside the export that leads outside is refused', async () => {
  await withTemp(async (dir) => {
    const outside = join(dir, 'outside-secret.txt');
    writeFileSync(outside, 'secret');
    const exportDir = join(dir, 'ChatExport_2024-03-20');
    mkdirSync(join(exportDir, 'photos'), { recursive: true });
    symlinkSync(outside, join(exportDir, 'photos', 'photo_1.jpg'));
    const file = join(exportDir, 'result.json');
    writeFileSync(
      file,
      JSON.stringify(
        {
          name: 'X',
          type: 'personal_chat',
          id: 1,
          messages: [{ id: 1, type: 'message', date: '2024-03-20T10:00:00', date_unixtime: '1710918000', from: 'X', from_id: 'user1', photo: 'photos/photo_1.jpg', text: '', text_entities: [] }],
        },
        null,
        1,
      ),
    );
    const events = await readAll(telegramJsonReader, file);
    const m = messagesOf(events)[0]!;
    assert.equal(m.media[0]!.missing, 'unsafe-path');
    assert.equal(m.media[0]!.sha256, null);
    assert.deepEqual(warningsOf(events).map((w) => w.code), ['media-path-outside-export']);
  });
});

// ------------------------------------------------------------------------------------------------
// Sniffing

test('sniff recognises Telegram exports by content, and nothing else', () => {
  for (const f of [PERSONAL, OLD, ACCOUNT, TRUNCATED, MALFORMED, TRAVERSAL]) {
    assert.equal(telegramJsonReader.sniff(readFileSync(f), 'result.json'), true, f);
  }
  const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(OLD)]);
  assert.equal(telegramJsonReader.sniff(bom, 'export.json'), true);
  const no = (s: string): void => assert.equal(telegramJsonReader.sniff(Buffer.from(s), 'result.json'), false, s);
  no('{"guild": {"id": "1", "name": "G"}, "channel": {"id": "2", "type": "GuildTextChat"}, "messages": [{"id": "3", "timestamp": "2024-01-01T00:00:00+00:00"}]}');
  no('{"participants": [{"name": "A"}], "messages": [{"sender_name": "A", "timestamp_ms": 1}]}');
  no('12/03/2024, 21:03 - Виктор: Мы знаем, где живёт твоя мать.');
  no('[{"id": 1, "type": "message", "from_id": "user1"}]');
  no('{"name": "x", "messages": []}');
});

// ------------------------------------------------------------------------------------------------
// Files that differ from what tdesktop writes

test('a UTF-8 BOM is skipped; offsets still point at the messages', async () => {
  await withTemp(async (dir) => {
    const copy = join(dir, 'export');
    cpSync(dirname(PERSONAL), copy, { recursive: true });
    const file = join(copy, 'result.json');
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(PERSONAL)]));
    const plain = messagesOf(await readAll(telegramJsonReader, PERSONAL));
    const messages = messagesOf(await readAll(telegramJsonReader, file));
    assert.equal(messages.length, plain.length);
    messages.forEach((m, i) => assert.equal(m.source.offset, plain[i]!.source.offset! + 3));
    assertProvenance(file, messages);
    assert.equal(byId(messages, '2105').media[0]!.sha256, byId(plain, '2105').media[0]!.sha256);
  });
});

test('chunk boundaries anywhere do not change what the reader yields', async () => {
  // One byte at a time is a read per byte (about 50 µs each): the account export, the largest, takes 3.
  for (const [file, sizes] of [[PERSONAL, [1, 7, 100]], [ACCOUNT, [3, 7, 100]], [OLD, [1, 7, 100]]] as const) {
    const whole = await readChunked(file, 1 << 22);
    for (const size of sizes) {
      assert.deepEqual(await readChunked(file, size), whole, `${file} in chunks of ${size}`);
    }
  }
});

test('reordered keys (sorted like jq -S): owner found later, chat headers after messages', async () => {
  await withTemp(async (dir) => {
    const sortKeys = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(sortKeys)
        : v !== null && typeof v === 'object'
          ? Object.fromEntries(
              Object.keys(v)
                .sort()
                .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
            )
          : v;
    const copy = join(dir, 'export');
    cpSync(dirname(ACCOUNT), copy, { recursive: true });
    const file = join(copy, 'result.json');
    writeFileSync(file, JSON.stringify(sortKeys(JSON.parse(readFileSync(ACCOUNT, 'utf8'))), null, 2));

    const original = await readAll(telegramJsonReader, ACCOUNT);
    const events = await readAll(telegramJsonReader, file);
    const info = events[0]!;
    assert.equal(info.type, 'export');
    assert.equal(info.type === 'export' && info.info.ownerKey, 'telegram:user5098765432');
    assert.equal(info.type === 'export' && info.info.ownerPhoneRaw, '+7 918 234 56 78');
    const chats = (evs: ReaderEvent[]): unknown[] => evs.flatMap((e) => (e.type === 'chat' ? [e.chat] : []));
    assert.deepEqual(chats(events), chats(original));
    const strip = (m: ParsedMessage): unknown => ({ ...m, source: { ...m.source, file: '', sha256: '', offset: 0, length: 0 }, media: m.media.map((x) => x.sha256) });
    assert.deepEqual(messagesOf(events).map(strip), messagesOf(original).map(strip));
    assertProvenance(file, messagesOf(events));
    assert.ok(warningsOf(events).some((w) => w.code === 'chat-header-after-messages'));
  });
});

test('no date_unixtime and no leak: wall clocks read as UTC, flagged', async () => {
  await withTemp(async (dir) => {
    const file = join(dir, 'result.json');
    writeFileSync(file, readFileSync(OLD, 'utf8').replace(/\n   "edited": "1970-01-01T05:00:00",/g, ''));
    const events = await readAll(telegramJsonReader, file);
    assert.equal(events[0]!.type === 'export' && events[0]!.info.facts.timeBasis, 'assumed-utc');
    assert.deepEqual(warningsOf(events).map((w) => w.code), ['assumed-utc']);
    const messages = messagesOf(events);
    assert.equal(messages.length, 11);
    assert.deepEqual(byId(messages, '6').time, {
      utc: '2020-11-03T19:22:41Z',
      local: '2020-11-03T19:22:41',
      basis: 'assumed-utc',
      zone: 'UTC',
    });
    // The real edit is still an edit, read the same way.
    assert.equal(byId(messages, '8').edited, true);
    assert.equal(byId(messages, '8').editedAt, '2020-11-03T19:40:12Z');
    assert.equal(byId(messages, '6').edited, false);
  });
});

test('invalid dates are never rolled over', async () => {
  await withTemp(async (dir) => {
    const file = join(dir, 'result.json');
    const doc = {
      name: 'X',
      type: 'personal_chat',
      id: 1,
      messages: [
        { id: 1, type: 'message', date: '2024-02-30T10:00:00', from: 'X', from_id: 'user1', text: 'a' },
        { id: 2, type: 'message', date: '2024-02-29T10:00:00', edited: '1970-01-01T03:00:00', from: 'X', from_id: 'user1', text: 'b' },
      ],
    };
    writeFileSync(file, JSON.stringify(doc, null, 1));
    const events = await readAll(telegramJsonReader, file);
    const messages = messagesOf(events);
    assert.deepEqual(byId(messages, '1').time, { utc: null, local: null, basis: 'inferred-offset', zone: null });
    assert.deepEqual(byId(messages, '2').time, {
      utc: '2024-02-29T07:00:00Z',
      local: '2024-02-29T10:00:00',
      basis: 'inferred-offset',
      zone: '+03:00',
    });
    const invalid = warningsOf(events).filter((w) => w.code === 'invalid-date');
    assert.equal(invalid.length, 1);
    assert.equal(invalid[0]!.offset, byId(messages, '1').source.offset);
  });
});

test('progress is reported up to the file size', async () => {
  const input = await openInput(ACCOUNT);
  const seen: number[] = [];
  for await (const _ of readTelegramJson(input, { tz: null, dateOrder: null, progress: (n) => seen.push(n) }, 512)) void _;
  assert.ok(seen.length > 3);
  assert.equal(seen[seen.length - 1], input.size);
});

test('an unknown --tz is a usage error', async () => {
  await assert.rejects(readAll(telegramJsonReader, OLD, { tz: 'Mars/Olympus_Mons' }), (e: unknown) => (e as Error).name === 'UsageError');
});

test('control characters tdesktop writes as \\xHH (not JSON) are read, with a warning', async () => {
  // In JSON text: `\x0B` is tdesktop's escape; `\\x41` is an escaped backslash and the text "x41".
  assert.equal(repairHexEscapes(String.raw`"a\\x0Bb"`), null);
  assert.equal(repairHexEscapes(String.raw`"a\x0Bb \\x41"`), String.raw`"a\u000Bb \\x41"`);
  await withTemp(async (dir) => {
    const file = join(dir, 'result.json');
    const msg = (id: number, text: string): object => ({
      id,
      type: 'message',
      date: '2024-03-14T21:03:12',
      date_unixtime: '1710439392',
      from: 'Виктор',
      from_id: 'user6012345678',
      text,
      text_entities: [{ type: 'plain', text }],
    });
    const json = JSON.stringify({ name: 'Виктор', type: 'personal_chat', id: 6012345678, messages: [msg(1, 'VT'), msg(2, 'ok')] }, null, 1);
    writeFileSync(file, json.replace(/"VT"/g, String.raw`"V\x0BT \\x41"`));
    const events = await readAll(telegramJsonReader, file);
    const messages = messagesOf(events);
    assert.equal(messages.length, 2);
    assert.equal(byId(messages, '1').text, 'V\u000bT \\x41');
    assert.equal(byId(messages, '2').text, 'ok');
    assert.deepEqual(
      warningsOf(events).map((w) => [w.code, w.offset]),
      [['repaired-escape', byId(messages, '1').source.offset]],
    );
    // The offsets still cover the bytes as written.
    const bytes = readFileSync(file);
    const m1 = byId(messages, '1');
    assert.match(bytes.subarray(m1.source.offset!, m1.source.offset! + m1.source.length!).toString(), /^\{[\s\S]*"V\\x0BT \\\\x41"[\s\S]*\}$/);
    assertProvenance(file, [byId(messages, '2')]);
  });
});

// ------------------------------------------------------------------------------------------------
// One bad chat in a whole-account export: skipped and reported, the others kept

const BAD_CHAT = fixturePath('telegram', 'account-bad-chat', 'result.json');

const skippedOf = (events: ReaderEvent[]): SkippedPart[] => events.flatMap((e) => (e.type === 'skipped' ? [e.skipped] : []));
const chatIdsOf = (events: ReaderEvent[]): string[] => events.flatMap((e) => (e.type === 'chat' ? [e.chat.id] : []));

test('account: a chat that is valid JSON but not a chat is skipped whole; the other chats are read', async () => {
  const bytes = readFileSync(BAD_CHAT);
  const events = await readAll(telegramJsonReader, BAD_CHAT);
  assert.deepEqual(chatIdsOf(events), ['telegram:6199988877', 'telegram:5188899001', 'telegram:1666777888']);
  const messages = messagesOf(events);
  assert.deepEqual(
    messages.map((m) => m.source.messageId),
    ['41001', '41002', '41003', '52001', '52002', '1201'],
  );
  assertProvenance(BAD_CHAT, messages);
  assert.deepEqual(warningsOf(events), []);

  const chatStart = bytes.lastIndexOf('{', bytes.indexOf('"name": "Склад №3 — смена"'));
  const chatEnd = bytes.indexOf('}', bytes.indexOf('"messages": {}') + '"messages": {}'.length) + 1;
  const nullAt = bytes.indexOf('null,\n   {\n    "name": "Света"');
  assert.deepEqual(skippedOf(events), [
    {
      file: BAD_CHAT,
      offset: chatStart,
      length: chatEnd - chatStart,
      what: 'chat "Склад №3 — смена" (chats.list[1])',
      reason: '"messages" is an object, not an array',
    },
    { file: BAD_CHAT, offset: nullAt, length: 4, what: 'chats.list[2]', reason: 'it is null, not a chat object' },
  ]);
  // The byte ranges cover exactly the parts left out.
  for (const s of skippedOf(events)) JSON.parse(bytes.subarray(s.offset, s.offset + s.length).toString('utf8'));
  // Reported where the reader meets them, between the chats around them.
  const order = events.map((e) => (e.type === 'chat' ? e.chat.id : e.type === 'skipped' ? `skipped ${e.skipped.what}` : e.type));
  const at = (x: string): number => order.indexOf(x);
  assert.ok(at('telegram:6199988877') < at('skipped chat "Склад №3 — смена" (chats.list[1])'));
  assert.ok(at('skipped chats.list[2]') < at('telegram:5188899001'));
  // The same whatever the read size.
  for (const size of [1, 7, 100]) assert.deepEqual(await readChunked(BAD_CHAT, size), events, `chunks of ${size}`);
});

test('account: other wrong shapes of one chat are skipped too', async () => {
  await withTemp(async (dir) => {
    const file = join(dir, 'result.json');
    const text = readFileSync(BAD_CHAT, 'utf8');
    const cases: [string, string, string][] = [
      ['"messages": {}', '"messages": "(удалено)"', '"messages" is a string, not an array'],
      ['"messages": {}', '"messages": null', '"messages" is null, not an array'],
      [',\n    "messages": {}', '', 'it has no "messages"'],
    ];
    for (const [from, to, reason] of cases) {
      writeFileSync(file, text.replace(from, to));
      const events = await readAll(telegramJsonReader, file);
      assert.deepEqual(
        skippedOf(events).map((s) => [s.what, s.reason]),
        [
          ['chat "Склад №3 — смена" (chats.list[1])', reason],
          ['chats.list[2]', 'it is null, not a chat object'],
        ],
        to,
      );
      assert.equal(messagesOf(events).length, 6, to);
      assert.equal(chatIdsOf(events).length, 3, to);
    }
    // A chat that is an array, and a chat that is a number.
    writeFileSync(file, text.replace(/\n   null,/, '\n   [\n    "Склад"\n   ],').replace('"messages": {}', '"messages": []'));
    let events = await readAll(telegramJsonReader, file);
    assert.deepEqual(skippedOf(events).map((s) => [s.what, s.reason]), [['chats.list[2]', 'it is an array, not a chat object']]);
    assert.equal(chatIdsOf(events).length, 4, 'the chat with an empty messages array is a chat');
    writeFileSync(file, text.replace(/\n   null,/, '\n   1744455566,'));
    events = await readAll(telegramJsonReader, file);
    assert.deepEqual(
      skippedOf(events).map((s) => [s.what, s.reason]),
      [
        ['chat "Склад №3 — смена" (chats.list[1])', '"messages" is an object, not an array'],
        ['chats.list[2]', 'it is a number, not a chat object'],
      ],
    );
  });
});

test('account: a syntax error inside one chat still rejects the whole file, with its position', async () => {
  await withTemp(async (dir) => {
    const file = join(dir, 'result.json');
    const text = readFileSync(BAD_CHAT, 'utf8');
    // A comma lost inside a message of the chat "Света": where that value ends cannot be trusted,
    // so nothing after it can be placed with certainty.
    const broken = text.replace('"from": "Света",', '"from": "Света"');
    writeFileSync(file, broken);
    const bytes = readFileSync(file);
    const at = bytes.indexOf('"from_id": "user5188899001"');
    await assert.rejects(readAll(telegramJsonReader, file), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.equal(e.position.offset, at);
      assert.match(e.message, /^invalid JSON in messages\[1\] of chat "Света" \(started at byte \d+\): expected ',' or '}'/);
      return true;
    });
    // A lost quote: the strings after it are read inside out.
    writeFileSync(file, text.replace('"text": "Не плати.', '"text": Не плати.'));
    await assert.rejects(readAll(telegramJsonReader, file), (e: unknown) => e instanceof InputError && e.position.offset !== undefined);
  });
});

test('single chat: "messages" that is not an array rejects the file', async () => {
  await withTemp(async (dir) => {
    const file = join(dir, 'result.json');
    writeFileSync(file, '{\n "name": "Виктор",\n "type": "personal_chat",\n "id": 6012345678,\n "messages": {\n  "id": 1\n }\n}');
    await assert.rejects(readAll(telegramJsonReader, file), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.equal(e.message, '"messages" of the chat is an object, not an array');
      assert.equal(e.position.offset, readFileSync(file).indexOf('{\n  "id"'));
      return true;
    });
    // Two "messages" keys: not guessed around.
    writeFileSync(file, '{\n "name": "Виктор",\n "type": "personal_chat",\n "id": 6012345678,\n "messages": [],\n "messages": []\n}');
    await assert.rejects(readAll(telegramJsonReader, file), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.equal(e.message, 'the chat has a second "messages" key');
      assert.equal(e.position.offset, readFileSync(file).lastIndexOf('['));
      return true;
    });
  });
});
