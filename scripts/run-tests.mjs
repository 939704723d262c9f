#!/usr/bin/env node
// Runs the compiled test files (dist/test/*.test.js) with Node's test runner, a few files to a
// process instead of one process each: every process pays Node's start and the load of
// better-sqlite3, sharp, libphonenumber's metadata and threatlens's modules once, which for ~70
// small files cost a third of the suite's CPU. Files of a group run one after another, as the test
// runner runs the tests of one file; the groups run side by side (--test-concurrency), balanced by
// what each file is known to cost (files that start processes of their own weigh more).
// One file can still be run on its own: node --test dist/test/NAME.test.js
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';

const TESTS = resolve('dist/test');
const GROUPS = resolve('dist/test-groups');
// One group per core (measured here, 2 cores: 2 groups 47 s, 3 groups 49 s, 4 groups 59 s).
const PROCESSES = Math.max(2, availableParallelism());
// Seconds each file takes alone, measured (files not listed: about one).
const WEIGHT = {
  'faults-case.test.js': 12,
  'readme.test.js': 12,
  'faults-archive.test.js': 7,
  'library.test.js': 4,
  'cli-startup.test.js': 4,
  'cli.test.js': 4,
  'faults-output.test.js': 3,
  'phone-prefetch.test.js': 4.5,
  'report-chromium.test.js': 6,
  'video.test.js': 6,
  'cli-case.test.js': 2.5,
  'exports-provenance.test.js': 2.5,
  'media-metadata.test.js': 2,
  'media-phash.test.js': 2,
  'telegram-errors.test.js': 2,
  'attribution-campaign.test.js': 2,
  'review.test.js': 2,
  'verify-custody.test.js': 2,
  'search-fold.test.js': 1.5,
  'whatsapp-fastpaths.test.js': 1.5,
  'whatsapp-clock.test.js': 1.5,
};

const files = readdirSync(TESTS).filter((f) => f.endsWith('.test.js')).sort();
const groups = Array.from({ length: PROCESSES }, () => ({ weight: 0, files: [] }));
for (const file of [...files].sort((a, b) => (WEIGHT[b] ?? 1) - (WEIGHT[a] ?? 1) || (a < b ? -1 : 1))) {
  const lightest = groups.reduce((x, y) => (y.weight < x.weight ? y : x));
  lightest.files.push(file);
  lightest.weight += WEIGHT[file] ?? 1;
}
rmSync(GROUPS, { recursive: true, force: true });
mkdirSync(GROUPS, { recursive: true });
const entries = groups.map((g, i) => {
  const entry = join(GROUPS, `group-${i + 1}.test.js`);
  writeFileSync(entry, g.files.sort().map((f) => `await import(${JSON.stringify(join(TESTS, f))});\n`).join(''));
  return entry;
});
const run = spawnSync(process.execPath, ['--test', `--test-concurrency=${PROCESSES}`, ...entries], { stdio: 'inherit' });
process.exit(run.status ?? 1);
