// The investigator's custody of a case (issue 16): `verify` hashes every evidence file and archive
// entry again and names each one changed, missing or unreadable (exit 1); the custody log records
// every command that changed the case, a killed one as not finished, and the manifest carries it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fixturePath, repoRoot, runCli, scratchDir } from './helpers.js';
import { MANIFEST_FILE, openCase } from '../src/store/case.js';
import { custodyLog, recordChange, setInvocation } from '../src/store/custody.js';
import { DEFAULT_ZIP_LIMITS, ZipArchive } from '../src/readers/kit/zip-archive.js';

const BORIS_ZIP = 'WhatsApp Chat - Boris Petrov.zip';
const PHOTO = '00000003-PHOTO-2024-03-12-10-01-00.jpg';

interface Check {
  path: string;
  status: string;
  sha256: string;
  actualSha256: string | null;
  problem: string | null;
}

/** Evidence in a folder of its own: anna's Telegram export (with a photo) and boris's WhatsApp zip. */
function evidence(label: string): string {
  const root = join(scratchDir(label), 'evidence');
  mkdirSync(join(root, 'boris'), { recursive: true });
  cpSync(fixturePath('sample-case', 'anna'), join(root, 'anna'), { recursive: true });
  cpSync(fixturePath('whatsapp', 'zip', BORIS_ZIP), join(root, 'boris', BORIS_ZIP));
  return root;
}

async function verify(args: string[]): Promise<{ code: number; checks: Check[]; stderr: string }> {
  const r = await runCli(['verify', '--format', 'json', ...args]);
  return { code: r.code, checks: (JSON.parse(r.stdout) as { items: Check[] }).items, stderr: r.stderr };
}

/** The chat text of an archive, as the archive holds it. */
async function entryOf(zipPath: string, name: string): Promise<Buffer> {
  const zip = await ZipArchive.open(zipPath, zipPath, DEFAULT_ZIP_LIMITS);
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of zip.read(name, 1 << 20)) chunks.push(chunk);
    return Buffer.concat(chunks);
  } finally {
    zip.close();
  }
}

test('verify: an untouched case verifies (exit 0); a changed file, a missing photo and a photo swapped inside the zip are each named (exit 1)', async () => {
  const root = evidence('verify');
  const caseDir = join(scratchDir('verify-case'), 'case');
  assert.equal((await runCli(['ingest', '--case', caseDir, root])).code, 0);

  const clean = await verify(['--case', caseDir, '--all']);
  assert.equal(clean.code, 0, clean.stderr);
  assert.ok(clean.checks.length >= 4 && clean.checks.every((c) => c.status === 'ok' && c.sha256 === c.actualSha256));
  assert.ok(clean.checks.some((c) => c.path.endsWith(`${BORIS_ZIP}!${PHOTO}`)), 'the photo inside the zip is checked as an entry');
  assert.match(clean.stderr, /verified \d+ evidence files: every one matches its recorded SHA-256/);

  // The export text changed by one byte, a photo gone, and the zip rebuilt with another picture under
  // the photo's name (a valid archive, a valid CRC-32: only the hash tells).
  const exportFile = join(root, 'anna', 'ChatExport_2022-01-25', 'result.json');
  appendFileSync(exportFile, ' ');
  rmSync(join(root, 'anna', 'ChatExport_2022-01-25', 'files', 'IMG_20220119_153012.jpg'));
  const zipPath = join(root, 'boris', BORIS_ZIP);
  const chat = await entryOf(zipPath, '_chat.txt');
  const writer = pathToFileURL(join(repoRoot, 'fixtures', 'whatsapp', 'archive-faults', 'zip-writer.mjs')).href;
  const { writeZip } = (await import(writer)) as { writeZip: (entries: { name: string; data: Buffer; method?: number }[]) => Buffer };
  const swapped = readFileSync(fixturePath('images', 'messenger-reencode.jpg'));
  writeFileSync(zipPath, writeZip([{ name: '_chat.txt', data: chat }, { name: PHOTO, data: swapped, method: 0 }]));

  const after = await verify(['--case', caseDir]);
  assert.equal(after.code, 1);
  const byEnd = (end: string): Check => {
    const found = after.checks.find((c) => c.path.endsWith(end));
    assert.ok(found, `${end} is listed`);
    return found;
  };
  assert.equal(byEnd('ChatExport_2022-01-25/result.json').status, 'changed');
  assert.equal(byEnd('IMG_20220119_153012.jpg').status, 'missing');
  assert.equal(byEnd(`${BORIS_ZIP}!${PHOTO}`).status, 'changed');
  assert.match(byEnd(`${BORIS_ZIP}!${PHOTO}`).actualSha256!, /^[0-9a-f]{64}$/);
  assert.equal(byEnd(BORIS_ZIP).status, 'changed', 'the archive itself too');
  assert.ok(after.checks.every((c) => c.status !== 'ok'), 'without --all only the problems are listed');
  assert.match(after.stderr, /\d+ match, 3 changed, 1 missing, 0 unreadable/);

  // A FIFO put in a file's place is named unreadable, never opened (no hang).
  rmSync(exportFile);
  mkfifoSync(exportFile);
  const fifo = await verify(['--case', caseDir]);
  assert.equal(fifo.checks.find((c) => c.path.endsWith('result.json'))!.status, 'unreadable');
});

function mkfifoSync(path: string): void {
  // Node has no mkfifo: the system's.
  const r = spawnSync('mkfifo', [path]);
  assert.equal(r.status, 0, String(r.stderr));
}

test('verify: relative paths are found from the folder ingest ran in, or from --root when the evidence moved', async () => {
  const root = evidence('verify-root');
  const caseDir = join(scratchDir('verify-root-case'), 'case');
  const cwd = process.cwd();
  process.chdir(join(root, '..'));
  try {
    assert.equal((await runCli(['ingest', '--case', caseDir, 'evidence'])).code, 0);
  } finally {
    process.chdir(cwd);
  }
  assert.equal((await verify(['--case', caseDir])).code, 0, 'found from the folder ingest ran in, whatever the working folder now');
  const moved = join(scratchDir('verify-moved'), 'copy');
  mkdirSync(moved);
  renameSync(root, join(moved, 'evidence'));
  const lost = await verify(['--case', caseDir]);
  assert.equal(lost.code, 1);
  assert.ok(lost.checks.every((c) => c.status === 'missing'));
  assert.equal((await verify(['--case', caseDir, '--root', moved])).code, 0, '--root finds the moved copy');
});

test('custody: every command that changed the case is logged with its arguments, examiner and counts; a killed one shows as not finished; the manifest carries the log', async () => {
  const caseDir = join(scratchDir('custody'), 'case');
  assert.equal((await runCli(['ingest', '--case', caseDir, fixturePath('sample-case'), '--examiner', 'A. Petrova'])).code, 0);
  assert.equal((await runCli(['senders', '--case', caseDir])).code, 0, 'a listing changes nothing');
  assert.equal((await runCli(['cluster', '--case', caseDir], { env: { THREATLENS_EXAMINER: 'from env' } })).code, 0);
  assert.equal((await runCli(['custody', '--case', caseDir, '--set-examiner', 'Case Lead'])).code, 0);
  assert.equal((await runCli(['cluster', '--case', caseDir], { env: { THREATLENS_EXAMINER: 'from env' } })).code, 0);
  assert.equal((await runCli(['custody', '--case', caseDir, '--note', 'exports of boris received on USB, bag 0142'])).code, 0);
  assert.equal((await runCli(['verify', '--case', caseDir])).code, 0);

  // A command killed after its first commit: its entry stays without an end.
  setInvocation({ command: 'ingest', arguments: ['--case', caseDir, 'more-exports/'], examiner: null, defaultExaminer: null, note: null });
  const handle = openCase(caseDir, { create: false });
  handle.db.transaction(() => recordChange(handle.db))();
  handle.db.close(); // as a kill leaves it: the case is never closed by threatlens

  const listed = await runCli(['custody', '--case', caseDir, '--format', 'json']);
  assert.equal(listed.code, 0, listed.stderr);
  const log = (JSON.parse(listed.stdout) as { items: ReturnType<typeof custodyLog> }).items;
  assert.deepEqual(
    log.map((e) => [e.command, e.examiner]),
    [
      ['ingest', 'A. Petrova'],
      ['cluster', 'from env'],
      ['custody', null],
      ['cluster', 'Case Lead'],
      ['custody', 'Case Lead'],
      ['verify', 'Case Lead'],
      ['ingest', 'Case Lead'],
    ],
    "--examiner first, then the case's examiner, then $THREATLENS_EXAMINER; a listing is not logged",
  );
  assert.deepEqual(log[0]!.arguments, ['--case', caseDir, fixturePath('sample-case'), '--examiner', 'A. Petrova']);
  assert.deepEqual(log[0]!.counts, { exports: 6, messages: 58, evidenceFiles: 9, rejected: 0, runs: 0, decisions: 0 });
  assert.equal(log[3]!.counts!.runs, 2);
  assert.equal(log[4]!.note, 'exports of boris received on USB, bag 0142');
  assert.match(log[5]!.outcome!, /^verified 9 evidence files: every one matches/);
  assert.equal(log[6]!.finishedAt, null, 'the killed command did not finish');
  assert.ok(log.slice(0, 6).every((e) => e.finishedAt !== null && e.finishedAt >= e.startedAt && e.tool.startsWith('threatlens ')));

  const table = await runCli(['custody', '--case', caseDir]);
  assert.match(table.stdout, /did not finish/);
  assert.match(table.stdout, /threatlens custody --case \S+ --set-examiner 'Case Lead'/, 'arguments quoted as a shell needs them');

  const manifest = JSON.parse(readFileSync(join(caseDir, MANIFEST_FILE), 'utf8')) as { examiner: string; custody: unknown[] };
  assert.equal(manifest.examiner, 'Case Lead');
  assert.equal(manifest.custody.length, 7, 'the manifest carries the whole log, the unfinished entry too');
});
