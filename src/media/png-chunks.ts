// PNG metadata chunks, collected by hand and re-assembled into a small PNG without pixel data
// (IDAT is skipped by seeking), which exifr then parses as a Buffer. eXIf may legally follow IDAT,
// so the walk goes to IEND.

import type { RangeReader } from './file-window.js';

export interface PngHeader {
  /** Signature, IHDR, the metadata chunks, IEND. */
  bytes: Buffer;
  chunks: { type: string; offset: number; length: number }[];
  /** The eXIf chunk's TIFF structure inside `bytes`. */
  tiff: { start: number; end: number } | null;
  width: number | null;
  height: number | null;
  errors: string[];
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const KEEP = new Set(['IHDR', 'eXIf', 'iTXt', 'tEXt', 'zTXt', 'iCCP']);
/** Chunks walked at most: a hostile file of millions of empty chunks must not cost millions of reads. */
const MAX_CHUNKS = 100_000;
const IEND = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

export async function readPngHeader(read: RangeReader, fileSize: number, maxBytes: number): Promise<PngHeader> {
  const kept: Buffer[] = [SIGNATURE];
  let keptBytes = SIGNATURE.length;
  const chunks: PngHeader['chunks'] = [];
  const errors: string[] = [];
  let tiff: PngHeader['tiff'] = null;
  let width: number | null = null;
  let height: number | null = null;
  let pos = 8;
  let ended = false;
  while (pos + 8 <= fileSize) {
    if (chunks.length >= MAX_CHUNKS) {
      errors.push(`PNG has more than ${MAX_CHUNKS} chunks; metadata read from the first ones only`);
      break;
    }
    const head = await read(pos, 8);
    if (head.length < 8) break;
    const length = head.readUInt32BE(0);
    const type = head.toString('latin1', 4, 8);
    if (!/^[A-Za-z]{4}$/.test(type) || length > 0x7fffffff) {
      errors.push(`PNG chunk header expected at byte ${pos}`);
      break;
    }
    chunks.push({ type, offset: pos, length });
    if (type === 'IEND') {
      ended = true;
      break;
    }
    if (KEEP.has(type)) {
      if (keptBytes + 12 + length > maxBytes) {
        errors.push(`PNG metadata chunks exceed ${maxBytes} bytes; ${type} at byte ${pos} skipped`);
      } else {
        const whole = Buffer.from(await read(pos, 12 + length)); // a copy: the reader's window moves on
        if (whole.length < 12 + length) {
          errors.push(`PNG ends inside chunk ${type} at byte ${pos} (truncated)`);
          break;
        }
        if (type === 'IHDR' && length >= 8) {
          width = whole.readUInt32BE(8);
          height = whole.readUInt32BE(12);
        }
        if (type === 'eXIf' && tiff === null) tiff = { start: keptBytes + 8, end: keptBytes + 8 + length };
        kept.push(whole);
        keptBytes += whole.length;
      }
    }
    pos += 12 + length;
  }
  if (!ended && errors.length === 0) errors.push(`PNG has no IEND chunk (truncated at byte ${Math.min(pos, fileSize)})`);
  kept.push(IEND);
  return { bytes: Buffer.concat(kept), chunks, tiff, width, height, errors };
}
