// Turning "these identities all show item X" into pairwise evidence, and weighing it: an item many
// actors show (a forwarded meme, a public hotline, a greeting) says little about any two of them.
import type { ClusterParams, Evidence, EvidenceType } from './types.js';

/** What would argue against each kind of link: alternatives the analyst should rule out. */
export const AGAINST: Record<EvidenceType, string> = {
  'same-account':
    'the account or number may be shared by several people, or a recycled/virtual number reassigned over time',
  'own-identifier':
    "the writer may be quoting the other account's number or handle (copied from a leak, a wanted notice or a public post) rather than owning it",
  'shared-identifier':
    'both may have copied the number, handle or link from one public source (a channel post, a leak, an advertisement)',
  'camera-serial': 'EXIF serials can be edited (exiftool); check the makernote serial with --deep and the rest of the metadata',
  'identical-media':
    'the image may be public (a news photo, a meme) or forwarded from one source; find where it first appeared',
  'similar-image':
    'a similar photo is not the same photo: compare the two side by side; crops of one public image also match',
  'near-duplicate-text':
    'a widely circulated text (a chain message, a public template) can be pasted by unrelated people',
  'template-text':
    'threats reuse set phrases; a common template says less than a rare one, check the wording beyond the slots',
  'co-timing': 'busy hours and scheduled events make unrelated senders write at the same minute; timing is weak alone',
  'display-name':
    "WhatsApp shows the victim's own saved name for a contact, and common names (Мама, Иван) recur by chance",
  'camera-model': 'millions of phones share a make and model',
};

/**
 * Commonness factor in [0, 1] of an item shown by `df` of `sources` independent sources:
 * (log(N/df) / log(N/2))², and 1 when df <= 2 or N < 4.
 *
 * ATTRIBUTION.md proposes log(N/df)/log(N). We divide by log(N/2) so that an item shown by exactly
 * two sources, the rarest an item can be and still link anyone, keeps its full weight. We square it so
 * that common items fade fast: with 50 sources an item shown by 10 keeps 25 % instead of 50 %. The
 * square was measured on planted campaigns (bench/attribution-eval.ts): with the plain factor, public
 * notices, greetings and postcards shown by a tenth of the relatives kept enough weight to add up to
 * false joins. It no longer punishes an actor for reaching many victims, because df counts
 * independent sources (sources.ts), not identities. Below four sources nothing can be common (two of
 * three is not a crowd): the factor is 1.
 */
export function commonness(df: number, sources: number, exponent = 2): number {
  if (df <= 2 || sources < 4) return 1;
  const factor = Math.max(0, Math.min(1, Math.log(sources / df) / Math.log(sources / 2)));
  return factor ** exponent;
}

/** The commonness formula as recorded in the run manifest. */
export const COMMONNESS_FORMULA = '(log(N/df)/log(N/2))^commonnessExponent; 1 when df <= 2 or N < 4; 0 when df > maxDf (df, N: independent sources)';

export interface ItemOccurrences {
  /** Identity key → message ids that show the item (may be empty for owners). */
  byIdentity: Map<string, string[]>;
  /** Stable key of the item (see Evidence.item). */
  item: string;
  /** One-line description of the item, e.g. `+79281234567`, `sha256 3f2a…`. */
  detail: string;
  /** Everyone who shows the item, when that is more than byIdentity (a picture in several encodings). */
  holders?: readonly string[];
}

export interface EvidenceContext {
  params: ClusterParams;
}

export function sortedPair(a: string, b: string): [string, string] {
  return a < b ? [a, b] : [b, a];
}

/** Rounds bits for stable output (no float noise in JSON). */
export function roundBits(x: number): number {
  return Math.round(x * 100) / 100;
}

/**
 * Evidence for every pair of identities that share an item. Items shown by more identities than
 * `maxHolders` produce nothing (maxDf applies later, to independent sources). Weights are set when the
 * pair is scored.
 */
export function evidenceFromItem(
  type: EvidenceType | ((a: string, b: string) => EvidenceType | null),
  item: ItemOccurrences,
  ctx: EvidenceContext,
): Evidence[] {
  const keys = [...item.byIdentity.keys()].sort();
  const holders = item.holders ?? keys;
  if (keys.length < 2 || holders.length > ctx.params.maxHolders) return [];
  const out: Evidence[] = [];
  for (let i = 0; i < keys.length; i++) {
    for (let j = i + 1; j < keys.length; j++) {
      const a = keys[i]!;
      const b = keys[j]!;
      const t = typeof type === 'function' ? type(a, b) : type;
      if (t === null) continue;
      out.push(makeEvidence(t, [a, b], holders, item.item, item.detail, [...new Set([...item.byIdentity.get(a)!, ...item.byIdentity.get(b)!])].sort(), ctx));
    }
  }
  return out;
}

/** One piece of evidence, unweighted (weight = bits until the pair is scored). */
export function makeEvidence(
  type: EvidenceType,
  between: [string, string],
  holders: readonly string[],
  item: string,
  detail: string,
  refs: string[],
  ctx: EvidenceContext,
): Evidence {
  const bits = ctx.params.bits[type];
  return { type, between, weight: bits, bits, commonness: 1, df: holders.length, holders, item, detail, refs, against: AGAINST[type] };
}

/** Adds `ref` under `key` in a map of lists. */
export function push<K>(map: Map<K, string[]>, key: K, ref: string | null): void {
  const list = map.get(key);
  if (list) {
    if (ref !== null) list.push(ref);
  } else map.set(key, ref === null ? [] : [ref]);
}
