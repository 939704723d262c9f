// Images: byte-identical files (SHA-256), the same picture re-encoded (perceptual hash within the
// threshold), and camera metadata (serial strong, make/model weak). Stickers and forwarded media
// never count: they are shared content, not authorship.
import type { AttributionInput, AttributionMedia, Evidence } from '../types.js';
import { accountCount, evidenceFromItem, push, type EvidenceContext } from '../evidence.js';
import { UnionFind } from '../unionfind.js';

const POPCOUNT = new Uint8Array(256).map((_, i) => {
  let n = 0;
  for (let v = i; v > 0; v >>= 1) n += v & 1;
  return n;
});

/** Hamming distance of two 16-hex-digit (64-bit) hashes. */
export function hexHamming(a: string, b: string): number {
  let d = 0;
  for (let i = 0; i < a.length; i += 2) d += POPCOUNT[parseInt(a.slice(i, i + 2), 16) ^ parseInt(b.slice(i, i + 2), 16)]!;
  return d;
}

function countable(media: AttributionMedia): boolean {
  return media.kind !== 'sticker' && media.kind !== 'animation';
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

  // Near-identical pictures: pairs of distinct files within the pHash threshold, grouped so that a
  // picture re-encoded many times is one item with one document frequency.
  const hashed = shas.filter((sha) => phashOf.has(sha));
  const groups = new UnionFind();
  for (const sha of hashed) groups.add(sha);
  const closest = new Map<string, number>();
  for (let i = 0; i < hashed.length; i++) {
    for (let j = i + 1; j < hashed.length; j++) {
      const d = hexHamming(phashOf.get(hashed[i]!)!, phashOf.get(hashed[j]!)!);
      if (d <= ctx.params.phashDistance) {
        groups.union(hashed[i]!, hashed[j]!);
        closest.set(`${hashed[i]}|${hashed[j]}`, d);
      }
    }
  }
  // One picture = one item: an identical file and a re-encoded copy of it count once per pair.
  const pictureOf = (sha: string): string => (phashOf.has(sha) ? groups.find(sha) : sha);
  for (const sha of shas) {
    evidence.push(
      ...evidenceFromItem('identical-media', { byIdentity: bySha.get(sha)!, item: `picture:${pictureOf(sha)}`, detail: `sha256 ${sha}` }, ctx),
    );
  }
  for (const group of groups.groups()) {
    if (group.length < 2) continue;
    const df = accountCount(group.flatMap((sha) => [...bySha.get(sha)!.keys()]), ctx);
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        const d = closest.get(`${group[i]}|${group[j]}`);
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
              df,
              item: `picture:${pictureOf(group[0]!)}`,
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
