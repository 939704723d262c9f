// Character-level preparation before libphonenumber-js sees anything.
//
// Two flavours:
// - cleanValue(raw): one number string (a sender, a vCard TEL, a CLI argument). NFKC first, so the
//   full-width plus '＋' and full-width digits become ASCII (libphonenumber-js does not read '＋' as
//   '+': with default DE, '＋7 912…' would become the "valid" German +4979123456789), then invisible
//   marks removed, odd spaces made plain, Persian/Arabic-Indic digits made ASCII.
// - maskText(text): the same for a whole message, but length-preserving (every UTF-16 unit maps to
//   exactly one unit), so offsets found in the mask are offsets in the original text.
// Then, for the finder only (also length-preserving): letters glued to numbers separated, '+' put
// into click-to-chat links, the international-access-prefix rewrites (`00…`, Soviet-era `8 10…`,
// also for single values), and list separators turned into line breaks.
import { getCountries, getCountryCallingCode, type CountryCode } from './lib.js';
import { asciiDigits, plainSpaces, stripInvisible } from '../util/text.js';

/** NFKC, invisible marks stripped, plain spaces, ASCII digits, trimmed. */
export function cleanValue(raw: string): string {
  return asciiDigits(plainSpaces(stripInvisible(raw.normalize('NFKC')))).trim();
}

/**
 * Characters the mask has to touch: full-width ASCII forms, Arabic-Indic and Persian digits,
 * invisible format marks, non-ASCII spaces. All are single UTF-16 units.
 */
const MASK_TRIGGER = /[\uFF01-\uFF5E\u0660-\u0669\u06F0-\u06F9\u061C\u00A0\u2000-\u200F\u202A-\u202F\u205F-\u2064\u2066-\u2069\u3000\uFEFF]/g;

function maskChar(c: string): string {
  // Same transformations as cleanValue, one character at a time; a removed mark becomes a space.
  const t = cleanValue(c);
  return t.length === 1 ? t : ' ';
}

/** Length-preserving cleaned copy of `text` (see the file comment). */
export function maskText(text: string): string {
  MASK_TRIGGER.lastIndex = 0;
  return MASK_TRIGGER.test(text) ? text.replace(MASK_TRIGGER, maskChar) : text;
}

/**
 * A word directly before a number ("Handy0151 2345…", "Vasya8928…", "tel+7916…", "GSM0470…").
 * The finder refuses a number right after a Latin letter (its guard against model numbers and ids)
 * and then reads only the part after the first space, so "Handy0151 23456789" came out as the
 * German +49 23456789. A word touching a number separates from it in any language, so the word's
 * last letter becomes a space for the finder; the masked text (for identifier words) keeps it.
 * Only words of 2+ letters that do not follow a digit: in codes such as 'R58N123456789' or
 * 'SM-G991B' letters and digits alternate, and the finder's guard stays. No word lists.
 */
const NON_ASCII_LETTER = /\p{L}/u;

function isLetterAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return ((c | 32) >= 97 && (c | 32) <= 122);
  return NON_ASCII_LETTER.test(text[i]!);
}

/**
 * Same-length: the last letter of every word touching a number becomes a space (see above). A
 * plain scan from each digit backwards (a regex lookbehind over the word was the costliest step
 * of extraction).
 */
export function separateGluedWords(masked: string): string {
  let blank: number[] | null = null;
  for (let i = 1; i < masked.length; i++) {
    const c = masked.charCodeAt(i);
    if (c < 48 || c > 57) continue;
    let j = i - 1;
    const before = masked.charCodeAt(j);
    if (before >= 48 && before <= 57) continue;
    if (before === 43 || before === 40) j--; // 'tel+7…', 'tel(495)…'
    if (j < 1 || !isLetterAt(masked, j) || !isLetterAt(masked, j - 1)) continue;
    let start = j - 1;
    while (start > 0 && isLetterAt(masked, start - 1)) start--;
    const prev = start > 0 ? masked.charCodeAt(start - 1) : 0;
    if (prev >= 48 && prev <= 57) continue; // letters between digits: a code ('R58N123…')
    (blank ??= []).push(j);
  }
  if (blank === null) return masked;
  let out = '';
  let from = 0;
  for (const at of blank) {
    out += `${masked.slice(from, at)} `;
    from = at + 1;
  }
  return out + masked.slice(from);
}

/**
 * Links that carry an international number without '+': `wa.me/79281234567`,
 * `api.whatsapp.com/send?phone=79281234567` (WhatsApp click-to-chat, always the full international
 * number). Group 1 is the character that becomes the '+'.
 */
const CHAT_LINK = /(?:\bwa\.me(\/)|whatsapp\.com\/send\/?\?(?:[^\s#]*?&)?phone(=))(?=[1-9]\d{6,14}(?!\d))/giu;

/**
 * Same-length: in click-to-chat links the '/' or '=' before the number becomes '+', so the number
 * is read internationally under any region. Records, for each synthesized '+', where the written
 * number starts (right after it) in `prefixStart`.
 */
export function rewriteChatLinks(text: string, prefixStart: Map<number, number>): string {
  if (!text.includes('wa.me') && !/whatsapp\.com/i.test(text)) return text;
  CHAT_LINK.lastIndex = 0;
  return text.replace(CHAT_LINK, (m: string, slash: string | undefined, equals: string | undefined, offset: number) => {
    const at = offset + m.length - 1;
    prefixStart.set(at, at + 1);
    return `${m.slice(0, -1)}+`;
  });
}

// ---------------------------------------------------------------------------------------------
// International access prefixes

/** Regions where the Soviet-era `8 10` prefix is (or was) how people write an international call. */
const EX_SOVIET = new Set(['RU', 'KZ', 'BY', 'UA', 'UZ', 'KG', 'TJ', 'TM', 'AZ', 'AM', 'GE', 'MD']);

let callingCodes: Set<string> | null = null;
/** Non-geographic calling codes (+800 freephone, +882/+883 networks, +979 premium …). */
const NON_GEOGRAPHIC = ['800', '808', '870', '878', '881', '882', '883', '888', '979'];

/** True when `digits` starts with an assigned country calling code. */
function startsWithCallingCode(digits: string): boolean {
  if (!callingCodes) {
    callingCodes = new Set(NON_GEOGRAPHIC);
    for (const c of getCountries()) callingCodes.add(getCountryCallingCode(c));
  }
  for (let n = 1; n <= 3 && n <= digits.length; n++) if (callingCodes.has(digits.slice(0, n))) return true;
  return false;
}

/**
 * `00` (not preceded by a digit, '+', a Latin letter, number punctuation, or a digit and one or
 * two separators — so '… 123 00 12' and '8 (495) 001-…' inside a number are left alone) or `8 10` / `8-10` /
 * `8~10` / `8 (10)` / `810`, then optional separators, then a digit. Group 1 is set for the 8-10 forms,
 * group 2 holds the separator inside them (empty for a bare `810`).
 */
const IDD = /(?<![\dA-Za-z+.,:/\\_-])(?<!\d[ \-.()]{1,2})(?:00|(8([ \-~]*)\(?10\)?))[ \-~]*(?=[1-9])/g;

function acceptIdd(
  eightTen: string | undefined,
  separator: string | undefined,
  region: CountryCode | null,
  following: string,
): boolean {
  if (!startsWithCallingCode(following)) return false;
  if (eightTen === undefined) return true; // 00
  // A bare "810…" is an area code in NANP and a possible national start elsewhere: only where
  // people dial 8-10 (or when no region is set). Written apart ("8 10", "8-10") it is unambiguous.
  return region === null || EX_SOVIET.has(region) || (separator !== undefined && separator !== '');
}

/**
 * Rewrites international access prefixes in a masked text to '+', length-preserving: the prefix and
 * its separators become spaces and a '+' sits just before the country code
 * ("0049 30…" → " +49 30…", "8 10 49…" → "    +49…"). Returns the new text and, for each
 * synthesized '+', where the written prefix began (so a match can start there).
 */
export function rewriteIddInText(
  masked: string,
  region: CountryCode | null,
): { text: string; prefixStart: Map<number, number> } {
  const prefixStart = new Map<number, number>();
  if (!masked.includes('00') && !masked.includes('10')) return { text: masked, prefixStart };
  IDD.lastIndex = 0;
  const text = masked.replace(IDD, (m: string, eightTen: string | undefined, sep: string | undefined, offset: number) => {
    const following = masked.slice(offset + m.length, offset + m.length + 8).replace(/\D/g, '');
    if (!acceptIdd(eightTen, sep, region, following)) return m;
    prefixStart.set(offset + m.length - 1, offset);
    return `${' '.repeat(m.length - 1)}+`;
  });
  return { text, prefixStart };
}

/** The same rewrite for one cleaned value, anchored at its start: returns '+…' or null. */
export function rewriteIddInValue(value: string, region: CountryCode | null): string | null {
  IDD.lastIndex = 0;
  const m = IDD.exec(value);
  if (!m || m.index !== 0) return null;
  const rest = value.slice(m[0].length);
  return acceptIdd(m[1], m[2], region, rest.replace(/\D/g, '').slice(0, 3)) ? `+${rest}` : null;
}

/**
 * libphonenumber-js reads ',' and ';' after a number as dialler pauses, i.e. an extension
 * ('89281234567,89161234567' → ext 891612345, the second number lost). In chat text a comma or
 * semicolon between digits separates a list of numbers, so for the finder it becomes a line break
 * (which ends a candidate); a double comma (',,123', a real pause) and labelled extensions are kept.
 */
// The separator is matched first and the digit before it checked by a lookbehind after it, so the
// regex engine only stops at ',' and ';' (a leading lookbehind is tried at every position).
const LIST_SEPARATOR = /[,;](?<=\d[ \t]*[,;])(?!,)(?=[ \t]*[+(]?\d)/g;

/** Same-length: list separators between numbers become '\n' (see LIST_SEPARATOR). */
export function breakLists(text: string): string {
  if (!text.includes(',') && !text.includes(';')) return text;
  return text.replace(LIST_SEPARATOR, '\n');
}
