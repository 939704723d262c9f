// Text an investigator types or pipes into `threatlens phones`: the numbers extractPhones finds,
// plus what it leaves unsaid. Extraction is strict (only numbers matching a pattern come out), which
// is right for chats but hides why a typed number gave nothing: '+7 123 456 78 90' (no pattern
// matches) or '+7 928 123' (too short) are reported here with valid: false and the reason when they
// are all the line holds, and national numbers that could not be read for want of a region are
// counted for a hint.
import { extractPhones, type PhoneMatch } from './extract.js';
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

/** Reads one line of typed or piped text (see the file comment). Throws a RangeError for an unknown region. */
export function readTypedText(text: string, options: TypedOptions): TypedReading {
  const region = toRegion(options.region);
  const matches = extractPhones(text, { region });
  const masked = maskText(text);
  let unreadNational = 0;
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
    if (matches.some((f) => f.start < end && start < f.end)) continue;
    spans ??= nonPhoneSpans(masked);
    if (overlapping(spans, start, end) || identifierBefore(masked, start, end)) continue;
    const raw = text.slice(start, end);
    if (!international && region === null) {
      unreadNational++;
      continue;
    }
    if (!options.reportInvalid || text.trim() !== raw) continue;
    const fact = normalizePhone(raw, { region });
    if (fact !== null && !fact.valid) matches.push({ ...fact, start, end, ext: null });
  }
  matches.sort((a, b) => a.start - b.start);
  return { matches, unreadNational };
}
