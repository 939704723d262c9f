// --deep: exiftool when it is there, a clear note and no failure when it is not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { applyDeep, deepFacts, deepSerials, EXIFTOOL_MISSING, exiftoolAvailable, readManyImageFacts, type DeepFacts, type ImageFacts } from '../src/media/index.js';
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

test('with exiftool: one batched process, Group:Tag keys, numeric values, printed encoder fingerprint, no checkout-specific tags', async (t) => {
  if (!(await exiftoolAvailable())) {
    t.skip('exiftool not installed');
    return;
  }
  const paths = [img('canon-80d.jpg'), img('messenger-reencode.jpg'), img('sticker.webp'), img('no-such-file.jpg')];
  const map = await deepFacts(paths);
  const canon = map.get(paths[0]!)!;
  assert.equal(canon['IFD0:Make'], 'Canon');
  assert.equal(canon['ExifIFD:SerialNumber'], '083021001234');
  assert.equal(canon['GPS:GPSLatitude'], '55.7558', 'numeric values (-all#), not 55 deg 45\' …');
  assert.equal(canon['File:JPEGDigest'], 'Independent JPEG Group library (used by many applications), Quality 88', 'printed, not the bare hash');
  assert.equal(canon['File:JPEGQualityEstimate'], '88');
  assert.equal(map.get(paths[1]!)!['File:JPEGDigest'], 'Independent JPEG Group library (used by many applications), Quality 50');
  assert.equal(map.get(paths[2]!)!['IFD0:Model'], 'iPhone 12', 'exiftool reads WebP EXIF that exifr cannot');
  assert.ok(!Object.keys(canon).some((k) => k.startsWith('System:')));
  assert.equal(map.has(paths[3]!), false);
});

test('with exiftool: --deep names the encoder and fills make/model that threatlens could not read (WebP)', async (t) => {
  if (!(await exiftoolAvailable())) {
    t.skip('exiftool not installed');
    return;
  }
  const [webp, canon] = await readManyImageFacts([img('sticker.webp'), img('canon-80d.jpg')], { deep: true });
  assert.equal(webp!.exif.make, 'Apple');
  assert.equal(webp!.exif.model, 'iPhone 12');
  assert.deepEqual(webp!.deep?.filled, ['make', 'model']);
  assert.equal(webp!.deep?.encoder, null, 'no JPEG tables in a WebP');
  assert.equal(webp!.deep?.tags['IFD0:Software'], 'Telegram sticker tool');
  assert.equal(canon!.deep?.encoder, 'Independent JPEG Group library (used by many applications), Quality 88');
  assert.equal(canon!.deep?.quality, 88);
  assert.deepEqual(canon!.deep?.filled, [], 'threatlens had read make, model and serials itself');
});

test('applyDeep: encoder and quality as named fields, fills only what is missing and says so', () => {
  const facts: { exif: ImageFacts['exif']; deep?: DeepFacts } = { exif: { make: null, model: 'kept', serial: null, lensSerial: null } as unknown as ImageFacts['exif'] };
  applyDeep(facts, {
    'IFD0:Make': 'NIKON CORPORATION',
    'IFD0:Model': 'NIKON D750',
    'Nikon:SerialNumber': '6012345',
    'File:JPEGDigest': 'Adobe Photoshop, Quality 7',
    'File:JPEGQualityEstimate': '91',
  });
  assert.equal(facts.exif.make, 'NIKON CORPORATION');
  assert.equal(facts.exif.model, 'kept');
  assert.equal(facts.exif.serial, '6012345');
  assert.deepEqual({ ...facts.deep, tags: {} }, {
    encoder: 'Adobe Photoshop, Quality 7',
    quality: 91,
    filled: ['make', 'serial'],
    tags: {},
  });
});

test('deepSerials prefers maker-note and EXIF body serials, skips zero placeholders', () => {
  assert.deepEqual(deepSerials({ 'Canon:InternalSerialNumber': '0000000000', 'Canon:SerialNumber': '083021001234', 'Canon:LensSerialNumber': '0000c51a2f' }), {
    serial: '083021001234',
    lensSerial: '0000c51a2f',
  });
  assert.deepEqual(deepSerials({ 'IFD0:Make': 'Canon' }), { serial: null, lensSerial: null });
});
