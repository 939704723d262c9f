// MinHash signatures and LSH banding: near-duplicate candidates without comparing all pairs.
//
// Signatures use one-permutation hashing with optimal densification (Shrivastava, ICML 2017):
// each shingle hash is spread into one of K bins and the minimum per bin kept, so a message
// costs one hash per shingle instead of K; empty bins borrow from a pseudo-randomly chosen full
// bin. The collision probability per bin equals the Jaccard similarity, as with K permutations.
//
// Banding: b bands of r rows; a pair becomes a candidate when one band matches entirely, with
// probability 1 - (1 - s^r)^b. Candidates are always verified exactly afterwards.
import { fmix32, type ShingleSets } from './text.js';
import { groupBy, IntList } from './intlists.js';

export interface LshParams {
  bands: number;
  rows: number;
  /** Bands a pair must share to become a candidate (1 is classic banding; 2 sharpens the curve). */
  minHits?: number;
}

/** Threshold where the candidate probability rises fastest: about (1/b)^(1/r). */
export function lshThreshold(p: LshParams): number {
  return Math.pow(1 / p.bands, 1 / p.rows);
}

/** Probability that a pair of Jaccard similarity s shares at least `minHits` of the bands. */
export function lshProbability(s: number, p: LshParams): number {
  const hit = Math.pow(s, p.rows);
  let below = 0;
  let choose = 1;
  for (let k = 0; k < (p.minHits ?? 1); k++) {
    below += choose * Math.pow(hit, k) * Math.pow(1 - hit, p.bands - k);
    choose = (choose * (p.bands - k)) / (k + 1);
  }
  return 1 - below;
}

const EMPTY = 0xffffffff;

/** K-bin one-permutation MinHash signature of a set of 32-bit shingle hashes. */
export function signature(shingles: Uint32Array, bins: number): Uint32Array {
  return signatureInto(shingles, 0, shingles.length, bins, new Uint32Array(bins), new Uint32Array(bins));
}

/**
 * `signature` of the set shingles[from .. to), written into `sig` with `scratch` as working space
 * (both `bins` long); returns `sig`.
 */
function signatureInto(shingles: Uint32Array, from: number, to: number, bins: number, sig: Uint32Array, scratch: Uint32Array): Uint32Array {
  const shift = 32 - Math.log2(bins);
  if (!Number.isInteger(shift) || shift > 30) throw new Error('bins must be a power of two, at least 4');
  const mask = (1 << shift) - 1;
  // While the signature is built, an empty bin holds `none` (above every value, and a small integer,
  // which keeps the comparisons cheap); a signature with no value at all is EMPTY throughout.
  const none = mask + 1;
  sig.fill(none);
  let full = 0;
  for (let i = from; i < to; i++) {
    const h = fmix32(shingles[i]! ^ 0x9e3779b9);
    const bin = h >>> shift;
    const value = h & mask;
    const old = sig[bin]!;
    if (value < old) {
      if (old === none) full++;
      sig[bin] = value;
    }
  }
  if (full === 0) return sig.fill(EMPTY);
  if (full === bins) return sig;
  // Optimal densification: an empty bin copies a full bin chosen by a hash of (bin, attempt).
  const original = scratch;
  original.set(sig);
  const probes = probeTable(bins);
  for (let i = 0; i < bins; i++) {
    if (original[i] !== none) continue;
    for (let attempt = 1; ; attempt++) {
      const value = original[attempt <= PROBES ? probes[i * PROBES + attempt - 1]! : probe(i, attempt, bins)]!;
      if (value !== none) {
        sig[i] = value + 1 + attempt; // offset keeps borrowed values distinguishable
        break;
      }
    }
  }
  return sig;
}

/** The bin that empty bin i borrows from on a given attempt (the same for every set). */
function probe(i: number, attempt: number, bins: number): number {
  return fmix32(Math.imul(i + 1, 0x27d4eb2d) ^ attempt) % bins;
}

/** Attempts per bin kept in the probe table; later attempts (rare) are computed. */
const PROBES = 32;
const probeTables = new Map<number, Uint16Array>();

/** probe(i, attempt, bins) for attempts 1..PROBES of every bin, at i * PROBES + attempt - 1. */
function probeTable(bins: number): Uint16Array {
  let table = probeTables.get(bins);
  if (!table) {
    table = new Uint16Array(bins * PROBES);
    for (let i = 0; i < bins; i++) for (let attempt = 1; attempt <= PROBES; attempt++) table[i * PROBES + attempt - 1] = probe(i, attempt, bins);
    probeTables.set(bins, table);
  }
  return table;
}

/** The hash of one band (`rows` signature values from `band * rows`). */
function bandHash(sig: Uint32Array, band: number, rows: number): number {
  let h = 0x811c9dc5 ^ band;
  for (let r = 0; r < rows; r++) h = fmix32(Math.imul(h ^ sig[band * rows + r]!, 0x01000193));
  return h;
}

/**
 * The band hashes of many shingle sets, without keeping their signatures: `bands` hashes per set in
 * one array (set i's band b at i * bands + b). The same values `lshCandidates` computes.
 */
export function bandHashes(sets: ShingleSets, bins: number, params: LshParams): Uint32Array {
  const n = sets.offsets.length - 1;
  const out = new Uint32Array(n * params.bands);
  const sig = new Uint32Array(bins);
  const scratch = new Uint32Array(bins);
  for (let i = 0; i < n; i++) {
    signatureInto(sets.values, sets.offsets[i]!, sets.offsets[i + 1]!, bins, sig, scratch);
    for (let band = 0; band < params.bands; band++) out[i * params.bands + band] = bandHash(sig, band, params.rows);
  }
  return out;
}

/** Fraction of agreeing bins: an estimate of Jaccard similarity. */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

/** Pairs of indexes, each once, sorted by left then right: pair k is (left[k], right[k]), left < right. */
export interface IndexPairs {
  left: Int32Array;
  right: Int32Array;
}

/**
 * Candidate pairs among signatures (by index), each pair once, sorted: pairs that share at least
 * `minHits` bands. A bucket larger than `maxBucket` holds content seen everywhere (a common frame
 * shared by many distinct texts); its band produces no pairs (the other bands still can) and its
 * members are counted in `crowded`.
 */
export function lshCandidates(signatures: Uint32Array[], params: LshParams, maxBucket: number): { pairs: IndexPairs; crowded: number } {
  const bands = new Uint32Array(signatures.length * params.bands);
  signatures.forEach((sig, i) => {
    for (let band = 0; band < params.bands; band++) bands[i * params.bands + band] = bandHash(sig, band, params.rows);
  });
  return lshCandidatesFromBands(bands, signatures.length, params, maxBucket);
}

/**
 * `lshCandidates` from precomputed band hashes (see `bandHashes`).
 *
 * Band hits are counted per index rather than listed: the buckets of every band are found by sorting
 * the band's hashes, each index learns its buckets, and each index i counts, in one array over all
 * indexes, how many of its buckets it shares with each later index j; j becomes a candidate when the
 * count reaches `minHits`. Buckets of similar texts make many hits (a bucket of s makes s(s-1)/2), but
 * a hit costs one increment and is never stored.
 */
export function lshCandidatesFromBands(bandValues: Uint32Array, n: number, params: LshParams, maxBucket: number): { pairs: IndexPairs; crowded: number } {
  const buckets = lshBuckets(bandValues, n, params.bands, maxBucket);
  const { members, memberStart } = buckets;
  // Each index's buckets, in band order.
  const bucketOfMember = new Int32Array(members.length);
  for (let b = 0; b + 1 < memberStart.length; b++) bucketOfMember.fill(b, memberStart[b], memberStart[b + 1]);
  const bucketsOf = groupBy(members, n, bucketOfMember);

  const minHits = params.minHits ?? 1;
  const left = new IntList();
  const right = new IntList();
  // Per later index j, in one number: i * 32 + hits while counting for i (hits stop at 31, above any
  // minHits allowed); i * 32 stays below 2^31 since n < 2^26.
  if (n >= 2 ** 26) throw new Error(`lshCandidates handles up to ${2 ** 26 - 1} signatures`);
  if (minHits > 31) throw new Error('lshCandidates counts up to 31 band hits');
  const tally = new Int32Array(n).fill(-1);
  const found = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let count = 0;
    for (let k = bucketsOf.start[i]!; k < bucketsOf.start[i + 1]!; k++) {
      const b = bucketsOf.values[k]!;
      // Members are in increasing order: the later indexes are at the end of the bucket.
      for (let m = memberStart[b + 1]! - 1; m >= memberStart[b]!; m--) {
        const j = members[m]!;
        if (j <= i) break;
        const t = tally[j]!;
        const hits = t >> 5 === i ? (t & 31) + 1 : 1;
        if (hits <= 31) tally[j] = (i << 5) | hits;
        if (hits === minHits) found[count++] = j;
      }
    }
    if (count > 1) found.subarray(0, count).sort();
    for (let k = 0; k < count; k++) {
      left.push(i);
      right.push(found[k]!);
    }
  }
  return { pairs: { left: left.view(), right: right.view() }, crowded: buckets.crowded };
}

/**
 * The LSH buckets of every band: runs of 2 to `maxBucket` indexes with one band hash, members in
 * increasing order (bucket b is members[memberStart[b] .. memberStart[b + 1])), and the number of
 * indexes that fell in a larger bucket of some band (`crowded`).
 */
function lshBuckets(bandValues: Uint32Array, n: number, bands: number, maxBucket: number): { members: Int32Array; memberStart: Int32Array; crowded: number } {
  const members = new IntList();
  const memberStart = new IntList();
  memberStart.push(0);
  const isCrowded = new Uint8Array(n);
  const keys = new Uint32Array(n);
  const order = new Int32Array(n);
  const scratch = new Int32Array(n);
  const counts = n >= RADIX_MIN ? new Int32Array(65537) : null;
  for (let band = 0; band < bands; band++) {
    for (let i = 0; i < n; i++) keys[i] = bandValues[i * bands + band]!;
    orderByKey(keys, order, scratch, counts);
    for (let start = 0; start < n; ) {
      const hash = keys[order[start]!]!;
      let end = start + 1;
      while (end < n && keys[order[end]!] === hash) end++;
      const size = end - start;
      if (size > maxBucket) {
        for (let k = start; k < end; k++) isCrowded[order[k]!] = 1;
      } else if (size > 1) {
        for (let k = start; k < end; k++) members.push(order[k]!);
        memberStart.push(members.length);
      }
      start = end;
    }
  }
  let crowded = 0;
  for (let i = 0; i < n; i++) crowded += isCrowded[i]!;
  return { members: members.view(), memberStart: memberStart.view(), crowded };
}

/** Below this many items a comparison sort beats the radix sort's two passes over 65,536 counters. */
const RADIX_MIN = 4096;

/**
 * Fills `order` with the indexes 0 .. n-1 sorted by `keys` (equal keys by index): a stable radix sort
 * on two 16-bit digits, linear in n, with `counts` (65,537 counters) and `scratch` (n) as working
 * space; without counters (few items) a comparison sort.
 */
function orderByKey(keys: Uint32Array, order: Int32Array, scratch: Int32Array, counts: Int32Array | null): void {
  const n = keys.length;
  if (counts === null) {
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => keys[a]! - keys[b]! || a - b);
    return;
  }
  counts.fill(0);
  // Low digit: indexes in increasing order into scratch.
  for (let i = 0; i < n; i++) counts[(keys[i]! & 0xffff) + 1]! += 1;
  for (let d = 0; d < 65536; d++) counts[d + 1]! += counts[d]!;
  for (let i = 0; i < n; i++) scratch[counts[keys[i]! & 0xffff]!++] = i;
  // High digit, stable: scratch into order.
  counts.fill(0);
  for (let i = 0; i < n; i++) counts[(keys[i]! >>> 16) + 1]! += 1;
  for (let d = 0; d < 65536; d++) counts[d + 1]! += counts[d]!;
  for (let k = 0; k < n; k++) {
    const i = scratch[k]!;
    order[counts[keys[i]! >>> 16]!++] = i;
  }
}
