// What an attachment is, from the name WhatsApp gave it: Android `IMG-20240312-WA0001.jpg`
// (IMG, VID, AUD, PTT, STK, DOC prefixes), iOS `00000012-PHOTO-2024-03-12-10-00-00.jpg`, legacy
// `2015-08-04-PHOTO-00004762.jpg`, or the extension of a document's own name.
import type { MediaKind } from '../../model.js';

const ANDROID_PREFIX = new Map<string, MediaKind>([
  ['IMG', 'photo'],
  ['VID', 'video'],
  ['AUD', 'audio'],
  ['PTT', 'voice'],
  ['STK', 'sticker'],
  ['DOC', 'document'],
]);

const IOS_WORD: Record<string, MediaKind> = {
  PHOTO: 'photo',
  VIDEO: 'video',
  AUDIO: 'voice',
  STICKER: 'sticker',
  GIF: 'animation',
  DOCUMENT: 'document',
};

const BY_EXTENSION: Record<string, [MediaKind, string]> = {
  jpg: ['photo', 'image/jpeg'],
  jpeg: ['photo', 'image/jpeg'],
  png: ['photo', 'image/png'],
  heic: ['photo', 'image/heic'],
  webp: ['sticker', 'image/webp'],
  gif: ['animation', 'image/gif'],
  mp4: ['video', 'video/mp4'],
  mov: ['video', 'video/quicktime'],
  '3gp': ['video', 'video/3gpp'],
  opus: ['voice', 'audio/ogg'],
  ogg: ['voice', 'audio/ogg'],
  mp3: ['audio', 'audio/mpeg'],
  m4a: ['audio', 'audio/mp4'],
  aac: ['audio', 'audio/aac'],
  amr: ['audio', 'audio/amr'],
  wav: ['audio', 'audio/wav'],
  pdf: ['document', 'application/pdf'],
  doc: ['document', 'application/msword'],
  docx: ['document', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  xls: ['document', 'application/vnd.ms-excel'],
  xlsx: ['document', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  txt: ['document', 'text/plain'],
  zip: ['document', 'application/zip'],
  vcf: ['contact-card', 'text/vcard'],
};

const IOS_NAME = /^\d{8}-([A-Z]+)-\d{4}-\d{2}-\d{2}/;
const LEGACY_NAME = /^\d{4}-\d{2}-\d{2}-([A-Z]+)-\d+/;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Kind of an Android media name, `IMG-20240312-WA0001…` (the prefix, 8 digits, `-WA` and a
 * digit), else undefined. Read by character: it runs on every attachment of a chat.
 */
export function androidMediaKind(name: string): MediaKind | undefined {
  if (name.length < 16 || name.charCodeAt(3) !== 0x2d || name.charCodeAt(12) !== 0x2d) return undefined;
  if (name.charCodeAt(13) !== 0x57 /* W */ || name.charCodeAt(14) !== 0x41 /* A */ || !isDigit(name.charCodeAt(15))) return undefined;
  for (let i = 4; i < 12; i++) if (!isDigit(name.charCodeAt(i))) return undefined;
  return ANDROID_PREFIX.get(name.slice(0, 3));
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/** Media kind and MIME type of an attachment, from its name. */
export function describeAttachment(name: string): { kind: MediaKind; mime: string | null } {
  const byExt = BY_EXTENSION[extensionOf(name)];
  const mime = byExt?.[1] ?? null;
  const android = androidMediaKind(name);
  if (android !== undefined) return { kind: android, mime };
  const ios = IOS_NAME.exec(name) ?? LEGACY_NAME.exec(name);
  if (ios && IOS_WORD[ios[1]!]) return { kind: IOS_WORD[ios[1]!]!, mime };
  return { kind: byExt?.[0] ?? 'other', mime };
}

/** True for names WhatsApp generates for media (used when the attachment word is unknown). */
export function isGeneratedMediaName(name: string): boolean {
  return androidMediaKind(name) !== undefined || /^\d{8}-/.test(name) || LEGACY_NAME.test(name);
}
