// Filters everywhere (issue 16): --victim, --since, --until, --sender and --platform select the
// messages that senders, phones, media and cluster work on, as they do for messages; with PATHs the
// victims keep their folders' labels (--victim filters, it does not relabel).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { fixturePath, runCli, scratchDir } from './helpers.js';
import { DB_FILE } from '../src/store/case.js';

const SAMPLE = fixturePath('sample-case');

async function items<T>(args: string[]): Promise<T[]> {
  const r = await runCli([...args, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { items: T[] }).items;
}

test('senders, phones, media and cluster count only the messages the filters keep', async () => {
  const caseDir = join(scratchDir('filters'), 'case');
  assert.equal((await runCli(['ingest', '--case', caseDir, SAMPLE])).code, 0);

  const anna = await items<{ key: string; victims: string[]; messages: number }>(['senders', '--case', caseDir, '--victim', 'anna']);
  assert.ok(anna.length > 0 && anna.every((s) => s.victims.length === 1 && s.victims[0] === 'anna'));
  const all = await items<{ key: string; messages: number }>(['senders', '--case', caseDir]);
  assert.ok(all.length > anna.length);

  const telegram = await items<{ platform: string }>(['senders', SAMPLE, '--platform', 'telegram']);
  assert.ok(telegram.length > 0 && telegram.every((s) => s.platform === 'telegram'), 'with PATHs too');
  const late = await items<{ firstSeen: string }>(['senders', '--case', caseDir, '--since', '2022-01-21']);
  assert.ok(late.every((s) => s.firstSeen >= '2022-01-21'));

  const phones = await items<{ e164: string; victims: string[] }>(['phones', '--case', caseDir, '--victim', 'dmitri']);
  assert.deepEqual(phones.map((p) => [p.e164, p.victims]), [['+79281234567', ['dmitri']]]);
  const text = await runCli(['phones', '+7 928 123 45 67', '--victim', 'anna']);
  assert.equal(text.code, 2);
  assert.match(text.stderr, /select messages of a case; they do not apply to TEXT/);

  const media = await items<{ victims: string[] }>(['media', '--case', caseDir, '--victim', 'boris']);
  assert.deepEqual(media.map((m) => m.victims), [['boris']]);

  // The clustering over part of the case: Telegram alone links the two Telegram accounts (without
  // the WhatsApp number between them); the run records the filter with its parameters.
  const tg = await items<{ members: { key: string }[] }>(['cluster', '--case', caseDir, '--platform', 'telegram']);
  assert.deepEqual(tg.map((c) => c.members.map((m) => m.key)), [['telegram:user5012345678', 'telegram:user5098765432']]);
  const db = new Database(join(caseDir, DB_FILE), { readonly: true });
  try {
    const params = JSON.parse(db.prepare('SELECT params FROM runs ORDER BY id DESC LIMIT 1').pluck().get() as string) as { messageFilter?: unknown };
    assert.deepEqual(params.messageFilter, { platform: 'telegram' });
  } finally {
    db.close();
  }
  const bad = await runCli(['cluster', '--case', caseDir, '--platform', 'icq']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /argument 'icq' is invalid\. Allowed choices are telegram, whatsapp/);
});
