import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { sha256File, sha256Text } from '../util/hash.js';
import { InputError } from '../util/errors.js';
import type { InputFile } from '../readers/reader.js';

export const HEAD_BYTES = 64 * 1024;

/** Forward slashes, so paths print the same on every system. */
export function displayPathOf(path: string): string {
  return path.split('\\').join('/');
}

/**
 * Reads the first bytes of a file, opened read-only; `size`, when the caller knows it, saves asking
 * again. Blocking reads: a head takes far less time to read than the thread-pool round trips of
 * four asynchronous calls (open, stat, read, close), which for a folder of thousands of short
 * chats kept the main thread waiting a tenth of the run. `into`: a buffer to read into (the head
 * returned is a view of it, valid until the buffer is read into again) instead of a new one.
 */
export function readHead(absPath: string, bytes = HEAD_BYTES, size?: number, into?: Buffer): Buffer {
  const fd = openSync(absPath, 'r');
  try {
    // No bigger than the file: most chats of a folder of them are a few KiB.
    const known = size ?? fstatSync(fd).size;
    const length = Math.min(bytes, known);
    const buffer = into !== undefined && into.length >= length ? into.subarray(0, length) : Buffer.allocUnsafe(length);
    let done = 0;
    while (done < buffer.length) {
      const n = readSync(fd, buffer, done, buffer.length - done, done);
      if (n === 0) break;
      done += n;
    }
    return buffer.subarray(0, done);
  } finally {
    closeSync(fd);
  }
}

/**
 * Hashes a file and reads its head: what a reader needs before it starts. `beforeHashing` is told
 * the file's size first (ingest starts the phone thread for a long export then). `headBuffer` (at
 * least HEAD_BYTES + 1 long): the head is read into it, and is valid only until it is read into
 * again (ingest, reading its exports one after another, hands each the same buffer).
 */
export async function openInput(
  path: string,
  displayPath = displayPathOf(path),
  beforeHashing?: (size: number) => void,
  headBuffer?: Buffer,
): Promise<InputFile> {
  const absPath = resolve(path);
  let info;
  try {
    info = statSync(absPath);
  } catch (error) {
    throw new InputError(displayPath, `cannot open: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  if (!info.isFile()) throw new InputError(displayPath, 'not a regular file');
  beforeHashing?.(info.size);
  if (info.size < HEAD_BYTES) {
    // A file no longer than a head is read once, and hashed and parsed from the same bytes (see
    // wholeFile). One byte more is asked for: a file that grew since it was measured is read the long way.
    const whole = readHead(absPath, info.size + 1, info.size + 1, headBuffer);
    if (whole.length === info.size) return { absPath, displayPath, size: info.size, sha256: sha256Text(whole), head: whole };
  }
  // (Sized anew: a short file that grew is as long as the hash says, or its head is not taken for all of it.)
  const head = readHead(absPath, HEAD_BYTES, undefined, headBuffer);
  const { sha256, size } = await sha256File(absPath);
  return { absPath, displayPath, size, sha256, head };
}
