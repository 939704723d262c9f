// The default region of an export, inferred from the numbers its own people wrote with '+'.
import { normalizePhone } from './normalize.js';
import { extractPhonesCapped } from './extract.js';
import type { PhoneFact } from './fact.js';
import { maskText } from './prepare.js';

/**
 * Numbers of one text that count towards the region. The first ones of a text say what its author
 * writes; a text holding more is a list or a dump, and reading all of it would cost as much as the
 * phone stage itself (which caps it too, and says so).
 */
const TEXT_SAMPLE = 1000;

/** '+', '00', '8 10' or a click-to-chat link: something inferRegion can read without a region. */
const INTERNATIONAL_HINT = /\+|00|8\s?10|wa\.me\/|phone=/;

/**
 * Whether a message text may hold a number written internationally, so it is worth passing to
 * inferRegion. Tested on the masked text, so a full-width plus or digits ('＋７ ９２８…', '００７…')
 * count like their ASCII forms.
 */
export function mayHoldInternational(text: string): boolean {
  return INTERNATIONAL_HINT.test(maskText(text));
}

export interface InferredRegion {
  /** ISO region code, or null when the export has no usable international numbers. */
  region: string | null;
  /** One line an investigator can read: 'RU: 7 of 9 distinct numbers written with +' (in this export). */
  evidence: string;
}

/**
 * Counts the countries of the distinct valid numbers an export writes internationally ('+', '00',
 * '8 10'), fed one item at a time while the export is read (so no second pass over its messages
 * is needed): sender phones, the owner's phone, contact cards and numbers in message texts.
 * Numbers are counted once each, so a chatty sender does not outweigh a long contact list. KZ
 * numbers under +7 count as KZ. Numbers with no single country (non-geographic +800 …) are skipped.
 */
export class RegionTally {
  private readonly counts = new Map<string, number>();
  private readonly seen = new Set<string>();

  /** One number as written (a sender, a contact card TEL, an address-book entry). */
  addNumber(raw: string): void {
    const fact = normalizePhone(raw, { region: null });
    if (fact !== null) this.consider(fact);
  }

  /** A free text: the numbers it writes internationally count. */
  addText(text: string): void {
    if (!mayHoldInternational(text)) return;
    for (const m of extractPhonesCapped(text, { region: null, limit: TEXT_SAMPLE, countRest: false }).matches) this.consider(m);
  }

  private consider(fact: PhoneFact): void {
    if (fact.regionUsed !== null || !fact.valid || fact.country === null || this.seen.has(fact.e164)) return;
    this.seen.add(fact.e164);
    this.counts.set(fact.country, (this.counts.get(fact.country) ?? 0) + 1);
  }

  /**
   * The default region for the export's national numbers ('8 (928) …', '0151 …'): the most common
   * country counted. A tie goes to the country seen first, and the evidence says so.
   */
  result(): InferredRegion {
    const total = this.seen.size;
    if (total === 0) {
      return {
        region: null,
        evidence: 'no valid numbers written with +; numbers without + need --region',
      };
    }
    let best: string | null = null;
    let bestCount = 0;
    for (const [country, n] of this.counts) {
      if (n > bestCount) {
        best = country;
        bestCount = n;
      }
    }
    const tied = [...this.counts].filter(([, n]) => n === bestCount).map(([c]) => c);
    const noun = total === 1 ? 'number' : 'numbers';
    let evidence = `${best}: ${bestCount} of ${total} distinct ${noun} written with +`;
    if (tied.length > 1) evidence += ` (tie with ${tied.filter((c) => c !== best).join(', ')}; the first seen wins)`;
    return { region: best, evidence };
  }
}

/**
 * RegionTally over a list of items, each one number or a free text (an item that is no number
 * and holds letters, or is long, is read as text).
 */
export function inferRegion(items: Iterable<string>): InferredRegion {
  const tally = new RegionTally();
  for (const item of items) {
    if (normalizePhone(item, { region: null }) !== null || !(/\p{L}/u.test(item) || item.length > 40)) tally.addNumber(item);
    else tally.addText(item);
  }
  return tally.result();
}
