// Turning "these identities all show item X" into pairwise evidence, with the commonness
// discount: an item many identities show (a forwarded meme, a public hotline, a greeting) says
// little about any two of them.
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
 * Commonness factor in [0, 1]. ATTRIBUTION.md proposes log(N/df)/log(N); we normalise by
 * log(N/2) instead, so that an item shown by exactly two identities, the rarest an item can be
 * and still link anyone, keeps its full weight, and an item shown by every identity weighs 0.
 * Cases with fewer than four identities cannot estimate commonness: factor 1.
 */
export function commonness(df: number, identities: number): number {
  if (df <= 2 || identities < 4) return 1;
  const factor = Math.log(identities / df) / Math.log(identities / 2);
  return Math.max(0, Math.min(1, factor));
}

export interface ItemOccurrences {
  /** Identity key → message ids that show the item (may be empty for owners). */
  byIdentity: Map<string, string[]>;
  /** Stable key of the item (see Evidence.item). */
  item: string;
  /** One-line description of the item, e.g. `+79281234567`, `sha256 3f2a…`. */
  detail: string;
  /** Document frequency override (e.g. a whole text family); default: the accounts in byIdentity. */
  df?: number;
}

export interface EvidenceContext {
  params: ClusterParams;
  /** Number of candidate accounts in the case (the N of the commonness factor). */
  identities: number;
  /**
   * The account an identity belongs to. Document frequencies count accounts, not identities: a
   * number written by a Telegram account and owned by the same person's WhatsApp number is shown
   * by one account, not two.
   */
  accountOf: (key: string) => string;
}

/** How many distinct accounts among these identity keys. */
export function accountCount(keys: Iterable<string>, ctx: EvidenceContext): number {
  const accounts = new Set<string>();
  for (const key of keys) accounts.add(ctx.accountOf(key));
  return accounts.size;
}

export function sortedPair(a: string, b: string): [string, string] {
  return a < b ? [a, b] : [b, a];
}

/** Rounds bits for stable output (no float noise in JSON). */
export function roundBits(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Evidence for every pair of identities that share an item, unless the item is too common. */
export function evidenceFromItem(
  type: EvidenceType | ((a: string, b: string) => EvidenceType | null),
  item: ItemOccurrences,
  ctx: EvidenceContext,
): Evidence[] {
  const keys = [...item.byIdentity.keys()].sort();
  const df = item.df ?? accountCount(keys, ctx);
  if (keys.length < 2 || df > ctx.params.maxDf) return [];
  const factor = commonness(df, ctx.identities);
  const out: Evidence[] = [];
  for (let i = 0; i < keys.length; i++) {
    for (let j = i + 1; j < keys.length; j++) {
      const a = keys[i]!;
      const b = keys[j]!;
      const t = typeof type === 'function' ? type(a, b) : type;
      if (t === null) continue;
      const bits = ctx.params.bits[t];
      out.push({
        type: t,
        between: [a, b],
        weight: roundBits(bits * factor),
        bits,
        commonness: roundBits(factor),
        df,
        item: item.item,
        detail: item.detail,
        refs: [...new Set([...item.byIdentity.get(a)!, ...item.byIdentity.get(b)!])].sort(),
        against: AGAINST[t],
      });
    }
  }
  return out;
}

/** Adds `ref` under `key` in a map of lists. */
export function push<K>(map: Map<K, string[]>, key: K, ref: string | null): void {
  const list = map.get(key);
  if (list) {
    if (ref !== null) list.push(ref);
  } else map.set(key, ref === null ? [] : [ref]);
}
