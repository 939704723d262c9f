// Read-only access to a .zip export through yauzl: entries are streamed, never extracted, and an
// entry whose name would leave the archive (absolute, `..`) is never used. Zip bombs are refused
// by declared sizes (per entry, in total, compression ratio) and by counting the bytes actually
// inflated (yauzl's validateEntrySizes plus a cap of our own). Every entry read to its end is
// checked against the CRC-32 its central directory record declares (yauzl checks none).
//
// Entries are known by their designation: the name when no other usable entry has the same name
// (compared in NFC), else `name#N` with N the entry's place in the central directory (1-based), so
// that two entries of one name are never taken for each other. A zip lists an entry twice only when
// it was written oddly or on purpose; `duplicates` says which.
import { createHash } from 'node:crypto';
import type * as Yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { InputError } from '../../util/errors.js';
import { crc32 } from '../../util/crc32.js';

export interface ZipLimits {
  /** Largest uncompressed size of any entry (media). */
  maxEntryBytes: number;
  /** Largest uncompressed size of the chat text entry. */
  maxChatBytes: number;
  /** Largest uncompressed size of all entries together. */
  maxTotalBytes: number;
  /** Largest uncompressed:compressed ratio of an entry larger than `ratioFloorBytes`. */
  maxRatio: number;
  ratioFloorBytes: number;
  /** Most entries an archive may list. */
  maxEntries: number;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export const DEFAULT_ZIP_LIMITS: Readonly<ZipLimits> = {
  maxEntryBytes: 2 * GiB,
  maxChatBytes: 1 * GiB,
  maxTotalBytes: 32 * GiB,
  maxRatio: 200,
  ratioFloorBytes: 1 * MiB,
  maxEntries: 200_000,
};

/** yauzl, loaded when the first archive is opened (reading a .txt export never needs it). */
let yauzlModule: Promise<typeof Yauzl> | null = null;
const loadYauzl = (): Promise<typeof Yauzl> => (yauzlModule ??= import('yauzl'));

const BOMB_HINT = 'the archive may be a zip bomb or damaged; WhatsApp exports are never this compressible';

function human(bytes: number): string {
  return bytes >= GiB ? `${(bytes / GiB).toFixed(1)} GiB` : bytes >= MiB ? `${(bytes / MiB).toFixed(1)} MiB` : `${bytes} bytes`;
}

export interface UnusableEntry {
  name: string;
  reason: string;
}

/** An entry whose content does not match the CRC-32 its central directory record declares. */
export class CrcMismatchError extends InputError {
  constructor(
    file: string,
    readonly entry: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(
      file,
      `entry "${entry}" fails its CRC-32 check (the archive declares ${hex8(expected)}, the content gives ${hex8(actual)}): its bytes are not the ones the archive was written with`,
      { entry },
      'the archive is damaged or was altered after it was written; ask for the original export',
    );
    this.name = 'CrcMismatchError';
  }
}

export const hex8 = (n: number): string => n.toString(16).padStart(8, '0');

/** Usable entries that share one name. */
export interface DuplicateName {
  /** The name (NFC) they share. */
  name: string;
  /** Their designations (`name#N`), in central directory order. */
  designations: string[];
}

/** An entry's content as hashed: SHA-256, size, and the CRC-32 check. */
export interface EntryDigest {
  sha256: string;
  size: number;
  /** null when the content matches the declared CRC-32; else both values. */
  crcMismatch: { expected: number; actual: number } | null;
}

export class ZipArchive {
  /** Usable file entries by designation (directories, unsafe and encrypted entries left out), in central directory order. */
  readonly entries = new Map<string, Entry>();
  /** Designations by NFC name: one for most names, several for duplicates. */
  readonly byName = new Map<string, string[]>();
  /** The NFC name of each designation. */
  readonly names = new Map<string, string>();
  /** The place (1-based) of each designation's entry in the central directory. */
  readonly indexes = new Map<string, number>();
  /** Names held by more than one usable entry. */
  readonly duplicates: DuplicateName[] = [];
  /** Entries that are never read, with the reason. */
  readonly unusable: UnusableEntry[] = [];

  private constructor(
    private readonly yauzl: typeof Yauzl,
    private readonly zip: ZipFile,
    readonly file: string,
    readonly limits: Readonly<ZipLimits>,
  ) {}

  /** Opens the archive read-only and checks every entry's declared sizes against the limits. */
  static async open(absPath: string, file: string, limits: Readonly<ZipLimits>): Promise<ZipArchive> {
    const yauzl = await loadYauzl();
    let zip: ZipFile;
    try {
      zip = await yauzl.openPromise(absPath, {
        lazyEntries: true,
        autoClose: false,
        decodeStrings: false,
        validateEntrySizes: true,
      });
    } catch (error) {
      throw new InputError(file, `not a readable zip archive: ${(error as Error).message}`, {}, 'is the download complete?');
    }
    const archive = new ZipArchive(yauzl, zip, file, limits);
    try {
      await archive.list();
    } catch (error) {
      zip.close();
      throw error;
    }
    return archive;
  }

  private async list(): Promise<void> {
    const { limits, file } = this;
    if (this.zip.entryCount > limits.maxEntries) {
      throw new InputError(file, `the archive lists ${this.zip.entryCount} entries, more than the limit of ${limits.maxEntries}`, {}, BOMB_HINT);
    }
    let total = 0;
    const usable: { name: string; index: number; entry: Entry }[] = [];
    let index = 0;
    try {
      for await (const entry of this.zip.eachEntry()) {
        index++;
        // decodeStrings is off so that one bad name does not abort the listing: decode and
        // validate here, and set the bad entry aside.
        const name = this.yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
        const unsafe = this.yauzl.validateFileName(name);
        if (unsafe !== null) {
          this.unusable.push({ name, reason: `unsafe path (${unsafe.replace(/:.*$/, '')})` });
          continue;
        }
        if (name.endsWith('/')) continue;
        if (entry.isEncrypted()) {
          this.unusable.push({ name, reason: 'encrypted' });
          continue;
        }
        const size = entry.uncompressedSize;
        if (size > limits.maxEntryBytes) {
          throw new InputError(file, `entry "${name}" declares ${human(size)}, more than the limit of ${human(limits.maxEntryBytes)}`, { entry: name }, BOMB_HINT);
        }
        if (size > limits.ratioFloorBytes && size / Math.max(1, entry.compressedSize) > limits.maxRatio) {
          throw new InputError(
            file,
            `entry "${name}" inflates ${human(entry.compressedSize)} to ${human(size)}, a ratio above the limit of ${limits.maxRatio}:1`,
            { entry: name },
            BOMB_HINT,
          );
        }
        total += size;
        if (total > limits.maxTotalBytes) {
          throw new InputError(file, `the entries declare more than the limit of ${human(limits.maxTotalBytes)} in total`, { entry: name }, BOMB_HINT);
        }
        usable.push({ name: name.normalize('NFC'), index, entry });
      }
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(file, `the zip directory cannot be read: ${(error as Error).message}`, {}, 'is the download complete?');
    }
    this.designate(usable);
  }

  /** Gives every usable entry its designation (see the file comment). */
  private designate(usable: { name: string; index: number; entry: Entry }[]): void {
    const count = new Map<string, number>();
    for (const u of usable) count.set(u.name, (count.get(u.name) ?? 0) + 1);
    const taken = new Set(count.keys());
    for (const u of usable) {
      let designation = u.name;
      if (count.get(u.name)! > 1) {
        // `name#N`, unless a real entry is called that: then `name#N#N`, and so on.
        designation = `${u.name}#${u.index}`;
        while (taken.has(designation) || this.entries.has(designation)) designation += `#${u.index}`;
      }
      this.entries.set(designation, u.entry);
      this.names.set(designation, u.name);
      this.indexes.set(designation, u.index);
      const list = this.byName.get(u.name);
      if (list === undefined) this.byName.set(u.name, [designation]);
      else list.push(designation);
    }
    for (const [name, designations] of this.byName) if (designations.length > 1) this.duplicates.push({ name, designations });
  }

  /**
   * Streams an entry's content (by designation), inflating at most `cap` bytes. Errors (including
   * yauzl finding more bytes than declared) become InputErrors naming the entry. Once the last byte
   * has been handed out, the content is checked against the entry's CRC-32: a mismatch throws a
   * CrcMismatchError (so a caller that stops early checks nothing).
   */
  async *read(name: string, cap: number): AsyncGenerator<Buffer> {
    const entry = this.entries.get(name);
    if (entry === undefined) throw new InputError(this.file, `no entry "${name}" in the archive`, { entry: name });
    if (entry.uncompressedSize > cap) {
      throw new InputError(this.file, `entry "${name}" declares ${human(entry.uncompressedSize)}, more than the limit of ${human(cap)}`, { entry: name }, BOMB_HINT);
    }
    let stream;
    try {
      stream = await this.zip.openReadStreamPromise(entry);
    } catch (error) {
      throw new InputError(this.file, `entry "${name}" cannot be read: ${(error as Error).message}`, { entry: name });
    }
    let bytes = 0;
    let crc = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        if (bytes > cap) {
          throw new InputError(this.file, `entry "${name}" inflates to more than the limit of ${human(cap)}`, { entry: name }, BOMB_HINT);
        }
        crc = crc32(chunk, crc);
        yield chunk;
      }
    } catch (error) {
      if (error instanceof InputError) throw error;
      const message = (error as Error).message;
      if (/too many bytes|not enough bytes/.test(message)) {
        throw new InputError(
          this.file,
          `entry "${name}" does not inflate to the ${human(entry.uncompressedSize)} its header declares (${message})`,
          { entry: name },
          BOMB_HINT,
        );
      }
      throw new InputError(this.file, `entry "${name}" cannot be read: ${message}`, { entry: name }, 'is the archive damaged?');
    } finally {
      stream.destroy();
    }
    const expected = entry.crc32 >>> 0;
    if (crc !== expected) throw new CrcMismatchError(this.file, name, expected, crc);
  }

  /** The first `bytes` bytes of an entry (fewer when it is shorter); its CRC-32 is not checked. */
  async head(name: string, bytes: number): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let got = 0;
    for await (const chunk of this.read(name, this.limits.maxEntryBytes)) {
      chunks.push(chunk);
      got += chunk.length;
      if (got >= bytes) break;
    }
    return Buffer.concat(chunks).subarray(0, bytes);
  }

  /** SHA-256 and size of an entry's content, and whether it passes its CRC-32 check. */
  async hash(name: string): Promise<EntryDigest> {
    const hash = createHash('sha256');
    let size = 0;
    try {
      for await (const chunk of this.read(name, this.limits.maxEntryBytes)) {
        hash.update(chunk);
        size += chunk.length;
      }
    } catch (error) {
      if (!(error instanceof CrcMismatchError)) throw error;
      return { sha256: hash.digest('hex'), size, crcMismatch: { expected: error.expected, actual: error.actual } };
    }
    return { sha256: hash.digest('hex'), size, crcMismatch: null };
  }

  close(): void {
    this.zip.close();
  }
}
