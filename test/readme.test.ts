// The README shows real commands with their real output: this test runs every `$ threatlens …`
// line of its examples through a shell, exactly as written, in a scratch folder where `fixtures/`
// is the repository's (so `./case` is a case built by the README's own ingest example), and
// compares what it prints (stdout, then stderr as a terminal shows them) with the lines beneath it. A line that
// is only `…` stands for lines left out. Pipelines into jq, and --deep (exiftool), run when the
// tool is installed.
// `THREATLENS_UPDATE_README=1 node --test dist/test/readme.test.js` rewrites the shown output
// from the real one (keeping as many lines before a `…` as were shown), for review with git diff.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './helpers.js';

interface Example {
  command: string;
  expected: string[];
  line: number;
}

/** Every `$ threatlens` command in a fenced block, with the output lines shown after it. */
function examples(markdown: string): Example[] {
  const out: Example[] = [];
  let fenced = false;
  let current: Example | null = null;
  markdown.split('\n').forEach((text, index) => {
    if (text.startsWith('```')) {
      fenced = !fenced;
      current = null;
      return;
    }
    if (!fenced) return;
    if (text.startsWith('$ threatlens ')) {
      current = { command: text.slice(2), expected: [], line: index + 1 };
      out.push(current);
    } else if (current !== null) {
      current.expected.push(text);
    }
  });
  return out;
}

/** Output matches when every shown line appears in order; `…` skips any number of lines. */
function matches(actual: string[], expected: string[]): string | null {
  let at = 0;
  let skipping = false;
  for (const want of expected) {
    if (want.trim() === '…') {
      skipping = true;
      continue;
    }
    if (skipping) {
      while (at < actual.length && actual[at] !== want) at++;
      skipping = false;
    }
    if (actual[at] !== want) return `expected ${JSON.stringify(want)}\n     got ${JSON.stringify(actual[at] ?? '(end of output)')}`;
    at++;
  }
  if (!skipping && at < actual.length) return `unexpected extra line ${JSON.stringify(actual[at])}`;
  return null;
}

/** Examples that need a tool the CI machine may lack run only where it is installed. */
const NEEDS: { pattern: RegExp; tool: string; installed: boolean }[] = [
  { pattern: /\bjq\b/, tool: 'jq', installed: spawnSync('jq', ['--version']).status === 0 },
  { pattern: /--deep\b/, tool: 'exiftool', installed: spawnSync('exiftool', ['-ver']).status === 0 },
  { pattern: /fixtures\/(cases\/)?video\b/, tool: 'ffmpeg', installed: spawnSync('ffmpeg', ['-version']).status === 0 },
];

/**
 * The examples in chains that must run in order: those naming the same folder (`./case`) share a
 * case, and one of them makes it. Chains are independent of each other (each example without a
 * folder is a chain of its own), so they run side by side, each in README order.
 */
function chains(list: Example[]): Example[][] {
  const byFolder = new Map<string, Example[]>();
  const out: Example[][] = [];
  for (const example of list) {
    const folders = [...example.command.matchAll(/(?<![\w/])\.\/[\w.-]+/g)].map((m) => m[0]);
    const chain = folders.map((f) => byFolder.get(f)).find((c) => c !== undefined);
    if (chain !== undefined && folders.every((f) => (byFolder.get(f) ?? chain) === chain)) chain.push(example);
    else if (chain !== undefined) throw new Error(`README.md:${example.line}: joins two chains of examples; give it one case folder`);
    else out.push([example]);
    for (const f of folders) byFolder.set(f, chain ?? out[out.length - 1]!);
  }
  return out;
}

/** Runs `command` through bash in `cwd` as the README shows it: stdout, then stderr, as one text. */
function runShown(command: string, cwd: string, bin: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // stdin from /dev/null: bash run with a socket as stdin takes itself for a remote shell and
    // reads ~/.bashrc (a user's pyenv or conda hooks then run, or wait on their locks, per example).
    const child = spawn('bash', ['--noprofile', '--norc', '-o', 'pipefail', '-c', `{ ${command}; } 2>&1`], {
      cwd,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { PATH: `${bin}:${process.env.PATH}`, HOME: process.env.HOME ?? '/tmp', LANG: 'C.UTF-8' },
    });
    const out: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.on('error', reject);
    child.on('close', () => resolve(Buffer.concat(out).toString('utf8')));
  });
}

test('every README example prints what the README shows', async (t) => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const bin = mkdtempSync(join(tmpdir(), 'threatlens-readme-bin-'));
  const shim = join(bin, 'threatlens');
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${join(repoRoot, 'bin', 'threatlens.js')}" "$@"\n`);
  chmodSync(shim, 0o755);
  const work = mkdtempSync(join(tmpdir(), 'threatlens-readme-work-'));
  symlinkSync(join(repoRoot, 'fixtures'), join(work, 'fixtures'));
  // An example needing a missing tool is skipped; when it is the one that makes its chain's case
  // (the first), the examples that use that case are skipped with it.
  const missingFor = (example: Example): (typeof NEEDS)[number] | undefined => NEEDS.find((n) => n.pattern.test(example.command) && !n.installed);
  const runnable = chains(examples(readme)).map((chain) => {
    const first = missingFor(chain[0]!);
    const kept = first !== undefined ? [] : chain.filter((example) => missingFor(example) === undefined);
    for (const example of chain) {
      if (kept.includes(example)) continue;
      const own = missingFor(example);
      const why = own !== undefined ? `${own.tool} is not installed` : `${first!.tool} is not installed for the example that makes its case`;
      t.diagnostic(`README.md:${example.line}: skipped (${why}): ${example.command}`);
    }
    return kept;
  });
  const list = runnable.flat();
  assert.ok(list.length >= 6, `${list.length} examples to run`);
  // Two chains at a time: the longest (the case most examples use) starts first.
  const queue = runnable.filter((chain) => chain.length > 0).sort((a, b) => b.length - a.length);
  const shown = new Map<Example, string>();
  const lane = async (): Promise<void> => {
    for (let chain = queue.shift(); chain !== undefined; chain = queue.shift()) {
      for (const example of chain) shown.set(example, await runShown(example.command, work, bin));
    }
  };
  await Promise.all([lane(), lane()]);
  const update = process.env.THREATLENS_UPDATE_README === '1';
  const lines = readme.split('\n');
  const replacements: { from: number; count: number; text: string[] }[] = [];
  for (const example of list) {
    const output = shown.get(example)!;
    const actual = output === '' ? [] : output.replace(/\n$/, '').split('\n');
    const expected = [...example.expected];
    while (expected.length > 0 && expected[expected.length - 1] === '') expected.pop();
    if (update) {
      const cut = expected.indexOf('…');
      replacements.push({ from: example.line, count: expected.length, text: cut < 0 ? actual : [...actual.slice(0, cut), '…'] });
      continue;
    }
    const problem = matches(actual, expected);
    assert.equal(problem, null, `README.md:${example.line}: ${example.command}\n  ${problem}\n--- actual output ---\n${output}`);
  }
  if (update) {
    for (const r of replacements.reverse()) lines.splice(r.from, r.count, ...r.text);
    writeFileSync(join(repoRoot, 'README.md'), lines.join('\n'));
  }
});

test("the quick start's main job ends as the README shows", () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const block = /Its output ends with:\n\n```\n([\s\S]*?)\n```/.exec(readme);
  assert.ok(block, 'README quick start shows the end of the output');
  const shown = block[1]!.split('\n');
  const out = execFileSync(process.execPath, [join(repoRoot, 'bin', 'threatlens.js'), 'analyze', 'fixtures/sample-case'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  const lines = out.replace(/\n$/, '').split('\n');
  assert.deepEqual(lines.slice(-shown.length), shown);
});
