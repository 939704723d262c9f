import { anomaliesFor, type Anomaly } from '../media/index.js';
import type { MediaItem } from '../store/media.js';
import type { Listing } from './listing.js';
import { escapeJsonText } from './sanitize.js';
import { JSON_SCHEMA } from './listing.js';

/**
 * Anomalies of an image as the case saw it: when messages carried it, the earliest (not forwarded)
 * message is the context (its time, and delivery through a messenger).
 */
export function mediaAnomalies(item: MediaItem): Anomaly[] {
  const carried = item.sightings.filter((s) => !s.forwarded && s.sentAt !== null);
  const first = carried[0] ?? item.sightings[0];
  return anomaliesFor(item.facts, { messageTime: first?.sentAt ?? null, messenger: item.sightings.length > 0 });
}

const sorted = (values: Iterable<string | null>): string[] =>
  [...new Set([...values].filter((v): v is string => v !== null))].sort();

export function mediaJson(item: MediaItem): Record<string, unknown> {
  const f = item.facts;
  const e = f.exif;
  const anomalies = mediaAnomalies(item);
  const out: Record<string, unknown> = {
    sha256: item.sha256,
    path: item.paths[0] ?? item.sightings.find((s) => s.path !== null)?.path ?? null,
    paths: item.paths,
    format: f.format,
    size: f.size,
    width: f.width,
    height: f.height,
    orientation: f.orientation,
    phash: f.phash,
    exif: {
      make: e.make,
      model: e.model,
      serial: e.serial,
      lensSerial: e.lensSerial,
      lensModel: e.lensModel,
      software: e.software,
      creatorTool: e.creatorTool,
      history: e.history,
      takenAt: e.takenAt,
      takenAtRaw: e.takenAtRaw,
      takenAtOffset: e.takenAtOffset,
      createdAt: e.createdAt,
      modifiedAt: e.modifiedAt,
      gps: e.gps,
      imageUniqueId: e.imageUniqueId,
      documentId: e.documentId,
      originalDocumentId: e.originalDocumentId,
      iccDescription: e.iccDescription,
      comment: e.comment,
      hasExif: e.hasExif,
      jfifOnly: e.jfifOnly,
    },
    thumbnail: f.thumbnail,
    anomalies: anomalies.map((a) => a.code),
    anomalyDetails: anomalies,
    errors: f.errors,
    messages: item.sightings.map((s) => ({ id: s.messageId, victim: s.victim, sender: s.sender, sentAt: s.sentAt, forwarded: s.forwarded })),
    senders: sorted(item.sightings.map((s) => s.sender)),
    victims: sorted(item.sightings.map((s) => s.victim)),
    similar: item.similar,
  };
  if (f.deep) out.deep = f.deep;
  return out;
}

export function mediaListing(items: Iterable<MediaItem>): Listing<MediaItem> {
  return {
    kind: 'media',
    items,
    toJson: mediaJson,
    columns: [
      { header: 'sha256', value: (m) => m.sha256.slice(0, 12), style: (c, t) => c.dim(t) },
      { header: 'file', value: (m) => m.paths[0] ?? '', max: 40, cut: 'middle' },
      { header: 'size', value: (m) => (m.facts.width && m.facts.height ? `${m.facts.width}x${m.facts.height}` : '') },
      { header: 'phash', value: (m) => m.facts.phash },
      { header: 'camera', value: (m) => [m.facts.exif.make, m.facts.exif.model].filter(Boolean).join(' '), max: 24 },
      { header: 'serial', value: (m) => m.facts.exif.serial, max: 16 },
      { header: 'taken', value: (m) => m.facts.exif.takenAt, max: 20 },
      { header: 'gps', value: (m) => (m.facts.exif.gps ? `${m.facts.exif.gps.lat.toFixed(5)},${m.facts.exif.gps.lon.toFixed(5)}` : '') },
      {
        header: 'victims',
        value: (m) => sorted(m.sightings.map((s) => s.victim)).join(', '),
        max: 24,
        style: (c, t, m) => (new Set(m.sightings.map((s) => s.victim)).size > 1 ? c.red(t) : t),
      },
      {
        header: 'anomalies',
        value: (m) => [...mediaAnomalies(m).map((a) => a.code), ...(m.similar.length > 0 ? [`similar×${m.similar.length}`] : [])].join(' '),
        flex: true,
        style: (c, t) => c.yellow(t),
      },
    ],
  };
}

/** GeoJSON FeatureCollection of the geotagged images (RFC 7946: [lon, lat]). */
export function mediaGeoJson(items: MediaItem[]): string {
  const features = items
    .filter((m) => m.facts.exif.gps !== null)
    .map((m) => {
      const gps = m.facts.exif.gps!;
      const coordinates = gps.altitude !== null ? [gps.lon, gps.lat, gps.altitude] : [gps.lon, gps.lat];
      return {
        type: 'Feature',
        geometry: { type: 'Point', coordinates },
        properties: {
          sha256: m.sha256,
          path: m.paths[0] ?? null,
          make: m.facts.exif.make,
          model: m.facts.exif.model,
          takenAt: m.facts.exif.takenAt,
          gpsTime: gps.time,
          victims: sorted(m.sightings.map((s) => s.victim)),
          messages: m.sightings.map((s) => s.messageId),
        },
      };
    });
  return escapeJsonText(JSON.stringify({ type: 'FeatureCollection', threatlens: JSON_SCHEMA, features }, null, 2)) + '\n';
}
