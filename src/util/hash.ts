import { createHash, webcrypto } from 'node:crypto';
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import type { Readable } from 'node:stream';

/** SHA-256 of a file, streamed; the file is opened read-only. */
export async function sha256File(path: string): Promise<{ sha256: string; size: number }> {
  return sha256Stream(createReadStream(path, { flags: 'r', highWaterMark: 1 << 20 }));
}

/** Files up to this size are read whole by sha256WholeFile; larger ones are streamed. */
const WHOLE_FILE_MAX = 16 << 20;

/**
 * SHA-256 of a file, for many small files (images): read whole in one synchronous call, then hashed
 * by WebCrypto on the libuv thread pool, so the hashing runs on another core while this thread
 * parses metadata. The stream (sha256File) spent more on its per-file buffers and round trips than
 * on hashing (bench/media.ts). Files above 16 MiB go through the stream. Opened read-only.
 */
export async function sha256WholeFile(path: string): Promise<{ sha256: string; size: number }> {
  const bytes = readSmallFile(path, WHOLE_FILE_MAX);
  if (bytes === null) return sha256File(path);
  const digest = await webcrypto.subtle.digest('SHA-256', bytes);
  return { sha256: Buffer.from(digest).toString('hex'), size: bytes.length };
}

/** The whole file in one Buffer, or null when it is larger than `max` bytes. */
function readSmallFile(path: string, max: number): Buffer | null {
  const fd = openSync(path, 'r');
  try {
    const { size } = fstatSync(fd);
    if (size > max) return null;
    const bytes = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const n = readSync(fd, bytes, filled, size - filled, filled);
      if (n === 0) break;
      filled += n;
    }
    return bytes.subarray(0, filled);
  } finally {
    closeSync(fd);
  }
}

export async function sha256Stream(stream: Readable): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}

export function sha256Text(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The short prefix used inside case-wide ids and export-scoped keys. */
export function shortHash(sha256: string): string {
  return sha256.slice(0, 12);
}
