// The media use case: the image facts of a case, completed first where the case can be written
// (an interrupted media stage, facts an older threatlens wrote), and exiftool's deep facts on request.
import { applyDeep, deepFacts } from '../media/index.js';
import type { MediaItem } from '../media/types.js';
import { imagesNeedingFacts, listMedia } from '../store/media.js';
import { runMediaStage, withReadablePaths } from '../ingest/media-stage.js';
import type { CaseHandle } from '../store/case.js';
import { isScoped, locationMessages, messageIdsIn, type MessageFilter } from '../store/query.js';
import type { Message } from '../model.js';

export interface MediaOptions {
  /** Also run exiftool (when installed), see addDeepFacts. */
  deep: boolean;
  /** True when the case was just ingested: its media stage has run. */
  ingested: boolean;
  /** A note for the investigator (a file that could not be read, a read-only case). */
  onNote: (message: string) => void;
}

/** The media of a case, and the places its chats share (for maps). */
export interface MediaView {
  items: MediaItem[];
  /** Messages sharing a location (Telegram location and venue messages…). */
  places: Message[];
}

/**
 * The media of the case with the places its chats share; with a message filter, only what the
 * messages it keeps carried (each image with those sightings alone).
 */
export async function caseMediaView(handle: CaseHandle, options: MediaOptions & { filter?: MessageFilter }): Promise<MediaView> {
  const items = await caseMedia(handle, options);
  const places = locationMessages(handle);
  if (options.filter === undefined || !isScoped(options.filter)) return { items, places };
  const kept = messageIdsIn(handle, options.filter);
  return {
    items: items.flatMap((item) => {
      const sightings = item.sightings.filter((s) => kept.has(s.messageId));
      return sightings.length > 0 ? [{ ...item, sightings }] : [];
    }),
    places: places.filter((m) => kept.has(m.id)),
  };
}

/** The media items of the case, with their facts and anomalies. */
export async function caseMedia(handle: CaseHandle, options: MediaOptions): Promise<MediaItem[]> {
  const note = options.onNote;
  if (options.ingested) {
    // The ingest just ran the media stage.
  } else if (handle.readonly) {
    // Nothing is written into a read-only case: its images are listed as the last ingest left them.
    const pending = imagesNeedingFacts(handle).length;
    if (pending > 0) note(`the case is read-only: ${pending} ${pending === 1 ? 'image has' : 'images have'} no facts yet (they are read when the case is opened where it can be written)`);
  } else {
    // A case whose media stage was interrupted, or whose facts an older threatlens wrote: read
    // what is missing now, and judge anomalies against the messages the case holds.
    await runMediaStage(handle, { onWarning: (w) => note(`${w.file}: ${w.message}`) });
  }
  const items = listMedia(handle);
  if (options.deep) await addDeepFacts(handle, items, note);
  return items;
}

/** Adds exiftool's reading to each item (encoder fingerprint, maker-note serials, make/model it alone found). */
export async function addDeepFacts(handle: CaseHandle, items: MediaItem[], note: (message: string) => void): Promise<void> {
  const images = items.map((m) => ({ sha256: m.sha256, path: m.paths[0] ?? m.sightings.find((s) => s.path)?.path ?? '' })).filter((i) => i.path !== '');
  await withReadablePaths(handle, images, (file, message) => note(`${file}: ${message}`), async (jobs) => {
    const tags = await deepFacts(jobs.map((j) => j.readPath), { onWarning: note });
    const bySha = new Map(items.map((m) => [m.sha256, m]));
    for (const job of jobs) {
      const found = tags.get(job.readPath);
      const item = bySha.get(job.image.sha256);
      if (found && item) applyDeep(item.facts, found);
    }
  });
}
