// Media benchmark and pHash threshold calibration (run by hand:
//   npm run build && node dist/bench/media.js [images] [runs]
// ). Generates varied 1–3 MP JPEGs with EXIF (and XMP on some) into bench/out/media/, then in the
// same run measures, median of `runs`:
//   metadata:  readImageMetadata (exifr on header segments)  vs  exiftool -json -n, one batched process
//   pHash:     HashPool over every core                       vs  sharp decode + resize 32×32 grey + raw
//                                                                 alone on the main thread, 2 per core in flight
// and calibrates PHASH_MATCH_THRESHOLD: each image is re-encoded the way messengers do (longest side
// 1280 px at q70, then q50) and distances of same-picture pairs are set against all pairs of
// different pictures. exiftool is needed only for its comparison row.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { rng } from './generate.js';
import { exiftoolAvailable, hammingDistance, HashPool, PHASH_MATCH_THRESHOLD, readImageMetadata, readManyImageFacts } from '../src/media/index.js';

const outDir = fileURLToPath(new URL('../../bench/out/media/', import.meta.url));
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
  await image.toFile(path);
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

function stats(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return `n=${sorted.length} min ${sorted[0]} p1 ${at(0.01)} p5 ${at(0.05)} median ${at(0.5)} p99 ${at(0.99)} max ${sorted[sorted.length - 1]}`;
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

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 300);
  const runs = Number(process.argv[3] ?? 3);
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
  const paths = names.map((n) => join(originals, n));
  const bytes = (await Promise.all(paths.map((p) => sharp(p).metadata().then((m) => (m.width ?? 0) * (m.height ?? 0))))).reduce((a, b) => a + b, 0);
  console.log(`node ${process.version}, ${cores} cores, ${count} JPEGs averaging ${(bytes / count / 1e6).toFixed(1)} MP, median of ${runs} runs, warm cache`);
  writeFileSync(join(outDir, 'files.txt'), paths.join('\n') + '\n');

  // Metadata --------------------------------------------------------------------------------------
  await inLanes(paths, 16, async (p) => void (await readImageMetadata(p))); // warm-up
  const metaMs = await median(runs, () => inLanes(paths, 16, async (p) => void (await readImageMetadata(p))));
  console.log('\nmetadata (make, model, serials, dates, GPS, XMP, ICC, thumbnail bytes)');
  console.log(`  threatlens readImageMetadata          ${rate(count, metaMs)}`);
  if (await exiftoolAvailable()) {
    const toolMs = await median(runs, () => exiftoolBatch(paths));
    console.log(`  exiftool -json -n, one process         ${rate(count, toolMs)}`);
    console.log(`  ratio: ${(toolMs / metaMs).toFixed(1)}x (target >= 10x)`);
  } else console.log('  exiftool not installed: no comparison row');

  // pHash -----------------------------------------------------------------------------------------
  console.log('\npHash (decode, auto-orient, 32×32 grey, DCT)');
  const baseline = (): Promise<void> =>
    inLanes(paths, cores * 2, async (p) => void (await sharp(p).greyscale().resize(32, 32, { fit: 'fill' }).raw().toBuffer()));
  const pool = await HashPool.start(cores);
  const jobs = paths.map((path) => ({ path, format: 'jpeg' as const, orientation: 1, thumbnail: null, needSize: false }));
  await Promise.all(jobs.slice(0, cores * 2).map((j) => pool.hash(j))); // warm-up: workers load sharp
  // Alternating runs, so a change in machine load hits both sides alike.
  const baselineTimes: number[] = [];
  const poolTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    baselineTimes.push(await timed(baseline));
    poolTimes.push(await timed(() => Promise.all(jobs.map((j) => pool.hash(j)))));
  }
  const mid = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const [baselineMs, poolMs] = [mid(baselineTimes), mid(poolTimes)];
  console.log(`  sharp decode+resize+raw alone (${cores * 2} in flight) ${rate(count, baselineMs)}`);
  console.log(`  threatlens HashPool (${pool.size} workers)          ${rate(count, poolMs)}`);
  console.log(`  pool / sharp alone: ${((baselineMs / poolMs) * 100).toFixed(0)}% (target >= 80%)`);

  const factsMs = await median(runs, () => readManyImageFacts(paths));
  console.log(`\nfull readManyImageFacts (SHA-256 + metadata + pHash + thumbnail + anomalies) ${rate(count, factsMs)}`);

  // Threshold calibration -------------------------------------------------------------------------
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
  console.log(`\npHash distances (PHASH_MATCH_THRESHOLD = ${PHASH_MATCH_THRESHOLD})`);
  console.log(`  same picture, messenger re-encode: ${stats(same)}`);
  console.log(`    histogram ${histogram(same)}`);
  console.log(`  same picture, 5 % crop each side:  ${stats(crop)}`);
  console.log(`  different pictures:                ${stats(different)}`);
  console.log(`    lowest ${histogram(different.filter((d) => d <= 20))}`);
  const missed = same.filter((d) => d > PHASH_MATCH_THRESHOLD).length;
  const falseMatches = different.filter((d) => d <= PHASH_MATCH_THRESHOLD).length;
  console.log(`  at the threshold: ${missed} of ${same.length} re-encodes missed, ${falseMatches} of ${different.length} different pairs matched`);
}

await main();
