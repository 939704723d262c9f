// EXIF dates as instants only when their offset is known. exifr's own revival reads them in the zone
// of the machine running it (MEDIA.md §1, bug 2); here a clock whose offset is unknown stays a wall
// clock (`…Local`) and its instant stays null. The offset comes from, in order: the date's own
// OffsetTime* tag, an offset written inside the date string, the XMP copy of the same date (same wall
// clock, with an offset), the GPS clock (UTC) of the same capture, or, for CreateDate/ModifyDate, a
// DateTimeOriginal with the same wall clock. Each result says which one (`basis`).

import { formatOffset, formatWallClock, isoUtc, isValidWallClock, parseFixedOffset, wallClockAsUtcMs, type WallClock } from '../util/time.js';

/** How the offset of a camera time was established. */
export type TimeBasis =
  /** The date's own EXIF tag: OffsetTimeOriginal, OffsetTimeDigitized, OffsetTime. */
  | 'offset-tag'
  /** The date string itself carried an offset (`2023-03-17T22:41:07+03:00`, XMP style). */
  | 'date-string'
  /** The XMP copy of the date (exif:DateTimeOriginal, xmp:CreateDate, xmp:ModifyDate) shows the same wall clock with an offset. */
  | 'xmp-date'
  /** GPSDateStamp + GPSTimeStamp (UTC) lie a whole quarter hour from the wall clock, within a minute. */
  | 'gps-time'
  /** CreateDate/ModifyDate show the same wall clock as DateTimeOriginal, whose offset is known. */
  | 'capture-time'
  /**
   * A video's movie header time: UTC by the QuickTime and ISO definition (seconds since 1904), but
   * some cameras write their local clock there, so it may be off by the camera's offset.
   */
  | 'container-utc';

export interface ExifTime {
  /** The UTC instant (`…Z`), only when the offset is known; null otherwise. */
  at: string | null;
  /** The camera's wall clock `YYYY-MM-DDTHH:mm:ss`, no zone; null when the date is unreadable. */
  local: string | null;
  /** The offset used (`+03:00`). */
  offset: string | null;
  /** Where the offset came from; null when `at` is. */
  basis: TimeBasis | null;
  /** The date string as written. */
  raw: string | null;
}

// `2023:03:14 09:26:53`, also `2023-03-14T09:26:53.042+03:00` (XMP, some editors), subseconds ignored.
const DATE_TIME = /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/** Parses an EXIF/XMP date; null for blanks, zero dates and impossible dates. */
export function parseExifDate(raw: string): { clock: WallClock; offset: number | null } | null {
  const m = DATE_TIME.exec(raw.trim());
  if (!m) return null;
  const clock: WallClock = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: Number(m[6] ?? 0),
  };
  if (!isValidWallClock(clock)) return null;
  return { clock, offset: m[7] === undefined ? null : parseFixedOffset(m[7]) };
}

/** Normalizes an OffsetTime* value (`+03:00`, `+0300`); null for blanks (`   :  `) and nonsense. */
export function parseExifOffset(raw: string | null): number | null {
  if (raw === null) return null;
  const text = raw.trim();
  if (!/^[+-]\d{2}:?\d{2}$|^Z$/.test(text)) return null;
  return parseFixedOffset(text);
}

const UNKNOWN: ExifTime = { at: null, local: null, offset: null, basis: null, raw: null };

/** A time whose wall clock is known, placed at `offset` minutes east of UTC. */
function placed(time: ExifTime, clock: WallClock, offset: number, basis: TimeBasis): ExifTime {
  return { ...time, at: isoUtc(wallClockAsUtcMs(clock) - offset * 60_000), offset: formatOffset(offset), basis };
}

/** Combines a date tag with its offset tag, or an offset written inside the date itself. */
export function exifTime(raw: string | null, offsetRaw: string | null): ExifTime {
  if (raw === null) return UNKNOWN;
  const parsed = parseExifDate(raw);
  if (parsed === null) return { ...UNKNOWN, raw };
  const time: ExifTime = { ...UNKNOWN, raw, local: formatWallClock(parsed.clock) };
  const tagged = parseExifOffset(offsetRaw);
  if (tagged !== null) return placed(time, parsed.clock, tagged, 'offset-tag');
  if (parsed.offset !== null) return placed(time, parsed.clock, parsed.offset, 'date-string');
  return time;
}

/** Adds an offset found elsewhere to a time that has none; a time with an offset is returned as it is. */
export function withOffset(time: ExifTime, offsetMinutes: number | null, basis: TimeBasis): ExifTime {
  if (time.at !== null || time.raw === null || offsetMinutes === null) return time;
  const parsed = parseExifDate(time.raw);
  return parsed ? placed(time, parsed.clock, offsetMinutes, basis) : time;
}

/** The offset of the first XMP date (`2006-06-13T15:44:45+02:00`) whose wall clock is `time`'s. */
export function offsetFromXmp(time: ExifTime, xmpDates: (string | null)[]): number | null {
  if (time.local === null) return null;
  for (const raw of xmpDates) {
    const xmp = raw === null ? null : parseExifDate(raw);
    if (xmp && xmp.offset !== null && formatWallClock(xmp.clock) === time.local) return xmp.offset;
  }
  return null;
}

/** GPS time may trail or lead the shutter by this much and still fix the offset. */
export const GPS_OFFSET_TOLERANCE_MS = 60_000;

/**
 * The offset that puts `time`'s wall clock on the GPS clock (a UTC instant): a whole quarter hour
 * within ±14 h, with at most a minute left over. null when the two do not line up that way (a
 * stale fix, a wrong camera clock).
 */
export function offsetFromGps(time: ExifTime, gpsTime: string | null): number | null {
  if (time.local === null || gpsTime === null) return null;
  const gps = Date.parse(gpsTime);
  if (Number.isNaN(gps)) return null;
  const gap = Date.parse(`${time.local}Z`) - gps;
  const quarters = Math.round(gap / 900_000);
  const offset = quarters * 15;
  if (Math.abs(offset) > 14 * 60 || Math.abs(gap - offset * 60_000) > GPS_OFFSET_TOLERANCE_MS) return null;
  return offset;
}

/** The offset in minutes of a time placed by one of the functions above. */
export function offsetMinutes(time: ExifTime): number | null {
  return time.offset === null ? null : parseFixedOffset(time.offset);
}

/**
 * Milliseconds of a time: exact for a known instant, the wall clock read as UTC otherwise (then
 * only good to about ±14 hours).
 */
export function timeMs(time: { at: string | null; local: string | null }): { ms: number; exact: boolean } | null {
  const text = time.at ?? (time.local === null ? null : `${time.local}Z`);
  if (text === null) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : { ms, exact: time.at !== null };
}
