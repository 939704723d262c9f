// HEIC pixels through heic-decode (libheif compiled to WASM): sharp's prebuilt libvips has no HEVC
// decoder (MEDIA.md §3). libheif applies the container's irot/imir transforms itself, so the pixels
// come out upright and EXIF Orientation must not be applied again. The decoder is loaded on first
// use (the WASM bundle is large) and works synchronously: call it from a worker thread.
//
// libheif talks on the console: its JS wrapper console.logs why a file failed ("Could not parse
// HEIF file …", "Decoding image failed …") and its runtime prints through console.log. That would
// land in stdout, in the middle of `media --format json`. So the console is kept off stdout
// (util/console-guard.ts) before libheif loads, decodes run one at a time in each thread, and what
// libheif says during a decode is captured for that file: the caller reports it as a warning
// naming the file, and a failure carries it as its reason.

import { createRequire } from 'node:module';
import { capturingConsole, keepConsoleOffStdout } from '../util/console-guard.js';

export interface RgbaImage {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel, row by row. */
  data: Uint8ClampedArray;
}

type HeicDecode = (input: { buffer: Uint8Array }) => Promise<RgbaImage>;

let decode: HeicDecode | null = null;
/** The decode in progress in this thread: the next one waits for it (captures must not overlap). */
let queue: Promise<unknown> = Promise.resolve();

/**
 * One line of what libheif printed: its words and the `message` of an error object it passes
 * (`{ code, subcode, message }`); handles and other objects say nothing and are left out.
 */
export function libheifLine(args: unknown[]): string {
  const words: string[] = [];
  for (const arg of args) {
    if (typeof arg === 'string' || typeof arg === 'number') words.push(String(arg));
    else if (arg !== null && typeof arg === 'object' && typeof (arg as { message?: unknown }).message === 'string') words.push((arg as { message: string }).message);
  }
  return words.join(': ').replace(/\s+/g, ' ').trim();
}

/**
 * Decodes the primary image of a HEIC/HEIF file. Rejects on corrupt input or a non-HEVC payload,
 * with libheif's own reason when it gave one. What libheif printed meanwhile is appended to
 * `messages` (one line each), never written to stdout.
 */
export async function decodeHeic(buffer: Uint8Array, messages: string[] = []): Promise<RgbaImage> {
  // Before libheif loads: Emscripten binds console.log and console.error when it starts.
  keepConsoleOffStdout();
  decode ??= createRequire(import.meta.url)('heic-decode') as HeicDecode;
  const said: string[] = [];
  const run = queue.then(() =>
    capturingConsole(
      (args) => {
        const line = libheifLine(args);
        if (line !== '') said.push(line);
      },
      () => decode!({ buffer }),
    ),
  );
  queue = run.catch(() => undefined);
  try {
    return await run;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(said.length > 0 ? `${said.join('; ')} (${reason})` : reason, { cause: error });
  } finally {
    messages.push(...said);
  }
}
