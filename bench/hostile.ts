// Hostile-input run (by hand: `npm run build && node dist/bench/hostile.js [N] [--seed S] [--jobs J]
// [--timeout SECONDS] [--keep]`). Generates N hostile inputs from the fixtures (truncations, bit
// flips and overwritten runs; UTF-16, Latin-1 and CP1251 re-encodings; wrong extensions; deep JSON
// nesting; zip slip, bomb, overlap and lying-size archives; images with lying segments; terminal,
// bidi and formula payloads in message text, names and EXIF strings), runs the real CLI on each in a
// child process with a timeout:
//   ingest INPUT --case C --format json, then messages and media --format json, and the table and
//   CSV of whatever the case holds,
// and prints figures: crashes (exit 3, a signal, or a stack trace on stderr), hangs (timeouts),
// stdout that is not JSON, terminal escapes in a table or in diagnostics, unguarded CSV cells,
// inputs modified (SHA-256 before and after), files written outside the case, and inputs accepted
// with fewer messages than the unmodified fixture gives and no new kind of warning (silent losses).
// Same seed, same inputs: the figures differ between runs only if the machine makes a run time out.

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { availableParallelism, tmpdir } from 'node:os';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { rng } from './generate.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(repo, 'bin', 'threatlens.js');
const FIXTURES = join(repo, 'fixtures');

// ---------------------------------------------------------------------------------------------
// Options

interface Options {
  count: number;
  seed: number;
  jobs: number;
  timeoutMs: number;
  keep: boolean;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { count: 300, seed: 1, jobs: Math.max(1, Math.min(4, availableParallelism())), timeoutMs: 120_000, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v <= 0) throw new Error(`${a} needs a positive number`);
      return v;
    };
    if (a === '--seed') options.seed = next();
    else if (a === '--jobs') options.jobs = Math.floor(next());
    else if (a === '--timeout') options.timeoutMs = next() * 1000;
    else if (a === '--keep') options.keep = true;
    else if (/^\d+$/.test(a)) options.count = Number(a);
    else throw new Error(`unknown argument ${a} (usage: hostile.js [N] [--seed S] [--jobs J] [--timeout SECONDS] [--keep])`);
  }
  return options;
}

// ---------------------------------------------------------------------------------------------
// Sources: the fixtures an input is made from

type SourceKind = 'telegram' | 'whatsapp-txt' | 'whatsapp-zip' | 'image' | 'telegram-html' | 'signal' | 'discord' | 'meta';

interface Source {
  kind: SourceKind;
  /** Relative to fixtures/. */
  name: string;
  /** The files of the input, relative to its folder. */
  files: Map<string, Buffer>;
  /** What ingest is given, relative to the input folder. */
  target: string;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

function folderSource(kind: SourceKind, dir: string, target: string): Source {
  const files = new Map<string, Buffer>();
  for (const file of listFiles(dir)) files.set(relative(dir, file).split(sep).join('/'), readFileSync(file));
  return { kind, name: relative(FIXTURES, join(dir, target)), files, target };
}

function fileSource(kind: SourceKind, path: string): Source {
  return { kind, name: relative(FIXTURES, path), files: new Map([[basename(path), readFileSync(path)]]), target: basename(path) };
}

function loadSources(): Source[] {
  const sources: Source[] = [];
  const tg = join(FIXTURES, 'telegram');
  for (const name of readdirSync(tg).sort()) {
    const dir = join(tg, name);
    if (statSync(dir).isDirectory() && existsSync(join(dir, 'result.json'))) sources.push(folderSource('telegram', dir, 'result.json'));
  }
  sources.push(folderSource('telegram', join(FIXTURES, 'sample-case', 'anna', 'ChatExport_2022-01-25'), 'result.json'));
  sources.push(folderSource('telegram', join(FIXTURES, 'sample-case', 'dmitri', 'DataExport_2022-02-01'), 'result.json'));
  const wa = join(FIXTURES, 'whatsapp');
  for (const dir of [wa, join(wa, 'variants'), join(wa, 'defects')])
    for (const name of readdirSync(dir).sort()) if (name.endsWith('.txt')) sources.push(fileSource('whatsapp-txt', join(dir, name)));
  sources.push(fileSource('whatsapp-txt', join(FIXTURES, 'sample-case', 'anna', 'WhatsApp Chat with Мама.txt')));
  for (const dir of [join(wa, 'zip'), join(FIXTURES, 'sample-case', 'boris')])
    for (const name of readdirSync(dir).sort()) if (name.endsWith('.zip')) sources.push(fileSource('whatsapp-zip', join(dir, name)));
  const html = join(FIXTURES, 'telegram-html');
  for (const name of readdirSync(html).sort()) if (existsSync(join(html, name, 'messages.html'))) sources.push(folderSource('telegram-html', join(html, name), 'messages.html'));
  const sigtop = join(FIXTURES, 'signal', 'sigtop');
  for (const name of readdirSync(sigtop).sort()) if (name.endsWith('.txt')) sources.push(fileSource('signal', join(sigtop, name)));
  const dce = join(FIXTURES, 'discord', 'dce');
  for (const name of readdirSync(dce).sort()) if (name.endsWith('.json')) sources.push(folderSource('discord', dce, name));
  // Meta threads inside their downloads (the app is told by the download's folders).
  const meta = join(FIXTURES, 'meta');
  for (const name of readdirSync(meta).sort()) {
    const root = join(meta, name);
    if (!statSync(root).isDirectory()) continue;
    const thread = listFiles(root).find((f) => f.endsWith(`${sep}message_1.json`) && f.includes(`${sep}inbox${sep}`));
    if (thread !== undefined) sources.push(folderSource('meta', root, relative(root, thread).split(sep).join('/')));
  }
  const img = join(FIXTURES, 'images');
  for (const dir of [img, join(img, 'real'), join(img, 'variants')]) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) if (/\.(jpe?g|png|heic|webp|gif|tiff?)$/i.test(name)) sources.push(fileSource('image', join(dir, name)));
  }
  return sources;
}

// ---------------------------------------------------------------------------------------------
// Inputs

interface Input {
  index: number;
  source: Source;
  mutation: string;
  files: Map<string, Buffer>;
  target: string;
  /**
   * How many messages the mutation may cost without anyone being able to tell (a flipped byte can
   * turn a header into text of the message before it). null: no comparison with the fixture (the
   * input is not meant to hold the fixture's messages).
   */
  allowance: number | null;
  /** Truncated at a line end: a shorter export that no reader can tell from a cut one. */
  undetectable?: boolean;
}

type Random = () => number;
const int = (r: Random, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;

const HOSTILE = [
  '\u001b[2J\u001b[H\u001b[31mscreen cleared\u001b[0m',
  '\u001b]0;pwned title\u0007',
  '\u001b]8;;http://evil.example/\u001b\\click\u001b]8;;\u001b\\',
  '\u009b31mC1 CSI\u009b0m \u0085NEL',
  'line one\u2028line two\u2029para',
  'abc\u202eevil\u202c def \u2066iso\u2069 \u200elrm\u200f rlm \u061calm',
  '=HYPERLINK("http://evil.example","click")',
  ' =1+1',
  '\t=1+1',
  '"=1+1',
  "'=cmd|' /C calc'!A0",
  '@SUM(1+1)',
  '-2+3+cmd|calc',
  '+7 928 123-45-67',
  '\r=1+1',
  'fine\nthreatlens: ingested forged.txt: all good',
  'nul\u0000byte\u0007bell\u0008bs\u007fdel',
];

/** ASCII-only payloads for EXIF strings (same length as the bytes they overwrite, or shorter). */
const HOSTILE_ASCII = ['\u001b[2J', '=1+1', ' =cmd', '\u001b]0;x\u0007', '@SUM(', '\t=1', '\r\n=1', '-1-1'];

function truncate(r: Random, b: Buffer): { bytes: Buffer; mutation: string } {
  const at = int(r, 0, Math.max(0, b.length - 1));
  return { bytes: b.subarray(0, at), mutation: `truncate@${at}/${b.length}` };
}

function truncateAtLineEnd(r: Random, b: Buffer): { bytes: Buffer; mutation: string } | null {
  const ends: number[] = [];
  for (let i = 0; i < b.length - 1; i++) if (b[i] === 0x0a) ends.push(i + 1);
  if (ends.length === 0) return null;
  const at = pick(r, ends);
  return { bytes: b.subarray(0, at), mutation: `truncate-line@${at}/${b.length}` };
}

function bitFlips(r: Random, b: Buffer): { bytes: Buffer; mutation: string; flips: number } {
  const out = Buffer.from(b);
  const flips = int(r, 1, 8);
  const where: number[] = [];
  for (let i = 0; i < flips && out.length > 0; i++) {
    const at = int(r, 0, out.length - 1);
    out[at]! ^= 1 << int(r, 0, 7);
    where.push(at);
  }
  return { bytes: out, mutation: `bitflip×${flips}@${where.join(',')}`, flips };
}

function overwriteRun(r: Random, b: Buffer): { bytes: Buffer; mutation: string; lines: number } {
  const out = Buffer.from(b);
  const length = Math.min(out.length, int(r, 1, 64));
  const at = int(r, 0, Math.max(0, out.length - length));
  let lines = 1;
  for (let i = at; i < at + length; i++) {
    if (out[i] === 0x0a) lines++;
    out[i] = int(r, 0, 255);
  }
  return { bytes: out, mutation: `overwrite ${length} bytes@${at}`, lines };
}

function duplicateRange(r: Random, b: Buffer): { bytes: Buffer; mutation: string } {
  const from = int(r, 0, Math.max(0, b.length - 1));
  const to = Math.min(b.length, from + int(r, 1, 512));
  return { bytes: Buffer.concat([b.subarray(0, to), b.subarray(from, to), b.subarray(to)]), mutation: `duplicate ${from}..${to}` };
}

// CP1251 for Cyrillic (Ё ё А-я), Latin-1 for the rest; anything else becomes '?'.
function cp1251(text: string): Buffer {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c >= 0x410 && c <= 0x44f) out.push(c - 0x410 + 0xc0);
    else if (c === 0x401) out.push(0xa8);
    else if (c === 0x451) out.push(0xb8);
    else out.push(0x3f);
  }
  return Buffer.from(out);
}

function reencode(r: Random, b: Buffer): { bytes: Buffer; mutation: string } {
  const text = b.toString('utf8').replace(/^\ufeff/, '');
  const how = pick(r, ['utf16le-bom', 'utf16be-bom', 'utf16le', 'latin1', 'cp1251', 'utf8-bom'] as const);
  const le = Buffer.from(text, 'utf16le');
  switch (how) {
    case 'utf16le-bom':
      return { bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), le]), mutation: how };
    case 'utf16be-bom':
      return { bytes: Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(le).swap16()]), mutation: how };
    case 'utf16le':
      return { bytes: le, mutation: how };
    case 'latin1':
      return { bytes: Buffer.from(text, 'latin1'), mutation: how };
    case 'cp1251':
      return { bytes: cp1251(text), mutation: how };
    default:
      return { bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]), mutation: how };
  }
}

/** Hostile strings in message text and sender names of a Telegram export (still valid JSON). */
function hostileTelegram(r: Random, b: Buffer): Buffer | null {
  let doc: unknown;
  try {
    doc = JSON.parse(b.toString('utf8'));
  } catch {
    return null;
  }
  let touched = 0;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'message' && r() < 0.6) {
        o.text = pick(r, HOSTILE) + ' ' + (typeof o.text === 'string' ? o.text : '');
        if (typeof o.from === 'string' && r() < 0.5) o.from = pick(r, HOSTILE);
        touched++;
      }
      for (const v of Object.values(o)) visit(v);
    }
  };
  visit(doc);
  return touched > 0 ? Buffer.from(JSON.stringify(doc, null, 1)) : null;
}

/** Hostile strings after some WhatsApp headers, and as continuation lines. */
function hostileWhatsApp(r: Random, b: Buffer): Buffer | null {
  const lines = b.toString('utf8').split('\n');
  let touched = 0;
  const out = lines.flatMap((line) => {
    const colon = line.indexOf(': ', 10);
    if (colon < 0 || r() > 0.5) return [line];
    touched++;
    const payload = pick(r, HOSTILE).replace(/\n/g, ' ');
    return r() < 0.5 ? [line.slice(0, colon + 2) + payload + line.slice(colon + 2)] : [line, pick(r, HOSTILE).replace(/\n/g, ' ')];
  });
  return touched > 0 ? Buffer.from(out.join('\n')) : null;
}

interface JpegSegment {
  marker: number;
  at: number;
  length: number;
}

function jpegSegments(b: Buffer): JpegSegment[] {
  const out: JpegSegment[] = [];
  if (b[0] !== 0xff || b[1] !== 0xd8) return out;
  let p = 2;
  while (p + 4 <= b.length && b[p] === 0xff) {
    const marker = b[p + 1]!;
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      p += 2;
      continue;
    }
    const length = b.readUInt16BE(p + 2);
    out.push({ marker, at: p, length });
    if (marker === 0xda) break;
    p += 2 + length;
  }
  return out;
}

/** The TIFF block of the first EXIF APP1: its offset, and its byte order. */
function exifTiff(b: Buffer): { tiff: number; le: boolean } | null {
  for (const s of jpegSegments(b)) {
    if (s.marker !== 0xe1) continue;
    if (b.toString('latin1', s.at + 4, s.at + 10) !== 'Exif\u0000\u0000') continue;
    const tiff = s.at + 10;
    const order = b.toString('latin1', tiff, tiff + 2);
    if (order !== 'II' && order !== 'MM') return null;
    return { tiff, le: order === 'II' };
  }
  return null;
}

function lyingJpeg(r: Random, b: Buffer): { bytes: Buffer; mutation: string } | null {
  const segments = jpegSegments(b);
  if (segments.length === 0) return null;
  const out = Buffer.from(b);
  const exif = exifTiff(b);
  const u16 = (at: number, v: number, le: boolean): void => void (le ? out.writeUInt16LE(v, at) : out.writeUInt16BE(v, at));
  const u32 = (at: number, v: number, le: boolean): void => void (le ? out.writeUInt32LE(v >>> 0, at) : out.writeUInt32BE(v >>> 0, at));
  const r16 = (at: number, le: boolean): number => (le ? b.readUInt16LE(at) : b.readUInt16BE(at));
  const r32 = (at: number, le: boolean): number => (le ? b.readUInt32LE(at) : b.readUInt32BE(at));
  const choices = ['segment-overrun', 'segment-short', 'sof-huge', 'sof-zero', ...(exif ? ['ifd-count', 'ifd-loop', 'ifd-beyond', 'entry-count', 'exif-strings'] : [])];
  const how = pick(r, choices);
  const app = segments.filter((s) => s.marker >= 0xe0 && s.marker <= 0xef);
  const sof = segments.find((s) => s.marker >= 0xc0 && s.marker <= 0xcf && s.marker !== 0xc4 && s.marker !== 0xc8 && s.marker !== 0xcc);
  switch (how) {
    case 'segment-overrun': {
      const s = pick(r, app.length > 0 ? app : segments);
      out.writeUInt16BE(0xffff, s.at + 2);
      return { bytes: out, mutation: `jpeg segment ${s.marker.toString(16)} length 65535` };
    }
    case 'segment-short': {
      const s = pick(r, app.length > 0 ? app : segments);
      out.writeUInt16BE(int(r, 0, 2), s.at + 2);
      return { bytes: out, mutation: `jpeg segment ${s.marker.toString(16)} length ≤ 2` };
    }
    case 'sof-huge':
    case 'sof-zero': {
      if (!sof) return null;
      const v = how === 'sof-huge' ? 0xffff : 0;
      out.writeUInt16BE(v, sof.at + 5);
      out.writeUInt16BE(v, sof.at + 7);
      return { bytes: out, mutation: `jpeg SOF ${v}×${v}` };
    }
  }
  const { tiff, le } = exif!;
  const ifd0 = tiff + r32(tiff + 4, le);
  if (ifd0 + 2 > b.length) return null;
  const count = r16(ifd0, le);
  switch (how) {
    case 'ifd-count':
      u16(ifd0, 0xffff, le);
      return { bytes: out, mutation: 'exif IFD0 declares 65535 entries' };
    case 'ifd-loop': {
      const next = ifd0 + 2 + count * 12;
      if (next + 4 > b.length) return null;
      u32(next, ifd0 - tiff, le);
      // The EXIF sub-IFD pointer, when there is one, points back at IFD0 too.
      for (let i = 0; i < count && ifd0 + 2 + i * 12 + 12 <= b.length; i++) if (r16(ifd0 + 2 + i * 12, le) === 0x8769) u32(ifd0 + 2 + i * 12 + 8, ifd0 - tiff, le);
      return { bytes: out, mutation: 'exif IFD0 points to itself' };
    }
    case 'ifd-beyond':
      u32(tiff + 4, 0x7ffffff0, le);
      return { bytes: out, mutation: 'exif IFD0 offset beyond the file' };
    case 'entry-count': {
      if (count === 0) return null;
      const e = ifd0 + 2 + int(r, 0, count - 1) * 12;
      if (e + 12 > b.length) return null; // an IFD that does not fit its file (a damaged variant)
      u32(e + 4, 0x7fffffff, le);
      u32(e + 8, int(r, 0, 0x7fffffff), le);
      return { bytes: out, mutation: `exif entry ${r16(e, le).toString(16)} count 2^31-1` };
    }
    default: {
      // Printable ASCII runs inside the EXIF block (Make, Model, Software, dates): overwrite their start.
      const app1 = segments.find((s) => s.at + 4 === tiff - 6)!;
      let touched = 0;
      for (let p = tiff; p < app1.at + 2 + app1.length; p++) {
        let q = p;
        while (q < out.length && out[q]! >= 0x20 && out[q]! < 0x7f) q++;
        if (q - p >= 5 && r() < 0.7) {
          const payload = Buffer.from(pick(r, HOSTILE_ASCII), 'latin1').subarray(0, q - p - 1);
          payload.copy(out, p);
          touched++;
        }
        p = q;
      }
      return touched > 0 ? { bytes: out, mutation: `exif strings overwritten ×${touched}` } : null;
    }
  }
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0);
  return Buffer.concat([head, data, crc]);
}

function lyingPng(r: Random, b: Buffer): { bytes: Buffer; mutation: string } | null {
  if (b.toString('latin1', 12, 16) !== 'IHDR') return null;
  const how = pick(r, ['ihdr-huge', 'chunk-length', 'text-payload'] as const);
  if (how === 'ihdr-huge') {
    const data = Buffer.from(b.subarray(16, 29));
    data.writeUInt32BE(int(r, 0, 1) === 0 ? 100_000 : 0x7fffffff, 0);
    data.writeUInt32BE(100_000, 4);
    return { bytes: Buffer.concat([b.subarray(0, 8), pngChunk('IHDR', data), b.subarray(33)]), mutation: 'png IHDR 100000+ px, CRC fixed' };
  }
  if (how === 'chunk-length') {
    const out = Buffer.from(b);
    out.writeUInt32BE(0x7ffffff0, 33);
    return { bytes: out, mutation: 'png chunk after IHDR declares 2 GiB' };
  }
  const text = Buffer.concat([Buffer.from('Comment\u0000', 'latin1'), Buffer.from(pick(r, HOSTILE_ASCII), 'latin1')]);
  return { bytes: Buffer.concat([b.subarray(0, 33), pngChunk('tEXt', text), b.subarray(33)]), mutation: 'png tEXt payload' };
}

function lyingHeif(r: Random, b: Buffer): { bytes: Buffer; mutation: string } | null {
  if (b.toString('latin1', 4, 8) !== 'ftyp') return null;
  const out = Buffer.from(b);
  const find = (type: string): number => b.indexOf(Buffer.from(type, 'latin1'));
  const how = pick(r, ['box-overrun', 'box-zero', 'box-largesize', 'ispe-huge', 'iinf-count', 'iloc-extent'] as const);
  const top = b.readUInt32BE(0);
  switch (how) {
    case 'box-overrun':
      out.writeUInt32BE(0xfffffff0, top);
      return { bytes: out, mutation: 'heif second top-level box size beyond the file' };
    case 'box-zero':
      out.writeUInt32BE(0, 0);
      return { bytes: out, mutation: 'heif ftyp size 0' };
    case 'box-largesize': {
      out.writeUInt32BE(1, top);
      return { bytes: Buffer.concat([out.subarray(0, top + 8), Buffer.from([0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), out.subarray(top + 8)]), mutation: 'heif box largesize 2^63' };
    }
    case 'ispe-huge': {
      const at = find('ispe');
      if (at < 0) return null;
      out.writeUInt32BE(0xffffffff, at + 8);
      out.writeUInt32BE(0xffffffff, at + 12);
      return { bytes: out, mutation: 'heif ispe 2^32-1 square' };
    }
    case 'iinf-count': {
      const at = find('iinf');
      if (at < 0) return null;
      out.writeUInt16BE(0xffff, at + 8);
      return { bytes: out, mutation: 'heif iinf 65535 items' };
    }
    default: {
      const at = find('iloc');
      if (at < 0) return null;
      // Overwrite the last 4 bytes of the iloc box (an extent length) with a huge value.
      const end = at - 4 + b.readUInt32BE(at - 4);
      out.writeUInt32BE(0x7ffffff0, end - 4);
      return { bytes: out, mutation: 'heif iloc extent 2 GiB' };
    }
  }
}

function lyingWebp(r: Random, b: Buffer): { bytes: Buffer; mutation: string } | null {
  if (b.toString('latin1', 0, 4) !== 'RIFF') return null;
  const out = Buffer.from(b);
  if (r() < 0.5) out.writeUInt32LE(0xfffffff0, 4);
  else out.writeUInt32LE(0xfffffff0, 16);
  return { bytes: out, mutation: 'webp RIFF/chunk size 4 GiB' };
}

// ---- zips

interface ZipEntrySpec {
  name: string;
  data: Buffer;
  deflate?: boolean;
  /** Declared sizes and CRC, when they are to lie. */
  declaredSize?: number;
  declaredCompressed?: number;
  badCrc?: boolean;
}

/** A zip written by hand, so names, sizes and offsets can lie. `alias` central entries point at earlier local headers. */
function makeZip(entries: ZipEntrySpec[], alias: { name: string; of: number }[] = []): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  const offsets: number[] = [];
  const metas: { crc: number; csize: number; usize: number; method: number }[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const body = e.deflate ? deflateRawSync(e.data, { level: 9 }) : e.data;
    const method = e.deflate ? 8 : 0;
    const crc = e.badCrc ? (crc32(e.data) ^ 0xdeadbeef) >>> 0 : crc32(e.data) >>> 0;
    const csize = e.declaredCompressed ?? body.length;
    const usize = e.declaredSize ?? e.data.length;
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt16LE(0x0800, 6);
    head.writeUInt16LE(method, 8);
    head.writeUInt16LE(0x6000, 10);
    head.writeUInt16LE(0x5821, 12);
    head.writeUInt32LE(crc, 14);
    head.writeUInt32LE(csize >>> 0, 18);
    head.writeUInt32LE(usize >>> 0, 22);
    head.writeUInt16LE(name.length, 26);
    head.writeUInt16LE(0, 28);
    offsets.push(offset);
    metas.push({ crc, csize, usize, method });
    locals.push(head, name, body);
    offset += head.length + name.length + body.length;
  }
  const centralEntry = (name: Buffer, meta: (typeof metas)[number], at: number): Buffer => {
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x0800, 8);
    c.writeUInt16LE(meta.method, 10);
    c.writeUInt16LE(0x6000, 12);
    c.writeUInt16LE(0x5821, 14);
    c.writeUInt32LE(meta.crc, 16);
    c.writeUInt32LE(meta.csize >>> 0, 20);
    c.writeUInt32LE(meta.usize >>> 0, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(at, 42);
    return Buffer.concat([c, name]);
  };
  entries.forEach((e, i) => central.push(centralEntry(Buffer.from(e.name, 'utf8'), metas[i]!, offsets[i]!)));
  for (const a of alias) central.push(centralEntry(Buffer.from(a.name, 'utf8'), metas[a.of]!, offsets[a.of]!));
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(central.length, 8);
  end.writeUInt16LE(central.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const SLIP_TOKEN = 'threatlens-hostile-slip';

function hostileZip(r: Random, chat: Buffer, photo: Buffer): { bytes: Buffer; mutation: string; allowance: number | null } {
  const how = pick(r, ['slip', 'bomb-image', 'bomb-chat', 'overlap', 'lying-size', 'bad-crc', 'many-entries', 'nested', 'no-chat'] as const);
  const photoName = 'IMG-20220120-WA0001.jpg';
  const chatEntry = { name: '_chat.txt', data: chat, deflate: true };
  switch (how) {
    case 'slip': {
      const names = [`../../${SLIP_TOKEN}.jpg`, `/tmp/${SLIP_TOKEN}-abs.jpg`, `..\\..\\${SLIP_TOKEN}-win.jpg`, `media/../../../${SLIP_TOKEN}-mid.jpg`, `C:/${SLIP_TOKEN}-drive.jpg`];
      const chosen = names.filter(() => r() < 0.6);
      if (chosen.length === 0) chosen.push(names[0]!);
      return { bytes: makeZip([chatEntry, ...chosen.map((name) => ({ name, data: photo }))]), mutation: `zip slip (${chosen.length} entries)`, allowance: 0 };
    }
    case 'bomb-image': {
      const size = int(r, 32, 256) << 20;
      return { bytes: makeZip([chatEntry, { name: photoName, data: Buffer.alloc(size), deflate: true }]), mutation: `zip bomb: ${size >> 20} MiB of zeros as a photo`, allowance: 0 };
    }
    case 'bomb-chat': {
      const size = int(r, 16, 128) << 20;
      const data = Buffer.concat([chat, Buffer.alloc(size, 0x41)]);
      return { bytes: makeZip([{ name: '_chat.txt', data, deflate: true }]), mutation: `zip bomb: chat + ${size >> 20} MiB line`, allowance: null };
    }
    case 'overlap': {
      const big = Buffer.alloc(int(r, 8, 32) << 20);
      const n = int(r, 20, 200);
      return {
        bytes: makeZip([chatEntry, { name: photoName, data: big, deflate: true }], Array.from({ length: n }, (_, i) => ({ name: `IMG-20220120-WA${String(i + 2).padStart(4, '0')}.jpg`, of: 1 }))),
        mutation: `zip overlap: ${n} entries share one ${big.length >> 20} MiB body`,
        allowance: 0,
      };
    }
    case 'lying-size': {
      const lie = pick(r, [0, 10, 0x7fffffff, 0xffffffff]);
      const onChat = r() < 0.5;
      const entries: ZipEntrySpec[] = [
        onChat ? { ...chatEntry, declaredSize: lie } : chatEntry,
        onChat ? { name: photoName, data: photo } : { name: photoName, data: photo, declaredSize: lie, declaredCompressed: r() < 0.5 ? lie : photo.length },
      ];
      return { bytes: makeZip(entries), mutation: `zip ${onChat ? 'chat' : 'photo'} declares ${lie} bytes`, allowance: onChat ? null : 0 };
    }
    case 'bad-crc':
      return { bytes: makeZip([{ ...chatEntry, badCrc: r() < 0.5 }, { name: photoName, data: photo, badCrc: true }]), mutation: 'zip wrong CRC', allowance: null };
    case 'many-entries': {
      const n = int(r, 5_000, 60_000);
      const tiny = Buffer.from('x');
      return {
        bytes: makeZip([chatEntry, ...Array.from({ length: n }, (_, i) => ({ name: `junk/${i}.bin`, data: tiny }))]),
        mutation: `zip with ${n} entries`,
        allowance: 0,
      };
    }
    case 'nested': {
      const inner = makeZip([chatEntry, { name: photoName, data: photo }]);
      return { bytes: makeZip([{ name: 'WhatsApp Chat.zip', data: inner }, { name: 'inner.zip', data: inner }]), mutation: 'zip inside a zip', allowance: null };
    }
    default:
      return { bytes: makeZip([{ name: photoName, data: photo }]), mutation: 'zip without a chat', allowance: null };
  }
}

// ---- deep JSON

function deepJson(r: Random): { bytes: Buffer; mutation: string } {
  const depth = pick(r, [1_000, 10_000, 100_000, 1_000_000]);
  const how = pick(r, ['text-array', 'object-chain', 'top-array', 'chat-list'] as const);
  const head = '{"name":"Deep","type":"personal_chat","id":1,"messages":[{"id":1,"type":"message","date":"2022-01-20T10:00:00","date_unixtime":"1642672800","from":"Evil","from_id":"user1","text":';
  let body: string;
  if (how === 'text-array') body = `${head}${'['.repeat(depth)}"x"${']'.repeat(depth)}}]}`;
  else if (how === 'object-chain') body = `${head}"ok","extra":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}]}`;
  else if (how === 'top-array') body = `${'['.repeat(depth)}${']'.repeat(depth)}`;
  else body = `{"personal_information":{"user_id":1},"chats":{"list":[${'['.repeat(depth)}${']'.repeat(depth)}]}}`;
  return { bytes: Buffer.from(body), mutation: `deep JSON ${how} depth ${depth}` };
}

const WRONG_NAMES: Record<SourceKind, string[]> = {
  telegram: ['chat.txt', 'export.zip', 'photo.jpg', 'result.JSON', 'noext'],
  'whatsapp-txt': ['result.json', 'chat.zip', 'chat.heic', 'chat'],
  'whatsapp-zip': ['chat.txt', 'result.json', 'archive.jpg'],
  image: ['photo.heic', 'photo.png', 'photo.txt', 'result.json', 'chat.zip'],
  'telegram-html': ['messages2.html', 'chat.txt', 'result.json', 'index.htm'],
  signal: ['chat.txt', 'result.json', 'WhatsApp Chat with X.txt'],
  discord: ['result.json', 'chat.txt', 'message_1.json'],
  meta: ['message_2.json', 'result.json', 'messages.html'],
};

function makeInput(index: number, r: Random, sources: Source[]): Input {
  for (;;) {
    const kind = pick(r, ['telegram', 'telegram', 'whatsapp-txt', 'whatsapp-txt', 'whatsapp-zip', 'image', 'image', 'telegram-html', 'signal', 'discord', 'meta'] as const);
    const pool = sources.filter((s) => s.kind === kind);
    const source = pick(r, pool);
    const files = new Map(source.files);
    const original = files.get(source.target)!;
    let target = source.target;
    let allowance: number | null = 0;
    let undetectable = false;
    let mutation: string;
    let bytes: Buffer;
    const generic = ['truncate', 'bitflip', 'overwrite', 'duplicate'];
    const special: Record<SourceKind, string[]> = {
      telegram: ['reencode', 'wrong-name', 'deep', 'hostile', 'hostile', 'truncate-line'],
      'whatsapp-txt': ['reencode', 'reencode', 'wrong-name', 'hostile', 'hostile', 'truncate-line'],
      'whatsapp-zip': ['zip', 'zip', 'zip', 'zip', 'wrong-name'],
      image: ['lying', 'lying', 'lying', 'lying', 'wrong-name'],
      'telegram-html': ['reencode', 'wrong-name', 'truncate-line'],
      signal: ['reencode', 'wrong-name', 'truncate-line'],
      discord: ['wrong-name', 'deep'],
      meta: ['wrong-name'],
    };
    const how = pick(r, [...generic, ...special[kind]]);
    if (how === 'truncate') {
      ({ bytes, mutation } = truncate(r, original));
      allowance = null; // compared below: a cut export must say so, whatever it lost
    } else if (how === 'truncate-line') {
      const t = truncateAtLineEnd(r, original);
      if (!t) continue;
      ({ bytes, mutation } = t);
      allowance = null;
      undetectable = true;
    } else if (how === 'bitflip') {
      const f = bitFlips(r, original);
      ({ bytes, mutation } = f);
      allowance = f.flips;
    } else if (how === 'overwrite') {
      const o = overwriteRun(r, original);
      ({ bytes, mutation } = o);
      allowance = o.lines + 1;
    } else if (how === 'duplicate') {
      ({ bytes, mutation } = duplicateRange(r, original));
      allowance = 2;
    } else if (how === 'reencode') {
      ({ bytes, mutation } = reencode(r, original));
      allowance = 0;
    } else if (how === 'wrong-name') {
      bytes = original;
      const name = pick(r, WRONG_NAMES[kind]);
      files.delete(source.target);
      target = source.target.includes('/') ? `${dirname(source.target)}/${name}` : name;
      mutation = `renamed ${basename(source.target)} → ${name}`;
      allowance = 0;
    } else if (how === 'deep') {
      ({ bytes, mutation } = deepJson(r));
      allowance = null;
    } else if (how === 'hostile') {
      const b = kind === 'telegram' ? hostileTelegram(r, original) : hostileWhatsApp(r, original);
      if (!b) continue;
      bytes = b;
      mutation = 'hostile text';
      allowance = kind === 'telegram' ? 0 : null;
    } else if (how === 'zip') {
      const chat = files.size > 0 ? zipChatOf(original) : null;
      const photo = readFileSync(join(FIXTURES, 'images', 'canon-80d.jpg'));
      const z = hostileZip(r, chat ?? Buffer.from('20/01/2022, 10:00 - Evil: hello\n'), photo);
      ({ bytes, mutation } = z);
      // The fixture's chat in a new archive: all its messages are due, unless the archive lies about the chat.
      allowance = z.allowance;
      files.delete(source.target);
      target = 'WhatsApp Chat - Evil.zip';
    } else {
      const lie = original[0] === 0xff ? lyingJpeg(r, original) : original[1] === 0x50 ? lyingPng(r, original) : original.toString('latin1', 4, 8) === 'ftyp' ? lyingHeif(r, original) : lyingWebp(r, original);
      if (!lie) continue;
      ({ bytes, mutation } = lie);
      allowance = null;
    }
    files.set(target, bytes);
    return { index, source, mutation: `${how}: ${mutation}`, files, target, allowance, undetectable };
  }
}

/** The `_chat.txt` of a fixture zip (stored or deflated), read by hand from its central directory. */
function zipChatOf(zip: Buffer): Buffer | null {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) return null;
  let p = zip.readUInt32LE(eocd + 16);
  const n = zip.readUInt16LE(eocd + 10);
  for (let i = 0; i < n && p + 46 <= zip.length; i++) {
    const method = zip.readUInt16LE(p + 10);
    const csize = zip.readUInt32LE(p + 20);
    const nameLength = zip.readUInt16LE(p + 28);
    const extra = zip.readUInt16LE(p + 30);
    const comment = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLength);
    if (name.endsWith('.txt')) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const body = zip.subarray(start, start + csize);
      return method === 8 ? inflateRawSync(body) : body;
    }
    p += 46 + nameLength + extra + comment;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Running the CLI

interface Run {
  args: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  ms: number;
}

function runCli(args: string[], cwd: string, timeoutMs: number): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', THREATLENS_CASE: join(cwd, 'no-case-here') };
    delete env.FORCE_COLOR;
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    child.stdout.on('data', (c: Buffer) => {
      outBytes += c.length;
      if (outBytes < 64 << 20) out.push(c);
    });
    child.stderr.on('data', (c: Buffer) => void err.push(c));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ args, code, signal, timedOut, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), ms: Date.now() - started });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Checks

const STACK = /internal error|^\s+at .+:\d+:\d+\)?$/m;
const TERMINAL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const FORMULA = /^[\s\u200b-\u200d\u2060\ufeff'"]*[=+\-@]|^[\t\r]/u;
const PLAIN_NUMBER = /^(?:-\d+(?:[.,]\d+)?|\+\d{6,15})$/;

/** RFC 4180 records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

/** Cells a spreadsheet could take for a formula; a leading `'` is the guard itself (a spreadsheet shows the cell as text). */
function unguardedCells(csv: string): string[] {
  const bad: string[] = [];
  for (const row of parseCsv(csv).slice(1)) for (const cell of row) if (!cell.startsWith("'") && FORMULA.test(cell) && !PLAIN_NUMBER.test(cell)) bad.push(cell);
  return bad;
}

function jsonOk(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function warningCodes(stderr: string): Set<string> {
  const codes = new Set<string>();
  for (const m of stderr.matchAll(/^threatlens: warning: .* \[([a-z0-9-]+)\]$/gm)) codes.add(m[1]!);
  if (/^threatlens: (rejected|skipped) /m.test(stderr)) codes.add('(rejected)');
  return codes;
}

function hashTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of listFiles(dir)) out.set(relative(dir, file), createHash('sha256').update(readFileSync(file)).digest('hex'));
  return out;
}

interface Outcome {
  input: Input;
  runs: Run[];
  /** Ingest exit code. */
  ingestCode: number | null;
  messages: number | null;
  media: number | null;
  warnings: Set<string>;
  problems: { kind: string; detail: string }[];
}

interface Baseline {
  messages: number;
  warnings: Set<string>;
}

async function examine(input: Input, work: string, options: Options, baselineFor: (s: Source) => Promise<Baseline | null>): Promise<Outcome> {
  const dir = join(work, 'in', String(input.index).padStart(4, '0'));
  const caseDir = join(work, 'cases', String(input.index).padStart(4, '0'));
  const cwd = join(work, 'cwd');
  const runs: Run[] = [];
  const problems: Outcome['problems'] = [];
  const run = async (args: string[]): Promise<Run> => {
    const r = await runCli(args, cwd, options.timeoutMs);
    runs.push(r);
    const what = args.slice(0, 1).concat(args.filter((a) => /^(json|jsonl|csv|table)$/.test(a))).join(' ');
    if (r.timedOut) problems.push({ kind: 'hang', detail: `${what}: no answer in ${options.timeoutMs / 1000} s` });
    else if (r.code === 3 || r.signal !== null || STACK.test(r.stderr)) problems.push({ kind: 'crash', detail: `${what}: exit ${r.code ?? r.signal}: ${r.stderr.split('\n').slice(0, 3).join(' | ')}` });
    if (TERMINAL.test(r.stderr.replace(/\n/g, ''))) problems.push({ kind: 'stderr-escape', detail: `${what}: ${JSON.stringify(r.stderr.match(new RegExp(`.{0,30}${TERMINAL.source}.{0,30}`))?.[0])}` });
    return r;
  };
  const target = join(dir, input.target);
  const ingest = await run(['ingest', target, '--case', caseDir, '--victim', 'v', '--tz', 'UTC', '--format', 'json']);
  if (!ingest.timedOut && ingest.stdout !== '' && !jsonOk(ingest.stdout)) problems.push({ kind: 'non-json', detail: `ingest: ${ingest.stdout.slice(0, 80)}` });
  let messages: number | null = null;
  let media: number | null = null;
  if (existsSync(join(caseDir, 'case.sqlite'))) {
    for (const command of ['messages', 'media'] as const) {
      const r = await run([command, '--case', caseDir, '--format', 'json']);
      if (r.timedOut) continue;
      if (!jsonOk(r.stdout)) problems.push({ kind: 'non-json', detail: `${command}: ${JSON.stringify(r.stdout.slice(0, 80))}` });
      else {
        const n = (JSON.parse(r.stdout) as { items: unknown[] }).items.length;
        if (command === 'messages') messages = n;
        else media = n;
      }
    }
    const views: string[][] = [];
    if ((messages ?? 0) > 0) views.push(['messages', 'table'], ['messages', 'csv'], ['senders', 'csv']);
    if ((media ?? 0) > 0) views.push(['media', 'table'], ['media', 'csv']);
    for (const [command, format] of views) {
      const r = await run([command!, '--case', caseDir, '--format', format!]);
      if (r.timedOut) continue;
      if (format === 'table' && TERMINAL.test(r.stdout.replace(/[\n]/g, ''))) problems.push({ kind: 'table-escape', detail: `${command} table: ${JSON.stringify(r.stdout.match(new RegExp(`.{0,30}${TERMINAL.source}.{0,30}`))?.[0])}` });
      if (format === 'csv') for (const cell of unguardedCells(r.stdout)) problems.push({ kind: 'csv-unguarded', detail: `${command} csv: ${JSON.stringify(cell.slice(0, 60))}` });
    }
  }
  const warnings = warningCodes(ingest.stderr);
  // Silent loss: accepted (exit 0, nothing rejected), fewer messages than the fixture gives, and no
  // kind of warning the fixture does not give.
  if (input.allowance !== null || input.mutation.startsWith('truncate') || input.mutation.startsWith('hostile')) {
    const base = await baselineFor(input.source);
    if (base && ingest.code === 0 && messages !== null && !warnings.has('(rejected)')) {
      const fresh = [...warnings].filter((w) => !base.warnings.has(w));
      const lost = base.messages - messages;
      if (fresh.length === 0 && lost > (input.allowance ?? 0)) {
        problems.push({ kind: input.undetectable ? 'shorter-undetectable' : 'silent-loss', detail: `${lost} of ${base.messages} messages gone, no new warning` });
      }
    }
  }
  return { input, runs, ingestCode: ingest.code, messages, media, warnings, problems };
}

// ---------------------------------------------------------------------------------------------

async function pool<T, R>(items: T[], jobs: number, work: (item: T) => Promise<R>, progress: (done: number) => void): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: Math.min(jobs, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]!);
        progress(++done);
      }
    }),
  );
  return results;
}

function writeInput(input: Input, work: string): string {
  const dir = join(work, 'in', String(input.index).padStart(4, '0'));
  for (const [name, bytes] of input.files) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), bytes);
  }
  return dir;
}

function findSlipped(roots: string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.name.includes(SLIP_TOKEN)) found.push(path);
      if (e.isDirectory() && depth > 0 && !e.isSymbolicLink()) walk(path, depth - 1);
    }
  };
  for (const root of roots) walk(root, 3);
  return found;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const sources = loadSources();
  const r = rng(options.seed);
  const inputs = Array.from({ length: options.count }, (_, i) => makeInput(i, r, sources));
  const work = mkdtempSync(join(tmpdir(), 'threatlens-hostile-'));
  mkdirSync(join(work, 'cwd'));
  const fixturesBefore = hashTree(FIXTURES);
  const slippedBefore = findSlipped([tmpdir(), dirname(work), work]);
  for (const input of inputs) writeInput(input, work);
  const inputsBefore = hashTree(join(work, 'in'));

  // Baselines: each source as it is, ingested the same way (once, on first need).
  const baselines = new Map<string, Promise<Baseline | null>>();
  const baselineFor = (source: Source): Promise<Baseline | null> => {
    let b = baselines.get(source.name);
    if (!b) {
      b = (async () => {
        const dir = join(work, 'base', String(baselines.size).padStart(4, '0'));
        for (const [name, bytes] of source.files) {
          mkdirSync(dirname(join(dir, name)), { recursive: true });
          writeFileSync(join(dir, name), bytes);
        }
        const caseDir = join(dir, '.case');
        const ingest = await runCli(['ingest', join(dir, source.target), '--case', caseDir, '--victim', 'v', '--tz', 'UTC', '--format', 'json'], join(work, 'cwd'), options.timeoutMs);
        if (!existsSync(join(caseDir, 'case.sqlite'))) return null;
        const listed = await runCli(['messages', '--case', caseDir, '--format', 'json'], join(work, 'cwd'), options.timeoutMs);
        if (!jsonOk(listed.stdout)) return null;
        return { messages: (JSON.parse(listed.stdout) as { items: unknown[] }).items.length, warnings: warningCodes(ingest.stderr) };
      })();
      baselines.set(source.name, b);
    }
    return b;
  };

  const started = Date.now();
  const outcomes = await pool(
    inputs,
    options.jobs,
    async (input) => {
      const outcome = await examine(input, work, options, baselineFor);
      if (!options.keep) rmSync(join(work, 'cases', String(input.index).padStart(4, '0')), { recursive: true, force: true });
      return outcome;
    },
    (done) => {
      if (process.stderr.isTTY) process.stderr.write(`\r${done}/${inputs.length} inputs`);
    },
  );
  if (process.stderr.isTTY) process.stderr.write('\r\u001b[2K');

  const inputsAfter = hashTree(join(work, 'in'));
  const fixturesAfter = hashTree(FIXTURES);
  const modified = [...inputsBefore].filter(([path, hash]) => inputsAfter.get(path) !== hash).map(([path]) => path);
  const fixturesModified = [...fixturesBefore].filter(([path, hash]) => fixturesAfter.get(path) !== hash).map(([path]) => path);
  const slipped = findSlipped([tmpdir(), dirname(work), work]).filter((p) => !slippedBefore.includes(p) && !p.startsWith(join(work, 'in')) && !p.startsWith(join(work, 'base')));
  const strays = readdirSync(join(work, 'cwd'));

  const count = (kind: string): Outcome[] => outcomes.filter((o) => o.problems.some((p) => p.kind === kind));
  const runs = outcomes.reduce((n, o) => n + o.runs.length, 0);
  const rejected = outcomes.filter((o) => o.ingestCode === 1).length;
  const accepted = outcomes.filter((o) => o.ingestCode === 0).length;
  const warned = outcomes.filter((o) => o.ingestCode === 0 && o.warnings.size > 0).length;
  const rows: [string, number | string][] = [
    ['inputs tried', inputs.length],
    ['CLI runs', runs],
    ['  ingest exit 0 (accepted) / 1 (some input rejected) / other', `${accepted} / ${rejected} / ${inputs.length - accepted - rejected}`],
    ['  accepted with warnings', warned],
    ['crashes (exit 3, a signal, or a stack trace on stderr)', count('crash').length],
    [`hangs (no answer in ${options.timeoutMs / 1000} s)`, count('hang').length],
    ['non-JSON stdout (--format json)', count('non-json').length],
    ['terminal escapes reaching a table', count('table-escape').length],
    ['terminal escapes in diagnostics (stderr)', count('stderr-escape').length],
    ['unguarded CSV cells', outcomes.reduce((n, o) => n + o.problems.filter((p) => p.kind === 'csv-unguarded').length, 0)],
    ['inputs modified (SHA-256 before/after)', modified.length + fixturesModified.length],
    ['files written outside the case (zip slip, stray files)', slipped.length + strays.length],
    ['silent losses (accepted, fewer messages, no new warning)', count('silent-loss').length],
    ['  cut at a line end, indistinguishable from a shorter export', count('shorter-undetectable').length],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`threatlens hostile-input run: ${inputs.length} inputs, seed ${options.seed}, ${options.jobs} at a time, ${((Date.now() - started) / 60000).toFixed(1)} min`);
  console.log(`command: node dist/bench/hostile.js ${options.count}${options.seed !== 1 ? ` --seed ${options.seed}` : ''}`);
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);

  const byMutation = new Map<string, { n: number; rejected: number; warned: number; clean: number }>();
  for (const o of outcomes) {
    const key = `${o.input.source.kind} ${o.input.mutation.split(':')[0]}`;
    const m = byMutation.get(key) ?? { n: 0, rejected: 0, warned: 0, clean: 0 };
    m.n++;
    if (o.ingestCode !== 0) m.rejected++;
    else if (o.warnings.size > 0) m.warned++;
    else m.clean++;
    byMutation.set(key, m);
  }
  console.log('\nby source and mutation: inputs, rejected, accepted with warnings, accepted without');
  for (const [key, m] of [...byMutation].sort()) console.log(`  ${key.padEnd(30)} ${String(m.n).padStart(4)} ${String(m.rejected).padStart(4)} ${String(m.warned).padStart(4)} ${String(m.clean).padStart(4)}`);

  const problems = outcomes.flatMap((o) => o.problems.map((p) => ({ ...p, input: o.input })));
  if (problems.length > 0) {
    console.log('\nproblems (first 40):');
    for (const p of problems.slice(0, 40)) console.log(`  #${p.input.index} [${p.kind}] ${p.input.source.name} · ${p.input.mutation.slice(0, 80)}\n      ${p.detail.slice(0, 200)}`);
  }
  for (const path of [...modified, ...fixturesModified]) console.log(`  modified: ${path}`);
  for (const path of [...slipped, ...strays]) console.log(`  written outside the case: ${path}`);
  const report = join(repo, 'bench', 'out', `hostile-${options.count}-seed${options.seed}.json`);
  mkdirSync(dirname(report), { recursive: true });
  writeFileSync(
    report,
    JSON.stringify(
      {
        inputs: inputs.length,
        seed: options.seed,
        figures: Object.fromEntries(rows),
        problems: problems.map((p) => ({ index: p.input.index, kind: p.kind, source: p.input.source.name, mutation: p.input.mutation, detail: p.detail })),
      },
      null,
      2,
    ),
  );
  console.log(`\ndetails: ${relative(process.cwd(), report)}${options.keep ? `; inputs and cases kept in ${work}` : ''}`);
  if (!options.keep) rmSync(work, { recursive: true, force: true });
}

await main();
