// Real camera files (fixtures/images/real/, copied from MIT-licensed npm packages; README.md there):
// threatlens must agree with exiftool on make, model, original time, GPS and software. Against the
// committed reading always, and against a live exiftool when one is installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { exiftoolAvailable, readImageFacts, type ImageFacts } from '../src/media/index.js';
import { fixturePath } from './helpers.js';

const REAL = [
  'real/apple-iphone4s.jpg',
  'real/apple-iphone4s-2.jpg',
  'real/canon-s40.jpg',
  'real/canon-powershot-s400-photoshop.jpg',
  'real/nikon-e4600-photoshop.jpg',
  'real/nikon-d100-photoshop.jpg',
];

type Reading = Record<string, unknown>;
const img = (name: string): string => fixturePath('images', name);
const committed = new Map((JSON.parse(readFileSync(img('exiftool-reference.json'), 'utf8')) as Reading[]).map((r) => [r.SourceFile as string, r]));

/** What exiftool says, in threatlens's terms: the five facts the issue names. */
function fromExiftool(r: Reading): Record<string, unknown> {
  const text = (v: unknown): string | null => (v === undefined ? null : String(v).trim());
  const lat = r['GPS:GPSLatitude'] as number | undefined;
  const lon = r['GPS:GPSLongitude'] as number | undefined;
  const alt = r['GPS:GPSAltitude'] as number | undefined;
  return {
    make: text(r['IFD0:Make']),
    model: text(r['IFD0:Model']),
    software: text(r['IFD0:Software']),
    takenAtRaw: text(r['ExifIFD:DateTimeOriginal']),
    takenAtOffset: text(r['ExifIFD:OffsetTimeOriginal']),
    // -n keeps magnitudes; the sign is in the Ref tags.
    lat: lat === undefined ? null : round(lat * (r['GPS:GPSLatitudeRef'] === 'S' ? -1 : 1)),
    lon: lon === undefined ? null : round(lon * (r['GPS:GPSLongitudeRef'] === 'W' ? -1 : 1)),
    altitude: alt === undefined ? null : round(alt * (r['GPS:GPSAltitudeRef'] === 1 ? -1 : 1)),
  };
}

function fromThreatlens(f: ImageFacts): Record<string, unknown> {
  const e = f.exif;
  return {
    make: e.make,
    model: e.model,
    software: e.software,
    takenAtRaw: e.takenAtRaw,
    takenAtOffset: e.takenAtBasis === 'offset-tag' ? e.takenAtOffset : null,
    lat: e.gps ? round(e.gps.lat) : null,
    lon: e.gps ? round(e.gps.lon) : null,
    altitude: e.gps?.altitude == null ? null : round(e.gps.altitude),
  };
}

/** 6 decimals: about 10 cm, beyond what either tool's rounding changes. */
const round = (x: number): number => Math.round(x * 1e6) / 1e6;

test('real camera files: the set is what fixtures/images/real/README says, with GPS in some and editors in others', async () => {
  const facts = await Promise.all(REAL.map((name) => readImageFacts(img(name))));
  assert.deepEqual(
    facts.map((f) => `${f.exif.make} ${f.exif.model}`),
    ['Apple iPhone 4S', 'Apple iPhone 4S', 'Canon S40', 'Canon Canon PowerShot S400', 'NIKON E4600', 'NIKON CORPORATION NIKON D100'],
  );
  assert.equal(facts.filter((f) => f.exif.gps !== null).length, 2);
  assert.deepEqual(
    facts.map((f) => f.anomalies.map((a) => a.code).join(',')),
    ['', '', '', 'editing-software,modify-date-differs', 'editing-software,modify-date-differs', 'editing-software,modify-date-differs'],
  );
  for (const f of facts) assert.deepEqual(f.errors, [], f.errors.join('; '));
  // Their embedded thumbnails still show the same picture.
  for (const f of facts) if (f.thumbnail) assert.ok(f.thumbnail.distance <= 10, JSON.stringify(f.thumbnail));
});

for (const name of REAL) {
  test(`${name}: make, model, original time, GPS and software agree with exiftool's committed reading`, async () => {
    const ref = committed.get(name);
    assert.ok(ref, `${name} is in exiftool-reference.json`);
    assert.deepEqual(fromThreatlens(await readImageFacts(img(name))), fromExiftool(ref));
  });
}

test('real camera files agree with a live exiftool too (skipped without exiftool)', async (t) => {
  if (!(await exiftoolAvailable())) {
    t.skip('exiftool not installed');
    return;
  }
  const live = JSON.parse(execFileSync('exiftool', ['-json', '-n', '-G1', '-a', ...REAL], { cwd: img(''), encoding: 'utf8' })) as Reading[];
  assert.equal(live.length, REAL.length);
  for (const reading of live) {
    const name = reading.SourceFile as string;
    const ours = fromThreatlens(await readImageFacts(img(name)));
    assert.deepEqual(ours, fromExiftool(reading), name);
    assert.deepEqual(fromExiftool(committed.get(name)!), fromExiftool(reading), `${name}: the committed reading is this exiftool's`);
  }
});
