import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { SpareBuffers } from './spare-buffers.js';
import { WorkerPool } from './worker-pool.js';

/** What the hashing worker answers for one file. */
export type FileDigest = { sha256: string; size: number } | { error: string };

let pool: WorkerPool<string, FileDigest> | null = null;

/**
 * Files hashed on this thread before the pool starts: starting a worker costs more than hashing a
 * few photos, and most small cases hold only a few; a large export's media go to the pool after them.
 */
const INLINE_FILES = 16;
let inlineLeft = INLINE_FILES;

/** Size of the pieces files are hashed in on this thread. */
const PIECE = 1 << 20;
/** Read buffers of hashes done on this thread, kept for the next ones (a few run at once at most). */
const spare = new SpareBuffers(4);

/**
 * SHA-256 of a file, read on this thread (for a file the caller waits for); opened read-only. The
 * pieces are read into a buffer kept from one file to the next (a stream allocated a buffer per
 * piece: see SpareBuffers).
 */
export async function sha256File(path: string): Promise<{ sha256: string; size: number }> {
  const file = await open(path, 'r');
  const buffer = spare.take(PIECE);
  try {
    const hash = createHash('sha256');
    let size = 0;
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      size += bytesRead;
    }
    return { sha256: hash.digest('hex'), size };
  } finally {
    spare.giveBack(buffer);
    await file.close();
  }
}

/**
 * SHA-256 of a file, opened read-only and read in 1 MiB pieces by a pool of worker threads (at most
 * four, started once the first INLINE_FILES files have been hashed here, idle ones never keeping
 * the process alive), for files hashed beside other work (media while their messages or metadata
 * are parsed): the hashing runs on other cores and no per-file buffer is allocated. Rejects when
 * the file cannot be read.
 */
export async function sha256FileInWorker(path: string): Promise<{ sha256: string; size: number }> {
  if (pool === null && inlineLeft > 0) {
    inlineLeft--;
    return sha256File(path);
  }
  pool ??= new WorkerPool<string, FileDigest>({
    url: new URL('./sha256-worker.js', import.meta.url),
    size: Math.min(4, availableParallelism()),
    jobsPerWorker: 4,
    failure: (reason) => ({ error: `hashing worker failed: ${reason}` }),
  });
  const digest = await pool.run(path);
  if ('error' in digest) throw new Error(digest.error);
  return digest;
}

export function sha256Text(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The short prefix used inside case-wide ids and export-scoped keys. */
export function shortHash(sha256: string): string {
  return sha256.slice(0, 12);
}

/**
 * Scope of the name-keyed senders of one victim on one platform (`name:<scope>:<name>`): a saved
 * contact name belongs to the victim's address book, so the same victim's "Мама" in two exports is
 * one identity and another victim's "Мама" another.
 */
export function senderScope(platform: string, victim: string): string {
  return shortHash(sha256Text(`${platform}\n${victim}`));
}
