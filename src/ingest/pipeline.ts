// Ingest: discover files, sniff each by content, read chat exports into the case (one
// transaction per file), then take in loose images. Bad inputs are reported and skipped; what was
// already ingested stays.
import { posix } from 'node:path';
import { discover, displayFolder, type Candidate } from './discover.js';
import { HEAD_BYTES, openInput, readHead } from './input.js';
import { accountMarkers, findReader, readerNames, readsHint } from '../readers/registry.js';
import type { DateOrder, InputFile, Reader } from '../readers/reader.js';
import type { ColumnMap } from '../settings.js';
import { mediaType } from '../media/sniff.js';
import { unsupportedHint } from '../readers/hints.js';
import { EnvironmentError, InputError } from '../util/errors.js';
import { senderScope, sha256File, shortHash } from '../util/hash.js';
import type { CaseHandle } from '../store/case.js';
import { writeManifest } from '../store/case.js';
import {
  CommitGroup,
  ExportAlreadyInCase,
  ExportWriter,
  addCaseWarning,
  addLooseEvidence,
  addRejection,
  exportMediaPaths,
  findExport,
} from '../store/write.js';
import { runMediaStage, splitArchivePath } from './media-stage.js';
import { PHONE_SIGHTINGS_PER_MESSAGE, runPhoneStage, startPhoneStage, tallyForRegion, type PhoneStage } from './phone-stage.js';
import { PhonePrefetch } from './phone-prefetch.js';
import { loadPhoneLibrary } from '../phone/lib.js';
import { mergeOverlaps, type Overlap } from './overlap.js';
import { RegionTally } from '../phone/index.js';
import type { Message, ParsedMessage, SkippedPart, Warning } from '../model.js';

export interface IngestOptions {
  victim: string | null;
  tz: string | null;
  dateOrder: DateOrder | null;
  region: string | null;
  /** The columns of tables of messages (CSV, JSON Lines): tables are read only with them. */
  map?: ColumnMap | null;
  progress?: (event: ProgressEvent) => void;
  /**
   * false: images are hashed but not decoded (no image facts, no perceptual hashes, no decoder
   * loaded), for a throw-away case read by a command that shows none (`messages PATH`, `senders PATH`).
   */
  imageFacts?: boolean;
}

export type ProgressEvent =
  | { type: 'start'; files: number }
  | { type: 'file'; path: string; index: number }
  | { type: 'bytes'; done: number; total: number }
  /** The phone stage of the current export: messages looked at. */
  | { type: 'phones'; done: number; total: number }
  /** The current export is being committed to the case. */
  | { type: 'saving' }
  | { type: 'images'; done: number; total: number }
  | { type: 'end'; summary?: { exports: number; messages: number; images: number } };

export type FileStatus = 'ingested' | 'duplicate' | 'image' | 'rejected';

export interface FileOutcome {
  path: string;
  status: FileStatus;
  sha256: string | null;
  size: number | null;
  reader: string | null;
  victim: string;
  chats: number;
  messages: number;
  /** Why rejected, or what it duplicates. */
  detail: string | null;
  /** Ingested exports: the default country for phone numbers written without + (null: none). */
  region?: string | null;
  /** Where that region came from: '--region', a threatlens.json, 'inferred: …' or 'none: …'. */
  regionSource?: string;
  /** Chats of this export that earlier exports already held: their shared messages are stored once. */
  overlaps?: Overlap[];
}

export interface IngestReport {
  files: FileOutcome[];
  warnings: Warning[];
  errors: InputError[];
  /** Files inside export folders that no message refers to (thumbnails, profile pictures…). */
  unreferenced: number;
  /** Images whose facts (metadata, perceptual hash) were read in this run. */
  images: number;
  skipped: { path: string; reason: string }[];
  /** The case directory not created because no input could be read (see IngestTarget), else null. */
  caseNotCreated: string | null;
}

/**
 * A file found, and what its first bytes said: the reader that takes it, or (for a file no reader
 * takes) what it is if it is a picture, video or audio, and the hint for it if it is not. Its bytes
 * are not kept: a folder of thousands of chats held 64 KiB of each until the end of the run.
 */
interface ExportFile {
  candidate: Candidate;
  reader: Reader;
}
interface OtherFile {
  candidate: Candidate;
  media: ReturnType<typeof mediaType>;
  hint: string | null;
}

/** The case-wide id of a message: its reader's scheme (`tg:…`, `wa:…`), stable across runs, unique across exports. */
export function messageId(reader: Reader, m: ParsedMessage): string {
  return reader.messageId(m, shortHash(m.source.sha256));
}

/**
 * The message as the case keeps it. Written field by field: a spread followed by new properties
 * takes a slow path in V8 that cost about a third of ingest time.
 */
function caseMessage(reader: Reader, m: ParsedMessage, victim: string): Message {
  return {
    id: messageId(reader, m),
    victim,
    phones: [],
    platform: m.platform,
    kind: m.kind,
    chat: m.chat,
    sender: m.sender,
    outgoing: m.outgoing,
    time: m.time,
    edited: m.edited,
    editedAt: m.editedAt,
    text: m.text,
    markedPhones: m.markedPhones,
    links: m.links,
    media: m.media,
    forwarded: m.forwarded,
    forwardedFrom: m.forwardedFrom,
    replyTo: m.replyTo,
    action: m.action,
    location: m.location,
    contact: m.contact,
    source: m.source,
    sources: [m.source],
  };
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === 'SQLITE_FULL' || code === 'ENOSPC';
}

/**
 * Where ingest writes: an open case, or a case to open only once some input could be read, so that
 * a mistyped path does not leave a new, empty case behind (`open` is not called when every path is
 * missing, unopenable or an empty folder).
 */
export type IngestTarget = CaseHandle | { dir: string; open: () => CaseHandle };

/** A rejection as the case records it. */
type Rejection = Parameters<typeof addRejection>[1];

export async function ingest(target: IngestTarget, paths: string[], options: IngestOptions): Promise<IngestReport> {
  const report: IngestReport = { files: [], warnings: [], errors: [], unreferenced: 0, images: 0, skipped: [], caseNotCreated: null };
  const found = await discover(paths, options.victim);
  report.errors.push(...found.errors);
  report.skipped.push(...found.skipped);
  const ingestedAt = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  // Rejections before the case is open; recorded once it is.
  const pending: Rejection[] = [];
  for (const error of found.errors) {
    report.files.push({ path: error.file, status: 'rejected', sha256: null, size: null, reader: null, victim: options.victim ?? '', chats: 0, messages: 0, detail: error.message });
    pending.push({ path: error.file, sha256: null, size: null, reason: error.describe() });
  }

  // The exports, and the other files (pictures, formats no reader takes), in the order found. The
  // discovery list is emptied, and each export let go once it is read: a folder of tens of thousands
  // of chats kept every file found, with two copies of its path, to the end of the run.
  const exports: (ExportFile | undefined)[] = [];
  const others: OtherFile[] = [];
  // Every head is read into the same buffer, here and as each export is opened (a short one whole):
  // files are read one after another, and a head is not used once its export is done. A new buffer
  // per file, garbage at once, added up to 40 MB for a folder of 38,610 chats before a collection
  // freed them, and the C heap they came from kept that size to the end of the run.
  const headBuffer = Buffer.allocUnsafe(HEAD_BYTES + 1);
  for (const candidate of found.candidates.splice(0)) {
    try {
      const head = readHead(candidate.absPath, HEAD_BYTES, undefined, headBuffer);
      const name = posix.basename(candidate.displayPath);
      const reader = findReader(head, name, { map: options.map ?? candidate.settings.map ?? null, path: candidate.displayPath });
      if (reader !== undefined) exports.push({ candidate, reader });
      else {
        const media = mediaType(head);
        others.push({ candidate, media, hint: media === null ? unsupportedHint(head, name) : null });
      }
    } catch (error) {
      pending.push(await rejected(report, candidate, new InputError(candidate.displayPath, `cannot read: ${(error as Error).message}`)));
    }
  }
  if (exports.length + others.length === 0 && 'open' in target) {
    // Nothing could be read: no case to create.
    report.caseNotCreated = target.dir;
    report.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return report;
  }
  const handle = 'open' in target ? target.open() : target;
  for (const rejection of pending) addRejection(handle, rejection, ingestedAt);

  // Exports' numbers are read on this thread too (short exports, or all without a region): the
  // phone library's faster build, unless a phone function was called already (see loadPhoneLibrary).
  if (exports.length > 0) await loadPhoneLibrary();
  options.progress?.({ type: 'start', files: exports.length });
  const manifest = manifestPacer(handle);
  // Exports land a group at a time (see CommitGroup); loose images and the media stage after them.
  const group = new CommitGroup(handle);

  const referenced = new Set<string>();
  // Folders of folder exports: those of the exports read, and the top of a whole-account export read
  // chat by chat (its lists, styles and icons are no reader's).
  const tops = accountMarkers();
  const exportFolders: string[] = [...exports, ...others]
    .filter((c) => tops.has(posix.basename(c!.candidate.displayPath)))
    .map((c) => displayFolder(c!.candidate.displayPath));

  for (let index = 0; index < exports.length; index++) {
    const { candidate, reader } = exports[index]!;
    exports[index] = undefined;
    options.progress?.({ type: 'file', path: candidate.displayPath, index });
    if (reader.folderMarker !== null) exportFolders.push(displayFolder(candidate.displayPath));
    // The file as opened (hashed), so that a rejection need not hash it again.
    const opened: { input: InputFile | null } = { input: null };
    try {
      const outcome = await ingestExport(handle, candidate, reader, options, ingestedAt, report.warnings, report.errors, referenced, opened, group, headBuffer);
      if (outcome.status === 'ingested') group.landed(outcome.path);
      report.files.push(outcome);
    } catch (error) {
      if (isDiskFull(error)) throw diskFull(handle, candidate.displayPath, group);
      if (!(error instanceof InputError)) {
        // A bug: the export failing is undone, those read before it are kept.
        commitGroup(group, handle);
        throw error;
      }
      await reject(handle, report, candidate, error, ingestedAt, reader.name, opened.input);
    }
    // (A long export is committed at once: see LONG_EXPORT_BYTES.)
    if (group.due || (opened.input?.size ?? 0) >= LONG_EXPORT_BYTES) {
      commitGroup(group, handle);
      manifest();
      await group.shareLock();
    }
  }
  commitGroup(group, handle);

  for (const { candidate, media: type, hint } of others) {
    if (referenced.has(candidate.displayPath)) continue;
    if (exportFolders.some((folder) => candidate.displayPath.startsWith(folder))) {
      report.unreferenced++;
      continue;
    }
    // A picture, video or audio file handed in on its own: loose media evidence (role 'image').
    if (type !== null) {
      const { sha256, size } = await sha256File(candidate.absPath);
      const added = addLooseEvidence(handle, { sha256, path: candidate.displayPath, size }, 'image', ingestedAt);
      report.files.push({
        path: candidate.displayPath,
        status: added ? 'image' : 'duplicate',
        sha256,
        size,
        reader: `${type.kind}/${type.format}`,
        victim: candidate.victim,
        chats: 0,
        messages: 0,
        detail: added ? null : 'already in the case',
      });
      continue;
    }
    await reject(
      handle,
      report,
      candidate,
      new InputError(
        candidate.displayPath,
        `unrecognised format (tried ${readerNames()}, and images)`,
        {},
        hint ?? readsHint(),
      ),
      ingestedAt,
    );
  }
  const media = options.imageFacts === false ? { images: 0, links: 0 } : await runMediaStage(handle, {
    onWarning: (warning) => {
      addCaseWarning(handle, warning);
      report.warnings.push(warning);
    },
    ...(options.progress ? { onProgress: (done: number, total: number) => options.progress!({ type: 'images', done, total }) } : {}),
  });
  report.images = media.images;
  writeManifest(handle);
  report.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const ingested = report.files.filter((f) => f.status === 'ingested');
  options.progress?.({
    type: 'end',
    summary: { exports: ingested.length, messages: ingested.reduce((n, f) => n + f.messages, 0), images: media.images },
  });
  return report;
}

/** An export this long is written in a transaction of its own (see ingestExport), not with others. */
const LONG_EXPORT_BYTES = 1 << 20;

/** Least time between two rewrites of the evidence manifest while exports land. */
const MANIFEST_INTERVAL_MS = 1000;
/** And at least this many times as long as the last rewrite took: rewriting stays a twentieth of the run. */
const MANIFEST_INTERVAL_FACTOR = 20;

/**
 * What rewrites the evidence manifest as exports land: after a committed export when a second has
 * passed since the last rewrite (and twenty times what that rewrite took: the manifest of a case of
 * tens of thousands of files takes a while to write), and at the end of the run (ingest writes it
 * then anyway). A folder of thousands of chats rewrote the whole manifest after each (a quadratic
 * cost); between rewrites the case marks the manifest stale, so a kill leaves a case whose next
 * command rewrites it.
 */
function manifestPacer(handle: CaseHandle): () => void {
  let next = -Infinity;
  return () => {
    const start = performance.now();
    if (start < next) return;
    writeManifest(handle);
    const end = performance.now();
    next = end + Math.max(MANIFEST_INTERVAL_MS, MANIFEST_INTERVAL_FACTOR * (end - start));
  };
}

/** Commits the exports of the group; a full disk then names them. */
function commitGroup(group: CommitGroup, handle: CaseHandle): void {
  try {
    group.commit();
  } catch (error) {
    if (isDiskFull(error)) throw diskFull(handle, null, group);
    throw error;
  }
}

/**
 * The disk filled up while an export was being written (`path`), or while the group of exports
 * read before it was being committed (`path` null): nothing of the export stays (its savepoint or
 * transaction is rolled back); the exports of the group are kept when their commit still goes
 * through, and the exports committed before, in this run and earlier ones, are intact. The message
 * names what did not land.
 */
function diskFull(handle: CaseHandle, path: string | null, group: CommitGroup): EnvironmentError {
  const failed = [...group.salvage(), ...(path === null ? [] : [path])];
  const landed = group.committed;
  const where = handle.dir ?? 'the in-memory case';
  const what =
    failed.length === 0
      ? `the records of the last inputs rejected did not land in the case at ${where}`
      : failed.length === 1
      ? `${failed[0]} did not land in the case at ${where} (nothing of it was kept)`
      : `${failed.length} exports read last (${failed[0]} to ${failed.at(-1)}) did not land in the case at ${where} (nothing of them was kept)`;
  return new EnvironmentError(
    `the disk is full: ${what}; the case holds what it held before` +
      (landed > 0 ? `, and the ${landed} ${landed === 1 ? 'export' : 'exports'} taken in before in this run` : ''),
    'free some space on that disk and run the same ingest again: exports already in the case are skipped',
  );
}

/**
 * Reports a rejected input and records it in the case with its hash (when it can be read), so the
 * case says what was handed in but not taken.
 */
async function reject(
  handle: CaseHandle,
  report: IngestReport,
  candidate: Candidate,
  error: InputError,
  rejectedAt: string,
  reader: string | null = null,
  hashed: { sha256: string; size: number } | null = null,
): Promise<void> {
  addRejection(handle, await rejected(report, candidate, error, reader, hashed), rejectedAt);
}

/** Reports a rejected input (hashed when it can be read) and returns what the case is to record of it. */
async function rejected(
  report: IngestReport,
  candidate: Candidate,
  error: InputError,
  reader: string | null = null,
  hashed: { sha256: string; size: number } | null = null,
): Promise<Rejection> {
  hashed ??= await sha256File(candidate.absPath).catch(() => null);
  report.errors.push(error);
  report.files.push({
    path: candidate.displayPath,
    status: 'rejected',
    sha256: hashed?.sha256 ?? null,
    size: hashed?.size ?? null,
    reader,
    victim: candidate.victim,
    chats: 0,
    messages: 0,
    detail: error.file === candidate.displayPath ? error.reason().replace(/^: /, '') : error.describe(),
  });
  return { path: candidate.displayPath, sha256: hashed?.sha256 ?? null, size: hashed?.size ?? null, reason: error.describe() };
}

async function ingestExport(
  handle: CaseHandle,
  candidate: Candidate,
  reader: Reader,
  options: IngestOptions,
  ingestedAt: string,
  warnings: Warning[],
  errors: InputError[],
  referenced: Set<string>,
  opened: { input: InputFile | null },
  group: CommitGroup,
  /** The buffer the file's head is read into (see openInput): the previous export's head is done with. */
  headBuffer: Buffer,
): Promise<FileOutcome> {
  // The command line wins; a threatlens.json above the file fills in what it leaves open.
  const tz = options.tz ?? candidate.settings.tz ?? null;
  const givenRegion =
    options.region !== null
      ? { region: options.region, from: '--region' }
      : candidate.settings.region !== undefined
        ? { region: candidate.settings.region, from: 'threatlens.json' }
        : null;
  // With the region known, the texts' numbers are read on another thread while the export is read;
  // for a long export the thread starts before the file is hashed, so that its start overlaps that.
  const prefetch = givenRegion !== null && PhonePrefetch.wanted() ? new PhonePrefetch(givenRegion.region, PHONE_SIGHTINGS_PER_MESSAGE) : null;
  const input = await openInput(candidate.absPath, candidate.displayPath, prefetch === null ? undefined : (size) => PhonePrefetch.warmUpFor(size), headBuffer);
  opened.input = input;
  const base: Omit<FileOutcome, 'status' | 'chats' | 'messages' | 'detail'> = {
    path: input.displayPath,
    sha256: input.sha256,
    size: input.size,
    reader: reader.name,
    victim: candidate.victim,
  };
  const duplicate = (existing: { id: number; path: string }): FileOutcome => {
    // The files its messages refer to are referenced still, wherever the export is now.
    const was = displayFolder(existing.path);
    const now = displayFolder(input.displayPath);
    for (const path of exportMediaPaths(handle, existing.id)) {
      const { file } = splitArchivePath(path);
      referenced.add(file.startsWith(was) ? now + file.slice(was.length) : file);
    }
    return { ...base, status: 'duplicate', chats: 0, messages: 0, detail: `already in the case as ${existing.path}` };
  };
  const existing = findExport(handle, input.sha256);
  if (existing) return duplicate(existing);
  // A long export is a transaction of its own (its writer's), after the short ones read before it
  // are committed: a full disk in it costs only it (SQLite may then roll back the whole transaction),
  // and its thousands of pages are no savepoint's, whose undo SQLite would have to keep.
  if (input.size >= LONG_EXPORT_BYTES) group.commit();
  else group.open();

  let writer: ExportWriter | null = null;
  const fileWarnings: Warning[] = [];
  // Parts the reader left out whole (a bad chat of an account export): rejections of their own.
  const skipped: SkippedPart[] = [];
  let chats = 0;
  let assumedUtc = 0;
  let phones: { region: string | null; regionSource: string } | null = null;
  let overlaps: Overlap[] = [];
  // Without a given region, the phone stage infers one from what the messages say, gathered here.
  const tally = new RegionTally();
  // The files of the export beside the one read (its media, its further parts): not loose evidence.
  const filesUsed: string[] = [];
  // With the region known, the phone stage records the numbers of the rows the thread has answered
  // while the rest is read, and their texts join the full-text index: work the main thread would
  // otherwise do after reading, while it waited on the thread.
  let stage: PhoneStage | null = null;
  // Progress of the phone stage is shown once the export is read (before, it is the reading's).
  let phonesTotal: number | null = null;
  const phonesProgress = options.progress
    ? (done: number) => {
        if (phonesTotal !== null) options.progress!({ type: 'phones', done, total: phonesTotal });
      }
    : undefined;
  try {
    const events = reader.read(input, {
      tz,
      dateOrder: options.dateOrder ?? candidate.settings.dateOrder ?? null,
      map: options.map ?? candidate.settings.map ?? null,
      senderScope: senderScope(reader.platform.name, candidate.victim),
      progress: (done) => options.progress?.({ type: 'bytes', done, total: input.size }),
    });
    for await (const event of events) {
      switch (event.type) {
        case 'export':
          writer = new ExportWriter(handle, {
            sha256: input.sha256,
            path: input.displayPath,
            size: input.size,
            victim: candidate.victim,
            tz,
            info: event.info,
            ingestedAt,
          });
          if (givenRegion !== null) {
            const region = { region: givenRegion.region, source: givenRegion.from };
            const w = writer;
            stage = startPhoneStage(handle, w.exportId, () => w.rows, input.displayPath, region, fileWarnings, {
              prefetched: prefetch,
              ...(phonesProgress ? { onProgress: phonesProgress } : {}),
            });
          }
          break;
        case 'chat':
          requireWriter(writer, input.displayPath).addChat(event.chat);
          chats++;
          break;
        case 'contact':
          requireWriter(writer, input.displayPath).addContact(event.contact);
          break;
        case 'part':
          requireWriter(writer, input.displayPath).addPart(event.part);
          filesUsed.push(event.part.path);
          break;
        case 'warning':
          fileWarnings.push(event.warning);
          break;
        case 'skipped':
          skipped.push(event.skipped);
          break;
        case 'message': {
          const w = requireWriter(writer, input.displayPath);
          const message = caseMessage(reader, event.message, candidate.victim);
          if (message.time.basis === 'assumed-utc') assumedUtc++;
          if (givenRegion === null) tallyForRegion(tally, message);
          for (const media of message.media) if (media.path !== null) filesUsed.push(media.path);
          let rowid: number;
          try {
            rowid = w.addMessage(message);
          } catch (error) {
            if (!isUniqueViolation(error)) throw error;
            message.id = `${message.id}@${message.source.offset ?? message.source.line ?? 0}`;
            rowid = w.addMessage(message);
          }
          if (prefetch !== null) {
            prefetch.add(rowid, message.text);
            if (prefetch.behind) await prefetch.catchUp();
            const answered = prefetch.answeredThrough;
            // (The rows the stage has recorded are those indexed: both go as far as the thread has answered.)
            if (stage !== null && answered > w.indexedThrough) {
              await stage.through(answered);
              w.indexThrough(answered);
            }
          }
          break;
        }
      }
    }
    if (writer === null) throw new InputError(input.displayPath, 'the reader found no export in this file');
    overlaps = mergeOverlaps(handle, writer.exportId, writer.rows, candidate.victim, reader.platform.name, reader);
    writer.mergedAway(overlaps.reduce((n, o) => n + o.shared, 0));
    prefetch?.finish();
    phonesTotal = writer.messages;
    phones =
      stage !== null
        ? await (stage as PhoneStage).finish(overlaps.some((o) => o.shared > 0))
        : await runPhoneStage(handle, writer.exportId, writer.rows, input.displayPath, null, tally, fileWarnings, phonesProgress ? { onProgress: phonesProgress } : {});
    if (assumedUtc > 0) {
      fileWarnings.push({
        file: input.displayPath,
        code: 'zone-assumed',
        message: `${assumedUtc} message times carry no zone and were read as UTC; pass --tz ZONE (for example --tz Europe/Moscow) with the zone of the phone or computer that exported them`,
      });
    }
    for (const warning of fileWarnings) writer.addWarning(warning);
    options.progress?.({ type: 'saving' });
    writer.commit();
  } catch (error) {
    // Nothing of a failed file stays in the case; files before it are already committed.
    (writer as ExportWriter | null)?.rollback();
    // Another process took in the same file while this one was reading it.
    if (error instanceof ExportAlreadyInCase) return duplicate(error.existing);
    throw error;
  }

  warnings.push(...fileWarnings);
  for (const path of filesUsed) referenced.add(splitArchivePath(path).file);
  // The rest of the file is in the case; each part left out is rejected on its own (recorded with
  // the file's hash, the part and its byte range) and fails the run.
  for (const part of skipped) {
    const error = new InputError(
      input.displayPath,
      `${part.what} at bytes ${part.offset}-${part.offset + part.length} was skipped: ${part.reason}; the rest of the file was read`,
      { offset: part.offset },
      'the export was edited or damaged; re-export it or use an intact copy to read this part',
    );
    errors.push(error);
    addRejection(handle, { path: input.displayPath, sha256: input.sha256, size: input.size, reason: error.describe() }, ingestedAt);
  }
  const detail =
    skipped.length === 0
      ? null
      : `${skipped.length} ${skipped.length === 1 ? 'chat' : 'chats'} skipped: ${skipped.map((part) => part.what).join('; ')}`;
  const w = writer as ExportWriter;
  return {
    ...base,
    status: 'ingested',
    chats,
    messages: w.messages,
    detail,
    region: phones?.region ?? null,
    regionSource: phones?.regionSource ?? 'none',
    overlaps,
  };
}

function requireWriter(writer: ExportWriter | null, file: string): ExportWriter {
  if (writer === null) throw new InputError(file, 'reader yielded records before the export header (a bug in the reader)');
  return writer;
}

