// Frames of a video, through ffmpeg when it is installed: perceptual hashes of frames at fixed
// fractions of the duration (each the image pHash of that frame), and one poster frame for the
// report. ffmpeg runs as a child process with arguments (no shell), reads only the file it is given
// (`-protocol_whitelist file`, the demuxer forced by the bytes' type, so a file cannot make it open
// anything else), and is killed past a time limit. Without ffmpeg, frames are null and the media
// stage says once that video hashes need it.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { framePhash } from './phash.js';
import { FLAT_FRAME } from '../util/hash-distance.js';
export { frameDistance } from '../util/hash-distance.js';
import type { VideoFormat } from './types.js';

/** Where in the video frames are hashed, as fractions of its duration. */
export const FRAME_FRACTIONS = [0.1, 0.3, 0.5, 0.7, 0.9] as const;
/** Most seconds one ffmpeg run may take. */
const TIME_LIMIT_MS = 30_000;
/** Largest output accepted from one run (a frame as PNG at 256 px wide is far smaller). */
const MAX_OUTPUT = 16 << 20;

/**
 * The ffmpeg to run: $THREATLENS_FFMPEG when set (empty: none), else `ffmpeg` on PATH; null when
 * there is none. Looked up on each call (a few stat calls): a case read without ffmpeg is hashed by
 * the next run that has it.
 */
export function ffmpegPath(): string | null {
  const given = process.env.THREATLENS_FFMPEG;
  if (given !== undefined) return given === '' || !executable(given) ? null : given;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, 'ffmpeg');
    if (executable(candidate)) return candidate;
  }
  return null;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The demuxer for each container, so that ffmpeg never guesses another from the bytes. */
const DEMUXER: Record<VideoFormat, string> = { mp4: 'mov', mov: 'mov', '3gp': 'mov', webm: 'matroska' };

interface Run {
  stdout: Buffer;
  stderr: string;
  code: number | null;
}

function run(ffmpeg: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let size = 0;
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), TIME_LIMIT_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT) child.kill('SIGKILL');
      else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 8192) stderr += chunk.toString('utf8');
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ stdout: Buffer.alloc(0), stderr: error.message, code: null });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(out), stderr, code });
    });
  });
}

const input = (format: VideoFormat): string[] => ['-nostdin', '-hide_banner', '-protocol_whitelist', 'file', '-f', DEMUXER[format]];

/** One frame at `seconds`, scaled to `width` pixels wide, as PNG or JPEG bytes; null when none came out. */
async function frameAt(ffmpeg: string, path: string, format: VideoFormat, seconds: number, width: number, codec: 'png' | 'mjpeg'): Promise<{ bytes: Buffer | null; said: string }> {
  const r = await run(ffmpeg, [
    ...input(format),
    '-v', 'error',
    '-ss', seconds.toFixed(3),
    '-i', `file:${path}`,
    '-frames:v', '1',
    '-vf', `scale=${width}:-2`,
    ...(codec === 'mjpeg' ? ['-q:v', '5'] : []),
    '-f', 'image2pipe', '-c:v', codec,
    'pipe:1',
  ]);
  return { bytes: r.code === 0 && r.stdout.length > 0 ? r.stdout : null, said: r.stderr.trim().split('\n')[0] ?? '' };
}

/** The duration ffmpeg reads from the container (for WebM, whose container is not parsed here), in ms. */
export async function ffmpegDuration(path: string, format: VideoFormat): Promise<number | null> {
  const ffmpeg = ffmpegPath();
  if (ffmpeg === null) return null;
  const r = await run(ffmpeg, [...input(format), '-i', `file:${path}`]);
  const m = /Duration: (\d+):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(r.stderr);
  return m ? Math.round((Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])) * 1000) : null;
}

/** The PNG files of a stream of PNGs written one after another (image2pipe), each cut after its IEND chunk. */
export function splitPngs(stream: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  while (start + 8 <= stream.length) {
    let at = start + 8; // the signature
    let ended = false;
    while (at + 12 <= stream.length) {
      const length = stream.readUInt32BE(at);
      const type = stream.toString('latin1', at + 4, at + 8);
      at += 12 + length;
      if (type === 'IEND') {
        ended = true;
        break;
      }
    }
    if (!ended || at > stream.length) break;
    out.push(stream.subarray(start, at));
    start = at;
  }
  return out;
}

/**
 * pHashes of the frames at FRAME_FRACTIONS of `durationMs`, all from one ffmpeg run (the file opened
 * once per frame, each seeked to its time); null without ffmpeg, and with the reason in `error` when
 * the video could not be decoded.
 */
export async function frameHashes(path: string, format: VideoFormat, durationMs: number): Promise<{ frames: string[] | null; error: string | null }> {
  const ffmpeg = ffmpegPath();
  if (ffmpeg === null) return { frames: null, error: null };
  // One decoding thread per input: five decoders each starting threads of their own (and decoding
  // frames ahead on them) cost more than the one frame each is asked for.
  const inputs = FRAME_FRACTIONS.flatMap((fraction) => [...input(format), '-threads', '1', '-ss', ((durationMs / 1000) * fraction).toFixed(3), '-i', `file:${path}`]);
  // One frame of each input, scaled alike, joined into a stream of five pictures.
  const graph =
    FRAME_FRACTIONS.map((_, i) => `[${i}:v:0]trim=end_frame=1,scale=256:-2,setsar=1[f${i}]`).join(';') +
    `;${FRAME_FRACTIONS.map((_, i) => `[f${i}]`).join('')}concat=n=${FRAME_FRACTIONS.length}:v=1:a=0[out]`;
  const r = await run(ffmpeg, ['-v', 'error', ...inputs, '-filter_complex', graph, '-map', '[out]', '-fps_mode', 'passthrough', '-f', 'image2pipe', '-c:v', 'png', 'pipe:1']);
  const pictures = r.code === 0 ? splitPngs(r.stdout) : [];
  if (pictures.length !== FRAME_FRACTIONS.length) {
    const said = r.stderr.trim().split('\n')[0] ?? '';
    return { frames: null, error: `frames not decodable (${pictures.length} of ${FRAME_FRACTIONS.length})${said ? `: ${said}` : ''}` };
  }
  const frames: string[] = [];
  for (const [i, png] of pictures.entries()) {
    try {
      frames.push((await framePhash(png)) ?? FLAT_FRAME);
    } catch (e) {
      return { frames: null, error: `frame at ${Math.round(FRAME_FRACTIONS[i]! * 100)} % not decodable: ${(e as Error).message}` };
    }
  }
  return { frames, error: null };
}

/** A JPEG of the frame in the middle of the video, `width` pixels wide, for the report; null without ffmpeg or a frame. */
export async function posterFrame(path: string, format: VideoFormat, durationMs: number | null, width = 240): Promise<Buffer | null> {
  const ffmpeg = ffmpegPath();
  if (ffmpeg === null) return null;
  return (await frameAt(ffmpeg, path, format, ((durationMs ?? 0) / 1000) * 0.5, width, 'mjpeg')).bytes;
}
