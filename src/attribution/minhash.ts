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
}

/** Threshold where the candidate probability rises fastest: about (1/b)^(1/r). */
export function lshThreshold(p: LshParams): number {
  return Math.pow(1 / p.bands, 1 / p.rows);
}

/** Probability that a pair of Jaccard similarity s becomes a candidate. */
export function lshProbability(s: number, p: LshParams): number {
  return 1 - Math.pow(1 - Math.pow(s, p.rows), p.bands);
}

const EMPTY = 0xffffffff;

/** K-bin one-permutation MinHash signature of a set of 32-bit shingle hashes. */
export function signature(shingles: Uint32Array, bins: number): Uint32Array {
  const sig = new Uint32Array(bins).fill(EMPTY);
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
  const dense = Uint32Array.from(sig);
  for (let i = 0; i < bins; i++) {
    if (sig[i] !== EMPTY) continue;
    for (let attempt = 1; ; attempt++) {
      const j = fmix32(Math.imul(i + 1, 0x27d4eb2d) ^ attempt) % bins;
      if (sig[j] !== EMPTY) {
        dense[i] = sig[j]! + 1 + attempt; // offset keeps borrowed values distinguishable
        break;
      }
    }
  }
  return dense;
}

/** Fraction of agreeing bins: an estimate of Jaccard similarity. */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

/**
 * Candidate pairs among signatures (by index), each pair once, sorted. Buckets larger than
 * `maxBucket` are content seen everywhere (greetings, memes); their members are returned in
 * `crowded` instead of producing quadratic pairs. Pairs are packed as i * n + j (exact in a double
 * up to n = 2^26) into a growing Float64Array and deduplicated by sorting, so millions of candidates
 * cost a few bytes each and no hash-set limit applies.
 */
export function lshCandidates(
  signatures: Uint32Array[],
  params: LshParams,
  maxBucket: number,
): { pairs: [number, number][]; crowded: Set<number> } {
  const crowded = new Set<number>();
  const n = signatures.length;
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
  for (let band = 0; band < params.bands; band++) {
    const buckets = new Map<number, number[]>();
    for (let idx = 0; idx < n; idx++) {
      const sig = signatures[idx]!;
      let h = 0x811c9dc5 ^ band;
      for (let r = 0; r < params.rows; r++) h = fmix32(Math.imul(h ^ sig[band * params.rows + r]!, 0x01000193));
      const bucket = buckets.get(h);
      if (bucket) bucket.push(idx);
      else buckets.set(h, [idx]);
    }
    for (const members of buckets.values()) {
      if (members.length < 2) continue;
      if (members.length > maxBucket) {
        for (const m of members) crowded.add(m);
        continue;
      }
      for (let a = 0; a < members.length; a++) {
        for (let b = a + 1; b < members.length; b++) add(members[a]! * n + members[b]!);
      }
    }
  }
  const sorted = packed.subarray(0, count).sort();
  const pairs: [number, number][] = [];
  for (let k = 0; k < sorted.length; k++) {
    if (k > 0 && sorted[k] === sorted[k - 1]) continue;
    const key = sorted[k]!;
    const i = Math.floor(key / n);
    pairs.push([i, key - i * n]);
  }
  return { pairs, crowded };
}
