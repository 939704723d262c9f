// --region is checked once, before any work, the same way for every command that takes it (and
// for the "region" of a threatlens.json): a code libphonenumber does not know is a usage error with
// one message, never an internal error from deep inside the phone stage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturePath, runCli } from './helpers.js';

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'threatlens-region-'));
const SAMPLE = fixturePath('sample-case');

test('an unknown --region (XX, or UK for GB) is a usage error with one message for every command', async () => {
  for (const region of ['XX', 'UK']) {
    const reference = await runCli(['phones', '--region', region, 'Звони +7 928 123 45 67 или 8 916 765 43 21']);
    assert.equal(reference.code, 2, reference.stderr);
    assert.match(reference.stderr, new RegExp(`--region "${region}" is not`));
    assert.doesNotMatch(reference.stderr, /internal error|    at /);
    if (region === 'UK') assert.match(reference.stderr, /GB/, 'the code the investigator meant is named');
    const dir = tempDir();
    const runs: [string, string[]][] = [
      ['ingest', ['ingest', SAMPLE, '--case', join(dir, 'case'), '--region', region]],
      ['analyze', ['analyze', SAMPLE, '--region', region]],
      ['analyze --case', ['analyze', SAMPLE, '--case', join(dir, 'case2'), '--region', region]],
      ['senders', ['senders', SAMPLE, '--region', region]],
      ['messages', ['messages', SAMPLE, '--region', region, '--phone', '8 928 123 45 67']],
      ['cluster', ['cluster', SAMPLE, '--region', region]],
      ['phones (stdin)', ['phones', '-', '--region', region]],
    ];
    for (const [what, args] of runs) {
      const r = await runCli(args, { stdin: 'Звони 8 928 123 45 67\n' });
      assert.equal(r.code, 2, `${what} --region ${region}: ${r.stderr}`);
      assert.equal(r.stdout, '', what);
      assert.equal(r.stderr, reference.stderr, `${what} --region ${region} says what phones says`);
    }
    // Checked before the case is opened: no case was made for a command that could not run.
    assert.equal(existsSync(join(dir, 'case')), false);
    assert.equal(existsSync(join(dir, 'case2')), false);
  }
  // Any case is still fine, and the empty value is not "no region".
  const lower = await runCli(['senders', SAMPLE, '--region', 'ru', '--format', 'json']);
  assert.equal(lower.code, 0, lower.stderr);
  const empty = await runCli(['ingest', SAMPLE, '--case', join(tempDir(), 'case'), '--region', '']);
  assert.equal(empty.code, 2, empty.stderr);
  assert.doesNotMatch(empty.stderr, /internal error/);
});

test('a threatlens.json with an unknown "region" is a usage error naming the file, not an internal error', async () => {
  const dir = tempDir();
  const anna = join(dir, 'evidence', 'anna');
  cpSync(join(SAMPLE, 'anna'), anna, { recursive: true });
  writeFileSync(join(anna, 'threatlens.json'), JSON.stringify({ victim: 'anna', tz: 'Europe/Vilnius', region: 'UK' }));
  const r = await runCli(['ingest', join(dir, 'evidence'), '--case', join(dir, 'case')]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /threatlens\.json: "region" "UK" is not .*\n.*GB/);
  assert.doesNotMatch(r.stderr, /internal error/);
});
