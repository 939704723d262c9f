// Video and audio evidence: container facts read by mp4box (times with their basis, device, place,
// codecs), anomalies, frame hashes through ffmpeg that match re-encoded, rescaled and trimmed copies
// and not other recordings, and a re-sent video linking two accounts of two victims in `cluster`.
// Fixtures: fixtures/video (made by make-videos.sh) and fixtures/cases/video.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readAudioFacts, readVideoFacts } from '../src/media/av-facts.js';
import { ffmpegPath, frameHashes } from '../src/media/video-frames.js';
import { FLAT_FRAME, frameDistance, VIDEO_MATCH_THRESHOLD } from '../src/util/hash-distance.js';
import { audioType, mediaType, videoType } from '../src/media/sniff.js';
import { fixturePath, runCli, scratchDir } from './helpers.js';

const video = (name: string): string => fixturePath('video', name);

/** Frame hashes of a fixture video, read once for all the tests that compare them. */
const hashed = new Map<string, Promise<string[]>>();
function framesOf(name: string): Promise<string[]> {
  let frames = hashed.get(name);
  if (frames === undefined) {
    frames = (async () => {
      const format = name.endsWith('.mov') ? 'mov' : 'mp4';
      const facts = await readVideoFacts(video(name), format, { frames: false });
      const { frames: hashes, error } = await frameHashes(video(name), format, facts.video!.durationMs!);
      assert.equal(error, null);
      assert.equal(hashes?.length, 5);
      return hashes!;
    })();
    hashed.set(name, frames);
  }
  return frames;
}
const NO_FFMPEG = ffmpegPath() === null ? 'ffmpeg is not installed here (Debian: apt-get install ffmpeg; .ci/run installs it)' : false;

test('by their bytes: MP4, MOV and 3GP are videos, M4A and Ogg are audio, HEIC stays a picture', () => {
  const ftyp = (brand: string): Buffer => Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from(`ftyp${brand}`, 'latin1'), Buffer.alloc(12)]);
  assert.equal(videoType(ftyp('isom')), 'mp4');
  assert.equal(videoType(ftyp('mp42')), 'mp4');
  assert.equal(videoType(ftyp('qt  ')), 'mov');
  assert.equal(videoType(ftyp('3gp4')), '3gp');
  assert.equal(videoType(ftyp('heic')), null);
  assert.deepEqual(mediaType(ftyp('heic')), { kind: 'image', format: 'heic' });
  assert.equal(videoType(ftyp('M4A ')), null);
  assert.equal(audioType(ftyp('M4A ')), 'm4a');
  assert.equal(audioType(Buffer.from('OggS\0\x02', 'latin1')), 'ogg');
  assert.equal(audioType(Buffer.from('#!AMR\n', 'latin1')), 'amr');
  assert.equal(mediaType(Buffer.from('Мы знаем, где ты живёшь')), null);
});

test('a phone recording: device, recording date with its offset, the movie header time (UTC), place, codecs', async () => {
  const facts = await readVideoFacts(video('recording.mov'), 'mov', { frames: false });
  assert.deepEqual(facts.errors, []);
  assert.equal(facts.format, 'mov');
  assert.equal(facts.width, 480);
  assert.equal(facts.height, 270);
  assert.equal(facts.exif.make, 'Apple');
  assert.equal(facts.exif.model, 'iPhone 12');
  assert.equal(facts.exif.software, '16.3.1');
  // com.apple.quicktime.creationdate 2023-03-14T09:26:53+0300: the capture time, its offset known.
  assert.equal(facts.exif.takenAt, '2023-03-14T06:26:53Z');
  assert.equal(facts.exif.takenAtLocal, '2023-03-14T09:26:53');
  assert.equal(facts.exif.takenAtOffset, '+03:00');
  assert.equal(facts.exif.takenAtBasis, 'date-string');
  // The movie header: UTC by definition, and said so.
  assert.equal(facts.exif.createdAt, '2023-03-14T06:26:53Z');
  assert.equal(facts.exif.createdAtBasis, 'container-utc');
  assert.deepEqual(facts.exif.gps, { lat: 43.1056, lon: 131.8735, altitude: 12, time: null });
  assert.equal(facts.video?.durationMs, 3000);
  assert.match(facts.video?.videoCodec ?? '', /^avc1\./);
  assert.equal(facts.video?.audioCodec, 'mp4a.40.2');
  assert.deepEqual(facts.video?.brands, ['qt']);
  assert.equal(facts.video?.rotation, 0);
  assert.deepEqual(facts.anomalies, [], 'an original recording with its camera tags');
});

test("QuickTime user-data strings (©mak, ©mod, ©xyz) are read where mp4box leaves them unparsed", async () => {
  const facts = await readVideoFacts(video('camera-local.mov'), 'mov', { frames: false });
  assert.equal(facts.exif.make, 'Canon');
  assert.equal(facts.exif.model, 'PowerShot SX740 HS');
  assert.deepEqual(facts.exif.gps, { lat: 55.7558, lon: 37.6173, altitude: null, time: null });
  assert.equal(facts.exif.takenAt, null, 'no recording date with an offset');
  assert.equal(facts.exif.createdAt, '2023-05-02T14:05:10Z');
});

test('anomalies: a messenger re-encode, a place surviving a messenger, a creation time far from the message', async () => {
  const reencoded = await readVideoFacts(video('whatsapp.mp4'), 'mp4', { frames: false, messenger: true, messageTime: '2023-03-15T11:02:00Z' });
  const codes = reencoded.anomalies.map((a) => a.code);
  assert.deepEqual(codes, ['messenger-reencode', 'metadata-stripped']);
  assert.match(reencoded.anomalies[0]!.message, /MediaMuxer/);

  const sentAsFile = await readVideoFacts(video('recording.mov'), 'mov', { frames: false, messenger: true, messageTime: '2023-06-01T10:00:00Z' });
  assert.deepEqual(
    sentAsFile.anomalies.map((a) => a.code),
    ['creation-time-far-from-message', 'gps-in-messenger-video'],
  );
  assert.match(sentAsFile.anomalies[0]!.message, /recording date 2023-03-14T09:26:53\+0300 .* before the message/);
});

test('a file that only starts like an MP4 gives errors, not a crash', async () => {
  const dir = scratchDir('video-broken');
  const cut = join(dir, 'cut.mp4');
  // The first 600 bytes of a real file: ftyp, then a box that runs past the end, no movie header.
  writeFileSync(cut, readFileSync(video('whatsapp.mp4')).subarray(0, 600));
  const facts = await readVideoFacts(cut, 'mp4', { frames: false });
  assert.equal(facts.format, 'mp4');
  assert.ok(facts.errors.some((e) => /movie header/.test(e)), facts.errors.join('; '));
  assert.equal(facts.video?.durationMs, null);
  assert.equal(facts.metadataComplete, false);
  assert.deepEqual(facts.anomalies, []);
});

test("a video's place is on the map as a video (GeoJSON)", async () => {
  const geo = await runCli(['media', video('recording.mov'), '--format', 'geojson']);
  assert.equal(geo.code, 0, geo.stderr);
  const [feature] = (JSON.parse(geo.stdout) as { features: { geometry: { coordinates: number[] }; properties: { kind: string; takenAt: string; model: string } }[] }).features;
  assert.deepEqual(feature!.geometry.coordinates, [131.8735, 43.1056, 12]);
  assert.deepEqual([feature!.properties.kind, feature!.properties.model, feature!.properties.takenAt], ['video', 'iPhone 12', '2023-03-14T06:26:53Z']);
});

test('a damaged metadata key that sends the parser into a runaway loop ends the parser process, not threatlens', async () => {
  const dir = scratchDir('video-runaway');
  const bytes = Buffer.from(readFileSync(video('recording.mov')));
  // The length of one Apple metadata key (32) made 188: mp4box's keys reader then runs off the
  // entries and grows an array until V8 aborts its process (seen in-process: a fatal error, no catch).
  const at = bytes.indexOf('mdtacom.apple.quicktime.make', 0, 'latin1');
  assert.equal(bytes[at - 1], 32);
  bytes[at - 1] = 188;
  const file = join(dir, 'runaway.mov');
  writeFileSync(file, bytes);
  const facts = await readVideoFacts(file, 'mov', { frames: false });
  assert.match(facts.errors.join('; '), /the container parser stopped on this file .*damaged or built to break parsers/);
  assert.equal(facts.sha256.length, 64, 'the file is still hashed');
  // The next file is read by a new parser process.
  const next = await readVideoFacts(video('camera-local.mov'), 'mov', { frames: false });
  assert.equal(next.exif.make, 'Canon');
});

test('a voice message: codec and duration', async () => {
  const facts = await readAudioFacts(video('voice.ogg'), 'ogg');
  assert.deepEqual(facts.errors, []);
  assert.equal(facts.audio?.codec, 'Opus');
  assert.ok(Math.abs((facts.audio?.durationMs ?? 0) - 2000) <= 30, String(facts.audio?.durationMs));
});

test('frame hashes: re-encoded, rescaled and trimmed copies are one recording; another recording is not', { skip: NO_FFMPEG }, async () => {
  const original = await framesOf('recording.mov');
  const whatsapp = await framesOf('whatsapp.mp4');
  const trimmed = await framesOf('telegram-trim.mp4');
  const other = await framesOf('other.mp4');
  for (const [label, copy] of [['WhatsApp 320 px', whatsapp], ['trimmed 0.3 s, 400 px', trimmed]] as const) {
    assert.ok(frameDistance(original, copy) <= VIDEO_MATCH_THRESHOLD, `${label}: ${frameDistance(original, copy)}`);
  }
  assert.ok(frameDistance(whatsapp, trimmed) <= VIDEO_MATCH_THRESHOLD);
  for (const copy of [original, whatsapp, trimmed]) assert.ok(frameDistance(copy, other) > 2 * VIDEO_MATCH_THRESHOLD, `other: ${frameDistance(copy, other)}`);
});

test('a WebM copy: length from ffmpeg, frames hashed, the same recording', { skip: NO_FFMPEG }, async () => {
  const facts = await readVideoFacts(video('copy.webm'), 'webm');
  assert.deepEqual(facts.errors, []);
  assert.equal(facts.format, 'webm');
  assert.ok(Math.abs(facts.video!.durationMs! - 3000) <= 50, String(facts.video!.durationMs));
  assert.equal(facts.metadataComplete, false, 'the container was not read: nothing is called stripped');
  assert.deepEqual(facts.anomalies, []);
  assert.ok(frameDistance(facts.video!.frames!, await framesOf('recording.mov')) <= VIDEO_MATCH_THRESHOLD);
});

test('frame sequences are aligned in time: a copy trimmed at the start and re-timed is the same sequence; unrelated frames are not', () => {
  const [A, B, C, D, E] = ['eeae95116a6a1595', '3c3c9595c3c3a5a5', 'f0f00f0f99996666', '0ff0f00f5a5aa5a5', '9669699696696996'];
  // The copy lost its first sample and holds D twice: paired in order, each with a neighbour in time.
  assert.equal(frameDistance([A, B, C, D, E], [B, C, D, D, E]), 0);
  assert.equal(frameDistance([B, C, D, D, E], [A, B, C, D, E]), 0, 'the same both ways');
  // Frames more than one sample apart are never paired: reversed, the sequence is another video.
  assert.ok(frameDistance([A, B, C, D, E], [E, D, C, B, A]) > 2 * VIDEO_MATCH_THRESHOLD);
});

test('two different black videos are not one recording: flat frames are left out of the comparison', { skip: NO_FFMPEG }, async () => {
  const [a, b] = await Promise.all([framesOf('black-a.mp4'), framesOf('black-b.mp4')]);
  assert.deepEqual(a, Array(5).fill(FLAT_FRAME));
  assert.deepEqual(b, Array(5).fill(FLAT_FRAME));
  assert.equal(frameDistance(a, b), 64);
  // A recording whose first and last samples are flat (a fade in and out) is compared on the rest.
  const original = await framesOf('recording.mov');
  const faded = [FLAT_FRAME, ...original.slice(1, 4), FLAT_FRAME];
  assert.equal(frameDistance(original, faded), 0);
  assert.equal(frameDistance(faded, [FLAT_FRAME, FLAT_FRAME, ...original.slice(2, 4), FLAT_FRAME]), 64, 'two frames are too few');
});

interface MediaJson {
  items: { sha256: string; format: string; video: { frames: string[] | null; framesMissing: string | null } | null; audio: { codec: string } | null; similar: { kind: string; distance: number }[] }[];
}

interface ClusterJson {
  items: { members: { key: string }[]; evidence: { type: string; detail: string; refs: string[] }[] }[];
  candidates: unknown[];
}

test('a video sent to two victims from two accounts, re-encoded differently, links the accounts with similar-video evidence; read first without ffmpeg, hashed once it is there', { skip: NO_FFMPEG }, async () => {
  const dir = scratchDir('video-cluster');
  const caseDir = join(dir, 'case');
  // As if ffmpeg were not installed: THREATLENS_FFMPEG set empty (looked up on every video).
  const noFfmpeg = async (args: string[]) => {
    process.env.THREATLENS_FFMPEG = '';
    try {
      return await runCli(args);
    } finally {
      delete process.env.THREATLENS_FFMPEG;
    }
  };
  const without = await noFfmpeg(['ingest', '--case', caseDir, fixturePath('cases', 'video', 'vera'), fixturePath('cases', 'video', 'oleg')]);
  assert.equal(without.code, 0, without.stderr);
  assert.equal(without.stderr.match(/without frames/g)?.length, 1, without.stderr);
  assert.match(without.stderr, /this and 2 more videos were read without frames: ffmpeg is not installed/);
  const before = JSON.parse((await noFfmpeg(['media', '--case', caseDir, '--format', 'json'])).stdout) as MediaJson;
  const videos = before.items.filter((i) => i.video !== null);
  assert.equal(videos.length, 3);
  assert.ok(videos.every((v) => v.video!.frames === null && v.video!.framesMissing === 'no-ffmpeg'));
  assert.ok(before.items.every((i) => i.similar.length === 0));
  const unhashed = JSON.parse((await noFfmpeg(['cluster', '--case', caseDir, '--format', 'json'])).stdout) as ClusterJson;
  assert.ok(!JSON.stringify([unhashed.items, unhashed.candidates]).includes('similar-video'), 'no frames, no similar-video');

  // ffmpeg found: `media` reads the videos again, for their frames, and links the two copies.
  const after = JSON.parse((await runCli(['media', '--case', caseDir, '--format', 'json'])).stdout) as MediaJson;
  const hashed = after.items.filter((i) => i.video !== null);
  assert.ok(hashed.every((v) => v.video!.frames?.length === 5));
  assert.deepEqual(
    hashed.map((v) => v.similar.map((s) => s.kind)).sort(),
    [[], ['vframes'], ['vframes']],
  );
  const voice = after.items.find((i) => i.format === 'ogg');
  assert.equal(voice?.audio?.codec, 'Opus');

  const run = await runCli(['cluster', '--case', caseDir, '--format', 'json']);
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as ClusterJson;
  assert.equal(result.items.length, 1, run.stdout);
  const [cluster] = result.items;
  assert.deepEqual(cluster!.members.map((m) => m.key).sort(), ['phone:+79145551234', 'telegram:user5500000077']);
  const types = cluster!.evidence.map((e) => e.type);
  assert.ok(types.includes('similar-video'), types.join(', '));
  const piece = cluster!.evidence.find((e) => e.type === 'similar-video')!;
  assert.match(piece.detail, /frame hash distance \d+ .* sha256 [0-9a-f]{64} and [0-9a-f]{64}/);
  assert.equal(piece.refs.length, 2, 'the two messages that carried the copies');
  // Вера's brother's garden video and Олег's sister's voice message link no one.
  assert.ok(!JSON.stringify(result).includes('Артём'));

  // The report shows each video of the cluster as the frame from its middle, with its length.
  const out = join(dir, 'report.html');
  const report = await runCli(['report', '--case', caseDir, '-o', out]);
  assert.equal(report.code, 0, report.stderr);
  const html = readFileSync(out, 'utf8');
  const gallery = html.slice(html.indexOf('<h4>Videos (2)</h4>'));
  assert.ok(html.includes('<h4>Videos (2)</h4>'), 'a gallery of the two videos');
  assert.equal(gallery.slice(0, gallery.indexOf('</div>')).match(/src="data:image\/jpeg;base64,/g)?.length, 2);
  assert.match(gallery, /video 0:03 · 320×180/);
});

test('a video inside a WhatsApp .zip export is read from a streamed private copy', { skip: NO_FFMPEG }, async () => {
  const dir = scratchDir('video-zip');
  const zip = video('WhatsApp Chat with +7 914 555 12 34.zip');
  const caseDir = join(dir, 'case');
  assert.equal((await runCli(['ingest', '--case', caseDir, zip, '--tz', 'Europe/Moscow'])).code, 0);
  const media = JSON.parse((await runCli(['media', '--case', caseDir, '--format', 'json'])).stdout) as MediaJson;
  assert.equal(media.items.length, 1);
  assert.equal(media.items[0]!.format, 'mp4');
  assert.match((media.items[0] as unknown as { path: string }).path, /\.zip!VID-20230315-WA0007\.mp4$/);
  assert.deepEqual(media.items[0]!.video!.frames, await framesOf('whatsapp.mp4'));
});

test('the same video file delivered twice is identical-video; the same voice message is identical-media', { skip: NO_FFMPEG }, async () => {
  const dir = scratchDir('video-identical');
  const caseDir = join(dir, 'case');
  cpSync(fixturePath('cases', 'video'), join(dir, 'video'), { recursive: true });
  // Олег receives the very file Вера received (same bytes).
  copyFileSync(video('whatsapp.mp4'), join(dir, 'video', 'oleg', 'ChatExport_2023-03-21', 'video_files', 'IMG_4821.MP4'));
  // And the voice message in Олег's chat, sent by the unknown account, reaches Вера too.
  copyFileSync(video('voice.ogg'), join(dir, 'video', 'vera', 'PTT-20230315-WA0010.opus'));
  appendFileSync(join(dir, 'video', 'vera', 'WhatsApp Chat with +7 914 555 12 34.txt'), '15.03.2023, 21:12 - +7 914 555-12-34: PTT-20230315-WA0010.opus (файл добавлен)\n');
  const tg = join(dir, 'video', 'oleg', 'ChatExport_2023-03-21', 'result.json');
  const chat = JSON.parse(readFileSync(tg, 'utf8')) as { messages: { id: number; from: string; from_id: string }[] };
  const voice = chat.messages.find((m) => m.id === 103)!;
  [voice.from, voice.from_id] = ['Неизвестный', 'user5500000077'];
  writeFileSync(tg, JSON.stringify(chat, null, 1));
  assert.equal((await runCli(['ingest', '--case', caseDir, join(dir, 'video', 'vera'), join(dir, 'video', 'oleg')])).code, 0);
  const result = JSON.parse((await runCli(['cluster', '--case', caseDir, '--format', 'json'])).stdout) as ClusterJson;
  const evidence = result.items.flatMap((c) => c.evidence);
  const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
  assert.ok(evidence.some((e) => e.type === 'identical-video' && e.detail === `sha256 ${sha(video('whatsapp.mp4'))}`), JSON.stringify(evidence.map((e) => e.type)));
  assert.ok(evidence.some((e) => e.type === 'identical-media' && e.detail === `sha256 ${sha(video('voice.ogg'))}`));
  assert.ok(!evidence.some((e) => e.type === 'identical-media' && e.detail.includes(sha(video('whatsapp.mp4')))), 'a video is identical-video, not identical-media');
});
