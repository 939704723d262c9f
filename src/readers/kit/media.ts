// What every media resolver of the kit shares: an attachment as an export names it, the reference
// recorded when its file is not there, names compared in NFC, and the memo that lets a resolver
// answer synchronously once a name has been looked up. The resolvers themselves differ in where
// they look: beside a chat text in its folder (folder-media.ts), inside an archive
// (archive-media.ts), or below an export folder by relative paths (tree-media.ts).
import type { MediaKind, MediaRef } from '../../model.js';

/** An attachment as the text names it; whether the file exists is decided by the reader. */
export interface MediaMention {
  name: string;
  kind: MediaKind;
  mime: string | null;
  /** true for placeholders (`<Media omitted>`, `image omitted`): the export left the file out. */
  omitted: boolean;
}

/** A bare file name that can be looked up next to the export (no directories, no `..`). */
export function isPlainFileName(name: string): boolean {
  return name.length > 0 && name !== '.' && name !== '..' && !/[/\\\0]/.test(name);
}

/** NFC form of a name; ASCII text is its own NFC form (and most names are ASCII). */
export function nfc(name: string): string {
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) >= 0x80) return name.normalize('NFC');
  return name;
}

/**
 * The reference of a mentioned file that is not there: `omitted` for placeholders, else
 * `notThere` (`not-included` beside a chat text, `not-found` in an archive).
 */
export function absentMedia(mention: MediaMention, notThere: string): MediaRef {
  return {
    kind: mention.kind,
    name: mention.name,
    path: null,
    sha256: null,
    size: null,
    missing: mention.omitted ? 'omitted' : notThere,
    mime: mention.mime,
  };
}

/**
 * Lookups by key: the lookup in progress, then what it found. `peek` answers without waiting
 * (undefined while a lookup runs, or for a key never looked up), so a reader can settle a message
 * whose media are known without an await.
 */
export class LookupMemo<V> {
  private readonly entries = new Map<string, Promise<V> | V>();

  /** The value, the lookup in progress, or a new lookup made with `lookup` (remembered once it settles). */
  get(key: string, lookup: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit !== undefined) return hit instanceof Promise ? hit : Promise.resolve(hit);
    const pending = lookup();
    this.entries.set(key, pending);
    pending.then(
      (value) => this.entries.set(key, value),
      () => undefined,
    );
    return pending;
  }

  /** The settled value; undefined while its lookup runs or if there was none. */
  peek(key: string): V | undefined {
    const hit = this.entries.get(key);
    return hit instanceof Promise ? undefined : hit;
  }

  /** Whether the key was ever looked up (settled or not). */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Records a value known without a lookup. */
  set(key: string, value: V): void {
    this.entries.set(key, value);
  }
}

const KIND_BY_EXTENSION: Readonly<Record<string, MediaKind>> = {
  jpg: 'photo', jpeg: 'photo', png: 'photo', webp: 'photo', heic: 'photo', heif: 'photo', tif: 'photo', tiff: 'photo', bmp: 'photo', apng: 'photo', svg: 'photo',
  gif: 'animation',
  mp4: 'video', mov: 'video', webm: 'video', mkv: 'video', '3gp': 'video',
  mp3: 'audio', m4a: 'audio', aac: 'audio', ogg: 'audio', opus: 'audio', wav: 'audio', flac: 'audio',
};

/** The kind of an attachment by its file name's extension, for exports that give no type ('document' otherwise). */
export function mediaKindOfName(name: string): MediaKind {
  const dot = name.lastIndexOf('.');
  return (dot < 0 ? undefined : KIND_BY_EXTENSION[name.slice(dot + 1).toLowerCase()]) ?? 'document';
}
