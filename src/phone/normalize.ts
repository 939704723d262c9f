// One phone number string → PhoneFact, and "is this display name a phone number?".
//
// Lookups (`messages --phone`, sender matching) should compare E.164 on both sides: run the
// investigator's input through normalizePhone with the case's region and compare with the stored
// `phones` / `SenderRef.phone`, which were produced the same way. No digit-variant guessing.
import {
  getCountryCallingCode,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
  type CountryCode,
  type PhoneNumber,
} from './lib.js';
import { cleanValue, rewriteIddInValue } from './prepare.js';
import { factOf, lengthReason, type PhoneFact } from './fact.js';
import { toRegion } from './countries.js';

export interface NormalizeOptions {
  /** Default region for numbers written without '+' or an international prefix (ISO code, any case). */
  region?: string | null;
}

/**
 * Extension written after a number: "доб. 123", "вн. 12", "внутр. 7", "ext. 45", "x45", "#45".
 * libphonenumber-js knows some of these (доб, ext, x) but not "вн"/"внутр"/"доп", so they are split
 * off here before parsing.
 */
const EXTENSION_TAIL =
  /[\s,;]*(?:доб(?:авочный)?|доп|вн(?:утр(?:енний)?)?|ext(?:ension)?|x|#)\s*[.:]?\s*(\d{1,7})\s*$/iu;

/** Splits "number доб. 123" into the number and '123'. */
export function splitExtension(value: string): { body: string; ext: string | null } {
  const m = EXTENSION_TAIL.exec(value);
  if (!m || m.index === 0) return { body: value, ext: null };
  return { body: value.slice(0, m.index), ext: m[1] ?? null };
}

/**
 * RFC 3966 `tel:` URI → plain number and extension. A local number with a global
 * `phone-context=+…` gets the context digits in front, as the RFC says.
 */
function fromTelUri(value: string): { body: string; ext: string | null } | null {
  if (!/^tel:/i.test(value)) return null;
  let rest = value.slice(4);
  try {
    rest = decodeURIComponent(rest);
  } catch {
    // keep undecoded
  }
  const [number = '', ...params] = rest.split(';');
  let ext: string | null = null;
  let context: string | null = null;
  for (const p of params) {
    const [k = '', v = ''] = p.split('=');
    if (k.toLowerCase() === 'ext' && /^\d+$/.test(v)) ext = v;
    if (k.toLowerCase() === 'phone-context' && v.startsWith('+')) context = v;
  }
  const body = context && !number.startsWith('+') ? `${context}${number}` : number;
  return { body: body.trim(), ext };
}

/** A cleaned value → what libphonenumber-js should parse, and whether it was written internationally. */
function readable(
  raw: string,
  region: CountryCode | null,
): { input: string; international: boolean } | null {
  const cleaned = cleanValue(raw);
  if (!cleaned) return null;
  // The extension is not part of a PhoneFact (extractPhones reports it); it is only split off so
  // that words libphonenumber-js does not know ('вн. 12') do not stop the parse.
  const value = (fromTelUri(cleaned) ?? splitExtension(cleaned)).body.trim();
  // '+' before the first digit, possibly after a label ('Tel +49…').
  if (/^[^\d]*\+/.test(value)) return { input: value, international: true };
  const viaIdd = rewriteIddInValue(value, region);
  if (viaIdd) return { input: viaIdd, international: true };
  return { input: value, international: false };
}

function parse(input: string, region: CountryCode | null): PhoneNumber | undefined {
  const options = { defaultCountry: region ?? undefined };
  // Strict first: the whole string must be the number. Then, for strings with a label
  // ("моб.: 8 928…", "Tel +49…"), libphonenumber-js's own extraction.
  return (
    parsePhoneNumberFromString(input, { ...options, extract: false }) ??
    (/\p{L}/u.test(input) ? parsePhoneNumberFromString(input, options) : undefined)
  );
}

/**
 * Parses one number as written (a sender, a contact card, a vCard TEL or tel: URI, a CLI argument).
 *
 * - '+…', '00…' and the Soviet-era '8 10 …' are international and never depend on `region`
 *   ('8 10' only counts as a prefix where people dial it, or when written apart, see prepare.ts);
 * - anything else is read as a national number of `region` (RU: trunk '8', bare 10 digits,
 *   '7 912…'); a KZ number read with region RU comes out as KZ;
 * - without `region`, a national number cannot be read: returns null.
 *
 * Returns null when the string holds no number at all. Numbers that do not match a pattern are
 * still returned with `valid: false` and a `reason`; a '+' number with an unknown country code is
 * returned as '+digits' with reason 'invalid country code'. Throws a RangeError for an unknown region.
 */
export function normalizePhone(raw: string, options: NormalizeOptions = {}): PhoneFact | null {
  const region = toRegion(options.region);
  const read = readable(raw, region);
  if (!read) return null;
  if (!read.international && region === null) return null;
  const number = parse(read.input, read.international ? null : region);
  if (number) {
    const regionUsed =
      read.international || number.countryCallingCode !== callingCodeOf(region) ? null : region;
    return factOf(number, raw, regionUsed);
  }
  // libphonenumber-js gave up; say why when the number was written internationally.
  if (!read.international) return null;
  const digits = read.input.replace(/\D/g, '');
  if (digits.length < 3 || /[^\d\s().\-/+]/.test(read.input)) return null;
  const reason = lengthReason(validatePhoneNumberLength(read.input)) ?? 'no pattern matches';
  const e164 = `+${digits}`;
  return {
    e164,
    country: null,
    countries: [],
    type: null,
    valid: false,
    possible: false,
    reason,
    national: e164,
    international: e164,
    raw,
    regionUsed: null,
  };
}

function callingCodeOf(region: CountryCode | null): string | null {
  return region ? getCountryCallingCode(region) : null;
}

/** Dates and times that are shaped like digit groups but are not numbers anyone dials. */
const DATE_OR_TIME = /^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$|^\d{1,2}:\d{2}/;

/**
 * True when a display name or sender is a phone number rather than a name: WhatsApp shows unsaved
 * contacts as '+7 912 345-67-89', often wrapped in bidi marks ('‪+49 1512 3456789‬'), sometimes
 * with a '~' push-name prefix. Shape only (digits, '+', spaces, - ( ) . /, 7–15 digits); it does
 * not check the number is valid — normalizePhone does that.
 */
export function looksLikePhone(name: string): boolean {
  let s = cleanValue(name);
  if (s.startsWith('~')) s = s.slice(1).trim();
  if (!/^\+?[\d\s().\-/]+$/.test(s) || !/^\+?\(?\d/.test(s)) return false;
  if (DATE_OR_TIME.test(s)) return false;
  const digits = s.replace(/\D/g, '').length;
  return digits >= 7 && digits <= 15;
}
