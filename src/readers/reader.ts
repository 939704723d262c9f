// The contract between the ingest pipeline and the format readers (one folder per platform in readers/).
import type { ParsedMessage, Platform, ReaderEvent } from '../model.js';
import type { ColumnMap, DateOrder } from '../settings.js';

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
  /** First bytes of the file (up to 64 KiB), for sniffing; the whole file when it is no longer (see wholeFile). */
  head: Buffer;
}

/**
 * The whole file when its head holds all of it (ingest reads a short file once, and hashes and
 * parses the same bytes), else null: the reader opens it.
 */
export function wholeFile(input: InputFile): Buffer | null {
  return input.head.length === input.size ? input.head : null;
}

/** Read past the size a file had when measured: a file that grew is read on until a read returns nothing. */
const GROWTH_SLACK = 4096;

/**
 * How many bytes to read at `position` of a file measured at `size`, in chunks of at most `chunk`:
 * no more than what is left of it (and a little, should it have grown). A read buffer no longer
 * than its file: a folder of thousands of short exports allocated a whole chunk for each.
 */
export function readLength(size: number, position: number, chunk: number): number {
  return Math.min(chunk, Math.max(0, size - position) + GROWTH_SLACK);
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
  /** The columns of a table of messages (--map): tables are read only with one. */
  map?: ColumnMap | null;
  /** Called with the number of bytes consumed so far, for progress display. Cheap to call often. */
  progress?: (bytesDone: number) => void;
}

/**
 * The facts of a platform that the rest of threatlens must not hard-code: declared once per
 * platform (readers/<platform>/platform.ts) and carried by each of its readers.
 */
export interface PlatformInfo {
  /** The platform's name in the model (model.ts PLATFORMS; registry.ts checks the two agree). */
  name: Platform;
  /** As people write it: `Telegram`. */
  displayName: string;
  /**
   * How the platform's own account ids become identity keys (`telegram:` + `user5012345678`);
   * null when its exports name no account ids. An address book entry tying such an id to a number
   * proves the two keys one account.
   */
  accountKeyPrefix: string | null;
}

/** What a reader's exports give (for `formats` listings and for the stages that rely on it). */
export interface ReaderCapabilities {
  /** Senders are known by the platform's account ids (not only by name or number). */
  accountIds: boolean;
  /** Phone numbers of senders, owners or contacts. */
  phones: boolean;
  /** Times are instants or carry their zone (else wall clocks needing --tz). */
  zones: boolean;
  /** Attachments are linked to files and hashed. */
  media: boolean;
  /** Forwarded messages are marked (with their original author). */
  forwards: boolean;
}

/** What the investigator said about the inputs that a reader may need to recognise them. */
export interface SniffContext {
  map: ColumnMap | null;
  /** The file's path as the user gave it (forward slashes): which download a file sits in. */
  path?: string;
}

export interface Reader {
  /** Registry name: `telegram-json`, `whatsapp-txt`, `whatsapp-zip`. */
  name: string;
  platform: PlatformInfo;
  /**
   * The file at the top of a folder export (Telegram's `result.json`), or null when the export
   * is a single file. Files below a folder export belong to it: those no message refers to are
   * counted, not treated as loose evidence, and the folder is never taken for a victim's.
   */
  folderMarker: string | null;
  /**
   * Files at the top of a whole-account export whose chats this reader reads one by one (Telegram
   * HTML's `export_results.html` above `chats/chat_NN/messages.html`): the folder holding one is an
   * export folder too, so its lists, styles and icons are counted, not rejected or taken as loose
   * images.
   */
  accountMarkers?: readonly string[];
  /**
   * Its chat ids are the platform's, the same in every export of a chat (Telegram JSON), so a chat
   * exported twice is recognised by its id and its messages by theirs. Otherwise (WhatsApp, Telegram
   * HTML) chats are recognised by their messages (ingest/overlap.ts).
   */
  stableChatIds: boolean;
  /**
   * The case-wide id of a message this reader produced, from the message and the short hash of its
   * file (util/hash.ts shortHash): stable across runs, unique across exports.
   */
  messageId(message: ParsedMessage, sha12: string): string;
  capabilities: ReaderCapabilities;
  /** What it reads, for "threatlens reads …" hints: `Telegram Desktop JSON exports` (readers of one platform may share it). */
  reads: string;
  /** One line for `--help` and for "no reader recognised this file" errors. */
  description: string;
  /**
   * Content sniffing on the first bytes (and the file name only as a tie-breaker). `context`: what
   * the investigator said about the inputs (the columns of a table, --map).
   */
  sniff(head: Buffer, fileName: string, context?: SniffContext): boolean;
  /**
   * Streams the export. Yields `export` first, each `chat` before its messages. Throws
   * `InputError` (naming file and position) when the file cannot be read; the pipeline then
   * discards everything this file yielded. A part that is well-formed but unusable (a chat of a
   * whole-account export that is not a chat) may instead be left out whole and reported with a
   * `skipped` event: the rest is kept, the part is recorded as rejected and the run exits 1.
   */
  read(input: InputFile, options: ReadOptions): AsyncGenerator<ReaderEvent>;
}
