// Images: byte-identical files (SHA-256), the same picture re-encoded (perceptual hash within the
// threshold), and camera metadata (serial strong, make/model weak). A picture is one item whatever
// its encodings: everyone who showed it in any of them counts towards its commonness. Stickers,
// animations and forwarded media never count: they are shared content, not authorship.
import type { AttributionInput, AttributionMedia, Evidence } from '../types.js';
import { evidenceFromItem, push, type EvidenceContext } from '../evidence.js';
import { UnionFind } from '../unionfind.js';

function popcount32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** Hamming distance of two 16-hex-digit (64-bit) hashes. */
export function hexHamming(a: string, b: string): number {
  return (
    popcount32((parseInt(a.slice(0, 8), 16) ^ parseInt(b.slice(0, 8), 16)) >>> 0) +
    popcount32((parseInt(a.slice(8, 16), 16) ^ parseInt(b.slice(8, 16), 16)) >>> 0)
  );
}

function countable(media: AttributionMedia): boolean {
  return media.kind !== 'sticker' && media.kind !== 'animation';
}

/**
 * Groups files whose perceptual hashes are within `threshold`; returns the pairs within it with
 * their distance. All pairs are compared on 32-bit halves (tens of thousands of images take well
 * under a second).
 */
function pictureGroups(shas: string[], phashOf: Map<string, string>, threshold: number): { groups: UnionFind; close: Map<string, number> } {
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
  for (let i = 0; i < hashed.length; i++) {
    for (let j = i + 1; j < hashed.length; j++) {
      const d = popcount32((hi[i]! ^ hi[j]!) >>> 0) + popcount32((lo[i]! ^ lo[j]!) >>> 0);
      if (d <= threshold) {
        groups.union(hashed[i]!, hashed[j]!);
        close.set(`${hashed[i]}|${hashed[j]}`, d);
      }
    }
  }
  return { groups, close };
}

export function mediaEvidence(input: AttributionInput, eligible: Set<string>, ctx: EvidenceContext): Evidence[] {
  const bySha = new Map<string, Map<string, string[]>>();
  const phashOf = new Map<string, string>();
  const serials = new Map<string, Map<string, string[]>>();
  const cameras = new Map<string, Map<string, string[]>>();
  for (const m of input.messages) {
    if (!eligible.has(m.sender) || m.forwarded) continue;
    for (const media of m.media) {
      if (!countable(media)) continue;
      let byIdentity = bySha.get(media.sha256);
      if (!byIdentity) bySha.set(media.sha256, (byIdentity = new Map()));
      push(byIdentity, m.sender, m.id);
      if (media.phash) phashOf.set(media.sha256, media.phash);
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
  const { groups, close } = pictureGroups(shas, phashOf, ctx.params.phashDistance);
  const pictureOf = (sha: string): string => (phashOf.has(sha) ? groups.find(sha) : sha);
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
        'identical-media',
        { byIdentity: bySha.get(sha)!, item: `picture:${picture}`, holders: pictureHolders.get(picture)!, detail: `sha256 ${sha}` },
        ctx,
      ),
    );
  }
  for (const group of groups.groups()) {
    if (group.length < 2) continue;
    const picture = pictureOf(group[0]!);
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        const d = close.get(`${group[i]}|${group[j]}`);
        if (d === undefined) continue;
        const byIdentity = new Map<string, string[]>();
        const left = bySha.get(group[i]!)!;
        const right = bySha.get(group[j]!)!;
        for (const [k, refs] of [...left, ...right]) for (const r of refs) push(byIdentity, k, r);
        const sides = (a: string, b: string) =>
          (left.has(a) && right.has(b)) || (left.has(b) && right.has(a)) ? ('similar-image' as const) : null;
        evidence.push(
          ...evidenceFromItem(
            sides,
            {
              byIdentity,
              item: `picture:${picture}`,
              holders: pictureHolders.get(picture)!,
              detail: `perceptual hash distance ${d} (threshold ${ctx.params.phashDistance}): sha256 ${group[i]!.slice(0, 12)}… and ${group[j]!.slice(0, 12)}…`,
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
