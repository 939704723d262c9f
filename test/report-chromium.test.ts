// The HTML report in a real browser (issue 17): headless Chromium (Debian's `chromium`, which
// .ci/run installs) opens it with no console message (a blocked load, a script, a CSP violation would
// each print one). Chromium runs with its own networking off and every host name unresolvable, so
// nothing can leave the machine even if something tried. The printed length (A4 pages) is measured by
// bench/report.ts.
// Skipped, saying so, where Chromium is not installed.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fixturePath, runCli, scratchDir } from './helpers.js';
import { generateCampaign } from '../bench/campaign.js';

const CHROMIUM = ['chromium', 'chromium-browser', 'google-chrome'].find((bin) => spawnSync(bin, ['--version']).status === 0) ?? null;

const OFFLINE = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND',
  '--proxy-server=127.0.0.1:9',
];

function chromium(t: TestContext, args: string[]): { stdout: string; console: string[] } | null {
  if (CHROMIUM === null) {
    t.skip('skipped: Chromium is not installed here (.ci/run installs Debian\'s chromium; apt-get install chromium)');
    return null;
  }
  const profile = scratchDir('chromium-profile');
  const r = spawnSync(CHROMIUM, [...OFFLINE, `--user-data-dir=${profile}`, '--enable-logging=stderr', '--v=0', ...args], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  return { stdout: r.stdout, console: r.stderr.split('\n').filter((l) => l.includes(':CONSOLE')) };
}

async function report(args: string[]): Promise<string> {
  const file = join(scratchDir('report-html'), 'report.html');
  const r = await runCli(['analyze', ...args, '--format', 'html', '-o', file]);
  assert.equal(r.code, 0, r.stderr);
  return file;
}

test('Chromium opens the report of the sample case, with hostile messages beside it, without a console message; findings first, a timeline and a graph per cluster', async (t) => {
  // Messages full of markup and scripts, as the people under investigation may write them: if any of
  // it ran, loaded or broke out of its escaping, Chromium would print a console message.
  const hostile = join(scratchDir('hostile-report'), 'mallory');
  mkdirSync(hostile);
  writeFileSync(
    join(hostile, 'chat.txt'),
    '01/02/2022, 10:00 - <img src=x onerror=alert(1)>: <script>console.error("pwned")</script>\n' +
      '01/02/2022, 10:01 - Evil: <svg onload=alert(2)><a href="http://example.com/x">x</a></svg> <style>body{background:url(http://example.com/t)}</style>\n',
  );
  const file = await report([fixturePath('sample-case'), hostile, '--tz', 'UTC']);
  const run = chromium(t, ['--dump-dom', pathToFileURL(file).href]);
  if (run === null) return;
  assert.deepEqual(run.console, [], 'no console message: nothing blocked, nothing run');
  const dom = run.stdout;
  assert.ok(dom.indexOf('id="findings"') > 0 && dom.indexOf('id="findings"') < dom.indexOf('id="clusters"'));
  assert.match(dom, /<svg class="timeline"/);
  assert.match(dom, /<svg class="graph"/);
  assert.doesNotMatch(dom, /<script>console|<img src="x"|href="http:\/\/example/);
});

test('the report of a generated multi-victim campaign opens in Chromium without a console message, with every cluster\'s timeline, graph and images', async (t) => {
  if (CHROMIUM === null) {
    t.skip('skipped: Chromium is not installed here (.ci/run installs Debian\'s chromium; apt-get install chromium)');
    return;
  }
  const root = scratchDir('campaign-report');
  await generateCampaign(join(root, 'exports'), 3, { victims: 3, actors: 2, sessions: 2 });
  const caseDir = join(root, 'case');
  assert.equal((await runCli(['ingest', '--case', caseDir, join(root, 'exports'), '--tz', 'Europe/Moscow', '--region', 'RU'])).code, 0);
  const file = join(root, 'report.html');
  const r = await runCli(['report', '--case', caseDir, '-o', file]);
  assert.equal(r.code, 0, r.stderr);
  const html = readFileSync(file, 'utf8');
  const clusters = [...html.matchAll(/<div class="card" id="(C-[0-9a-f]{10})">/g)].map((m) => m[1]);
  assert.ok(clusters.length >= 1, 'the planted actors are found');
  assert.equal((html.match(/<svg class="timeline"/g) ?? []).length, clusters.length, 'a timeline per cluster');
  assert.equal((html.match(/<svg class="graph"/g) ?? []).length, clusters.length, 'a graph per cluster');
  assert.ok((html.match(/<img class="thumb" src="data:image\/jpeg;base64,/g) ?? []).length >= clusters.length, "the actors' photos, embedded");
  const run = chromium(t, ['--dump-dom', pathToFileURL(file).href]);
  if (run === null) return;
  assert.deepEqual(run.console, []);
});
