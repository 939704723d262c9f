// Comparing videos by their frames: the frame pHashes a video's `vframes` hash holds, and the
// distance between two such sequences. Plain functions on hex strings (no image library), so the
// clustering's defaults can name the threshold without loading the decoders.

/**
 * Frame-sequence distance (frameDistance: mean bits per frame at the best alignment) at or below
 * which two videos count as the same recording. Reproduce with `node dist/bench/video.js 80`
 * (README, "Video frame-hash threshold"): 80 generated phone-style recordings and six copies of each
 * (WhatsApp-like 320 px CRF 34, Telegram-like, 150 kb/s, first or last second cut, 15 fps). Same
 * recording: 1 680 pairs, median 3, p95 10, p99 12, max 21 (all over 9 involve a trimmed copy).
 * Different recordings: 154 840 pairs, min 17, p1 24. At 10: 3.3 % of same-recording pairs missed
 * (trimmed copies), none of the different pairs matched, 7 bits of room to the nearest. The same
 * as the image threshold; a mean over several frames at 10 is at least as strong as one picture's.
 */
export const VIDEO_MATCH_THRESHOLD = 10;

/** Hex digits of one frame's pHash inside a `vframes` hash. */
const FRAME_HEX = 16;

/** Stands for a flat frame (black, a fade, one colour) in a `vframes` hash: its pHash would be noise. */
export const FLAT_FRAME = '-'.repeat(FRAME_HEX);

/** Fewest frames two videos must both show (not flat, aligned) to be compared at all. */
export const MIN_COMPARED_FRAMES = 3;

/** A `vframes` hash's frame pHashes. */
export function splitFrames(hash: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + FRAME_HEX <= hash.length; i += FRAME_HEX) out.push(hash.slice(i, i + FRAME_HEX));
  return out;
}

function popcount32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** Hamming distance of two 64-bit pHashes written as 16 hex digits. */
function frameBits(a: string, b: string): number {
  return (
    popcount32((parseInt(a.slice(0, 8), 16) ^ parseInt(b.slice(0, 8), 16)) >>> 0) +
    popcount32((parseInt(a.slice(8, 16), 16) ^ parseInt(b.slice(8, 16), 16)) >>> 0)
  );
}

/**
 * How far apart two videos' frame sequences are: the mean Hamming distance of their frame pHashes
 * at the best alignment, the sequences as sampled (shift 0) or shifted by one sample either way
 * (a copy trimmed at one end samples its frames a little earlier or later). Flat frames are left
 * out of the mean, and an alignment counts only with at least MIN_COMPARED_FRAMES pairs of frames
 * that show something: two videos that are mostly black are not alike for it. Rounded to a whole
 * bit; 64 when nothing can be compared.
 */
export function frameDistance(a: readonly string[], b: readonly string[]): number {
  let best = Infinity;
  for (const shift of [0, -1, 1]) {
    let sum = 0;
    let pairs = 0;
    for (let i = 0; i < a.length; i++) {
      const j = i + shift;
      if (j < 0 || j >= b.length || a[i] === FLAT_FRAME || b[j] === FLAT_FRAME) continue;
      sum += frameBits(a[i]!, b[j]!);
      pairs++;
    }
    if (pairs >= MIN_COMPARED_FRAMES) best = Math.min(best, sum / pairs);
  }
  return Number.isFinite(best) ? Math.round(best) : 64;
}

/** frameDistance of two `vframes` hashes. */
export function vframesDistance(a: string, b: string): number {
  return frameDistance(splitFrames(a), splitFrames(b));
}
