import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';

/** SHA-256 of a file, streamed; the file is opened read-only. */
export async function sha256File(path: string): Promise<{ sha256: string; size: number }> {
  return sha256Stream(createReadStream(path, { flags: 'r', highWaterMark: 1 << 20 }));
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
