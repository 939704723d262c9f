// Colour in tables follows the environment the command was given (Io.env), as https://no-color.org
// and chalk say: NO_COLOR (any non-empty value) turns it off, FORCE_COLOR turns it on even when
// stdout is not a terminal (FORCE_COLOR=0 off), and --no-color always wins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturePath, runCli } from './helpers.js';

const SAME_NUMBER = fixturePath('cases', 'same-number');
const ESC = /\u001b\[/;

async function coloured(env: NodeJS.ProcessEnv, tty: boolean, ...extra: string[]): Promise<boolean> {
  const r = await runCli(['senders', SAME_NUMBER, ...extra], { env, tty });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Незнакомец/);
  return ESC.test(r.stdout);
}

test('a terminal gets colour unless NO_COLOR is set (and not empty) or TERM is dumb', async () => {
  assert.equal(await coloured({ TERM: 'xterm-256color' }, true), true, 'a terminal');
  assert.equal(await coloured({ TERM: 'xterm-256color', NO_COLOR: '1' }, true), false, 'NO_COLOR=1');
  assert.equal(await coloured({ TERM: 'xterm', NO_COLOR: 'yes please' }, true), false, 'NO_COLOR=any text');
  assert.equal(await coloured({ TERM: 'xterm', NO_COLOR: '' }, true), true, 'NO_COLOR empty does not count');
  assert.equal(await coloured({ TERM: 'dumb' }, true), false, 'TERM=dumb');
  assert.equal(await coloured({ TERM: 'xterm' }, false), false, 'a pipe');
});

test('FORCE_COLOR colours a pipe, FORCE_COLOR=0 turns colour off, and --no-color wins over both', async () => {
  assert.equal(await coloured({ FORCE_COLOR: '1' }, false), true, 'FORCE_COLOR=1, piped');
  assert.equal(await coloured({ FORCE_COLOR: '' }, false), true, 'FORCE_COLOR empty, piped');
  assert.equal(await coloured({ FORCE_COLOR: 'true' }, false), true, 'FORCE_COLOR=true, piped');
  assert.equal(await coloured({ FORCE_COLOR: '3', NO_COLOR: '1' }, false), true, 'FORCE_COLOR beats NO_COLOR, as in Node');
  assert.equal(await coloured({ TERM: 'xterm-256color', FORCE_COLOR: '0' }, true), false, 'FORCE_COLOR=0 on a terminal');
  assert.equal(await coloured({ TERM: 'xterm-256color', FORCE_COLOR: 'false' }, true), false, 'FORCE_COLOR=false on a terminal');
  assert.equal(await coloured({ FORCE_COLOR: '1' }, false, '--no-color'), false, '--no-color beats FORCE_COLOR');
  assert.equal(await coloured({ TERM: 'xterm-256color' }, true, '--no-color'), false, '--no-color on a terminal');
  // Other commands with tables share the rule.
  const analyze = await runCli(['analyze', SAME_NUMBER], { env: { FORCE_COLOR: '1' } });
  assert.match(analyze.stdout, ESC);
  // -o FILE is a file, not a terminal: never coloured.
  const file = join(mkdtempSync(join(tmpdir(), 'threatlens-color-')), 'senders.txt');
  const toFile = await runCli(['senders', SAME_NUMBER, '-o', file], { env: { FORCE_COLOR: '1' }, tty: true });
  assert.equal(toFile.code, 0, toFile.stderr);
  assert.doesNotMatch(readFileSync(file, 'utf8'), ESC);
});
