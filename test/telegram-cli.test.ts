// Telegram exports through the command line: what the investigator sees of deleted accounts,
// and the exit code and report when an export could only be read in part.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

test('a whole-account export with a bad chat: the other chats are ingested, the skip is recorded, exit 1', async () => {
  await withCase(async (caseDir) => {
    const fixture = fixturePath('telegram', 'account-bad-chat');
    const file = join(fixture, 'result.json');
    const bytes = readFileSync(file);
    const chatStart = bytes.lastIndexOf('{', bytes.indexOf('"name": "Склад №3 — смена"'));
    const nullAt = bytes.indexOf('null,\n   {\n    "name": "Света"');

    const r = await runCli(['ingest', fixture, '--case', caseDir, '--victim', 'alexey', '--format', 'json']);
    assert.equal(r.code, 1, 'a skipped chat fails the run');
    // Named on stderr, with the file, the position and the part.
    assert.match(r.stderr, new RegExp(`rejected .*result\\.json@byte ${chatStart}: chat "Склад №3 — смена" \\(chats\\.list\\[1\\]\\) at bytes ${chatStart}-\\d+ was skipped: "messages" is an object, not an array`));
    assert.match(r.stderr, new RegExp(`rejected .*result\\.json@byte ${nullAt}: chats\\.list\\[2\\] at bytes ${nullAt}-${nullAt + 4} was skipped: it is null, not a chat object`));
    const files = (JSON.parse(r.stdout) as { items: { path: string; status: string; chats: number; messages: number; detail: string }[] }).items;
    assert.equal(files.length, 1);
    assert.equal(files[0]!.status, 'ingested');
    assert.deepEqual([files[0]!.chats, files[0]!.messages], [3, 6]);
    assert.match(files[0]!.detail, /^2 chats skipped: chat "Склад №3 — смена" \(chats\.list\[1\]\); chats\.list\[2\]/);

    // The rest is in the case; the skipped parts are in the manifest's rejections, with the file's hash.
    const messages = JSON.parse((await runCli(['messages', '--case', caseDir, '--format', 'json'])).stdout) as { items: { chat: { id: string } }[] };
    assert.equal(messages.items.length, 6);
    assert.ok(!messages.items.some((m) => m.chat.id === 'telegram:1744455566'));
    const manifest = JSON.parse(readFileSync(join(caseDir, 'evidence-manifest.json'), 'utf8')) as {
      files: { path: string; sha256: string }[];
      rejected: { path: string; sha256: string; reason: string }[];
    };
    assert.equal(manifest.files.filter((f) => f.path.endsWith('account-bad-chat/result.json')).length, 1);
    assert.equal(manifest.rejected.length, 2);
    for (const rej of manifest.rejected) {
      assert.ok(rej.path.endsWith('account-bad-chat/result.json'));
      assert.equal(rej.sha256, manifest.files[0]!.sha256);
    }
    assert.match(manifest.rejected.map((x) => x.reason).join('\n'), /chats\.list\[1\]\) at bytes \d+-\d+ was skipped/);

    // Ingesting the same file again adds nothing and is no error.
    const again = await runCli(['ingest', fixture, '--case', caseDir, '--victim', 'alexey']);
    assert.equal(again.code, 0, again.stderr);
  });
});

test('a syntax error inside one chat of a whole-account export still rejects the whole file', async () => {
  await withCase(async (caseDir) => {
    const dir = join(caseDir, '..', 'DataExport_2024-06-05');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'result.json');
    writeFileSync(file, readFileSync(fixturePath('telegram', 'account-bad-chat', 'result.json'), 'utf8').replace('"from": "Света",', '"from": "Света"'));
    const r = await runCli(['ingest', dir, '--case', caseDir, '--format', 'json']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /rejected .*result\.json@byte \d+: invalid JSON in messages\[1\] of chat "Света"/);
    const files = (JSON.parse(r.stdout) as { items: { status: string }[] }).items;
    assert.deepEqual(files.map((f) => f.status), ['rejected']);
    const messages = JSON.parse((await runCli(['messages', '--case', caseDir, '--format', 'json'])).stdout) as { items: unknown[] };
    assert.equal(messages.items.length, 0);
  });
});
