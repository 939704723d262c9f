// JPEG header segments, walked by hand up to the start of scan (SOS). exifr's chunked reader
// silently misses EXIF that follows ICC/XMP/Photoshop segments (MEDIA.md §1, bug 1); handing it the
// header bytes as one Buffer cannot miss anything, and never reads the compressed image data.

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
  /** Offset of the 0xFF of the marker. */
  offset: number;
  /** Bytes of the segment including marker and length field. */
  length: number;
}

export interface JpegHeader {
  /** SOI and every segment before SOS, then EOI: what exifr parses. */
  bytes: Buffer;
  segments: JpegSegment[];
  /** Where the TIFF structure of the first EXIF APP1 starts and ends inside `bytes`. */
  tiff: { start: number; end: number } | null;
  /** Frame size from the first SOFn. */
  width: number | null;
  height: number | null;
  /** First COM segment's text (encoders such as gd-jpeg and some messengers sign here). */
  comment: string | null;
  /** true when SOS was reached: the header is complete. */
  complete: boolean;
  errors: string[];
}

/** Reads bytes [0, n) of the file, growing as needed; returns what is available (less at end of file). */
export type PrefixReader = (n: number) => Promise<Buffer>;

const ascii = (buf: Buffer, at: number, text: string): boolean =>
  buf.length >= at + text.length && buf.toString('latin1', at, at + text.length) === text;

function classify(buf: Buffer, at: number, marker: number): JpegSegmentKind {
  const payload = at + 4;
  switch (marker) {
    case 0xe0:
      return ascii(buf, payload, 'JFIF\0') ? 'jfif' : ascii(buf, payload, 'JFXX\0') ? 'jfxx' : 'other';
    case 0xe1:
      if (ascii(buf, payload, 'Exif\0')) return 'exif';
      if (ascii(buf, payload, 'http://ns.adobe.com/xap/1.0/\0')) return 'xmp';
      if (ascii(buf, payload, 'http://ns.adobe.com/xmp/extension/\0')) return 'xmp-extended';
      return 'other';
    case 0xe2:
      return ascii(buf, payload, 'ICC_PROFILE\0') ? 'icc' : ascii(buf, payload, 'MPF\0') ? 'mpf' : 'other';
    case 0xed:
      return ascii(buf, payload, 'Photoshop 3.0\0') ? 'photoshop' : 'other';
    case 0xee:
      return ascii(buf, payload, 'Adobe') ? 'adobe' : 'other';
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
 * Walks the segments of a JPEG from SOI to SOS. Never reads past `maxBytes`; a header that does not
 * end by then is parsed as far as it goes and reported in `errors`.
 */
export async function readJpegHeader(read: PrefixReader, maxBytes: number): Promise<JpegHeader> {
  const segments: JpegSegment[] = [];
  const errors: string[] = [];
  let tiff: JpegHeader['tiff'] = null;
  let width: number | null = null;
  let height: number | null = null;
  let comment: string | null = null;
  let complete = false;
  let buf = await read(Math.min(maxBytes, 16 * 1024));
  const need = async (n: number): Promise<boolean> => {
    if (buf.length < n) buf = await read(Math.min(maxBytes, Math.max(n, buf.length * 2)));
    return buf.length >= n;
  };
  let p = 2;
  for (;;) {
    if (!(await need(p + 4))) {
      errors.push(p + 4 > maxBytes ? `JPEG header longer than ${maxBytes} bytes; metadata read from its start only` : `JPEG ends inside its header at byte ${buf.length} (truncated)`);
      break;
    }
    if (buf[p] !== 0xff) {
      errors.push(`JPEG marker expected at byte ${p}, found 0x${buf[p]!.toString(16).padStart(2, '0')}`);
      break;
    }
    const marker = buf[p + 1]!;
    if (marker === 0xff) {
      p += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      p += 2; // markers without a length
      continue;
    }
    if (marker === 0xda) {
      complete = true;
      break;
    }
    if (marker === 0xd9) {
      errors.push(`JPEG ends (EOI) at byte ${p} before any image data`);
      break;
    }
    const length = 2 + buf.readUInt16BE(p + 2);
    if (length < 4) {
      errors.push(`JPEG segment 0xFF${marker.toString(16).toUpperCase()} at byte ${p} has an invalid length`);
      break;
    }
    if (!(await need(p + length))) {
      errors.push(p + length > maxBytes ? `JPEG header longer than ${maxBytes} bytes; metadata read from its start only` : `JPEG ends inside segment 0xFF${marker.toString(16).toUpperCase()} at byte ${p} (truncated)`);
      break;
    }
    const kind = classify(buf, p, marker);
    segments.push({ marker, kind, offset: p, length });
    if (kind === 'exif' && tiff === null) tiff = { start: p + 10, end: p + length };
    if (kind === 'sof' && width === null && length >= 9) {
      height = buf.readUInt16BE(p + 5);
      width = buf.readUInt16BE(p + 7);
    }
    if (kind === 'comment' && comment === null) comment = buf.toString('latin1', p + 4, p + length);
    p += length;
  }
  const end = Math.min(p, buf.length);
  const bytes = Buffer.concat([buf.subarray(0, end), Buffer.from([0xff, 0xd9])]);
  return { bytes, segments, tiff, width, height, comment, complete, errors };
}
