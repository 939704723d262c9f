// Phone numbers inside free text (message bodies, captions).
//
// Engine: libphonenumber-js's finder (a port of Google's PhoneNumberMatcher) with max metadata and
// its default leniency VALID, so only numbers matching a number pattern come out. Around it:
//   1. maskText: a same-length cleaned copy (full-width/Persian digits, bidi marks, NBSP), so every
//      offset the finder reports is an offset in the original text;
//   2. for the finder only, all same-length: separateGluedWords ('Handy0151…' → 'Hand 0151…');
//      rewriteIddInText: '00…' and '8 10 …' become '+…', because with default RU the finder reads
//      '0049 30 1234567' as the invalid +7 0049…, and with other regions '8 10' is unknown;
//      rewriteChatLinks: 'wa.me/7928…' is international; breakLists: ',' / ';' between numbers end
//      a candidate instead of starting a dialler extension;
//   3. the finder;
//   4. post-filters: tails of longer digit sequences the finder rejected, identifying words before
//      the number, non-phone spans (distractors.ts) and long unformatted national digit runs;
//   5. extensions the finder does not know ('вн. 12', 'внутр. 7', 'доп. 3', '(доб. 204)').
import { getCountryCallingCode, searchPhoneNumbersInText } from './lib.js';
import { breakLists, maskText, rewriteChatLinks, rewriteIddInText, separateGluedWords } from './prepare.js';
import { identifierBefore, isDigit, isSeparator, nonPhoneSpans, overlapping, type Span } from './distractors.js';
import { matchOf, type PhoneFact } from './fact.js';
import { toRegion } from './countries.js';

export interface PhoneMatch extends PhoneFact {
  /** UTF-16 offset of the first character in the original text (the '0' of '00…', the '8' of '8 10 …'). */
  start: number;
  /** UTF-16 offset just past the last character (past the extension when there is one). */
  end: number;
  /** Extension digits ('123' for 'доб. 123'), null if none. */
  ext: string | null;
}

export interface ExtractOptions {
  /** Default region for numbers written without '+' / international prefix; null: only those are found. */
  region?: string | null;
}

export interface CappedOptions extends ExtractOptions {
  /** Most numbers to return; the finder's later matches are only counted (or not even that, see countRest). */
  limit: number;
  /** Count the finder's matches past the limit (false: stop at the limit, for callers that only sample). */
  countRest?: boolean;
}

export interface CappedPhones {
  /** The first `limit` numbers, as extractPhones gives them. */
  matches: PhoneMatch[];
  /**
   * Matches of the finder past the limit, not read further: counted before the post-filters, so a
   * few of them could be dates or codes those would have dropped. 0 when the limit was not reached
   * (or countRest was false).
   */
  skipped: number;
}

/** Fewest digits any number the finder could accept has (e.g. +290 Saint Helena: 3 + 4). */
const MIN_DIGITS = 5;

/** Counts ASCII, full-width, Arabic-Indic and Persian digits, stopping once `enough` are seen. */
export function hasDigits(text: string, enough: number): boolean {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (
      (c >= 48 && c <= 57) ||
      (c >= 0xff10 && c <= 0xff19) ||
      (c >= 0x0660 && c <= 0x0669) ||
      (c >= 0x06f0 && c <= 0x06f9)
    ) {
      if (++n >= enough) return true;
    }
  }
  return false;
}

/**
 * Extension words the finder does not parse: 'вн. 12', 'внутр. 7', 'доп. 3', 'ext 45' after a comma,
 * and any of them in brackets ('(доб. 204)'). Group 1: the opening bracket, 2: the digits, 3: the
 * closing bracket.
 */
const EXTRA_EXTENSION =
  /^[\s,;]*(\(\s*)?(?:вн(?:утр(?:енний)?)?|доп|доб(?:авочный)?|ext(?:ension)?)\s*[.:]?\s*(\d{1,7})(?!\d)(\s*\))?/iu;

const LETTER = /\p{L}/u;
/** A '+' with a digit right after it (or after an opening bracket or a separator). */
const PLUS_NUMBER = /\+[\s(\-.]{0,2}\d/;

/**
 * True when a match starting at `start` is the tail of a longer digit sequence that the finder
 * rejected as a whole and then searched inside: a digit and one joining character ('-', '.', '/',
 * '_') right before it ('IMG_20220312_140533', '01.01.2020-31.12.2021'). After a space only when
 * the group before it looks like the head of the same number: it starts with a trunk '0'
 * ('0151 23456789' under SE gave +46 23456789), continues a chain of groups ('4711 0815 2345 678'),
 * or has 3+ digits glued to a letter ('Model4711 2345678'); so 'кв. 123 89281234567' and
 * 'с 9 до 18 89281234567' keep their number.
 */
function isTail(masked: string, start: number): boolean {
  if (start < 2 || !isDigit(masked.charCodeAt(start - 2))) return false;
  const sep = masked.charCodeAt(start - 1);
  if (sep === 45 || sep === 46 || sep === 47 || sep === 95) return true;
  if (sep !== 32 && sep !== 9) return false;
  let g = start - 2;
  while (g >= 0 && isDigit(masked.charCodeAt(g))) g--;
  const digits = start - 2 - g;
  if (digits >= 2 && masked.charCodeAt(g + 1) === 48) return true;
  if (g < 0) return false;
  const before = masked[g]!;
  if (LETTER.test(before)) return digits >= 3;
  return /[\s\-./_]/.test(before) && g >= 1 && isDigit(masked.charCodeAt(g - 1));
}

/**
 * Same-length: digits outside '+' numbers become spaces. Without a region only those can be read;
 * the finder would otherwise try every date, price and national number and fail on each (with a
 * thrown and caught error apiece, its costliest path). A '+' number runs over digits with at
 * most two separators (space, '(', ')', '-', '.', '/') between them.
 */
function onlyPlusNumbers(dialled: string): string {
  let out = '';
  let from = 0;
  let i = 0;
  const n = dialled.length;
  while (i < n) {
    const c = dialled.charCodeAt(i);
    if (c === 43 /* + */) {
      // Keep the number: digits, and runs of up to two separators followed by a digit.
      let j = i + 1;
      for (;;) {
        let k = j;
        while (k < n && k - j < 3 && isSeparator(dialled.charCodeAt(k))) k++;
        if (k < n && isDigit(dialled.charCodeAt(k)) && k - j <= 2) {
          j = k;
          while (j < n && isDigit(dialled.charCodeAt(j))) j++;
        } else break;
      }
      i = j;
      continue;
    }
    if (isDigit(c)) {
      let j = i;
      while (j < n && isDigit(dialled.charCodeAt(j))) j++;
      out += dialled.slice(from, i) + ' '.repeat(j - i);
      from = j;
      i = j;
      continue;
    }
    i++;
  }
  return from === 0 ? dialled : out + dialled.slice(from);
}


/** Opening brackets the finder may start a match with, and their closing partners. */
const CLOSING: Readonly<Record<string, string>> = { '(': ')', '[': ']' };

/**
 * Unformatted national digit runs of 13+ digits ('4951234567891', '89161234567890123') are order,
 * transaction or account numbers even when some region's patterns accept them (DE allows up to 15
 * digits); nobody writes a phone as one 13-digit block without '+'.
 */
const LONG_RUN = /^\d{13,}$/;

/**
 * Finds phone numbers in `text`. Offsets are UTF-16 offsets into `text` as given; `raw` is
 * `text.slice(start, end)`. Without a region only numbers written with '+', '00' or '8 10' are
 * found. Throws a RangeError for an unknown region.
 */
export function extractPhones(text: string, options: ExtractOptions = {}): PhoneMatch[] {
  return scan(text, options.region, Infinity, false).matches;
}

/**
 * extractPhones with at most `limit` numbers. One message can hold millions of phone-like digit
 * groups (a 50 MB message of them held ingest 600 s at 3 GB): every match becomes an object, a row
 * and an index entry. Past the limit the finder's matches are only counted, so the work stays
 * linear in the text and memory stays bounded by the limit.
 */
export function extractPhonesCapped(text: string, options: CappedOptions): CappedPhones {
  return scan(text, options.region, options.limit, options.countRest !== false);
}

function scan(text: string, regionOption: string | null | undefined, limit: number, countRest: boolean): CappedPhones {
  const region = toRegion(regionOption);
  const none: CappedPhones = { matches: [], skipped: 0 };
  if (!hasDigits(text, MIN_DIGITS)) return none;

  const masked = maskText(text);
  const { text: rewritten, prefixStart } = rewriteIddInText(separateGluedWords(masked), region);
  const dialled = breakLists(rewriteChatLinks(rewritten, prefixStart));
  // Without a region only '+' numbers (written or rewritten from '00', '8 10', links) can come out:
  // without one the finder would still try, and fail on, every other digit run.
  if (region === null && !PLUS_NUMBER.test(dialled)) return none;
  // The finder as an iterator: its matches are never all held at once.
  const found = searchPhoneNumbersInText(region ? dialled : onlyPlusNumbers(dialled), region ? { defaultCountry: region } : {});

  const regionCode = region ? getCountryCallingCode(region) : null;
  let spans: Span[] | null = null;
  const out: PhoneMatch[] = [];
  let skipped = 0;
  let lastEnd = -1;
  for (const { number, startsAt, endsAt } of found) {
    if (out.length >= limit) {
      if (!countRest) break;
      skipped++;
      continue;
    }
    // The finder may start a match at an opening bracket: '(495) 123…' (kept) or '(+7 928…)',
    // '[+7928…]' (a bracket not closed inside the match is dropped from it).
    let lead = startsAt;
    while (lead < endsAt && (CLOSING[dialled[lead]!] !== undefined || dialled.charCodeAt(lead) === 32)) lead++;
    let first = startsAt;
    while (first < lead) {
      const closer = CLOSING[dialled[first]!];
      const at = closer === undefined ? -1 : dialled.indexOf(closer, first);
      if (at >= 0 && at < endsAt) break;
      first++;
    }
    const international = dialled.charCodeAt(lead) === 43; // '+', written or synthesized
    const start = prefixStart.get(lead) ?? first;
    let end = endsAt;
    const written = dialled.slice(startsAt, endsAt);

    if (!international && LONG_RUN.test(written)) continue;
    if (!international && start - 1 !== lastEnd && isTail(masked, start)) {
      spans ??= nonPhoneSpans(masked);
      if (!spans.some((s) => s.end === start - 1)) continue;
    }
    if (identifierBefore(masked, start, end)) continue;
    spans ??= nonPhoneSpans(masked);
    if (overlapping(spans, start, end)) continue;

    let ext = number.ext ?? null;
    if (ext === null) {
      const m = EXTRA_EXTENSION.exec(masked.slice(end, end + 28));
      if (m) {
        ext = m[2] ?? null;
        // A closing bracket belongs to the extension only when it opened it.
        end += m[0].length - (m[1] === undefined ? (m[3]?.length ?? 0) : 0);
      }
    }
    // regionUsed: null when written with '+'/'00'/'8 10', or when the region's own international
    // prefix was dialled (e.g. '011 49…' with US: another calling code than the region's).
    const regionUsed = international || number.countryCallingCode !== regionCode ? null : region;
    out.push(matchOf(number, text.slice(start, end), regionUsed, start, end, ext));
    lastEnd = end;
  }
  return { matches: out, skipped };
}
