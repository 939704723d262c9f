// ImageFacts for one file or many: SHA-256, metadata, pHash (with the embedded thumbnail's), and
// anomalies. Nothing here throws for a bad or unreadable image; the problem goes to `errors`.

import { availableParallelism } from 'node:os';
import { sha256FileInWorker } from '../util/hash.js';
import { anomaliesFor } from './anomalies.js';
import { applyDeep, deepFacts } from './exiftool.js';
import { HashPool } from './hash-pool.js';
import { emptyExif, readImageMetadata, type ImageMetadata } from './metadata.js';
import { hammingDistance, hashImage, type HashJob, type HashResult } from './phash.js';
import type { ImageFacts, ReadImageOptions, ReadManyOptions, ThumbnailFacts } from './types.js';

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

interface FileHash {
  sha256: string;
  size: number;
  error: string | null;
}

export async function safeSha256(path: string): Promise<FileHash> {
  try {
    return { ...(await sha256FileInWorker(path)), error: null };
  } catch (e) {
    return { sha256: '', size: 0, error: `cannot read file: ${message(e)}` };
  }
}

async function safeMetadata(path: string): Promise<ImageMetadata | null> {
  try {
    return await readImageMetadata(path);
  } catch {
    return null; // the file cannot be opened: safeSha256 reports it
  }
}

function hashJob(path: string, meta: ImageMetadata): HashJob {
  return {
    path,
    format: meta.format,
    orientation: meta.orientation,
    // A copy: posting a view to a worker would clone the whole header buffer behind it.
    thumbnail: meta.thumbnail ? new Uint8Array(meta.thumbnail) : null,
    needSize: meta.width === null || meta.height === null,
  };
}

function thumbnailFacts(phash: string | undefined, thumbs: HashResult['thumbnailHashes']): ThumbnailFacts | null {
  if (phash === undefined || thumbs === null) return null;
  const distance = hammingDistance(phash, thumbs[0]);
  let rotatedDistance = Infinity;
  let rotation = 0;
  [90, 180, 270].forEach((turn, i) => {
    const d = hammingDistance(phash, thumbs[i + 1]!);
    if (d < rotatedDistance) [rotatedDistance, rotation] = [d, turn];
  });
  return { phash: thumbs[0], distance, rotatedDistance, rotation };
}

function assemble(
  file: FileHash,
  meta: ImageMetadata | null,
  hash: HashResult | null,
  context: ReadImageOptions,
): ImageFacts {
  const errors = [...(file.error ? [file.error] : []), ...(meta?.errors ?? []), ...(hash?.errors ?? [])];
  const hashes = hash?.hashes ?? {};
  const facts: ImageFacts = {
    sha256: file.sha256,
    size: file.size,
    format: meta?.format ?? null,
    width: meta?.width ?? hash?.width ?? null,
    height: meta?.height ?? hash?.height ?? null,
    orientation: meta?.orientation ?? null,
    exif: meta?.exif ?? emptyExif(),
    hashes,
    thumbnail: thumbnailFacts(hashes.phash64, hash?.thumbnailHashes ?? null),
    anomalies: [],
    metadataComplete: meta?.complete ?? false,
    errors,
    ...(hash && hash.decoderMessages.length > 0 ? { decoderMessages: hash.decoderMessages } : {}),
  };
  facts.anomalies = anomaliesFor(facts, context);
  return facts;
}

/**
 * Facts about one image that need no pixels: SHA-256, metadata and the anomalies they show. No
 * perceptual hash and no thumbnail comparison (hashes empty, thumbnail null).
 */
export async function readFileFacts(path: string, options: ReadImageOptions = {}): Promise<ImageFacts> {
  const [file, meta] = await Promise.all([safeSha256(path), safeMetadata(path)]);
  return assemble(file, meta, null, options);
}

/** Facts about one image, hashed on this thread. */
export async function readImageFacts(path: string, options: ReadImageOptions = {}): Promise<ImageFacts> {
  const [file, meta] = await Promise.all([safeSha256(path), safeMetadata(path)]);
  const hash = meta?.format ? await hashImage(hashJob(path, meta)) : null;
  return assemble(file, meta, hash, options);
}

/**
 * Fewer images than this are hashed on this thread (sharp decodes on libuv's threads anyway):
 * starting the pool's workers loads sharp and the hashing modules once per thread, about 0.5 s of
 * CPU each, which a few dozen pictures (about 10 ms each) do not repay.
 */
const POOL_MIN_IMAGES = 64;

/**
 * Facts about many images, in the order given. Metadata and SHA-256 are read here while a worker
 * pool (one thread per core) decodes pixels for the pHashes. With `deep`, exiftool runs beside it.
 */
export async function readManyImageFacts(paths: string[], options: ReadManyOptions = {}): Promise<ImageFacts[]> {
  const results: ImageFacts[] = new Array(paths.length);
  if (paths.length === 0) return results;
  const threads = Math.max(1, Math.min(options.concurrency ?? availableParallelism(), paths.length));
  const deep = options.deep ? deepFacts(paths, { onWarning: options.onWarning }) : null;
  const pool = paths.length >= POOL_MIN_IMAGES && threads > 1 ? await HashPool.start(threads) : null;
  let next = 0;
  let done = 0;
  const context = (index: number): ReadImageOptions => ({
    messageTime: options.messageTimes?.[index] ?? options.messageTime ?? null,
    messenger: options.messenger ?? false,
  });
  // Files whose pixels failed: libvips keeps one error buffer for the whole process, so a failure
  // beside other decodes can lose its message ("Unknown error"). They are hashed again one at a
  // time at the end, which gives the real message and the same output on every run.
  const recheck: { index: number; file: FileHash; meta: ImageMetadata }[] = [];
  const one = async (index: number): Promise<void> => {
    const path = paths[index]!;
    const [file, meta] = await Promise.all([safeSha256(path), safeMetadata(path)]);
    let hash: HashResult | null = null;
    if (meta?.format) hash = pool ? await pool.hash(hashJob(path, meta)) : await hashImage(hashJob(path, meta));
    if (meta && hash && hash.errors.length > 0) recheck.push({ index, file, meta });
    else results[index] = assemble(file, meta, hash, context(index));
    options.onProgress?.(++done, paths.length);
  };
  // Enough files in flight to keep every worker fed while the next headers are read.
  const lanes = Math.min(paths.length, threads * 4);
  try {
    await Promise.all(
      Array.from({ length: lanes }, async () => {
        while (next < paths.length) await one(next++);
      }),
    );
  } finally {
    await pool?.close();
  }
  for (const { index, file, meta } of recheck) results[index] = assemble(file, meta, await hashImage(hashJob(paths[index]!, meta)), context(index));
  if (deep) {
    const tags = await deep;
    results.forEach((facts, i) => {
      const found = tags.get(paths[i]!);
      if (found) applyDeep(facts, found);
    });
  }
  return results;
}
