// Attachments of a .txt export: the files WhatsApp saved next to the chat text, when the user
// exported "with media" and kept them in the same folder.
import { lstat, readdir, realpath } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { MediaRef } from '../../model.js';
import { displayFolder } from '../discover.js';
import { sha256FileInWorker } from '../../util/hash.js';
import { isPlainFileName } from './attachments.js';
import type { MediaMention } from './body.js';

/** NFC form of a name; ASCII text is its own NFC form (and most names are ASCII). */
function nfc(name: string): string {
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) >= 0x80) return name.normalize('NFC');
  return name;
}

export class FolderMedia {
  private readonly dirAbs: string;
  private readonly dirDisplay: string;
  /** File names in the folder, by their NFC form (macOS writes NFD). */
  private names: Promise<Map<string, string>> | null = null;
  /** The same, once read. */
  private namesRead: Map<string, string> | null = null;
  /** Each name looked up: the lookup in progress, then what it found. */
  private readonly cache = new Map<string, Promise<MediaRef> | MediaRef>();

  /** `absPath`/`displayPath`: the chat text file; attachments are looked up beside it. */
  constructor(absPath: string, displayPath: string) {
    this.dirAbs = dirname(absPath);
    this.dirDisplay = displayFolder(displayPath);
  }

  resolve(mention: MediaMention): Promise<MediaRef> {
    const absent = this.absent(mention);
    if (mention.omitted || !isPlainFileName(mention.name)) return Promise.resolve(absent);
    const name = mention.name;
    const hit = this.cache.get(name);
    if (hit !== undefined) return hit instanceof Promise ? hit : Promise.resolve(hit);
    const lookup = this.lookup(mention, absent);
    this.cache.set(name, lookup);
    lookup.then(
      (ref) => this.cache.set(name, ref),
      () => undefined,
    );
    return lookup;
  }

  /**
   * What resolve() would give, when that is known without reading the disk (a placeholder, a
   * name already looked up, a name the folder does not hold); undefined otherwise.
   */
  resolveNow(mention: MediaMention): MediaRef | undefined {
    if (mention.omitted) return this.absent(mention);
    const name = mention.name;
    // The cache holds plain file names only: a name found there needs no check.
    const hit = this.cache.get(name);
    if (hit !== undefined) return hit instanceof Promise ? undefined : hit;
    if (!isPlainFileName(name)) return this.absent(mention);
    if (this.namesRead === null || this.namesRead.has(nfc(name))) return undefined;
    const absent = this.absent(mention);
    this.cache.set(name, absent);
    return absent;
  }

  private absent(mention: MediaMention): MediaRef {
    return {
      kind: mention.kind,
      name: mention.name,
      path: null,
      sha256: null,
      size: null,
      missing: mention.omitted ? 'omitted' : 'not-included',
      mime: mention.mime,
    };
  }

  private async lookup(mention: MediaMention, absent: MediaRef): Promise<MediaRef> {
    this.names ??= readdir(this.dirAbs).then(
      (list) => new Map(list.map((n) => [n.normalize('NFC'), n])),
      () => new Map<string, string>(),
    ).then((names) => (this.namesRead = names));
    const actual = (await this.names).get(mention.name.normalize('NFC'));
    if (actual === undefined) return absent;
    const abs = join(this.dirAbs, actual);
    const info = await lstat(abs).catch(() => null);
    if (info === null) return absent;
    if (info.isSymbolicLink()) {
      // A link is followed only to a file in the chat's own folder; evidence never leads outside it.
      const [real, realDir] = await Promise.all([realpath(abs).catch(() => null), realpath(this.dirAbs).catch(() => null)]);
      if (real === null || realDir === null || dirname(real) !== realDir) return { ...absent, missing: 'unsafe-path' };
      const target = await lstat(real).catch(() => null);
      if (target === null || !target.isFile()) return absent;
    } else if (!info.isFile()) {
      return absent;
    }
    const { sha256, size } = await sha256FileInWorker(abs);
    return { ...absent, path: this.dirDisplay + actual, sha256, size, missing: null };
  }
}
