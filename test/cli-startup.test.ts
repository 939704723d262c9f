// Start-up: `threatlens --help`, `--version` and usage errors load commander and little else; each
// command's module loads when that command runs (src/cli/main.ts). Checked here: the overview's
// table of commands says what the command modules say (the overview is byte-identical to one built
// from the real commands), the right command is loaded for every way commander can reach it, and
// the heavy libraries stay unloaded where they are not needed.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Help } from 'commander';
import { buildProgram, commandsToLoad, COMMANDS } from '../src/cli/main.js';
import { repoRoot, runCli, scratchDir } from './helpers.js';

const io = () => ({ stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: {} });

test('the overview table matches every command module: name, term and summary', async () => {
  const program = await buildProgram(io(), () => {});
  const real = program.commands.filter((c) => c.name() !== 'help');
  assert.deepEqual(
    real.map((c) => c.name()),
    COMMANDS.map((c) => c.name),
  );
  const help = new Help();
  for (const entry of COMMANDS) {
    const cmd = real.find((c) => c.name() === entry.name)!;
    assert.equal(help.subcommandTerm(cmd), entry.term, entry.name);
    assert.equal(cmd.summary(), entry.summary, entry.name);
  }
});

test('the overview with stand-ins is byte-identical to the one built from every command', async () => {
  const render = async (load: (name: string) => boolean): Promise<string> => {
    const program = await buildProgram(io(), () => {}, load);
    program.configureOutput({ getOutHelpWidth: () => 100, getErrHelpWidth: () => 100 });
    return program.helpInformation();
  };
  const eager = await render(() => true);
  assert.equal(await render(() => false), eager);
  assert.equal(await render((name) => name === 'cluster'), eager);
});

test('commandsToLoad: the command commander dispatches to, and the one after help', () => {
  const load = (...args: string[]) => [...commandsToLoad(['node', 'threatlens', ...args])].sort();
  assert.deepEqual(load('--help'), []);
  assert.deepEqual(load('-V'), []);
  assert.deepEqual(load('cluster', '--format', 'json', 'senders'), ['cluster']);
  assert.deepEqual(load('--help', 'senders'), ['senders']);
  assert.deepEqual(load('help', 'explain'), ['explain', 'help']);
  assert.deepEqual(load('--', 'ingest', 'x'), ['ingest']);
  assert.deepEqual(load('-', 'ingest'), ['-']);
});

test('every command runs and shows its help through the lazy path', async () => {
  for (const entry of COMMANDS) {
    for (const args of [[entry.name, '--help'], ['help', entry.name]]) {
      const r = await runCli(args);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^Usage: threatlens ${entry.name} `), args.join(' '));
    }
  }
  const r = await runCli(['phones', '+7 928 123-45-67', '--region', 'RU', '--format', 'jsonl']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\+79281234567/);
});

/**
 * The packages a `threatlens ARGS` process loads, as ESM (a loader hook) or CommonJS (a wrapper of
 * the CommonJS resolver, preloaded), and the folders of its own modules (`src/readers`, `src/ingest`…).
 */
function packagesLoaded(args: string[]): Set<string> {
  const pattern = String.raw`node_modules\/((?:@[^/]+\/)?[^/]+)\/|dist\/(src\/[^/]+)\/`;
  const report = `(u) => { const m = /${pattern}/.exec(u); if (m) process.stderr.write('LOADED ' + (m[1] ?? m[2]) + '\\n'); }`;
  const hook = `const report = ${report}; export async function load(url, context, next) { report(url); return next(url, context); }`;
  const register = `import { register } from 'node:module'; register(${JSON.stringify('data:text/javascript,' + encodeURIComponent(hook))});
    import Module from 'node:module'; const report = ${report}; const resolve = Module._resolveFilename;
    Module._resolveFilename = function (...a) { const f = resolve.apply(this, a); report(f); return f; };`;
  const r = spawnSync(process.execPath, ['--import', 'data:text/javascript,' + encodeURIComponent(register), join(repoRoot, 'bin', 'threatlens.js'), ...args], {
    encoding: 'utf8',
  });
  return new Set([...r.stderr.matchAll(/LOADED (\S+)/g)].map((m) => m[1]!));
}

const HEAVY = ['better-sqlite3', 'sharp', 'heic-decode', 'libphonenumber-js', 'exifr'];

test('--help, --version, help of a command and usage errors load no heavy library; senders PATH no image decoder', () => {
  for (const args of [['--help'], ['--version'], ['bogus'], ['cluster', '--help'], ['senders', '--format', 'nope'], ['ingest', '--region', 'UK', 'x']]) {
    const loaded = packagesLoaded(args);
    assert.ok(loaded.has('commander'), `${args.join(' ')}: the probe sees commander`);
    for (const name of HEAVY) assert.ok(!loaded.has(name), `threatlens ${args.join(' ')} loaded ${name}`);
  }
  // And the probe does see them when a command needs them: senders of exports with photos reads
  // phone numbers and opens SQLite, but decodes no image (it shows no image facts).
  const loaded = packagesLoaded(['senders', join(repoRoot, 'fixtures', 'sample-case')]);
  assert.ok(loaded.has('libphonenumber-js') && loaded.has('better-sqlite3'), [...loaded].join(' '));
  assert.ok(!loaded.has('sharp') && !loaded.has('exifr'), `senders PATH decodes no image: ${[...loaded].join(' ')}`);
});

test('a listing of an existing case loads SQLite and no reader, ingest stage, phone library or image decoder', async () => {
  const dir = join(scratchDir('startup-case'), 'case');
  assert.equal((await runCli(['ingest', '--case', dir, join(repoRoot, 'fixtures', 'sample-case')])).code, 0);
  for (const args of [['senders'], ['messages', '--limit', '3']]) {
    const loaded = packagesLoaded([...args, '--case', dir]);
    assert.ok(loaded.has('better-sqlite3') && loaded.has('src/store'), `${args[0]}: the probe sees the store: ${[...loaded].join(' ')}`);
    for (const name of ['src/readers', 'src/ingest', 'src/media', 'libphonenumber-js', 'sharp', 'exifr', 'heic-decode']) {
      assert.ok(!loaded.has(name), `${args[0]} --case loaded ${name}: ${[...loaded].join(' ')}`);
    }
  }
});
