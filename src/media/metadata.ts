// exifr, wrapped so that its measured pitfalls (MEDIA.md §1) cannot leak:
// - it only ever sees Buffers we read ourselves (header segments up to SOS, PNG metadata chunks),
//   so chunked reading cannot miss EXIF behind ICC/XMP/Photoshop blocks and no descriptor leaks;
// - reviveValues is off and dates are combined with OffsetTime* here, never in the machine's zone;
// - XMP is parsed in a second pass, because exifr merges XMP `tiff:`/`exif:` properties over the
//   EXIF blocks of the same name when both are parsed together;
// - every EXIF block is walked by tiff.ts too, because exifr abandons the whole block over one bad
//   IFD0 entry and silently cuts other directories short at one; a block with bad entries is
//   repaired in a copy and parsed again, and when GPS is still missing after errors the GPS
//   directory is read alone with picked tags, which stops before a broken tail;
// - strings are cut at the first NUL and trimmed; its console noise is filtered out.

import type Exifr from 'exifr';
import { readImageHeader, type ImageHeader } from './header.js';
import { exifTime, offsetFromGps, offsetFromXmp, offsetMinutes, withOffset, type ExifTime } from './exif-time.js';
import { repairTiff, sliceThumbnail } from './tiff.js';
import type { ExifFacts, GpsFacts, ImageFormat } from './types.js';
import { isoUtc } from '../util/time.js';

type Block = Record<string, unknown>;
type ExifrOutput = Record<string, unknown> & { errors?: unknown[] };

/** What the metadata path gives: everything but hashes and anomalies. */
export interface ImageMetadata {
  format: ImageFormat | null;
  size: number;
  width: number | null;
  height: number | null;
  orientation: number | null;
  exif: ExifFacts;
  /** The embedded IFD1 JPEG thumbnail, when there is one. */
  thumbnail: Buffer | null;
  /** See ImageHeader.complete. */
  complete: boolean;
  errors: string[];
}

const COMMON = {
  mergeOutput: false,
  reviveValues: false,
  translateKeys: true,
  translateValues: false,
  sanitize: true,
  silentErrors: true,
} as const;

const TIFF_OPTIONS = {
  ...COMMON,
  tiff: true,
  ifd1: true,
  exif: true,
  gps: true,
  interop: false,
  makerNote: false,
  userComment: false,
  // multiSegment: all APP2 chunks are already in the Buffer; without it exifr warns on the console.
  icc: { multiSegment: true },
  xmp: false,
  iptc: false,
  jfif: false,
  ihdr: false,
};

const XMP_OPTIONS = {
  ...COMMON,
  tiff: false,
  ifd0: false,
  ifd1: false,
  exif: false,
  gps: false,
  interop: false,
  icc: false,
  iptc: false,
  jfif: false,
  ihdr: false,
  xmp: true,
};

/** HEIF containers: only the ICC profile (colr); their EXIF item is located by heif.ts. */
const ICC_ONLY = { ...XMP_OPTIONS, xmp: false, icc: { multiSegment: true } };

// exifr writes these to the console from inside its parsers (ICC chunks, 64-bit values, HEIF iloc).
const EXIFR_NOISE = /ICC chunk|ILOC box|Using BigInt|Couldn't load|thumbOffset|thumbLength/;
let quietDepth = 0;
let saved: { warn: typeof console.warn; log: typeof console.log } | null = null;

async function quietly<T>(run: () => Promise<T>): Promise<T> {
  if (quietDepth++ === 0) {
    saved = { warn: console.warn, log: console.log };
    const { warn, log } = saved;
    const keep = (args: unknown[]): boolean => !(typeof args[0] === 'string' && EXIFR_NOISE.test(args[0]));
    console.warn = (...args: unknown[]) => void (keep(args) && warn(...args));
    console.log = (...args: unknown[]) => void (keep(args) && log(...args));
  }
  try {
    return await run();
  } finally {
    if (--quietDepth === 0 && saved) {
      console.warn = saved.warn;
      console.log = saved.log;
      saved = null;
    }
  }
}

let exifrModule: Promise<typeof Exifr> | null = null;
/** exifr, loaded with the first image read, not when threatlens starts. */
const loadExifr = (): Promise<typeof Exifr> => (exifrModule ??= import('exifr').then((m) => m.default));

async function parse(bytes: Buffer, options: object): Promise<ExifrOutput> {
  const exifr = await loadExifr();
  return ((await quietly(() => exifr.parse(bytes, options))) as ExifrOutput | undefined) ?? {};
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A tag value as clean text: cut at the first NUL, control characters dropped, trimmed; null when empty. */
export function cleanString(value: unknown): string | null {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value instanceof Uint8Array) text = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('latin1');
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else return null;
  const nul = text.indexOf('\0');
  if (nul >= 0) text = text.slice(0, nul);
  text = text.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  return text === '' ? null : text;
}

function block(output: ExifrOutput, key: string): Block {
  const value = output[key];
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Block) : {};
}

function firstNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value instanceof Uint8Array || Array.isArray(value)) return firstNumber(value[0]);
  return null;
}

/** [degrees, minutes, seconds] (or plain degrees) → decimal degrees. */
function dmsToDegrees(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (!Array.isArray(value) || value.length === 0) return null;
  const [d, m = 0, s = 0] = value as unknown[];
  if (typeof d !== 'number' || typeof m !== 'number' || typeof s !== 'number') return null;
  const deg = d + m / 60 + s / 3600;
  return Number.isFinite(deg) ? deg : null;
}

/** Rounds to 7 decimals (about 1 cm), so exiftool's `-n` values and ours compare equal. */
const round7 = (x: number): number => Math.round(x * 1e7) / 1e7;

function gpsFromBlock(gps: Block, errors: string[]): GpsFacts | null {
  let lat = dmsToDegrees(gps.GPSLatitude);
  let lon = dmsToDegrees(gps.GPSLongitude);
  if (lat === null || lon === null) return null;
  const latRef = cleanString(gps.GPSLatitudeRef)?.toUpperCase();
  const lonRef = cleanString(gps.GPSLongitudeRef)?.toUpperCase();
  if (latRef === 'S') lat = -lat;
  if (lonRef === 'W') lon = -lon;
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) {
    errors.push(`GPS position out of range (${lat}, ${lon}); ignored`);
    return null;
  }
  let altitude = firstNumber(gps.GPSAltitude);
  if (altitude !== null && firstNumber(gps.GPSAltitudeRef) === 1) altitude = -altitude;
  return { lat: round7(lat), lon: round7(lon), altitude, time: gpsTime(gps.GPSDateStamp, gps.GPSTimeStamp) };
}

function gpsTime(dateStamp: unknown, timeStamp: unknown): string | null {
  const date = cleanString(dateStamp);
  const m = date === null ? null : /^(\d{4})[:-](\d{2})[:-](\d{2})$/.exec(date);
  if (!m || !Array.isArray(timeStamp) || timeStamp.length < 3) return null;
  const [h, min, s] = timeStamp as unknown[];
  if (typeof h !== 'number' || typeof min !== 'number' || typeof s !== 'number') return null;
  if (h < 0 || h > 23 || min < 0 || min > 59 || s < 0 || s >= 61) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), h, min, 0) + Math.round(s * 1000);
  return Number.isNaN(ms) ? null : isoUtc(ms);
}

function historyLines(value: unknown): string[] {
  const events = Array.isArray(value) ? value : value && typeof value === 'object' ? [value] : [];
  const lines: string[] = [];
  for (const event of events as Block[]) {
    if (!event || typeof event !== 'object') continue;
    const action = cleanString(event.action) ?? 'event';
    const agent = cleanString(event.softwareAgent);
    const when = cleanString(event.when);
    const parameters = cleanString(event.parameters);
    lines.push(`${action}${parameters ? ` (${parameters})` : ''}${agent ? ` by ${agent}` : ''}${when ? ` at ${when}` : ''}`);
  }
  return lines;
}

export function emptyExif(): ExifFacts {
  return {
    make: null,
    model: null,
    serial: null,
    lensSerial: null,
    lensModel: null,
    software: null,
    creatorTool: null,
    history: [],
    takenAt: null,
    takenAtLocal: null,
    takenAtOffset: null,
    takenAtBasis: null,
    takenAtRaw: null,
    createdAt: null,
    createdAtLocal: null,
    createdAtOffset: null,
    createdAtBasis: null,
    createdAtRaw: null,
    modifiedAt: null,
    modifiedAtLocal: null,
    modifiedAtOffset: null,
    modifiedAtBasis: null,
    modifiedAtRaw: null,
    gps: null,
    imageUniqueId: null,
    documentId: null,
    originalDocumentId: null,
    iccDescription: null,
    comment: null,
    hasExif: false,
    jfifOnly: false,
  };
}

function hasXmp(header: ImageHeader): boolean {
  if (header.format === 'jpeg') return header.xmpSegment;
  // PNG: exifr finds XMP in iTXt; the header bytes hold only metadata chunks, so a look is cheap.
  return header.format === 'png' && header.bytes.includes('XML:com.adobe.xmp');
}

/**
 * Parses the EXIF (TIFF) side; when our own walk of the block finds bad entries, a repaired copy is
 * parsed instead (if exifr takes it without error) and each entry is reported. HEIF: the EXIF item
 * located by heif.ts is parsed as a bare TIFF, and exifr reads only the ICC profile of the container.
 */
async function parseTiffSide(header: ImageHeader, errors: string[]): Promise<ExifrOutput> {
  let output: ExifrOutput;
  if (header.format === 'heic' || header.format === 'avif') {
    const tiffPart = header.tiff ? await parse(header.tiff, { ...TIFF_OPTIONS, icc: false }) : {};
    const iccPart = await parse(header.bytes, ICC_ONLY);
    output = { ...tiffPart, icc: iccPart.icc, errors: [...(tiffPart.errors ?? []), ...(iccPart.errors ?? [])] };
  } else {
    output = await parse(header.bytes, TIFF_OPTIONS);
  }
  const exifErrors = (output.errors ?? []).map(errorText);
  // exifr reports errors from IFD0 only; in the other directories it stops at a bad entry silently.
  // Our own walk sees both; a TIFF file's block is the whole file and is left to exifr.
  const repaired = header.tiff && header.format !== 'tiff' ? repairTiff(header.tiff) : null;
  if (repaired) {
    errors.push(...repaired.notes.map((n) => `EXIF: ${n}`));
    const again = await parse(repaired.tiff, { ...TIFF_OPTIONS, icc: false });
    // ThumbnailOffset is relative to the TIFF start, which the repaired copy keeps.
    if (!again.errors?.length) return { ...output, ifd0: again.ifd0, exif: again.exif, gps: again.gps, ifd1: again.ifd1, errors: [] };
  }
  errors.push(...exifErrors.map((e) => `EXIF: ${e}`));
  return output;
}

// The GPS tags a position needs, in tag order. exifr.gps() picks the first four; this also picks
// altitude and GPS time. With a pick list exifr parses only those entries and stops once it has
// them all, so a directory that breaks after them (an IFD0 running past the block, a bad entry
// later in GPS) still gives them. It is exifr.gps()'s own mechanism, so there is no point trying
// exifr.gps() after it: whatever stops this read stops that one at the same entry.
const GPS_TAGS = [0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0007, 0x001d];
const GPS_ONLY = { ...XMP_OPTIONS, xmp: false, gps: GPS_TAGS };

/** GPS when parse() lost it: the GPS directory read alone with picked tags. Says so in `errors`. */
async function gpsFallback(tiff: Buffer, errors: string[]): Promise<GpsFacts | null> {
  let found: GpsFacts | null = null;
  try {
    found = gpsFromBlock(block(await parse(tiff, GPS_ONLY), 'gps'), errors);
  } catch {
    return null; // the pointer to GPS itself is unreadable
  }
  if (found) {
    const kept = [found.altitude !== null ? 'altitude' : null, found.time !== null ? 'GPS time' : null].filter(Boolean);
    errors.push(`GPS: recovered by reading the GPS directory alone (position${kept.map((k) => `, ${k}`).join('')})`);
  }
  return found;
}

/** Reads the metadata of one image. Throws only when the file itself cannot be opened. */
export async function readImageMetadata(path: string): Promise<ImageMetadata> {
  const header = await readImageHeader(path);
  const errors = [...header.errors];
  const exif = emptyExif();
  exif.comment = cleanString(header.comment);
  const result: ImageMetadata = {
    format: header.format,
    size: header.size,
    width: header.width,
    height: header.height,
    orientation: null,
    exif,
    thumbnail: null,
    complete: header.complete,
    errors,
  };
  if (header.format === null) {
    errors.push(header.size === 0 ? 'empty file' : 'not an image (no known image signature)');
    return result;
  }
  if (header.bytes.length === 0) return result;

  let tiffSide: ExifrOutput = {};
  let xmpSide: ExifrOutput = {};
  try {
    tiffSide = await parseTiffSide(header, errors);
  } catch (e) {
    errors.push(`EXIF unreadable: ${errorText(e)}`);
  }
  if (hasXmp(header)) {
    try {
      xmpSide = await parse(header.bytes, XMP_OPTIONS);
      for (const e of xmpSide.errors ?? []) errors.push(`XMP: ${errorText(e)}`);
    } catch (e) {
      errors.push(`XMP unreadable: ${errorText(e)}`);
    }
  }

  const ifd0 = block(tiffSide, 'ifd0');
  const ex = block(tiffSide, 'exif');
  const gps = block(tiffSide, 'gps');
  const ifd1 = block(tiffSide, 'ifd1');
  const icc = block(tiffSide, 'icc');
  // exifr names XMP blocks by the prefix the file uses: Photoshop CS3 and older write `xap:`/`xapMM:`.
  const xmp = { ...block(xmpSide, 'xap'), ...block(xmpSide, 'xmp') };
  const xmpMM = { ...block(xmpSide, 'xapMM'), ...block(xmpSide, 'xmpMM') };
  const aux = block(xmpSide, 'aux');
  const exifEX = block(xmpSide, 'exifEX');
  // XMP's tiff: and exif: namespaces land in these blocks of the XMP-only pass; used as fallbacks.
  const xmpTiff = block(xmpSide, 'ifd0');
  const xmpExif = block(xmpSide, 'exif');

  // Found, even when unreadable: a damaged EXIF block is not a stripped one.
  exif.hasExif = (header.tiff !== null && header.tiff.length > 0) || Object.keys(ifd0).length + Object.keys(ex).length + Object.keys(gps).length > 0;
  exif.jfifOnly = header.jfif && !exif.hasExif && !header.xmpSegment;
  exif.make = cleanString(ifd0.Make) ?? cleanString(xmpTiff.Make);
  exif.model = cleanString(ifd0.Model) ?? cleanString(xmpTiff.Model);
  exif.serial =
    cleanString(ex.SerialNumber) ??
    cleanString(ex.BodySerialNumber) ??
    cleanString(ifd0.CameraSerialNumber) ??
    cleanString(aux.SerialNumber) ??
    cleanString(exifEX.BodySerialNumber);
  exif.lensSerial = cleanString(ex.LensSerialNumber) ?? cleanString(aux.LensSerialNumber) ?? cleanString(exifEX.LensSerialNumber);
  exif.lensModel = cleanString(ex.LensModel) ?? cleanString(aux.Lens) ?? cleanString(exifEX.LensModel);
  exif.software = cleanString(ifd0.Software);
  exif.creatorTool = cleanString(xmp.CreatorTool);
  exif.history = historyLines(xmpMM.History);

  exif.gps = gpsFromBlock(gps, errors);
  if (exif.gps === null && errors.length > 0 && header.format !== 'tiff') exif.gps = await gpsFallback(header.tiff ?? header.bytes, errors);

  // XMP dates carry their offset inside the value; the XMP-only pass keeps exif:/xmp: dates apart.
  let taken = exifTime(cleanString(ex.DateTimeOriginal) ?? cleanString(xmpExif.DateTimeOriginal), cleanString(ex.OffsetTimeOriginal));
  taken = withOffset(taken, offsetFromXmp(taken, [xmpExif.DateTimeOriginal, block(xmpSide, 'photoshop').DateCreated].map(cleanString)), 'xmp-date');
  taken = withOffset(taken, offsetFromGps(taken, exif.gps?.time ?? null), 'gps-time');
  const sameAsTaken = (time: ExifTime): ExifTime =>
    time.local !== null && time.local === taken.local ? withOffset(time, offsetMinutes(taken), 'capture-time') : time;
  let created = exifTime(cleanString(ex.CreateDate), cleanString(ex.OffsetTimeDigitized));
  created = sameAsTaken(withOffset(created, offsetFromXmp(created, [xmpExif.DateTimeDigitized, xmp.CreateDate].map(cleanString)), 'xmp-date'));
  let modified = exifTime(cleanString(ifd0.ModifyDate), cleanString(ex.OffsetTime));
  modified = sameAsTaken(withOffset(modified, offsetFromXmp(modified, [cleanString(xmp.ModifyDate)]), 'xmp-date'));
  [exif.takenAt, exif.takenAtLocal, exif.takenAtOffset, exif.takenAtBasis, exif.takenAtRaw] = [taken.at, taken.local, taken.offset, taken.basis, taken.raw];
  [exif.createdAt, exif.createdAtLocal, exif.createdAtOffset, exif.createdAtBasis, exif.createdAtRaw] = [created.at, created.local, created.offset, created.basis, created.raw];
  [exif.modifiedAt, exif.modifiedAtLocal, exif.modifiedAtOffset, exif.modifiedAtBasis, exif.modifiedAtRaw] = [modified.at, modified.local, modified.offset, modified.basis, modified.raw];

  exif.imageUniqueId = cleanString(ex.ImageUniqueID);
  exif.documentId = cleanString(xmpMM.DocumentID);
  exif.originalDocumentId = cleanString(xmpMM.OriginalDocumentID);
  exif.iccDescription = cleanString(icc.ProfileDescription);

  const orientation = firstNumber(ifd0.Orientation);
  result.orientation = orientation !== null && orientation >= 1 && orientation <= 8 ? orientation : null;
  if (header.tiff && Object.keys(ifd1).length > 0) result.thumbnail = sliceThumbnail(header.tiff, ifd1.ThumbnailOffset, ifd1.ThumbnailLength);
  return result;
}
