// Read-only access to a .zip export through yauzl: entries are streamed, never extracted, and an
// entry whose name would leave the archive (absolute, `..`) is never used. Zip bombs are refused
// by declared sizes (per entry, in total, compression ratio) and by counting the bytes actually
// inflated (yauzl's validateEntrySizes plus a cap of our own).
import { createHash } from 'node:crypto';
import type * as Yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { InputError } from '../../util/errors.js';

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

export class ZipArchive {
  /** Usable file entries by name (directories, unsafe and encrypted entries left out). */
  readonly entries = new Map<string, Entry>();
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
    try {
      for await (const entry of this.zip.eachEntry()) {
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
        this.entries.set(name.normalize('NFC'), entry);
      }
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(file, `the zip directory cannot be read: ${(error as Error).message}`, {}, 'is the download complete?');
    }
  }

  /**
   * Streams an entry's content, inflating at most `cap` bytes. Errors (including yauzl finding
   * more bytes than declared) become InputErrors naming the entry.
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
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        if (bytes > cap) {
          throw new InputError(this.file, `entry "${name}" inflates to more than the limit of ${human(cap)}`, { entry: name }, BOMB_HINT);
        }
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
  }

  /** SHA-256 and size of an entry's content. */
  async hash(name: string): Promise<{ sha256: string; size: number }> {
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of this.read(name, this.limits.maxEntryBytes)) {
      hash.update(chunk);
      size += chunk.length;
    }
    return { sha256: hash.digest('hex'), size };
  }

  close(): void {
    this.zip.close();
  }
}
