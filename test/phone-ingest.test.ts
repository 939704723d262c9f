// Phone numbers through ingest: the same number written many ways across victims, the default
// region inferred per export, vCards and contact cards, and where every sighting came from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fixturePath, runCli } from './helpers.js';

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'threatlens-phones-'));

interface Phone {
  e164: string;
  seen: number;
  victims: string[];
  rawForms: string[];
  sources: { role: string; raw: string; victim: string; regionUsed: string | null; file: string }[];
}

async function phonesOf(caseDir: string): Promise<Phone[]> {
  const r = await runCli(['phones', '--case', caseDir, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout).items as Phone[];
}

/** The six ways fixtures/cases/same-number writes +7 928 123-45-67, in three victims' exports. */
const SIX_WAYS = [
  '+7(928)1234567',
  '0079281234567',
  '8 (928) 123-45-67',
  '8-928-123-45-67',
  '89281234567',
  '＋７ ９２８ １２３ ４５ ６７',
];

test('the same number written 6 ways in 3 victims\' exports is one E.164, seen 6 times, in 3 victims', async () => {
  const caseDir = join(tempDir(), 'case');
  const ingest = await runCli(['ingest', '--case', caseDir, fixturePath('cases', 'same-number')]);
  assert.equal(ingest.code, 0, ingest.stderr);
  const phones = await phonesOf(caseDir);
  assert.deepEqual(phones.map((p) => p.e164), ['+79281234567'], 'no other number comes out of these chats');
  const [number] = phones;
  assert.equal(number!.seen, SIX_WAYS.length);
  assert.equal(number!.sources.length, SIX_WAYS.length);
  assert.deepEqual(number!.victims, ['anna', 'boris', 'dmitri']);
  assert.deepEqual(number!.rawForms, [...SIX_WAYS].sort());
});

test('without --region or threatlens.json, each export infers its region from its own international numbers (full-width plus too)', async () => {
  const dir = tempDir();
  const evidence = join(dir, 'same-number');
  // The same chats, without the investigator's notes (threatlens.json sets region RU).
  cpSync(fixturePath('cases', 'same-number'), evidence, { recursive: true, filter: (src) => basename(src) !== 'threatlens.json' });
  const caseDir = join(dir, 'case');
  const ingest = await runCli(['ingest', '--case', caseDir, evidence, '--tz', 'Europe/Vilnius']);
  assert.equal(ingest.code, 0, ingest.stderr);
  const phones = await phonesOf(caseDir);
  assert.deepEqual(phones.map((p) => p.e164), ['+79281234567']);
  assert.equal(phones[0]!.seen, SIX_WAYS.length);
  assert.deepEqual(phones[0]!.victims, ['anna', 'boris', 'dmitri']);
  // dmitri's export has only '＋７ ９２８ …' as an international number: it must still give RU, so
  // that '8-928-123-45-67' in the same export is read.
  const dmitri = phones[0]!.sources.filter((s) => s.victim === 'dmitri').map((s) => [s.raw, s.regionUsed]);
  assert.deepEqual(dmitri, [
    ['＋７ ９２８ １２３ ４５ ６７', null],
    ['8-928-123-45-67', 'RU'],
  ]);
});
