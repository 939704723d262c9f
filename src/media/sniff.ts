// Media sniffing by magic bytes: what media/ reads, and what ingest takes in as loose evidence.

export type ImageType = 'jpeg' | 'png' | 'heic' | 'avif' | 'webp' | 'gif' | 'tiff';
/** Video containers threatlens reads (WebM: frames only, its container is not parsed). */
export type VideoFormat = 'mp4' | 'mov' | '3gp' | 'webm';
export const VIDEO_FORMATS: ReadonlySet<string> = new Set<VideoFormat>(['mp4', 'mov', '3gp', 'webm']);
/** Audio files (voice messages: Ogg Opus on Telegram and WhatsApp, AAC in MP4, AMR, MP3, WAV). */
export type AudioFormat = 'ogg' | 'm4a' | 'mp3' | 'amr' | 'wav';

/** The image type by magic bytes, or null. */
export function imageType(head: Buffer): ImageType | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'png';
  if (head.length >= 6 && (head.toString('latin1', 0, 6) === 'GIF87a' || head.toString('latin1', 0, 6) === 'GIF89a'))
    return 'gif';
  if (head.length >= 12 && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP')
    return 'webp';
  if (head.length >= 4 && (head.toString('latin1', 0, 4) === 'II*\u0000' || head.toString('latin1', 0, 4) === 'MM\u0000*'))
    return 'tiff';
  if (head.length >= 12 && head.toString('latin1', 4, 8) === 'ftyp') {
    const brand = head.toString('latin1', 8, 12);
    if (brand === 'avif' || brand === 'avis') return 'avif';
    if (['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)) return 'heic';
  }
  return null;
}

/** ISO base media brands of audio-only files (iTunes and voice recorders). */
const AUDIO_BRANDS = new Set(['M4A ', 'M4B ', 'M4P ', 'F4A ']);

/** A video container by magic bytes (MP4, MOV, 3GP, WebM), or null. Run after imageType: HEIF and AVIF share MP4's ftyp. */
export function videoType(head: Buffer): VideoFormat | null {
  if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) {
    // EBML: WebM and Matroska both; only WebM's DocType is taken.
    return head.subarray(0, 64).includes('webm', 0, 'latin1') ? 'webm' : null;
  }
  if (head.length < 12) return null;
  const box = head.toString('latin1', 4, 8);
  if (box === 'ftyp') {
    const brand = head.toString('latin1', 8, 12);
    if (AUDIO_BRANDS.has(brand) || imageType(head) !== null) return null;
    if (brand === 'qt  ') return 'mov';
    if (brand.startsWith('3g')) return '3gp';
    return 'mp4';
  }
  // Old QuickTime files start with the movie or its data, without ftyp.
  if (box === 'moov' || box === 'mdat' || box === 'wide' || box === 'free') return 'mov';
  return null;
}

/** An audio file by magic bytes (voice messages and audio attachments), or null. */
export function audioType(head: Buffer): AudioFormat | null {
  if (head.length >= 4 && head.toString('latin1', 0, 4) === 'OggS') return 'ogg';
  if (head.length >= 6 && head.toString('latin1', 0, 6) === '#!AMR\n') return 'amr';
  if (head.length >= 12 && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WAVE') return 'wav';
  if (head.length >= 12 && head.toString('latin1', 4, 8) === 'ftyp' && AUDIO_BRANDS.has(head.toString('latin1', 8, 12))) return 'm4a';
  if (head.length >= 3 && head.toString('latin1', 0, 3) === 'ID3') return 'mp3';
  if (head.length >= 2 && head[0] === 0xff && (head[1]! & 0xe6) === 0xe2) return 'mp3'; // an MPEG audio frame sync (layer III)
  return null;
}

export type SniffedMedia =
  | { kind: 'image'; format: ImageType }
  | { kind: 'video'; format: VideoFormat }
  | { kind: 'audio'; format: AudioFormat };

/** What a file is by its first bytes: a picture, a video or an audio file threatlens reads, or null. */
export function mediaType(head: Buffer): SniffedMedia | null {
  const image = imageType(head);
  if (image !== null) return { kind: 'image', format: image };
  const video = videoType(head);
  if (video !== null) return { kind: 'video', format: video };
  const audio = audioType(head);
  return audio === null ? null : { kind: 'audio', format: audio };
}
