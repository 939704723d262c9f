// Shared test helpers. Tests are compiled to dist/test/, so the repository root is two levels up.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { openInput } from '../src/ingest/input.js';
import type { Reader, ReadOptions } from '../src/readers/reader.js';
import type { ReaderEvent } from '../src/model.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export function fixturePath(...parts: string[]): string {
  return join(repoRoot, 'fixtures', ...parts);
}

/** Runs a reader over a fixture and collects every event it yields. */
export async function readAll(
  reader: Reader,
  path: string,
  options: Partial<ReadOptions> = {},
): Promise<ReaderEvent[]> {
  const input = await openInput(path);
  const events: ReaderEvent[] = [];
  for await (const event of reader.read(input, { tz: null, dateOrder: null, ...options })) events.push(event);
  return events;
}

export function messagesOf(events: ReaderEvent[]) {
  return events.flatMap((e) => (e.type === 'message' ? [e.message] : []));
}

export function warningsOf(events: ReaderEvent[]) {
  return events.flatMap((e) => (e.type === 'warning' ? [e.warning] : []));
}

import { Writable, Readable } from 'node:stream';
import { main } from '../src/cli/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs threatlens in-process with captured output (stdout/stderr are not terminals). */
export async function runCli(args: string[], options: { stdin?: string; env?: NodeJS.ProcessEnv; tty?: boolean } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(chunk.toString());
        done();
      },
    });
  const out = Object.assign(sink((s) => (stdout += s)), { isTTY: options.tty ?? false, columns: 200 });
  const err = Object.assign(sink((s) => (stderr += s)), { isTTY: false });
  const stdin = Object.assign(Readable.from(options.stdin !== undefined ? [Buffer.from(options.stdin)] : []), {
    isTTY: options.stdin === undefined,
  });
  const code = await main(['node', 'threatlens', ...args], { stdin, stdout: out, stderr: err, env: options.env ?? {} });
  return { code, stdout, stderr };
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

const scratch: string[] = [];
process.on('exit', () => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary folder, removed when the test process exits. */
export function scratchDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `threatlens-${label}-`));
  scratch.push(dir);
  return dir;
}
