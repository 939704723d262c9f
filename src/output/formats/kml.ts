// KML 2.2 (OGC) for Google Earth: a Placemark per geotagged image and per shared location, its
// description naming the evidence (SHA-256, file, message ids). Every string is XML-escaped: names
// and texts were written by the people under investigation.
import type { MediaView } from '../../app/media.js';
import { escapeHtml as xmlEscape } from '../../util/sanitize.js';
import { mapPlaces } from './places.js';
import { sorted } from '../media.js';

export function mediaKml(view: MediaView): string[] {
  const marks = mapPlaces(view).map((p) => {
    const name =
      p.kind === 'image'
        ? `${p.image.facts.video !== undefined ? 'video' : 'image'} ${p.image.sha256.slice(0, 12)}${p.image.facts.exif.model ? ` (${[p.image.facts.exif.make, p.image.facts.exif.model].filter(Boolean).join(' ')})` : ''}`
        : `shared location${p.message.location!.name ? `: ${p.message.location!.name}` : ''}`;
    const lines =
      p.kind === 'image'
        ? [
            `sha256 ${p.image.sha256}`,
            `file ${p.image.paths[0] ?? ''}`,
            `taken ${p.image.facts.exif.takenAt ?? p.image.facts.exif.takenAtLocal ?? 'unknown'}`,
            `victims ${sorted(p.image.sightings.map((s) => s.victim)).join(', ')}`,
            `messages ${p.image.sightings.map((s) => s.messageId).join(' ')}`,
          ]
        : [
            `message ${p.message.id}`,
            `victim ${p.message.victim}`,
            `sender ${p.message.sender?.key ?? ''}`,
            `sent ${p.message.time.utc ?? p.message.time.local ?? 'unknown'}`,
            `source ${p.message.source.file} (sha256 ${p.message.source.sha256})`,
          ];
    const coordinates = `${p.lon},${p.lat}${p.altitude !== null ? `,${p.altitude}` : ''}`;
    return (
      `    <Placemark>\n      <name>${xmlEscape(name)}</name>\n      <description>${xmlEscape(lines.join('\n'))}</description>\n` +
      `      <Point><coordinates>${coordinates}</coordinates></Point>\n    </Placemark>\n`
    );
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">\n  <Document>\n    <name>threatlens: places in the case</name>\n',
    ...marks,
    '  </Document>\n</kml>\n',
  ];
}
