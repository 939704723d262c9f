// pHash: the construction, orientation, the threshold against recompressed and different pictures,
// the embedded-thumbnail comparison, HEIC pixels, and the worker pool.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { hammingDistance, orientGrid, PHASH_MATCH_THRESHOLD, phashFromGrid, readImageFacts, readManyImageFacts } from '../src/media/index.js';
import { fixturePath } from './helpers.js';

const img = (name: string): string => fixturePath('images', name);
const phashOf = async (name: string): Promise<string> => {
  const facts = await readImageFacts(name.startsWith('/') ? name : img(name));
  assert.ok(facts.hashes.phash64, `${name} hashed: ${facts.errors.join('; ')}`);
  return facts.hashes.phash64;
};

test('hammingDistance counts differing bits and refuses mismatched lengths', () => {
  assert.equal(hammingDistance('0000000000000000', '0000000000000000'), 0);
  assert.equal(hammingDistance('0000000000000000', 'ffffffffffffffff'), 64);
  assert.equal(hammingDistance('f3b50dcaca2472d2', 'f3b50dcaca2472d3'), 1);
  assert.equal(hammingDistance('8000000000000001', '0000000000000000'), 2);
  assert.throws(() => hammingDistance('00', '000'), RangeError);
  assert.throws(() => hammingDistance('zz', '00'), RangeError);
});

test('phashFromGrid: 16 hex chars, DC in the top bit, stable under brightness shift', () => {
  // Pseudo-random pixels: no two DCT coefficients tie at the median (ties make bits unstable).
  let seed = 7;
  const grid = Uint8Array.from({ length: 32 * 32 }, () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % 200));
  const hash = phashFromGrid(grid);
  assert.match(hash, /^[0-9a-f]{16}$/);
  assert.ok(parseInt(hash[0]!, 16) >= 8, 'the DC coefficient is above the median');
  const brighter = grid.map((v) => v + 40);
  assert.equal(phashFromGrid(brighter), hash, 'a uniform brightness change moves only DC');
  assert.throws(() => phashFromGrid(new Uint8Array(10)), RangeError);
});

test('orientGrid implements the eight EXIF orientations', () => {
  const n = 3;
  const g = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual([...orientGrid(g, 1, n)], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual([...orientGrid(g, 2, n)], [3, 2, 1, 6, 5, 4, 9, 8, 7]);
  assert.deepEqual([...orientGrid(g, 3, n)], [9, 8, 7, 6, 5, 4, 3, 2, 1]);
  assert.deepEqual([...orientGrid(g, 4, n)], [7, 8, 9, 4, 5, 6, 1, 2, 3]);
  assert.deepEqual([...orientGrid(g, 5, n)], [1, 4, 7, 2, 5, 8, 3, 6, 9]);
  assert.deepEqual([...orientGrid(g, 6, n)], [7, 4, 1, 8, 5, 2, 9, 6, 3], '6: turn 90° clockwise');
  assert.deepEqual([...orientGrid(g, 7, n)], [9, 6, 3, 8, 5, 2, 7, 4, 1]);
  assert.deepEqual([...orientGrid(g, 8, n)], [3, 6, 9, 2, 5, 8, 1, 4, 7], '8: turn 90° anticlockwise');
});

test('regression: pinned pHashes of two fixtures (within 2 bits, for libvips resampling changes)', async () => {
  assert.ok(hammingDistance(await phashOf('canon-80d.jpg'), 'f3b50dcaca2472d2') <= 2);
  assert.ok(hammingDistance(await phashOf('iphone12.jpg'), 'cef4309b8b4bcb30') <= 2);
});

test('PHASH_MATCH_THRESHOLD separates re-encodes from different pictures on the fixtures', async () => {
  assert.equal(PHASH_MATCH_THRESHOLD, 10);
  const same: [string, string][] = [
    ['canon-80d.jpg', 'messenger-reencode.jpg'],
    ['canon-80d.jpg', 'variants/canon-80d-half-q60.jpg'],
    ['canon-80d.jpg', 'photoshop-edited.jpg'],
    ['iphone12.jpg', 'variants/iphone12-messenger.jpg'],
    ['samsung-s21.jpg', 'variants/samsung-s21-messenger.jpg'],
    ['stale-thumbnail.jpg', 'variants/stale-thumbnail-q40.jpg'],
    ['kitchen-upright.jpg', 'orientation-6.jpg'],
    ['garden-reference.jpg', 'iphone.heic'],
  ];
  for (const [a, b] of same) {
    const d = hammingDistance(await phashOf(a), await phashOf(b));
    assert.ok(d <= 4, `${a} vs ${b}: ${d} (measured max 2 on fixtures)`);
  }
  // One picture per scene: every pair must be further apart than the threshold.
  const distinct = [
    'canon-80d.jpg',
    'iphone12.jpg',
    'samsung-s21.jpg',
    'stale-thumbnail.jpg',
    'rotated-thumbnail.jpg',
    'kitchen-upright.jpg',
    'exif-after-icc.jpg',
    'exif-after-xmp.jpg',
    'map.png',
    'iphone.heic',
    'polaroid-nul.jpg',
    'ifd0-bad-type.jpg',
  ];
  const hashes = await Promise.all(distinct.map(phashOf));
  let min = 64;
  for (let i = 0; i < hashes.length; i++)
    for (let j = i + 1; j < hashes.length; j++) {
      const d = hammingDistance(hashes[i]!, hashes[j]!);
      min = Math.min(min, d);
      assert.ok(d > PHASH_MATCH_THRESHOLD, `${distinct[i]} vs ${distinct[j]}: ${d}`);
    }
  assert.ok(min >= 14, `closest different pair ${min} (measured 18)`);
});

test('messenger-style recompression made here (0.8×, q70, then q50) stays within the threshold', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'threatlens-phash-'));
  try {
    for (const name of ['canon-80d.jpg', 'iphone12.jpg', 'samsung-s21.jpg', 'exif-after-icc.jpg', 'map.png']) {
      const meta = await sharp(img(name)).metadata();
      const q70 = await sharp(img(name)).resize(Math.round(meta.width! * 0.8)).jpeg({ quality: 70 }).toBuffer();
      const out = join(dir, `${name}.jpg`);
      await sharp(q70).jpeg({ quality: 50 }).toFile(out);
      const d = hammingDistance(await phashOf(name), await phashOf(out));
      assert.ok(d <= PHASH_MATCH_THRESHOLD, `${name}: ${d}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('pHash is taken over the auto-oriented image (Orientation 6 equals the upright picture)', async () => {
  const sideways = await readImageFacts(img('orientation-6.jpg'));
  assert.equal(sideways.orientation, 6);
  assert.equal(sideways.width, 360, 'width and height as stored');
  assert.equal(sideways.height, 480);
  assert.ok(hammingDistance(sideways.hashes.phash64!, await phashOf('kitchen-upright.jpg')) <= 2);
});

test('HEIC pixels come from heic-decode and hash like the JPEG they were made from', async () => {
  const heic = await readImageFacts(img('iphone.heic'));
  assert.equal(heic.format, 'heic');
  assert.deepEqual([heic.width, heic.height], [320, 240]);
  assert.ok(hammingDistance(heic.hashes.phash64!, await phashOf('garden-reference.jpg')) <= 4);
});

test('embedded thumbnails: faithful, stale (crop), and unrotated after an editor turned the image', async () => {
  const canon = (await readImageFacts(img('canon-80d.jpg'))).thumbnail;
  assert.ok(canon && canon.distance <= PHASH_MATCH_THRESHOLD, `faithful thumbnail: ${JSON.stringify(canon)}`);

  const sideways = (await readImageFacts(img('orientation-6.jpg'))).thumbnail;
  assert.ok(sideways && sideways.distance <= PHASH_MATCH_THRESHOLD, 'the thumbnail is turned by the same Orientation');

  const stale = (await readImageFacts(img('stale-thumbnail.jpg'))).thumbnail;
  assert.ok(stale && stale.distance > PHASH_MATCH_THRESHOLD && stale.rotatedDistance > PHASH_MATCH_THRESHOLD, JSON.stringify(stale));

  const turned = (await readImageFacts(img('rotated-thumbnail.jpg'))).thumbnail;
  assert.ok(turned, 'thumbnail compared');
  assert.ok(turned.distance > PHASH_MATCH_THRESHOLD);
  assert.ok(turned.rotatedDistance <= PHASH_MATCH_THRESHOLD);
  assert.equal(turned.rotation, 90, 'the main image is the thumbnail turned 90° clockwise');

  assert.equal((await readImageFacts(img('iphone12.jpg'))).thumbnail, null, 'no IFD1 thumbnail');
});

test('readManyImageFacts: worker pool gives the same facts in the same order, with progress', async () => {
  const names = [
    'canon-80d.jpg',
    'truncated.jpg',
    'iphone.heic',
    'not-an-image.jpg',
    'rotated-thumbnail.jpg',
    'map.png',
    'orientation-6.jpg',
    'sticker.webp',
    'no-such-file.jpg',
    'samsung-s21.jpg',
  ];
  const progress: [number, number][] = [];
  const many = await readManyImageFacts(names.map(img), { concurrency: 2, onProgress: (d, t) => progress.push([d, t]) });
  assert.equal(many.length, names.length);
  assert.deepEqual(progress.at(-1), [names.length, names.length]);
  assert.equal(progress.length, names.length);
  for (const [i, name] of names.entries()) {
    const one = await readImageFacts(img(name));
    assert.deepEqual(many[i], one, name);
  }
  assert.deepEqual(await readManyImageFacts([]), []);
});
