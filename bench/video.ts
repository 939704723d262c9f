// Video frame-hash threshold calibration, run by hand (npm run build first; needs ffmpeg):
//
//   node dist/bench/video.js [scenes] [--keep]      default 40 scenes
//
// Measures the distances behind VIDEO_MATCH_THRESHOLD: how far apart frameDistance puts two files
// of one recording (the recording and its messenger copies) and two files of different recordings.
// Each generated still scene (960×540, text-free: gradients, a horizon, shapes; some dark or flat)
// becomes a 3–8 s "phone recording" (zoompan: a slow zoom in or out with hand-held shake, half of
// them also panning sideways; sensor noise, exposure drift; H.264 + AAC, 480×270 or 640×360, 30 fps),
// and each recording gets the copies a chat makes of it: WhatsApp-like (320 px, baseline, CRF 34,
// metadata dropped), Telegram-like (400–848 px, CRF 28–33), 150 kb/s, the first or the last second
// cut, 15 fps. Same-video pairs: every two files of one recording; different pairs: every two files
// of different recordings. Prints percentiles, a histogram, misses and false matches at thresholds
// 4–16, the hardest pairs, and how long frameHashes takes per video (2 files hashed at a time).
//
// Files go to bench/out/video/, made again on each run and removed at the end unless --keep is given.
// Scene i is the same in every run (seeded by its number), so 80 scenes are the 40 and 40 more.

import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { rng } from './generate.js';
import { ffmpegDuration, ffmpegPath, frameDistance, frameHashes } from '../src/media/video-frames.js';
import { readVideoContainer } from '../src/media/video.js';
import { VIDEO_MATCH_THRESHOLD } from '../src/util/hash-distance.js';

const outDir = fileURLToPath(new URL('../../bench/out/video/', import.meta.url));
const HASH_LANES = 2;
const GENERATE_LANES = 2;
/** Output goes straight to stdout: readVideoContainer routes `console` to stderr (console-guard). */
const say = (line: string): void => void process.stdout.write(`${line}\n`);

/** The files made of one recording, the recording first. */
const KINDS = ['original', 'whatsapp', 'telegram', '150k', 'cut-start', 'cut-end', '15fps'] as const;
type Kind = (typeof KINDS)[number];

/** How one scene is filmed. */
interface Plan {
  index: number;
  width: number;
  height: number;
  seconds: number;
  pans: boolean;
  /** zoompan expressions, `on` the output frame number. */
  zoom: string;
  x: string;
  y: string;
  tone: number;
}

interface File {
  scene: number;
  mood: Mood;
  kind: Kind;
  path: string;
  /** What the copy is, for the lists of pairs. */
  label: string;
  frames: string[] | null;
  hashMs: number;
}

// Generation ----------------------------------------------------------------------------------------

type Mood = 'varied' | 'dark' | 'flat';

/** A still scene, 960×540 PNG: gradient sky and ground, 5–25 shapes; one in five dark, one in six flat. */
async function makeScene(path: string, seed: number): Promise<Mood> {
  const r = rng(seed);
  const [w, h] = [960, 540];
  const mood = r();
  // Lightness range of the scene: normal, dark (night, indoors), or flat (fog, a wall).
  const [lo, span] = mood < 0.2 ? [4, 22] : mood < 0.36 ? [45, 18] : [12, 75];
  const light = (): string => `${(lo + r() * span).toFixed(0)}%`;
  const hue = (): number => Math.floor(r() * 360);
  let svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><defs><linearGradient id="g" x1="${r().toFixed(2)}" y1="0" x2="${r().toFixed(2)}" y2="1">` +
    `<stop offset="0" stop-color="hsl(${hue()},45%,${light()})"/><stop offset="1" stop-color="hsl(${hue()},40%,${light()})"/></linearGradient></defs>` +
    `<rect width="${w}" height="${h}" fill="url(#g)"/>`;
  const horizon = h * (0.3 + r() * 0.5);
  svg += `<path d="M 0 ${horizon} Q ${w * r()} ${horizon + (r() - 0.5) * h * 0.4} ${w} ${horizon + (r() - 0.5) * h * 0.2} L ${w} ${h} L 0 ${h} Z" fill="hsl(${hue()},35%,${light()})"/>`;
  const shapes = 5 + Math.floor(r() * 21);
  for (let i = 0; i < shapes; i++) {
    const [x, y] = [r() * w, r() * h];
    const s = (0.04 + r() * 0.25) * h;
    const fill = `hsl(${hue()},${30 + r() * 60}%,${light()})`;
    const kind = r();
    if (kind < 0.4) svg += `<rect x="${x}" y="${y}" width="${s * (0.5 + r() * 1.5)}" height="${s * (0.5 + r() * 1.5)}" fill="${fill}" transform="rotate(${(r() - 0.5) * 40} ${x} ${y})"/>`;
    else if (kind < 0.75) svg += `<ellipse cx="${x}" cy="${y}" rx="${s}" ry="${s * (0.4 + r())}" fill="${fill}"/>`;
    else svg += `<polygon points="${x},${y} ${x + s},${y + s * r()} ${x - s * r()},${y + s}" fill="${fill}"/>`;
  }
  svg += '</svg>';
  await sharp(Buffer.from(svg)).removeAlpha().blur(0.8).png().toFile(path);
  return mood < 0.2 ? 'dark' : mood < 0.36 ? 'flat' : 'varied';
}

/** The camera's path over a scene: zoom from z0 by dz; the window's x, y as a share of the room left, plus shake. */
function plan(index: number): Plan {
  const r = rng(7919 * (index + 1));
  const [width, height] = index % 2 === 0 ? [640, 360] : [480, 270];
  const seconds = Math.round((3 + r() * 5) * 10) / 10;
  const frames = Math.round(seconds * 30);
  const pans = r() < 0.5;
  // Zoomed in further when panning, so that the window has room to travel (a quarter to a third of the width).
  let z0 = pans ? 1.35 + r() * 0.25 : 1.12 + r() * 0.15;
  const dz = (r() < 0.7 ? 1 : -1) * (pans ? 0.05 + r() * 0.1 : 0.05 + r() * 0.3); // mostly zooming in, sometimes out
  if (dz < 0) z0 -= dz; // a zoom out starts further in, so it never reaches the whole still
  const [x0, dx] = pans ? (r() < 0.5 ? [0.05 + r() * 0.2, 0.5 + r() * 0.4] : [0.95 - r() * 0.2, -(0.5 + r() * 0.4)]) : [0.35 + r() * 0.3, (r() - 0.5) * 0.15];
  const [y0, dy] = [0.3 + r() * 0.4, (r() - 0.5) * 0.2];
  // Shake in pixels of the 1920 px wide input zoompan reads (4–16 px, about 1–4 px of the output).
  const [ax, ay] = [4 + r() * 12, 4 + r() * 12];
  const [fx, fy, phase] = [4 + r() * 6, 5 + r() * 7, r() * 6];
  const t = `(on/${frames})`;
  return {
    index,
    width,
    height,
    seconds,
    pans,
    zoom: `${z0.toFixed(3)}+${dz.toFixed(3)}*${t}`,
    x: `(iw-iw/zoom)*(${x0.toFixed(3)}+${dx.toFixed(3)}*${t})+${ax.toFixed(1)}*sin(on/${fx.toFixed(2)})`,
    y: `(ih-ih/zoom)*(${y0.toFixed(3)}+${dy.toFixed(3)}*${t})+${ay.toFixed(1)}*sin(on/${fy.toFixed(2)}+${phase.toFixed(2)})`,
    tone: 200 + Math.floor(r() * 800),
  };
}

function ffmpeg(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath()!, ['-nostdin', '-hide_banner', '-v', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let said = '';
    child.stderr.on('data', (b: Buffer) => (said += b.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg ${args.join(' ')}: exit ${code}: ${said.trim()}`))));
  });
}

const H264 = (crf: number, preset = 'veryfast'): string[] => ['-c:v', 'libx264', '-preset', preset, '-crf', String(crf), '-pix_fmt', 'yuv420p'];
const AAC = (kbps: number): string[] => ['-c:a', 'aac', '-b:a', `${kbps}k`];

/** The phone recording of a scene: zoompan over the still at 2× (less rounding jitter), noise, exposure drift. */
async function record(scene: string, dst: string, p: Plan): Promise<void> {
  const frames = Math.round(p.seconds * 30);
  const video =
    `[0:v]scale=1920:-2,zoompan=z='${p.zoom}':x='${p.x}':y='${p.y}':d=${frames}:s=${p.width}x${p.height}:fps=30,` +
    `noise=alls=5:allf=t,eq=brightness='0.03*sin(t*1.3)':eval=frame,format=yuv420p[v]`;
  await ffmpeg([
    '-i', scene,
    '-f', 'lavfi', '-i', `sine=frequency=${p.tone}:sample_rate=44100`,
    '-filter_complex', video, '-map', '[v]', '-map', '1:a', '-t', p.seconds.toFixed(1),
    ...H264(18), '-profile:v', 'high', ...AAC(128),
    '-metadata', 'creation_time=2024-05-01T10:00:00Z', '-metadata', 'make=Apple', '-metadata', 'model=iPhone 12',
    dst,
  ]);
}

/** A messenger's copy of a recording: the ffmpeg arguments after `-i src` (or around it for the cut), and its label. */
function copyArgs(kind: Exclude<Kind, 'original'>, src: string, p: Plan): { args: string[]; label: string } {
  const r = rng(104729 * (p.index + 1));
  switch (kind) {
    case 'whatsapp':
      return {
        args: ['-i', src, '-vf', 'scale=320:-2', ...H264(34), '-profile:v', 'baseline', '-level', '3.0', ...AAC(48), '-ac', '1', '-map_metadata', '-1', '-movflags', '+faststart'],
        label: 'whatsapp 320 px crf 34',
      };
    case 'telegram': {
      // Telegram keeps the size up to 848 px; here 400–848 px, never above the recording.
      const width = 2 * Math.round((400 + r() * (Math.min(848, p.width) - 400)) / 2);
      const crf = 28 + Math.floor(r() * 6);
      return { args: ['-i', src, '-vf', `scale=${width}:-2`, ...H264(crf, 'medium'), ...AAC(64), '-map_metadata', '-1', '-movflags', '+faststart'], label: `telegram ${width} px crf ${crf}` };
    }
    case '150k':
      return { args: ['-i', src, ...H264(23), '-b:v', '150k', '-maxrate', '180k', '-bufsize', '300k', ...AAC(32)], label: '150 kb/s' };
    case 'cut-start':
      return { args: ['-ss', '1', '-i', src, ...H264(23), ...AAC(96)], label: 'first 1 s cut' };
    case 'cut-end':
      return { args: ['-i', src, '-t', (p.seconds - 1).toFixed(1), ...H264(23), ...AAC(96)], label: 'last 1 s cut' };
    case '15fps':
      return { args: ['-i', src, '-vf', 'fps=15', ...H264(23), ...AAC(96)], label: '15 fps' };
  }
}

async function makeFiles(plans: Plan[]): Promise<File[]> {
  const files: File[] = [];
  await inLanes(plans, GENERATE_LANES, async (p) => {
    const name = `s${String(p.index).padStart(3, '0')}`;
    const scene = join(outDir, `${name}.png`);
    const mood = await makeScene(scene, p.index + 1);
    const original = join(outDir, `${name}-original.mp4`);
    await record(scene, original, p);
    files.push({ scene: p.index, mood, kind: 'original', path: original, label: `${p.width}×${p.height} ${p.seconds} s${p.pans ? ' pan' : ''}`, frames: null, hashMs: 0 });
    for (const kind of KINDS) {
      if (kind === 'original') continue;
      const { args, label } = copyArgs(kind, original, p);
      const path = join(outDir, `${name}-${kind}.mp4`);
      await ffmpeg([...args, path]);
      files.push({ scene: p.index, mood, kind, path, label, frames: null, hashMs: 0 });
    }
  });
  return files.sort((a, b) => a.scene - b.scene || KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind));
}

// Measuring -----------------------------------------------------------------------------------------

async function inLanes<T>(items: T[], lanes: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(lanes, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** Each file's frame hashes, once: the duration from the container (ffmpeg's when it has none), then frameHashes timed. */
async function hashAll(files: File[]): Promise<string[]> {
  const errors: string[] = [];
  await inLanes(files, HASH_LANES, async (f) => {
    const durationMs = (await readVideoContainer(f.path, 'mp4')).video.durationMs ?? (await ffmpegDuration(f.path, 'mp4'));
    if (durationMs === null) return void errors.push(`${f.path}: no duration`);
    const start = process.hrtime.bigint();
    const { frames, error } = await frameHashes(f.path, 'mp4', durationMs);
    f.hashMs = Number(process.hrtime.bigint() - start) / 1e6;
    if (frames === null) errors.push(`${f.path}: ${error ?? 'no frames (ffmpeg not found?)'}`);
    f.frames = frames;
  });
  return errors;
}

/** Percentiles by nearest rank. */
function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function stats(values: number[]): string {
  if (values.length === 0) return 'n=0';
  const s = [...values].sort((a, b) => a - b);
  return `n=${String(s.length).padStart(6)}  min ${s[0]}  p1 ${percentile(s, 0.01)}  p5 ${percentile(s, 0.05)}  median ${percentile(s, 0.5)}  p95 ${percentile(s, 0.95)}  p99 ${percentile(s, 0.99)}  max ${s[s.length - 1]}`;
}

const pct = (n: number, of: number): string => `${String(n).padStart(6)} (${((100 * n) / Math.max(1, of)).toFixed(2).padStart(6)} %)`;

function ffmpegVersion(): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(ffmpegPath()!, ['-version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
    child.on('error', () => resolve('(ffmpeg -version failed)'));
    child.on('close', () => resolve(out.split('\n')[0] ?? ''));
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const keep = args.includes('--keep');
  const count = Number(args.find((a) => !a.startsWith('--')) ?? 40);
  if (!Number.isInteger(count) || count < 2) throw new Error('usage: node dist/bench/video.js [scenes >= 2] [--keep]');
  if (ffmpegPath() === null) throw new Error('ffmpeg not found (PATH or $THREATLENS_FFMPEG): the frame hashes need it');
  const began = Date.now();

  say(`video frame-hash threshold: frameDistance (mean pHash bits of 5 frames along the best alignment: time warping in a band of one sample), VIDEO_MATCH_THRESHOLD = ${VIDEO_MATCH_THRESHOLD}`);
  say(`node ${process.version}, ${new Date().toISOString()}, ${await ffmpegVersion()}`);

  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const plans = Array.from({ length: count }, (_, i) => plan(i));
  const genStart = Date.now();
  const files = await makeFiles(plans);
  const genMs = Date.now() - genStart;
  const seconds = plans.map((p) => p.seconds).sort((a, b) => a - b);
  say(
    `${count} recordings (${plans.filter((p) => p.width === 640).length} at 640×360, ${plans.filter((p) => p.width === 480).length} at 480×270; ` +
      `${seconds[0]}–${seconds[seconds.length - 1]} s, median ${percentile(seconds, 0.5)} s; ${plans.filter((p) => p.pans).length} panning sideways), ` +
      `${files.length} files with the copies (${KINDS.slice(1).join(', ')}), made in ${(genMs / 1000).toFixed(0)} s into ${outDir}`,
  );

  const hashStart = Date.now();
  const errors = await hashAll(files);
  const hashWall = Date.now() - hashStart;
  for (const e of errors) say(`  not hashed: ${e}`);
  const hashed = files.filter((f): f is File & { frames: string[] } => f.frames !== null);
  // With --keep, the hashes too, so that other distances can be tried on them without decoding again.
  if (keep) writeFileSync(join(outDir, 'hashes.json'), JSON.stringify(hashed.map((f) => ({ scene: f.scene, kind: f.kind, mood: f.mood, frames: f.frames }))));

  // Pairs -------------------------------------------------------------------------------------------
  const same: number[] = [];
  const different: number[] = [];
  const byKinds = new Map<string, number[]>();
  const sameNamed: [number, string][] = [];
  const differentNamed: [number, string][] = [];
  const byMoods = new Map<string, number[]>();
  const name = (f: File): string => `s${String(f.scene).padStart(3, '0')} ${f.mood} ${f.kind} (${f.label})`;
  for (let i = 0; i < hashed.length; i++) {
    for (let j = i + 1; j < hashed.length; j++) {
      const [a, b] = [hashed[i]!, hashed[j]!];
      const d = frameDistance(a.frames, b.frames);
      if (a.scene === b.scene) {
        same.push(d);
        const key = `${a.kind} – ${b.kind}`;
        byKinds.set(key, [...(byKinds.get(key) ?? []), d]);
        sameNamed.push([d, `${name(a)} / ${b.kind} (${b.label}); recording ${hashed.find((f) => f.scene === a.scene && f.kind === 'original')?.label ?? '?'}`]);
      } else {
        different.push(d);
        const moods = [a.mood, b.mood].sort().join(' – ');
        byMoods.set(moods, [...(byMoods.get(moods) ?? []), d]);
        if (d <= 20) differentNamed.push([d, `${name(a)} / ${name(b)}`]);
      }
    }
  }
  const originals = hashed.filter((f) => f.kind === 'original');
  const differentOriginals: number[] = [];
  for (let i = 0; i < originals.length; i++) for (let j = i + 1; j < originals.length; j++) differentOriginals.push(frameDistance(originals[i]!.frames, originals[j]!.frames));

  say('\ndistances (percentiles by nearest rank)');
  say(`  same video, all pairs:             ${stats(same)}`);
  say(`  different videos, all pairs:       ${stats(different)}`);
  say(`  different videos, recordings only: ${stats(differentOriginals)}`);
  const moodCount = (m: Mood): number => plans.filter((_, i) => originals.find((f) => f.scene === i)?.mood === m).length;
  say(`  different videos by the scenes' look (${moodCount('varied')} varied, ${moodCount('dark')} dark, ${moodCount('flat')} flat scenes):`);
  for (const [moods, values] of [...byMoods].sort((a, b) => a[0].localeCompare(b[0]))) say(`    ${moods.padEnd(17)} ${stats(values)}`);

  say('\nsame video by the kinds of the two files (hardest first, by p95 then max)');
  const kindRows = [...byKinds].map(([k, v]) => ({ k, v, s: [...v].sort((a, b) => a - b) }));
  kindRows.sort((a, b) => percentile(b.s, 0.95) - percentile(a.s, 0.95) || b.s[b.s.length - 1]! - a.s[a.s.length - 1]! || a.k.localeCompare(b.k));
  const kw = Math.max(...kindRows.map((r) => r.k.length));
  for (const { k, v, s } of kindRows)
    say(`  ${k.padEnd(kw)}  n=${String(v.length).padStart(4)}  median ${String(percentile(s, 0.5)).padStart(2)}  p95 ${String(percentile(s, 0.95)).padStart(2)}  max ${String(s[s.length - 1]).padStart(2)}  over ${VIDEO_MATCH_THRESHOLD}: ${v.filter((d) => d > VIDEO_MATCH_THRESHOLD).length}`);

  say('\nhistogram: distance → pairs');
  say('   d     same  different');
  for (let d = 0; d <= 40; d++) {
    const [s, o] = [same.filter((x) => x === d).length, different.filter((x) => x === d).length];
    say(`  ${String(d).padStart(2)}  ${String(s).padStart(7)}  ${String(o).padStart(9)}`);
  }
  say(`  >40 ${String(same.filter((x) => x > 40).length).padStart(7)}  ${String(different.filter((x) => x > 40).length).padStart(9)}`);

  say('\nthreshold t (a pair matches when distance <= t)');
  say(`   t   same missed (> t)   different matched (<= t)`);
  for (let t = 4; t <= 16; t++)
    say(`  ${String(t).padStart(2)}   ${pct(same.filter((d) => d > t).length, same.length)}   ${pct(different.filter((d) => d <= t).length, different.length)}${t === VIDEO_MATCH_THRESHOLD ? '   <- VIDEO_MATCH_THRESHOLD' : ''}`);

  say('\nhardest same-video pairs');
  for (const [d, what] of sameNamed.sort((a, b) => b[0] - a[0]).slice(0, 12)) say(`  ${String(d).padStart(2)}  ${what}`);
  say('\nclosest different-video pairs');
  for (const [d, what] of differentNamed.sort((a, b) => a[0] - b[0]).slice(0, 12)) say(`  ${String(d).padStart(2)}  ${what}`);

  const times = hashed.map((f) => f.hashMs).sort((a, b) => a - b);
  say(
    `\ntimings: frameHashes per video median ${percentile(times, 0.5).toFixed(0)} ms, p95 ${percentile(times, 0.95).toFixed(0)} ms, max ${times[times.length - 1]!.toFixed(0)} ms ` +
      `(${HASH_LANES} at a time; ${hashed.length} files in ${(hashWall / 1000).toFixed(1)} s); generation ${(genMs / 1000).toFixed(0)} s; whole run ${((Date.now() - began) / 1000).toFixed(0)} s`,
  );
  if (!keep) rmSync(outDir, { recursive: true, force: true });
  else say(`files kept in ${outDir}`);
}

await main();
