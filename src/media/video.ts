// What a video's container says about it, read without decoding a frame: MP4, MOV and 3GP through
// mp4box (GPAC's parser), which walks the boxes, reads the movie and track headers, the handlers
// and codecs, and the metadata keys (`mdta`, Apple's com.apple.quicktime.*) and iTunes-style items.
// QuickTime's user-data strings (`©mak`, `©mod`, `©swr`, `©xyz`, `©day`) and the 3GPP location box
// (`loci`) are left unparsed by mp4box: their bytes are read here from where mp4box found them.
//
// Only the file type and movie header boxes are read (the box headers are walked, the media data is
// skipped), and mp4box is handed those with their sample tables blanked: threatlens needs none of
// them, and a damaged count there could make any parser allocate without bound. Nothing here throws
// for a bad file: the problem goes to `errors`.
import { open, type FileHandle } from 'node:fs/promises';
import { createFile, type ISOFile } from 'mp4box';
import { capturingConsole } from '../util/console-guard.js';
import { formatOffset, formatWallClock, isoUtc, wallClockAsUtcMs } from '../util/time.js';
import { parseExifDate } from './exif-time.js';
import type { GpsFacts, VideoFacts, VideoFormat } from './types.js';

/** The largest movie header read (a 64 MB header describes hours of video). */
const MAX_READ = 64 << 20;
/** Seconds from 1904-01-01 (QuickTime's epoch) to 1970-01-01. */
const EPOCH_1904 = 2_082_844_800;

/** The container's facts and the tags of its metadata, by where they were found. */
export interface VideoContainer {
  video: VideoFacts;
  make: string | null;
  model: string | null;
  software: string | null;
  /** The movie header's creation time (`…Z`), null when zero or absent. */
  createdAt: string | null;
  modifiedAt: string | null;
  /** A creation date written with its offset (Apple's com.apple.quicktime.creationdate, ©day): instant, wall clock, offset, raw. */
  recorded: { at: string | null; local: string | null; offset: string | null; raw: string } | null;
  gps: GpsFacts | null;
  errors: string[];
}

interface BoxLike {
  type?: string;
  start?: number;
  size?: number;
  hdr_size?: number;
  boxes?: BoxLike[];
  data?: Uint8Array;
  keys?: { keys?: Record<string, string> };
  ilst?: { list?: Record<string, { value?: unknown } | unknown> };
}

/** QuickTime time (seconds since 1904) as an ISO instant; null for 0 (never set) and for values past 9999. */
function quickTimeInstant(seconds: number | undefined): string | null {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds <= 0) return null;
  const ms = (seconds - EPOCH_1904) * 1000;
  if (ms > Date.UTC(9999, 11, 31)) return null;
  return isoUtc(ms);
}

/** ISO 6709 `+55.7558+037.6173+150.000/` (Apple, ffmpeg's `location`, `©xyz`). */
export function parseIso6709(text: string): GpsFacts | null {
  const m = /^\s*([+-]\d{1,2}(?:\.\d+)?)([+-]\d{1,3}(?:\.\d+)?)([+-]\d+(?:\.\d+)?)?(?:CRS[^/]*)?\/?\s*$/.exec(text);
  if (!m) return null;
  const lat = Number(m[1]);
  const lon = Number(m[2]);
  if (!(Math.abs(lat) <= 90 && Math.abs(lon) <= 180)) return null;
  return { lat, lon, altitude: m[3] !== undefined ? Number(m[3]) : null, time: null };
}

/** The 3GPP location box: version/flags, language, name, role, then longitude, latitude, altitude as 16.16 fixed point. */
function parseLoci(data: Uint8Array): GpsFacts | null {
  let at = 6;
  while (at < data.length && data[at] !== 0) at++; // name, NUL-terminated
  at += 2; // NUL, role
  if (at + 12 > data.length) return null;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const lon = view.getInt32(at) / 65536;
  const lat = view.getInt32(at + 4) / 65536;
  const altitude = view.getInt32(at + 8) / 65536;
  if (!(Math.abs(lat) <= 90 && Math.abs(lon) <= 180) || (lat === 0 && lon === 0)) return null;
  return { lat: round(lat, 6), lon: round(lon, 6), altitude: altitude === 0 ? null : round(altitude, 2), time: null };
}

const round = (x: number, digits: number): number => Number(x.toFixed(digits));

/**
 * QuickTime user-data text atoms (`©xxx`): each holds one or more strings of [length u16][language
 * u16][text]. Returns the first string of each atom, by its four characters.
 */
export function parseUserDataStrings(udta: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  const view = new DataView(udta.buffer, udta.byteOffset, udta.byteLength);
  let at = 8; // the udta header
  while (at + 8 <= udta.length) {
    const size = view.getUint32(at);
    if (size < 8 || at + size > udta.length) break;
    const type = String.fromCharCode(...udta.subarray(at + 4, at + 8));
    if (udta[at + 4] === 0xa9 && size >= 12) {
      const length = view.getUint16(at + 8);
      const text = udta.subarray(at + 12, Math.min(at + 12 + length, at + size));
      const name = `©${type.slice(1)}`;
      if (!out.has(name)) out.set(name, new TextDecoder('utf-8').decode(text).replace(/\0+$/, ''));
    }
    at += size;
  }
  return out;
}

/** Metadata items by key: `mdta` keys by name, iTunes-style items by their four characters (`©too`). */
function metadataItems(meta: BoxLike | undefined): Map<string, string> {
  const out = new Map<string, string>();
  const list = meta?.ilst?.list;
  if (list === undefined) return out;
  for (const [index, item] of Object.entries(list)) {
    const value = typeof item === 'object' && item !== null && 'value' in item ? (item as { value: unknown }).value : item;
    if (typeof value !== 'string' && typeof value !== 'number') continue;
    const keyed = meta?.keys?.keys?.[index];
    let name: string;
    if (keyed !== undefined) name = keyed.startsWith('mdta') ? keyed.slice(4) : keyed;
    else {
      const code = Number(index) >>> 0;
      name = String.fromCharCode((code >>> 24) & 0xff, (code >>> 16) & 0xff, (code >>> 8) & 0xff, code & 0xff).replace('\u00a9', '©');
    }
    out.set(name, String(value));
  }
  return out;
}

/** The turn a track's display matrix applies (0, 90, 180, 270), from its a, b entries. */
function rotationOf(matrix: ArrayLike<number> | undefined): 0 | 90 | 180 | 270 {
  if (matrix === undefined) return 0;
  const a = matrix[0]! / 65536;
  const b = matrix[1]! / 65536;
  const deg = Math.round((Math.atan2(b, a) * 180) / Math.PI);
  const turn = (((deg % 360) + 360) % 360) as number;
  return turn === 90 || turn === 180 || turn === 270 ? turn : 0;
}

/** A creation date with its offset (`2023-03-14T09:26:53+0300`): instant, wall clock, offset. */
function recordedDate(raw: string): VideoContainer['recorded'] {
  const parsed = parseExifDate(raw.trim().replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (parsed === null) return { at: null, local: null, offset: null, raw };
  const local = formatWallClock(parsed.clock);
  if (parsed.offset === null) return { at: null, local, offset: null, raw };
  return { at: isoUtc(wallClockAsUtcMs(parsed.clock) - parsed.offset * 60_000), local, offset: formatOffset(parsed.offset), raw };
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/** Boxes inside which sample tables are reached (moov → trak → mdia → minf → stbl). */
const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl']);

/**
 * The top-level `ftyp` and `moov` boxes, read by walking the box headers (the media data is skipped,
 * never read); an error saying why when there is no whole movie header, or it is larger than MAX_READ.
 */
async function movieBoxes(handle: FileHandle, size: number): Promise<{ ftyp: Uint8Array | null; moov: Uint8Array } | { error: string }> {
  let ftyp: Uint8Array | null = null;
  let at = 0;
  for (let boxes = 0; at + 8 <= size && boxes < 10_000; boxes++) {
    const head = await readAt(handle, at, 16);
    if (head.length < 8) break;
    const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
    let length = view.getUint32(0);
    const type = String.fromCharCode(...head.subarray(4, 8));
    if (length === 1) {
      if (head.length < 16) break;
      length = Number(view.getBigUint64(8));
    } else if (length === 0) length = size - at;
    if (length < 8) return { error: `box '${printable(type)}' at byte ${at} has size ${length}: the file is damaged` };
    if (type === 'ftyp' && length <= 4096) ftyp = await readAt(handle, at, length);
    if (type === 'moov') {
      if (length > MAX_READ) return { error: `the movie header at byte ${at} is ${length} bytes, over the ${MAX_READ >> 20} MB read` };
      const moov = await readAt(handle, at, length);
      if (moov.length < length) return { error: `the movie header at byte ${at} runs past the end of the file (${length} bytes, ${moov.length} there): the file is cut short` };
      return { ftyp, moov };
    }
    at += length;
  }
  return { error: 'no movie header (moov): the file is cut short or not a movie' };
}

const printable = (type: string): string => type.replace(/[^\x20-\x7e©]/g, '?');

/**
 * Marks the sample tables of a movie header (every box of an `stbl` but the sample descriptions) as
 * `free`, in place: threatlens needs none of them, and their counts, written by whoever made the
 * file, are what a parser allocates from. (What else a damaged header can do to mp4box, such as a
 * metadata key that made it grow an array until V8 aborted, is contained by running it in a child
 * process: container-process.ts.)
 */
export function blankSampleTables(moov: Uint8Array): void {
  const view = new DataView(moov.buffer, moov.byteOffset, moov.byteLength);
  const walk = (start: number, end: number, inStbl: boolean): void => {
    let at = start;
    while (at + 8 <= end) {
      const length = view.getUint32(at);
      if (length < 8 || at + length > end) return;
      const type = String.fromCharCode(...moov.subarray(at + 4, at + 8));
      if (inStbl && type !== 'stsd') moov.set([0x66, 0x72, 0x65, 0x65], at + 4); // 'free'
      else if (CONTAINERS.has(type)) walk(at + 8, at + length, type === 'stbl');
      at += length;
    }
  };
  walk(8, moov.length, false);
}

/**
 * Parses the movie header with mp4box: the `ftyp` and `moov` boxes alone, sample tables blanked.
 * The ISO file and the movie header's bytes (box offsets are in them), or null with the reason.
 */
async function parseBoxes(handle: FileHandle, size: number): Promise<{ file: ISOFile | null; moov: Uint8Array | null; errors: string[] }> {
  const boxes = await movieBoxes(handle, size);
  if ('error' in boxes) return { file: null, moov: null, errors: [boxes.error] };
  blankSampleTables(boxes.moov);
  const ftypLength = boxes.ftyp?.length ?? 0;
  const bytes = new Uint8Array(ftypLength + boxes.moov.length);
  if (boxes.ftyp !== null) bytes.set(boxes.ftyp, 0);
  bytes.set(boxes.moov, ftypLength);
  const file = createFile();
  let failure: string | null = null;
  file.onError = (_module: string, message: string) => void (failure ??= message);
  const errors: string[] = [];
  const chunk = bytes.buffer as ArrayBuffer & { fileStart: number };
  chunk.fileStart = 0;
  const said: string[] = [];
  // mp4box prints what it cannot parse: caught, and kept as the file's errors.
  await capturingConsole(
    (args) => void said.push(args.map(String).join(' ')),
    async () => {
      file.appendBuffer(chunk);
      file.flush();
    },
  );
  // Boxes mp4box does not know (QuickTime's ©-strings, the zero terminator of a user-data list) are
  // read here or are padding: not problems of the file.
  for (const line of said) if (!line.includes('Invalid box type') && errors.length < 5) errors.push(`container: ${line.replace(/^(\[[^\]]*\]\s*)+/, '')}`);
  if (failure !== null) errors.push(`container: ${failure}`);
  if ((file as unknown as { moov?: unknown }).moov === undefined) return { file: null, moov: null, errors: [...errors, 'the movie header could not be parsed'] };
  // Offsets mp4box gives are in `bytes`: the movie header starts after ftyp.
  return { file, moov: bytes, errors };
}

/** A container nothing could be read from, with why. */
export function unreadContainer(errors: string[]): VideoContainer {
  return {
    video: { durationMs: null, rotation: 0, videoCodec: null, audioCodec: null, brands: [], tracks: [], encoder: null, frames: null, framesMissing: null },
    make: null,
    model: null,
    software: null,
    createdAt: null,
    modifiedAt: null,
    recorded: null,
    gps: null,
    errors,
  };
}

/** The container's facts of an MP4/MOV/3GP file. */
export async function readVideoContainer(path: string, format: VideoFormat): Promise<VideoContainer> {
  const empty = unreadContainer([]);
  // WebM: no container parser here; its length comes from ffmpeg and its frames are hashed.
  if (format === 'webm') return empty;
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    return { ...empty, errors: [`cannot open: ${(error as Error).message}`] };
  }
  try {
    const { size } = await handle.stat();
    const { file, moov: parsed, errors } = await parseBoxes(handle, size);
    if (file === null || parsed === null) return { ...empty, errors };
    const moov = (file as unknown as { moov: BoxLike & { mvhd?: { creation_time?: number; modification_time?: number; duration?: number; timescale?: number } } }).moov;
    const info = file.getInfo();
    const traks = (moov.boxes ?? []).filter((b) => b.type === 'trak') as (BoxLike & {
      tkhd?: { matrix?: ArrayLike<number>; creation_time?: number; modification_time?: number; track_id?: number };
      mdia?: { hdlr?: { handler?: string; name?: string } };
    })[];
    const tracks: VideoFacts['tracks'] = info.tracks.map((t, i) => {
      const trak = traks[i];
      const handler = trak?.mdia?.hdlr?.handler ?? null;
      return {
        type: t.type === 'video' || t.type === 'audio' ? t.type : 'other',
        codec: t.codec || null,
        handler: handler?.trim() || null,
        handlerName: (trak?.mdia?.hdlr?.name ?? '').replace(/\0+$/, '').trim() || null,
        createdAt: quickTimeInstant(trak?.tkhd?.creation_time),
        modifiedAt: quickTimeInstant(trak?.tkhd?.modification_time),
        width: t.type === 'video' ? (t.video?.width ?? t.track_width ?? null) : null,
        height: t.type === 'video' ? (t.video?.height ?? t.track_height ?? null) : null,
      };
    });
    const firstVideo = info.videoTracks[0];
    const videoTrak = traks[info.tracks.findIndex((t) => t === firstVideo)];
    const mvhd = moov.mvhd;
    const durationMs = mvhd?.duration !== undefined && mvhd.timescale ? Math.round((mvhd.duration / mvhd.timescale) * 1000) : null;

    const udta = (moov.boxes ?? []).find((b) => b.type === 'udta');
    const meta = (udta?.boxes ?? []).find((b) => b.type === 'meta') ?? (moov.boxes ?? []).find((b) => b.type === 'meta');
    const items = metadataItems(meta);
    const strings =
      udta?.start !== undefined && udta.size !== undefined && udta.start + udta.size <= parsed.length ? parseUserDataStrings(parsed.subarray(udta.start, udta.start + udta.size)) : new Map<string, string>();
    const loci = (udta?.boxes ?? []).find((b) => b.type === 'loci');
    const pick = (...names: string[]): string | null => {
      for (const name of names) {
        const v = items.get(name) ?? strings.get(name);
        if (v !== undefined && v.trim() !== '') return v.trim();
      }
      return null;
    };
    const location = pick('com.apple.quicktime.location.ISO6709', '©xyz', 'location');
    const recordedRaw = pick('com.apple.quicktime.creationdate', '©day');
    return {
      video: {
        durationMs,
        rotation: rotationOf(videoTrak?.tkhd?.matrix),
        videoCodec: firstVideo?.codec || null,
        audioCodec: info.audioTracks[0]?.codec || null,
        brands: [...new Set(info.brands.map((b) => b.trim()).filter(Boolean))],
        tracks,
        encoder: pick('©too', 'encoder', '©enc', 'com.android.version'),
        frames: null,
        framesMissing: null,
      },
      make: pick('com.apple.quicktime.make', '©mak', 'make', 'com.android.manufacturer'),
      model: pick('com.apple.quicktime.model', '©mod', 'model', 'com.android.model'),
      software: pick('com.apple.quicktime.software', '©swr', 'software'),
      createdAt: quickTimeInstant(mvhd?.creation_time),
      modifiedAt: quickTimeInstant(mvhd?.modification_time),
      recorded: recordedRaw === null ? null : recordedDate(recordedRaw),
      gps: (location !== null ? parseIso6709(location) : null) ?? (loci?.data ? parseLoci(loci.data) : null),
      errors,
    };
  } catch (error) {
    return { ...empty, errors: [`container: ${(error as Error).message}`] };
  } finally {
    await handle.close();
  }
}
