// Wall clocks and instants, without ever consulting the zone of the machine running threatlens.
// Zones come from the investigator (`--tz`, IANA names resolved by Node's ICU) or from offsets the
// export itself reveals. Date parts are validated: 31/02 is an error, never a rollover.

export interface WallClock {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

/** true when every field is in range (no 31 February, no 24:00, no 61st second). */
export function isValidWallClock(w: WallClock): boolean {
  return (
    Number.isInteger(w.year) &&
    w.year >= 1970 &&
    w.year <= 2200 &&
    w.month >= 1 &&
    w.month <= 12 &&
    w.day >= 1 &&
    w.day <= daysInMonth(w.year, w.month) &&
    w.hour >= 0 &&
    w.hour <= 23 &&
    w.minute >= 0 &&
    w.minute <= 59 &&
    w.second >= 0 &&
    w.second <= 59
  );
}

const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;

/** `YYYY-MM-DDTHH:mm:ss`, the zone-less form kept as `time.local`. */
export function formatWallClock(w: WallClock): string {
  return `${w.year}-${pad2(w.month)}-${pad2(w.day)}T${pad2(w.hour)}:${pad2(w.minute)}:${pad2(w.second)}`;
}

/** Milliseconds of the wall clock read as if it were UTC. */
export function wallClockAsUtcMs(w: WallClock): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

/** ISO 8601 UTC with `Z` and no milliseconds, the one time format of every output. */
export function isoUtc(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Parses `+03:00`, `-0530`, `UTC+3` style fixed offsets into minutes; null when not an offset. */
export function parseFixedOffset(zone: string): number | null {
  const m = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(zone.trim());
  if (!m) return zone === 'UTC' || zone === 'Z' ? 0 : null;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  if (minutes > 14 * 60) return null;
  return m[1] === '-' ? -minutes : minutes;
}

export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

/** Zones already checked: building an Intl.DateTimeFormat costs a fraction of a millisecond, and an ingest of thousands of chats checks one zone for each. */
const knownZones = new Map<string, boolean>();

/** true when `zone` is an IANA zone name this Node knows, or a fixed offset. */
export function isKnownZone(zone: string): boolean {
  let known = knownZones.get(zone);
  if (known === undefined) {
    known = parseFixedOffset(zone) !== null || canFormatIn(zone);
    knownZones.set(zone, known);
  }
  return known;
}

function canFormatIn(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const converters = new Map<string, ZoneConverter>();

/**
 * The converter of a zone, one per zone for the whole process: its offsets depend on the zone
 * alone, so every export read in that zone shares the ones already looked up.
 */
export function zoneConverter(zone: string): ZoneConverter {
  let converter = converters.get(zone);
  if (converter === undefined) {
    converter = new ZoneConverter(zone);
    converters.set(zone, converter);
  }
  return converter;
}

/**
 * Converts wall clocks of one zone to UTC. Offsets are looked up through Intl (ICU's tz database)
 * and cached per hour, so converting millions of messages costs a few lookups.
 */
export class ZoneConverter {
  readonly zone: string;
  private readonly fixed: number | null;
  private readonly format: Intl.DateTimeFormat | null;
  private readonly cache = new Map<number, number>();
  /** Scratch for offsetFromText: month, day, year, hour, minute, second. */
  private readonly nums = [0, 0, 0, 0, 0, 0];

  constructor(zone: string) {
    this.zone = zone;
    this.fixed = parseFixedOffset(zone);
    this.format =
      this.fixed === null
        ? new Intl.DateTimeFormat('en-US', {
            timeZone: zone,
            hourCycle: 'h23',
            year: 'numeric',
            month: 'numeric',
            day: 'numeric',
            hour: 'numeric',
            minute: 'numeric',
            second: 'numeric',
          })
        : null;
  }

  /** Offset of the zone from UTC, in minutes, at the instant `utcMs`. */
  offsetAt(utcMs: number): number {
    if (this.fixed !== null) return this.fixed;
    const hourKey = Math.floor(utcMs / 3_600_000);
    const hit = this.cache.get(hourKey);
    if (hit !== undefined) return hit;
    const probe = hourKey * 3_600_000;
    const offset = this.offsetFromText(probe) ?? this.offsetFromParts(probe);
    this.cache.set(hourKey, offset);
    return offset;
  }

  /**
   * The offset at `probe` read from `format()`'s `M/D/YYYY, HH:MM:SS`: several times cheaper than
   * formatToParts (one string instead of a dozen part objects). null when the text has another
   * shape, and offsetFromParts decides.
   */
  private offsetFromText(probe: number): number | null {
    const text = this.format!.format(probe);
    const nums = this.nums;
    let count = 0;
    let value = -1;
    for (let i = 0; i <= text.length; i++) {
      const c = i < text.length ? text.charCodeAt(i) : 0x20;
      if (c >= 48 && c <= 57) {
        value = value < 0 ? c - 48 : value * 10 + c - 48;
        continue;
      }
      if (value >= 0) {
        if (count === 6) return null;
        nums[count++] = value;
        value = -1;
      }
      if (c !== 0x2f && c !== 0x2c && c !== 0x20 && c !== 0x3a) return null;
    }
    if (count !== 6) return null;
    const asUtc = Date.UTC(nums[2]!, nums[0]! - 1, nums[1]!, nums[3]!, nums[4]!, nums[5]!);
    return Math.round((asUtc - probe) / 60_000);
  }

  /** The offset at `probe` from formatToParts: the reference reading. */
  offsetFromParts(probe: number): number {
    if (this.fixed !== null) return this.fixed;
    const parts = this.format!.formatToParts(new Date(probe));
    const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value);
    const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
    return Math.round((asUtc - probe) / 60_000);
  }

  /**
   * The UTC instant of a wall clock in this zone. In a DST gap the clock does not exist: the
   * instant uses the offset before the gap and `gap` is set. In an overlap the earlier instant is
   * chosen and `ambiguous` is set.
   */
  toUtc(w: WallClock): { ms: number; gap: boolean; ambiguous: boolean } {
    const local = wallClockAsUtcMs(w);
    const o1 = this.offsetAt(local - this.offsetAt(local) * 60_000);
    const t1 = local - o1 * 60_000;
    const back = t1 + this.offsetAt(t1) * 60_000;
    if (back !== local) {
      // The wall clock does not exist in this zone (spring forward): use the offset before the gap.
      const before = this.offsetAt(t1 - 3_600_000);
      return { ms: local - before * 60_000, gap: true, ambiguous: false };
    }
    // Overlap: another offset in the neighbourhood also maps back to this wall clock.
    for (const probe of [t1 - 3_600_000, t1 + 3_600_000]) {
      const o = this.offsetAt(probe);
      if (o !== o1) {
        const t2 = local - o * 60_000;
        if (t2 + this.offsetAt(t2) * 60_000 === local) {
          return { ms: Math.min(t1, t2), gap: false, ambiguous: true };
        }
      }
    }
    return { ms: t1, gap: false, ambiguous: false };
  }
}

/** A recording's length as a player shows it: `0:03`, `12:05`, `1:02:05`. */
export function formatLength(ms: number): string {
  const s = Math.round(ms / 1000);
  const [h, min, sec] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const two = (n: number): string => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(min)}:${two(sec)}` : `${min}:${two(sec)}`;
}
