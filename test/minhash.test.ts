// The LSH candidate search against the definition it implements, counted the slow way: a pair is a
// candidate when it shares at least minHits band buckets of 2..maxBucket members.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bandHashes, lshCandidatesFromBands, signature } from '../src/attribution/minhash.js';
import { shingleSet, shingleSets } from '../src/attribution/text.js';
import { rng } from '../bench/generate.js';

function bruteForce(bandValues: Uint32Array, n: number, bands: number, minHits: number, maxBucket: number): { pairs: string[]; crowded: number } {
  const hits = new Map<string, number>();
  const crowded = new Set<number>();
  for (let band = 0; band < bands; band++) {
    const buckets = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const hash = bandValues[i * bands + band]!;
      const bucket = buckets.get(hash);
      if (bucket) bucket.push(i);
      else buckets.set(hash, [i]);
    }
    for (const members of buckets.values()) {
      if (members.length > maxBucket) members.forEach((i) => crowded.add(i));
      else {
        for (let a = 0; a < members.length; a++) {
          for (let b = a + 1; b < members.length; b++) {
            const key = `${members[a]},${members[b]}`;
            hits.set(key, (hits.get(key) ?? 0) + 1);
          }
        }
      }
    }
  }
  const pairs = [...hits].filter(([, count]) => count >= minHits).map(([key]) => key);
  pairs.sort((x, y) => {
    const [a, b] = x.split(',').map(Number);
    const [c, d] = y.split(',').map(Number);
    return a! - c! || b! - d!;
  });
  return { pairs, crowded: crowded.size };
}

test('LSH candidates are exactly the pairs sharing minHits buckets, sorted, crowded buckets left out', () => {
  const next = rng(7);
  for (const [n, bands, alphabet, minHits, maxBucket] of [
    [300, 6, 40, 2, 12],
    [500, 25, 200, 2, 8],
    [200, 4, 6, 1, 33],
    [150, 10, 12, 3, 12],
    // Enough items for the radix sort (small inputs take a comparison sort).
    [5000, 4, 600, 2, 12],
  ] as const) {
    // Few distinct values per band: buckets of every size, some above maxBucket.
    const bandValues = new Uint32Array(n * bands);
    for (let k = 0; k < bandValues.length; k++) bandValues[k] = Math.floor(next() * alphabet) * 0x9e3779b1;
    const { pairs, crowded } = lshCandidatesFromBands(bandValues, n, { bands, rows: 1, minHits }, maxBucket);
    const found = [...pairs.left].map((i, k) => `${i},${pairs.right[k]}`);
    const expected = bruteForce(bandValues, n, bands, minHits, maxBucket);
    assert.ok(expected.pairs.length > 10 && expected.crowded > 0, `the case has pairs and crowded buckets (n ${n}, bands ${bands})`);
    assert.deepEqual(found, expected.pairs, `pairs for n ${n}, bands ${bands}, minHits ${minHits}`);
    assert.equal(crowded, expected.crowded, `crowded indexes for n ${n}, bands ${bands}`);
  }
});

test('band hashes of packed shingle sets equal those of separate signatures, short and empty sets included', () => {
  const texts = ['Мы знаем, где живёт твоя мать.', 'ok', '', 'We know where your mother lives, Ruslan.', 'x'.repeat(400)];
  const sets = shingleSets(texts, 5);
  const params = { bands: 25, rows: 5 };
  const packed = bandHashes(sets, 128, params);
  texts.forEach((text, i) => {
    const alone = bandHashes({ offsets: Int32Array.of(0, sets.offsets[i + 1]! - sets.offsets[i]!), values: shingleSet(text, 5) }, 128, params);
    assert.deepEqual([...packed.subarray(i * 25, i * 25 + 25)], [...alone], `text ${i}`);
  });
  // A signature with no shingle at all is EMPTY throughout; a one-shingle set fills every bin by densification.
  assert.deepEqual([...new Set(signature(new Uint32Array(0), 128))], [0xffffffff]);
  const one = signature(shingleSet('ok', 5), 128);
  assert.ok(one.every((v) => v !== 0xffffffff));
});
