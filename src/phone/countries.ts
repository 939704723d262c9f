// Regions (ISO 3166-1 alpha-2 codes as libphonenumber-js knows them): validating a --region value,
// and which regions a number may belong to when several share its country calling code.
import { getCountries, getCountryCallingCode, type CountryCode, type PhoneNumber } from './lib.js';
import { NUMBERING_PLAN_REGIONS } from './regions.js';

/**
 * Codes people write for a country that ISO 3166-1 spells otherwise (the EU writes EL for Greece,
 * everyone writes UK for the United Kingdom), with the code they mean.
 */
const MISTAKEN: Readonly<Record<string, string>> = {
  UK: 'the United Kingdom is GB',
  EL: 'Greece is GR',
};

export interface RegionProblem {
  /** What is wrong with the value: 'not a two-letter country code', … */
  problem: string;
  /** What to write instead. */
  hint: string;
}

/**
 * Why `value` cannot be a default region, or null when it can: a two-letter ISO 3166-1 code that
 * libphonenumber-js has numbering metadata for (any case). The one check behind --region (every
 * command that takes it) and the "region" of a threatlens.json, so all of them say the same thing.
 */
export function regionProblem(value: string): RegionProblem | null {
  const code = value.trim().toUpperCase();
  const hint = 'give a two-letter ISO 3166-1 country code, for example RU, KZ, DE or GB';
  if (!/^[A-Z]{2}$/.test(code)) return { problem: 'not a two-letter country code', hint };
  if (NUMBERING_PLAN_REGIONS.has(code)) return null;
  return { problem: 'not a country code with a phone numbering plan (ISO 3166-1 alpha-2)', hint: MISTAKEN[code] ?? hint };
}

/**
 * A region code for parsing national numbers, or null for "none". Accepts any case ('ru' → 'RU').
 * Throws a RangeError for codes libphonenumber-js does not know, so a mistyped region fails loudly
 * instead of silently reading numbers with no default region. The command line checks --region with
 * regionProblem before any work, so this throwing there is a bug.
 */
let lastRegion: { given: string; code: CountryCode } | null = null;

export function toRegion(region: string | null | undefined): CountryCode | null {
  if (region == null) return null;
  if (lastRegion !== null && lastRegion.given === region) return lastRegion.code; // called per message
  if (region.trim() === '') return null;
  const problem = regionProblem(region);
  if (problem !== null) throw new RangeError(`unknown region "${region}": ${problem.problem}; ${problem.hint}`);
  const code = region.trim().toUpperCase() as CountryCode;
  lastRegion = { given: region, code };
  return code;
}

let byCallingCode: Map<string, CountryCode[]> | null = null;

/** All regions that use a country calling code ('44' → GB, GG, IM, JE). */
export function regionsForCallingCode(callingCode: string): CountryCode[] {
  if (!byCallingCode) {
    byCallingCode = new Map();
    for (const country of getCountries()) {
      const cc = getCountryCallingCode(country);
      const list = byCallingCode.get(cc);
      if (list) list.push(country);
      else byCallingCode.set(cc, [country]);
    }
  }
  return byCallingCode.get(callingCode) ?? [];
}

/**
 * Territories whose numbers are part of another country's national numbering plan: allocated by
 * that country's regulator, dialled from it as domestic numbers with its trunk prefix, and often
 * labelled with its name by people and phone books. libphonenumber-js names the territory (GG for
 * +44 7911 1…), which is the more precise answer, so the parent is only added after it as a further
 * candidate in `countries`, never put in `country`.
 *
 * Deliberately NOT listed: KZ under +7 (its own regulator and plan; RU and KZ ranges are disjoint),
 * and NANP members under +1 (separate countries that share a plan; US ≠ CA).
 */
const PLAN_PARENT: Readonly<Record<string, CountryCode>> = {
  GG: 'GB', // Guernsey: UK plan (Ofcom)
  JE: 'GB', // Jersey
  IM: 'GB', // Isle of Man
  AX: 'FI', // Åland: Finnish plan
  SJ: 'NO', // Svalbard and Jan Mayen: Norwegian plan
  VA: 'IT', // Vatican: Rome 06 698 numbers in the Italian plan
  CC: 'AU', // Cocos (Keeling) Islands: Australian plan
  CX: 'AU', // Christmas Island
};

/**
 * Candidate regions for a parsed number, most specific first:
 * 1. the region libphonenumber-js picked (`number.country`), when it picked one;
 * 2. every other region sharing the calling code whose number patterns the number matches
 *    (checked region by region, e.g. a NANP toll-free +1 800 number matches US, CA and the rest);
 * 3. when no region's patterns match (invalid numbers): the regions where the length is possible,
 *    as libphonenumber-js's `getPossibleCountries()` reports them;
 * 4. the numbering-plan parent of a territory (GG → GB), see PLAN_PARENT.
 */
export function candidateRegions(number: PhoneNumber): string[] {
  const regions = regionsForCallingCode(number.countryCallingCode);
  const out: string[] = [];
  const add = (r: string | undefined): void => {
    if (r && !out.includes(r)) out.push(r);
  };
  add(number.country);
  if (regions.length > 1) {
    // Setting `country` re-targets isValid() to that region's patterns; restored right after
    // (synchronous, so nobody sees the number with a borrowed country).
    const picked = number.country;
    try {
      for (const region of regions) {
        if (region === picked) continue;
        number.country = region;
        if (number.isValid()) add(region);
      }
    } finally {
      number.country = picked;
    }
  } else {
    add(regions[0]);
  }
  if (out.length === 0) for (const r of number.getPossibleCountries()) add(r);
  for (const r of [...out]) add(PLAN_PARENT[r]);
  return out;
}
