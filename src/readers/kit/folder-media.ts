// Attachments beside a chat text in its folder (a WhatsApp .txt exported "with media" and kept
// with its files): bare names looked up in NFC, links followed only within the folder.
import { lstat, readdir, realpath } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { MediaRef } from '../../model.js';
import { sha256FileInWorker } from '../../util/hash.js';
import { absentMedia, isPlainFileName, LookupMemo, nfc, type MediaMention } from './media.js';
import { displayFolder } from './provenance.js';

export class FolderMedia {
  private readonly dirAbs: string;
  private readonly dirDisplay: string;
  /** File names in the folder, by their NFC form (macOS writes NFD). */
  private names: Promise<Map<string, string>> | null = null;
  /** The same, once read. */
  private namesRead: Map<string, string> | null = null;
  /** Each name looked up: the lookup in progress, then what it found. */
  private readonly cache = new LookupMemo<MediaRef>();

  /** `absPath`/`displayPath`: the chat text file; attachments are looked up beside it. */
  constructor(absPath: string, displayPath: string) {
    this.dirAbs = dirname(absPath);
    this.dirDisplay = displayFolder(displayPath);
  }

  resolve(mention: MediaMention): Promise<MediaRef> {
    const absent = this.absent(mention);
    if (mention.omitted || !isPlainFileName(mention.name)) return Promise.resolve(absent);
    return this.cache.get(mention.name, () => this.lookup(mention, absent));
  }

  /**
   * What resolve() would give, when that is known without reading the disk (a placeholder, a
   * name already looked up, a name the folder does not hold); undefined otherwise.
   */
  resolveNow(mention: MediaMention): MediaRef | undefined {
    if (mention.omitted) return this.absent(mention);
    const name = mention.name;
    // The cache holds plain file names only: a name found there needs no check.
    if (this.cache.has(name)) return this.cache.peek(name);
    if (!isPlainFileName(name)) return this.absent(mention);
    if (this.namesRead === null || this.namesRead.has(nfc(name))) return undefined;
    const absent = this.absent(mention);
    this.cache.set(name, absent);
    return absent;
  }

  private absent(mention: MediaMention): MediaRef {
    return absentMedia(mention, 'not-included');
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
