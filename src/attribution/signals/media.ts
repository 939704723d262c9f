// Images and videos: byte-identical files (SHA-256), the same picture re-encoded (perceptual hash
// within the threshold), the same recording re-encoded, rescaled or trimmed (its frame hashes
// within the video threshold at their best alignment), and camera metadata (serial strong,
// make/model weak). A picture or a recording is one item whatever its encodings: everyone who showed
// it in any of them counts towards its commonness. Stickers, animations and forwarded media never
// count: they are shared content, not authorship.
import type { AttributionInput, AttributionMedia, Evidence, EvidenceContext } from '../types.js';
import { splitFrames, frameDistance } from '../../util/hash-distance.js';
import { evidenceFromItem, push } from '../evidence.js';
import { UnionFind } from '../unionfind.js';
import { defineSignal } from './signal.js';

// This signal's families and evidence types (each with its family), as the model knows them.
declare module '../types.js' {
  interface Families {
    image: true;
    camera: true;
  }
  interface EvidenceTypes {
    'camera-serial': 'camera';
    'identical-media': 'image';
    'similar-image': 'image';
    'identical-video': 'image';
    'similar-video': 'image';
    'camera-model': 'camera';
  }
}

export const imagesSignal = defineSignal({
  name: 'images',
  phase: 'items',
  items: (input, eligible, ctx) => ({ evidence: mediaEvidence(input, eligible, ctx) }),
  families: {
    image: { weighedBy: 'items', content: true, candidateAlone: true },
    camera: { weighedBy: 'items', content: true, candidateAlone: true },
  },
  types: {
    'camera-serial': {
      family: 'camera',
      bits: 9,
      against: 'EXIF serials can be edited (exiftool); check the makernote serial with --deep and the rest of the metadata',
    },
    'identical-media': {
      family: 'image',
      bits: 8,
      against: 'the image may be public (a news photo, a meme) or forwarded from one source; find where it first appeared',
    },
    'similar-image': {
      family: 'image',
      bits: 5,
      against: 'a similar photo is not the same photo: compare the two side by side; crops of one public image also match',
    },
    // A video is content like a picture (one family: a photo and a video of one event are not two
    // independent facts). Identical: as an identical picture. Similar: five frames over the whole
    // recording agreeing after a re-encode is the same recording (two unrelated recordings did not
    // come within the threshold in the bench); what stays likely between unrelated people is the
    // shared source, which commonness by independent holders weighs.
    'identical-video': {
      family: 'image',
      bits: 8,
      against: 'the video may be public (posted in a channel, a news clip) or forwarded from one source; find where it first appeared',
    },
    'similar-video': {
      family: 'image',
      bits: 6,
      against: 'a re-encoded copy of one recording: a public video can be saved and posted by anyone; compare the frames side by side and find where it first appeared',
    },
    'camera-model': { family: 'camera', bits: 1, against: 'millions of phones share a make and model' },
  },
  method: {
    algorithm:
      'perceptual hashes compared by multi-index hashing on four 16-bit chunks (all pairs above 19 bits); videos by the mean pHash distance of five frames (10–90 % of the duration) along their best alignment (dynamic time warping in a band of one sample, open at both ends); stickers, animations and forwarded media excluded',
  },
});

function popcount32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

function countable(media: AttributionMedia): boolean {
  return media.kind !== 'sticker' && media.kind !== 'animation';
}

/** 16-bit values within Hamming distance `radius` of 0, as XOR masks (radius 0 is just 0). */
function masks16(radius: number): Uint16Array {
  const out: number[] = [];
  for (let v = 0; v < 65536; v++) if (popcount32(v) <= radius) out.push(v);
  return Uint16Array.from(out);
}

/**
 * Pairs of 64-bit hashes within `threshold` bits, without comparing all pairs: multi-index hashing
 * (Norouzi et al., CVPR 2012). Each hash is cut into four 16-bit chunks and indexed by each chunk;
 * two hashes within `threshold` bits differ by at most ⌊threshold / 4⌋ bits in at least one chunk
 * (pigeonhole), so each hash only looks up the chunk values within that radius of its own (137
 * look-ups per chunk at the default threshold 10) and compares the hashes found there. A pair is
 * compared once, at the first chunk where it is close. Thresholds above 19 bits (radius 5 and more:
 * thousands of look-ups per chunk, and such thresholds match unrelated pictures) compare all pairs.
 * Returns pairs (i < j, sorted) with their distance, and how many full comparisons were made.
 */
export function closeHashes(hi: Uint32Array, lo: Uint32Array, threshold: number): { pairs: [number, number, number][]; comparisons: number } {
  const n = hi.length;
  const distance = (i: number, j: number): number => popcount32((hi[i]! ^ hi[j]!) >>> 0) + popcount32((lo[i]! ^ lo[j]!) >>> 0);
  const pairs: [number, number, number][] = [];
  let comparisons = 0;
  const radius = Math.floor(threshold / 4);
  if (radius >= 5) {
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        comparisons++;
        const d = distance(i, j);
        if (d <= threshold) pairs.push([i, j, d]);
      }
    }
    return { pairs, comparisons };
  }
  const chunk = (i: number, c: number): number => (c < 2 ? (hi[i]! >>> (c === 0 ? 16 : 0)) : (lo[i]! >>> (c === 2 ? 16 : 0))) & 0xffff;
  // Per chunk: hash indexes sorted by chunk value, and where each value's run starts.
  const tables = [0, 1, 2, 3].map((c) => {
    const counts = new Uint32Array(65537);
    for (let i = 0; i < n; i++) counts[chunk(i, c) + 1]!++;
    for (let v = 0; v < 65536; v++) counts[v + 1]! += counts[v]!;
    const start = counts.slice();
    const members = new Uint32Array(n);
    for (let i = 0; i < n; i++) members[start[chunk(i, c)]!++] = i;
    return { offsets: counts, members };
  });
  const masks = masks16(radius);
  const close = (x: number, y: number): boolean => popcount32((x ^ y) >>> 0) <= radius;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 4; c++) {
      const own = chunk(i, c);
      const { offsets, members } = tables[c]!;
      for (const mask of masks) {
        const v = own ^ mask;
        for (let k = offsets[v]!; k < offsets[v + 1]!; k++) {
          const j = members[k]!;
          if (j <= i) continue;
          // Compared at the first chunk where the two are close.
          let earlier = false;
          for (let e = 0; e < c && !earlier; e++) earlier = close(chunk(i, e), chunk(j, e));
          if (earlier) continue;
          comparisons++;
          const d = distance(i, j);
          if (d <= threshold) pairs.push([i, j, d]);
        }
      }
    }
  }
  pairs.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  return { pairs, comparisons };
}

/**
 * Groups files whose perceptual hashes are within `threshold`, and videos whose frame sequences are
 * within `videoThreshold` (all pairs: a case holds few videos); returns the close pairs with their distance.
 */
function pictureGroups(
  shas: string[],
  phashOf: Map<string, string>,
  threshold: number,
  framesOf: Map<string, string>,
  videoThreshold: number,
): { groups: UnionFind; close: Map<string, number> } {
  const groups = new UnionFind();
  const close = new Map<string, number>();
  const hashed = shas.filter((sha) => phashOf.has(sha));
  const hi = new Uint32Array(hashed.length);
  const lo = new Uint32Array(hashed.length);
  hashed.forEach((sha, i) => {
    groups.add(sha);
    const hex = phashOf.get(sha)!;
    hi[i] = parseInt(hex.slice(0, 8), 16) >>> 0;
    lo[i] = parseInt(hex.slice(8, 16), 16) >>> 0;
  });
  for (const [i, j, d] of closeHashes(hi, lo, threshold).pairs) {
    groups.union(hashed[i]!, hashed[j]!);
    close.set(`${hashed[i]}|${hashed[j]}`, d);
  }
  const videos = shas.filter((sha) => framesOf.has(sha)).map((sha) => ({ sha, frames: splitFrames(framesOf.get(sha)!) }));
  for (const v of videos) groups.add(v.sha);
  for (let i = 0; i < videos.length; i++) {
    for (let j = i + 1; j < videos.length; j++) {
      const d = frameDistance(videos[i]!.frames, videos[j]!.frames);
      if (d > videoThreshold) continue;
      groups.union(videos[i]!.sha, videos[j]!.sha);
      close.set(`${videos[i]!.sha}|${videos[j]!.sha}`, d);
    }
  }
  return { groups, close };
}

export function mediaEvidence(input: AttributionInput, eligible: Set<string>, ctx: EvidenceContext): Evidence[] {
  const bySha = new Map<string, Map<string, string[]>>();
  const phashOf = new Map<string, string>();
  const framesOf = new Map<string, string>();
  const videos = new Set<string>();
  const serials = new Map<string, Map<string, string[]>>();
  const cameras = new Map<string, Map<string, string[]>>();
  for (const m of input.messages) {
    if (!eligible.has(m.sender) || m.forwarded) continue;
    for (const media of m.media) {
      if (!countable(media)) continue;
      let byIdentity = bySha.get(media.sha256);
      if (!byIdentity) bySha.set(media.sha256, (byIdentity = new Map()));
      push(byIdentity, m.sender, m.id);
      if (media.video) {
        videos.add(media.sha256);
        if (media.frames) framesOf.set(media.sha256, media.frames);
      } else if (media.phash) phashOf.set(media.sha256, media.phash);
      if (media.serial) {
        const map = serials.get(media.serial) ?? new Map<string, string[]>();
        push(map, m.sender, m.id);
        serials.set(media.serial, map);
      }
      if (media.camera) {
        const map = cameras.get(media.camera) ?? new Map<string, string[]>();
        push(map, m.sender, m.id);
        cameras.set(media.camera, map);
      }
    }
  }
  const evidence: Evidence[] = [];
  const shas = [...bySha.keys()].sort();
  const { groups, close } = pictureGroups(shas, phashOf, ctx.params.phashDistance, framesOf, ctx.params.videoDistance);
  const pictureOf = (sha: string): string => (phashOf.has(sha) || framesOf.has(sha) ? groups.find(sha) : sha);
  // Everyone who showed each picture, in any encoding.
  const pictureHolders = new Map<string, string[]>();
  for (const sha of shas) {
    const picture = pictureOf(sha);
    pictureHolders.set(picture, [...(pictureHolders.get(picture) ?? []), ...bySha.get(sha)!.keys()]);
  }
  for (const [picture, holders] of pictureHolders) pictureHolders.set(picture, [...new Set(holders)].sort());

  for (const sha of shas) {
    const picture = pictureOf(sha);
    evidence.push(
      ...evidenceFromItem(
        videos.has(sha) ? 'identical-video' : 'identical-media',
        { byIdentity: bySha.get(sha)!, item: `${videos.has(sha) ? 'video' : 'picture'}:${picture}`, holders: pictureHolders.get(picture)!, detail: `sha256 ${sha}` },
        ctx,
      ),
    );
  }
  // Close files of each file (later in sort order), so a group of many encodings costs its close pairs only.
  const partners = new Map<string, [string, number][]>();
  for (const [key, d] of close) {
    const [x, y] = key.split('|') as [string, string];
    const list = partners.get(x);
    if (list) list.push([y, d]);
    else partners.set(x, [[y, d]]);
  }
  for (const group of groups.groups()) {
    if (group.length < 2) continue;
    const picture = pictureOf(group[0]!);
    for (const shaI of group) {
      for (const [shaJ, d] of (partners.get(shaI) ?? []).sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
        const byIdentity = new Map<string, string[]>();
        const left = bySha.get(shaI)!;
        const right = bySha.get(shaJ)!;
        for (const [k, refs] of [...left, ...right]) for (const r of refs) push(byIdentity, k, r);
        const video = videos.has(shaI);
        const sides = (a: string, b: string) =>
          (left.has(a) && right.has(b)) || (left.has(b) && right.has(a)) ? (video ? ('similar-video' as const) : ('similar-image' as const)) : null;
        evidence.push(
          ...evidenceFromItem(
            sides,
            {
              byIdentity,
              item: `${video ? 'video' : 'picture'}:${picture}`,
              holders: pictureHolders.get(picture)!,
              detail: video
                ? `frame hash distance ${d} (mean bits over five frames at the best alignment; threshold ${ctx.params.videoDistance}): sha256 ${shaI} and ${shaJ}`
                : `perceptual hash distance ${d} (threshold ${ctx.params.phashDistance}): sha256 ${shaI.slice(0, 12)}… and ${shaJ.slice(0, 12)}…`,
            },
            ctx,
          ),
        );
      }
    }
  }
  for (const serial of [...serials.keys()].sort()) {
    evidence.push(...evidenceFromItem('camera-serial', { byIdentity: serials.get(serial)!, item: `serial:${serial}`, detail: `camera serial ${serial}` }, ctx));
  }
  for (const camera of [...cameras.keys()].sort()) {
    evidence.push(...evidenceFromItem('camera-model', { byIdentity: cameras.get(camera)!, item: `camera:${camera}`, detail: `camera ${camera}` }, ctx));
  }
  return evidence;
}
