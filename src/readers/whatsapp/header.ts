// Recognizes the timestamp header that starts every WhatsApp message line, in every locale
// variant: date (three numbers, any order, `/ . -` separators, optional spaces and trailing dot),
// optional words between date and time (`klo`, `오후`, `午後`), `h:mm[:ss]` with `:` or `.`,
// day-half markers before or after the time, optional brackets, and the ` - `/`: `/space that
// ends the header. Digits may be ASCII, Arabic-Indic or Persian. Only the shape is read here; the
// date order is decided for the whole file elsewhere.
import { AM_MARKERS, PM_MARKERS } from './locale.js';

/** How the header ends: `[` … `]`, ` - ` (or en dash), `: ` after the time, or a plain space. */
export type Frame = '[]' | '-' | ':' | ' ';

export interface Header {
  frame: Frame;
  /** Date separator as written (`/`, `.`, `-`). */
  sep: string;
  /** The three date numbers in written order, and how many digits each had. */
  n0: number;
  n1: number;
  n2: number;
  len0: number;
  len1: number;
  len2: number;
  hour: number;
  minute: number;
  /** -1 when the header has no seconds. */
  second: number;
  /** 0: no day-half marker (24 h); 1: AM; 2: PM. */
  half: 0 | 1 | 2;
  /** Index in the line where the text after the header begins. */
  bodyStart: number;
}

const D = '[0-9\\u0660-\\u0669\\u06F0-\\u06F9]';
const S = '[ \\u00A0\\u202F\\u2009]';
/** Invisible format characters allowed anywhere in a header (bidi marks and controls, BOM, ZWSP). */
const MARK = '[\\u200B\\u200E\\u200F\\u061C\\u202A-\\u202E\\u2066-\\u2069\\uFEFF]';
const AFTER = '[AaPp]\\.?[ \\u00A0\\u202F]?[Mm]\\.?|vorm\\.?|nachm\\.?|ق\\.ظ|ب\\.ظ|π\\.μ\\.|μ\\.μ\\.|ص|م';

// Groups: 1 `[`, 2 n0, 3 sep, 4 n1, 5 n2, 6 word before the time, 7 hour, 8 minute, 9 second,
// 10 marker after the time, 11 `]`, 12 dash, 13 colon.
const HEADER = new RegExp(
  `(\\[)?${MARK}*(${D}{1,4})${MARK}*([./\\-])${S}?(${D}{1,4})${MARK}*\\3${S}?(${D}{1,4})${MARK}*\\.?` +
    `(?:[,،]${S}*|${S}+)` +
    `(?:([^\\d\\u0660-\\u0669\\u06F0-\\u06F9\\s\\[\\]:,.\\-]{1,8}\\.?)${S}*)?` +
    `${MARK}*(${D}{1,2})[:.](${D}{2})(?:[:.](${D}{2}))?` +
    `(?:${S}*(${AFTER}))?` +
    `${MARK}*(?:(\\])${S}?|${S}?([-–])${S}|(:)${S}|${S})`,
  'y',
);

const AM = new Set(AM_MARKERS);
const PM = new Set(PM_MARKERS);

function isDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 0x660 && c <= 0x669) || (c >= 0x6f0 && c <= 0x6f9);
}

/** True for the characters MARK matches. */
function isMark(c: number): boolean {
  return (
    c === 0xfeff ||
    c === 0x200b ||
    c === 0x200e ||
    c === 0x200f ||
    c === 0x061c ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2066 && c <= 0x2069)
  );
}

/** Skips the invisible marks and BOMs WhatsApp (or an editor) puts before a header. */
function skipLeadingMarks(s: string, i: number, end: number): number {
  while (i < end && isMark(s.charCodeAt(i))) i++;
  return i;
}

/**
 * Cheap test before the regex: after invisible marks and an optional `[` (and marks), the line
 * `s[start, end)` must start with a digit. Returns where the regex should start, or -1.
 */
export function headerCandidate(s: string, start: number, end: number): number {
  const from = skipLeadingMarks(s, start, end);
  let i = from;
  if (i < end && s.charCodeAt(i) === 0x5b) {
    i++;
    while (i < end && isMark(s.charCodeAt(i))) i++;
  }
  return i < end && isDigit(s.charCodeAt(i)) ? from : -1;
}

/** Value of a run of ASCII, Arabic-Indic or Persian digits. */
export function digitsValue(s: string): number {
  let v = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    v = v * 10 + (c <= 57 ? c - 48 : c >= 0x6f0 ? c - 0x6f0 : c - 0x660);
  }
  return v;
}

/** Lower case, NBSP and narrow NBSP as plain spaces: the form the marker tables use. */
export function normalizeMarker(s: string): string {
  return s.replace(/[\u00A0\u202F]/g, ' ').toLowerCase();
}

function halfOf(marker: string | undefined): 0 | 1 | 2 | -1 {
  if (marker === undefined) return 0;
  const m = normalizeMarker(marker);
  if (AM.has(m)) return 1;
  if (PM.has(m)) return 2;
  return -1;
}

/** A Header to fill in (parseHeader reuses the caller's object: no allocation per line). */
export function newHeader(): Header {
  return { frame: '-', sep: '/', n0: 0, n1: 0, n2: 0, len0: 0, len1: 0, len2: 0, hour: 0, minute: 0, second: -1, half: 0, bodyStart: 0 };
}

/**
 * Parses a header at the start of the line `s[start, end)` into `out` with the regex alone (the
 * source of truth for every locale). False when the line is not a header.
 */
export function parseHeaderRegex(s: string, start: number, end: number, out: Header): boolean {
  const from = headerCandidate(s, start, end);
  if (from < 0) return false;
  HEADER.lastIndex = from;
  const m = HEADER.exec(s);
  if (m === null || HEADER.lastIndex > end) return false;
  const open = m[1] !== undefined;
  const close = m[11] !== undefined;
  if (open !== close) return false;
  // WhatsApp's bracketed (iOS) headers always carry seconds: `[2022-01-20 18:16] Name:` is another
  // app's export (Signal Desktop's text style), not WhatsApp's.
  if (open && m[9] === undefined) return false;
  // A word between date and time is either a day-half marker (오후, 午後, 下午) or filler (klo).
  const after = halfOf(m[10]);
  if (after === -1) return false;
  let half: 0 | 1 | 2 = after;
  if (m[6] !== undefined) {
    const before = halfOf(m[6]);
    if (before === 1 || before === 2) {
      if (half > 0) return false;
      half = before;
    }
  }
  const g2 = m[2]!;
  const g4 = m[4]!;
  const g5 = m[5]!;
  out.frame = open ? '[]' : m[12] !== undefined ? '-' : m[13] !== undefined ? ':' : ' ';
  out.sep = m[3]!;
  out.n0 = digitsValue(g2);
  out.n1 = digitsValue(g4);
  out.n2 = digitsValue(g5);
  out.len0 = g2.length;
  out.len1 = g4.length;
  out.len2 = g5.length;
  out.hour = digitsValue(m[7]!);
  out.minute = digitsValue(m[8]!);
  out.second = m[9] === undefined ? -1 : digitsValue(m[9]);
  out.half = half;
  out.bodyStart = HEADER.lastIndex;
  return true;
}

// The fast path: the frames nearly every export uses (`12/03/2024, 10:00 - `,
// `[12.03.24, 10:00:00] `, `3/14/24, 12:30 PM - `), read from the UTF-8 bytes. It follows the
// regex's first (greedy) choice at every step, so when it reaches the end of the header the regex
// would have matched the same way; whenever the line leaves that narrow path (other digits, words
// before the time, marks inside the header, unusual spacing) it answers "undecided" and the regex
// decides. Non-ASCII spaces and marks are matched as their UTF-8 byte sequences.

/** Bytes of a space the regex's `S` accepts (space, NBSP, narrow NBSP, thin space) at i, else 0. */
function spaceAt(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c === 0x20) return 1;
  if (c === 0xc2) return b[i + 1] === 0xa0 ? 2 : 0;
  if (c === 0xe2 && b[i + 1] === 0x80) {
    const c2 = b[i + 2];
    return c2 === 0xaf || c2 === 0x89 ? 3 : 0;
  }
  return 0;
}

/** Bytes of a space allowed inside `a. m.` (space, NBSP, narrow NBSP) at i, else 0. */
function markerSpaceAt(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c === 0x20) return 1;
  if (c === 0xc2) return b[i + 1] === 0xa0 ? 2 : 0;
  return c === 0xe2 && b[i + 1] === 0x80 && b[i + 2] === 0xaf ? 3 : 0;
}

/** Bytes of a mark skipLeadingMarks skips (BOM, ZWSP, LRM, RLM, ALM, U+202A..U+202E, U+2066..U+2069) at i, else 0. */
function leadingMarkAt(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c === 0xe2) {
    const c1 = b[i + 1];
    const c2 = b[i + 2]!;
    if (c1 === 0x81) return c2 >= 0xa6 && c2 <= 0xa9 ? 3 : 0;
    if (c1 !== 0x80) return 0;
    return c2 === 0x8b || c2 === 0x8e || c2 === 0x8f || (c2 >= 0xaa && c2 <= 0xae) ? 3 : 0;
  }
  if (c === 0xef) return b[i + 1] === 0xbb && b[i + 2] === 0xbf ? 3 : 0;
  if (c === 0xd8) return b[i + 1] === 0x9c ? 2 : 0;
  return 0;
}

/** True when an Arabic-Indic or Persian digit starts at i. */
function otherDigitAt(b: Uint8Array, i: number): boolean {
  const c = b[i];
  const c1 = b[i + 1]!;
  return (c === 0xd9 && c1 >= 0xa0 && c1 <= 0xa9) || (c === 0xdb && c1 >= 0xb0 && c1 <= 0xb9);
}

/** Bytes of an en dash at i, else 0. */
function enDashAt(b: Uint8Array, i: number): number {
  return b[i] === 0xe2 && b[i + 1] === 0x80 && b[i + 2] === 0x93 ? 3 : 0;
}

/**
 * Day half of the ASCII marker `[AaPp]\.?S?[Mm]\.?` by its letter and which of the optional parts
 * it has (index: pm*8 + dot*4 + space*2 + finalDot), from the marker tables: 1 AM, 2 PM, -1 neither.
 */
const ASCII_HALF: Int8Array = (() => {
  const t = new Int8Array(16);
  for (let k = 0; k < 16; k++) {
    const marker = `${k & 8 ? 'p' : 'a'}${k & 4 ? '.' : ''}${k & 2 ? ' ' : ''}m${k & 1 ? '.' : ''}`;
    t[k] = halfOf(marker);
  }
  return t;
})();

const SEP_SLASH = '/';
const SEP_DOT = '.';
const SEP_DASH = '-';

/**
 * The fast path over the UTF-8 line `b[start, end)`: 1 when the line is a header (`out` filled
 * as parseHeaderRegex would fill it for the decoded line, with `bodyStart` a byte index), 0 when
 * it certainly is not, -1 when undecided (decode the line and run parseHeaderRegex). `out` may be
 * partly written when the answer is not 1.
 */
export function scanHeader(b: Uint8Array, start: number, end: number, out: Header): -1 | 0 | 1 {
  let i = start;
  for (let n = leadingMarkAt(b, i); n > 0 && i < end; n = leadingMarkAt(b, i)) i += n;
  if (i >= end) return 0;
  let c = b[i]!;
  const open = c === 0x5b; /* [ */
  if (open) {
    i++;
    for (let n = leadingMarkAt(b, i); n > 0 && i < end; n = leadingMarkAt(b, i)) i += n;
    if (i >= end) return 0;
    c = b[i]!;
  }
  if (c < 48 || c > 57) return otherDigitAt(b, i) ? -1 : 0;

  // Date: three runs of 1-4 ASCII digits, the same separator twice, an optional space after each.
  let n0 = 0;
  const at0 = i;
  while (i < end && (c = b[i]!) >= 48 && c <= 57) {
    n0 = n0 * 10 + c - 48;
    i++;
  }
  const len0 = i - at0;
  if (len0 > 4 || i >= end) return -1;
  const sepCode = c;
  if (sepCode !== 0x2f && sepCode !== 0x2e && sepCode !== 0x2d) return -1;
  i++;
  i += spaceAt(b, i);
  let n1 = 0;
  const at1 = i;
  while (i < end && (c = b[i]!) >= 48 && c <= 57) {
    n1 = n1 * 10 + c - 48;
    i++;
  }
  const len1 = i - at1;
  if (len1 === 0 || len1 > 4 || i >= end || c !== sepCode) return -1;
  i++;
  i += spaceAt(b, i);
  let n2 = 0;
  const at2 = i;
  while (i < end && (c = b[i]!) >= 48 && c <= 57) {
    n2 = n2 * 10 + c - 48;
    i++;
  }
  const len2 = i - at2;
  if (len2 === 0 || len2 > 4 || i >= end) return -1;
  if (c === 0x2e) i++;
  // `,` and spaces, or spaces, between date and time.
  if (b[i] === 0x2c) {
    i++;
    for (let n = spaceAt(b, i); n > 0; n = spaceAt(b, i)) i += n;
  } else {
    let n = spaceAt(b, i);
    if (n === 0) return -1;
    do {
      i += n;
      n = spaceAt(b, i);
    } while (n > 0);
  }

  // Time: h or hh, `:` or `.`, mm, optional seconds.
  c = b[i]!;
  if (!(c >= 48 && c <= 57)) return -1;
  let hour = c - 48;
  i++;
  c = b[i]!;
  if (c >= 48 && c <= 57) {
    hour = hour * 10 + c - 48;
    i++;
    c = b[i]!;
  }
  if (c !== 0x3a && c !== 0x2e) return -1;
  const m0 = b[i + 1]!;
  const m1 = b[i + 2]!;
  if (!(m0 >= 48 && m0 <= 57 && m1 >= 48 && m1 <= 57)) return -1;
  const minute = (m0 - 48) * 10 + m1 - 48;
  i += 3;
  let second = -1;
  c = b[i]!;
  if (c === 0x3a || c === 0x2e) {
    const s0 = b[i + 1]!;
    const s1 = b[i + 2]!;
    if (s0 >= 48 && s0 <= 57 && s1 >= 48 && s1 <= 57) {
      second = (s0 - 48) * 10 + s1 - 48;
      i += 3;
    }
  }
  if (i > end) return -1;
  c = b[i]!;
  if (c >= 48 && c <= 57) return -1;

  // Optional day-half marker after spaces: only the ASCII `am`/`a.m.`/`a. m.` family here.
  let half: 0 | 1 | 2 = 0;
  // A marker the regex matches but the tables do not know: the line is not a header, provided the
  // header then ends here (else the regex would backtrack and read the marker as text).
  let unknownMarker = false;
  {
    let j = i;
    for (let n = spaceAt(b, j); n > 0; n = spaceAt(b, j)) j += n;
    const a = b[j]!;
    if (a === 0x41 || a === 0x61 || a === 0x50 || a === 0x70) {
      let k = j + 1;
      let key = a === 0x50 || a === 0x70 ? 8 : 0;
      if (b[k] === 0x2e) {
        key |= 4;
        k++;
      }
      const sp = markerSpaceAt(b, k);
      if (sp > 0) {
        key |= 2;
        k += sp;
      }
      const m = b[k];
      if (m === 0x4d || m === 0x6d) {
        k++;
        if (b[k] === 0x2e) {
          key |= 1;
          k++;
        }
        const h = ASCII_HALF[key]!;
        if (h < 0) unknownMarker = true;
        else half = h as 1 | 2;
        i = k;
      } else if (key & 6) {
        // `a.` or `a ` not followed by m: the regex backtracks in ways not followed here.
        return -1;
      }
    } else if (a >= 0x80 || a === 0x76 /* v */ || a === 0x6e /* n */) {
      return -1;
    }
  }

  // How the header ends.
  let frame: Frame;
  c = b[i]!;
  if (c === 0x5d /* ] */) {
    i++;
    i += spaceAt(b, i);
    frame = '[]';
  } else {
    const sp = spaceAt(b, i);
    const k = i + sp;
    const dash = b[k] === 0x2d ? 1 : enDashAt(b, k);
    const after = dash > 0 ? spaceAt(b, k + dash) : 0;
    if (after > 0) {
      i = k + dash + after;
      frame = '-';
    } else if (c === 0x3a && spaceAt(b, i + 1) > 0) {
      i += 1 + spaceAt(b, i + 1);
      frame = ':';
    } else if (sp > 0) {
      i += sp;
      frame = ' ';
    } else {
      return -1;
    }
  }
  if (i > end) return -1;
  if (open !== (frame === '[]')) return open ? -1 : 0;
  if (open && second < 0) return 0;
  if (unknownMarker) return 0;
  out.frame = frame;
  out.sep = sepCode === 0x2f ? SEP_SLASH : sepCode === 0x2e ? SEP_DOT : SEP_DASH;
  out.n0 = n0;
  out.n1 = n1;
  out.n2 = n2;
  out.len0 = len0;
  out.len1 = len1;
  out.len2 = len2;
  out.hour = hour;
  out.minute = minute;
  out.second = second;
  out.half = half;
  out.bodyStart = i;
  return 1;
}

/**
 * Parses the header at the start of the UTF-8 line `b[start, end)` into `out`, `bodyStart` as a
 * byte index: the fast path, else the regex on the decoded line. False when it is not a header.
 */
export function parseHeaderBytes(b: Buffer, start: number, end: number, out: Header): boolean {
  const fast = scanHeader(b, start, end, out);
  if (fast >= 0) return fast === 1;
  const line = b.toString('utf8', start, end);
  if (!parseHeaderRegex(line, 0, line.length, out)) return false;
  out.bodyStart = start + Buffer.byteLength(line.slice(0, out.bodyStart));
  return true;
}

/**
 * Parses a header at the start of the line `s[start, end)` into `out`. False when the line is not
 * a header. The line may be part of a larger string (a whole decoded chunk).
 */
export function parseHeader(s: string, start: number, end: number, out: Header): boolean {
  return parseHeaderRegex(s, start, end, out);
}

/** Parses one line on its own (sniffing, tests); null when it is not a header. */
export function parseHeaderLine(line: string): Header | null {
  const h = newHeader();
  return parseHeader(line, 0, line.length, h) ? h : null;
}

/** Which written position holds a 4-digit year (-1: none). */
export function yearPosition(h: Header): -1 | 0 | 1 | 2 {
  if (h.len0 === 4) return 0;
  if (h.len2 === 4) return 2;
  if (h.len1 === 4) return 1;
  return -1;
}

/**
 * The shape group a header belongs to: frame, date separator and where a 4-digit year stands, as
 * a small number (see shapeName). The date order is decided per shape, so a file mixing `6/30/23`
 * and `30/6/2023` reads right.
 */
export function shapeKey(h: Header): number {
  const frame = h.frame === '[]' ? 0 : h.frame === '-' ? 1 : h.frame === ':' ? 2 : 3;
  const sep = h.sep === '/' ? 0 : h.sep === '.' ? 1 : 2;
  return frame * 100 + sep * 10 + (yearPosition(h) + 1);
}

/** Readable form of a shape key: `[]/.2` = bracketed, `/`-separated, 4-digit year third. */
export function shapeName(key: number): string {
  const frame = ['[]', '-', ':', ' '][Math.floor(key / 100)]!;
  const sep = ['/', '.', '-'][Math.floor(key / 10) % 10]!;
  return `${frame}${sep}${(key % 10) - 1}`;
}

/** 24-hour clock of a header, or -1 when the hour does not exist (25:00, or 13 PM: see markedHour24). */
export function hour24(h: Header): number {
  if (h.half === 0) return h.hour <= 23 ? h.hour : -1;
  // 12-hour clocks run 12, 1 … 11 (or 0 … 11 in Japanese 午前0:30).
  if (h.hour > 12) return -1;
  return (h.hour % 12) + (h.half === 2 ? 12 : 0);
}

/**
 * The hour of a header that writes a 24-hour clock beside a day-half marker (`23:59 PM`, as some
 * exports do): the hour as written when it is 13-23, else -1. The digits are the more specific
 * part, as with `00:04 AM`.
 */
export function markedHour24(h: Header): number {
  return h.half !== 0 && h.hour >= 13 && h.hour <= 23 ? h.hour : -1;
}
