// The contract between the ingest pipeline and the format readers (one file each in readers/).
import type { Platform, ReaderEvent } from '../model.js';
import type { DateOrder } from '../settings.js';

// Defined with the other settings' checks; kept here too for the readers that import it from here.
export type { DateOrder };

/** An evidence file handed to a reader. The reader opens it read-only through `absPath`. */
export interface InputFile {
  /** Absolute path on disk. */
  absPath: string;
  /** Path as the user gave it, used in every message and error (forward slashes). */
  displayPath: string;
  size: number;
  /** SHA-256 of the whole file, computed before reading. */
  sha256: string;
  /** First bytes of the file (up to 64 KiB), for sniffing. */
  head: Buffer;
}

export interface ReadOptions {
  /** IANA zone (or fixed offset like `+03:00`) for wall clocks that carry no zone; null: read them as UTC and flag it. */
  tz: string | null;
  /** Forces the date order of WhatsApp exports; null lets the reader decide per file. */
  dateOrder: DateOrder | null;
  /**
   * Scope of sender keys made from a name alone (`name:<scope>:<name>`): the victim's address book
   * on this platform, so one victim's contact is one identity across their exports. Absent when a
   * file is read outside a case: names are then scoped to the file (its short SHA-256).
   */
  senderScope?: string;
  /** Called with the number of bytes consumed so far, for progress display. Cheap to call often. */
  progress?: (bytesDone: number) => void;
}

export interface Reader {
  /** Registry name: `telegram-json`, `whatsapp-txt`, `whatsapp-zip`. */
  name: string;
  platform: Platform;
  /**
   * true when the export is a folder (Telegram): files below the export file's folder belong to
   * it, and those no message refers to are counted, not treated as loose evidence.
   */
  ownsFolder: boolean;
  /** One line for `--help` and for "no reader recognised this file" errors. */
  description: string;
  /** Content sniffing on the first bytes (and the file name only as a tie-breaker). */
  sniff(head: Buffer, fileName: string): boolean;
  /**
   * Streams the export. Yields `export` first, each `chat` before its messages. Throws
   * `InputError` (naming file and position) when the file cannot be read; the pipeline then
   * discards everything this file yielded. A part that is well-formed but unusable (a chat of a
   * whole-account export that is not a chat) may instead be left out whole and reported with a
   * `skipped` event: the rest is kept, the part is recorded as rejected and the run exits 1.
   */
  read(input: InputFile, options: ReadOptions): AsyncGenerator<ReaderEvent>;
}
