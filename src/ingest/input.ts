import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { sha256File } from '../util/hash.js';
import { InputError } from '../util/errors.js';
import type { InputFile } from '../readers/reader.js';

export const HEAD_BYTES = 64 * 1024;

/** Forward slashes, so paths print the same on every system. */
export function displayPathOf(path: string): string {
  return path.split('\\').join('/');
}

/** Reads the first bytes of a file, opened read-only; `size`, when the caller knows it, saves asking again. */
export async function readHead(absPath: string, bytes = HEAD_BYTES, size?: number): Promise<Buffer> {
  const handle = await open(absPath, 'r');
  try {
    // No bigger than the file: most chats of a folder of them are a few KiB.
    const known = size ?? (await handle.stat()).size;
    const buffer = Buffer.alloc(Math.min(bytes, known));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Hashes a file and reads its head: what a reader needs before it starts. `beforeHashing` is told
 * the file's size first (ingest starts the phone thread for a long export then).
 */
export async function openInput(path: string, displayPath = displayPathOf(path), beforeHashing?: (size: number) => void): Promise<InputFile> {
  const absPath = resolve(path);
  let info;
  try {
    info = await stat(absPath);
  } catch (error) {
    throw new InputError(displayPath, `cannot open: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  if (!info.isFile()) throw new InputError(displayPath, 'not a regular file');
  beforeHashing?.(info.size);
  const [{ sha256, size }, head] = await Promise.all([sha256File(absPath, info.size), readHead(absPath, HEAD_BYTES, info.size)]);
  return { absPath, displayPath, size, sha256, head };
}
