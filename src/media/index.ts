// The media stage's public API: facts about image evidence (hashes, camera metadata, perceptual
// hash, anomalies). See fixtures/images/README.md for what each behaviour is tested against.

export type { Anomaly, AnomalyContext, DeepFacts, ExifFacts, GpsFacts, ImageFacts, ImageFormat, ImageHashes, ReadImageOptions, ReadManyOptions, ThumbnailFacts } from './types.js';
export { ANOMALY_CODES, CONTEXT_ANOMALIES } from './types.js';
export { readFileFacts, readImageFacts, readManyImageFacts } from './facts.js';
export { readImageMetadata, type ImageMetadata } from './metadata.js';
export { readImageHeader, type ImageHeader } from './header.js';
export { anomaliesFor, formatDuration, MESSAGE_GAP_MS, MODIFY_TOLERANCE_MS } from './anomalies.js';
export { hammingDistance, HASH_KINDS, hashImage, orientGrid, PHASH_MATCH_THRESHOLD, phashFromGrid, type HashKind } from './phash.js';
export { HashPool } from './hash-pool.js';
export { applyDeep, deepFacts, deepSerials, EXIFTOOL_MISSING, exiftoolAvailable } from './exiftool.js';
export { exifTime, offsetFromGps, timeMs, type ExifTime, type TimeBasis } from './exif-time.js';
