// Standard output carries the data (`… --format json | jq`): no library may write to it. Libraries
// that talk do so through `console` (libheif's JS wrapper calls console.log; its Emscripten runtime
// prints C stdout/stderr through console.log/console.error bound at load time). keepConsoleOffStdout
// replaces the console's methods, once per thread (a worker's stdout reaches the process's stdout
// too), so that what they print is either captured by the code that called the library (and
// reported as a warning naming the file) or written to stderr, terminal-safe, never to stdout.

import { format } from 'node:util';
import { terminalSafe } from './sanitize.js';

/** Receives what a library printed while a capture is open: the console call's arguments. */
export type ConsoleListener = (args: unknown[]) => void;

let listener: ConsoleListener | null = null;
let guarded = false;

const METHODS = ['log', 'info', 'debug', 'warn', 'error', 'trace', 'dir', 'dirxml', 'table'] as const;

function route(args: unknown[]): void {
  if (listener !== null) {
    listener(args);
    return;
  }
  process.stderr.write(`threatlens: library message: ${terminalSafe(format(...args))}\n`);
}

/**
 * Makes `console` write nowhere near stdout in this thread: every method goes to the open capture,
 * else to stderr as one `threatlens: library message: …` line. Idempotent. Call it before loading
 * a library that binds console methods when it loads (Emscripten does).
 */
export function keepConsoleOffStdout(): void {
  if (guarded) return;
  guarded = true;
  for (const method of METHODS) (console as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => route(args);
}

/**
 * Runs `run` with what libraries print going to `capture`. Captures do not nest across concurrent
 * runs: a caller that may run concurrently serializes its runs (as decodeHeic does), or a message
 * could be credited to the wrong file.
 */
export async function capturingConsole<T>(capture: ConsoleListener, run: () => Promise<T>): Promise<T> {
  keepConsoleOffStdout();
  const outer = listener;
  listener = capture;
  try {
    return await run();
  } finally {
    listener = outer;
  }
}
