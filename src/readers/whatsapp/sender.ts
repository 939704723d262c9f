// Who wrote a line: the author between the header and the first `: `, and the sender identity
// made from it (a phone key for unsaved numbers, else a name key scoped to the export).
import type { SenderRef } from '../../model.js';
import { asciiDigits, cleanName } from '../../util/text.js';
import { loadPhoneLibrary, parsePhoneNumberFromString } from '../../phone/lib.js';
import { SYSTEM_PHRASES_IN_AUTHOR } from './locale.js';

/** Longer than any contact or push name: such a prefix is system text, not an author. */
const MAX_AUTHOR = 100;

function count(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

/**
 * True when `s` ends inside a quotation: a system line such as
 * `Boris changed the subject to "Plans: Friday"` would otherwise yield the author
 * `Boris changed the subject to "Plans`. Names with balanced quotes (`Alex "Sasha" P`) pass.
 */
function endsInsideQuote(s: string): boolean {
  if (count(s, '"') % 2 === 1) return true;
  if (count(s, '«') > count(s, '»')) return true;
  // “…” in English, „…“ in German: “ closes only after „.
  const low = count(s, '„');
  const open = count(s, '“');
  const close = count(s, '”');
  return low > 0 ? low > open + close : open > close;
}

/** Verdicts on author candidates already seen (authors repeat on most lines). */
const verdicts = new Map<string, boolean>();
const MAX_VERDICTS = 100_000;

function isAuthor(candidate: string): boolean {
  let ok = verdicts.get(candidate);
  if (ok === undefined) {
    ok = !endsInsideQuote(candidate) && !SYSTEM_PHRASES_IN_AUTHOR.test(candidate);
    if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
    verdicts.set(candidate, ok);
  }
  return ok;
}

/**
 * Where the `: ` ending a would-be author is in the line `s[from, end)`: the index of the colon,
 * or -1. Only `limit` characters past `from` are searched (a longer prefix is no author); a
 * line ending in `Author:` (empty text) also counts. Same answer as searching the whole line.
 */
export function authorColon(s: string, from: number, end: number, limit: number): number {
  const stop = Math.min(end - 1, from + limit);
  for (let i = from; i <= stop; i++) {
    if (s.charCodeAt(i) === 0x3a && s.charCodeAt(i + 1) === 0x20) return i === from ? -1 : i;
  }
  if (stop < end - 1) return -1;
  return end > from + 1 && s.charCodeAt(end - 1) === 0x3a ? end - 1 : -1;
}

/**
 * Index of the `: ` that ends the author in the line `s[from, end)` (from = where the header
 * ended), or -1 when the line has no author (a classic system line). A line ending in
 * `Author:` (empty text) also counts.
 */
export function authorEnd(s: string, from: number, end: number): number {
  const at = authorColon(s, from, end, MAX_AUTHOR + 1);
  if (at < 0 || at - from > MAX_AUTHOR) return -1;
  return isAuthor(s.slice(from, at)) ? at : -1;
}

/** Authors compared in place before the map is consulted (most chats have a few active ones). */
const RECENT_AUTHORS = 8;

/** A recently found author: its UTF-8 bytes, its text, and a mark for the caller's use. */
export interface RecentAuthor {
  readonly bytes: Uint8Array;
  readonly author: string;
  mark: unknown;
  /** Set by the first pass once the author is known to head a plain message. */
  plain?: boolean;
}

/** The loaded block of lines an author is read from (see LineSplitter). */
export interface AuthorSource {
  /** UTF-8 bytes (latin1: true) or the text (latin1: false) of the block. */
  view: string;
  bytes: Uint8Array;
  latin1: boolean;
  decode(a: number, b: number): string;
  units(a: number, b: number): number;
}

/**
 * Authors as read from a block of lines, cached by their raw form in the block (UTF-8 bytes seen
 * as latin1, or the text itself): authors repeat on most lines, so each is decoded and judged once.
 */
export class AuthorReader {
  private readonly known = new Map<string, string | null>();
  /** The last authors found (UTF-8 blocks): their bytes are compared in place. */
  private readonly recent: RecentAuthor[] = [];
  private recentNext = 0;

  /** The author found by the last successful end(). */
  author = '';
  /** Its entry among the recent authors (null when not kept there): callers may mark it. */
  entry: RecentAuthor | null = null;

  /**
   * Index of the `: ` that ends the author in the line `view[from, end)`, or -1 (as authorEnd);
   * the author's text is then in `author`.
   */
  end(src: AuthorSource, from: number, end: number): number {
    if (!src.latin1) {
      const at = authorColon(src.view, from, end, MAX_AUTHOR + 1);
      if (at < 0 || at - from > MAX_AUTHOR) return -1;
      return this.judge(src, from, at);
    }
    const b = src.bytes;
    // A recent author followed by `: `: its bytes hold no `: ` (they were the text before the
    // first one) and the `:` after them rules out one across their end, so the first `: ` of
    // the line is right after them, as the search below would find.
    const recent = this.recent;
    search: for (let r = 0; r < recent.length; r++) {
      const entry = recent[r]!;
      const known = entry.bytes;
      const length = known.length;
      if (b[from + length] !== 0x3a || b[from + length + 1] !== 0x20 || from + length >= end) continue;
      for (let k = 0; k < length; k++) if (b[from + k] !== known[k]) continue search;
      this.author = entry.author;
      this.entry = entry;
      return from + length;
    }
    // A UTF-16 unit is at most 3 UTF-8 bytes: past that many bytes the prefix is too long.
    const stop = Math.min(end - 1, from + 3 * MAX_AUTHOR + 1);
    let at = -1;
    for (let i = from; i <= stop; i++) {
      if (b[i] === 0x3a && b[i + 1] === 0x20) {
        at = i;
        break;
      }
    }
    if (at < 0) {
      if (stop < end - 1 || !(end > from + 1 && b[end - 1] === 0x3a)) return -1;
      at = end - 1;
    }
    if (at === from) return -1;
    const length = at - from;
    if (length > MAX_AUTHOR && src.units(from, at) > MAX_AUTHOR) return -1;
    return this.judge(src, from, at);
  }

  /** Decides (once per raw form) whether `view[from, at)` is an author. */
  private judge(src: AuthorSource, from: number, at: number): number {
    const raw = src.view.slice(from, at);
    let author = this.known.get(raw);
    if (author === undefined) {
      const text = src.latin1 ? src.decode(from, at) : raw;
      author = isAuthor(text) ? text : null;
      if (this.known.size >= MAX_VERDICTS) this.known.clear();
      this.known.set(raw, author);
    }
    if (author === null) return -1;
    this.author = author;
    this.entry = null;
    if (src.latin1) {
      const entry: RecentAuthor = { bytes: Uint8Array.from(src.bytes.subarray(from, at)), author, mark: null };
      if (this.recent.length < RECENT_AUTHORS) {
        this.recent.push(entry);
      } else {
        this.recent[this.recentNext] = entry;
        this.recentNext = (this.recentNext + 1) % RECENT_AUTHORS;
      }
      this.entry = entry;
    }
    return at;
  }
}

const PHONE_SHAPE = /^\+[0-9\s\-().]{6,24}$/;
const DASHES = /[\u2010-\u2015\u2212]/g;

/**
 * Loads the phone-number library (libphonenumber-js, which takes long to load) ahead of phoneOfName,
 * once some name looks like a phone number. The same copy as src/phone's (phone/lib.ts).
 */
export function loadPhoneNumbers(): Promise<void> {
  return loadPhoneLibrary();
}

function phoneCandidate(name: string): string {
  return asciiDigits(name.normalize('NFKC')).replace(DASHES, '-');
}

/** True when the name has the shape of a phone number (phoneOfName then asks the library). */
export function looksLikePhone(name: string): boolean {
  return PHONE_SHAPE.test(phoneCandidate(name));
}

/** E.164 of a sender name that is a phone number (`+7 912 345-67-89`), else null. */
export function phoneOfName(name: string): string | null {
  const candidate = phoneCandidate(name);
  if (!PHONE_SHAPE.test(candidate)) return null;
  const parsed = parsePhoneNumberFromString(candidate);
  return parsed !== undefined && parsed.isPossible() ? parsed.number : null;
}

/** Turns raw author strings into sender identities, once per distinct string. */
export class SenderDirectory {
  private readonly scope: string;
  private readonly cache = new Map<string, SenderRef>();

  /** `scope`: the scope of name keys (ReadOptions.senderScope: the victim's address book). */
  constructor(scope: string) {
    this.scope = scope;
  }

  resolve(raw: string): SenderRef {
    let ref = this.cache.get(raw);
    if (ref === undefined) {
      const name = cleanName(raw).normalize('NFC');
      const phone = phoneOfName(name);
      ref = { key: phone !== null ? `phone:${phone}` : `name:${this.scope}:${name}`, name, raw, phone };
      this.cache.set(raw, ref);
    }
    return ref;
  }
}
