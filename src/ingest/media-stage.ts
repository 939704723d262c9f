// The media stage of ingest: facts (metadata, perceptual hashes) for every image the case holds
// that has none yet, computed once per distinct content, then links between near-identical
// pictures, then the anomalies of every image judged against the messages that carry it now.
// Images inside a .zip export are copied, one archive at a time, into a private temporary folder
// (the archive itself is never changed) and the copies are removed afterwards. The folder is inside
// the case folder when there is one (see store/temp.ts: what a killed process leaves there is
// removed at the next open of the case), so copies of evidence never pile up in /tmp.
import { open, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readManyImageFacts, type ImageFacts } from '../media/index.js';
import { readAudioFacts, readVideoFacts } from '../media/av-facts.js';
import { ffmpegPath } from '../media/video-frames.js';
import { mediaType, type SniffedMedia } from '../media/sniff.js';
import { readHead } from './input.js';
import { ZipArchive, DEFAULT_ZIP_LIMITS } from '../readers/kit/zip-archive.js';
import { imagesNeedingFacts, refreshMediaAnomalies, saveMediaFacts, type PendingImage } from '../store/media.js';
import type { CaseHandle } from '../store/case.js';
import { makeTempFolder, type TempFolder } from '../store/temp.js';
import type { Warning } from '../model.js';

export interface MediaStageResult {
  /** Files whose facts were read: pictures, videos and audio. */
  images: number;
  links: number;
}

/** Said once per run when videos were read without ffmpeg. */
export function ffmpegMissing(videos: number): string {
  return (
    `${videos === 1 ? 'this video was' : `this and ${videos - 1} more videos were`} read without frames: ffmpeg is not installed, so ` +
    're-encoded copies of one video are not linked (similar-video); install it (Debian: apt-get install ffmpeg) or set ' +
    'THREATLENS_FFMPEG to its path, and the next ingest or `media` run hashes them'
  );
}

export interface MediaStageOptions {
  onProgress?: (done: number, total: number) => void;
  onWarning?: (warning: Warning) => void;
}

/** Splits `archive.zip!entry` display paths; plain paths have entry null. */
export function splitArchivePath(path: string): { file: string; entry: string | null } {
  const at = path.indexOf('!');
  return at < 0 ? { file: path, entry: null } : { file: path.slice(0, at), entry: path.slice(at + 1) };
}

/**
 * Gives `use` a readable file path for each image (the evidence itself on disk, or a private
 * temporary copy of an archive entry, in `handle`'s case folder when it has one that can be
 * written), then removes the copies. Images that cannot be read, or that are not images by their
 * bytes, are left out with a warning.
 */
export async function withReadablePaths<T>(
  handle: CaseHandle | null,
  images: PendingImage[],
  warn: (file: string, message: string) => void,
  use: (jobs: { image: PendingImage; readPath: string; type: SniffedMedia }[]) => Promise<T>,
): Promise<T> {
  const onDisk: PendingImage[] = [];
  const inArchives = new Map<string, PendingImage[]>();
  for (const image of images) {
    const { file, entry } = splitArchivePath(image.path);
    if (entry === null) onDisk.push(image);
    else inArchives.set(file, [...(inArchives.get(file) ?? []), image]);
  }
  const temp: TempFolder | null = inArchives.size > 0 ? await makeTempFolder(handle) : null;
  try {
    const jobs: { image: PendingImage; readPath: string; type: SniffedMedia }[] = [];
    for (const image of onDisk) {
      try {
        const type = mediaType(readHead(resolve(image.path), 64));
        if (type !== null) jobs.push({ image, readPath: resolve(image.path), type });
      } catch (error) {
        warn(image.path, `cannot read image: ${(error as Error).message}`);
      }
    }
    for (const [file, inside] of [...inArchives].sort(([a], [b]) => (a < b ? -1 : 1))) {
      let archive: ZipArchive;
      try {
        archive = await ZipArchive.open(resolve(file), file, DEFAULT_ZIP_LIMITS);
      } catch (error) {
        warn(file, `cannot reopen archive for its images: ${(error as Error).message}`);
        continue;
      }
      try {
        for (const image of inside) {
          const { entry } = splitArchivePath(image.path);
          // Streamed to the copy (a video can be hundreds of MB), its kind told by its first bytes.
          const copy = join(temp!.path, String(jobs.length));
          const out = await open(copy, 'w', 0o600);
          let head = Buffer.alloc(0);
          let type: SniffedMedia | null = null;
          try {
            for await (const chunk of archive.read(entry!, DEFAULT_ZIP_LIMITS.maxEntryBytes)) {
              if (head.length < 64) {
                head = Buffer.concat([head, chunk.subarray(0, 64 - head.length)]);
                if (head.length >= 64) type = mediaType(head);
                if (head.length >= 64 && type === null) break;
              }
              await out.write(chunk);
            }
            if (head.length < 64) type = mediaType(head);
          } finally {
            await out.close();
          }
          if (type === null) {
            await rm(copy, { force: true });
            continue;
          }
          jobs.push({ image, readPath: copy, type });
        }
      } catch (error) {
        warn(file, `cannot read images inside the archive: ${(error as Error).message}`);
      } finally {
        archive.close();
      }
    }
    return await use(jobs);
  } finally {
    if (temp !== null) await temp.remove();
  }
}

/**
 * Reads the images that need facts, links them, and rebuilds every image's anomalies. Cheap when
 * nothing is pending (the anomalies only), so it runs after every ingest and before `media` lists.
 */
export async function runMediaStage(handle: CaseHandle, options: MediaStageOptions = {}): Promise<MediaStageResult> {
  const pending = imagesNeedingFacts(handle, { ffmpeg: ffmpegPath() !== null });
  const read = pending.length === 0 ? { images: 0, links: 0 } : await readPending(handle, pending, options);
  refreshMediaAnomalies(handle);
  return read;
}

async function readPending(handle: CaseHandle, pending: PendingImage[], options: MediaStageOptions): Promise<MediaStageResult> {
  const warn = (file: string, message: string): void => options.onWarning?.({ file, code: 'media-unreadable', message });
  return withReadablePaths(handle, pending, warn, async (jobs) => {
    // No message context here: anomalies are judged against messages by refreshMediaAnomalies.
    const facts: ImageFacts[] = new Array(jobs.length);
    const pictures = jobs.flatMap((j, i) => (j.type.kind === 'image' ? [i] : []));
    // Videos and audio files: each with how it is read.
    const others = jobs.flatMap(({ readPath, type }, i) =>
      type.kind === 'video' ? [{ i, read: () => readVideoFacts(readPath, type.format) }] : type.kind === 'audio' ? [{ i, read: () => readAudioFacts(readPath, type.format) }] : [],
    );
    let done = 0;
    const progress = (): void => options.onProgress?.(++done, jobs.length);
    const read = await readManyImageFacts(
      pictures.map((i) => jobs[i]!.readPath),
      options.onProgress ? { onProgress: progress } : {},
    );
    pictures.forEach((i, k) => (facts[i] = read[k]!));
    // Two at a time (a video runs ffmpeg, which decodes on threads of its own).
    let next = 0;
    await Promise.all(
      [0, 1].map(async () => {
        while (next < others.length) {
          const { i, read: readOne } = others[next++]!;
          facts[i] = await readOne();
          progress();
        }
      }),
    );
    const unhashed = others.map(({ i }) => i).filter((i) => facts[i]!.video?.framesMissing === 'no-ffmpeg');
    if (unhashed.length > 0)
      options.onWarning?.({ file: jobs[unhashed[0]!]!.image.path, code: 'ffmpeg-missing', message: ffmpegMissing(unhashed.length) });
    const good: ImageFacts[] = [];
    facts.forEach((f, i) => {
      const job = jobs[i]!;
      // What the decoder printed about this file (never to stdout): a warning naming the file.
      for (const said of f.decoderMessages ?? []) options.onWarning?.({ file: job.image.path, code: 'image-decoder', message: `image decoder: ${said}` });
      if (f.sha256 === job.image.sha256) good.push(f);
      else {
        warn(
          job.image.path,
          `the file changed since it was ingested (SHA-256 ${f.sha256 || 'unreadable'}, expected ${job.image.sha256}); its facts were not recorded`,
        );
      }
    });
    const links = saveMediaFacts(handle, good);
    return { images: good.length, links };
  });
}
