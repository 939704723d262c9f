import type { MediaItem } from '../media/types.js';
import type { ExifFacts } from '../media/index.js';
import type { DetailLine, Listing } from './listing.js';
import { formatLength } from '../util/time.js';

/** The distinct values, sorted, without nulls. */
export const sorted = (values: Iterable<string | null>): string[] =>
  [...new Set([...values].filter((v): v is string => v !== null))].sort();

/** One camera time in JSON: the instant (UTC, null when the offset is unknown), the wall clock, the offset and where it came from, the raw tag. */
function timeFields(e: ExifFacts, name: 'takenAt' | 'createdAt' | 'modifiedAt'): Record<string, string | null> {
  return {
    [name]: e[name],
    [`${name}Local`]: e[`${name}Local`],
    [`${name}Offset`]: e[`${name}Offset`],
    [`${name}Basis`]: e[`${name}Basis`],
    [`${name}Raw`]: e[`${name}Raw`],
  };
}

export function mediaJson(item: MediaItem): Record<string, unknown> {
  const f = item.facts;
  const e = f.exif;
  const out: Record<string, unknown> = {
    sha256: item.sha256,
    path: item.paths[0] ?? item.sightings.find((s) => s.path !== null)?.path ?? null,
    paths: item.paths,
    format: f.format,
    size: f.size,
    width: f.width,
    height: f.height,
    orientation: f.orientation,
    phash: f.hashes.phash64 ?? null,
    hashes: f.hashes,
    video: f.video ?? null,
    audio: f.audio ?? null,
    exif: {
      make: e.make,
      model: e.model,
      serial: e.serial,
      lensSerial: e.lensSerial,
      lensModel: e.lensModel,
      software: e.software,
      creatorTool: e.creatorTool,
      history: e.history,
      ...timeFields(e, 'takenAt'),
      ...timeFields(e, 'createdAt'),
      ...timeFields(e, 'modifiedAt'),
      gps: e.gps,
      imageUniqueId: e.imageUniqueId,
      documentId: e.documentId,
      originalDocumentId: e.originalDocumentId,
      iccDescription: e.iccDescription,
      comment: e.comment,
      hasExif: e.hasExif,
      jfifOnly: e.jfifOnly,
    },
    metadataComplete: f.metadataComplete,
    thumbnail: f.thumbnail,
    anomalies: item.anomalies.map((a) => a.code),
    anomalyDetails: item.anomalies,
    errors: f.errors,
    messages: item.sightings.map((s) => ({ id: s.messageId, victim: s.victim, sender: s.sender, sentAt: s.sentAt, forwarded: s.forwarded })),
    senders: sorted(item.sightings.map((s) => s.sender)),
    victims: sorted(item.sightings.map((s) => s.victim)),
    similar: item.similar,
  };
  if (f.deep) out.deep = f.deep;
  return out;
}

/**
 * The camera time for a table cell: the UTC instant, else the camera's wall clock marked as such;
 * for a video without a recording date, its movie header's time marked as such.
 */
function takenCell(e: ExifFacts): string | null {
  if (e.takenAt === null && e.takenAtLocal === null && e.createdAtBasis === 'container-utc') return `${e.createdAt} header`;
  return e.takenAt ?? (e.takenAtLocal === null ? null : `${e.takenAtLocal} local`);
}

/** A video's or audio file's length for a table cell. */
function lengthCell(m: MediaItem): string {
  const ms = m.facts.video?.durationMs ?? m.facts.audio?.durationMs ?? null;
  return ms === null ? '' : formatLength(ms);
}

/** Beneath each table row: one line per anomaly with its explanation, then the near-identical pictures. */
function mediaDetails(m: MediaItem): DetailLine[] {
  const lines: DetailLine[] = m.anomalies.map((a) => ({
    text: `${a.code}: ${a.message}${a.contextMessage ? ` [message ${a.contextMessage}]` : ''}`,
    style: (c, t) => c.yellow(t),
  }));
  for (const s of m.similar) lines.push({ text: `similar: ${s.sha256.slice(0, 12)} (${s.kind} distance ${s.distance})`, style: (c, t) => c.cyan(t) });
  if (m.facts.deep?.encoder) lines.push({ text: `encoder: ${m.facts.deep.encoder}`, style: (c, t) => c.dim(t) });
  return lines;
}

export function mediaListing(items: Iterable<MediaItem>): Listing<MediaItem> {
  return {
    kind: 'media',
    items,
    toJson: mediaJson,
    details: mediaDetails,
    columns: [
      { header: 'sha256', value: (m) => m.sha256.slice(0, 12), style: (c, t) => c.dim(t), csv: false },
      { header: 'sha256', value: (m) => m.sha256, table: false },
      { header: 'file', value: (m) => m.paths[0] ?? '', max: 40, cut: 'middle', csv: false },
      { header: 'files', value: (m) => m.paths.join(' | '), table: false },
      { header: 'bytes', value: (m) => m.facts.size, table: false },
      { header: 'format', value: (m) => m.facts.format, table: false },
      {
        header: 'pixels',
        // A video's or audio file's length beside its size: `320x180 0:03`.
        value: (m) => [m.facts.width && m.facts.height ? `${m.facts.width}x${m.facts.height}` : '', lengthCell(m)].filter(Boolean).join(' '),
        csv: false,
      },
      { header: 'width', value: (m) => m.facts.width, table: false },
      { header: 'height', value: (m) => m.facts.height, table: false },
      { header: 'duration_ms', value: (m) => m.facts.video?.durationMs ?? m.facts.audio?.durationMs ?? null, table: false },
      { header: 'codecs', value: (m) => (m.facts.video ? [m.facts.video.videoCodec, m.facts.video.audioCodec].filter(Boolean).join(' ') : (m.facts.audio?.codec ?? null)), table: false },
      { header: 'phash', value: (m) => m.facts.hashes.phash64 ?? null },
      { header: 'frames', value: (m) => m.facts.hashes.vframes ?? null, table: false },
      { header: 'camera', value: (m) => [m.facts.exif.make, m.facts.exif.model].filter(Boolean).join(' '), max: 24, csv: false },
      { header: 'make', value: (m) => m.facts.exif.make, table: false },
      { header: 'model', value: (m) => m.facts.exif.model, table: false },
      { header: 'serial', value: (m) => m.facts.exif.serial, max: 16 },
      { header: 'software', value: (m) => m.facts.exif.software, table: false },
      { header: 'taken', value: (m) => takenCell(m.facts.exif), max: 26, csv: false },
      { header: 'taken_at', value: (m) => m.facts.exif.takenAt, table: false },
      { header: 'taken_at_local', value: (m) => m.facts.exif.takenAtLocal, table: false },
      { header: 'taken_at_basis', value: (m) => m.facts.exif.takenAtBasis, table: false },
      { header: 'gps', value: (m) => (m.facts.exif.gps ? `${m.facts.exif.gps.lat.toFixed(5)},${m.facts.exif.gps.lon.toFixed(5)}` : ''), csv: false },
      { header: 'gps_lat', value: (m) => m.facts.exif.gps?.lat ?? null, table: false },
      { header: 'gps_lon', value: (m) => m.facts.exif.gps?.lon ?? null, table: false },
      {
        header: 'victims',
        value: (m) => sorted(m.sightings.map((s) => s.victim)).join(', '),
        max: 24,
        style: (c, t, m) => (new Set(m.sightings.map((s) => s.victim)).size > 1 ? c.red(t) : t),
      },
      { header: 'messages', value: (m) => m.sightings.map((s) => s.messageId).join(' '), table: false },
      { header: 'senders', value: (m) => sorted(m.sightings.map((s) => s.sender)).join(' '), table: false },
      { header: 'anomalies', value: (m) => m.anomalies.map((a) => a.code).join(' '), table: false },
      { header: 'similar', value: (m) => m.similar.map((s) => `${s.sha256}:${s.distance}`).join(' '), table: false },
    ],
  };
}
