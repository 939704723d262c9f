// Telegram exports through the command line: what the investigator sees of deleted accounts,
// and the exit code and report when an export could only be read in part.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturePath, runCli } from './helpers.js';

async function withCase<T>(fn: (caseDir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'tl-telegram-cli-'));
  try {
    return await fn(join(dir, 'case'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('deleted accounts show as "(deleted account)" in the messages and senders tables', async () => {
  await withCase(async (caseDir) => {
    const ingest = await runCli(['ingest', fixturePath('telegram', 'deleted-accounts'), '--case', caseDir, '--victim', 'olga']);
    assert.equal(ingest.code, 0, ingest.stderr);

    const table = await runCli(['messages', '--case', caseDir]);
    assert.equal(table.code, 0, table.stderr);
    const line = (text: string): string => table.stdout.split('\n').find((l) => l.includes(text)) ?? '';
    assert.match(line('Колёса нынче дорогие'), /\(deleted account\)/);
    assert.match(line('твоя машина сгорит'), /\(deleted account\)/);
    assert.match(line('[service: invite_members]'), /\(deleted account\)/);
    assert.doesNotMatch(line('Чья серая Камри'), /deleted account/);

    const senders = await runCli(['senders', '--case', caseDir]);
    assert.equal(senders.code, 0, senders.stderr);
    const row = (key: string): string => senders.stdout.split('\n').find((l) => l.includes(key)) ?? '';
    assert.match(row('telegram:user6999000111'), /\(deleted account\)/);
    assert.match(row('telegram:user6999000222'), /\(deleted account\)/);
    assert.doesNotMatch(row('telegram:user6123456789'), /deleted account/);

    // JSON keeps the facts as they are: raw null, name ''.
    const json = JSON.parse((await runCli(['messages', '--case', caseDir, '--format', 'json'])).stdout) as {
      items: { sender: { key: string; name: string; raw: string | null } | null }[];
    };
    const gone = json.items.filter((m) => m.sender?.key === 'telegram:user6999000111');
    assert.equal(gone.length, 2);
    for (const m of gone) assert.deepEqual([m.sender!.name, m.sender!.raw], ['', null]);
  });
});

test('an export without ids: message ids from byte offsets, unique and the same on every ingest', async () => {
  const ids = async (): Promise<string[]> =>
    withCase(async (caseDir) => {
      const r = await runCli(['ingest', fixturePath('telegram', 'redacted-minimal'), '--case', caseDir, '--victim', 'marina']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /\[missing-ids\]/);
      assert.equal(r.stderr.match(/\[missing-ids\]/g)!.length, 1, 'one warning for the file');
      const json = JSON.parse((await runCli(['messages', '--case', caseDir, '--format', 'json'])).stdout) as {
        items: { id: string; source: { offset: number } }[];
      };
      for (const m of json.items) assert.ok(m.id.endsWith(`:@${m.source.offset}`), m.id);
      return json.items.map((m) => m.id);
    });
  const first = await ids();
  assert.equal(first.length, 6);
  assert.equal(new Set(first).size, 6);
  assert.deepEqual(await ids(), first);
});
