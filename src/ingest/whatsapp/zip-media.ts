// Attachments of a .zip export: entries of the same archive, hashed by streaming them.
import type { MediaRef } from '../../model.js';
import type { MediaMention } from './body.js';
import type { ZipArchive } from './zip-archive.js';

export class ZipMedia {
  private readonly cache = new Map<string, Promise<MediaRef>>();
  /** Entries by their last path segment, for exports whose media sit in a folder. */
  private readonly byBase = new Map<string, string | null>();

  constructor(private readonly archive: ZipArchive) {
    for (const name of archive.entries.keys()) {
      const base = name.slice(name.lastIndexOf('/') + 1);
      this.byBase.set(base, this.byBase.has(base) ? null : name);
    }
  }

  resolve(mention: MediaMention): Promise<MediaRef> {
    const absent: MediaRef = {
      kind: mention.kind,
      name: mention.name,
      path: null,
      sha256: null,
      size: null,
      missing: mention.omitted ? 'omitted' : 'not-found',
      mime: mention.mime,
    };
    if (mention.omitted) return Promise.resolve(absent);
    const wanted = mention.name.normalize('NFC');
    const entry = this.archive.entries.has(wanted) ? wanted : this.byBase.get(wanted) ?? null;
    if (entry === null) return Promise.resolve(absent);
    let hit = this.cache.get(entry);
    if (hit === undefined) {
      hit = this.archive.hash(entry).then(({ sha256, size }) => ({
        ...absent,
        path: `${this.archive.file}!${entry}`,
        sha256,
        size,
        missing: null,
      }));
      this.cache.set(entry, hit);
    }
    return hit;
  }
}
