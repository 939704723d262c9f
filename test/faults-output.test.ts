// Faults met while writing the data (-o FILE or stdout): a full device, an I/O error, a file system
// that refuses new files. Each says what failed and where, exits 1 (a wrong -o path, found before
// any work, stays a usage error, exit 2), never shows a stack, and leaves no half-written file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, openSync, closeSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable, Readable } from 'node:stream';
import { fixturePath, repoRoot, runCli, scratchDir } from './helpers.js';
import { writeData, writeOutputFile, type Io } from '../src/cli/io.js';
import { main } from '../src/cli/main.js';
import { EnvironmentError } from '../src/util/errors.js';

// The input does not matter to output faults: one small export (a Russian Android chat) keeps them quick.
const INPUT = [fixturePath('whatsapp', 'android-ru-24h.txt'), '--tz', 'Europe/Moscow'];
const BIN = join(repoRoot, 'bin', 'threatlens.js');

function noStack(stderr: string): void {
  assert.doesNotMatch(stderr, /internal error|\n\s+at /, stderr);
}

/** Runs the real CLI with stdout going to `stdoutFd` (or a pipe) and returns code and stderr. */
function runChild(args: string[], stdoutFd: number | 'pipe' = 'pipe'): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', stdoutFd, 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A system error as node:fs throws it. */
function systemError(code: string, text: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${text}, write`), { code, syscall: 'write', errno: -28 });
}

/** 200 KiB of chunks, then `error` thrown mid-way, after some pieces reached the file. */
function* failingChunks(error: Error): Generator<string> {
  for (let i = 0; i < 200; i++) yield 'x'.repeat(1024);
  throw error;
}

const leftovers = (dir: string): string[] => readdirSync(dir).filter((n) => n.includes('.threatlens-'));

test('-o /dev/full: a full device is one line naming it, exit 1, no stack', { skip: !existsSync('/dev/full') }, async () => {
  const before = readdirSync('/dev').filter((n) => n.includes('threatlens'));
  for (const format of ['json', 'csv', 'table']) {
    const r = await runCli(['messages', ...INPUT, '--format', format, '-o', '/dev/full']);
    assert.equal(r.code, 1, r.stderr);
    noStack(r.stderr);
    assert.match(r.stderr, /^threatlens: cannot write -o \/dev\/full: no space left on the device \(ENOSPC\)\n/);
    assert.equal(r.stdout, '');
  }
  // A device is written in place: no temporary file beside it, nothing renamed over it.
  assert.deepEqual(readdirSync('/dev').filter((n) => n.includes('threatlens')), before);
  assert.ok(statSync('/dev/full').isCharacterDevice());
});

test('-o /proc/version: refused without a stack, and the file is untouched', { skip: !existsSync('/proc/version') }, async () => {
  const before = readFileSync('/proc/version', 'utf8');
  const r = await runCli(['senders', ...INPUT, '--format', 'csv', '-o', '/proc/version']);
  noStack(r.stderr);
  // As root the folder passes the early check and creating the temporary file fails (exit 1);
  // otherwise the early check refuses the folder (exit 2). Either way one line names the path.
  assert.ok(r.code === 1 || r.code === 2, `exit ${r.code}: ${r.stderr}`);
  assert.match(r.stderr, /^threatlens: cannot write -o \/proc\/version: /);
  if (r.code === 1) assert.match(r.stderr, /cannot create a temporary file in \/proc: .*\n  \/proc\/version was left as it was\n$/);
  assert.equal(readFileSync('/proc/version', 'utf8'), before);
});

test('-o a folder, or a file in a missing folder: a usage error before any work, no stack', async () => {
  const dir = scratchDir('out-usage');
  for (const target of [dir, join(dir, 'missing', 'out.json'), join(dir, 'missing')]) {
    const r = await runCli(['messages', ...INPUT, '--format', 'json', '-o', target]);
    noStack(r.stderr);
    if (target.endsWith('missing')) {
      // A new file in an existing folder is fine.
      assert.equal(r.code, 0, r.stderr);
      assert.equal(JSON.parse(readFileSync(target, 'utf8')).kind, 'messages');
      continue;
    }
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^threatlens: cannot write -o .*: (it is a folder|its folder does not exist)\n/);
  }
  assert.deepEqual(leftovers(dir), []);
});

test('a fault while writing -o FILE leaves the earlier file as it was and no temporary file', async () => {
  const dir = scratchDir('out-fault');
  const file = join(dir, 'report.json');
  writeFileSync(file, 'earlier report\n');
  await assert.rejects(writeOutputFile(file, failingChunks(systemError('ENOSPC', 'no space left on device'))), (error: unknown) => {
    assert.ok(error instanceof EnvironmentError);
    assert.equal(error.message, `cannot write -o ${file}: no space left on the device (ENOSPC)`);
    assert.equal(error.hint, `${file} was left as it was`);
    return true;
  });
  assert.equal(readFileSync(file, 'utf8'), 'earlier report\n');
  assert.deepEqual(leftovers(dir), []);
  // A new file: none is left behind.
  const fresh = join(dir, 'new.csv');
  await assert.rejects(writeOutputFile(fresh, failingChunks(systemError('EIO', 'i/o error'))), /input\/output error \(EIO\)/);
  assert.equal(existsSync(fresh), false);
  assert.deepEqual(leftovers(dir), []);
  // A bug while rendering is no output fault: it passes as it is (exit 3), still without leftovers.
  await assert.rejects(writeOutputFile(fresh, failingChunks(new TypeError('a bug'))), (error: unknown) => error instanceof TypeError);
  assert.equal(existsSync(fresh), false);
  assert.deepEqual(leftovers(dir), []);
});

test('-o FILE replaces a file whole, keeping its permissions and the symlink that points to it', async () => {
  const dir = scratchDir('out-replace');
  const file = join(dir, 'senders.csv');
  writeFileSync(file, 'old');
  chmodSync(file, 0o640);
  const link = join(dir, 'latest.csv');
  symlinkSync(file, link);
  const r = await runCli(['senders', ...INPUT, '--format', 'csv', '-o', link]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(lstatSync(link).isSymbolicLink(), 'the link stays a link');
  assert.match(readFileSync(file, 'utf8'), /^key,platform,names/);
  assert.equal(statSync(file).mode & 0o777, 0o640);
  assert.deepEqual(leftovers(dir), []);
});

test('stdout on a full device: one line, exit 1, no stack (also for --help)', { skip: !existsSync('/dev/full') }, async () => {
  for (const args of [['messages', ...INPUT, '--format', 'json'], ['senders', ...INPUT], ['--help']]) {
    const full = openSync('/dev/full', 'w');
    const r = await runChild(args, full);
    closeSync(full);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
    noStack(r.stderr);
    assert.match(r.stderr, /^threatlens: cannot write to standard output: no space left on the device \(ENOSPC\)\n/);
    assert.equal(r.stderr.match(/cannot write/g)!.length, 1, r.stderr);
  }
});

test('a stdout stream that fails is an output fault in-process too', async () => {
  let stderr = '';
  const stdout = Object.assign(
    new Writable({
      write(_chunk, _encoding, done) {
        done(systemError('ENOSPC', 'no space left on device'));
      },
    }),
    { isTTY: false, columns: 200 },
  );
  const stderrSink = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        stderr += chunk.toString();
        done();
      },
    }),
    { isTTY: false },
  );
  const stdin = Object.assign(Readable.from([]), { isTTY: true });
  const code = await main(['node', 'threatlens', 'messages', ...INPUT, '--format', 'jsonl'], { stdin, stdout, stderr: stderrSink, env: {} });
  assert.equal(code, 1, stderr);
  noStack(stderr);
  assert.match(stderr, /^threatlens: cannot write to standard output: no space left on the device \(ENOSPC\)\n  the data written is incomplete\n$/);
});

test('stdout failing on a piece before the last: the write stops there with an output fault, and nothing more is written', async () => {
  // Only the last piece is written with a callback; the others' errors come as 'error' events.
  for (const failAt of [0, 2]) {
    let writes = 0;
    const stdout = new Writable({
      write(_chunk, _encoding, done) {
        writes++;
        if (writes > failAt) done(systemError('ENOSPC', 'no space left on device'));
        else done();
      },
    });
    stdout.on('error', () => undefined);
    // 40 pieces of 64 KiB: a listing of a few thousand files.
    const chunks = Array.from({ length: 40 * 64 }, (_, i) => `{"path": "exports/v${i}/WhatsApp Chat with Мама.txt", "pad": "${'x'.repeat(960)}"}\n`);
    await assert.rejects(writeData({ stdout } as unknown as Io, { format: 'jsonl', color: false }, chunks), (error: unknown) => {
      assert.ok(error instanceof EnvironmentError, String(error));
      assert.match(error.message, /^cannot write to standard output: no space left on the device \(ENOSPC\)/);
      return true;
    });
    assert.equal(writes, failAt + 1, `failing at write ${failAt + 1}: no write after it`);
  }
});

test('a damaged HEIC: libheif prints nothing on stdout, its words become a warning naming the file', async () => {
  const dir = scratchDir('heic-damaged');
  const good = readFileSync(fixturePath('images', 'iphone.heic'));
  // Cut short (the item's extent points past the end) and with the HEVC payload zeroed (the
  // container parses, the decoder fails): libheif's two ways of complaining.
  const truncated = join(dir, 'cut short.heic');
  writeFileSync(truncated, good.subarray(0, 3000));
  const zeroed = Buffer.from(good);
  zeroed.fill(0, 420);
  const blank = join(dir, 'blank.heic');
  writeFileSync(blank, zeroed);
  for (const files of [[truncated, blank, fixturePath('images', 'iphone.heic')]]) {
    const r = await runChild(['media', ...files, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    noStack(r.stderr);
    const items = (JSON.parse(r.stdout) as { items: { path: string; errors: string[]; hashes: object }[] }).items;
    assert.equal(items.length, files.length);
    assert.doesNotMatch(r.stderr, /^Could not parse|^Decoding image failed/m);
    assert.match(r.stderr, /^threatlens: warning: .*cut short\.heic: image decoder: Could not parse HEIF file: Invalid input: Unexpected end of file.* \[image-decoder\]$/m);
    const cut = items.find((i) => i.path.endsWith('cut short.heic'))!;
    assert.match(cut.errors.join('\n'), /image not decodable: Could not parse HEIF file: /);
    if (files.length > 1) {
      assert.match(r.stderr, /^threatlens: warning: .*blank\.heic: image decoder: Decoding image failed: Decoder plugin generated an error/m);
      // The intact photo is decoded and says nothing.
      assert.doesNotMatch(r.stderr, /iphone\.heic/);
      assert.ok('phash64' in items.find((i) => i.path.endsWith('iphone.heic'))!.hashes);
    }
  }
});

test('a library that prints on the console cannot reach stdout', async () => {
  const script = `
    import { keepConsoleOffStdout, capturingConsole } from ${JSON.stringify(join(repoRoot, 'dist', 'src', 'util', 'console-guard.js'))};
    keepConsoleOffStdout();
    console.log('loose \\u001b[31mlog');
    console.info({ a: 1 });
    const caught = [];
    await capturingConsole((args) => caught.push(args.join(' ')), async () => console.log('caught', 'here'));
    console.error(JSON.stringify(caught));`;
  const r = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', () => resolve({ stdout, stderr }));
  });
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, 'threatlens: library message: loose log\nthreatlens: library message: { a: 1 }\nthreatlens: library message: ["caught here"]\n');
});
