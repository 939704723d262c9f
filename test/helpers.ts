// Shared test helpers. Tests are compiled to dist/test/, so the repository root is two levels up.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { openInput } from '../src/ingest/input.js';
import type { Reader, ReadOptions } from '../src/ingest/reader.js';
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
