// What threatlens says about one phone number: the PhoneFact built from a libphonenumber-js PhoneNumber.
import {
  validatePhoneNumberLength,
  type PhoneNumber,
  type PhoneNumberType,
} from './lib.js';
import { candidateRegions } from './countries.js';

// The shape lives in the model: phone summaries, listings and stored sightings share it.
export type { PhoneFact } from '../model.js';
import type { PhoneFact } from '../model.js';

const TYPE_NAMES: Readonly<Record<PhoneNumberType, string>> = {
  MOBILE: 'mobile',
  FIXED_LINE: 'fixed-line',
  FIXED_LINE_OR_MOBILE: 'fixed-line-or-mobile',
  TOLL_FREE: 'toll-free',
  PREMIUM_RATE: 'premium-rate',
  SHARED_COST: 'shared-cost',
  VOIP: 'voip',
  PERSONAL_NUMBER: 'personal',
  PAGER: 'pager',
  UAN: 'uan',
  VOICEMAIL: 'voicemail',
};

const LENGTH_REASONS: Readonly<Record<string, string>> = {
  TOO_SHORT: 'too short',
  TOO_LONG: 'too long',
  INVALID_LENGTH: 'invalid length',
  INVALID_COUNTRY: 'invalid country code',
  NOT_A_NUMBER: 'not a number',
};

/** A libphonenumber-js length verdict as a PhoneFact reason. */
export function lengthReason(code: string | undefined): string | null {
  return code === undefined ? null : (LENGTH_REASONS[code] ?? code.toLowerCase().replace(/_/g, ' '));
}

/** What a number is, whoever wrote it where: a PhoneFact without `raw` and `regionUsed`. */
export type NumberPart = Omit<PhoneFact, 'raw' | 'regionUsed'>;

/** Facts that depend on the number only, cached: chats repeat the same few numbers. */
const cache = new Map<string, NumberPart>();
const CACHE_LIMIT = 65_536;

const noExtension = (formatted: string): string => formatted;

function numberPart(number: PhoneNumber): NumberPart {
  const key = `${number.number}|${number.country ?? ''}`;
  const hit = cache.get(key);
  if (hit) return hit;
  // With max metadata every region has type patterns, so isValid() is "getType() is defined";
  // ask isValid() only when there is no type, to avoid matching the patterns twice.
  const type = number.getType();
  const valid = type !== undefined || number.isValid();
  const possible = number.isPossible();
  const part: NumberPart = {
    e164: number.number,
    country: number.country ?? null,
    countries: candidateRegions(number),
    type: type ? TYPE_NAMES[type] : null,
    valid,
    possible,
    reason: valid
      ? 'valid pattern'
      : (lengthReason(validatePhoneNumberLength(number.number)) ?? 'no pattern matches'),
    national: number.formatNational({ formatExtension: noExtension }),
    international: number.formatInternational({ formatExtension: noExtension }),
  };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, part);
  return part;
}

/** Empties the cache of number facts (benchmarks measure one cold pass, as one ingest is). */
export function clearFactCache(): void {
  cache.clear();
}

/**
 * The PhoneFact of a parsed number. Arrays are copied so callers may mutate what they get. (Numbers
 * found in text, the hot path, are built by matchOf in one literal instead.)
 */
export function factOf(number: PhoneNumber, raw: string, regionUsed: string | null): PhoneFact {
  const part = numberPart(number);
  return { ...part, countries: [...part.countries], raw, regionUsed };
}

/**
 * factOf with where the number stands in its text (a PhoneMatch of extract.ts), built in one
 * literal: spreading the cached facts and then the match was a tenth of extraction's time.
 */
export function matchOf(
  number: PhoneNumber,
  raw: string,
  regionUsed: string | null,
  start: number,
  end: number,
  ext: string | null,
): PhoneFact & { start: number; end: number; ext: string | null } {
  return matchOfPart(numberPart(number), raw, regionUsed, start, end, ext);
}

/** matchOf from the number's facts already known (as another thread found them). */
export function matchOfPart(
  p: NumberPart,
  raw: string,
  regionUsed: string | null,
  start: number,
  end: number,
  ext: string | null,
): PhoneFact & { start: number; end: number; ext: string | null } {
  return {
    e164: p.e164,
    country: p.country,
    countries: p.countries.slice(),
    type: p.type,
    valid: p.valid,
    possible: p.possible,
    reason: p.reason,
    national: p.national,
    international: p.international,
    raw,
    regionUsed,
    start,
    end,
    ext,
  };
}
