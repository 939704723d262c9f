// Attachments of a .zip export: entries of the same archive, hashed by streaming them.
import type { MediaRef } from '../../model.js';
import type { MediaMention } from './body.js';
import type { ZipArchive } from './zip-archive.js';

export class ZipMedia {
  /** Each entry hashed: the hashing in progress, then the result. */
  private readonly cache = new Map<string, Promise<MediaRef> | MediaRef>();
  /** Entries by their last path segment, for exports whose media sit in a folder. */
  private readonly byBase = new Map<string, string | null>();

  constructor(private readonly archive: ZipArchive) {
    for (const name of archive.entries.keys()) {
      const base = name.slice(name.lastIndexOf('/') + 1);
      this.byBase.set(base, this.byBase.has(base) ? null : name);
    }
  }

  resolve(mention: MediaMention): Promise<MediaRef> {
    const absent = this.absent(mention);
    if (mention.omitted) return Promise.resolve(absent);
    const entry = this.entryOf(mention);
    if (entry === null) return Promise.resolve(absent);
    const hit = this.cache.get(entry);
    if (hit !== undefined) return hit instanceof Promise ? hit : Promise.resolve(hit);
    const hashing = this.archive.hash(entry).then(({ sha256, size }) => ({
      ...absent,
      path: `${this.archive.file}!${entry}`,
      sha256,
      size,
      missing: null,
    }));
    this.cache.set(entry, hashing);
    hashing.then(
      (ref) => this.cache.set(entry, ref),
      () => undefined,
    );
    return hashing;
  }

  /** What resolve() would give, when that is known without reading the archive; else undefined. */
  resolveNow(mention: MediaMention): MediaRef | undefined {
    if (mention.omitted) return this.absent(mention);
    const entry = this.entryOf(mention);
    if (entry === null) return this.absent(mention);
    const hit = this.cache.get(entry);
    return hit instanceof Promise ? undefined : hit;
  }

  private entryOf(mention: MediaMention): string | null {
    const wanted = mention.name.normalize('NFC');
    return this.archive.entries.has(wanted) ? wanted : this.byBase.get(wanted) ?? null;
  }

  private absent(mention: MediaMention): MediaRef {
    return {
      kind: mention.kind,
      name: mention.name,
      path: null,
      sha256: null,
      size: null,
      missing: mention.omitted ? 'omitted' : 'not-found',
      mime: mention.mime,
    };
  }
}
