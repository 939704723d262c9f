// Distances between perceptual hashes written as hex: the Hamming distance of two hashes, and for
// videos the distance between two sequences of frame pHashes (what a `vframes` hash holds). Plain
// functions on strings (no image library), shared by media/ and attribution/, so the clustering's
// defaults can name the video threshold without loading the decoders.

/**
 * Frame-sequence distance (frameDistance: mean bits per frame along the best alignment) at or below
 * which two videos count as the same recording. Reproduce with `node dist/bench/video.js 80`
 * (README, "Video frame-hash threshold"): 80 generated phone-style recordings and six copies of each
 * (WhatsApp-like 320 px CRF 34, Telegram-like, 150 kb/s, first or last second cut, 15 fps). Same
 * recording: 1 680 pairs, median 2, p95 8, p99 9, max 21 (the misses are copies with a cut second).
 * Different recordings: 154 840 pairs, min 16, p1 23. At 8: 2.6 % of same-recording pairs missed,
 * none of the different pairs matched, 8 bits of room to the nearest.
 */
export const VIDEO_MATCH_THRESHOLD = 8;

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

const POPCOUNT = [0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4];

/** Number of differing bits between two hex hashes of the same length. */
export function hammingDistance(a: string, b: string): number {
  if (a.length !== b.length) throw new RangeError(`hash lengths differ (${a.length} and ${b.length})`);
  let distance = 0;
  for (let i = 0; i < a.length; i++) {
    const x = parseInt(a[i]!, 16);
    const y = parseInt(b[i]!, 16);
    if (Number.isNaN(x) || Number.isNaN(y)) throw new RangeError(`not a hex hash: ${a} / ${b}`);
    distance += POPCOUNT[x ^ y]!;
  }
  return distance;
}

/**
 * How far apart two videos' frame sequences are: the mean Hamming distance of their frame pHashes
 * along the best alignment. An alignment pairs the frames in order, each frame with one of its
 * neighbours' in time at most one sample away (dynamic time warping in a band of one), and may leave
 * out the first or the last sample of either video: a copy trimmed at one end, or re-timed, samples
 * its frames a little earlier or later than the recording. Flat frames are left out of the mean, and
 * an alignment counts only when it compares at least MIN_COMPARED_FRAMES frames of each video that
 * show something: two videos that are mostly black are not alike for it. Rounded to a whole bit; 64
 * when nothing can be compared. (Against a rigid shift of the samples, measured by bench/video.ts:
 * trimmed copies come closer, unrelated recordings hardly; README, "Video frame-hash threshold".)
 */
export function frameDistance(a: readonly string[], b: readonly string[]): number {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return 64;
  let best = Infinity;
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  const isEnd = (i: number, j: number): boolean => (i === n - 1 && j >= m - 2) || (j === m - 1 && i >= n - 2);
  // Every monotone path in the band (few: five samples a side), its mean over informative pairs.
  const walk = (i: number, j: number, sum: number, pairs: number): void => {
    const informative = a[i] !== FLAT_FRAME && b[j] !== FLAT_FRAME;
    const [addedA, addedB] = [informative && !usedA.has(i), informative && !usedB.has(j)];
    if (addedA) usedA.add(i);
    if (addedB) usedB.add(j);
    const total = informative ? sum + hammingDistance(a[i]!, b[j]!) : sum;
    const count = informative ? pairs + 1 : pairs;
    if (isEnd(i, j) && Math.min(usedA.size, usedB.size) >= MIN_COMPARED_FRAMES) best = Math.min(best, total / count);
    for (const [x, y] of [[i + 1, j + 1], [i + 1, j], [i, j + 1]] as const) {
      if (x < n && y < m && Math.abs(x - y) <= 1) walk(x, y, total, count);
    }
    if (addedA) usedA.delete(i);
    if (addedB) usedB.delete(j);
  };
  for (const [i, j] of [[0, 0], [0, 1], [1, 0]] as const) if (i < n && j < m) walk(i, j, 0, 0);
  return Number.isFinite(best) ? Math.round(best) : 64;
}

/** frameDistance of two `vframes` hashes. */
export function vframesDistance(a: string, b: string): number {
  return frameDistance(splitFrames(a), splitFrames(b));
}
