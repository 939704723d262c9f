// Attachments inside an archive (a WhatsApp .zip export): entries of the same archive, hashed by
// streaming them (and checked against their CRC-32 on the way).
//
// A name the archive holds once resolves to that entry. A name it holds several times (two entries
// `IMG-….jpg`, or `a/IMG-….jpg` and `b/IMG-….jpg` for a bare name) is never settled by picking one:
// when the entries' contents are identical the first stands for all, otherwise every one of them is
// recorded on the message with the note `ambiguous-name`. An entry that fails its CRC-32 check is
// recorded with the note `crc-mismatch`. Both are warned about once per name or entry.
import type { MediaRef, Warning } from '../../model.js';
import { absentMedia, LookupMemo, type MediaMention } from './media.js';
import { hex8, type EntryDigest, type ZipArchive } from './zip-archive.js';

export class ZipMedia {
  /** Each name looked up (NFC): the lookup in progress, then the result. */
  private readonly cache = new LookupMemo<MediaRef[]>();
  /** Each entry hashed, by designation. */
  private readonly digests = new Map<string, Promise<EntryDigest>>();
  /** Entries by their last path segment, for exports whose media sit in a folder. */
  private readonly byBase = new Map<string, string[]>();
  /** Every entry an attachment resolved to (designations). */
  readonly referenced = new Set<string>();
  /** What the lookups found wrong (CRC mismatches, ambiguous names), for the reader to yield. */
  readonly warnings: Warning[] = [];
  private readonly warned = new Set<string>();

  constructor(private readonly archive: ZipArchive) {
    for (const [name, designations] of archive.byName) {
      const base = name.slice(name.lastIndexOf('/') + 1);
      const list = this.byBase.get(base);
      if (list === undefined) this.byBase.set(base, [...designations]);
      else list.push(...designations);
    }
  }

  resolve(mention: MediaMention): Promise<MediaRef[]> {
    const absent = this.absent(mention);
    if (mention.omitted) return Promise.resolve([absent]);
    const wanted = mention.name.normalize('NFC');
    const entries = this.entriesOf(wanted);
    if (entries.length === 0) return Promise.resolve([absent]);
    return this.cache.get(wanted, () => this.lookup(wanted, entries, absent));
  }

  /** What resolve() would give, when that is known without reading the archive; else undefined. */
  resolveNow(mention: MediaMention): MediaRef[] | undefined {
    if (mention.omitted) return [this.absent(mention)];
    const wanted = mention.name.normalize('NFC');
    if (this.entriesOf(wanted).length === 0) return [this.absent(mention)];
    return this.cache.peek(wanted);
  }

  private entriesOf(wanted: string): string[] {
    return this.archive.byName.get(wanted) ?? this.byBase.get(wanted) ?? [];
  }

  private digest(designation: string): Promise<EntryDigest> {
    let digest = this.digests.get(designation);
    if (digest === undefined) {
      digest = this.archive.hash(designation);
      this.digests.set(designation, digest);
    }
    return digest;
  }

  private async lookup(wanted: string, entries: string[], absent: MediaRef): Promise<MediaRef[]> {
    const digests = await Promise.all(entries.map((d) => this.digest(d)));
    for (const d of entries) this.referenced.add(d);
    const file = this.archive.file;
    const refOf = (designation: string, digest: EntryDigest, note: MediaRef['note'] | null): MediaRef => {
      const ref: MediaRef = { ...absent, path: `${file}!${designation}`, sha256: digest.sha256, size: digest.size, missing: null };
      if (note !== null) ref.note = note;
      return ref;
    };
    digests.forEach((digest, i) => {
      const designation = entries[i]!;
      if (digest.crcMismatch === null || this.warned.has(`crc\n${designation}`)) return;
      this.warned.add(`crc\n${designation}`);
      this.warnings.push({
        file,
        code: 'zip-crc-mismatch',
        message:
          `entry ${JSON.stringify(designation)} fails its CRC-32 check (the archive declares ${hex8(digest.crcMismatch.expected)}, ` +
          `the content gives ${hex8(digest.crcMismatch.actual)}): recorded with the note crc-mismatch, without image facts, ` +
          'and its hash is never used to link it to other media',
      });
    });
    const same = digests.every((d) => d.crcMismatch === null && d.sha256 === digests[0]!.sha256);
    if (entries.length === 1 || same) {
      return [refOf(entries[0]!, digests[0]!, digests[0]!.crcMismatch !== null ? 'crc-mismatch' : null)];
    }
    if (!this.warned.has(`name\n${wanted}`)) {
      this.warned.add(`name\n${wanted}`);
      this.warnings.push({
        file,
        code: 'zip-ambiguous-media',
        message:
          `an attachment named ${JSON.stringify(wanted)} matches ${entries.length} entries with different contents ` +
          `(${entries.map((d, i) => `${JSON.stringify(d)} SHA-256 ${digests[i]!.sha256.slice(0, 12)}`).join(', ')}); ` +
          'every one is recorded on the message with the note ambiguous-name, none is known to be the one sent',
      });
    }
    return entries.map((d, i) => refOf(d, digests[i]!, digests[i]!.crcMismatch !== null ? 'crc-mismatch' : 'ambiguous-name'));
  }

  private absent(mention: MediaMention): MediaRef {
    return absentMedia(mention, 'not-found');
  }
}
