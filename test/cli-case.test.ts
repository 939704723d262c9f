// The case on disk as an investigator builds it over several runs: victim labels from the folder
// layout, what a re-run reports, what the manifest says about rejected inputs, and output that
// cannot be written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { fixturePath, runCli } from './helpers.js';

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'threatlens-case-'));

/** A copy of one victim's folder from the sample case, without its threatlens.json notes. */
function victimFolder(victim: string): string {
  const root = tempDir();
  const dir = join(root, victim);
  cpSync(fixturePath('sample-case', victim), dir, { recursive: true });
  rmSync(join(dir, 'threatlens.json'), { force: true });
  return dir;
}

test("victim label: a Telegram export's own folder is never the victim", async () => {
  const anna = victimFolder('anna');
  const exportDir = join(anna, 'ChatExport_2022-01-25');
  for (const arg of [anna, exportDir, join(exportDir, 'result.json')]) {
    const r = await runCli(['ingest', '--case', tempDir(), arg, '--tz', 'Europe/Vilnius', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const victims = JSON.parse(r.stdout).items.map((f: { victim: string }) => f.victim);
    assert.ok(victims.length > 0);
    assert.deepEqual([...new Set(victims)], ['anna'], `ingest ${arg}`);
  }
  // A whole-account export (DataExport_…) directly in the victim's folder, no notes.
  const dmitri = victimFolder('dmitri');
  const r = await runCli(['senders', dmitri, '--format', 'json']);
  const self = JSON.parse(r.stdout).items.filter((s: { selfOf: string[] }) => s.selfOf.length > 0);
  assert.deepEqual(self.map((s: { selfOf: string[] }) => s.selfOf), [['dmitri']]);
});

test('re-ingesting an export folder does not call its referenced photos unreferenced', async () => {
  const caseDir = tempDir();
  const sample = fixturePath('sample-case');
  const first = await runCli(['ingest', '--case', caseDir, sample]);
  assert.equal(first.code, 0, first.stderr);
  assert.doesNotMatch(first.stderr, /not referenced/);
  const again = await runCli(['ingest', '--case', caseDir, sample]);
  assert.equal(again.code, 0);
  assert.doesNotMatch(again.stderr, /not referenced/);
  // The same export reached by another path: its photos are still its own.
  const copy = join(tempDir(), 'moved');
  cpSync(join(sample, 'anna'), copy, { recursive: true });
  const moved = await runCli(['ingest', '--case', caseDir, copy]);
  assert.doesNotMatch(moved.stderr, /not referenced/);
  // A file no message refers to is still reported.
  writeFileSync(join(copy, 'ChatExport_2022-01-25', 'files', 'stray.jpg'), readFileSync(fixturePath('images', 'canon-80d.jpg')));
  const stray = await runCli(['ingest', '--case', caseDir, copy]);
  assert.match(stray.stderr, /1 file inside an export folder is not referenced by any message/);
});

test('the same WhatsApp export ingested again from its own folder keeps its photos as its own', async () => {
  const caseDir = tempDir();
  const chat = join(tempDir(), 'chat');
  cpSync(fixturePath('whatsapp', 'android-en-media'), chat, { recursive: true });
  const first = await runCli(['ingest', '--case', caseDir, chat, '--format', 'json']);
  assert.equal(first.code, 0, first.stderr);
  // Display paths now start at the top (no folder part): the photo is still the export's attachment.
  const cwd = process.cwd();
  process.chdir(chat);
  try {
    const again = await runCli(['ingest', '--case', caseDir, '.', '--format', 'json']);
    assert.equal(again.code, 0, again.stderr);
    const statuses = JSON.parse(again.stdout).items.map((f: { path: string; status: string }) => `${f.path} ${f.status}`);
    assert.ok(statuses.length > 0 && statuses.every((s: string) => s.endsWith(' duplicate')), statuses.join('; '));
  } finally {
    process.chdir(cwd);
  }
});

test('rejected inputs are recorded in the case and its manifest, with hash and reason', async () => {
  const caseDir = tempDir();
  const bad = tempDir();
  const truncated = join(bad, 'zoe', 'result.json');
  cpSync(fixturePath('telegram', 'truncated'), join(bad, 'zoe'), { recursive: true });
  writeFileSync(join(bad, 'notes.docx'), 'PK\u0003\u0004 not really a document');
  const r = await runCli(['ingest', '--case', caseDir, bad, fixturePath('sample-case', 'elena')]);
  assert.equal(r.code, 1);
  const manifest = JSON.parse(readFileSync(join(caseDir, 'evidence-manifest.json'), 'utf8'));
  assert.equal(manifest.files.length, 2);
  assert.deepEqual(
    manifest.rejected.map((x: { path: string }) => x.path),
    [join(bad, 'notes.docx'), truncated].map((p) => p.split('\\').join('/')).sort(),
  );
  const rejected = manifest.rejected.find((x: { path: string }) => x.path.endsWith('result.json'));
  assert.match(rejected.sha256, /^[0-9a-f]{64}$/);
  assert.equal(rejected.size, readFileSync(truncated).length);
  assert.match(rejected.reason, /@byte \d+: unexpected end of file/);
  // A second run does not record the same rejection twice.
  await runCli(['ingest', '--case', caseDir, bad]);
  const db = new Database(join(caseDir, 'case.sqlite'), { readonly: true });
  assert.equal((db.prepare('SELECT count(*) AS n FROM rejections').get() as { n: number }).n, 2);
  db.close();
});

test('-o to a path that cannot be written is a usage error before any work, and nothing is lost silently', async () => {
  const dir = tempDir();
  for (const args of [
    ['senders', fixturePath('sample-case'), '--format', 'csv', '-o', join(dir, 'no-such-folder', 'x.csv')],
    ['messages', fixturePath('sample-case'), '--format', 'json', '-o', dir],
  ]) {
    const r = await runCli(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, /^threatlens: cannot write -o .*: (its folder does not exist|it is a folder)\n/);
    assert.equal(r.stdout, '');
  }
  const caseDir = join(dir, 'case');
  const r = await runCli(['ingest', '--case', caseDir, fixturePath('sample-case'), '-o', join(dir, 'missing', 'out.csv')]);
  assert.equal(r.code, 2);
  assert.equal(existsSync(caseDir), false, 'nothing was ingested');
  const ok = await runCli(['senders', fixturePath('sample-case'), '--format', 'csv', '-o', join(dir, 'senders.csv')]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(readFileSync(join(dir, 'senders.csv'), 'utf8'), /^key,platform,names/);
});

test('a hostile file name cannot forge a line of diagnostics', async () => {
  const dir = tempDir();
  const name = 'x.txt\nthreatlens: ingested fine.txt: all good';
  writeFileSync(join(dir, name), 'not a chat\n');
  const r = await runCli(['ingest', '--case', join(dir, 'case'), dir]);
  assert.equal(r.code, 1);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.filter((l) => l.startsWith('threatlens: ingested')).length, 0, r.stderr);
  assert.match(r.stderr, /threatlens: rejected .*x\.txt ⏎ threatlens: ingested fine\.txt: all good: unrecognised format/);
});

test('a reader that stops early (| head) ends threatlens quietly, exit 0', async () => {
  const { spawn } = await import('node:child_process');
  const { repoRoot } = await import('./helpers.js');
  for (const args of [['--help'], ['messages', fixturePath('sample-case'), '--format', 'jsonl']]) {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'threatlens.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // The reader is gone before threatlens writes a byte: every write meets a closed pipe.
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(stderr, '', args.join(' '));
    assert.equal(code, 0, args.join(' '));
  }
});

test('nothing readable: ingest and analyze --case create no case; an existing case only records the rejection', async () => {
  const dir = tempDir();
  const missing = join(dir, 'exports', 'anna', 'result.json');
  for (const command of ['ingest', 'analyze']) {
    const caseDir = join(dir, `${command}-case`);
    const r = await runCli([command, missing, join(dir, 'exports', 'boris'), '--case', caseDir]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /rejected .*anna\/result\.json: no such file or folder/);
    assert.match(r.stderr, /rejected .*boris: no such file or folder/);
    assert.match(r.stderr, /no case created/);
    assert.equal(existsSync(caseDir), false, `${command} left ${caseDir} behind`);
  }
  // The same mistake against a case that exists: it stays, with the rejection recorded.
  const caseDir = join(dir, 'case');
  const first = await runCli(['ingest', fixturePath('cases', 'same-number'), '--case', caseDir]);
  assert.equal(first.code, 0, first.stderr);
  const again = await runCli(['ingest', missing, '--case', caseDir, '--format', 'json']);
  assert.equal(again.code, 1);
  assert.deepEqual(JSON.parse(again.stdout).items.map((f: { status: string }) => f.status), ['rejected']);
  assert.doesNotMatch(again.stderr, /no case created/);
  const manifest = JSON.parse(readFileSync(join(caseDir, 'evidence-manifest.json'), 'utf8'));
  assert.ok(manifest.rejected.some((r: { path: string }) => r.path.endsWith('anna/result.json')));
  // A readable input still makes a new case, also when all it holds is rejected.
  writeFileSync(join(dir, 'notes.pdf'), '%PDF-1.4 Протокол допроса');
  const pdf = await runCli(['ingest', join(dir, 'notes.pdf'), '--case', join(dir, 'pdf-case')]);
  assert.equal(pdf.code, 1);
  assert.ok(existsSync(join(dir, 'pdf-case', 'case.sqlite')));
});

test('a case folder that cannot be created (under /proc) is a usage error naming it, at once: Node 20\'s recursive mkdir never returns there', { timeout: 20_000 }, async () => {
  const r = await runCli(['ingest', '--case', '/proc/no-such-folder/case', fixturePath('sample-case', 'elena')]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--case \/proc\/no-such-folder\/case: the case folder cannot be created there \(no such file or folder \(ENOENT\)\)\n  give --case a folder you can write to/);
});
