// Image facts in the case: which images still need reading, saving their facts and the links
// between near-identical pictures, and the `media` listing.
import type { CaseHandle } from './case.js';
import type { ImageFacts } from '../media/index.js';
import { hammingDistance } from '../media/index.js';
import { TOOL } from '../version.js';

export interface PendingImage {
  sha256: string;
  /** Where to read it: a display path, or `archive.zip!entry`. */
  path: string;
}

/** Distinct images (by SHA-256) referenced by messages or taken in loose, with no facts yet. */
export function imagesWithoutFacts(handle: CaseHandle): PendingImage[] {
  return handle.db
    .prepare(
      `SELECT sha256, min(path) AS path FROM (
         SELECT sha256, path FROM message_media
         WHERE sha256 IS NOT NULL AND path IS NOT NULL AND kind IN ('photo', 'sticker', 'document', 'other', 'animation')
         UNION ALL
         SELECT sha256, path FROM evidence WHERE role = 'image'
       ) WHERE sha256 NOT IN (SELECT sha256 FROM media_facts)
       GROUP BY sha256 ORDER BY sha256`,
    )
    .all() as PendingImage[];
}

/** Saves facts and links each new picture to near-identical ones already in the case. */
export function saveMediaFacts(handle: CaseHandle, facts: ImageFacts[], threshold: number): number {
  const db = handle.db;
  const insert = db.prepare(
    `INSERT OR REPLACE INTO media_facts (sha256, size, format, width, height, phash, make, model, serial, software, taken_at,
       gps_lat, gps_lon, facts, read_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const existing = db.prepare('SELECT sha256, phash FROM media_facts WHERE phash IS NOT NULL').all() as {
    sha256: string;
    phash: string;
  }[];
  const link = db.prepare('INSERT OR IGNORE INTO media_links (sha_a, sha_b, distance) VALUES (?, ?, ?)');
  let links = 0;
  db.transaction(() => {
    const known = [...existing];
    for (const f of facts) {
      if (f.sha256 === '') continue;
      const e = f.exif;
      insert.run(
        f.sha256,
        f.size,
        f.format,
        f.width,
        f.height,
        f.phash,
        e.make,
        e.model,
        e.serial,
        e.software,
        e.takenAt,
        e.gps?.lat ?? null,
        e.gps?.lon ?? null,
        JSON.stringify(f),
        TOOL,
      );
      if (f.phash === null) continue;
      for (const other of known) {
        if (other.sha256 === f.sha256) continue;
        const d = hammingDistance(f.phash, other.phash);
        if (d > threshold) continue;
        const [a, b] = f.sha256 < other.sha256 ? [f.sha256, other.sha256] : [other.sha256, f.sha256];
        links += link.run(a, b, d).changes;
      }
      known.push({ sha256: f.sha256, phash: f.phash });
    }
  })();
  return links;
}

export interface MediaSighting {
  messageId: string;
  victim: string;
  sender: string | null;
  sentAt: string | null;
  forwarded: boolean;
  path: string | null;
}

export interface MediaItem {
  sha256: string;
  paths: string[];
  facts: ImageFacts;
  sightings: MediaSighting[];
  /** Other pictures within the perceptual-hash threshold: their SHA-256 and distance. */
  similar: { sha256: string; distance: number }[];
}

/** Every image with facts, with the messages that carried it; ordered by first sighting, then hash. */
export function listMedia(handle: CaseHandle, shas?: string[]): MediaItem[] {
  const db = handle.db;
  const filter = shas ? 'WHERE f.sha256 IN (SELECT value FROM json_each(?))' : '';
  const facts = db
    .prepare(`SELECT f.sha256, f.facts FROM media_facts f ${filter} ORDER BY f.sha256`)
    .all(...(shas ? [JSON.stringify(shas)] : [])) as { sha256: string; facts: string }[];
  const sightings = db
    .prepare(
      `SELECT mm.sha256, mm.path, m.id, m.victim, m.sender_key, m.sent_at, m.forwarded
       FROM message_media mm JOIN messages m ON m.rowid = mm.message_rowid
       WHERE mm.sha256 IS NOT NULL ORDER BY m.sent_at IS NULL, m.sent_at, m.id`,
    )
    .all() as { sha256: string; path: string | null; id: string; victim: string; sender_key: string | null; sent_at: string | null; forwarded: number }[];
  const bySha = new Map<string, MediaSighting[]>();
  for (const s of sightings) {
    const list = bySha.get(s.sha256) ?? [];
    list.push({ messageId: s.id, victim: s.victim, sender: s.sender_key, sentAt: s.sent_at, forwarded: s.forwarded === 1, path: s.path });
    bySha.set(s.sha256, list);
  }
  const paths = new Map<string, Set<string>>();
  for (const r of db.prepare('SELECT sha256, path FROM evidence ORDER BY path').all() as { sha256: string; path: string }[]) {
    const set = paths.get(r.sha256) ?? new Set<string>();
    set.add(r.path);
    paths.set(r.sha256, set);
  }
  const similar = new Map<string, { sha256: string; distance: number }[]>();
  for (const l of db.prepare('SELECT sha_a, sha_b, distance FROM media_links ORDER BY distance, sha_a, sha_b').all() as {
    sha_a: string;
    sha_b: string;
    distance: number;
  }[]) {
    similar.set(l.sha_a, [...(similar.get(l.sha_a) ?? []), { sha256: l.sha_b, distance: l.distance }]);
    similar.set(l.sha_b, [...(similar.get(l.sha_b) ?? []), { sha256: l.sha_a, distance: l.distance }]);
  }
  const items = facts.map((f) => ({
    sha256: f.sha256,
    paths: [...(paths.get(f.sha256) ?? [])].sort(),
    facts: JSON.parse(f.facts) as ImageFacts,
    sightings: bySha.get(f.sha256) ?? [],
    similar: similar.get(f.sha256) ?? [],
  }));
  const firstSeen = (item: MediaItem): string => item.sightings.find((s) => s.sentAt !== null)?.sentAt ?? '\uffff';
  return items.sort((a, b) => (firstSeen(a) < firstSeen(b) ? -1 : firstSeen(a) > firstSeen(b) ? 1 : a.sha256 < b.sha256 ? -1 : 1));
}
