import { Command } from 'commander';
import { imagesNeedingFacts, listMedia, type MediaItem } from '../../store/media.js';
import { mediaGeoJson, mediaListing } from '../../output/media.js';
import { applyDeep, deepFacts } from '../../media/index.js';
import { runMediaStage, withReadablePaths } from '../../ingest/media-stage.js';
import type { CaseHandle } from '../../store/case.js';
import {
  addCaseOption,
  addIngestOptions,
  addOutputOptions,
  caseForAnalysis,
  ingestExitCode,
  renderListing,
  reportIngestDiagnostics,
  writeData,
  diagnose,
  type IngestCliOptions,
  type Io,
  type OutputOptions,
} from '../context.js';

/** Adds exiftool's reading to each item (encoder fingerprint, maker-note serials, make/model it alone found). */
async function addDeepFacts(handle: CaseHandle, items: MediaItem[], io: Io): Promise<void> {
  const note = (message: string): void => diagnose(io, `threatlens: ${message}`);
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

export function mediaCommand(io: Io, setExit: (code: number) => void): Command {
  const cmd = new Command('media')
    .summary('image facts: hashes, camera, serials, times, GPS, anomalies')
    .description(
      'Image facts for the images given (or found in the exports given), or for all media of the case: SHA-256,\n' +
        '64-bit perceptual hash, camera make/model/serials, software, original times, GPS, and anomalies, each with a\n' +
        'one-line explanation (thumbnail-mismatch, thumbnail-rotated, editing-software, modify-date-differs,\n' +
        'exif-time-far-from-message, gps-in-messenger-image, metadata-stripped). Near-identical pictures (perceptual\n' +
        'hash distance <= 10) are listed under "similar".',
    )
    .argument('[path...]', 'images, exports or folders (instead of the case)')
    .option('--deep', 'also run exiftool (when installed): JPEG encoder fingerprint (deep.encoder), maker-note serials, make/model where threatlens found none (WebP)');
  addCaseOption(cmd);
  addIngestOptions(cmd);
  addOutputOptions(cmd, ['table', 'csv', 'json', 'jsonl', 'geojson']);
  cmd.addHelpText(
    'after',
    `
Examples:
  $ threatlens media photos/ received.jpg
  $ threatlens media --case ./case --format geojson -o places.geojson
  $ threatlens media --case ./case --deep --format jsonl | jq 'select(.anomalies | length > 0)'`,
  );
  cmd.action(async (paths: string[], options: IngestCliOptions & OutputOptions & { deep?: boolean }) => {
    const { handle, report } = await caseForAnalysis(paths, options, io);
    try {
      const note = (message: string): void => diagnose(io, `threatlens: ${message}`);
      if (report) reportIngestDiagnostics(report, io);
      else if (handle.readonly) {
        // Nothing is written into a read-only case: its images are listed as the last ingest left them.
        const pending = imagesNeedingFacts(handle).length;
        if (pending > 0) note(`the case is read-only: ${pending} ${pending === 1 ? 'image has' : 'images have'} no facts yet (they are read when the case is opened where it can be written)`);
      } else {
        // A case whose media stage was interrupted, or whose facts an older threatlens wrote: read
        // what is missing now, and judge anomalies against the messages the case holds.
        await runMediaStage(handle, { onWarning: (w) => note(`${w.file}: ${w.message}`) });
      }
      const items = listMedia(handle);
      if (options.deep) await addDeepFacts(handle, items, io);
      const chunks = options.format === 'geojson' ? [mediaGeoJson(items)] : renderListing(mediaListing(items), io, options);
      await writeData(io, options, chunks);
      setExit(ingestExitCode(report));
    } finally {
      handle.close();
    }
  });
  return cmd;
}
