// The default region of an export, inferred from the numbers its own people wrote with '+'.
import { normalizePhone } from './normalize.js';
import { extractPhones } from './extract.js';
import type { PhoneFact } from './fact.js';
import { maskText } from './prepare.js';

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
 * Picks the default region for an export's national numbers ('8 (928) …', '0151 …'): the most common
 * country among the distinct valid numbers the export itself writes internationally ('+', '00',
 * '8 10'), e.g. sender phones, the owner's phone, contact cards and numbers in message texts.
 *
 * Each item may be one number or a free text (then its '+' numbers are extracted). Numbers are
 * counted once each, so a chatty sender does not outweigh a long contact list. KZ numbers under +7
 * count as KZ. A tie goes to the country seen first, and the evidence says so. Numbers with no
 * single country (non-geographic +800 …) are skipped.
 */
export function inferRegion(rawNumbers: Iterable<string>): InferredRegion {
  const counts = new Map<string, number>();
  const seen = new Set<string>();
  const consider = (fact: PhoneFact): void => {
    if (fact.regionUsed !== null || !fact.valid || fact.country === null || seen.has(fact.e164)) return;
    seen.add(fact.e164);
    counts.set(fact.country, (counts.get(fact.country) ?? 0) + 1);
  };
  for (const raw of rawNumbers) {
    const fact = normalizePhone(raw, { region: null });
    if (fact) consider(fact);
    else if (/\p{L}/u.test(raw) || raw.length > 40) for (const m of extractPhones(raw, { region: null })) consider(m);
  }
  const total = seen.size;
  if (total === 0) {
    return {
      region: null,
      evidence: 'no valid numbers written with +; numbers without + need --region',
    };
  }
  let best: string | null = null;
  let bestCount = 0;
  for (const [country, n] of counts) {
    if (n > bestCount) {
      best = country;
      bestCount = n;
    }
  }
  const tied = [...counts].filter(([, n]) => n === bestCount).map(([c]) => c);
  const noun = total === 1 ? 'number' : 'numbers';
  let evidence = `${best}: ${bestCount} of ${total} distinct ${noun} written with +`;
  if (tied.length > 1) evidence += ` (tie with ${tied.filter((c) => c !== best).join(', ')}; the first seen wins)`;
  return { region: best, evidence };
}
