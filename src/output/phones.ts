import type { PhoneSummary } from '../model.js';
import type { FoundPhone } from '../app/phones.js';
import type { Listing } from './listing.js';

const day = (iso: string | null): string => (iso ? iso.slice(0, 10) : '');

/**
 * One line saying how an export's numbers written without + were read: 'phone region RU (--region)',
 * 'phone region RU (inferred: RU: 2 of 2 distinct numbers written with +)',
 * 'no phone region (none: …; numbers without + need --region)'.
 */
export function phoneRegionNote(region: string | null, source: string | null): string {
  const why = source ?? 'not recorded';
  return region !== null ? `phone region ${region} (${why})` : `no phone region (${why})`;
}

/** A number as the case knows it (contract fields first). */
export function phoneJson(p: PhoneSummary): Record<string, unknown> {
  return {
    e164: p.e164,
    country: p.country,
    countries: p.countries,
    type: p.type,
    valid: p.valid,
    validity: p.reason,
    possible: p.possible,
    national: p.national,
    international: p.international,
    raw: p.raw,
    rawForms: p.rawForms,
    seen: p.seen,
    firstSeen: p.firstSeen,
    lastSeen: p.lastSeen,
    writers: p.writers,
    owners: p.owners,
    victims: p.victims,
    exports: p.exports,
    sources: p.sources,
  };
}

export function phoneListing(phones: Iterable<PhoneSummary>): Listing<PhoneSummary> {
  return {
    kind: 'phones',
    items: phones,
    toJson: phoneJson,
    columns: [
      { header: 'number', value: (p) => p.e164, style: (c, t) => c.yellow(t) },
      { header: 'country', value: (p) => (p.countries.length > 1 ? p.countries.join('/') : p.country), max: 14 },
      { header: 'type', value: (p) => p.type },
      { header: 'check', value: (p) => (p.valid ? 'valid pattern' : p.reason), max: 20 },
      { header: 'seen', value: (p) => p.seen, align: 'right' },
      {
        header: 'victims',
        value: (p) => p.victims.join(', '),
        max: 30,
        style: (c, t, p) => (p.victims.length > 1 ? c.red(t) : t),
      },
      { header: 'is sender', value: (p) => p.owners.join(' '), max: 30 },
      { header: 'written by', value: (p) => p.writers.join(' '), flex: true },
      { header: 'first', value: (p) => day(p.firstSeen) },
      { header: 'last', value: (p) => day(p.lastSeen) },
    ],
  };
}

export function foundPhoneJson(f: FoundPhone): Record<string, unknown> {
  const m = f.match;
  return {
    e164: m.e164,
    country: m.country,
    countries: m.countries,
    type: m.type,
    valid: m.valid,
    validity: m.reason,
    possible: m.possible,
    national: m.national,
    international: m.international,
    raw: m.raw,
    ext: m.ext,
    regionUsed: m.regionUsed,
    seen: 1,
    sources: [{ line: f.line, column: f.column }],
  };
}

export function foundPhoneListing(found: Iterable<FoundPhone>): Listing<FoundPhone> {
  return {
    kind: 'phones',
    items: found,
    toJson: foundPhoneJson,
    columns: [
      { header: 'number', value: (f) => f.match.e164, style: (c, t) => c.yellow(t) },
      { header: 'country', value: (f) => (f.match.countries.length > 1 ? f.match.countries.join('/') : f.match.country), max: 14 },
      { header: 'type', value: (f) => f.match.type },
      { header: 'check', value: (f) => (f.match.valid ? 'valid pattern' : f.match.reason), max: 20 },
      { header: 'as written', value: (f) => f.match.raw, max: 30 },
      { header: 'national', value: (f) => f.match.national, max: 24 },
      { header: 'line', value: (f) => `${f.line}:${f.column}`, align: 'right' },
    ],
  };
}
