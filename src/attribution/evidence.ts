// Turning "these identities all show item X" into pairwise evidence. An item many accounts show (a
// forwarded meme, a public number, a postcard) says little about any two of them: cluster.ts weighs
// it by how many accounts show it (POPULARITY_FORMULA).
import type { Evidence, EvidenceContext, EvidenceType } from './types.js';
import { evidenceTypeSpec } from './signals/signal.js';

/** How an item's weight follows from how many accounts show it, as recorded in the run manifest. */
export const POPULARITY_FORMULA =
  'item families (identifier, image, camera): min(prior bits, -2 log2((df - 1) / (N - 1))), 0 when df > maxDf (df: accounts showing the item, N: accounts)';

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
  return { type, between, weight: bits, bits, commonness: 1, df: holders.length, holders, item, detail, refs, against: evidenceTypeSpec(type).against };
}

/** Adds `ref` under `key` in a map of lists. */
export function push<K>(map: Map<K, string[]>, key: K, ref: string | null): void {
  const list = map.get(key);
  if (list) {
    if (ref !== null) list.push(ref);
  } else map.set(key, ref === null ? [] : [ref]);
}
