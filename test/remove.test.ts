// Removing an export (issue 16): the export ingested by mistake leaves the case with what only it held;
// a message another export holds too stays, on that export's source; the full-text index, the
// manifest and verify agree afterwards; a dry run changes nothing; the removal is logged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { fixturePath, runCli, scratchDir } from './helpers.js';
import { DB_FILE, MANIFEST_FILE } from '../src/store/case.js';

function counts(caseDir: string): { messages: number; exports: number; sources: number } {
  const db = new Database(join(caseDir, DB_FILE), { readonly: true });
  try {
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    const one = (sql: string): number => db.prepare(sql).pluck().get() as number;
    return { messages: one('SELECT count(*) FROM messages'), exports: one('SELECT count(*) FROM exports'), sources: one('SELECT count(*) FROM message_sources') };
  } finally {
    db.close();
  }
}

function ftsIntact(caseDir: string): void {
  const db = new Database(join(caseDir, DB_FILE));
  try {
    db.prepare("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')").run(); // throws when the index disagrees with the table
  } finally {
    db.close();
  }
}

test('remove: an export goes with its messages, files and index entries; verify and the manifest agree; a dry run changes nothing', async () => {
  const caseDir = join(scratchDir('remove'), 'case');
  assert.equal((await runCli(['ingest', '--case', caseDir, fixturePath('sample-case')])).code, 0);
  const anna = fixturePath('sample-case', 'anna', 'ChatExport_2022-01-25', 'result.json');
  const before = counts(caseDir);
  const manifestBefore = readFileSync(join(caseDir, MANIFEST_FILE), 'utf8');

  const dry = await runCli(['remove', anna, '--case', caseDir, '--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stderr, /dry run, nothing changed: would have removed export .*result\.json \(sha256 [0-9a-f]{64}, victim anna\): 9 messages, 2 evidence files/);
  assert.deepEqual(counts(caseDir), before);
  assert.equal(JSON.parse(readFileSync(join(caseDir, MANIFEST_FILE), 'utf8')).files.length, JSON.parse(manifestBefore).files.length);

  // Named by a prefix of its SHA-256.
  const sha = (JSON.parse(manifestBefore) as { files: { path: string; sha256: string }[] }).files.find((f) => f.path === anna)!.sha256;
  const r = await runCli(['remove', sha.slice(0, 12), '--case', caseDir, '--note', 'ingested under the wrong victim']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(counts(caseDir), { messages: before.messages - 9, exports: before.exports - 1, sources: 0 });
  ftsIntact(caseDir);
  const manifest = JSON.parse(readFileSync(join(caseDir, MANIFEST_FILE), 'utf8')) as { files: { path: string }[] };
  assert.ok(!manifest.files.some((f) => f.path.includes('ChatExport_2022-01-25')), 'the manifest lists none of its files');
  assert.equal((await runCli(['verify', '--case', caseDir])).code, 0);
  const search = await runCli(['messages', '--case', caseDir, '--search', 'Удали', '--format', 'jsonl']);
  assert.ok(!search.stdout.includes('ChatExport_2022-01-25'), 'its messages are not found any more');
  const custody = await runCli(['custody', '--case', caseDir, '--format', 'jsonl']);
  assert.match(custody.stdout, /"command":"remove".*"note":"ingested under the wrong victim","outcome":"removed export [^"]*result\.json/);

  const missing = await runCli(['remove', 'no/such/export.json', '--case', caseDir]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no export "no\/such\/export\.json" in this case/);
});

test('remove: of a chat exported twice, the first export removed leaves every message on the second; ingesting it again merges as before', async () => {
  const caseDir = join(scratchDir('remove-reexport'), 'case');
  const first = fixturePath('cases', 'reexport', 'anna', '2024-03-01');
  const second = fixturePath('cases', 'reexport', 'anna', '2024-03-20');
  assert.equal((await runCli(['ingest', '--case', caseDir, first, second, '--victim', 'anna'])).code, 0);
  assert.deepEqual(counts(caseDir), { messages: 17, exports: 2, sources: 12 });
  const firstFile = join(first, 'WhatsApp Chat with Мама.txt');
  const r = await runCli(['remove', firstFile, '--case', caseDir]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /: 0 messages, 1 evidence files, .*; 12 messages kept, another export holds them too/);
  assert.deepEqual(counts(caseDir), { messages: 17, exports: 1, sources: 0 });
  ftsIntact(caseDir);
  const listed = (await runCli(['messages', '--case', caseDir, '--format', 'jsonl'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { source: { file: string } });
  assert.ok(listed.every((m) => m.source.file.includes('2024-03-20')), 'every message now stands on the second export');
  assert.equal((await runCli(['ingest', '--case', caseDir, first, '--victim', 'anna'])).code, 0);
  assert.deepEqual(counts(caseDir), { messages: 17, exports: 2, sources: 12 }, 'taken in again, its copies merge as before');
});
