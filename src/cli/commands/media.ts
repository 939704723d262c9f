import { Command } from 'commander';
import { caseMediaView } from '../../app/media.js';
import { formatOf, MEDIA_FORMATS } from '../../output/formats/index.js';
import { addCaseOption, addIngestOptions, addOutputOptions, analysisCase, type IngestCliOptions, type OutputOptions } from '../options.js';
import { diagnose, renderContext, writeData, type Io } from '../io.js';
import { ingestExitCode, reportIngestDiagnostics } from '../diagnostics.js';
import { addMessageFilterOptions, scopeFilter, type FilterOptions } from '../filters.js';

export function mediaCommand(io: Io, setExit: (code: number) => void): Command {
  const cmd = new Command('media')
    .summary('image, video and audio facts: hashes, camera, serials, times, GPS, anomalies')
    .description(
      'Image facts for the images given (or found in the exports given), or for all media of the case: SHA-256,\n' +
        '64-bit perceptual hash, camera make/model/serials, software, original times, GPS, and anomalies, each with a\n' +
        'one-line explanation (thumbnail-mismatch, thumbnail-rotated, editing-software, modify-date-differs,\n' +
        'exif-time-far-from-message, gps-in-messenger-image, metadata-stripped). Near-identical pictures (perceptual\n' +
        'hash distance <= 10) are listed under "similar".\n\n' +
        'Videos (MP4, MOV, 3GP; WebM frames only): length, size, rotation, codecs, handlers, encoder, device, recording\n' +
        'date, movie header times (UTC by the format: basis container-utc), place; with ffmpeg installed, pHashes of five\n' +
        'frames, so re-encoded, rescaled and trimmed copies are "similar" (kind vframes); anomalies messenger-reencode,\n' +
        'creation-time-far-from-message, gps-in-messenger-video, metadata-stripped. Voice messages and audio: codec and\n' +
        'length.',
    )
    .argument('[path...]', 'images, videos, audio files, exports or folders (instead of the case)')
    .option('--deep', 'also run exiftool (when installed): JPEG encoder fingerprint (deep.encoder), maker-note serials, make/model where threatlens found none (WebP)');
  addMessageFilterOptions(cmd);
  addCaseOption(cmd);
  addIngestOptions(cmd, false);
  addOutputOptions(cmd, MEDIA_FORMATS);
  cmd.addHelpText(
    'after',
    `
Examples:
  $ threatlens media photos/ received.jpg
  $ threatlens media VID-20230315-WA0007.mp4 IMG_4821.MP4            # one recording? see "similar"
  $ threatlens media --case ./case --format geojson -o places.geojson
  $ threatlens media --case ./case --format kml -o places.kml          # Google Earth
  $ threatlens media --case ./case --deep --format jsonl | jq 'select(.anomalies | length > 0)'`,
  );
  cmd.action(async (paths: string[], options: IngestCliOptions & OutputOptions & FilterOptions & { deep?: boolean }) => {
    const render = formatOf(MEDIA_FORMATS, options.format, 'media');
    const filter = scopeFilter(options);
    // Here --victim filters; the PATHs keep the victim labels of their folders.
    const { handle, report } = await analysisCase(paths, { ...options, victim: undefined }, io);
    try {
      if (report) reportIngestDiagnostics(report, io);
      const note = (message: string): void => diagnose(io, `threatlens: ${message}`);
      const view = await caseMediaView(handle, { deep: options.deep === true, ingested: report !== null, onNote: note, filter });
      await writeData(io, options, render(view, renderContext(io, options)));
      setExit(ingestExitCode(report));
    } finally {
      handle.close();
    }
  });
  return cmd;
}
