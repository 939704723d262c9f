// The places of a case as maps draw them: geotagged images and messages sharing a location, in a
// fixed order (images by SHA-256, then messages in the case's order).
import type { MediaView } from '../../app/media.js';
import type { MediaItem } from '../../media/types.js';
import type { Message } from '../../model.js';

export type MapPlace =
  | { kind: 'image'; lat: number; lon: number; altitude: number | null; image: MediaItem }
  | { kind: 'shared-location'; lat: number; lon: number; altitude: null; message: Message };

export function mapPlaces(view: MediaView): MapPlace[] {
  const places: MapPlace[] = [];
  for (const image of view.items) {
    const gps = image.facts.exif.gps;
    if (gps !== null) places.push({ kind: 'image', lat: gps.lat, lon: gps.lon, altitude: gps.altitude, image });
  }
  for (const message of view.places) {
    const at = message.location;
    if (at !== null && Number.isFinite(at.lat) && Number.isFinite(at.lon)) places.push({ kind: 'shared-location', lat: at.lat, lon: at.lon, altitude: null, message });
  }
  return places;
}
