// Text an investigator types or pipes into `threatlens phones`: the numbers extractPhones finds,
// plus what it leaves unsaid. Extraction is strict (only numbers matching a pattern come out), which
// is right for chats but hides why a typed number gave nothing: '+7 123 456 78 90' (no pattern
// matches) or '+7 928 123' (too short) are reported here with valid: false and the reason when they
// are all the line holds, and national numbers that could not be read for want of a region are
// counted for a hint.
import { extractPhones, hasDigits, type PhoneMatch } from './extract.js';
import { normalizePhone } from './normalize.js';
import { maskText } from './prepare.js';
import { identifierBefore, nonPhoneSpans, overlapping } from './distractors.js';
import { toRegion } from './countries.js';

export interface TypedOptions {
  region?: string | null;
  /**
   * Report a number-shaped run that is not a valid number (with valid: false and the reason) when it
   * is all the text holds (surrounding blanks aside): one argument, or one line of a list. Inside
   * running text such a run is more often an id, a count or a time than a mistyped number, so
   * there, as in a chat, only valid numbers count.
   */
  reportInvalid: boolean;
}

export interface TypedReading {
  /** Found numbers, valid ones and (with reportInvalid) invalid ones, in text order. */
  matches: PhoneMatch[];
  /** Number-shaped runs written without '+'/'00' that were not read because no region was given. */
  unreadNational: number;
}

/**
 * A run shaped like a typed phone number: an optional '+', digits with spaces, '-', '.', '/' or
 * brackets between them, not glued to a letter or digit before it.
 */
const NUMBER_LIKE = /(?<![\p{L}\p{N}+])\+?\(?\d(?:[ \t().\-/]*\d)*/gu;
const INTERNATIONAL = /^(?:\+|00|8[ \-]?\(?10\)?)/;

const digitCount = (s: string): number => s.replace(/\D/g, '').length;

interface NumberRun {
  start: number;
  end: number;
  /** Written with '+', '00' or '8 10'. */
  international: boolean;
}

/**
 * The runs of `text` shaped like a phone number that extraction did not take (`taken`) and that are
 * not something else (a date, an amount, an id after ИНН or order #, a Unix time…, see
 * distractors.ts): 7–17 digits, or 5+ after '+', '00' or '8 10'.
 */
function untakenRuns(text: string, taken: readonly { start: number; end: number }[]): NumberRun[] {
  const masked = maskText(text);
  const out: NumberRun[] = [];
  let spans: ReturnType<typeof nonPhoneSpans> | null = null;
  NUMBER_LIKE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = NUMBER_LIKE.exec(masked)) !== null) {
    const start = m.index;
    const end = start + m[0].length;
    const digits = digitCount(m[0]);
    const international = INTERNATIONAL.test(m[0]);
    // Shorter runs are counts, house numbers and codes; a typed '+7 928 12' is still a number.
    if (digits < (international ? 5 : 7) || digits > 17) continue;
    if (taken.some((f) => f.start < end && start < f.end)) continue;
    spans ??= nonPhoneSpans(masked);
    if (overlapping(spans, start, end) || identifierBefore(masked, start, end)) continue;
    out.push({ start, end, international });
  }
  return out;
}

/** Reads one line of typed or piped text (see the file comment). Throws a RangeError for an unknown region. */
export function readTypedText(text: string, options: TypedOptions): TypedReading {
  const region = toRegion(options.region);
  const matches = extractPhones(text, { region });
  let unreadNational = 0;
  for (const { start, end, international } of untakenRuns(text, matches)) {
    if (!international && region === null) {
      unreadNational++;
      continue;
    }
    const raw = text.slice(start, end);
    if (!options.reportInvalid || text.trim() !== raw) continue;
    const fact = normalizePhone(raw, { region });
    if (fact !== null && !fact.valid) matches.push({ ...fact, start, end, ext: null });
  }
  matches.sort((a, b) => a.start - b.start);
  return { matches, unreadNational };
}

/**
 * How many numbers written without '+' ('8 (928) 123-45-67', '0151 23456789') `text` holds beside
 * the ones `found` in it: what a default region would have read. For exports without one, so that
 * they are warned about only when they hold such a number.
 */
export function countUnreadNational(text: string, found: readonly { start: number; end: number }[]): number {
  if (!hasDigits(text, 7)) return 0;
  let n = 0;
  for (const run of untakenRuns(text, found)) if (!run.international) n++;
  return n;
}
