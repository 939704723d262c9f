// Attachments of a .txt export: the files WhatsApp saved next to the chat text, when the user
// exported "with media" and kept them in the same folder.
import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { MediaRef } from '../../model.js';
import { sha256File } from '../../util/hash.js';
import { isPlainFileName } from './attachments.js';
import type { MediaMention } from './body.js';

export class FolderMedia {
  private readonly dirAbs: string;
  private readonly dirDisplay: string;
  /** File names in the folder, by their NFC form (macOS writes NFD). */
  private names: Promise<Map<string, string>> | null = null;
  private readonly cache = new Map<string, Promise<MediaRef>>();

  /** `absPath`/`displayPath`: the chat text file; attachments are looked up beside it. */
  constructor(absPath: string, displayPath: string) {
    this.dirAbs = dirname(absPath);
    const slash = displayPath.lastIndexOf('/');
    this.dirDisplay = slash < 0 ? '' : displayPath.slice(0, slash + 1);
  }

  resolve(mention: MediaMention): Promise<MediaRef> {
    const absent: MediaRef = {
      kind: mention.kind,
      name: mention.name,
      path: null,
      sha256: null,
      size: null,
      missing: mention.omitted ? 'omitted' : 'not-included',
      mime: mention.mime,
    };
    if (mention.omitted || !isPlainFileName(mention.name)) return Promise.resolve(absent);
    let hit = this.cache.get(mention.name);
    if (hit === undefined) {
      hit = this.lookup(mention, absent);
      this.cache.set(mention.name, hit);
    }
    return hit;
  }

  private async lookup(mention: MediaMention, absent: MediaRef): Promise<MediaRef> {
    this.names ??= readdir(this.dirAbs).then(
      (list) => new Map(list.map((n) => [n.normalize('NFC'), n])),
      () => new Map<string, string>(),
    );
    const actual = (await this.names).get(mention.name.normalize('NFC'));
    if (actual === undefined) return absent;
    const abs = join(this.dirAbs, actual);
    const info = await stat(abs).catch(() => null);
    if (info === null || !info.isFile()) return absent;
    const { sha256, size } = await sha256File(abs);
    return { ...absent, path: this.dirDisplay + actual, sha256, size, missing: null };
  }
}
