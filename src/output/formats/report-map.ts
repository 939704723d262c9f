// The map of the report: country outlines from world-atlas (Natural Earth, 1:110m, as TopoJSON in
// the package: nothing is fetched) drawn as inline SVG in an equirectangular projection framed on the
// places, and the places on top: geotagged images (blue) and locations chats shared (orange),
// numbered; the table beneath says what each number is.
import { createRequire } from 'node:module';
import type { MapPoint } from '../../model.js';
import { escapeHtml as h } from '../../util/sanitize.js';

const require = createRequire(import.meta.url);

type Ring = [number, number][];
interface Geometry {
  type: string;
  coordinates: unknown;
}

/** Every ring of the countries, as [lon, lat] pairs (read once, when a report has places). */
let rings: Ring[] | null = null;
function countryRings(): Ring[] {
  if (rings !== null) return rings;
  const topology = require('world-atlas/countries-110m.json') as { objects: { countries: unknown } };
  const { feature } = require('topojson-client') as { feature: (t: unknown, o: unknown) => { features: { geometry: Geometry | null }[] } };
  const out: Ring[] = [];
  for (const f of feature(topology, topology.objects.countries).features) {
    const g = f.geometry;
    if (g === null) continue;
    const polygons = g.type === 'Polygon' ? [g.coordinates as Ring[]] : g.type === 'MultiPolygon' ? (g.coordinates as Ring[][]) : [];
    for (const polygon of polygons) for (const ring of polygon) out.push(ring);
  }
  return (rings = out);
}

export function mapSvg(points: readonly MapPoint[]): string {
  if (points.length === 0) return '<p class="muted">No geotagged image and no shared location in the case.</p>';
  // The frame: the places with a margin, at least 8° across, within the world.
  const lons = points.map((p) => p.lon);
  const lats = points.map((p) => p.lat);
  const pad = (lo: number, hi: number, min: number): [number, number] => {
    const span = Math.max(hi - lo, min);
    const mid = (lo + hi) / 2;
    return [mid - span * 0.65, mid + span * 0.65];
  };
  let [west, east] = pad(Math.min(...lons), Math.max(...lons), 8);
  let [south, north] = pad(Math.min(...lats), Math.max(...lats), 6);
  west = Math.max(west, -180);
  east = Math.min(east, 180);
  south = Math.max(south, -85);
  north = Math.min(north, 85);
  const width = 760;
  const kx = width / (east - west);
  const height = Math.round(Math.min(520, Math.max(240, (north - south) * kx * 1.25)));
  const ky = height / (north - south);
  const x = (lon: number): number => (lon - west) * kx;
  const y = (lat: number): number => (north - lat) * ky;
  const paths: string[] = [];
  for (const ring of countryRings()) {
    let minLon = Infinity;
    let maxLon = -Infinity;
    let minLat = Infinity;
    let maxLat = -Infinity;
    for (const [lon, lat] of ring) {
      minLon = Math.min(minLon, lon);
      maxLon = Math.max(maxLon, lon);
      minLat = Math.min(minLat, lat);
      maxLat = Math.max(maxLat, lat);
    }
    if (maxLon < west || minLon > east || maxLat < south || minLat > north) continue;
    paths.push(`M${ring.map(([lon, lat]) => `${x(lon).toFixed(1)} ${y(lat).toFixed(1)}`).join('L')}Z`);
  }
  const marks = points.map((p, i) => {
    const colour = p.kind === 'image' ? '#2f5fa7' : '#d9822b';
    return `<g><circle cx="${x(p.lon).toFixed(1)}" cy="${y(p.lat).toFixed(1)}" r="6" fill="${colour}" stroke="#fff" stroke-width="1.5"/><text x="${(x(p.lon) + 8).toFixed(1)}" y="${(y(p.lat) + 4).toFixed(1)}" font-size="11" font-weight="600">${i + 1}</text><title>${h(p.label)}</title></g>`;
  });
  const svg =
    `<svg class="map" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="geotagged images and shared locations">` +
    `<rect width="${width}" height="${height}" fill="#eaf1f8"/><path d="${paths.join('')}" fill="#f4f1ea" stroke="#b5ad9c" stroke-width="0.6"/>${marks.join('')}</svg>`;
  const rows = points
    .map(
      (p, i) =>
        `<tr><td>${i + 1}</td><td>${p.kind === 'image' ? 'image GPS' : 'shared location'}</td><td class="mono">${p.lat.toFixed(5)}, ${p.lon.toFixed(5)}</td><td>${h(p.label)}</td><td class="mono">${h(p.source)}</td></tr>`,
    )
    .join('');
  return `${svg}<div class="muted">Country outlines: Natural Earth 1:110m (world-atlas), equirectangular. Blue: image GPS tags; orange: locations shared in chats.</div><table><thead><tr><th>#</th><th>what</th><th>where</th><th>about</th><th>evidence</th></tr></thead><tbody>${rows}</tbody></table>`;
}
