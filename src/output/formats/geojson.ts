// GeoJSON (RFC 7946) of the geotagged images: one Point per image, for a map.
import type { MediaItem } from '../../media/types.js';
import { JSON_SCHEMA } from '../listing.js';
import { escapeJsonText } from '../../util/sanitize.js';
import { sorted } from '../media.js';

/** GeoJSON FeatureCollection of the geotagged images (RFC 7946: [lon, lat]). */
export function mediaGeoJson(items: MediaItem[]): string[] {
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
          takenAtLocal: m.facts.exif.takenAtLocal,
          gpsTime: gps.time,
          victims: sorted(m.sightings.map((s) => s.victim)),
          messages: m.sightings.map((s) => s.messageId),
        },
      };
    });
  return [escapeJsonText(JSON.stringify({ type: 'FeatureCollection', threatlens: JSON_SCHEMA, features }, null, 2)) + '\n'];
}
