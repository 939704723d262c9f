// 64-bit DCT perceptual hash (pHash), the construction of Python imagehash.phash:
//   auto-orient → greyscale → 32×32 (fit 'fill', lanczos3) → 2-D DCT-II → the top-left 8×8
//   coefficients, DC INCLUDED → bit = coefficient > median of those 64 → 16 hex chars, row-major,
//   first coefficient in the most significant bit.
// The DCT is unnormalized (one common scale factor), so including DC only fixes bit 63 to 1 on
// almost every image; the other 63 bits carry the structure. Pixels come from sharp, HEIC pixels
// from heic-decode. Hashes are kept by kind everywhere (ImageFacts.hashes, the case's media_hashes
// and media_links): PDQ would be a new entry in HASH_KINDS and a pixels→hash function here.

import { readFile } from 'node:fs/promises';
import type { Sharp } from 'sharp';
import { decodeHeic } from './heic.js';
import { hammingDistance, VIDEO_MATCH_THRESHOLD, vframesDistance } from '../util/hash-distance.js';

export { hammingDistance };
import type { ImageType as ImageFormat } from './sniff.js';

export const PHASH_GRID = 32;
const LOW = 8;

/**
 * Hamming distance at or below which two 64-bit pHashes count as the same picture.
 *
 * Reproduce with `node dist/bench/media.js threshold 300` (README, "Perceptual hash threshold"): the
 * fixtures and real camera files with their committed variants, sharp re-encodes (q90–q30, WebP,
 * half and quarter size, messenger-style) and crops of each, and 300 generated scenes. Same picture:
 * 476 pairs, p99 4, max 6 but for one 40×30 px quarter-size copy at 16. Different pictures: 45 040
 * pairs, min 14, p1 22, median 32 (min 20 among the fixtures and real files). Crops are not the
 * same picture to pHash: 5 % off each side lands at 4–18. 10 sits between the groups: 1 of 476
 * same-picture pairs missed (the 40×30 copy), 0 different pairs matched. It also matches imagededup
 * and maccman/dhash (ATTRIBUTION.md). Weak spot: near-symmetric or flat images leave many
 * coefficients at the median, so their bits flip easily; pictures under about 64 px lose structure.
 */
export const PHASH_MATCH_THRESHOLD = 10;

/**
 * Perceptual hash kinds, each with how two of its hashes are compared. `phash64`: one picture's
 * pHash, Hamming distance. `vframes`: a video's frame pHashes in a row, frameDistance. PDQ (256
 * bits, threshold 31, ATTRIBUTION.md) is expected to join later.
 */
export const HASH_KINDS = {
  phash64: { bits: 64, matchThreshold: PHASH_MATCH_THRESHOLD, distance: hammingDistance },
  vframes: { bits: 64, matchThreshold: VIDEO_MATCH_THRESHOLD, distance: vframesDistance },
} as const;
export type HashKind = keyof typeof HASH_KINDS;

/** Perceptual hashes by kind, lowercase hex. */
export type ImageHashes = Partial<Record<HashKind, string>>;

// cos((2n+1)kπ / 2N) for k < 8, n < 32.
const COS = (() => {
  const table = new Float64Array(LOW * PHASH_GRID);
  for (let k = 0; k < LOW; k++)
    for (let n = 0; n < PHASH_GRID; n++) table[k * PHASH_GRID + n] = Math.cos(((2 * n + 1) * k * Math.PI) / (2 * PHASH_GRID));
  return table;
})();

/** pHash of a 32×32 greyscale grid (row-major, one byte per pixel). */
export function phashFromGrid(grid: Uint8Array): string {
  const N = PHASH_GRID;
  if (grid.length !== N * N) throw new RangeError(`phash grid must be ${N}×${N}`);
  // Rows first (only the 8 lowest horizontal frequencies are needed), then columns.
  const rows = new Float64Array(N * LOW);
  for (let y = 0; y < N; y++)
    for (let k = 0; k < LOW; k++) {
      let sum = 0;
      for (let x = 0; x < N; x++) sum += grid[y * N + x]! * COS[k * N + x]!;
      rows[y * LOW + k] = sum;
    }
  const coeffs = new Float64Array(LOW * LOW);
  for (let ky = 0; ky < LOW; ky++)
    for (let kx = 0; kx < LOW; kx++) {
      let sum = 0;
      for (let y = 0; y < N; y++) sum += COS[ky * N + y]! * rows[y * LOW + kx]!;
      coeffs[ky * LOW + kx] = sum;
    }
  const sorted = Float64Array.from(coeffs).sort();
  const median = (sorted[31]! + sorted[32]!) / 2;
  let hex = '';
  for (let i = 0; i < 64; i += 4) {
    let nibble = 0;
    for (let b = 0; b < 4; b++) nibble = (nibble << 1) | (coeffs[i + b]! > median ? 1 : 0);
    hex += nibble.toString(16);
  }
  return hex;
}

/**
 * Turns a square grid the way EXIF Orientation (1–8) says to display it: 6 turns 90° clockwise,
 * 8 turns 90° anticlockwise, 3 turns 180°, 2/4 mirror, 5/7 transpose/transverse.
 */
export function orientGrid(grid: Uint8Array, orientation: number, n = PHASH_GRID): Uint8Array {
  if (orientation <= 1 || orientation > 8) return grid;
  const out = new Uint8Array(n * n);
  const last = n - 1;
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) {
      let sy: number;
      let sx: number;
      switch (orientation) {
        case 2: [sy, sx] = [y, last - x]; break;
        case 3: [sy, sx] = [last - y, last - x]; break;
        case 4: [sy, sx] = [last - y, x]; break;
        case 5: [sy, sx] = [x, y]; break;
        case 6: [sy, sx] = [last - x, y]; break;
        case 7: [sy, sx] = [last - x, last - y]; break;
        default: [sy, sx] = [x, last - y]; break; // 8
      }
      out[y * n + x] = grid[sy * n + sx]!;
    }
  return out;
}

/** Clockwise quarter turns expressed as the EXIF orientation that performs them. */
export const TURN_ORIENTATION: Record<0 | 90 | 180 | 270, number> = { 0: 1, 90: 6, 180: 3, 270: 8 };

let sharpModule: Promise<typeof import('sharp').default> | null = null;
/**
 * sharp (libvips), loaded with the first image hashed, not when threatlens starts. Its operation
 * cache is off, as in the hash workers: every image is read once, and a cached image keeps its file
 * mapped after it is closed (a temporary copy deleted after hashing would hold its disk space, and
 * its file system could not be remounted, until the process ends).
 */
const loadSharp = (): Promise<typeof import('sharp').default> =>
  (sharpModule ??= import('sharp').then((m) => {
    m.default.cache(false);
    return m.default;
  }));

async function gridFromSharp(image: Sharp): Promise<Uint8Array> {
  const { data, info } = await image
    .flatten({ background: '#ffffff' })
    .greyscale()
    .resize(PHASH_GRID, PHASH_GRID, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels === 1) return new Uint8Array(data.buffer, data.byteOffset, data.length);
  const grey = new Uint8Array(PHASH_GRID * PHASH_GRID);
  for (let i = 0; i < grey.length; i++) grey[i] = data[i * info.channels]!;
  return grey;
}

// failOn 'error': truncated or broken pixel data is an error (its hash would describe grey filler),
// while the harmless warnings real cameras trigger (extraneous bytes, odd markers) are tolerated.
const INPUT = { failOn: 'error' } as const;

/** What hashing one image needs: its file, and the IFD1 thumbnail to compare with it. */
export interface HashJob {
  path: string;
  format: ImageFormat | null;
  /** EXIF Orientation, applied to the thumbnail (it is stored like the main image). */
  orientation: number | null;
  thumbnail: Uint8Array | null;
  /** Also report the pixel size (for formats whose header we do not parse). */
  needSize: boolean;
}

export interface HashResult {
  /** By kind; empty when the pixels could not be decoded. */
  hashes: ImageHashes;
  /** The thumbnail's pHash turned 0°, 90°, 180° and 270° clockwise (after Orientation). */
  thumbnailHashes: [string, string, string, string] | null;
  width: number | null;
  height: number | null;
  errors: string[];
  /**
   * What a decoding library printed while reading this file (libheif: "Could not parse HEIF file
   * …"), one line each: reported as warnings naming the file, never written to stdout.
   */
  decoderMessages: string[];
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;

async function mainGrid(job: HashJob, decoderMessages: string[]): Promise<{ grid: Uint8Array; width: number | null; height: number | null }> {
  const sharp = await loadSharp();
  if (job.format === 'heic') {
    let heicError: unknown;
    const said: string[] = [];
    try {
      const image = await decodeHeic(await readFile(job.path), said);
      decoderMessages.push(...said);
      const raw = sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), {
        raw: { width: image.width, height: image.height, channels: 4 },
      });
      return { grid: await gridFromSharp(raw), width: image.width, height: image.height };
    } catch (e) {
      heicError = e; // an AV1 payload behind a 'mif1' brand: sharp may still read it
    }
    try {
      // libheif's complaints do not matter when sharp reads the pixels.
      return { grid: await gridFromSharp(sharp(job.path, INPUT).rotate()), width: null, height: null };
    } catch {
      decoderMessages.push(...said);
      throw heicError;
    }
  }
  let width: number | null = null;
  let height: number | null = null;
  if (job.needSize) {
    const meta = await sharp(job.path, INPUT).metadata();
    width = meta.width ?? null;
    height = meta.height ?? null;
  }
  return { grid: await gridFromSharp(sharp(job.path, INPUT).rotate()), width, height };
}

/**
 * Below this standard deviation of its 32×32 grey grid (0–255) a frame is flat: black, a fade, a
 * single colour. Its DCT coefficients are noise around zero, so its pHash says nothing about the
 * picture (every black frame hashes to the same bits): two unrelated videos that both fade from
 * black would agree on it.
 */
export const FLAT_FRAME_STDEV = 4;

/**
 * The pHash of an encoded picture held in memory (a video frame as ffmpeg wrote it), or null when the
 * frame is flat (FLAT_FRAME_STDEV). Throws when it cannot be decoded.
 */
export async function framePhash(bytes: Buffer): Promise<string | null> {
  const sharp = await loadSharp();
  const grid = await gridFromSharp(sharp(bytes, INPUT));
  let sum = 0;
  let squares = 0;
  for (const v of grid) {
    sum += v;
    squares += v * v;
  }
  const mean = sum / grid.length;
  return Math.sqrt(Math.max(0, squares / grid.length - mean * mean)) < FLAT_FRAME_STDEV ? null : phashFromGrid(grid);
}

/** Hashes one image and its thumbnail. Never throws: problems land in `errors`. */
export async function hashImage(job: HashJob): Promise<HashResult> {
  const result: HashResult = { hashes: {}, thumbnailHashes: null, width: null, height: null, errors: [], decoderMessages: [] };
  try {
    const { grid, width, height } = await mainGrid(job, result.decoderMessages);
    result.hashes = { phash64: phashFromGrid(grid) };
    result.width = width;
    result.height = height;
  } catch (e) {
    result.errors.push(`image not decodable: ${message(e)}`);
  }
  if (job.thumbnail) {
    try {
      const sharp = await loadSharp();
      const upright = orientGrid(await gridFromSharp(sharp(job.thumbnail, INPUT)), job.orientation ?? 1);
      const turns = [0, 90, 180, 270] as const;
      result.thumbnailHashes = turns.map((t) => phashFromGrid(orientGrid(upright, TURN_ORIENTATION[t]))) as HashResult['thumbnailHashes'];
    } catch (e) {
      result.errors.push(`embedded thumbnail not decodable: ${message(e)}`);
    }
  }
  return result;
}
