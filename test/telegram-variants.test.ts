// telegram-json reader on exports that tdesktop did not write as they are: files generated or
// converted by other tools (ISO instants in `date`), and exports stripped of their ids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { telegramJsonReader } from '../src/ingest/readers/telegram-json.js';
import type { ExportInfo, ParsedMessage, ReaderEvent } from '../src/model.js';
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
