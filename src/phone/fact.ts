// What threatlens says about one phone number: the PhoneFact built from a libphonenumber-js PhoneNumber.
import {
  validatePhoneNumberLength,
  type PhoneNumber,
  type PhoneNumberType,
} from './lib.js';
import { candidateRegions } from './countries.js';

export interface PhoneFact {
  /** E.164 without extension: '+79281234567'. */
  e164: string;
  /** The region libphonenumber-js picks (most specific allocation: GG for +44 7911 1…), null if none. */
  country: string | null;
  /**
   * Every region the number may belong to, most specific first: the picked region, other regions
   * sharing the calling code whose patterns match, and a territory's numbering-plan parent
   * (['GG', 'GB']). For numbers that match no pattern: the regions where the length is possible.
   */
  countries: string[];
  /** 'mobile' | 'fixed-line' | 'fixed-line-or-mobile' | 'toll-free' | 'premium-rate' | 'voip' | 'personal' | 'pager' | 'uan' | 'voicemail' | 'shared-cost' | null. */
  type: string | null;
  /** The digits match a number pattern of the region ("valid pattern"). NOT proof that the number exists or is assigned. */
  valid: boolean;
  /** The length is possible for the region. */
  possible: boolean;
  /** 'valid pattern' | 'too short' | 'too long' | 'invalid length' | 'invalid country code' | 'no pattern matches'. */
  reason: string;
  /** National format, '8 (928) 123-45-67'. */
  national: string;
  /** International format, '+7 928 123 45 67'. */
  international: string;
  /** Exactly as written (extension included when it was written). */
  raw: string;
  /** Default region used to read a number written without '+' / international prefix; null when it had one. */
  regionUsed: string | null;
}

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

type NumberPart = Omit<PhoneFact, 'raw' | 'regionUsed'>;

/** Facts that depend on the number only, cached: chats repeat the same few numbers. */
const cache = new Map<string, NumberPart>();
const CACHE_LIMIT = 20_000;

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

/** The PhoneFact of a parsed number. Arrays are copied so callers may mutate what they get. */
export function factOf(number: PhoneNumber, raw: string, regionUsed: string | null): PhoneFact {
  const part = numberPart(number);
  return { ...part, countries: [...part.countries], raw, regionUsed };
}
