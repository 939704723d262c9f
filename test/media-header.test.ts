// The JPEG header walk: EXIF found behind more than 1 MiB of header segments, megabytes of
// XMP-Extended walked past without a read, the limits that bound a hostile file, and no
// "metadata-stripped" verdict on a header that could not be read to its end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileFacts, readImageFacts, readImageHeader, readImageMetadata } from '../src/media/index.js';
import { windowedReader } from '../src/media/file-window.js';
import { readJpegHeader } from '../src/media/jpeg-segments.js';
import { fixturePath } from './helpers.js';

const img = (name: string): string => fixturePath('images', name);

test('EXIF behind 1.1 MB of ICC segments is read, with the ICC profile, and no error', async () => {
  const header = await readImageHeader(img('exif-after-padding.jpg'));
  const exifAt = header.segments.findIndex((s) => s.kind === 'exif');
  assert.ok(header.segments[exifAt]!.offset > 1 << 20, `EXIF starts beyond 1 MiB (at ${header.segments[exifAt]!.offset})`);
  assert.equal(header.segments.slice(0, exifAt).filter((s) => s.kind === 'icc').length, 18, '18 ICC chunks come first');
  assert.equal(header.complete, true);
  assert.deepEqual(header.errors, []);

  const facts = await readImageFacts(img('exif-after-padding.jpg'));
  assert.equal(facts.exif.make, 'Canon');
  assert.equal(facts.exif.model, 'Canon EOS R6');
  assert.equal(facts.exif.serial, '102033004455');
  assert.equal(facts.exif.takenAt, '2022-10-08T03:01:15Z');
  assert.deepEqual(facts.exif.gps, { lat: 59.9398, lon: 30.3146, altitude: 4.2, time: '2022-10-08T03:01:12Z' });
  assert.equal(facts.exif.iccDescription, 'Threatlens Proofing Profile (1.1 MB)', 'the 18-chunk profile reassembled');
  assert.deepEqual(facts.errors, []);
  assert.deepEqual(facts.anomalies, [], 'not metadata-stripped');
});

test('EXIF first, then 1.4 MB of XMP-Extended (a Google depth map): read without error, the extension walked past', async () => {
  const path = img('xmp-extended-depthmap.jpg');
  const header = await readImageHeader(path);
  const extended = header.segments.filter((s) => s.kind === 'xmp-extended');
  assert.equal(extended.length, 22);
  assert.ok(extended.every((s) => !s.kept), 'XMP-Extended is not kept');
  assert.ok(extended.reduce((n, s) => n + s.length, 0) > 1.4e6);
  assert.ok(header.bytes.length < 4096, `only the metadata segments are held (${header.bytes.length} bytes of ${statSync(path).size})`);
  assert.equal(header.complete, true);
  assert.deepEqual(header.errors, []);

  const { exif, errors } = await readImageMetadata(path);
  assert.deepEqual(errors, []);
  assert.equal(exif.make, 'Google');
  assert.equal(exif.model, 'Pixel 6');
  assert.equal(exif.takenAt, '2022-05-14T16:22:41Z');
  assert.deepEqual([exif.gps?.lat, exif.gps?.lon], [52.5163, 13.3777]);
  assert.equal(exif.creatorTool, 'Pixel 6', 'the main XMP packet is read');
});

test('a header cut off before its EXIF is incomplete: an error names the spot, and no metadata-stripped verdict', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'threatlens-header-'));
  try {
    // The padding fixture cut in the middle of its ICC chunks: the EXIF behind them is unreadable.
    const cut = join(dir, 'cut.jpg');
    writeFileSync(cut, readFileSync(img('exif-after-padding.jpg')).subarray(0, 600_000));
    const facts = await readFileFacts(cut);
    assert.equal(facts.format, 'jpeg');
    assert.equal(facts.metadataComplete, false);
    assert.equal(facts.exif.hasExif, false);
    assert.ok(facts.errors.some((e) => /JPEG ends inside segment 0xFFE2 at byte \d+ \(truncated\)/.test(e)), facts.errors.join('; '));
    assert.deepEqual(facts.anomalies, [], 'an unread header is not a stripped one');

    // The same bytes complete: stripped is said only of a header read to its end.
    const whole = await readFileFacts(img('messenger-reencode.jpg'));
    assert.equal(whole.metadataComplete, true);
    assert.deepEqual(whole.anomalies.map((a) => a.code), ['metadata-stripped']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('limits: segments walked and bytes kept are bounded; the first EXIF segment is always kept', async () => {
  const path = img('exif-after-padding.jpg');
  const fd = openSync(path, 'r');
  try {
    const size = statSync(path).size;
    const few = await readJpegHeader(windowedReader(fd, size), size, { maxSegments: 5, maxKeptBytes: 16 << 20 });
    assert.equal(few.complete, false);
    assert.equal(few.segments.length, 5);
    assert.match(few.errors[0]!, /more than 5 segments/);

    const small = await readJpegHeader(windowedReader(fd, size), size, { maxSegments: 100_000, maxKeptBytes: 200_000 });
    assert.equal(small.complete, false, 'ICC chunks beyond the budget were dropped');
    assert.ok(small.tiff, 'EXIF kept although the budget was spent');
    assert.ok(small.bytes.length < 300_000);
    assert.ok(small.errors.some((e) => /exceed 200000 bytes; icc segment at byte \d+ not read/.test(e)));
  } finally {
    closeSync(fd);
  }
});

test('the window reader serves many small reads from one block and copies nothing it is not asked to', async () => {
  const path = img('canon-80d.jpg');
  const fd = openSync(path, 'r');
  try {
    const size = statSync(path).size;
    const whole = readFileSync(path);
    const read = windowedReader(fd, size, 4096);
    assert.deepEqual(await read(0, 4), whole.subarray(0, 4));
    assert.deepEqual(await read(4000, 200), whole.subarray(4000, 4200), 'a read across the window edge');
    assert.deepEqual(await read(size - 10, 100), whole.subarray(size - 10), 'fewer bytes at the end of the file');
    assert.equal((await read(size + 5, 10)).length, 0);
  } finally {
    closeSync(fd);
  }
});
