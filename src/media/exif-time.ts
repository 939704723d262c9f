// EXIF date strings combined with their OffsetTime* tag by hand. exifr's own revival reads them in
// the zone of the machine running it (MEDIA.md §1, bug 2); here a clock without an offset stays a
// wall clock and is never given a zone.

import { formatOffset, formatWallClock, isoUtc, isValidWallClock, parseFixedOffset, wallClockAsUtcMs, type WallClock } from '../util/time.js';

export interface ExifTime {
  /** UTC instant `…Z` when an offset is known, else the wall clock `YYYY-MM-DDTHH:mm:ss`; null when unreadable. */
  value: string | null;
  /** The date string as written. */
  raw: string | null;
  /** The offset used, normalized (`+03:00`). */
  offset: string | null;
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

/** Combines a date tag with its offset tag (or an offset written inside the date itself). */
export function exifTime(raw: string | null, offsetRaw: string | null): ExifTime {
  if (raw === null) return { value: null, raw: null, offset: null };
  const parsed = parseExifDate(raw);
  if (parsed === null) return { value: null, raw, offset: null };
  const offset = parseExifOffset(offsetRaw) ?? parsed.offset;
  if (offset === null) return { value: formatWallClock(parsed.clock), raw, offset: null };
  return { value: isoUtc(wallClockAsUtcMs(parsed.clock) - offset * 60_000), raw, offset: formatOffset(offset) };
}

/**
 * Milliseconds of a takenAt-style value: exact for `…Z` instants, the wall clock read as UTC
 * otherwise (then only good to about ±14 hours).
 */
export function timeValueMs(value: string): { ms: number; exact: boolean } | null {
  const exact = value.endsWith('Z') || /[+-]\d{2}:\d{2}$/.test(value);
  const ms = Date.parse(exact ? value : `${value}Z`);
  return Number.isNaN(ms) ? null : { ms, exact };
}
