// The analyze use case: over a case just ingested, the overview, the senders, the phone numbers and
// the clusters (recorded as a run), with the messages their evidence cites (the HTML report quotes
// them beside each link).
import type { ClusterParams, ClusterResult, Identity } from '../attribution/types.js';
import type { IngestReport } from '../ingest/pipeline.js';
import type { Message, SenderRow } from '../model.js';
import type { CaseOverview, ClusterImage, MapPoint, PhoneSummary, TimelinePoint } from '../model.js';
import type { CaseHandle } from '../store/case.js';
import { listPhones } from '../store/phones.js';
import { geotaggedImages, imagesSentBy, readableImages, videoDurations } from '../store/media.js';
import { caseOverview, listSenders, locationMessages, messagesById, senderTimeline } from '../store/query.js';
import { clusterCase } from './cluster.js';

export interface Analysis {
  report: IngestReport | null;
  overview: CaseOverview;
  senders: SenderRow[];
  phones: PhoneSummary[];
  clusters: ClusterResult;
  identities: Map<string, Identity>;
  /** The messages cited by the evidence of the clusters and candidate links, by id. */
  messages: Map<string, Message>;
  /**
   * What only the HTML report shows, read by addReportPictures (empty until then): each cluster's
   * messages over time and the images its members sent (at most GALLERY_LIMIT), by cluster id; the
   * geotagged images and shared locations for the map; thumbnails as data: URIs, by SHA-256.
   */
  timelines: Map<string, TimelinePoint[]>;
  galleries: Map<string, ClusterImage[]>;
  places: MapPoint[];
  thumbnails: Map<string, string>;
}

/** The places of the case: images' GPS tags, then locations shared in chats (in the case's order). */
function mapPoints(handle: CaseHandle): MapPoint[] {
  const images: MapPoint[] = geotaggedImages(handle).map((i) => ({
    kind: 'image',
    lat: i.lat,
    lon: i.lon,
    label: [i.camera, i.takenAt].filter((x) => x !== null && x !== '').join(', ') || 'image',
    source: `sha256 ${i.sha256}`,
  }));
  const shared: MapPoint[] = locationMessages(handle).flatMap((m) =>
    m.location === null || !Number.isFinite(m.location.lat) || !Number.isFinite(m.location.lon)
      ? []
      : [{ kind: 'shared-location' as const, lat: m.location.lat, lon: m.location.lon, label: `${m.location.name ?? 'a location'}: ${m.sender?.key ?? '?'} → ${m.victim}, ${m.time.utc ?? m.time.local ?? 'time unknown'}`, source: `message ${m.id}` }],
  );
  return [...images, ...shared];
}

/** Images shown per cluster. */
const GALLERY_LIMIT = 24;
/** Longest side of a thumbnail, in pixels. */
const THUMBNAIL_PX = 160;

/**
 * What the HTML report shows beyond the analysis: each cluster's timeline and gallery, the places for
 * the map, and thumbnails of the images it shows (the galleries, and the images of the messages the
 * evidence cites), read from the evidence, downscaled with sharp, embedded as data: URIs so the report
 * stays one file. An image that cannot be read is named to `warn` and shown without one.
 */
export async function addReportPictures(handle: CaseHandle, analysis: Analysis, warn: (file: string, message: string) => void): Promise<void> {
  for (const c of analysis.clusters.clusters) {
    analysis.timelines.set(c.id, senderTimeline(handle, c.members));
    analysis.galleries.set(c.id, imagesSentBy(handle, c.members, GALLERY_LIMIT));
  }
  for (const point of mapPoints(handle)) analysis.places.push(point); // (not spread: a case may hold more places than a call takes arguments)
  const shas = new Set<string>();
  for (const images of analysis.galleries.values()) for (const i of images) shas.add(i.sha256);
  for (const m of analysis.messages.values())
    for (const x of m.media) if (x.sha256 !== null && (x.kind === 'photo' || x.kind === 'sticker' || x.kind === 'video' || x.kind === 'video-note')) shas.add(x.sha256);
  if (shas.size === 0) return;
  const sharp = (await import('sharp')).default;
  const { withReadablePaths } = await import('../ingest/media-stage.js');
  const { posterFrame } = await import('../media/video-frames.js');
  const durations = videoDurations(handle, [...shas]);
  await withReadablePaths(handle, readableImages(handle, [...shas].sort()), warn, async (jobs) => {
    for (const job of jobs) {
      try {
        if (job.type.kind === 'audio') continue;
        // A video shows the frame from its middle (ffmpeg; without it, no thumbnail).
        const picture = job.type.kind === 'video' ? await posterFrame(job.readPath, job.type.format, durations.get(job.image.sha256) ?? null, THUMBNAIL_PX * 2) : job.readPath;
        if (picture === null) continue;
        const jpeg = await sharp(picture, { failOn: 'none' }).rotate().resize(THUMBNAIL_PX, THUMBNAIL_PX, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 70 }).toBuffer();
        analysis.thumbnails.set(job.image.sha256, `data:image/jpeg;base64,${jpeg.toString('base64')}`);
      } catch (error) {
        warn(job.image.path, `no thumbnail: ${(error as Error).message}`);
      }
    }
  });
}

/**
 * The analysis of the case. The clustering is recorded as a run when the case can be written (a
 * report then names a recorded run); a case opened read-only is analysed all the same.
 */
export function analyze(handle: CaseHandle, report: IngestReport | null, params: ClusterParams): Analysis {
  const { result, identities } = clusterCase(handle, params, { record: !handle.readonly });
  const refs = [...result.clusters.flatMap((c) => c.links), ...result.candidates].flatMap((l) => l.evidence.flatMap((e) => e.refs));
  return {
    report,
    overview: caseOverview(handle),
    senders: listSenders(handle),
    phones: listPhones(handle),
    clusters: result,
    identities,
    messages: new Map(messagesById(handle, refs).map((m) => [m.id, m])),
    timelines: new Map(),
    galleries: new Map(),
    places: [],
    thumbnails: new Map(),
  };
}
