// Anomalies: each code on the fixture built to show it, absent where it should be.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anomaliesFor, formatDuration, readImageFacts, readManyImageFacts, type ImageFacts } from '../src/media/index.js';
import { fixturePath } from './helpers.js';

const img = (name: string): string => fixturePath('images', name);
const codes = (facts: ImageFacts): string[] => facts.anomalies.map((a) => a.code);

test('a camera original with no message context has no anomalies', async () => {
  const facts = await readImageFacts(img('canon-80d.jpg'));
  assert.deepEqual(facts.anomalies, []);
  assert.deepEqual(facts.errors, []);
});

test('thumbnail-mismatch (crop) and thumbnail-rotated (turned after capture) are told apart', async () => {
  const stale = await readImageFacts(img('stale-thumbnail.jpg'));
  assert.deepEqual(codes(stale), ['thumbnail-mismatch']);
  assert.match(stale.anomalies[0]!.message, /different picture/);

  const turned = await readImageFacts(img('rotated-thumbnail.jpg'));
  assert.deepEqual(codes(turned), ['thumbnail-rotated']);
  assert.match(turned.anomalies[0]!.message, /turned 90° clockwise/);
});

test('editing-software from Software, CreatorTool and History; modify-date-differs', async () => {
  const edited = await readImageFacts(img('photoshop-edited.jpg'));
  assert.deepEqual(codes(edited), ['editing-software', 'modify-date-differs']);
  assert.equal(edited.anomalies[0]!.message, 'edited with Adobe Photoshop 24.1 (Windows) (in Software, CreatorTool, History (2 events))');
  assert.match(edited.anomalies[1]!.message, /ModifyDate 2023:03:17 22:41:07\+03:00 is 3 d 13 h after DateTimeOriginal 2023:03:14 09:26:53\+03:00/);

  const snapseed = await readImageFacts(img('map.png'));
  assert.deepEqual(codes(snapseed), ['editing-software']);
  // A camera's own firmware string is not an editor.
  assert.deepEqual(codes(await readImageFacts(img('iphone12.jpg'))), []);
});

test('exif-time-far-from-message: exact with an offset, approximate with a wall clock, quiet within 7 days', async () => {
  const exact = await readImageFacts(img('canon-80d.jpg'), { messageTime: '2023-04-20T12:00:00Z' });
  assert.deepEqual(codes(exact), ['exif-time-far-from-message']);
  assert.match(exact.anomalies[0]!.message, /capture time 2023-03-14T06:26:53Z \(DateTimeOriginal at \+03:00, offset from offset-tag\) is 37 d before the message/);

  const wall = await readImageFacts(img('samsung-s21.jpg'), { messageTime: '2023-02-20T12:00:00Z' });
  assert.deepEqual(codes(wall), ['exif-time-far-from-message']);
  assert.match(wall.anomalies[0]!.message, /capture wall clock 2022-12-30T17:45:10 \(no offset known; read as UTC, so ±14 h\)/);

  const close = await readImageFacts(img('canon-80d.jpg'), { messageTime: '2023-03-20T12:00:00Z' });
  assert.deepEqual(codes(close), []);

  const after = await readImageFacts(img('canon-80d.jpg'), { messageTime: '2023-01-01T00:00:00Z' });
  assert.match(after.anomalies[0]!.message, /after the message.*camera clock is wrong/);
});

test('gps-in-messenger-image only when the image came through a messenger', async () => {
  const direct = await readImageFacts(img('iphone12.jpg'));
  assert.deepEqual(codes(direct), []);
  const chat = await readImageFacts(img('iphone12.jpg'), { messenger: true });
  assert.deepEqual(codes(chat), ['gps-in-messenger-image']);
  assert.match(chat.anomalies[0]!.message, /-34\.6037, -58\.3816/);
});

test('metadata-stripped: JFIF-only re-encode, and a JPEG without any metadata', async () => {
  const [jfif, bare, png] = await readManyImageFacts([img('messenger-reencode.jpg'), img('kitchen-upright.jpg'), img('variants/canon-80d-half-q60.jpg')], {
    concurrency: 1,
  });
  assert.deepEqual(codes(jfif!), ['metadata-stripped']);
  assert.match(jfif!.anomalies[0]!.message, /only a JFIF header/);
  assert.deepEqual(codes(bare!), ['metadata-stripped']);
  assert.match(bare!.anomalies[0]!.message, /^no EXIF metadata/);
  assert.deepEqual(codes(png!), ['metadata-stripped']);
});

test('anomaliesFor accepts a bare message time and recomputes from facts', async () => {
  const facts = await readImageFacts(img('canon-80d.jpg'));
  assert.deepEqual(
    anomaliesFor(facts, '2024-01-01T00:00:00Z').map((a) => a.code),
    ['exif-time-far-from-message'],
  );
  assert.deepEqual(anomaliesFor(facts, null), []);
  assert.deepEqual(anomaliesFor({ ...facts, format: null }, { messenger: true }), [], 'no anomalies for non-images');
});

test('formatDuration', () => {
  assert.equal(formatDuration(45_000), '45 s');
  assert.equal(formatDuration(-5 * 60_000), '5 min');
  assert.equal(formatDuration(5 * 3_600_000), '5 h');
  assert.equal(formatDuration((3 * 24 + 13) * 3_600_000), '3 d 13 h');
  assert.equal(formatDuration(400 * 86_400_000), '400 d');
});
