// What the media stage says about one image file. Plain data: the case store keeps it, the `media`
// command prints it, attribution compares it. Raw EXIF strings are kept beside normalized values.

import type { AudioFormat, ImageType, VideoFormat } from './sniff.js';
import type { TimeBasis } from './exif-time.js';
import type { ImageHashes } from './phash.js';

export type ImageFormat = ImageType;
export type { AudioFormat, VideoFormat };
export { VIDEO_FORMATS } from './sniff.js';
export type MediaFormat = ImageFormat | VideoFormat | AudioFormat;

/** One track of a video container. */
export interface TrackFacts {
  type: 'video' | 'audio' | 'other';
  /** RFC 6381 codec string (`avc1.64001f`, `mp4a.40.2`, `hvc1.1.6.L93.B0`). */
  codec: string | null;
  /** The handler type (`vide`, `soun`, `meta`). */
  handler: string | null;
  /** The handler's name as the muxer wrote it (`VideoHandler` from ffmpeg, `VideoHandle` from Android's MediaMuxer, `Core Media Video` from Apple). */
  handlerName: string | null;
  /** Track header times, UTC by the format's definition (`…Z`); null when zero. */
  createdAt: string | null;
  modifiedAt: string | null;
  width: number | null;
  height: number | null;
}

/** What a video's container and frames say, beside the facts it shares with images. */
export interface VideoFacts {
  durationMs: number | null;
  /** The turn the video track's display matrix applies when played. */
  rotation: 0 | 90 | 180 | 270;
  videoCodec: string | null;
  audioCodec: string | null;
  /** ftyp major and compatible brands (`isom`, `mp42`, `qt`, `3gp4`). */
  brands: string[];
  tracks: TrackFacts[];
  /** The encoder or muxer tag (`©too`, mdta `encoder`: `Lavf58.76.100`). */
  encoder: string | null;
  /**
   * Perceptual hashes of frames at FRAME_FRACTIONS of the duration (phash64 each), as ffmpeg decoded
   * them; null when ffmpeg is not installed or could not decode the video.
   */
  frames: string[] | null;
  /** Why frames is null: ffmpeg was not installed (read again once it is), or the video could not be decoded. */
  framesMissing: 'no-ffmpeg' | 'undecodable' | 'no-duration' | null;
}

/** An audio file's facts (voice messages): codec and duration, read from the file's own headers. */
export interface AudioFacts {
  durationMs: number | null;
  /** `Opus`, `MPEG-4/AAC`, `AMR`, `MPEG 1 Layer 3`… as music-metadata names it. */
  codec: string | null;
  container: string | null;
  sampleRate: number | null;
  channels: number | null;
}

export interface GpsFacts {
  /** Decimal degrees, signed from GPSLatitudeRef/GPSLongitudeRef (south and west negative). */
  lat: number;
  lon: number;
  /** Metres, negative below sea level (GPSAltitudeRef 1). */
  altitude: number | null;
  /** GPSDateStamp + GPSTimeStamp, a UTC instant (`2023-03-14T06:26:50Z`); null when either is missing. */
  time: string | null;
}

export interface ExifFacts {
  make: string | null;
  model: string | null;
  /** Body serial: EXIF BodySerialNumber (0xA431), DNG CameraSerialNumber or XMP aux:SerialNumber; with --deep also maker-note serials. */
  serial: string | null;
  lensSerial: string | null;
  lensModel: string | null;
  software: string | null;
  /** XMP xmp:CreatorTool. */
  creatorTool: string | null;
  /** XMP xmpMM:History, one line per event: `saved by Adobe Photoshop 24.1 (Windows) at 2023-03-17T22:41:07+03:00`. */
  history: string[];
  /**
   * DateTimeOriginal as a UTC instant (`2023-03-14T06:26:53Z`), only when its offset is known (see
   * takenAtBasis); null otherwise. The machine's zone is never assumed.
   */
  takenAt: string | null;
  /** DateTimeOriginal as the camera's wall clock `YYYY-MM-DDTHH:mm:ss` (no zone); null when absent or unreadable. */
  takenAtLocal: string | null;
  /** The offset that makes takenAt (`+03:00`), null when unknown. */
  takenAtOffset: string | null;
  /** Where that offset came from (offset-tag, date-string, xmp-date, gps-time); null when unknown. */
  takenAtBasis: TimeBasis | null;
  /** DateTimeOriginal exactly as written (`2023:03:14 09:26:53`). */
  takenAtRaw: string | null;
  /** CreateDate (DateTimeDigitized) with OffsetTimeDigitized, same convention (basis may be capture-time). */
  createdAt: string | null;
  createdAtLocal: string | null;
  createdAtOffset: string | null;
  createdAtBasis: TimeBasis | null;
  createdAtRaw: string | null;
  /** ModifyDate (IFD0 DateTime) with OffsetTime (which belongs to ModifyDate), same convention. */
  modifiedAt: string | null;
  modifiedAtLocal: string | null;
  modifiedAtOffset: string | null;
  modifiedAtBasis: TimeBasis | null;
  modifiedAtRaw: string | null;
  gps: GpsFacts | null;
  imageUniqueId: string | null;
  /** XMP xmpMM:DocumentID. */
  documentId: string | null;
  /** XMP xmpMM:OriginalDocumentID: Photoshop copies the camera's ImageUniqueID here, which links an edit to its original. */
  originalDocumentId: string | null;
  /** ICC ProfileDescription. */
  iccDescription: string | null;
  /** The JPEG COM segment's text (gd-jpeg and some apps sign their re-encodes here). */
  comment: string | null;
  /** An EXIF (TIFF) block was found. */
  hasExif: boolean;
  /** A JPEG with a JFIF APP0 and neither EXIF nor XMP: typical of messenger and web re-encodes. */
  jfifOnly: boolean;
}

export interface ThumbnailFacts {
  /** 64-bit pHash (phash64) of the embedded IFD1 thumbnail, turned by the main image's Orientation like the main image. */
  phash: string;
  /** Hamming distance to the main image's pHash. */
  distance: number;
  /** The smallest distance over the thumbnail turned 90°, 180° and 270° clockwise. */
  rotatedDistance: number;
  /** The turn (90, 180 or 270) that gave rotatedDistance. */
  rotation: number;
}

export interface Anomaly {
  /**
   * Stable code (ANOMALY_CODES). Images: thumbnail-mismatch, thumbnail-rotated, editing-software,
   * modify-date-differs, exif-time-far-from-message, gps-in-messenger-image, metadata-stripped.
   * Videos: messenger-reencode, creation-time-far-from-message, gps-in-messenger-video, metadata-stripped.
   */
  code: string;
  /** One line for the investigator. */
  message: string;
}

/** Every anomaly code, in the order anomaliesFor reports them. */
export const ANOMALY_CODES: readonly string[] = [
  'thumbnail-rotated',
  'thumbnail-mismatch',
  'editing-software',
  'modify-date-differs',
  'exif-time-far-from-message',
  'gps-in-messenger-image',
  'messenger-reencode',
  'creation-time-far-from-message',
  'gps-in-messenger-video',
  'metadata-stripped',
];

/** Codes that depend on the message carrying the image (AnomalyContext); the others are facts of the file alone. */
export const CONTEXT_ANOMALIES: readonly string[] = ['exif-time-far-from-message', 'gps-in-messenger-image', 'creation-time-far-from-message', 'gps-in-messenger-video'];

export interface ImageFacts {
  /** SHA-256 of the whole file, lowercase hex; '' when the file could not be read at all. */
  sha256: string;
  size: number;
  /** By magic bytes, never by file name; null when the content is not a picture, video or audio file we know. */
  format: MediaFormat | null;
  /** A video's container facts and frame hashes (its make, model, times and place are in `exif`, as an image's). */
  video?: VideoFacts;
  /** An audio file's codec and duration. */
  audio?: AudioFacts;
  /** Pixel size as stored (before EXIF Orientation), from the file header; HEIC: as libheif decodes it (irot applied). */
  width: number | null;
  height: number | null;
  /** EXIF Orientation 1–8. */
  orientation: number | null;
  exif: ExifFacts;
  /**
   * Perceptual hashes of the auto-oriented image by kind (HASH_KINDS in phash.ts): `phash64`, the
   * 64-bit DCT pHash as 16 hex chars. Empty when the pixels could not be decoded. PDQ would be one
   * more key.
   */
  hashes: ImageHashes;
  thumbnail: ThumbnailFacts | null;
  anomalies: Anomaly[];
  /**
   * Every place the format keeps metadata was read (see ImageHeader.complete). When false, a fact
   * that is missing may only be unread: no metadata-stripped anomaly is raised.
   */
  metadataComplete: boolean;
  /** Problems with this file (corrupt image, unreadable EXIF). Reading never throws for a bad image. */
  errors: string[];
  /** exiftool's reading, when --deep was asked and exiftool is installed. */
  deep?: DeepFacts;
  /**
   * What a decoding library printed while reading this file (libheif), one line each: the media
   * stage reports them as warnings naming the file. Not stored with the facts.
   */
  decoderMessages?: string[];
}

/** Perceptual hashes by kind (declared beside HashKind in phash.ts, which needs nothing from here). */
export type { ImageHashes };

export interface DeepFacts {
  /**
   * exiftool's JPEGDigest, printed: which encoder's quantisation tables the JPEG carries and at what
   * quality (`Independent JPEG Group library (used by many applications), Quality 88`,
   * `Adobe Photoshop, Quality 7`, `Unknown (522a41e2…:221111)`); null for other formats.
   */
  encoder: string | null;
  /** exiftool's JPEGQualityEstimate (1–100). */
  quality: number | null;
  /** Facts threatlens filled from exiftool because its own reading had none (`make`, `model`, `serial`, `lensSerial`). */
  filled: string[];
  /** Every tag exiftool read, `Group:Tag` → value (numeric values, `-n` style). */
  tags: Record<string, string>;
}

export interface AnomalyContext {
  /** When the message carrying the image was sent (ISO 8601 UTC). */
  messageTime?: string | null;
  /** true when the image was delivered through a chat (GPS surviving that is an anomaly). */
  messenger?: boolean;
}

export type ReadImageOptions = AnomalyContext;

export interface ReadManyOptions extends AnomalyContext {
  /** Worker threads for pHash; default os.availableParallelism(). */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
  /** Also run exiftool (one batched process) and attach its extra tags as `deep`. */
  deep?: boolean;
  /** Run-level notes (for example "exiftool not installed"); the CLI prints them to stderr. */
  onWarning?: (message: string) => void;
  /** Per-path message times, when they differ from file to file (same order as paths). */
  messageTimes?: (string | null)[];
}

// An image as a case lists it: its stored facts, where it was seen and what it resembles (filled by
// store/media.ts, rendered by output/).

/** What media_facts.facts holds: ImageFacts without anomalies (media_anomalies has them); `deep` is never stored, only attached by `media --deep`. */
export type StoredImageFacts = Omit<ImageFacts, 'anomalies' | 'decoderMessages'>;

export interface MediaSighting {
  messageId: string;
  victim: string;
  sender: string | null;
  sentAt: string | null;
  forwarded: boolean;
  path: string | null;
}

export interface MediaAnomaly {
  code: string;
  message: string;
  /** The message this anomaly was judged against (exif-time-far-from-message, gps-in-messenger-image); null for facts of the file alone. */
  contextMessage: string | null;
}

export interface MediaItem {
  sha256: string;
  paths: string[];
  facts: StoredImageFacts;
  anomalies: MediaAnomaly[];
  sightings: MediaSighting[];
  /** Other pictures within a hash kind's threshold: their SHA-256, the kind and the distance. */
  similar: { sha256: string; kind: string; distance: number }[];
}
