// libphonenumber-js ships one source built twice: CommonJS for old engines and an ES build for
// current ones, which threatlens loads ahead where it reads numbers in bulk (phone/lib.ts). Both must
// read every text the same: the fixtures' every line with digits in it, under four default regions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractPhones, normalizePhone } from '../src/phone/index.js';
import { readAll } from './phone-read-all.js';
import { getCountries } from '../src/phone/lib.js';
import { NUMBERING_PLAN_REGIONS } from '../src/phone/regions.js';
import { repoRoot, scratchDir } from './helpers.js';

/** Every line of the fixtures' text files holding five digits or more, once each. */
function fixtureLines(): string[] {
  const out = new Set<string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(txt|json|csv|jsonl|md|html|vcf)$/i.test(name)) {
        for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) if ((line.match(/\d/g) ?? []).length >= 5) out.add(line.slice(0, 2000));
      }
    }
  };
  walk(join(repoRoot, 'fixtures'));
  return [...out];
}

/** The answers of a process of their own, its library loaded ahead (the ES build) or at the first call. */
function readInChild(input: string, ahead: boolean): { build: string; results: unknown[] } {
  const lib = fileURLToPath(new URL('../src/phone/lib.js', import.meta.url));
  const phone = fileURLToPath(new URL('../src/phone/index.js', import.meta.url));
  const readAllModule = fileURLToPath(new URL('./phone-read-all.js', import.meta.url));
  const script = `
    const { loadPhoneLibrary, phoneLibraryBuild } = await import(${JSON.stringify(lib)});
    ${ahead ? 'await loadPhoneLibrary();' : ''}
    const { extractPhones, normalizePhone } = await import(${JSON.stringify(phone)});
    const { readAll } = await import(${JSON.stringify(readAllModule)});
    const lines = JSON.parse((await import('node:fs')).readFileSync(${JSON.stringify(input)}, 'utf8'));
    const results = readAll(lines, extractPhones, normalizePhone);
    process.stdout.write(JSON.stringify({ build: phoneLibraryBuild(), results }));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', maxBuffer: 1 << 28 })) as {
    build: string;
    results: unknown[];
  };
}

test('the ES build of libphonenumber-js, loaded ahead, reads the fixtures as the CommonJS build does', () => {
  const lines = fixtureLines();
  assert.ok(lines.length > 500, `${lines.length} lines`);
  const input = join(scratchDir('phone-lib-builds'), 'lines.json');
  writeFileSync(input, JSON.stringify(lines));
  const modern = readInChild(input, true);
  const commonjs = readInChild(input, false);
  assert.equal(modern.build, 'modern');
  assert.equal(commonjs.build, 'commonjs', 'a first call without loading ahead takes the CommonJS build');
  assert.deepEqual(modern.results, commonjs.results);
  // And what they read is what this process reads (whichever build it loaded).
  assert.deepEqual(modern.results, JSON.parse(JSON.stringify(readAll(lines, extractPhones, normalizePhone))));
});

test('the regions a --region is checked against are those the installed libphonenumber-js has a plan for', () => {
  // Regenerate src/phone/regions.ts from getCountries() when a new version of the library changes them.
  assert.deepEqual([...NUMBERING_PLAN_REGIONS].sort(), [...getCountries()].sort());
});
