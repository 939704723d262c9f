// The library API, imported as a research pipeline imports it: `import … from 'threatlens'`, which
// resolves through package.json's "exports" (the package refers to itself by name) to the built
// dist/src/index.js, not to the sources. The README's example is run here as it is written.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { EVIDENCE_TYPES, FAMILY_OF } from '../src/attribution/signals/index.js';
import { fixturePath, repoRoot } from './helpers.js';

/** The README's example and the output it shows (section "As a library"), read from README.md. */
function readmeExample(): { code: string; output: string } {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const found = /## As a library\n[\s\S]*?```js\n([\s\S]*?)```\n\nprints[^\n]*\n\n```\n([\s\S]*?)```/.exec(readme);
  assert.ok(found, 'README.md has an "As a library" section with a js example and its output');
  return { code: found[1]!, output: found[2]! };
}

test('the package entry resolves to the built JavaScript, with its declarations beside it', async () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { exports: Record<string, { types: string; default: string }> };
  const entry = pkg.exports['.']!;
  assert.ok(existsSync(join(repoRoot, entry.default)), entry.default);
  assert.ok(existsSync(join(repoRoot, entry.types)), entry.types);
  assert.equal(import.meta.resolve('threatlens'), new URL(entry.default, pathToFileURL(repoRoot + '/')).href);
  const api = await import('threatlens');
  for (const name of ['openCase', 'ingest', 'cluster']) assert.equal(typeof (api as Record<string, unknown>)[name], 'function', name);
});

test('ingest the sample case in memory and cluster it: the planted actor is found', async () => {
  const { openCase, ingest, cluster } = await import('threatlens');
  const kase = openCase();
  try {
    assert.equal(kase.dir, null);
    const report = await ingest(kase, [fixturePath('sample-case')]);
    assert.equal(report.errors.length, 0);
    assert.ok(report.files.filter((f) => f.status === 'ingested').length >= 4, 'every export of the sample is read');
    const again = await ingest(kase, fixturePath('sample-case'));
    assert.ok(again.files.every((f) => f.status !== 'ingested'), 'a second ingest adds nothing');

    const run = cluster(kase);
    assert.equal(run.clusters.length, 1);
    const actor = run.clusters[0]!;
    assert.ok(actor.members.includes('phone:+79281234567'), actor.members.join(' '));
    assert.ok(actor.members.length >= 2);
    assert.ok(actor.score >= run.params.joinBits);
    assert.ok(actor.victims.length >= 2, 'the actor wrote to several victims');
    assert.equal(run.identities.get('phone:+79281234567')?.platform, 'whatsapp');
    assert.equal(typeof run.runId, 'number', 'the run is recorded');
    assert.equal(cluster(kase, { record: false }).runId, null);
    // Parameters pass through: with more families required than the evidence has, only the
    // proven account (the same phone) stays together, and the third identity is no longer joined.
    const strict = cluster(kase, { minFamilies: 7, record: false });
    assert.deepEqual(strict.clusters.map((c) => c.members.length), [2]);
    assert.ok(strict.clusters[0]!.members.includes('phone:+79281234567'));
  } finally {
    kase.close();
  }
});

test('a case folder: created, written, reopened read-only; bad options are UsageErrors', async () => {
  const { openCase, ingest, cluster, UsageError } = await import('threatlens');
  const dir = mkdtempSync(join(tmpdir(), 'threatlens-lib-'));
  try {
    const folder = join(dir, 'case');
    const kase = openCase(folder);
    await assert.rejects(ingest(kase, fixturePath('sample-case'), { tz: 'Nowhere/City' }), UsageError);
    await assert.rejects(ingest(kase, fixturePath('sample-case'), { region: 'XX' }), UsageError);
    await ingest(kase, fixturePath('sample-case'), { region: 'ru' });
    kase.close();
    assert.throws(() => openCase(join(dir, 'missing'), { create: false }), UsageError);

    const reader = openCase(folder, { readOnly: true });
    try {
      assert.equal(reader.readOnly, true);
      await assert.rejects(ingest(reader, fixturePath('sample-case')), UsageError);
      const run = cluster(reader);
      assert.equal(run.runId, null, 'a read-only case records nothing');
      assert.ok(run.clusters[0]?.members.includes('phone:+79281234567'));
    } finally {
      reader.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the README's example runs as written and prints what the README shows", () => {
  const example = readmeExample();
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', example.code], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, example.output);
  assert.match(r.stdout, /^C-[0-9a-f]{10} \d+\.\d bits: .*phone:\+79281234567/m);
});

test('the shipped declarations give a program every evidence type and family by name', () => {
  // A program compiled against dist/src/index.d.ts alone, as a pipeline written in TypeScript is: the
  // evidence types are filled in by the signals' declarations, which must come with the entry's.
  const dir = mkdtempSync(join(tmpdir(), 'threatlens-consumer-'));
  try {
    const entry = join(repoRoot, 'dist', 'src', 'index.js');
    const names = (EVIDENCE_TYPES as readonly string[]).map((t) => JSON.stringify(t)).join(', ');
    const families = [...new Set(Object.values(FAMILY_OF))].map((f) => JSON.stringify(f)).join(', ');
    const file = join(dir, 'consumer.ts');
    writeFileSync(
      file,
      [
        `import type { EvidenceType, Family } from ${JSON.stringify(entry)};`,
        `export const types: EvidenceType[] = [${names}];`,
        `export const families: Family[] = [${families}];`,
        `// @ts-expect-error: no signal declares it`,
        `export const bogus: EvidenceType = 'no-such-type';`,
      ].join('\n'),
    );
    const program = ts.createProgram([file], { strict: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts'], types: [], skipLibCheck: true });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    assert.deepEqual(problems, []);
    assert.ok(program.getSourceFiles().some((f) => f.fileName.endsWith('dist/src/attribution/signals/text.d.ts')), 'the signals come with the entry');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
