// Image facts in the case: which images still need reading, saving their facts, hashes by kind and
// the links between near-identical pictures, the anomalies (judged against the messages that carried
// each image), and the `media` listing.
import { evidencePathOnDisk } from './write.js';
import type { CaseHandle } from './case.js';
import type { ClusterImage } from '../model.js';
import type { ImageFacts, MediaAnomaly, MediaItem, MediaSighting, StoredImageFacts } from '../media/types.js';
import { ANOMALY_CODES, anomaliesFor, CONTEXT_ANOMALIES, HASH_KINDS, type HashKind } from '../media/index.js';
import { TOOL } from '../version.js';

/**
 * The shape of the facts JSON in media_facts. 1: before schema 6 (anomalies inside, takenAt could be
 * a wall clock). 2: hashes by kind, takenAt an instant only with a known offset, anomalies apart.
 */
export const FACTS_VERSION = 2;

/** The images with GPS tags: where, which camera, when, in SHA-256 order. */
export function geotaggedImages(handle: CaseHandle): { sha256: string; lat: number; lon: number; camera: string; takenAt: string | null }[] {
  return handle.db
    .prepare(
      `SELECT sha256, gps_lat AS lat, gps_lon AS lon, trim(ifnull(make, '') || ' ' || ifnull(model, '')) AS camera, coalesce(taken_at, taken_at_local) AS takenAt
       FROM media_facts WHERE gps_lat IS NOT NULL AND gps_lon IS NOT NULL ORDER BY sha256`,
    )
    .all() as { sha256: string; lat: number; lon: number; camera: string; takenAt: string | null }[];
}

/** The images these senders sent (with image facts), most-sent first, at most `limit`. */
export function imagesSentBy(handle: CaseHandle, senders: readonly string[], limit: number): ClusterImage[] {
  const rows = handle.db
    .prepare(
      `SELECT mm.sha256 AS sha256, json_group_array(DISTINCT m.sender_key) AS senders, count(DISTINCT m.rowid) AS messages,
              nullif(trim(ifnull(f.make, '') || ' ' || ifnull(f.model, '')), '') AS camera,
              coalesce(f.taken_at, f.taken_at_local) AS taken_at, f.width AS width, f.height AS height,
              json_extract(f.facts, '$.video.durationMs') AS duration_ms,
              (SELECT json_group_array(code) FROM (SELECT code FROM media_anomalies a WHERE a.sha256 = mm.sha256 ORDER BY code)) AS anomalies
       FROM message_media mm JOIN messages m ON m.rowid = mm.message_rowid JOIN media_facts f ON f.sha256 = mm.sha256
       WHERE m.sender_key IN (SELECT value FROM json_each(?)) AND mm.note IS NULL
       GROUP BY mm.sha256 ORDER BY count(DISTINCT m.rowid) DESC, mm.sha256 LIMIT ?`,
    )
    .all(JSON.stringify(senders), limit) as {
    sha256: string;
    senders: string;
    messages: number;
    anomalies: string;
    camera: string | null;
    taken_at: string | null;
    width: number | null;
    height: number | null;
    duration_ms: number | null;
  }[];
  return rows.map((r) => ({
    sha256: r.sha256,
    senders: (JSON.parse(r.senders) as string[]).sort(),
    messages: r.messages,
    anomalies: JSON.parse(r.anomalies) as string[],
    camera: r.camera,
    takenAt: r.taken_at,
    width: r.width,
    height: r.height,
    durationMs: r.duration_ms,
  }));
}

/** Videos' lengths in ms by SHA-256, for those of `shas` that are videos with a known length. */
export function videoDurations(handle: CaseHandle, shas: readonly string[]): Map<string, number> {
  const rows = handle.db
    .prepare(
      `SELECT sha256, json_extract(facts, '$.video.durationMs') AS ms FROM media_facts
       WHERE sha256 IN (SELECT value FROM json_each(?)) AND json_extract(facts, '$.video.durationMs') IS NOT NULL`,
    )
    .all(JSON.stringify(shas)) as { sha256: string; ms: number }[];
  return new Map(rows.map((r) => [r.sha256, r.ms]));
}

/**
 * Where to read each image now: its evidence path made absolute with the folder ingest ran in
 * (evidence.base), an archive entry as `/abs/archive.zip!entry`. Images no evidence row names are left out.
 */
export function readableImages(handle: CaseHandle, shas: readonly string[]): PendingImage[] {
  const rows = handle.db
    .prepare('SELECT sha256, path, base FROM evidence WHERE sha256 IN (SELECT value FROM json_each(?)) ORDER BY sha256, path')
    .all(JSON.stringify(shas)) as { sha256: string; path: string; base: string | null }[];
  const out = new Map<string, PendingImage>();
  for (const r of rows) {
    if (out.has(r.sha256)) continue;
    const bang = r.path.indexOf('!');
    const file = bang < 0 ? r.path : r.path.slice(0, bang);
    const absolute = evidencePathOnDisk(file, r.base);
    out.set(r.sha256, { sha256: r.sha256, path: bang < 0 ? absolute : `${absolute}${r.path.slice(bang)}` });
  }
  return [...out.values()];
}

export interface PendingImage {
  sha256: string;
  /** Where to read it: a display path, or `archive.zip!entry`. */
  path: string;
}

/**
 * Distinct images (by SHA-256) referenced by messages or taken in loose, with no facts yet or facts
 * of an older shape. An attachment with a note (crc-mismatch: its bytes are not the archive's;
 * ambiguous-name: not known to be the file sent) gets none from its own reference: facts would link
 * it to near-identical pictures.
 */
export function imagesNeedingFacts(handle: CaseHandle, options: { ffmpeg?: boolean } = {}): PendingImage[] {
  // Videos read while ffmpeg was missing are read again once it is there, for their frames.
  const framesLater = options.ffmpeg === true ? ` OR json_extract(facts, '$.video.framesMissing') = 'no-ffmpeg'` : '';
  return handle.db
    .prepare(
      `SELECT sha256, min(path) AS path FROM (
         SELECT sha256, path FROM message_media
         WHERE sha256 IS NOT NULL AND path IS NOT NULL AND note IS NULL
           AND kind IN ('photo', 'sticker', 'document', 'other', 'animation', 'video', 'video-note', 'audio', 'voice')
         UNION ALL
         SELECT sha256, path FROM evidence WHERE role = 'image'
       ) WHERE sha256 NOT IN (SELECT sha256 FROM media_facts WHERE facts_version >= ? AND NOT (0${framesLater}))
       GROUP BY sha256 ORDER BY sha256`,
    )
    .all(FACTS_VERSION) as PendingImage[];
}

/** Saves facts and hashes, and links each new picture to near-identical ones already in the case, per hash kind. */
export function saveMediaFacts(handle: CaseHandle, facts: ImageFacts[]): number {
  const db = handle.db;
  const insert = db.prepare(
    `INSERT OR REPLACE INTO media_facts (sha256, size, format, width, height, make, model, serial, software, taken_at, taken_at_local,
       gps_lat, gps_lon, facts, read_by, facts_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertHash = db.prepare('INSERT OR REPLACE INTO media_hashes (sha256, kind, hash) VALUES (?, ?, ?)');
  const link = db.prepare('INSERT OR IGNORE INTO media_links (kind, sha_a, sha_b, distance) VALUES (?, ?, ?, ?)');
  const known = new Map<HashKind, { sha256: string; hash: string }[]>();
  let links = 0;
  // The hashes already in the case are read under the write lock: another process taking in
  // images at the same time has either committed its own (and they are linked) or waits.
  db.transaction(() => {
    for (const kind of Object.keys(HASH_KINDS) as HashKind[])
      known.set(kind, db.prepare('SELECT sha256, hash FROM media_hashes WHERE kind = ? ORDER BY sha256').all(kind) as { sha256: string; hash: string }[]);
    for (const f of facts) {
      if (f.sha256 === '') continue;
      const e = f.exif;
      const { anomalies: _anomalies, deep: _deep, decoderMessages: _said, ...stored } = f;
      insert.run(
        f.sha256,
        f.size,
        f.format,
        f.width,
        f.height,
        e.make,
        e.model,
        e.serial,
        e.software,
        e.takenAt,
        e.takenAtLocal,
        e.gps?.lat ?? null,
        e.gps?.lon ?? null,
        JSON.stringify(stored satisfies StoredImageFacts),
        TOOL,
        FACTS_VERSION,
      );
      for (const [kind, hash] of Object.entries(f.hashes) as [HashKind, string][]) {
        insertHash.run(f.sha256, kind, hash);
        const others = known.get(kind)!;
        for (const other of others) {
          if (other.sha256 === f.sha256) continue;
          const d = HASH_KINDS[kind].distance(hash, other.hash);
          if (d > HASH_KINDS[kind].matchThreshold) continue;
          const [a, b] = f.sha256 < other.sha256 ? [f.sha256, other.sha256] : [other.sha256, f.sha256];
          links += link.run(kind, a, b, d).changes;
        }
        if (!others.some((o) => o.sha256 === f.sha256)) others.push({ sha256: f.sha256, hash });
      }
    }
  }).immediate();
  return links;
}

/** The messages that carried each image, earliest first (attachments with a note are not known to be it). */
function sightingsBySha(handle: CaseHandle): Map<string, MediaSighting[]> {
  const rows = handle.db
    .prepare(
      `SELECT mm.sha256, mm.path, m.id, m.victim, m.sender_key, m.sent_at, m.forwarded
       FROM message_media mm JOIN messages m ON m.rowid = mm.message_rowid
       WHERE mm.sha256 IS NOT NULL AND mm.note IS NULL ORDER BY m.sent_at IS NULL, m.sent_at, m.id`,
    )
    .all() as { sha256: string; path: string | null; id: string; victim: string; sender_key: string | null; sent_at: string | null; forwarded: number }[];
  const bySha = new Map<string, MediaSighting[]>();
  for (const s of rows) {
    const list = bySha.get(s.sha256) ?? [];
    list.push({ messageId: s.id, victim: s.victim, sender: s.sender_key, sentAt: s.sent_at, forwarded: s.forwarded === 1, path: s.path });
    bySha.set(s.sha256, list);
  }
  return bySha;
}

/**
 * The message an image's context anomalies are judged against: the earliest one that carried it
 * first-hand (not forwarded) with a time, else the first one. Delivery through a messenger is any
 * sighting at all.
 */
function contextOf(sightings: MediaSighting[]): { message: MediaSighting | null; messenger: boolean } {
  const carried = sightings.filter((s) => !s.forwarded && s.sentAt !== null);
  return { message: carried[0] ?? sightings[0] ?? null, messenger: sightings.length > 0 };
}

/**
 * Rebuilds media_anomalies from the stored facts and the messages that carry each image now. Run
 * after every ingest (the media stage does), since a new export can carry an image again.
 */
export function refreshMediaAnomalies(handle: CaseHandle): number {
  const db = handle.db;
  const insert = db.prepare('INSERT INTO media_anomalies (sha256, code, message, context_message) VALUES (?, ?, ?, ?)');
  let count = 0;
  // Read under the write lock, so that what is judged is what another process committed last.
  db.transaction(() => {
    const sightings = sightingsBySha(handle);
    const rows = db.prepare('SELECT sha256, facts FROM media_facts WHERE facts_version >= ? ORDER BY sha256').all(FACTS_VERSION) as {
      sha256: string;
      facts: string;
    }[];
    db.prepare('DELETE FROM media_anomalies').run();
    for (const row of rows) {
      const facts = JSON.parse(row.facts) as StoredImageFacts;
      const { message, messenger } = contextOf(sightings.get(row.sha256) ?? []);
      for (const a of anomaliesFor(facts, { messageTime: message?.sentAt ?? null, messenger })) {
        insert.run(row.sha256, a.code, a.message, CONTEXT_ANOMALIES.includes(a.code) ? (message?.messageId ?? null) : null);
        count++;
      }
    }
  }).immediate();
  return count;
}

/** Every image with facts, with the messages that carried it; ordered by first sighting, then hash. */
export function listMedia(handle: CaseHandle, shas?: string[]): MediaItem[] {
  const db = handle.db;
  const filter = shas ? 'AND f.sha256 IN (SELECT value FROM json_each(?))' : '';
  const facts = db
    .prepare(`SELECT f.sha256, f.facts FROM media_facts f WHERE f.facts_version >= ? ${filter} ORDER BY f.sha256`)
    .all(FACTS_VERSION, ...(shas ? [JSON.stringify(shas)] : [])) as { sha256: string; facts: string }[];
  const bySha = sightingsBySha(handle);
  const anomalies = new Map<string, MediaAnomaly[]>();
  for (const a of db.prepare('SELECT sha256, code, message, context_message FROM media_anomalies').all() as {
    sha256: string;
    code: string;
    message: string;
    context_message: string | null;
  }[]) {
    const list = anomalies.get(a.sha256) ?? [];
    list.push({ code: a.code, message: a.message, contextMessage: a.context_message });
    anomalies.set(a.sha256, list);
  }
  // In the order anomaliesFor reports them (the table keeps no order).
  for (const list of anomalies.values()) list.sort((x, y) => ANOMALY_CODES.indexOf(x.code) - ANOMALY_CODES.indexOf(y.code) || (x.code < y.code ? -1 : 1));
  const paths = new Map<string, Set<string>>();
  for (const r of db.prepare('SELECT sha256, path FROM evidence ORDER BY path').all() as { sha256: string; path: string }[]) {
    const set = paths.get(r.sha256) ?? new Set<string>();
    set.add(r.path);
    paths.set(r.sha256, set);
  }
  const similar = new Map<string, MediaItem['similar']>();
  for (const l of db.prepare('SELECT kind, sha_a, sha_b, distance FROM media_links ORDER BY distance, kind, sha_a, sha_b').all() as {
    kind: string;
    sha_a: string;
    sha_b: string;
    distance: number;
  }[]) {
    similar.set(l.sha_a, [...(similar.get(l.sha_a) ?? []), { sha256: l.sha_b, kind: l.kind, distance: l.distance }]);
    similar.set(l.sha_b, [...(similar.get(l.sha_b) ?? []), { sha256: l.sha_a, kind: l.kind, distance: l.distance }]);
  }
  const items = facts.map((f) => ({
    sha256: f.sha256,
    paths: [...(paths.get(f.sha256) ?? [])].sort(),
    facts: JSON.parse(f.facts) as StoredImageFacts,
    anomalies: anomalies.get(f.sha256) ?? [],
    sightings: bySha.get(f.sha256) ?? [],
    similar: similar.get(f.sha256) ?? [],
  }));
  const firstSeen = (item: MediaItem): string => item.sightings.find((s) => s.sentAt !== null)?.sentAt ?? '\uffff';
  return items.sort((a, b) => (firstSeen(a) < firstSeen(b) ? -1 : firstSeen(a) > firstSeen(b) ? 1 : a.sha256 < b.sha256 ? -1 : 1));
}

