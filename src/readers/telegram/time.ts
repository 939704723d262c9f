// Telegram Desktop times. `date` is the exporter PC's wall clock with no zone; `date_unixtime`
// (since v3.7.6) is the instant. Older files are zone-ambiguous, but some leak the exporter's
// offset: the 1970 `edited` placeholder is epoch 0 written as local time, and any wall clock
// written next to its unixtime (`edited` + `edited_unixtime`) gives the offset away.
// Tools that generate or convert exports write `date` (and `edited`) as a full ISO 8601 instant
// instead (`2017-01-01T06:20:09.248Z`, `2017-01-01T09:20:09+03:00`): read as instants.
// Nothing here consults the zone of the machine running threatlens.
import type { TimeInfo } from '../../model.js';
import {
  formatOffset,
  isValidWallClock,
  wallClockAsUtcMs,
  zoneConverter,
  type WallClock,
  type ZoneConverter,
} from '../../util/time.js';
import { IsoSecondsFormatter } from '../kit/clock.js';
import { num } from './types.js';

const MAX_OFFSET_MS = 14 * 3_600_000;
/** Unixtimes past 2200 are not clocks. */
const MAX_UNIX = 7_258_118_400;

/** Value of the `count` ASCII digits of `s` at `at`, or -1 when one is not a digit. */
function digits(s: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** Whether `value` has the shape `YYYY-MM-DDTHH:mm:ss` (separators only; the digits are read apart). */
function wallShaped(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length === 19 &&
    value.charCodeAt(4) === 0x2d &&
    value.charCodeAt(7) === 0x2d &&
    value.charCodeAt(10) === 0x54 &&
    value.charCodeAt(13) === 0x3a &&
    value.charCodeAt(16) === 0x3a
  );
}

/**
 * Parses `YYYY-MM-DDTHH:mm:ss` (not range-checked); null when the shape differs. Hand-rolled:
 * it runs once or twice per message.
 */
export function parseWall(value: unknown): WallClock | null {
  if (!wallShaped(value)) return null;
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  const hour = digits(value, 11, 2);
  const minute = digits(value, 14, 2);
  const second = digits(value, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return null;
  return { year, month, day, hour, minute, second };
}

/**
 * Milliseconds of a valid `YYYY-MM-DDTHH:mm:ss` read as if UTC, or NaN when the shape or a range
 * is wrong (no 30 February, no 24:00). The day part is cached: messages come in date order.
 */
export class WallReader {
  private y = -1;
  private mo = -1;
  private d = -1;
  private dayMs = Number.NaN;

  ms(value: unknown): number {
    if (!wallShaped(value)) return Number.NaN;
    const y = digits(value, 0, 4);
    const mo = digits(value, 5, 2);
    const d = digits(value, 8, 2);
    if (y !== this.y || mo !== this.mo || d !== this.d) {
      if (!isValidWallClock({ year: y, month: mo, day: d, hour: 0, minute: 0, second: 0 })) return Number.NaN;
      this.y = y;
      this.mo = mo;
      this.d = d;
      this.dayMs = Date.UTC(y, mo - 1, d);
    }
    const h = digits(value, 11, 2);
    const mi = digits(value, 14, 2);
    const se = digits(value, 17, 2);
    if (h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59) return Number.NaN;
    return this.dayMs + h * 3_600_000 + mi * 60_000 + se * 1000;
  }
}

/** An ISO 8601 instant: milliseconds (whole seconds), its offset in minutes (null for `Z`) and wall clock. */
export interface Instant {
  ms: number;
  offset: number | null;
  /** `YYYY-MM-DDTHH:mm:ss` at `offset`, as written (fraction dropped). */
  local: string;
}

/**
 * Parses a full ISO 8601 instant as converters write `date`: `YYYY-MM-DDTHH:mm:ss`, an optional
 * fraction of any length, then `Z`, `±HH:MM` or `±HHMM` (at most 14 hours). The fraction is
 * dropped: the instant is kept to the second it falls in, as `date_unixtime` would give it. null
 * when the shape or a range is wrong (no 30 February, no +15:00). A string of 19 characters or
 * fewer (tdesktop's own wall clocks) is turned away at once.
 */
export function parseInstant(value: unknown): Instant | null {
  if (typeof value !== 'string' || value.length < 20) return null;
  const wall = parseWall(value.slice(0, 19));
  if (wall === null || !isValidWallClock(wall)) return null;
  let i = 19;
  if (value.charCodeAt(i) === 0x2e) {
    // '.' and at least one digit
    const from = ++i;
    while (i < value.length && value.charCodeAt(i) >= 0x30 && value.charCodeAt(i) <= 0x39) i++;
    if (i === from) return null;
  }
  const rest = value.length - i;
  let offset: number | null;
  const sign = value.charCodeAt(i);
  if (rest === 1 && sign === 0x5a) offset = null; // 'Z'
  else if ((rest === 6 || rest === 5) && (sign === 0x2b || sign === 0x2d)) {
    // ±HH:MM or ±HHMM
    const hours = digits(value, i + 1, 2);
    const colon = rest === 6;
    if (colon && value.charCodeAt(i + 3) !== 0x3a) return null;
    const minutes = digits(value, i + (colon ? 4 : 3), 2);
    if (hours < 0 || minutes < 0 || minutes > 59) return null;
    const total = hours * 60 + minutes;
    if (total * 60_000 > MAX_OFFSET_MS) return null;
    offset = sign === 0x2d ? -total : total;
  } else return null;
  return { ms: wallClockAsUtcMs(wall) - (offset ?? 0) * 60_000, offset, local: value.slice(0, 19) };
}

/** Whole seconds of a unixtime field (`"1650000000"` or a number); null when absent or absurd. */
export function unixSeconds(value: unknown): number | null {
  let n: number | null;
  if (typeof value === 'string') {
    n = value.length > 0 && value.length <= 12 ? digits(value, 0, value.length) : -1;
    if (n < 0) n = num(value); // signs, decimals: let the general reader decide
  } else n = num(value);
  return n !== null && Number.isInteger(n) && n >= 0 && n <= MAX_UNIX ? n : null;
}

/**
 * Offset (minutes) leaked by an `edited` placeholder: a wall clock within ±14 h of the epoch
 * (`1970-01-01T05:00:00` → +300, `1969-12-31T19:00:00` → −300); null when it is a real date.
 */
export function placeholderOffset(edited: unknown): number | null {
  const w = parseWall(edited);
  if (!w || w.year < 1969 || w.year > 1970) return null;
  const ms = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  if (Math.abs(ms) > MAX_OFFSET_MS || ms % 60_000 !== 0) return null;
  return ms / 60_000;
}

/** Offset (minutes) between a wall clock and the unixtime written next to it; null if none. */
export function offsetFromPair(wall: unknown, unix: unknown): number | null {
  const w = parseWall(wall);
  const u = unixSeconds(unix);
  if (!w || u === null || !isValidWallClock(w)) return null;
  const diff = wallClockAsUtcMs(w) - u * 1000;
  if (Math.abs(diff) > MAX_OFFSET_MS || diff % 60_000 !== 0) return null;
  return diff / 60_000;
}

export interface TimeProblem {
  code: 'invalid-date' | 'date-mismatch' | 'dst-gap' | 'dst-overlap';
  message: string;
}

export interface TimeResult {
  time: TimeInfo;
  /** A problem worth a warning (invalid date, DST gap…), or null. */
  problem: TimeProblem | null;
}

/** Converts the times of one export, with the zone policy decided for the whole file. */
export class TelegramClock {
  readonly tz: string | null;
  private converter: ZoneConverter | null = null;
  /** File-wide exporter offset (minutes) for wall clocks without unixtime, when the file leaks it. */
  offset: number | null = null;
  /** What revealed `offset`. */
  offsetSource: string | null = null;
  private readonly offsetNames = new Map<number, string>();
  private readonly iso = new IsoSecondsFormatter();
  private readonly wall = new WallReader();
  private readonly isoEdit = new IsoSecondsFormatter();
  /** Basis reported for messages without any date (e.g. `unsupported`): the file's main basis. */
  fileBasis: TimeInfo['basis'] | null = null;

  constructor(tz: string | null) {
    this.tz = tz;
  }

  /** How wall clocks without unixtime are read. */
  get wallBasis(): TimeInfo['basis'] {
    return this.tz !== null ? 'zone' : this.offset !== null ? 'inferred-offset' : 'assumed-utc';
  }

  offsetName(minutes: number): string {
    let name = this.offsetNames.get(minutes);
    if (name === undefined) {
      name = formatOffset(minutes);
      this.offsetNames.set(minutes, name);
    }
    return name;
  }

  /** The time of a message from `date` and, when present, `date_unixtime`. */
  messageTime(date: unknown, unixtime: unknown): TimeResult {
    const unix = unixSeconds(unixtime);
    if (unix !== null) {
      const utcMs = unix * 1000;
      const wallMs = this.wall.ms(date);
      const valid = !Number.isNaN(wallMs);
      if (!valid && typeof date === 'string' && date.length > 19) {
        const instant = parseInstant(date);
        if (instant !== null) return this.besideUnixtime(instant, date, utcMs, unixtime);
      }
      let zone: string | null = null;
      if (valid) {
        const diff = wallMs - utcMs;
        if (Math.abs(diff) <= MAX_OFFSET_MS && diff % 60_000 === 0) zone = this.offsetName(diff / 60_000);
      }
      const problem: TimeProblem | null =
        date === undefined
          ? null
          : !valid
            ? { code: 'invalid-date', message: `invalid date ${JSON.stringify(date)}; the time comes from date_unixtime alone` }
            : zone === null
              ? {
                  code: 'date-mismatch',
                  message: `date ${JSON.stringify(date)} and date_unixtime ${String(unixtime)} differ by no valid UTC offset`,
                }
              : null;
      return { time: { utc: this.iso.format(utcMs), local: valid ? (date as string) : null, basis: 'instant', zone }, problem };
    }
    if (unixtime !== undefined) {
      // Present but unreadable: fall through to the wall clock and say so.
      const r = this.dateTime(date);
      const message = `unreadable date_unixtime ${JSON.stringify(unixtime)}; ${r.problem?.message ?? 'the wall clock was read instead'}`;
      return { time: r.time, problem: { code: 'invalid-date', message } };
    }
    return this.dateTime(date);
  }

  /** `date` alone: an ISO instant (converters), else tdesktop's zone-less wall clock. */
  private dateTime(date: unknown): TimeResult {
    if (typeof date === 'string' && date.length > 19) {
      const instant = parseInstant(date);
      if (instant !== null) return { time: this.instantTime(instant), problem: null };
    }
    return this.wallTime(date);
  }

  /** The time of an ISO instant: its wall clock and offset are kept when it has an offset (not `Z`). */
  private instantTime(instant: Instant): TimeInfo {
    const zoned = instant.offset !== null;
    return {
      utc: this.iso.format(instant.ms),
      local: zoned ? instant.local : null,
      basis: 'instant',
      zone: zoned ? this.offsetName(instant.offset!) : null,
    };
  }

  /** An ISO instant in `date` written next to `date_unixtime`: the unixtime wins, a disagreement is reported. */
  private besideUnixtime(instant: Instant, date: string, utcMs: number, unixtime: unknown): TimeResult {
    if (instant.ms === utcMs) return { time: this.instantTime(instant), problem: null };
    return {
      time: { utc: this.iso.format(utcMs), local: null, basis: 'instant', zone: null },
      problem: {
        code: 'date-mismatch',
        message: `date ${JSON.stringify(date)} and date_unixtime ${String(unixtime)} are different instants`,
      },
    };
  }

  /** A zone-less wall clock, read with --tz, the leaked offset, or as UTC (in that order). */
  wallTime(value: unknown): TimeResult {
    const wall = parseWall(value);
    if (wall === null || !isValidWallClock(wall)) {
      return {
        time: { utc: null, local: null, basis: value === undefined ? (this.fileBasis ?? this.wallBasis) : this.wallBasis, zone: null },
        problem: { code: 'invalid-date', message: value === undefined ? 'no date' : `invalid date ${JSON.stringify(value)}` },
      };
    }
    const local = value as string;
    if (this.tz !== null) {
      this.converter ??= zoneConverter(this.tz);
      const r = this.converter.toUtc(wall);
      const problem: TimeProblem | null = r.gap
        ? { code: 'dst-gap', message: `${local} does not exist in ${this.tz} (DST gap); converted with the offset before the gap` }
        : r.ambiguous
          ? { code: 'dst-overlap', message: `${local} occurs twice in ${this.tz} (DST overlap); the earlier instant was chosen` }
          : null;
      return { time: { utc: this.iso.format(r.ms), local, basis: 'zone', zone: this.tz }, problem };
    }
    if (this.offset !== null) {
      return {
        time: {
          utc: this.iso.format(wallClockAsUtcMs(wall) - this.offset * 60_000),
          local,
          basis: 'inferred-offset',
          zone: this.offsetName(this.offset),
        },
        problem: null,
      };
    }
    return { time: { utc: this.iso.format(wallClockAsUtcMs(wall)), local, basis: 'assumed-utc', zone: 'UTC' }, problem: null };
  }

  /**
   * Edit state: `edited_unixtime` (when not 0) is a real edit; an `edited` 1970 placeholder is
   * not an edit; another `edited` wall clock is an edit read like `date`.
   */
  editTime(edited: unknown, editedUnixtime: unknown): { edited: boolean; editedAt: string | null; problem: TimeProblem | null } {
    const unix = unixSeconds(editedUnixtime);
    if (unix !== null) {
      return unix === 0
        ? { edited: false, editedAt: null, problem: null }
        : { edited: true, editedAt: this.isoEdit.format(unix * 1000), problem: null };
    }
    if (edited === undefined || edited === null) return { edited: false, editedAt: null, problem: null };
    if (placeholderOffset(edited) !== null) return { edited: false, editedAt: null, problem: null };
    if (typeof edited === 'string' && edited.length > 19) {
      const instant = parseInstant(edited);
      // An edit at the epoch is a placeholder, like edited_unixtime "0".
      if (instant !== null) {
        return instant.ms === 0
          ? { edited: false, editedAt: null, problem: null }
          : { edited: true, editedAt: this.isoEdit.format(instant.ms), problem: null };
      }
    }
    const r = this.wallTime(edited);
    return {
      edited: true,
      editedAt: r.time.utc,
      problem: r.problem === null ? null : { code: r.problem.code, message: `edit time: ${r.problem.message}` },
    };
  }
}

/** The offset a message leaks for zone-less wall clocks, and how; null when it leaks none. */
export function leakedOffset(msg: { edited?: unknown; edited_unixtime?: unknown }): { minutes: number; source: string } | null {
  if (msg.edited !== undefined) {
    const pair = offsetFromPair(msg.edited, msg.edited_unixtime);
    if (pair !== null) return { minutes: pair, source: 'edited-vs-edited_unixtime' };
    if (msg.edited_unixtime === undefined || unixSeconds(msg.edited_unixtime) === 0) {
      const ph = placeholderOffset(msg.edited);
      if (ph !== null) return { minutes: ph, source: '1970-edited-placeholder' };
    }
  }
  return null;
}
