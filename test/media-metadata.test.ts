// Metadata of the image fixtures: agreement with exiftool's committed reading, and every exifr
// pitfall of MEDIA.md §1 held off (EXIF behind ICC/XMP, machine zone, dropped GPS, NUL padding,
// descriptor leaks, console noise).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import exifr from 'exifr';
import { exifTime, offsetFromGps, readImageFacts, readImageHeader, readImageMetadata } from '../src/media/index.js';
import { fixturePath } from './helpers.js';

const img = (name: string): string => fixturePath('images', name);

type Reference = Record<string, unknown> & { SourceFile: string };
const reference = new Map(
  (JSON.parse(readFileSync(img('exiftool-reference.json'), 'utf8')) as Reference[]).map((r) => [r.SourceFile, r]),
);

// Camera-style fixtures whose EXIF exiftool wrote: our reading must agree with its reading.
const CAMERA = [
  'canon-80d.jpg',
  'iphone12.jpg',
  'samsung-s21.jpg',
  'photoshop-edited.jpg',
  'stale-thumbnail.jpg',
  'rotated-thumbnail.jpg',
  'orientation-6.jpg',
  'exif-after-icc.jpg',
  'exif-after-xmp.jpg',
  'map.png',
  'iphone.heic',
  'polaroid-nul.jpg',
  'ifd0-bad-type.jpg',
  'exif-after-padding.jpg',
  'xmp-extended-depthmap.jpg',
  'gps-bad-altitude-type.jpg',
];

const str = (v: unknown): string | null => (v === undefined ? null : String(v));

for (const name of CAMERA) {
  test(`metadata of ${name} agrees with exiftool (make, model, original time, GPS, software, serial)`, async () => {
    const ref = reference.get(name);
    assert.ok(ref, `${name} is in exiftool-reference.json`);
    const { exif } = await readImageMetadata(img(name));
    assert.equal(exif.make, str(ref['IFD0:Make']));
    assert.equal(exif.model, str(ref['IFD0:Model']));
    assert.equal(exif.software, str(ref['IFD0:Software']));
    assert.equal(exif.takenAtRaw, str(ref['ExifIFD:DateTimeOriginal']));
    const offset = str(ref['ExifIFD:OffsetTimeOriginal']);
    if (offset !== null) assert.deepEqual([exif.takenAtOffset, exif.takenAtBasis], [offset, 'offset-tag']);
    else assert.notEqual(exif.takenAtBasis, 'offset-tag');
    assert.equal(exif.serial, str(ref['ExifIFD:SerialNumber']));
    assert.equal(exif.lensSerial, str(ref['ExifIFD:LensSerialNumber']));
    assert.equal(exif.imageUniqueId, str(ref['ExifIFD:ImageUniqueID']));
    const lat = ref['GPS:GPSLatitude'] as number | undefined;
    if (lat === undefined) assert.equal(exif.gps, null);
    else {
      // exiftool -n keeps the magnitude in GPSLatitude; the sign comes from the Ref tag.
      const sign = (ref: unknown, negative: string): number => (ref === negative ? -1 : 1);
      assert.ok(exif.gps, 'GPS found');
      assert.ok(Math.abs(exif.gps.lat - sign(ref['GPS:GPSLatitudeRef'], 'S') * lat) < 1e-6);
      assert.ok(Math.abs(exif.gps.lon - sign(ref['GPS:GPSLongitudeRef'], 'W') * (ref['GPS:GPSLongitude'] as number)) < 1e-6);
    }
  });
}

test('dates: offsets give UTC instants, a missing offset leaves only the wall clock, OffsetTime belongs to ModifyDate', async () => {
  const canon = (await readImageMetadata(img('canon-80d.jpg'))).exif;
  assert.equal(canon.takenAt, '2023-03-14T06:26:53Z');
  assert.equal(canon.takenAtLocal, '2023-03-14T09:26:53');
  assert.equal(canon.takenAtBasis, 'offset-tag');
  assert.equal(canon.takenAtRaw, '2023:03:14 09:26:53');
  assert.equal(canon.createdAt, '2023-03-14T06:26:53Z');
  assert.equal(canon.createdAtOffset, '+03:00');
  assert.equal(canon.modifiedAt, '2023-03-14T06:26:53Z');

  const edited = (await readImageMetadata(img('photoshop-edited.jpg'))).exif;
  assert.equal(edited.modifiedAt, '2023-03-17T19:41:07Z');
  assert.equal(edited.modifiedAtLocal, '2023-03-17T22:41:07');
  assert.equal(edited.modifiedAtRaw, '2023:03:17 22:41:07');
  assert.equal(edited.modifiedAtOffset, '+03:00');

  const iphone = (await readImageMetadata(img('iphone12.jpg'))).exif;
  assert.equal(iphone.takenAt, '2023-01-10T00:14:05Z', 'a negative offset moves the instant forward');

  // No offset anywhere (no OffsetTime*, no XMP, no GPS): no instant, only the camera's wall clock.
  const samsung = (await readImageMetadata(img('samsung-s21.jpg'))).exif;
  assert.equal(samsung.takenAt, null);
  assert.equal(samsung.takenAtLocal, '2022-12-30T17:45:10');
  assert.equal(samsung.takenAtOffset, null);
  assert.equal(samsung.takenAtBasis, null);
  assert.equal(samsung.createdAt, null);
  assert.equal(samsung.modifiedAtLocal, '2022-12-30T17:45:10');

  assert.deepEqual(exifTime('0000:00:00 00:00:00', '+03:00'), { at: null, local: null, offset: null, basis: null, raw: '0000:00:00 00:00:00' });
  assert.equal(exifTime('    :  :     :  :  ', null).local, null);
  assert.equal(exifTime('2023:02:31 10:00:00', null).local, null, '31 February is not a date');
  assert.deepEqual(exifTime('2023:03:14 09:26:53', '   :  '), { at: null, local: '2023-03-14T09:26:53', offset: null, basis: null, raw: '2023:03:14 09:26:53' }, 'a blank offset is no offset');
  assert.deepEqual(exifTime('2023-03-17T22:41:07+03:00', null), {
    at: '2023-03-17T19:41:07Z',
    local: '2023-03-17T22:41:07',
    offset: '+03:00',
    basis: 'date-string',
    raw: '2023-03-17T22:41:07+03:00',
  });
});

test('offsets found elsewhere: the XMP copy of a date, the GPS clock, DateTimeOriginal for the same wall clock', async () => {
  // Real Nikon E4600 file re-saved by Photoshop CS3: EXIF dates have no offset, the XMP copies (in
  // the old `xap:` namespace) do; ModifyDate's XMP twin gives the save time its offset too.
  const nikon = (await readImageMetadata(img('real/nikon-e4600-photoshop.jpg'))).exif;
  assert.deepEqual([nikon.takenAt, nikon.takenAtLocal, nikon.takenAtOffset, nikon.takenAtBasis], ['2006-06-13T13:44:45Z', '2006-06-13T15:44:45', '+02:00', 'xmp-date']);
  assert.deepEqual([nikon.createdAt, nikon.createdAtBasis], ['2006-06-13T13:44:45Z', 'xmp-date']);
  assert.deepEqual([nikon.modifiedAt, nikon.modifiedAtBasis], ['2008-05-08T12:54:46Z', 'xmp-date']);
  assert.equal(nikon.creatorTool, 'Adobe Photoshop CS3 Windows', 'xap:CreatorTool read like xmp:CreatorTool');

  // No offset tag, but GPSDateStamp+GPSTimeStamp (UTC) lie 3 h minus 2 s from the wall clock.
  const huawei = (await readImageMetadata(img('gps-bad-altitude-type.jpg'))).exif;
  assert.deepEqual([huawei.takenAt, huawei.takenAtOffset, huawei.takenAtBasis], ['2022-10-09T18:40:03Z', '+03:00', 'gps-time']);

  // CreateDate and ModifyDate without offsets of their own, on DateTimeOriginal's wall clock.
  const canon = (await readImageMetadata(img('exif-after-padding.jpg'))).exif;
  assert.deepEqual([canon.takenAt, canon.takenAtBasis], ['2022-10-08T03:01:15Z', 'offset-tag']);
  assert.deepEqual([canon.createdAt, canon.createdAtBasis, canon.modifiedAt, canon.modifiedAtBasis], ['2022-10-08T03:01:15Z', 'capture-time', '2022-10-08T03:01:15Z', 'capture-time']);

  // Real iPhone 4S: GPSTimeStamp without GPSDateStamp, no offset anywhere: no instant is made up.
  const iphone = (await readImageMetadata(img('real/apple-iphone4s.jpg'))).exif;
  assert.deepEqual([iphone.takenAt, iphone.takenAtLocal, iphone.takenAtBasis], [null, '2013-02-06T16:00:03', null]);

  // The GPS clock only fixes an offset when it lines up with a quarter hour, within a minute.
  const at = (local: string) => exifTime(local, null);
  assert.equal(offsetFromGps(at('2023:03:14 09:26:53'), '2023-03-14T06:26:50Z'), 180);
  assert.equal(offsetFromGps(at('2023:03:14 09:26:53'), '2023-03-14T03:56:10Z'), 330, 'India, +05:30');
  assert.equal(offsetFromGps(at('2023:03:14 09:26:53'), '2023-03-14T06:19:00Z'), null, 'a stale fix, 7 min off');
  assert.equal(offsetFromGps(at('2023:03:14 09:26:53'), '2023-03-12T06:26:53Z'), null, 'beyond ±14 h');
});

test('an IFD0 whose entry count runs past the block: exifr loses everything, no repair can help, the GPS directory read alone keeps position, altitude and GPS time', async () => {
  const ref = reference.get('ifd0-overrun.jpg')!;
  assert.equal(ref['IFD0:Make'], undefined, 'exiftool gives up on this block too');
  assert.equal(ref['GPS:GPSLatitude'], undefined);
  const facts = await readImageFacts(img('ifd0-overrun.jpg'));
  assert.equal(facts.exif.make, null);
  assert.deepEqual(facts.exif.gps, { lat: 59.9398, lon: 30.3146, altitude: 4.2, time: '2022-10-08T03:01:12Z' });
  assert.ok(facts.errors.includes('EXIF: IFD0: 1009 entries run past the end of the EXIF block'), facts.errors.join('; '));
  assert.ok(facts.errors.some((e) => /^EXIF: Invalid TIFF value type\. block: IFD0/.test(e)), 'exifr\'s own error is kept');
  assert.ok(facts.errors.includes('GPS: recovered by reading the GPS directory alone (position, altitude, GPS time)'));
  assert.equal(facts.exif.hasExif, true, 'a damaged EXIF block is still an EXIF block');
  assert.deepEqual(facts.anomalies, [], 'not metadata-stripped');
});

test('a bad entry inside GPS: exifr silently stops there, our walk names it, the repaired copy keeps GPS time', async () => {
  const header = await readImageHeader(img('gps-bad-altitude-type.jpg'));
  // The pitfall itself (exifr 7.1.3): no error, and everything after the bad entry gone.
  const raw = (await exifr.parse(header.bytes, { gps: true, mergeOutput: false, reviveValues: false })) as { gps: Record<string, unknown>; errors?: unknown[] };
  assert.equal(raw.errors, undefined);
  assert.ok(raw.gps.GPSLatitude && raw.gps.GPSTimeStamp === undefined && raw.gps.GPSDateStamp === undefined);

  const { exif, errors } = await readImageMetadata(img('gps-bad-altitude-type.jpg'));
  assert.deepEqual(exif.gps, { lat: 55.752, lon: 37.6175, altitude: null, time: '2022-10-09T18:40:01Z' });
  assert.deepEqual(errors, ['EXIF: GPS entry 6 (tag 0x0006) has invalid TIFF type 0; ignored']);
});

test('dates do not depend on the machine time zone (TZ=America/New_York, Asia/Tokyo, UTC)', () => {
  const script = `
    import { readImageMetadata } from ${JSON.stringify(new URL('../src/media/index.js', import.meta.url).href)};
    const out = [];
    for (const f of ${JSON.stringify(CAMERA.map(img))}) { const { exif } = await readImageMetadata(f); out.push([exif.takenAt, exif.takenAtLocal, exif.createdAt, exif.modifiedAt, exif.gps && exif.gps.time]); }
    process.stdout.write(JSON.stringify(out));`;
  const run = (tz: string): string =>
    execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, TZ: tz }, encoding: 'utf8' });
  const utc = run('UTC');
  assert.equal(run('America/New_York'), utc);
  assert.equal(run('Asia/Tokyo'), utc);
  assert.ok(utc.includes('2023-03-14T06:26:53Z'));
});

test('GPS: signs from the Ref tags, altitude, and GPSDateStamp+GPSTimeStamp as UTC', async () => {
  const canon = (await readImageMetadata(img('canon-80d.jpg'))).exif.gps;
  assert.deepEqual(canon, { lat: 55.7558, lon: 37.6173, altitude: 156.4, time: '2023-03-14T06:26:50Z' });
  const iphone = (await readImageMetadata(img('iphone12.jpg'))).exif.gps;
  assert.deepEqual(iphone, { lat: -34.6037, lon: -58.3816, altitude: 25.2, time: '2023-01-10T00:14:03Z' });
});

test('EXIF behind a 24 KB ICC profile and a Photoshop IRB, and behind a 64 KB XMP packet, is found', async () => {
  for (const [name, before] of [
    ['exif-after-icc.jpg', ['photoshop', 'icc']],
    ['exif-after-xmp.jpg', ['xmp']],
  ] as const) {
    const header = await readImageHeader(img(name));
    const kinds = header.segments.map((s) => s.kind);
    const exifAt = kinds.indexOf('exif');
    for (const kind of before) assert.ok(kinds.indexOf(kind) >= 0 && kinds.indexOf(kind) < exifAt, `${name}: ${kind} comes before EXIF`);
    assert.ok(header.segments[exifAt]!.offset > 20_000, `${name}: EXIF starts beyond exifr's first chunk`);
    const { exif } = await readImageMetadata(img(name));
    assert.ok(exif.hasExif);
    assert.ok(exif.make && exif.serial && exif.takenAt, `${name}: make, serial and time read`);
  }
  const icc = (await readImageMetadata(img('exif-after-icc.jpg'))).exif;
  assert.equal(icc.iccDescription, 'Threatlens Test RGB (large)');
  assert.equal(icc.serial, '025021000777');
  const xmp = (await readImageMetadata(img('exif-after-xmp.jpg'))).exif;
  assert.equal(xmp.creatorTool, 'Adobe Photoshop 22.0 (Windows)');
  assert.equal(xmp.serial, '8AB12345');
});

test('header reading stops at SOS and never reads image data', async () => {
  const header = await readImageHeader(img('canon-80d.jpg'));
  assert.equal(header.format, 'jpeg');
  assert.equal(header.width, 480);
  assert.equal(header.height, 320);
  assert.ok(header.bytes.length < header.size / 2, 'only the header is held');
  assert.deepEqual([...header.bytes.subarray(-2)], [0xff, 0xd9]);
  const png = await readImageHeader(img('map.png'));
  assert.equal(png.width, 320);
  assert.ok(!png.bytes.includes('IDAT'), 'PNG pixel chunks are skipped');
  assert.ok(png.tiff, 'eXIf located');
});

test('XMP: CreatorTool, history, DocumentID and OriginalDocumentID; EXIF is not overwritten by XMP', async () => {
  const { exif } = await readImageMetadata(img('photoshop-edited.jpg'));
  assert.equal(exif.creatorTool, 'Adobe Photoshop 24.1 (Windows)');
  assert.deepEqual(exif.history, [
    'saved by Adobe Photoshop 24.1 (Windows) at 2023-03-17T22:39:55+03:00',
    'converted (from image/jpeg to image/jpeg)',
    'saved by Adobe Photoshop 24.1 (Windows) at 2023-03-17T22:41:07+03:00',
  ]);
  assert.equal(exif.documentId, 'adobe:docid:photoshop:5c1f0a2e-8d1b-11ed-9b6a-b1c2d3e4f5a6');
  // Photoshop keeps the camera's ImageUniqueID as OriginalDocumentID: a link back to the original.
  assert.equal(exif.originalDocumentId?.toLowerCase(), (await readImageMetadata(img('canon-80d.jpg'))).exif.imageUniqueId);
  assert.equal(exif.modifiedAtRaw, '2023:03:17 22:41:07', 'EXIF ModifyDate, not the XMP one');
});

test('strings are cut at the first NUL (Polaroid ION230\\0F)', async () => {
  const { exif } = await readImageMetadata(img('polaroid-nul.jpg'));
  assert.equal(exif.model, 'ION230');
});

test('an IFD0 entry of invalid type does not sink the block: Make, time and GPS still read, the entry reported', async () => {
  const { exif, errors } = await readImageMetadata(img('ifd0-bad-type.jpg'));
  assert.equal(exif.make, 'SONY');
  assert.equal(exif.model, 'DSC-HX5V');
  assert.equal(exif.takenAt, '2011-03-11T05:46:00Z');
  assert.deepEqual([exif.gps?.lat, exif.gps?.lon], [38.2682, 140.8694]);
  assert.ok(errors.some((e) => /IFD0 entry 5 \(tag 0x013b\) has invalid TIFF type 255/.test(e)), errors.join('; '));
});

test('PNG eXIf + iTXt XMP, HEIC EXIF item (libheif base_offset), WebP noted as unread', async () => {
  const png = (await readImageMetadata(img('map.png'))).exif;
  assert.equal(png.make, 'Google');
  assert.equal(png.creatorTool, 'Snapseed 2.21');
  assert.equal(png.takenAt, '2022-07-04T06:30:00Z');

  const heic = await readImageMetadata(img('iphone.heic'));
  assert.equal(heic.format, 'heic');
  assert.equal(heic.exif.model, 'iPhone 13');
  assert.equal(heic.exif.takenAt, '2023-04-01T07:11:12Z');
  assert.deepEqual([heic.exif.gps?.lat, heic.exif.gps?.lon], [41.0082, 28.9784]);
  assert.deepEqual(heic.errors, []);

  const webp = await readImageMetadata(img('sticker.webp'));
  assert.equal(webp.format, 'webp');
  assert.ok(webp.errors.some((e) => /WebP metadata is not read/.test(e)));
});

test('JFIF-only messenger re-encode: no EXIF, jfifOnly', async () => {
  const { exif } = await readImageMetadata(img('messenger-reencode.jpg'));
  assert.equal(exif.hasExif, false);
  assert.equal(exif.jfifOnly, true);
  const camera = (await readImageMetadata(img('canon-80d.jpg'))).exif;
  assert.equal(camera.jfifOnly, false);
});

test('broken files never throw: truncated JPEG, text named .jpg, empty path', async () => {
  const truncated = await readImageFacts(img('truncated.jpg'));
  assert.equal(truncated.format, 'jpeg');
  assert.equal(truncated.exif.make, 'Apple', 'the header survived the cut');
  assert.deepEqual(truncated.hashes, {});
  assert.ok(truncated.errors.some((e) => /not decodable/.test(e)));
  assert.match(truncated.sha256, /^[0-9a-f]{64}$/);

  const text = await readImageFacts(img('not-an-image.jpg'));
  assert.equal(text.format, null);
  assert.deepEqual(text.hashes, {});
  assert.deepEqual(text.anomalies, []);
  assert.ok(text.errors.some((e) => /not an image/.test(e)));

  const missing = await readImageFacts(img('no-such-file.jpg'));
  assert.equal(missing.sha256, '');
  assert.ok(missing.errors.some((e) => /cannot read file/.test(e)));
});

test('no file descriptor leaks and no console noise, on good and broken files alike', async (t) => {
  const fdDir = '/proc/self/fd';
  let fds: () => number;
  try {
    readdirSync(fdDir);
    fds = () => readdirSync(fdDir).length;
  } catch {
    t.skip('no /proc/self/fd on this system');
    return;
  }
  const files = readdirSync(fixturePath('images')).filter((f) => /\.(jpg|png|heic|webp)$/.test(f));
  const noise: unknown[] = [];
  const { warn, log } = console;
  await readImageMetadata(img('canon-80d.jpg')); // let lazy module loading settle
  const before = fds();
  console.warn = (...a: unknown[]) => void noise.push(a);
  console.log = (...a: unknown[]) => void noise.push(a);
  try {
    for (let round = 0; round < 3; round++) for (const f of files) await readImageMetadata(img(f));
  } finally {
    console.warn = warn;
    console.log = log;
  }
  assert.equal(fds(), before);
  assert.deepEqual(noise, []);
});
