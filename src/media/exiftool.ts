// Optional `--deep` enrichment through exiftool, which decodes what exifr cannot: maker-note serials
// (Canon/Nikon/Sony… InternalSerialNumber, SerialNumber, LensSerialNumber), Apple ContentIdentifier,
// WebP and video containers, and the JPEG quantisation-table fingerprint (JPEGDigest,
// JPEGQualityEstimate). One exiftool process reads a whole batch (paths on stdin through `-@ -`),
// started with execFile semantics: no shell. When exiftool is missing the run goes on without it.

import { spawn } from 'node:child_process';
import type { DeepFacts, ImageFacts } from './types.js';

export const EXIFTOOL_MISSING = 'exiftool not installed (Debian: apt-get install libimage-exiftool-perl); --deep skipped';

/** Paths per exiftool process: bounds the JSON held in memory at once. */
const BATCH = 1000;
// Values numeric (`-all#` is `-n` for every tag) except JPEGDigest: its printed form names the encoder
// ("Independent JPEG Group library …, Quality 88"), the numeric one is a bare hash. A tag's first
// request wins, so `-JPEGDigest` must come before `-all#`; JPEGDigest and JPEGQualityEstimate are
// computed only when asked for by name.
const ARGS = ['-json', '-a', '-G1', '-u', '-JPEGDigest', '-JPEGQualityEstimate#', '-all#', '-charset', 'filename=utf8', '-q', '-q', '-@', '-'];

let available: Promise<boolean> | null = null;

function run(args: string[], input: string | null): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('exiftool', args, { shell: false, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.on('error', () => {}); // exiftool exiting early must not crash us with EPIPE
    child.stdin.end(input ?? '');
  });
}

/** true when an `exiftool` binary answers on PATH. Checked once per process. */
export function exiftoolAvailable(): Promise<boolean> {
  available ??= run(['-ver'], null).then(
    (r) => r.code === 0 && /^\d+\.\d+/.test(r.stdout.trim()),
    () => false,
  );
  return available;
}

/** Tags that describe this checkout rather than the evidence (paths, file times, permissions). */
const SKIP_GROUPS = /^(System|ExifTool):/;

function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * exiftool's tags for each path (`Group:Tag` → value as text), keyed by the path as given. Paths
 * exiftool could not read are absent. Without exiftool: an empty map and one `onWarning` call.
 */
export async function deepFacts(paths: string[], options: { onWarning?: (message: string) => void } = {}): Promise<Map<string, Record<string, string>>> {
  const result = new Map<string, Record<string, string>>();
  if (paths.length === 0) return result;
  if (!(await exiftoolAvailable())) {
    options.onWarning?.(EXIFTOOL_MISSING);
    return result;
  }
  // An argfile holds one argument per line: a path containing a newline cannot be passed this way.
  const passable = paths.filter((p) => !/[\r\n]/.test(p));
  if (passable.length < paths.length) options.onWarning?.(`exiftool: ${paths.length - passable.length} path(s) with a line break skipped`);
  // `./` keeps a relative path that starts with '-' from being read as an option.
  const asArg = (p: string): string => (p.startsWith('-') ? `./${p}` : p);
  const byArg = new Map(passable.map((p) => [asArg(p), p]));
  for (let i = 0; i < passable.length; i += BATCH) {
    const batch = passable.slice(i, i + BATCH).map(asArg);
    const { stdout, stderr } = await run(ARGS, batch.join('\n') + '\n');
    let items: Record<string, unknown>[] = [];
    try {
      items = stdout.trim() === '' ? [] : (JSON.parse(stdout) as Record<string, unknown>[]);
    } catch {
      options.onWarning?.(`exiftool output unreadable: ${stderr.split('\n')[0] ?? ''}`);
      continue;
    }
    for (const item of items) {
      const source = typeof item.SourceFile === 'string' ? (byArg.get(item.SourceFile) ?? item.SourceFile) : null;
      if (source === null) continue;
      const tags: Record<string, string> = {};
      for (const [key, value] of Object.entries(item)) if (key !== 'SourceFile' && !SKIP_GROUPS.test(key)) tags[key] = flatten(value);
      result.set(source, tags);
    }
  }
  return result;
}

/** The first non-blank value of a tag whose `Group:Tag` key matches, in exiftool's order; zero placeholders skipped. */
function pick(tags: Record<string, string>, pattern: RegExp): string | null {
  for (const [key, value] of Object.entries(tags)) if (pattern.test(key) && value.trim() !== '' && !/^0+$/.test(value.trim())) return value.trim();
  return null;
}

/** Serials exiftool found in maker notes or anywhere else, body first. */
export function deepSerials(tags: Record<string, string>): { serial: string | null; lensSerial: string | null } {
  return {
    serial: pick(tags, /:(SerialNumber|InternalSerialNumber|BodySerialNumber|CameraSerialNumber)$/),
    lensSerial: pick(tags, /:LensSerialNumber$/),
  };
}

/** What exiftool adds to facts: camera and lens identity threatlens may lack (WebP, maker notes). */
const FILLABLE = [
  ['make', /^(IFD0|XMP-tiff|QuickTime|Keys|UserData):Make$/],
  ['model', /^(IFD0|XMP-tiff|QuickTime|Keys|UserData):Model$/],
] as const;

/**
 * Attaches exiftool's reading to facts: the encoder fingerprint as named fields, and make, model
 * and serials where threatlens's own reading had none (each such fact is listed in `deep.filled`).
 */
export function applyDeep(facts: Pick<ImageFacts, 'exif' | 'deep'>, tags: Record<string, string>): void {
  const quality = Number(tags['File:JPEGQualityEstimate']);
  const deep: DeepFacts = {
    encoder: tags['File:JPEGDigest'] ?? null,
    quality: Number.isFinite(quality) && tags['File:JPEGQualityEstimate'] !== undefined ? quality : null,
    filled: [],
    tags,
  };
  const fill = (field: 'make' | 'model' | 'serial' | 'lensSerial', value: string | null): void => {
    if (facts.exif[field] !== null || value === null) return;
    facts.exif[field] = value;
    deep.filled.push(field);
  };
  for (const [field, pattern] of FILLABLE) fill(field, pick(tags, pattern));
  const serials = deepSerials(tags);
  fill('serial', serials.serial);
  fill('lensSerial', serials.lensSerial);
  facts.deep = deep;
}
