// telegram-json reader on exports that tdesktop did not write as they are: files generated or
// converted by other tools (ISO instants in `date`), and exports stripped of their ids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { telegramJsonReader } from '../src/readers/telegram/telegram-json.js';
import type { ExportInfo, ParsedMessage, ReaderEvent } from '../src/model.js';
import { shortHash } from '../src/util/hash.js';
import { fixturePath, messagesOf, readAll, warningsOf } from './helpers.js';

const ISO = fixturePath('telegram', 'iso-dates', 'result.json');

function byId(messages: ParsedMessage[], id: string): ParsedMessage {
  const m = messages.find((x) => x.source.messageId === id);
  assert.ok(m, `message ${id} exists`);
  return m;
}

const exportOf = (events: ReaderEvent[]): ExportInfo => {
  const first = events[0];
  assert.equal(first?.type, 'export', 'export comes first');
  return (first as { type: 'export'; info: ExportInfo }).info;
};

async function withTemp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'tl-telegram-'));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------------------------------------
// ISO instants in `date` (converters, generators)

test('ISO instants in date (toISOString, Z, milliseconds) are read as instants, without warnings', async () => {
  const events = await readAll(telegramJsonReader, ISO);
  assert.deepEqual(exportOf(events).facts, { form: 'chat', timeBasis: 'instant', offsetSource: 'iso-date' });
  assert.deepEqual(warningsOf(events), []);
  const messages = messagesOf(events);
  assert.equal(messages.length, 5);
  // To the second (the fraction is dropped, never rounded up); no wall clock, no zone: the
  // file says only the instant.
  assert.deepEqual(byId(messages, '11201').time, { utc: '2017-01-01T06:20:09Z', local: null, basis: 'instant', zone: null });
  assert.deepEqual(byId(messages, '11203').time, { utc: '2017-01-01T06:30:02Z', local: null, basis: 'instant', zone: null });
  assert.equal(byId(messages, '11203').edited, true);
  assert.equal(byId(messages, '11203').editedAt, '2017-01-01T06:31:40Z');
  assert.equal(byId(messages, '11201').edited, false);
  assert.equal(byId(messages, '11205').time.utc, '2017-01-01T21:07:13Z');
  assert.equal(byId(messages, '11205').kind, 'call');
  // The rest of the message is read as usual.
  assert.deepEqual(byId(messages, '11203').markedPhones, ['+7 928 417 20 93']);
  assert.equal(byId(messages, '11201').outgoing, false);
  assert.equal(byId(messages, '11202').outgoing, true);
});

test('ISO instants with an offset keep the wall clock and the offset', async () => {
  await withTemp(async (dir) => {
    const file = join(dir, 'result.json');
    // As Python's datetime.isoformat() writes them: whole seconds, or six-digit fractions.
    writeFileSync(
      file,
      readFileSync(ISO, 'utf8')
        .replace('"2017-01-01T06:20:09.248Z"', '"2017-01-01T09:20:09.248000+03:00"')
        .replace('"2017-01-01T06:24:51.003Z"', '"2017-01-01T09:24:51+03:00"')
        .replace('"2017-01-01T06:30:02.981Z"', '"2017-01-01T09:30:02+0300"')
        .replace('"2017-01-01T06:31:40.517Z"', '"2017-01-01T09:31:40+03:00"')
        .replace('"2017-01-01T21:05:00.000Z"', '"2017-01-02T00:05:00+03:00"')
        .replace('"2017-01-01T21:07:13.690Z"', '"2017-01-01T16:07:13-05:00"'),
    );
    const events = await readAll(telegramJsonReader, file);
    assert.deepEqual(exportOf(events).facts, { form: 'chat', timeBasis: 'instant', offsetSource: 'iso-date', exporterOffset: '+03:00' });
    assert.deepEqual(warningsOf(events), []);
    const messages = messagesOf(events);
    assert.deepEqual(byId(messages, '11201').time, {
      utc: '2017-01-01T06:20:09Z',
      local: '2017-01-01T09:20:09',
      basis: 'instant',
      zone: '+03:00',
    });
    assert.deepEqual(byId(messages, '11202').time, {
      utc: '2017-01-01T06:24:51Z',
      local: '2017-01-01T09:24:51',
      basis: 'instant',
      zone: '+03:00',
    });
    assert.equal(byId(messages, '11203').time.utc, '2017-01-01T06:30:02Z');
    assert.equal(byId(messages, '11203').editedAt, '2017-01-01T06:31:40Z');
    // Past local midnight, still the previous day in UTC.
    assert.deepEqual(byId(messages, '11204').time, {
      utc: '2017-01-01T21:05:00Z',
      local: '2017-01-02T00:05:00',
      basis: 'instant',
      zone: '+03:00',
    });
    assert.deepEqual(byId(messages, '11205').time, {
      utc: '2017-01-01T21:07:13Z',
      local: '2017-01-01T16:07:13',
      basis: 'instant',
      zone: '-05:00',
    });
  });
});

test('ISO instants that are not valid are flagged, never rolled over', async () => {
  await withTemp(async (dir) => {
    const file = join(dir, 'result.json');
    writeFileSync(
      file,
      readFileSync(ISO, 'utf8')
        .replace('"2017-01-01T06:20:09.248Z"', '"2017-02-30T06:20:09.248Z"')
        .replace('"2017-01-01T06:24:51.003Z"', '"2017-01-01T06:24:51+15:00"')
        .replace('"2017-01-01T06:30:02.981Z"', '"2017-01-01T06:30:02.Z"')
        .replace('"2017-01-01T06:31:40.517Z"', '"1970-01-01T00:00:00.000Z"'),
    );
    const events = await readAll(telegramJsonReader, file);
    const messages = messagesOf(events);
    for (const id of ['11201', '11202', '11203']) assert.equal(byId(messages, id).time.utc, null, id);
    assert.deepEqual(
      warningsOf(events).map((w) => [w.code, w.offset]),
      ['11201', '11202', '11203'].map((id) => ['invalid-date', byId(messages, id).source.offset]),
    );
    assert.match(warningsOf(events)[0]!.message, /2017-02-30T06:20:09\.248Z/);
    // An edit at the epoch is a placeholder, as edited_unixtime "0" is.
    assert.equal(byId(messages, '11203').edited, false);
    assert.equal(byId(messages, '11204').time.utc, '2017-01-01T21:05:00Z');
  });
});

test('an ISO date beside date_unixtime must agree with it', async () => {
  await withTemp(async (dir) => {
    const file = join(dir, 'result.json');
    const msg = (id: number, date: string, unix: string): object => ({
      id,
      type: 'message',
      date,
      date_unixtime: unix,
      from: 'Неизвестный',
      from_id: 'user4412345671',
      text: 'Ты нигде не спрячешься.',
    });
    const doc = {
      name: 'Неизвестный',
      type: 'personal_chat',
      id: 4412345671,
      messages: [msg(1, '2017-01-01T09:20:09+03:00', '1483251609'), msg(2, '2017-01-01T09:20:09+03:00', '1483251999')],
    };
    writeFileSync(file, JSON.stringify(doc, null, 1));
    const events = await readAll(telegramJsonReader, file);
    const messages = messagesOf(events);
    assert.deepEqual(byId(messages, '1').time, { utc: '2017-01-01T06:20:09Z', local: '2017-01-01T09:20:09', basis: 'instant', zone: '+03:00' });
    // date_unixtime wins; the disagreement is reported.
    assert.equal(byId(messages, '2').time.utc, '2017-01-01T06:26:39Z');
    assert.deepEqual(warningsOf(events).map((w) => w.code), ['date-mismatch']);
  });
});

// ------------------------------------------------------------------------------------------------
// Exports without ids (stripped by hand, or written by tools that leave them out)

const MINIMAL = fixturePath('telegram', 'redacted-minimal', 'result.json');
const NO_MESSAGE_IDS = fixturePath('telegram', 'no-message-ids', 'result.json');

/** The bytes at a message's offset and length parse to the object it was read from. */
function assertSpans(file: string, messages: ParsedMessage[]): void {
  const bytes = readFileSync(file);
  for (const m of messages) {
    const raw = JSON.parse(bytes.subarray(m.source.offset!, m.source.offset! + m.source.length!).toString('utf8')) as {
      date: string;
    };
    assert.equal(typeof raw.date, 'string');
    assert.equal(m.time.local, raw.date, `message at byte ${m.source.offset}`);
  }
}

test('no chat id, no message ids, no from_id: read, with one warning saying how ids were derived', async () => {
  const sha = createHash('sha256').update(readFileSync(MINIMAL)).digest('hex');
  const short = shortHash(sha);
  const events = await readAll(telegramJsonReader, MINIMAL);
  const chats = events.flatMap((e) => (e.type === 'chat' ? [e.chat] : []));
  // From the file's hash and the chat's byte offset: never a Telegram id, the same for the same bytes.
  assert.deepEqual(chats, [{ id: `telegram:file-${short}@0`, name: 'Аноним', platform: 'telegram', type: 'personal_chat' }]);
  const messages = messagesOf(events);
  assert.equal(messages.length, 6);
  assert.ok(messages.every((m) => m.source.messageId === undefined && m.chat.id === chats[0]!.id));
  assertSpans(MINIMAL, messages);
  // Senders by name within the file (no case: no victim scope), outgoing unknown (no peer id).
  assert.deepEqual(messages[0]!.sender, { key: `name:${short}:Аноним`, name: 'Аноним', raw: 'Аноним', phone: null });
  assert.equal(messages[1]!.sender?.key, `name:${short}:Марина Ковалёва`);
  assert.equal(messages[3]!.kind, 'call');
  assert.equal(messages[3]!.sender?.key, `name:${short}:Аноним`);
  assert.ok(messages.every((m) => m.outgoing === null));
  // Times and the rest as found.
  assert.deepEqual(messages[2]!.time, { utc: '2024-05-20T15:32:03Z', local: '2024-05-20T18:32:03', basis: 'instant', zone: '+03:00' });
  assert.deepEqual(messages[2]!.markedPhones, ['+7 961 287 40 15']);
  assert.equal(messages[2]!.replyTo, '8812');

  const warnings = warningsOf(events);
  assert.deepEqual(warnings.map((w) => [w.code, w.offset]), [['missing-ids', 0]]);
  const text = warnings[0]!.message;
  assert.match(text, new RegExp(`1 chat without a readable id .*telegram:file-${short}@0`));
  assert.match(text, /6 messages without a readable id/);
  assert.match(text, /byte offset/);
  assert.match(text, /6 messages without a readable from_id\/actor_id/);
  assert.match(text, /by name/);

  // In a case, names are scoped to the victim instead of the file.
  const scoped = messagesOf(await readAll(telegramJsonReader, MINIMAL, { senderScope: '5ca1ab1e0000' }));
  assert.equal(scoped[0]!.sender?.key, 'name:5ca1ab1e0000:Аноним');
});

test('only message ids missing: chat id and senders as usual, one warning', async () => {
  const events = await readAll(telegramJsonReader, NO_MESSAGE_IDS);
  const chats = events.flatMap((e) => (e.type === 'chat' ? [e.chat] : []));
  assert.deepEqual(chats, [{ id: 'telegram:6543210987', name: 'Аноним', platform: 'telegram', type: 'personal_chat' }]);
  const messages = messagesOf(events);
  assert.equal(messages.length, 4);
  assertSpans(NO_MESSAGE_IDS, messages);
  assert.ok(messages.every((m) => m.source.messageId === undefined));
  assert.equal(messages[0]!.sender?.key, 'telegram:user6543210987');
  assert.deepEqual(
    messages.map((m) => m.outgoing),
    [false, true, false, false],
  );
  const warnings = warningsOf(events);
  assert.deepEqual(warnings.map((w) => [w.code, w.offset]), [['missing-ids', messages[0]!.source.offset]]);
  assert.match(warnings[0]!.message, /4 messages without a readable id/);
  assert.doesNotMatch(warnings[0]!.message, /chat without|from_id/);
});

test('exports with ids give no missing-ids warning', async () => {
  for (const file of [ISO, fixturePath('telegram', 'chat-personal', 'result.json'), fixturePath('telegram', 'account', 'result.json')]) {
    assert.ok(!warningsOf(await readAll(telegramJsonReader, file)).some((w) => w.code === 'missing-ids'), file);
  }
});
