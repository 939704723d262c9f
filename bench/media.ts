// Media benchmark and pHash threshold calibration, run by hand (npm run build first):
//
//   node dist/bench/media.js [images] [runs]        speed, median of `runs`, same files, same run:
//     facts:  readFileFacts (SHA-256 of the whole file + metadata + anomalies: all threatlens learns
//             from a file without decoding pixels)  vs  exiftool -json -n, one batched process
//     pHash:  HashPool over every core  vs  sharp decode + resize 32×32 grey + raw alone, 2 per core
//     then the whole readManyImageFacts, and the threshold check on the generated scenes.
//   node dist/bench/media.js threshold [images]     Hamming distance distributions behind
//     PHASH_MATCH_THRESHOLD: the fixtures and the real camera files, their sharp re-encodes,
//     resizes and crops, and generated scenes; percentiles per class.
//
// Generated inputs are varied 1–3 MP JPEGs shaped like camera files: IFD0/EXIF/GPS, a 160 px IFD1
// thumbnail, XMP on a third of them, written to bench/out/media-v2/. exiftool is needed only for
// its comparison row.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { rng } from './generate.js';
import { exiftoolAvailable, hammingDistance, HashPool, PHASH_MATCH_THRESHOLD, readFileFacts, readImageFacts, readImageMetadata, readManyImageFacts } from '../src/media/index.js';

const outDir = fileURLToPath(new URL('../../bench/out/media-v2/', import.meta.url));
const fixtures = fileURLToPath(new URL('../../fixtures/images/', import.meta.url));
const cores = availableParallelism();

const SIZES: [number, number][] = [
  [1280, 960],
  [1600, 1200],
  [2048, 1536],
  [1200, 1600],
  [1920, 1080],
];
const CAMERAS = [
  ['Canon', 'Canon EOS 80D'],
  ['Apple', 'iPhone 12'],
  ['samsung', 'SM-G991B'],
  ['NIKON CORPORATION', 'NIKON D750'],
  ['Xiaomi', 'Redmi Note 10'],
];

/**
 * Adds an IFD1 JPEG thumbnail to the EXIF APP1 sharp wrote (sharp writes none), as cameras do:
 * IFD1 (Compression 6, JPEGInterchangeFormat, JPEGInterchangeFormatLength) and the thumbnail
 * appended to the TIFF block, IFD0's next-IFD pointer set to it.
 */
function withThumbnail(jpeg: Buffer, thumbnail: Buffer): Buffer {
  const app1 = jpeg.indexOf(Buffer.from('Exif\0\0', 'latin1'));
  if (app1 < 4 || jpeg[app1 - 3] !== 0xe1) throw new Error('no EXIF APP1 to add a thumbnail to');
  const segmentStart = app1 - 4;
  const segmentEnd = segmentStart + 2 + jpeg.readUInt16BE(segmentStart + 2);
  const tiff = Buffer.from(jpeg.subarray(app1 + 6, segmentEnd));
  const le = tiff.toString('latin1', 0, 2) === 'II';
  const u16 = (b: Buffer, at: number): number => (le ? b.readUInt16LE(at) : b.readUInt16BE(at));
  const w16 = (b: Buffer, at: number, v: number): void => void (le ? b.writeUInt16LE(v, at) : b.writeUInt16BE(v, at));
  const w32 = (b: Buffer, at: number, v: number): void => void (le ? b.writeUInt32LE(v, at) : b.writeUInt32BE(v, at));
  const ifd0 = le ? tiff.readUInt32LE(4) : tiff.readUInt32BE(4);
  const ifd1 = tiff.length + (tiff.length % 2);
  w32(tiff, ifd0 + 2 + u16(tiff, ifd0) * 12, ifd1);
  const dir = Buffer.alloc(2 + 3 * 12 + 4);
  w16(dir, 0, 3);
  const entry = (i: number, tag: number, type: number, value: number): void => {
    const at = 2 + i * 12;
    w16(dir, at, tag);
    w16(dir, at + 2, type);
    w32(dir, at + 4, 1);
    if (type === 3) w16(dir, at + 8, value);
    else w32(dir, at + 8, value);
  };
  entry(0, 0x0103, 3, 6);
  entry(1, 0x0201, 4, ifd1 + dir.length);
  entry(2, 0x0202, 4, thumbnail.length);
  const block = Buffer.concat([tiff, Buffer.alloc(ifd1 - tiff.length), dir, thumbnail]);
  const head = Buffer.from([0xff, 0xe1, 0, 0]);
  head.writeUInt16BE(2 + 6 + block.length, 2);
  return Buffer.concat([jpeg.subarray(0, segmentStart), head, Buffer.from('Exif\0\0', 'latin1'), block, jpeg.subarray(segmentEnd)]);
}

/** A random scene: gradient sky/ground, a horizon, 6–30 shapes, mild sensor noise. */
async function makeImage(path: string, seed: number): Promise<void> {
  const r = rng(seed);
  const [w, h] = SIZES[seed % SIZES.length]!;
  const hue = (): number => Math.floor(r() * 360);
  let svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><defs><linearGradient id="g" x1="0" y1="0" x2="${r().toFixed(2)}" y2="1"><stop offset="0" stop-color="hsl(${hue()},50%,${30 + r() * 50}%)"/><stop offset="1" stop-color="hsl(${hue()},40%,${20 + r() * 60}%)"/></linearGradient></defs><rect width="${w}" height="${h}" fill="url(#g)"/>`;
  const horizon = h * (0.3 + r() * 0.5);
  svg += `<path d="M 0 ${horizon} Q ${w * r()} ${horizon + (r() - 0.5) * h * 0.4} ${w} ${horizon + (r() - 0.5) * h * 0.2} L ${w} ${h} L 0 ${h} Z" fill="hsl(${hue()},35%,${20 + r() * 40}%)"/>`;
  const shapes = 6 + Math.floor(r() * 25);
  for (let i = 0; i < shapes; i++) {
    const x = r() * w;
    const y = r() * h;
    const s = (0.03 + r() * 0.25) * Math.min(w, h);
    const fill = `hsl(${hue()},${30 + r() * 60}%,${15 + r() * 70}%)`;
    const kind = r();
    if (kind < 0.4) svg += `<rect x="${x}" y="${y}" width="${s * (0.5 + r() * 1.5)}" height="${s * (0.5 + r() * 1.5)}" fill="${fill}" transform="rotate(${(r() - 0.5) * 40} ${x} ${y})"/>`;
    else if (kind < 0.75) svg += `<ellipse cx="${x}" cy="${y}" rx="${s}" ry="${s * (0.4 + r())}" fill="${fill}"/>`;
    else svg += `<polygon points="${x},${y} ${x + s},${y + s * r()} ${x - s * r()},${y + s}" fill="${fill}"/>`;
  }
  svg += '</svg>';
  const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().blur(1).raw().toBuffer({ resolveWithObject: true });
  for (let i = 0; i < data.length; i++) data[i] = Math.max(0, Math.min(255, data[i]! + Math.round((r() - 0.5) * 14)));
  const [make, model] = CAMERAS[seed % CAMERAS.length]!;
  const day = 1 + (seed % 28);
  const stamp = `2023:0${1 + (seed % 9)}:${String(day).padStart(2, '0')} ${String(seed % 24).padStart(2, '0')}:${String(seed % 60).padStart(2, '0')}:07`;
  let image = sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } })
    .withExif({
      IFD0: { Make: make!, Model: model!, Software: seed % 7 === 0 ? 'Adobe Photoshop 24.1 (Windows)' : 'Firmware 1.0', DateTime: stamp },
      IFD2: { DateTimeOriginal: stamp, OffsetTimeOriginal: '+03:00', BodySerialNumber: `SN${100000 + seed}` },
      IFD3: { GPSLatitudeRef: seed % 2 ? 'N' : 'S', GPSLatitude: `${seed % 80}/1 ${seed % 60}/1 ${seed * 7}/100`, GPSLongitudeRef: 'E', GPSLongitude: `${seed % 170}/1 30/1 0/1` },
    })
    .jpeg({ quality: 85 + (seed % 8) });
  if (seed % 3 === 0) image = image.withXmp(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="bench ${seed}"/></rdf:RDF></x:xmpmeta>`);
  const thumbnail = await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } }).resize(160, 120, { fit: 'inside' }).jpeg({ quality: 75 }).toBuffer();
  writeFileSync(path, withThumbnail(await image.toBuffer(), thumbnail));
}

/** The messenger path: longest side 1280 px at q70, then re-saved at q50, metadata dropped. */
async function messengerCopy(src: string, dst: string): Promise<void> {
  const q70 = await sharp(src).rotate().resize(1280, 1280, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 70 }).toBuffer();
  await sharp(q70).jpeg({ quality: 50 }).toFile(dst);
}

/** 5 % off each side: a crop, for information (pHash is not meant to survive it). */
async function cropCopy(src: string, dst: string): Promise<void> {
  const meta = await sharp(src).metadata();
  const w = meta.width!;
  const h = meta.height!;
  const dx = Math.round(w * 0.05);
  const dy = Math.round(h * 0.05);
  await sharp(src).extract({ left: dx, top: dy, width: w - 2 * dx, height: h - 2 * dy }).jpeg({ quality: 80 }).toFile(dst);
}

async function inLanes<T>(items: T[], lanes: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(lanes, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i]!, i);
      }
    }),
  );
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function median(runs: number, run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await timed(run));
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

function exiftoolBatch(paths: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('exiftool', ['-json', '-n', '-q', '-@', '-'], { stdio: ['pipe', 'pipe', 'ignore'] });
    let bytes = 0;
    child.stdout.on('data', (b: Buffer) => (bytes += b.length));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 && bytes > 0 ? resolve() : reject(new Error(`exiftool exited ${code}`))));
    child.stdin.end(paths.join('\n') + '\n');
  });
}

/** Percentiles by nearest rank. */
function stats(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  return `n=${String(sorted.length).padStart(5)}  min ${sorted[0]}  p1 ${at(0.01)}  p5 ${at(0.05)}  median ${at(0.5)}  p95 ${at(0.95)}  p99 ${at(0.99)}  max ${sorted[sorted.length - 1]}`;
}

function histogram(values: number[]): string {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([d, n]) => `${d}:${n}`)
    .join(' ');
}

const rate = (n: number, ms: number): string => `${((n * 1000) / ms).toFixed(0).padStart(6)} /s  (${ms.toFixed(0)} ms)`;

/** The generated inputs (made once, kept in bench/out/media-v2/): originals, messenger copies, 5 % crops. */
async function generated(count: number): Promise<{ names: string[]; originals: string; variants: string; crops: string }> {
  const originals = join(outDir, 'originals');
  const variants = join(outDir, 'messenger');
  const crops = join(outDir, 'crop5');
  for (const dir of [originals, variants, crops]) mkdirSync(dir, { recursive: true });
  const names = Array.from({ length: count }, (_, i) => `img${String(i).padStart(4, '0')}.jpg`);
  const missing = names.filter((n) => !existsSync(join(crops, n)));
  if (missing.length > 0) {
    process.stderr.write(`generating ${missing.length} images into ${outDir} …\n`);
    await inLanes(missing, cores, async (name) => {
      const seed = Number(name.slice(3, 7));
      await makeImage(join(originals, name), seed + 1);
      await messengerCopy(join(originals, name), join(variants, name));
      await cropCopy(join(originals, name), join(crops, name));
    });
  }
  return { names, originals, variants, crops };
}

async function speed(count: number, runs: number): Promise<void> {
  const { names, originals, variants, crops } = await generated(count);
  const paths = names.map((n) => join(originals, n));
  const pixels = (await Promise.all(paths.map((p) => sharp(p).metadata().then((m) => (m.width ?? 0) * (m.height ?? 0))))).reduce((a, b) => a + b, 0);
  const bytes = paths.reduce((sum, p) => sum + statSync(p).size, 0);
  const withThumbs = (await Promise.all(paths.slice(0, 20).map(readImageMetadata))).filter((m) => m.thumbnail !== null).length;
  console.log(
    `node ${process.version}, ${cores} cores, ${count} JPEGs averaging ${(pixels / count / 1e6).toFixed(1)} MP and ${(bytes / count / 1024).toFixed(0)} KiB, ` +
      `IFD1 thumbnails in ${withThumbs} of the first 20, median of ${runs} runs, warm cache`,
  );
  writeFileSync(join(outDir, 'files.txt'), paths.join('\n') + '\n');

  // Facts ------------------------------------------------------------------------------------------
  const facts = (): Promise<void> => inLanes(paths, 16, async (p) => void (await readFileFacts(p)));
  const metadata = (): Promise<void> => inLanes(paths, 16, async (p) => void (await readImageMetadata(p)));
  await facts(); // warm-up
  const factsTimes: number[] = [];
  const metaTimes: number[] = [];
  const toolTimes: number[] = [];
  const tool = await exiftoolAvailable();
  // Alternating runs, so a change in machine load hits every row alike.
  for (let i = 0; i < runs; i++) {
    factsTimes.push(await timed(facts));
    metaTimes.push(await timed(metadata));
    if (tool) toolTimes.push(await timed(() => exiftoolBatch(paths)));
  }
  const mid = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const [factsMs, metaMs] = [mid(factsTimes), mid(metaTimes)];
  console.log('\nfacts per file (no pixels decoded)');
  console.log(`  threatlens readFileFacts: SHA-256 + metadata + anomalies   ${rate(count, factsMs)}`);
  console.log(`  threatlens readImageMetadata alone (for information)       ${rate(count, metaMs)}`);
  if (tool) {
    const toolMs = mid(toolTimes);
    console.log(`  exiftool -json -n, one process                             ${rate(count, toolMs)}`);
    console.log(`  readFileFacts / exiftool: ${(toolMs / factsMs).toFixed(1)}x (target >= 10x)`);
  } else console.log('  exiftool not installed: no comparison row');

  // pHash -----------------------------------------------------------------------------------------
  console.log('\npHash (decode, auto-orient, 32×32 grey, DCT)');
  const baseline = (): Promise<void> =>
    inLanes(paths, cores * 2, async (p) => void (await sharp(p).greyscale().resize(32, 32, { fit: 'fill' }).raw().toBuffer()));
  const pool = await HashPool.start(cores);
  const jobs = paths.map((path) => ({ path, format: 'jpeg' as const, orientation: 1, thumbnail: null, needSize: false }));
  await Promise.all(jobs.slice(0, cores * 2).map((j) => pool.hash(j))); // warm-up: workers load sharp
  const baselineTimes: number[] = [];
  const poolTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    baselineTimes.push(await timed(baseline));
    poolTimes.push(await timed(() => Promise.all(jobs.map((j) => pool.hash(j)))));
  }
  const [baselineMs, poolMs] = [mid(baselineTimes), mid(poolTimes)];
  console.log(`  sharp decode+resize+raw alone (${cores * 2} in flight) ${rate(count, baselineMs)}`);
  console.log(`  threatlens HashPool (${pool.size} workers)          ${rate(count, poolMs)}`);
  console.log(`  pool / sharp alone: ${((baselineMs / poolMs) * 100).toFixed(0)}% (target >= 80%)`);

  const manyMs = await median(runs, () => readManyImageFacts(paths));
  console.log(`\nfull readManyImageFacts (SHA-256 + metadata + pHash + thumbnail pHash + anomalies) ${rate(count, manyMs)}`);

  // The threshold on these scenes (the full calibration: `threshold` mode) --------------------------
  const hashOf = async (dir: string): Promise<string[]> =>
    (await Promise.all(names.map((n) => pool.hash({ path: join(dir, n), format: 'jpeg', orientation: 1, thumbnail: null, needSize: false })))).map(
      (r) => r.hashes.phash64!,
    );
  const [base, messenger, cropped] = [await hashOf(originals), await hashOf(variants), await hashOf(crops)];
  await pool.close();
  const same = base.map((h, i) => hammingDistance(h, messenger[i]!));
  const crop = base.map((h, i) => hammingDistance(h, cropped[i]!));
  const different: number[] = [];
  for (let i = 0; i < base.length; i++) for (let j = i + 1; j < base.length; j++) different.push(hammingDistance(base[i]!, base[j]!));
  console.log(`\npHash distances on these scenes (PHASH_MATCH_THRESHOLD = ${PHASH_MATCH_THRESHOLD})`);
  console.log(`  same picture, messenger re-encode: ${stats(same)}`);
  console.log(`  same picture, 5 % crop each side:  ${stats(crop)}`);
  console.log(`  different pictures:                ${stats(different)}`);
}

// Threshold calibration ------------------------------------------------------------------------------

/** Fixture pictures by scene: files in one group show the same picture (re-encoded, resized, edited, other noise). */
const FIXTURE_GROUPS: Record<string, string[]> = {
  house: ['canon-80d.jpg', 'messenger-reencode.jpg', 'variants/canon-80d-half-q60.jpg', 'photoshop-edited.jpg'],
  street: ['iphone12.jpg', 'variants/iphone12-messenger.jpg'],
  // The street drawn at 200×150: its windows are drawn in pixels, so this is another picture.
  'street, small': ['gps-bad-altitude-type.jpg'],
  // The portrait is drawn in proportions, so at 200×150 it is the same picture stretched (pHash squashes to 32×32).
  portrait: ['samsung-s21.jpg', 'variants/samsung-s21-messenger.jpg', 'xmp-extended-depthmap.jpg'],
  'harbour, cropped': ['stale-thumbnail.jpg', 'variants/stale-thumbnail-q40.jpg'],
  'harbour, whole': ['exif-after-padding.jpg'],
  field: ['rotated-thumbnail.jpg'],
  kitchen: ['kitchen-upright.jpg', 'orientation-6.jpg'],
  letter: ['exif-after-icc.jpg'],
  car: ['exif-after-xmp.jpg'],
  map: ['map.png'],
  garden: ['garden-reference.jpg', 'iphone.heic'],
  mountains: ['polaroid-nul.jpg'],
  bridge: ['ifd0-bad-type.jpg', 'ifd0-overrun.jpg', 'sticker.webp'],
};

/** sharp variants of one picture: what a picture goes through between a camera and a chat. */
const VARIANTS: Record<string, { kind: 'same' | 'crop'; make: (src: string, w: number, h: number) => Promise<Buffer> }> = {
  'jpeg q90': { kind: 'same', make: (src) => sharp(src).rotate().jpeg({ quality: 90 }).toBuffer() },
  'jpeg q70': { kind: 'same', make: (src) => sharp(src).rotate().jpeg({ quality: 70 }).toBuffer() },
  'jpeg q50': { kind: 'same', make: (src) => sharp(src).rotate().jpeg({ quality: 50 }).toBuffer() },
  'jpeg q30': { kind: 'same', make: (src) => sharp(src).rotate().jpeg({ quality: 30 }).toBuffer() },
  'messenger (0.8×, q70, then q50)': {
    kind: 'same',
    make: async (src, w) => sharp(await sharp(src).rotate().resize(Math.round(w * 0.8)).jpeg({ quality: 70 }).toBuffer()).jpeg({ quality: 50 }).toBuffer(),
  },
  'half size, q80': { kind: 'same', make: (src, w) => sharp(src).rotate().resize(Math.round(w / 2)).jpeg({ quality: 80 }).toBuffer() },
  'quarter size, q80': { kind: 'same', make: (src, w) => sharp(src).rotate().resize(Math.round(w / 4)).jpeg({ quality: 80 }).toBuffer() },
  'webp q60': { kind: 'same', make: (src) => sharp(src).rotate().webp({ quality: 60 }).toBuffer() },
  'crop 2 % each side': { kind: 'crop', make: (src, w, h) => cropped(src, w, h, 0.02) },
  'crop 5 % each side': { kind: 'crop', make: (src, w, h) => cropped(src, w, h, 0.05) },
  'crop 10 % each side': { kind: 'crop', make: (src, w, h) => cropped(src, w, h, 0.1) },
};

async function cropped(src: string, w: number, h: number, share: number): Promise<Buffer> {
  const [dx, dy] = [Math.round(w * share), Math.round(h * share)];
  return sharp(await sharp(src).rotate().toBuffer()).extract({ left: dx, top: dy, width: w - 2 * dx, height: h - 2 * dy }).jpeg({ quality: 85 }).toBuffer();
}

async function threshold(count: number): Promise<void> {
  const realDir = join(fixtures, 'real');
  const real = readdirSync(realDir).filter((f) => f.endsWith('.jpg')).sort().map((f) => `real/${f}`);
  const groups: [string, string[]][] = [...Object.entries(FIXTURE_GROUPS), ...real.map((r): [string, string[]] => [r, [r]])];
  const hashOf = async (path: string): Promise<string> => {
    const facts = await readImageFacts(path);
    if (!facts.hashes.phash64) throw new Error(`${path}: ${facts.errors.join('; ')}`);
    return facts.hashes.phash64;
  };
  console.log(`pHash distance distributions (PHASH_MATCH_THRESHOLD = ${PHASH_MATCH_THRESHOLD}); percentiles by nearest rank`);
  const classes = new Map<string, number[]>();
  /** Pairs on the wrong side of the threshold, named, so each can be looked at. */
  const outliers: string[] = [];
  const add = (name: string, d: number, what: string): void => {
    classes.set(name, [...(classes.get(name) ?? []), d]);
    const wrong = name.includes('same picture') ? d > PHASH_MATCH_THRESHOLD : name.includes('different') && d <= PHASH_MATCH_THRESHOLD;
    if (wrong) outliers.push(`${name}: ${what} at ${d}`);
  };

  // 1. The fixtures and the real camera files as they are.
  const first: string[] = [];
  for (const [, files] of groups) {
    const hashes = await Promise.all(files.map((f) => hashOf(join(fixtures, f))));
    first.push(hashes[0]!);
    for (let i = 0; i < hashes.length; i++)
      for (let j = i + 1; j < hashes.length; j++) add('fixtures: same picture (committed variants)', hammingDistance(hashes[i]!, hashes[j]!), `${files[i]} / ${files[j]}`);
  }
  for (let i = 0; i < first.length; i++)
    for (let j = i + 1; j < first.length; j++)
      add(`fixtures + real files: different pictures (${groups.length} pictures)`, hammingDistance(first[i]!, first[j]!), `${groups[i]![1][0]} / ${groups[j]![1][0]}`);

  // 2. sharp variants of each picture.
  const dir = join(outDir, 'threshold');
  mkdirSync(dir, { recursive: true });
  for (const [g, [, files]] of groups.entries()) {
    // The group's first file (never the HEIC, which sharp cannot decode) is the source of its variants.
    const src = join(fixtures, files[0]!);
    const { width, height } = (await sharp(src).rotate().toBuffer({ resolveWithObject: true })).info;
    for (const [name, variant] of Object.entries(VARIANTS)) {
      const out = join(dir, `${g}-${name.replace(/[^a-z0-9]+/gi, '-')}.${name.startsWith('webp') ? 'webp' : 'jpg'}`);
      writeFileSync(out, await variant.make(src, width, height));
      add(`${variant.kind === 'same' ? 'same picture' : 'cropped'}, ${name}`, hammingDistance(first[g]!, await hashOf(out)), `${files[0]} (${width}×${height})`);
    }
  }

  // 3. Generated scenes: messenger re-encodes, 5 % crops, and all pairs of different scenes.
  if (count > 0) {
    const { names, originals, variants, crops } = await generated(count);
    const pool = await HashPool.start(cores);
    const poolHash = async (d: string): Promise<string[]> =>
      (await Promise.all(names.map((n) => pool.hash({ path: join(d, n), format: 'jpeg', orientation: 1, thumbnail: null, needSize: false })))).map((r) => r.hashes.phash64!);
    const [base, messenger, crop] = [await poolHash(originals), await poolHash(variants), await poolHash(crops)];
    await pool.close();
    base.forEach((h, i) => add(`generated scenes: same picture, messenger (1280 px q70, then q50)`, hammingDistance(h, messenger[i]!), names[i]!));
    base.forEach((h, i) => add(`generated scenes: cropped 5 % each side`, hammingDistance(h, crop[i]!), names[i]!));
    for (let i = 0; i < base.length; i++)
      for (let j = i + 1; j < base.length; j++) add(`generated scenes: different pictures (${count} scenes)`, hammingDistance(base[i]!, base[j]!), `${names[i]} / ${names[j]}`);
  }

  const width = Math.max(...[...classes.keys()].map((k) => k.length));
  for (const [name, values] of classes) console.log(`  ${name.padEnd(width)}  ${stats(values)}`);
  const same = [...classes].filter(([k]) => k.includes('same picture')).flatMap(([, v]) => v);
  const different = [...classes].filter(([k]) => k.includes('different')).flatMap(([, v]) => v);
  console.log(`\n  all same-picture pairs:  ${stats(same)}`);
  console.log(`    histogram ${histogram(same)}`);
  console.log(`  all different pairs:     ${stats(different)}`);
  console.log(`    lowest ${histogram(different.filter((d) => d <= 20))}`);
  console.log(
    `  at ${PHASH_MATCH_THRESHOLD}: ${same.filter((d) => d > PHASH_MATCH_THRESHOLD).length} of ${same.length} same-picture pairs missed, ` +
      `${different.filter((d) => d <= PHASH_MATCH_THRESHOLD).length} of ${different.length} different pairs matched`,
  );
  for (const line of outliers) console.log(`    ${line}`);
}

if (process.argv[2] === 'threshold') await threshold(Number(process.argv[3] ?? 300));
else await speed(Number(process.argv[2] ?? 300), Number(process.argv[3] ?? 3));
