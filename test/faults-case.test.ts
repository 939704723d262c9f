// The case when the world misbehaves: a read-only case, several ingests into one case at once, a
// full disk, a damaged or foreign case.sqlite, a loose umask, and a process killed mid-ingest.
// Real conditions where the machine allows them: read-only and size-limited tmpfs mounts (root
// only), another user (root only), real child processes killed with SIGKILL. A test whose condition
// this machine cannot make says so and is skipped.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { fixturePath, repoRoot, runCli, scratchDir } from './helpers.js';
import { APPLICATION_ID, DB_FILE, MANIFEST_FILE, PAGE_SIZE, caseFault, openCase } from '../src/store/case.js';
import { MIGRATIONS } from '../src/store/schema.js';
import { ExportWriter, type ExportRecord } from '../src/store/write.js';
import { ingest } from '../src/ingest/pipeline.js';
import { EnvironmentError } from '../src/util/errors.js';

const BIN = join(repoRoot, 'bin', 'threatlens.js');
const isRoot = process.getuid?.() === 0;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** threatlens in a child process of its own (a real, separate process: its own SQLite connection and locks). */
function spawnCli(args: string[], options: { uid?: number; gid?: number; umask?: string } = {}): { child: ChildProcess; done: Promise<Run> } {
  const command = options.umask === undefined ? process.execPath : '/bin/sh';
  const argv = options.umask === undefined ? [BIN, ...args] : ['-c', `umask ${options.umask}; exec "$0" "$@"`, process.execPath, BIN, ...args];
  const child = spawn(command, argv, {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid !== undefined ? { uid: options.uid, gid: options.gid ?? options.uid } : {}),
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Run>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

const cli = (args: string[], options: Parameters<typeof spawnCli>[1] = {}): Promise<Run> => spawnCli(args, options).done;

/** Mounts a tmpfs at a new folder, or says why it cannot (not root, no CAP_SYS_ADMIN, no tmpfs); unmounted after the test. */
function mountTmpfs(t: TestContext, label: string, options: string): string | null {
  if (!isRoot) {
    t.skip(`skipped: mounting a tmpfs needs root (this run is uid ${process.getuid?.()})`);
    return null;
  }
  const dir = join(scratchDir(label), 'mnt');
  mkdirSync(dir);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    t.skip(`skipped: this machine does not allow mounting a tmpfs here (${String((error as { stderr?: Buffer }).stderr ?? error).trim()})`);
    return null;
  }
  t.after(() => {
    try {
      execFileSync('umount', [dir], { stdio: 'pipe' });
    } catch {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
    }
  });
  return dir;
}

function remount(dir: string, options: string): void {
  execFileSync('mount', ['-o', `remount,${options}`, dir], { stdio: 'pipe' });
}

/** An export row as a reader would announce it (for driving the writer directly). */
const record = (hex: string): ExportRecord => ({
  sha256: hex.repeat(64),
  path: `${hex}.txt`,
  size: 1,
  victim: 'v',
  tz: null,
  info: { reader: 'whatsapp-txt', platform: 'whatsapp', ownerKey: null, ownerName: null, ownerPhoneRaw: null, facts: {} },
  ingestedAt: '2026-01-01T00:00:00Z',
});

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** A WhatsApp export of `n` messages, unique to `seed` (an Android English one, as in fixtures/whatsapp). */
function generatedExport(path: string, n: number, seed: number): string {
  const words = ['we', 'know', 'where', 'you', 'live', 'pay', 'now', 'or', 'else', 'money', 'police', 'safe', 'tomorrow'];
  const lines = ['09/03/2024, 21:14 - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.'];
  for (let i = 0; i < n; i++) {
    const day = 1 + (Math.floor(i / 1440) % 28);
    const hh = Math.floor(i / 60) % 24;
    const mm = i % 60;
    const who = i % 2 === 1 ? `+7 912 345-67-${String(seed % 100).padStart(2, '0')}` : 'Anna';
    const text = Array.from({ length: 12 }, (_, k) => words[(i * 7 + k * 3 + seed) % words.length]).join(' ');
    lines.push(`${String(day).padStart(2, '0')}/04/2024, ${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')} - ${who}: message ${seed}-${i} ${text}`);
  }
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** What the case's database holds, read without writing (a read-only connection). */
function caseState(caseDir: string): { exports: string[]; evidence: string[]; messages: number; stale: string | null; ok: string } {
  const db = new Database(join(caseDir, DB_FILE), { readonly: true, fileMustExist: true });
  try {
    return {
      exports: (db.prepare('SELECT path FROM exports ORDER BY path').pluck().all() as string[]),
      evidence: (db.prepare('SELECT DISTINCT path FROM evidence ORDER BY path').pluck().all() as string[]),
      messages: db.prepare('SELECT count(*) FROM messages').pluck().get() as number,
      stale: (db.prepare("SELECT value FROM meta WHERE key = 'manifest.stale'").pluck().get() as string | undefined) ?? null,
      ok: db.pragma('integrity_check', { simple: true }) as string,
    };
  } finally {
    db.close();
  }
}

function manifestPaths(caseDir: string): { files: string[]; exports: string[] } {
  const manifest = JSON.parse(readFileSync(join(caseDir, MANIFEST_FILE), 'utf8')) as { files: { path: string; role: string }[] };
  return {
    files: [...new Set(manifest.files.map((f) => f.path))].sort(),
    exports: manifest.files.filter((f) => f.role === 'export').map((f) => f.path).sort(),
  };
}

const noInternalError = (r: { stderr: string }, what: string): void => {
  assert.doesNotMatch(r.stderr, /internal error|SqliteError|at openCase|    at /, `${what}: ${r.stderr}`);
};

/** A case as threatlens of schema 8 left it (before cases were marked). */
function schema8Case(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const old = new Database(join(dir, DB_FILE));
  for (const m of MIGRATIONS.filter((x) => x.version <= 8)) old.exec(m.sql);
  old.pragma('user_version = 8');
  old.prepare("INSERT INTO meta (key, value) VALUES ('created_by', 'threatlens 0.0.9')").run();
  old.close();
}

// 1. Read-only case --------------------------------------------------------------------------

test('read-only mount: every listing and explain works, cluster says it records nothing, writers are refused (exit 2)', async (t) => {
  const mnt = mountTmpfs(t, 'ro', 'size=32m,mode=0755');
  if (mnt === null) return;
  const caseDir = join(mnt, 'case');
  const ingest = await runCli(['ingest', '--case', caseDir, fixturePath('sample-case')]);
  assert.equal(ingest.code, 0, ingest.stderr);
  const clusters = await runCli(['cluster', '--case', caseDir, '--format', 'json']);
  const clusterId = (JSON.parse(clusters.stdout) as { items: { id: string }[] }).items[0]!.id;
  schema8Case(join(mnt, 'old'));
  const before = Object.fromEntries(readdirSync(caseDir).map((f) => [f, sha(join(caseDir, f))]));
  remount(mnt, 'ro');
  // The commands run in this process (the mount is what is real here, not the process boundary).
  assert.throws(() => writeFileSync(join(mnt, 'probe'), ''), /EROFS/, 'the mount is read-only, also for root');

  for (const args of [['messages'], ['senders'], ['phones'], ['media'], ['cluster'], ['explain', clusterId], ['messages', '--search', 'безопасности']]) {
    const r = await runCli([...args, '--case', caseDir]);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.ok(r.stdout.length > 0, `${args.join(' ')} prints`);
    noInternalError(r, args[0]!);
    if (args[0] === 'cluster') assert.match(r.stderr, /the case is read-only: this run is not recorded in it/);
    else assert.equal(r.stderr, '', `${args.join(' ')} says nothing on stderr`);
  }
  for (const args of [
    ['ingest', fixturePath('whatsapp', 'android-ru-24h.txt')],
    ['analyze', fixturePath('whatsapp', 'android-ru-24h.txt')],
  ]) {
    const r = await runCli([...args, '--case', caseDir]);
    assert.equal(r.code, 2, `${args[0]}: ${r.stderr}`);
    assert.match(r.stderr, /^threatlens: the case at .* is read-only \(read-only file system\), and this command writes into it\n  copy the case folder/);
  }
  // An older case cannot be upgraded where it lies: said so, exit 2.
  const old = await runCli(['senders', '--case', join(mnt, 'old')]);
  assert.equal(old.code, 2, old.stderr);
  assert.match(old.stderr, /written by an older threatlens \(schema 8; this one reads \d+\) and is read-only, so it cannot be upgraded\n  open it once where it can be written/);
  assert.deepEqual(Object.fromEntries(readdirSync(caseDir).map((f) => [f, sha(join(caseDir, f))])), before, 'nothing changed');
});

test('no write permission (another user, or chmod when not root): listings read, ingest is refused, nothing is written', async () => {
  const root = scratchDir('perm');
  chmodSync(root, 0o755);
  const caseDir = join(root, 'case');
  const ingest = await runCli(['ingest', '--case', caseDir, fixturePath('sample-case')]);
  assert.equal(ingest.code, 0, ingest.stderr);
  // Readable by others, writable by nobody: as a case handed over on a write-protected share.
  chmodSync(caseDir, 0o555);
  for (const f of readdirSync(caseDir)) chmodSync(join(caseDir, f), 0o444);
  const before = Object.fromEntries(readdirSync(caseDir).map((f) => [f, sha(join(caseDir, f))]));
  // Root ignores permission bits: run as the unprivileged user `nobody` then (a real permission check).
  const as = isRoot ? { uid: 65534, gid: 65534 } : {};
  try {
    for (const command of ['messages', 'senders', 'media', 'cluster']) {
      const r = await cli([command, '--case', caseDir, '--format', 'json'], as);
      assert.equal(r.code, 0, `${command}: ${r.stderr}`);
      noInternalError(r, command);
      assert.ok(JSON.parse(r.stdout).items.length > 0, command);
    }
    const refused = await cli(['ingest', '--case', caseDir, fixturePath('whatsapp', 'android-ru-24h.txt')], as);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /is read-only \(no write permission\), and this command writes into it/);
    assert.deepEqual(Object.fromEntries(readdirSync(caseDir).map((f) => [f, sha(join(caseDir, f))])), before, 'no file changed or added');
  } finally {
    chmodSync(caseDir, 0o700);
  }
});

// 2. Concurrent ingests --------------------------------------------------------------------------

const EXPORTS = [
  fixturePath('whatsapp', 'android-ru-24h.txt'),
  fixturePath('telegram', 'chat-personal'),
  fixturePath('whatsapp', 'ios-de-24h.txt'),
  fixturePath('telegram', 'chat-links'),
];

async function concurrentIngests(n: number): Promise<void> {
  const caseDir = join(scratchDir(`conc${n}`), 'case');
  const inputs = EXPORTS.slice(0, n);
  // Every process starts before any has created the case.
  const runs = inputs.map((input) => cli(['ingest', '--case', caseDir, input, '--tz', 'UTC', '--format', 'json']));
  // A reader while they write: as soon as the case exists.
  while (!existsSync(join(caseDir, MANIFEST_FILE))) await new Promise((r) => setTimeout(r, 10));
  const reader = await cli(['messages', '--case', caseDir, '--format', 'jsonl']);
  const results = await Promise.all(runs);
  assert.equal(reader.code, 0, `messages while ingesting: ${reader.stderr}`);
  noInternalError(reader, 'messages');
  let sum = 0;
  for (const [i, r] of results.entries()) {
    assert.equal(r.code, 0, `ingest ${inputs[i]}: ${r.stderr}`);
    noInternalError(r, `ingest ${inputs[i]}`);
    assert.doesNotMatch(r.stderr, /locked|busy|already exists/);
    for (const f of JSON.parse(r.stdout).items as { status: string; messages: number }[]) {
      if (f.status === 'ingested') sum += f.messages;
    }
  }
  const state = caseState(caseDir);
  assert.equal(state.ok, 'ok');
  assert.equal(state.exports.length, n, 'every export landed');
  const listed = await runCli(['messages', '--case', caseDir, '--format', 'jsonl']);
  assert.equal(listed.stdout.trim().split('\n').length, sum, 'the messages listed are the sum of those each ingest took in');
  assert.equal(state.messages, sum);
  assert.deepEqual(manifestPaths(caseDir).exports, state.exports, 'the manifest lists every export');
  assert.equal(state.stale, '0');
  // The same as ingesting them one after the other.
  const serial = join(scratchDir(`serial${n}`), 'case');
  for (const input of inputs) assert.equal((await runCli(['ingest', '--case', serial, input, '--tz', 'UTC'])).code, 0);
  assert.equal(caseState(serial).messages, sum);
}

test('4 ingests at once into one new case: all land, a reader meanwhile works, message counts add up', async () => {
  await concurrentIngests(4);
});

test('the same export ingested by two processes at once lands once; the other reports it as a duplicate', async () => {
  const caseDir = join(scratchDir('samefile'), 'case');
  const input = fixturePath('whatsapp', 'android-ru-24h.txt');
  const results = await Promise.all([0, 1].map(() => cli(['ingest', '--case', caseDir, input, '--format', 'json'])));
  for (const r of results) assert.equal(r.code, 0, r.stderr);
  const statuses = results.map((r) => (JSON.parse(r.stdout).items as { status: string }[])[0]!.status).sort();
  assert.deepEqual(statuses, ['duplicate', 'ingested']);
  assert.equal(caseState(caseDir).exports.length, 1);
});

test('a writer that waits too long for another one says the case is busy (exit 1), and the case is intact', async () => {
  const caseDir = join(scratchDir('busy'), 'case');
  assert.equal((await runCli(['ingest', '--case', caseDir, fixturePath('whatsapp', 'android-ru-24h.txt')])).code, 0);
  const holder = new Database(join(caseDir, DB_FILE));
  holder.exec('BEGIN IMMEDIATE');
  try {
    const handle = openCase(caseDir, { create: false, busyTimeoutMs: 200 });
    try {
      assert.throws(
        () => new ExportWriter(handle, record('f')),
        (error: Error & { code?: string }) => error.code === 'SQLITE_BUSY',
      );
    } finally {
      handle.close();
    }
  } finally {
    holder.exec('ROLLBACK');
    holder.close();
  }
  const fault = caseFault(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }));
  assert.match(fault!.message, /case\.sqlite is busy: another threatlens process kept it locked for 0 seconds/);
  assert.equal(fault!.name, 'EnvironmentError');
});

// 3. Disk full ------------------------------------------------------------------------------------

test('disk full: the export that did not land is named, exit 1; the case keeps what it held, and a later run finishes the job', async (t) => {
  const mnt = mountTmpfs(t, 'full', 'size=3m,mode=0755');
  if (mnt === null) return;
  const caseDir = join(mnt, 'case');
  const first = fixturePath('whatsapp', 'android-ru-24h.txt');
  assert.equal((await runCli(['ingest', '--case', caseDir, first, '--tz', 'UTC'])).code, 0);
  const before = caseState(caseDir);
  // About 5 MB of database: more than the 3 MB the disk has.
  const big = generatedExport(join(scratchDir('full-input'), 'big.txt'), 8000, 2);
  const r = await cli(['ingest', '--case', caseDir, big, '--tz', 'UTC']);
  assert.equal(r.code, 1, r.stderr);
  noInternalError(r, 'ingest');
  assert.doesNotMatch(r.stderr, /cannot rollback/);
  assert.match(r.stderr, /^threatlens: the disk is full: .*big\.txt did not land in the case at .*case \(nothing of it was kept\); the case holds what it held before\n  free some space/m);
  const after = caseState(caseDir);
  assert.equal(after.ok, 'ok');
  assert.deepEqual(after.exports, before.exports, 'earlier exports intact, nothing of the failed one');
  assert.equal(after.messages, before.messages);
  assert.deepEqual(manifestPaths(caseDir).exports, before.exports, 'the manifest still matches the database');
  const listed = await runCli(['messages', '--case', caseDir, '--format', 'jsonl']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.equal(listed.stdout.trim().split('\n').length, before.messages);
  // Space freed (the disk grown): the same ingest takes the export in.
  remount(mnt, 'size=64m');
  const again = await runCli(['ingest', '--case', caseDir, big, '--tz', 'UTC']);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(caseState(caseDir).exports.length, 2);
});

test('exports landing together: a full disk in a group of short chats names every one that did not land; a long chat is a transaction of its own, after those before it are committed', async () => {
  for (const long of [false, true]) {
    const dir = scratchDir('group-full');
    const chats = join(dir, 'anna');
    mkdirSync(chats, { recursive: true });
    generatedExport(join(chats, 'WhatsApp Chat with Борис.txt'), 12, 1);
    generatedExport(join(chats, 'WhatsApp Chat with Мама.txt'), 12, 2);
    const third = generatedExport(join(chats, 'WhatsApp Chat with Тётя Оля.txt'), long ? 11000 : 6000, 3);
    assert.equal(statSync(third).size >= 1 << 20, long);
    const handle = openCase(null, { create: true });
    try {
      // The case may grow by 60 pages of 8 KiB: room for the two short chats, not for the third.
      const pages = handle.db.pragma('page_count', { simple: true }) as number;
      handle.db.pragma(`max_page_count = ${pages + 60}`);
      const options = { victim: 'anna', tz: 'UTC', dateOrder: null, region: null };
      await assert.rejects(ingest(handle, [chats], options), (error: Error) => {
        assert.ok(error instanceof EnvironmentError, String(error));
        // SQLite rolls the whole transaction back on a full disk: the short chats of the group went with it.
        assert.match(
          error.message,
          long
            ? /^the disk is full: \S+\/anna\/WhatsApp Chat with Тётя Оля\.txt did not land in the case at the in-memory case \(nothing of it was kept\); the case holds what it held before, and the 2 exports taken in before in this run$/
            : /^the disk is full: 3 exports read last \(\S+\/anna\/WhatsApp Chat with Борис\.txt to \S+\/anna\/WhatsApp Chat with Тётя Оля\.txt\) did not land in the case at the in-memory case \(nothing of them was kept\); the case holds what it held before$/,
        );
        return true;
      });
      assert.equal(handle.db.inTransaction, false, 'no transaction left open');
      const landed = handle.db.prepare('SELECT messages FROM exports ORDER BY path').pluck().all();
      assert.deepEqual(landed, long ? [13, 13] : [], 'each chat: its messages and the encryption notice');
      assert.equal(handle.db.prepare('SELECT count(*) FROM messages').pluck().get(), long ? 26 : 0);
      assert.equal(handle.db.pragma('integrity_check', { simple: true }), 'ok');
      // Space freed: the same ingest takes in what did not land.
      handle.db.pragma('max_page_count = 1000000');
      const again = await ingest(handle, [chats], options);
      assert.deepEqual(again.files.map((f) => f.status), long ? ['duplicate', 'duplicate', 'ingested'] : ['ingested', 'ingested', 'ingested']);
      assert.equal(handle.db.prepare('SELECT count(*) FROM messages').pluck().get(), 26 + (long ? 11001 : 6001));
    } finally {
      handle.close();
    }
  }
});

test('exports landing together: an export cut short after some of its messages were written is undone alone (its savepoint), the others of the group land', async () => {
  const dir = scratchDir('group-damaged');
  const victim = join(dir, 'boris');
  for (const [folder, fixture] of [['a', 'chat-old-2020'], ['b', 'truncated'], ['c', 'iso-dates']] as const) {
    mkdirSync(join(victim, folder), { recursive: true });
    cpSync(fixturePath('telegram', fixture, 'result.json'), join(victim, folder, 'result.json'));
  }
  const options = { victim: 'boris', tz: 'UTC', dateOrder: null, region: null };
  // What the two intact exports hold, ingested on their own.
  const alone = openCase(null, { create: true });
  await ingest(alone, [join(victim, 'a'), join(victim, 'c')], options);
  const expected = alone.db.prepare('SELECT count(*) FROM messages').pluck().get() as number;
  alone.close();
  assert.ok(expected > 5);
  const handle = openCase(null, { create: true });
  try {
    const report = await ingest(handle, [victim], options);
    assert.deepEqual(report.files.map((f) => [f.path.slice(dir.length + 1), f.status]), [
      ['boris/a/result.json', 'ingested'],
      ['boris/b/result.json', 'rejected'],
      ['boris/c/result.json', 'ingested'],
    ]);
    assert.match(report.errors[0]!.message, /messages\[3\] of chat "Виктор"/, 'cut short after three messages had been read');
    assert.equal(handle.db.inTransaction, false);
    assert.deepEqual(
      (handle.db.prepare('SELECT path FROM exports ORDER BY path').pluck().all() as string[]).map((p) => p.slice(dir.length + 1)),
      ['boris/a/result.json', 'boris/c/result.json'],
    );
    assert.equal(handle.db.prepare('SELECT count(*) FROM messages').pluck().get(), expected, 'nothing of the cut export');
    assert.equal(handle.db.prepare("SELECT count(*) FROM chats WHERE name = 'Виктор'").pluck().get(), 0);
    handle.db.exec("INSERT INTO messages_fts(messages_fts) VALUES ('integrity-check')");
    assert.equal(handle.db.prepare('SELECT count(*) FROM rejections').pluck().get(), 1);
  } finally {
    handle.close();
  }
});

test('a transaction SQLite already rolled back (as after a full disk) is not rolled back twice', () => {
  const handle = openCase(null, { create: true });
  try {
    const writer = new ExportWriter(handle, record('e'));
    handle.db.exec('ROLLBACK');
    assert.doesNotThrow(() => writer.rollback());
    assert.equal(handle.db.prepare('SELECT count(*) FROM exports').pluck().get(), 0);
  } finally {
    handle.close();
  }
});

// 4. Damaged or foreign case ---------------------------------------------------------------------

test('a damaged case.sqlite is named as damaged (exit 2), never a stack trace; a foreign SQLite file is refused and left untouched', async () => {
  const root = scratchDir('damaged');
  const good = join(root, 'good');
  generatedExport(join(root, 'input.txt'), 3000, 7);
  assert.equal((await runCli(['ingest', '--case', good, join(root, 'input.txt'), '--tz', 'UTC'])).code, 0);
  const goodDb = join(good, DB_FILE);
  assert.equal(new Database(goodDb, { readonly: true }).pragma('application_id', { simple: true }), APPLICATION_ID, 'a new case is marked');

  const cases: [string, (dir: string) => void, RegExp][] = [
    ['random bytes', (dir) => writeFileSync(join(dir, DB_FILE), createHash('sha512').update('x').digest().toString('hex').repeat(200)), /is damaged \(not an SQLite database: it starts with other bytes\)/],
    ['a few bytes', (dir) => writeFileSync(join(dir, DB_FILE), 'SQLite'), /is damaged \(6 bytes, shorter than an SQLite header\)/],
    ['truncated mid-page', (dir) => (cpSync(goodDb, join(dir, DB_FILE)), truncateSync(join(dir, DB_FILE), 100_000)), /is damaged \(truncated: 100000 bytes of the \d+ its header gives\)/],
    ['truncated to whole pages', (dir) => (cpSync(goodDb, join(dir, DB_FILE)), truncateSync(join(dir, DB_FILE), 8 * 4096)), /is damaged \(truncated: 32768 bytes of the \d+ its header gives\)/],
    [
      'pages overwritten',
      (dir) => {
        const bytes = readFileSync(goodDb);
        bytes.fill(0xa5, 4096 * 3, bytes.length - 4096);
        writeFileSync(join(dir, DB_FILE), bytes);
      },
      /is damaged \((database disk image is malformed|file is not a database)\)/,
    ],
    ['a folder named case.sqlite', (dir) => mkdirSync(join(dir, DB_FILE)), /case\.sqlite is damaged \(it is a folder, not a database file\)/],
  ];
  for (const [what, make, message] of cases) {
    const dir = join(root, what.replace(/\W+/g, '-'));
    mkdirSync(dir);
    make(dir);
    for (const args of [['messages'], ['senders'], ['ingest', join(root, 'input.txt')]]) {
      const r = await runCli([...args, '--case', dir]);
      assert.equal(r.code, 2, `${what}, ${args[0]}: ${r.stderr}`);
      assert.match(r.stderr, message, `${what}, ${args[0]}`);
      assert.match(r.stderr, new RegExp(`${join(dir, DB_FILE).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), 'names the file');
      assert.match(r.stderr, /\n  restore case\.sqlite from a copy/);
      noInternalError(r, `${what}, ${args[0]}`);
    }
  }

  // Not a folder at all.
  for (const args of [['messages'], ['ingest', join(root, 'input.txt')]]) {
    const r = await runCli([...args, '--case', '/dev/null']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^threatlens: --case \/dev\/null is not a folder\n/);
  }

  // Another program's database: refused by every command, not one byte or file added.
  const foreign = join(root, 'foreign');
  mkdirSync(foreign);
  const other = new Database(join(foreign, DB_FILE));
  other.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('not evidence')");
  other.close();
  const foreignSha = sha(join(foreign, DB_FILE));
  for (const args of [['messages'], ['cluster'], ['ingest', join(root, 'input.txt')], ['analyze', join(root, 'input.txt')]]) {
    const r = await runCli([...args, '--case', foreign]);
    assert.equal(r.code, 2, `${args[0]}: ${r.stderr}`);
    assert.match(r.stderr, /case\.sqlite is not a threatlens case: it is another program's SQLite database\n  threatlens left it untouched/);
  }
  assert.equal(sha(join(foreign, DB_FILE)), foreignSha, 'the foreign database is unchanged');
  assert.deepEqual(readdirSync(foreign), [DB_FILE], 'no manifest, no WAL added');
  // A database another program marked with its own application_id, even with threatlens's tables.
  const marked = join(root, 'marked');
  schema8Case(marked);
  const db = new Database(join(marked, DB_FILE));
  db.pragma('application_id = 1234');
  db.close();
  const r = await runCli(['messages', '--case', marked]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /is not a threatlens case/);
});

test('a case of schema 8 (before cases were marked) still opens, is upgraded and marked, keeping its page size; a new case gets 8 KiB pages', async () => {
  const dir = join(scratchDir('old'), 'case');
  schema8Case(dir);
  const r = await runCli(['messages', '--case', dir]);
  assert.equal(r.code, 0, r.stderr);
  const db = new Database(join(dir, DB_FILE), { readonly: true });
  assert.equal(db.pragma('application_id', { simple: true }), APPLICATION_ID);
  assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS[MIGRATIONS.length - 1]!.version);
  assert.equal(db.pragma('page_size', { simple: true }), 4096, 'an old case keeps its pages');
  db.close();
  assert.ok(existsSync(join(dir, MANIFEST_FILE)), 'and its manifest written');
  // A new case is made with larger pages.
  const fresh = join(scratchDir('new'), 'case');
  assert.equal((await runCli(['ingest', '--case', fresh, fixturePath('whatsapp', 'android-ru-24h.txt'), '--tz', 'UTC'])).code, 0);
  const made = new Database(join(fresh, DB_FILE), { readonly: true });
  assert.equal(made.pragma('page_size', { simple: true }), PAGE_SIZE);
  made.close();
});

// 5. Permissions ---------------------------------------------------------------------------------

test('umask 000: the case folder is created 0700, its database and manifest 0600 (and SQLite files beside them)', async () => {
  const root = scratchDir('umask');
  const caseDir = join(root, 'cases', 'victims');
  const r = await cli(['ingest', '--case', caseDir, fixturePath('sample-case')], { umask: '000' });
  assert.equal(r.code, 0, r.stderr);
  const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);
  assert.equal(mode(caseDir), '700');
  assert.equal(mode(join(root, 'cases')), '700', 'folders created on the way too');
  assert.equal(mode(join(caseDir, DB_FILE)), '600');
  assert.equal(mode(join(caseDir, MANIFEST_FILE)), '600');
  // The WAL and shared-memory files exist while the case is open: SQLite gives them the database's mode.
  const previous = process.umask(0);
  try {
    const dir = join(root, 'in-process');
    const handle = openCase(dir, { create: true });
    try {
      for (const f of readdirSync(dir)) assert.equal(mode(join(dir, f)), f === DB_FILE || f.startsWith(`${DB_FILE}-`) || f === MANIFEST_FILE ? '600' : '?', f);
      assert.ok(existsSync(join(dir, `${DB_FILE}-wal`)), 'WAL file present while open');
      assert.equal(mode(dir), '700');
    } finally {
      handle.close();
    }
  } finally {
    process.umask(previous);
  }
});

// 6. kill -9 during ingest -----------------------------------------------------------------------

test('kill -9 at any moment of an ingest: the case opens, and its manifest lists exactly the committed exports', async () => {
  const inputs = join(scratchDir('kill-input'), 'victim');
  mkdirSync(inputs);
  for (const seed of [1, 2, 3]) generatedExport(join(inputs, `chat-${seed}.txt`), 1500, seed);
  /** Kills the ingest when `when` says so, given what the database has committed so far. */
  const killWhen = async (label: string, when: (state: { created: boolean; exports: number }) => boolean): Promise<void> => {
    const caseDir = join(scratchDir(`kill-${label}`), 'case');
    const { child, done } = spawnCli(['ingest', '--case', caseDir, inputs, '--tz', 'UTC']);
    let finished = false;
    void done.then(() => (finished = true));
    let reader: Database.Database | null = null;
    try {
      for (;;) {
        if (finished) assert.fail(`${label}: the ingest ended before the kill point`);
        let state = { created: false, exports: 0 };
        if (existsSync(join(caseDir, MANIFEST_FILE))) {
          reader ??= new Database(join(caseDir, DB_FILE), { readonly: true, fileMustExist: true });
          state = { created: true, exports: reader.prepare('SELECT count(*) FROM exports').pluck().get() as number };
        }
        if (when(state)) break;
        await new Promise((r) => setTimeout(r, 5));
      }
    } finally {
      reader?.close();
    }
    child.kill('SIGKILL');
    const killed = await done;
    assert.equal(killed.signal, 'SIGKILL', `${label}: killed`);
    // Right after the kill: the manifest exists; it matches the database, or the database says it lags.
    assert.ok(existsSync(join(caseDir, MANIFEST_FILE)), `${label}: manifest exists`);
    const raw = caseState(caseDir);
    if (raw.stale !== '1') assert.deepEqual(manifestPaths(caseDir).files, raw.evidence, `${label}: manifest not marked stale, so it must match`);
    // Opened again (any command; in this process, as the killed one is gone): consistent, and the manifest lists exactly the committed exports' files.
    const listed = await runCli(['messages', '--case', caseDir, '--format', 'jsonl']);
    assert.equal(listed.code, 0, `${label}: ${listed.stderr}`);
    const state = caseState(caseDir);
    assert.equal(state.ok, 'ok');
    assert.equal(listed.stdout === '' ? 0 : listed.stdout.trim().split('\n').length, state.messages);
    assert.deepEqual(manifestPaths(caseDir).exports, state.exports, `${label}: exports in the manifest`);
    assert.deepEqual(manifestPaths(caseDir).files, state.evidence, `${label}: files in the manifest`);
    assert.equal(state.stale, '0');
    // And the same ingest finishes the job.
    const rest = await runCli(['ingest', '--case', caseDir, inputs, '--tz', 'UTC']);
    assert.equal(rest.code, 0, rest.stderr);
    assert.equal(caseState(caseDir).exports.length, 3);
    assert.equal(manifestPaths(caseDir).exports.length, 3);
  };
  await killWhen('created', (s) => s.created);
  await killWhen('first-commit', (s) => s.exports >= 1);
  await killWhen('second-commit', (s) => s.exports >= 2);
});
