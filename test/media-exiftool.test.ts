// --deep: exiftool when it is there, a clear note and no failure when it is not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { deepFacts, deepSerials, EXIFTOOL_MISSING, exiftoolAvailable, readManyImageFacts } from '../src/media/index.js';
import { fixturePath } from './helpers.js';

const img = (name: string): string => fixturePath('images', name);

test('without exiftool on PATH: one note, an empty map, and facts still read', () => {
  const script = `
    import { deepFacts, readManyImageFacts } from ${JSON.stringify(new URL('../src/media/index.js', import.meta.url).href)};
    const notes = [];
    const map = await deepFacts([${JSON.stringify(img('canon-80d.jpg'))}], { onWarning: (m) => notes.push(m) });
    const facts = await readManyImageFacts([${JSON.stringify(img('canon-80d.jpg'))}], { deep: true, onWarning: (m) => notes.push(m) });
    process.stdout.write(JSON.stringify({ size: map.size, notes, make: facts[0].exif.make, deep: facts[0].deep ?? null }));`;
  const out = JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, PATH: '/nonexistent' }, encoding: 'utf8' }),
  ) as { size: number; notes: string[]; make: string; deep: unknown };
  assert.equal(out.size, 0);
  assert.deepEqual(out.notes, [EXIFTOOL_MISSING, EXIFTOOL_MISSING]);
  assert.match(EXIFTOOL_MISSING, /apt-get install libimage-exiftool-perl/);
  assert.equal(out.make, 'Canon');
  assert.equal(out.deep, null);
});

test('with exiftool: one batched process, Group:Tag keys, encoder fingerprint, no checkout-specific tags', async (t) => {
  if (!(await exiftoolAvailable())) {
    t.skip('exiftool not installed');
    return;
  }
  const paths = [img('canon-80d.jpg'), img('messenger-reencode.jpg'), img('sticker.webp'), img('no-such-file.jpg')];
  const map = await deepFacts(paths);
  const canon = map.get(paths[0]!)!;
  assert.equal(canon['IFD0:Make'], 'Canon');
  assert.equal(canon['ExifIFD:SerialNumber'], '083021001234');
  assert.match(canon['File:JPEGDigest'] ?? '', /^[0-9a-f]{32}$/);
  assert.equal(canon['File:JPEGQualityEstimate'], '88');
  assert.equal(map.get(paths[1]!)!['File:JPEGQualityEstimate'], '50');
  assert.equal(map.get(paths[2]!)!['IFD0:Model'], 'iPhone 12', 'exiftool reads WebP EXIF that exifr cannot');
  assert.ok(!Object.keys(canon).some((k) => k.startsWith('System:')));
  assert.equal(map.has(paths[3]!), false);

  const [facts] = await readManyImageFacts([paths[2]!], { deep: true });
  assert.equal(facts!.deep?.['IFD0:Make'], 'Apple');
});

test('deepSerials prefers maker-note and EXIF body serials, skips zero placeholders', () => {
  assert.deepEqual(deepSerials({ 'Canon:InternalSerialNumber': '0000000000', 'Canon:SerialNumber': '083021001234', 'Canon:LensSerialNumber': '0000c51a2f' }), {
    serial: '083021001234',
    lensSerial: '0000c51a2f',
  });
  assert.deepEqual(deepSerials({ 'IFD0:Make': 'Canon' }), { serial: null, lensSerial: null });
});
