// MinHash signatures and LSH banding: near-duplicate candidates without comparing all pairs.
//
// Signatures use one-permutation hashing with optimal densification (Shrivastava, ICML 2017):
// each shingle hash is spread into one of K bins and the minimum per bin kept, so a message
// costs one hash per shingle instead of K; empty bins borrow from a pseudo-randomly chosen full
// bin. The collision probability per bin equals the Jaccard similarity, as with K permutations.
//
// Banding: b bands of r rows; a pair becomes a candidate when one band matches entirely, with
// probability 1 - (1 - s^r)^b. Candidates are always verified exactly afterwards.
import { fmix32 } from './text.js';

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
  return signatureInto(shingles, bins, new Uint32Array(bins), new Uint32Array(bins));
}

/** `signature`, written into `sig` with `scratch` as working space (both `bins` long); returns `sig`. */
function signatureInto(shingles: Uint32Array, bins: number, sig: Uint32Array, scratch: Uint32Array): Uint32Array {
  sig.fill(EMPTY);
  const shift = 32 - Math.log2(bins);
  if (!Number.isInteger(shift)) throw new Error('bins must be a power of two');
  const mask = (1 << shift) - 1;
  for (let i = 0; i < shingles.length; i++) {
    const h = fmix32(shingles[i]! ^ 0x9e3779b9);
    const bin = h >>> shift;
    const value = h & mask;
    if (value < sig[bin]!) sig[bin] = value;
  }
  // Optimal densification: an empty bin copies a full bin chosen by a hash of (bin, attempt).
  let full = 0;
  for (let i = 0; i < bins; i++) if (sig[i] !== EMPTY) full++;
  if (full === 0 || full === bins) return sig;
  const original = scratch;
  original.set(sig);
  for (let i = 0; i < bins; i++) {
    if (original[i] !== EMPTY) continue;
    for (let attempt = 1; ; attempt++) {
      const j = fmix32(Math.imul(i + 1, 0x27d4eb2d) ^ attempt) % bins;
      if (original[j] !== EMPTY) {
        sig[i] = original[j]! + 1 + attempt; // offset keeps borrowed values distinguishable
        break;
      }
    }
  }
  return sig;
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
export function bandHashes(sets: readonly Uint32Array[], bins: number, params: LshParams): Uint32Array {
  const out = new Uint32Array(sets.length * params.bands);
  const sig = new Uint32Array(bins);
  const scratch = new Uint32Array(bins);
  sets.forEach((shingles, i) => {
    signatureInto(shingles, bins, sig, scratch);
    for (let band = 0; band < params.bands; band++) out[i * params.bands + band] = bandHash(sig, band, params.rows);
  });
  return out;
}

/** Fraction of agreeing bins: an estimate of Jaccard similarity. */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

/**
 * Candidate pairs among signatures (by index), each pair once, sorted: pairs that share at least
 * `minHits` bands. A bucket larger than `maxBucket` holds content seen everywhere (a common frame
 * shared by many distinct texts); its band produces no pairs (the other bands still can) and its
 * members are counted in `crowded`. Band hits are packed as i * n + j (exact in a double up to
 * n = 2^26) into a growing Float64Array, sorted and counted, so millions of candidates cost a few
 * bytes each and no hash-set limit applies.
 */
export function lshCandidates(
  signatures: Uint32Array[],
  params: LshParams,
  maxBucket: number,
): { pairs: [number, number][]; crowded: Set<number> } {
  const bands = new Uint32Array(signatures.length * params.bands);
  signatures.forEach((sig, i) => {
    for (let band = 0; band < params.bands; band++) bands[i * params.bands + band] = bandHash(sig, band, params.rows);
  });
  return lshCandidatesFromBands(bands, signatures.length, params, maxBucket);
}

/** `lshCandidates` from precomputed band hashes (see `bandHashes`). */
export function lshCandidatesFromBands(
  bandValues: Uint32Array,
  n: number,
  params: LshParams,
  maxBucket: number,
): { pairs: [number, number][]; crowded: Set<number> } {
  const crowded = new Set<number>();
  let packed = new Float64Array(1024);
  let count = 0;
  const add = (key: number): void => {
    if (count === packed.length) {
      const bigger = new Float64Array(packed.length * 2);
      bigger.set(packed);
      packed = bigger;
    }
    packed[count++] = key;
  };
  // Per band: each signature's band hash packed with its index (hash * 2^21 + index, exact in a
  // double), sorted natively; runs of one hash are the buckets.
  const INDEX_BITS = 2_097_152;
  if (n >= INDEX_BITS) throw new Error(`lshCandidates handles up to ${INDEX_BITS - 1} signatures`);
  const keyed = new Float64Array(n);
  for (let band = 0; band < params.bands; band++) {
    for (let idx = 0; idx < n; idx++) keyed[idx] = bandValues[idx * params.bands + band]! * INDEX_BITS + idx;
    keyed.sort();
    for (let start = 0; start < n; ) {
      const hash = Math.floor(keyed[start]! / INDEX_BITS);
      let end = start + 1;
      while (end < n && Math.floor(keyed[end]! / INDEX_BITS) === hash) end++;
      const size = end - start;
      if (size > maxBucket) {
        for (let k = start; k < end; k++) crowded.add(keyed[k]! - hash * INDEX_BITS);
      } else if (size > 1) {
        for (let a = start; a < end; a++) {
          const i = keyed[a]! - hash * INDEX_BITS;
          for (let b = a + 1; b < end; b++) add(i * n + (keyed[b]! - hash * INDEX_BITS));
        }
      }
      start = end;
    }
  }
  const sorted = packed.subarray(0, count).sort();
  const pairs: [number, number][] = [];
  const minHits = params.minHits ?? 1;
  for (let k = 0; k < sorted.length; ) {
    const key = sorted[k]!;
    let run = 1;
    while (k + run < sorted.length && sorted[k + run] === key) run++;
    k += run;
    if (run < minHits) continue;
    const i = Math.floor(key / n);
    pairs.push([i, key - i * n]);
  }
  return { pairs, crowded };
}
