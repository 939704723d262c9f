// GeoJSON (RFC 7946) of the places in a case: one Point per geotagged image or video (its GPS tags) and one
// per chat message that shares a location, each with where it comes from, for a map.
import type { MediaView } from '../../app/media.js';
import { JSON_SCHEMA } from '../listing.js';
import { escapeJsonText } from '../../util/sanitize.js';
import { sorted } from '../media.js';
import { mapPlaces } from './places.js';

/** GeoJSON FeatureCollection of the geotagged images and shared locations (RFC 7946: [lon, lat]). */
export function mediaGeoJson(view: MediaView): string[] {
  const features = mapPlaces(view).map((p) => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: p.altitude !== null ? [p.lon, p.lat, p.altitude] : [p.lon, p.lat] },
    properties:
      p.kind === 'image'
        ? {
            // A video's place is its container's (ISO 6709, ©xyz, loci), in the same properties.
            kind: p.image.facts.video !== undefined ? 'video' : 'image',
            sha256: p.image.sha256,
            path: p.image.paths[0] ?? null,
            make: p.image.facts.exif.make,
            model: p.image.facts.exif.model,
            takenAt: p.image.facts.exif.takenAt,
            takenAtLocal: p.image.facts.exif.takenAtLocal,
            gpsTime: p.image.facts.exif.gps!.time,
            victims: sorted(p.image.sightings.map((s) => s.victim)),
            messages: p.image.sightings.map((s) => s.messageId),
          }
        : {
            kind: 'shared-location',
            name: p.message.location!.name,
            messageId: p.message.id,
            victim: p.message.victim,
            sender: p.message.sender?.key ?? null,
            sentAt: p.message.time.utc,
            sourceFile: p.message.source.file,
            sourceSha256: p.message.source.sha256,
            sourceOffset: p.message.source.offset ?? null,
            sourceLine: p.message.source.line ?? null,
          },
  }));
  return [escapeJsonText(JSON.stringify({ type: 'FeatureCollection', threatlens: JSON_SCHEMA, features }, null, 2)) + '\n'];
}
