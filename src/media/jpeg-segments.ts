// JPEG header segments, walked by hand from SOI to the start of scan (SOS). exifr's chunked reader
// silently misses EXIF that follows ICC/XMP/Photoshop segments (MEDIA.md §1, bug 1), so exifr is
// handed a Buffer we assemble ourselves: SOI, the segments it needs, EOI.
//
// The walk reads only each segment's marker, length and signature, and skips the rest by position,
// so a header of any size costs a few small reads: an EXIF block behind megabytes of XMP-Extended
// (Google depth maps) or padding is still found. Only the segments metadata needs are kept, within
// a byte budget; the compressed image data is never read.

import type { RangeReader } from './file-window.js';

export type JpegSegmentKind =
  | 'jfif'
  | 'jfxx'
  | 'exif'
  | 'xmp'
  | 'xmp-extended'
  | 'icc'
  | 'mpf'
  | 'photoshop'
  | 'adobe'
  | 'comment'
  | 'sof'
  | 'dqt'
  | 'dht'
  | 'other';

export interface JpegSegment {
  /** Marker byte after 0xFF (0xE1 for APP1). */
  marker: number;
  kind: JpegSegmentKind;
  /** Offset of the 0xFF of the marker, in the file. */
  offset: number;
  /** Bytes of the segment including marker and length field. */
  length: number;
  /** Its bytes are in JpegHeader.bytes. */
  kept: boolean;
}

export interface JpegLimits {
  /** Segments walked at most: a hostile file of millions of empty segments must not cost millions of reads. */
  maxSegments: number;
  /** Bytes of kept segments at most (the first EXIF and XMP segments are always kept: 64 KiB each at most). */
  maxKeptBytes: number;
}

export const JPEG_LIMITS: JpegLimits = { maxSegments: 100_000, maxKeptBytes: 16 << 20 };

export interface JpegHeader {
  /** SOI, the kept segments in file order, EOI: what exifr parses. */
  bytes: Buffer;
  /** Every segment before SOS, kept or not. */
  segments: JpegSegment[];
  /** Where the TIFF structure of the first EXIF APP1 starts and ends inside `bytes`. */
  tiff: { start: number; end: number } | null;
  /** Frame size from the first SOFn. */
  width: number | null;
  height: number | null;
  /** First COM segment's text (encoders such as gd-jpeg and some messengers sign here). */
  comment: string | null;
  /** true when SOS was reached and every segment that metadata needs was kept: absent facts are absent. */
  complete: boolean;
  errors: string[];
}

/** Longest signature looked at: 'http://ns.adobe.com/xmp/extension/\0' is 35 bytes. */
const SIGNATURE_BYTES = 40;

const ascii = (buf: Buffer, at: number, text: string): boolean =>
  buf.length >= at + text.length && buf.toString('latin1', at, at + text.length) === text;

function classify(head: Buffer, marker: number): JpegSegmentKind {
  const payload = 4;
  switch (marker) {
    case 0xe0:
      return ascii(head, payload, 'JFIF\0') ? 'jfif' : ascii(head, payload, 'JFXX\0') ? 'jfxx' : 'other';
    case 0xe1:
      if (ascii(head, payload, 'Exif\0')) return 'exif';
      if (ascii(head, payload, 'http://ns.adobe.com/xap/1.0/\0')) return 'xmp';
      if (ascii(head, payload, 'http://ns.adobe.com/xmp/extension/\0')) return 'xmp-extended';
      return 'other';
    case 0xe2:
      return ascii(head, payload, 'ICC_PROFILE\0') ? 'icc' : ascii(head, payload, 'MPF\0') ? 'mpf' : 'other';
    case 0xed:
      return ascii(head, payload, 'Photoshop 3.0\0') ? 'photoshop' : 'other';
    case 0xee:
      return ascii(head, payload, 'Adobe') ? 'adobe' : 'other';
    case 0xfe:
      return 'comment';
    case 0xdb:
      return 'dqt';
    case 0xc4:
      return 'dht';
    default:
      // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
      return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc8 && marker !== 0xcc ? 'sof' : 'other';
  }
}

/**
 * Segments whose bytes metadata needs. XMP-Extended (depth maps, often megabytes), MPF, JFXX
 * thumbnails, tables and unknown segments are walked past.
 */
const KEPT_KINDS = new Set<JpegSegmentKind>(['jfif', 'exif', 'xmp', 'icc', 'photoshop', 'adobe']);

const hex = (marker: number): string => `0xFF${marker.toString(16).toUpperCase()}`;

/**
 * Walks the segments of a JPEG from SOI to SOS, reading each marker, length and signature and
 * skipping the rest. `fileSize` bounds every read; a header that stops early (truncated file,
 * garbage between segments, a limit) is parsed as far as it goes and reported in `errors`, with
 * `complete` false.
 */
export async function readJpegHeader(read: RangeReader, fileSize: number, limits: JpegLimits = JPEG_LIMITS): Promise<JpegHeader> {
  const segments: JpegSegment[] = [];
  const errors: string[] = [];
  const parts: Buffer[] = [Buffer.from([0xff, 0xd8])];
  let keptBytes = 2;
  let tiff: JpegHeader['tiff'] = null;
  let width: number | null = null;
  let height: number | null = null;
  let comment: string | null = null;
  let reachedScan = false;
  let dropped = false;
  let p = 2;
  for (;;) {
    if (segments.length >= limits.maxSegments) {
      errors.push(`JPEG header has more than ${limits.maxSegments} segments; metadata read from the first ones only`);
      break;
    }
    const head = await read(p, 4 + SIGNATURE_BYTES);
    if (head.length < 2) {
      errors.push(`JPEG ends inside its header at byte ${Math.min(p, fileSize)} (truncated)`);
      break;
    }
    if (head[0] !== 0xff) {
      errors.push(`JPEG marker expected at byte ${p}, found 0x${head[0]!.toString(16).padStart(2, '0')}; metadata read up to there`);
      break;
    }
    const marker = head[1]!;
    if (marker === 0xff) {
      p += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      p += 2; // markers without a length
      continue;
    }
    if (marker === 0xda) {
      reachedScan = true;
      break;
    }
    if (marker === 0xd9) {
      errors.push(`JPEG ends (EOI) at byte ${p} before any image data`);
      break;
    }
    if (head.length < 4) {
      errors.push(`JPEG ends inside segment ${hex(marker)} at byte ${p} (truncated)`);
      break;
    }
    const length = 2 + head.readUInt16BE(2);
    if (length < 4) {
      errors.push(`JPEG segment ${hex(marker)} at byte ${p} has an invalid length`);
      break;
    }
    if (p + length > fileSize) {
      errors.push(`JPEG ends inside segment ${hex(marker)} at byte ${p} (truncated)`);
      break;
    }
    const kind = classify(head, marker);
    const segment: JpegSegment = { marker, kind, offset: p, length, kept: false };
    segments.push(segment);
    if (kind === 'sof' && width === null && length >= 9) {
      height = head.readUInt16BE(5);
      width = head.readUInt16BE(7);
    }
    if (kind === 'comment' && comment === null) comment = (await read(p + 4, length - 4)).toString('latin1');
    if (KEPT_KINDS.has(kind)) {
      const first = (kind === 'exif' && tiff === null) || (kind === 'xmp' && !segments.some((s) => s.kind === 'xmp' && s.kept));
      if (first || keptBytes + length <= limits.maxKeptBytes) {
        const bytes = Buffer.from(await read(p, length)); // a copy: the reader's window moves on
        if (kind === 'exif' && tiff === null) tiff = { start: keptBytes + 10, end: keptBytes + length };
        parts.push(bytes);
        keptBytes += length;
        segment.kept = true;
      } else {
        dropped = true;
        errors.push(`JPEG metadata segments exceed ${limits.maxKeptBytes} bytes; ${kind} segment at byte ${p} not read`);
      }
    }
    p += length;
  }
  parts.push(Buffer.from([0xff, 0xd9]));
  return { bytes: Buffer.concat(parts), segments, tiff, width, height, comment, complete: reachedScan && !dropped, errors };
}
