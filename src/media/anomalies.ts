// Anomalies: facts about an image that an investigator should look at, each with a stable code and a
// one-line explanation. They are signals, not verdicts: every message says what was compared.

import { timeMs } from './exif-time.js';
import { PHASH_MATCH_THRESHOLD } from './phash.js';
import type { Anomaly, AnomalyContext, ImageFacts, VideoFacts } from './types.js';

/** ModifyDate may trail DateTimeOriginal by this much before it counts as a later save. */
export const MODIFY_TOLERANCE_MS = 60_000;
/** An EXIF capture time further than this from the message that carried the image is flagged. */
export const MESSAGE_GAP_MS = 7 * 24 * 3_600_000;

// Editors and filter apps whose name in Software, CreatorTool or History shows a re-save after capture.
const EDITORS =
  /photoshop|lightroom|gimp|snapseed|picsart|facetune|pixelmator|affinity|paint\.net|canva|fotor|photoscape|luminar|capture one|darktable|rawtherapee|acdsee|paintshop|corel|meitu|vsco|airbrush|remini|photopea|krita|photoshop express|polarr|prisma|pixlr|befunky|inshot|picmonkey|photodirector|faceapp/i;

// Formats whose cameras always write EXIF: its absence there means stripping. PNG screenshots never
// had any, and WebP EXIF is not read here, so neither is flagged.
const FORMATS_WITH_EXIF = new Set(['jpeg', 'heic', 'avif', 'tiff']);

/** `3 d 13 h`, `2 h 5 min`, `45 s`. */
export function formatDuration(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 120) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 120) return `${min} min`;
  const h = Math.round(s / 3600);
  if (h < 48) return `${h} h`;
  const d = Math.floor(s / 86_400);
  const rest = Math.round((s - d * 86_400) / 3600);
  return rest > 0 && d < 30 ? `${d} d ${rest} h` : `${d} d`;
}

type AnomalyInput = Pick<ImageFacts, 'format' | 'exif' | 'thumbnail' | 'metadataComplete' | 'video'>;

/**
 * The anomalies of one image. `context` is the message that carried it: its time (ISO UTC) and
 * whether it came through a messenger; a bare string is taken as the message time.
 */
export function anomaliesFor(facts: AnomalyInput, context: AnomalyContext | string | null = {}): Anomaly[] {
  const ctx: AnomalyContext = typeof context === 'string' ? { messageTime: context } : (context ?? {});
  const { exif, thumbnail } = facts;
  const out: Anomaly[] = [];
  if (facts.format === null) return out;
  if (facts.video !== undefined) return videoAnomalies(facts.video, exif, facts.metadataComplete, ctx);

  if (thumbnail && thumbnail.distance > PHASH_MATCH_THRESHOLD) {
    if (thumbnail.rotatedDistance <= PHASH_MATCH_THRESHOLD)
      out.push({
        code: 'thumbnail-rotated',
        message: `embedded thumbnail matches the image only once turned ${thumbnail.rotation}° clockwise (distance ${thumbnail.rotatedDistance}, unturned ${thumbnail.distance}): the image was rotated after capture without updating the thumbnail`,
      });
    else
      out.push({
        code: 'thumbnail-mismatch',
        message: `embedded thumbnail shows a different picture (pHash distance ${thumbnail.distance}, ${thumbnail.rotatedDistance} at best when turned; match is ≤ ${PHASH_MATCH_THRESHOLD}): the image was cropped, edited or replaced after the thumbnail was made`,
      });
  }

  const tools: string[] = [];
  const where: string[] = [];
  for (const [label, value] of [
    ['Software', exif.software],
    ['CreatorTool', exif.creatorTool],
  ] as const) {
    if (value && EDITORS.test(value)) {
      if (!tools.includes(value)) tools.push(value);
      where.push(label);
    }
  }
  const fromHistory = exif.history.filter((line) => EDITORS.test(line));
  if (fromHistory.length > 0) {
    where.push(`History (${fromHistory.length} event${fromHistory.length > 1 ? 's' : ''})`);
    if (tools.length === 0) tools.push(EDITORS.exec(fromHistory[0]!)![0]);
  }
  if (tools.length > 0) out.push({ code: 'editing-software', message: `edited with ${tools.join(', ')} (in ${where.join(', ')})` });

  const modified = modifiedAfterTaken(exif);
  if (modified) out.push(modified);

  const taken = timeMs({ at: exif.takenAt, local: exif.takenAtLocal });
  const sent = ctx.messageTime ? Date.parse(ctx.messageTime) : NaN;
  if (taken && !Number.isNaN(sent) && Math.abs(sent - taken.ms) > MESSAGE_GAP_MS) {
    const basis = taken.exact
      ? `capture time ${exif.takenAt} (DateTimeOriginal at ${exif.takenAtOffset}, offset from ${exif.takenAtBasis})`
      : `capture wall clock ${exif.takenAtLocal} (no offset known; read as UTC, so ±14 h)`;
    const when = taken.ms < sent ? 'before' : 'after';
    out.push({
      code: 'exif-time-far-from-message',
      message: `${basis} is ${formatDuration(sent - taken.ms)} ${when} the message (${ctx.messageTime})${when === 'after' ? ': the camera clock is wrong or the metadata was written later' : ': an old photo, or a wrong camera clock'}`,
    });
  }

  if (ctx.messenger && exif.gps)
    out.push({
      code: 'gps-in-messenger-image',
      message: `GPS position ${exif.gps.lat}, ${exif.gps.lon} survived delivery through a messenger, which strips it from photos: probably sent as a file, straight from the device`,
    });

  // Only when every metadata segment was read: an unread header proves nothing (the errors say why).
  if (!exif.hasExif && facts.metadataComplete && FORMATS_WITH_EXIF.has(facts.format))
    out.push({
      code: 'metadata-stripped',
      message: exif.jfifOnly
        ? 'no EXIF, only a JFIF header: typical of a messenger or web re-encode, so camera, time and place are gone'
        : 'no EXIF metadata: stripped or never written, so camera, time and place are unknown',
    });
  return out;
}

function modifiedAfterTaken(exif: ImageFacts['exif']): Anomaly | null {
  // With both instants known compare them; otherwise compare the camera's own wall clocks.
  const both = exif.takenAt !== null && exif.modifiedAt !== null;
  const ms = (at: string | null, local: string | null): number | null => timeMs(both ? { at, local: null } : { at: null, local })?.ms ?? null;
  const taken = ms(exif.takenAt, exif.takenAtLocal);
  const modified = ms(exif.modifiedAt, exif.modifiedAtLocal);
  if (taken === null || modified === null) return null;
  const gap = modified - taken;
  if (Math.abs(gap) <= MODIFY_TOLERANCE_MS) return null;
  return {
    code: 'modify-date-differs',
    message: `ModifyDate ${exif.modifiedAtRaw}${exif.modifiedAtOffset ?? ''} is ${formatDuration(gap)} ${gap > 0 ? 'after' : 'before'} DateTimeOriginal ${exif.takenAtRaw}${exif.takenAtOffset ?? ''}${both ? '' : ' (wall clocks compared)'}: the file was saved again after capture`,
  };
}

/**
 * Muxers whose signature, in a video without the camera's own tags, shows a re-encode on its way
 * (platform facts as data). A phone's camera app may use the same muxer, but it writes the device,
 * the creation time and often the place; a messenger's or editor's re-encode drops them.
 */
const REENCODERS: readonly { test: (v: VideoFacts) => boolean; says: string }[] = [
  {
    test: (v) => v.tracks.some((t) => t.handlerName === 'VideoHandle' || t.handlerName === 'SoundHandle'),
    says: "Android's MediaMuxer (handler names VideoHandle/SoundHandle), as apps that re-encode on the phone write it (WhatsApp for Android among them)",
  },
  {
    test: (v) => v.tracks.some((t) => t.handlerName === 'Core Media Video'),
    says: "Apple's AVFoundation export (handler Core Media Video) without the camera's QuickTime keys, as iOS apps that re-encode write it",
  },
  {
    test: (v) => /^Lavf\d/.test(v.encoder ?? '') || v.tracks.some((t) => t.handlerName === 'VideoHandler'),
    says: "ffmpeg's muxer (encoder Lavf…, handler VideoHandler), as servers, desktop tools and web re-uploads write it",
  },
];

/** The anomalies of a video: facts of its container, and against the message that carried it. */
function videoAnomalies(video: VideoFacts, exif: ImageFacts['exif'], complete: boolean, ctx: AnomalyContext): Anomaly[] {
  const out: Anomaly[] = [];
  const device = exif.make !== null || exif.model !== null || exif.takenAtRaw !== null;
  const reencoder = device ? undefined : REENCODERS.find((r) => r.test(video));
  if (reencoder !== undefined)
    out.push({ code: 'messenger-reencode', message: `no camera tags, and muxed by ${reencoder.says}: a re-encoded copy, not the original recording` });

  // The recording date with its offset when there is one, else the movie header's (UTC by definition).
  const recorded = exif.takenAt ?? exif.createdAt;
  const sent = ctx.messageTime ? Date.parse(ctx.messageTime) : NaN;
  if (recorded !== null && !Number.isNaN(sent) && Math.abs(sent - Date.parse(recorded)) > MESSAGE_GAP_MS) {
    const gap = sent - Date.parse(recorded);
    const basis =
      exif.takenAt !== null
        ? `recording date ${exif.takenAtRaw} (${recorded})`
        : `movie header creation time ${recorded} (UTC by the format; some cameras write their local clock there, so ±14 h)`;
    out.push({
      code: 'creation-time-far-from-message',
      message: `${basis} is ${formatDuration(gap)} ${gap > 0 ? 'before' : 'after'} the message (${ctx.messageTime})${gap > 0 ? ': an old recording, or a wrong clock' : ': the clock is wrong or the file was written later'}`,
    });
  }

  if (ctx.messenger && exif.gps)
    out.push({
      code: 'gps-in-messenger-video',
      message: `GPS position ${exif.gps.lat}, ${exif.gps.lon} survived delivery through a messenger, which drops it when it re-encodes: probably sent as a file, straight from the device`,
    });

  if (complete && !device && exif.gps === null && exif.createdAt === null)
    out.push({ code: 'metadata-stripped', message: 'no device, recording time or place in the container: stripped or never written' });
  return out;
}
