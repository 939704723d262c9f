// Facts about a video or an audio file, in the shape image facts have (media_facts keeps all three):
// SHA-256 and size, the container's device, times and place where an image keeps its EXIF ones
// (`exif`), and the rest in `video` / `audio`. Video frames are hashed with ffmpeg when it is
// installed. Nothing here throws for a bad file: the problem goes to `errors`.
import { safeSha256 } from './facts.js';
import { emptyExif } from './metadata.js';
import { anomaliesFor } from './anomalies.js';
import { probeAudio, probeVideo } from './container-process.js';
import { ffmpegDuration, ffmpegPath, frameHashes } from './video-frames.js';
import type { AnomalyContext, AudioFormat, ImageFacts, VideoFormat } from './types.js';

export interface VideoReadOptions extends AnomalyContext {
  /** Hash frames with ffmpeg (when installed); default true. */
  frames?: boolean;
}

/** Facts about one video file: container, frames, anomalies. */
export async function readVideoFacts(path: string, format: VideoFormat, options: VideoReadOptions = {}): Promise<ImageFacts> {
  const [file, container] = await Promise.all([safeSha256(path), probeVideo(path, format)]);
  const errors = [...(file.error ? [file.error] : []), ...container.errors];
  const video = container.video;
  if (video.durationMs === null && format === 'webm') video.durationMs = await ffmpegDuration(path, format);
  if (options.frames !== false) {
    if (ffmpegPath() === null) video.framesMissing = 'no-ffmpeg';
    else if (video.durationMs === null || video.durationMs <= 0) video.framesMissing = 'no-duration';
    else {
      const { frames, error } = await frameHashes(path, format, video.durationMs);
      video.frames = frames;
      if (error !== null) {
        video.framesMissing = 'undecodable';
        errors.push(error);
      }
    }
  }
  const firstVideo = video.tracks.find((t) => t.type === 'video');
  const exif = emptyExif();
  exif.make = container.make;
  exif.model = container.model;
  exif.software = container.software;
  // The movie header's times: UTC by definition (some cameras write their local clock there).
  if (container.createdAt !== null) {
    exif.createdAt = container.createdAt;
    exif.createdAtLocal = null;
    exif.createdAtOffset = '+00:00';
    exif.createdAtBasis = 'container-utc';
    exif.createdAtRaw = container.createdAt;
  }
  if (container.modifiedAt !== null) {
    exif.modifiedAt = container.modifiedAt;
    exif.modifiedAtOffset = '+00:00';
    exif.modifiedAtBasis = 'container-utc';
    exif.modifiedAtRaw = container.modifiedAt;
  }
  // A recording date written with its offset (Apple's creationdate, ©day) is the capture time.
  if (container.recorded !== null) {
    exif.takenAt = container.recorded.at;
    exif.takenAtLocal = container.recorded.local;
    exif.takenAtOffset = container.recorded.offset;
    exif.takenAtBasis = container.recorded.at === null ? null : 'date-string';
    exif.takenAtRaw = container.recorded.raw;
  }
  exif.gps = container.gps;
  const facts: ImageFacts = {
    sha256: file.sha256,
    size: file.size,
    format,
    video,
    width: firstVideo?.width ?? null,
    height: firstVideo?.height ?? null,
    orientation: null,
    exif,
    hashes: video.frames !== null ? { vframes: video.frames.join('') } : {},
    thumbnail: null,
    anomalies: [],
    // The container's metadata was read whole (not WebM, whose container is not parsed).
    metadataComplete: format !== 'webm' && container.errors.length === 0,
    errors,
  };
  facts.anomalies = anomaliesFor(facts, options);
  return facts;
}

/** Facts about one audio file: codec and duration from its own headers (music-metadata, in the container process). */
export async function readAudioFacts(path: string, format: AudioFormat): Promise<ImageFacts> {
  const file = await safeSha256(path);
  const errors = file.error ? [file.error] : [];
  const { audio, errors: said } = await probeAudio(path, format);
  errors.push(...said);
  return {
    sha256: file.sha256,
    size: file.size,
    format,
    audio,
    width: null,
    height: null,
    orientation: null,
    exif: emptyExif(),
    hashes: {},
    thumbnail: null,
    anomalies: [],
    metadataComplete: false,
    errors,
  };
}
