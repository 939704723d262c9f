// A report from a case (issue 16): `threatlens report --case DIR` and `analyze --case DIR` without
// paths render the analysis of what the case holds, read nothing again, and record the run when the
// case can be written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { fixturePath, runCli, scratchDir } from './helpers.js';
import { DB_FILE } from '../src/store/case.js';

test('report --case: the HTML report of the case as it is, with the clusters the case gives; the run recorded; analyze --case without paths is the same analysis', async () => {
  const caseDir = join(scratchDir('report'), 'case');
  assert.equal((await runCli(['ingest', '--case', caseDir, fixturePath('sample-case')])).code, 0);
  const runs = (): number => {
    const db = new Database(join(caseDir, DB_FILE), { readonly: true });
    try {
      return db.prepare('SELECT count(*) FROM runs').pluck().get() as number;
    } finally {
      db.close();
    }
  };
  const out = join(scratchDir('report-out'), 'report.html');
  const r = await runCli(['report', '--case', caseDir, '-o', out]);
  assert.equal(r.code, 0, r.stderr);
  const html = readFileSync(out, 'utf8');
  assert.match(html, /<h2 id="clusters">Clusters \(1\)<\/h2>/);
  assert.match(html, /C-7072ff5aaa/);
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  assert.equal(runs(), 1, 'the report names a recorded run');

  const json = JSON.parse((await runCli(['analyze', '--case', caseDir, '--format', 'json'])).stdout) as { clusters: { id: string }[]; files: unknown[] };
  assert.deepEqual(json.clusters.map((c) => c.id), ['C-7072ff5aaa']);
  assert.deepEqual(json.files, [], 'nothing was read again');
  assert.equal(runs(), 2);

  const none = await runCli(['analyze']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /analyze needs PATHs to read, or --case DIR to analyse a case as it is/);
});
