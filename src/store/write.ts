// Writing one export into the case, inside one transaction: either the whole file lands, or
// nothing of it does.
import type { CaseHandle } from './case.js';
import type { RowRange } from './overlap.js';
import { recordChange } from './custody.js';
import { isAbsolute, resolve } from 'node:path';

/** The folder a relative evidence path was given from (evidence.base); null for an absolute path. */
const baseOf = (path: string): string | null => (isAbsolute(path) ? null : process.cwd());

/**
 * Where an evidence path is on disk now: a relative one from `root` if given (evidence moved with its
 * case), else from the folder it was given from (evidence.base, see baseOf), else the working folder.
 */
export function evidencePathOnDisk(path: string, base: string | null, root: string | null = null): string {
  return isAbsolute(path) ? path : resolve(root ?? base ?? process.cwd(), path);
}
import type { AddressBookEntry, Chat, ExportInfo, ExportPart, Message, Warning } from '../model.js';
import { TOOL } from '../version.js';
import { overlapKey } from '../util/message-key.js';
import { searchFoldOrEmpty } from '../attribution/text.js';

export interface ExportRecord {
  sha256: string;
  path: string;
  size: number;
  victim: string;
  tz: string | null;
  info: ExportInfo;
  ingestedAt: string;
}

/** Finds an export already in the case by content hash. */
export function findExport(handle: CaseHandle, sha256: string): { id: number; path: string } | undefined {
  return handle.db.prepare('SELECT id, path FROM exports WHERE sha256 = ?').get(sha256) as
    | { id: number; path: string }
    | undefined;
}

/** Paths of the media files the messages of an export refer to (as given when it was ingested). */
export function exportMediaPaths(handle: CaseHandle, exportId: number): string[] {
  // From the media references to their messages (CROSS JOIN keeps that order): messages have no
  // index on export_id, and SQLite otherwise scanned every message of the case for each export met
  // again (half a second each in a case of a million; hours for a folder of 38,000 exports ingested twice).
  const rows = handle.db
    .prepare(
      `SELECT DISTINCT mm.path FROM message_media mm CROSS JOIN messages m ON m.rowid = mm.message_rowid
       WHERE m.export_id = ? AND mm.path IS NOT NULL ORDER BY mm.path`,
    )
    .all(exportId) as { path: string }[];
  return rows.map((r) => r.path);
}

/**
 * The export is in the case already: another process took it in between the check before reading
 * and the writer's start (ingests into one case may run side by side).
 */
export class ExportAlreadyInCase extends Error {
  readonly existing: { id: number; path: string };
  constructor(existing: { id: number; path: string }) {
    super(`already in the case as ${existing.path}`);
    this.name = 'ExportAlreadyInCase';
    this.existing = existing;
  }
}

/** Writes messages, chats, media references and warnings of one export file. */
export class ExportWriter {
  private readonly handle: CaseHandle;
  readonly exportId: number;
  private messageCount = 0;
  private firstRowid = 0;
  private lastRowid = 0;
  /** The last row whose text is in the full-text index already (0: none). */
  private indexed = 0;
  private readonly insertMessage;
  private readonly insertMedia;
  private readonly insertEvidence;
  private readonly insertChat;
  private readonly insertWarning;
  private readonly insertContact;
  private readonly ingestedAt: string;
  private done = false;
  /** Whether the export is a savepoint of a transaction the caller holds. */
  private readonly nested: boolean;

  /**
   * Starts the export's transaction and records the export row. The transaction takes the case's
   * write lock at once (BEGIN IMMEDIATE), waiting for another process writing into the case to
   * finish; throws ExportAlreadyInCase when that process took in the same file. Inside a
   * transaction the caller holds (a CommitGroup), the export is a savepoint of it instead: it is
   * undone alone, and lands when the caller commits.
   */
  constructor(handle: CaseHandle, record: ExportRecord) {
    this.handle = handle;
    this.ingestedAt = record.ingestedAt;
    const db = handle.db;
    this.nested = db.inTransaction;
    db.exec(this.nested ? `SAVEPOINT ${SAVEPOINT}` : 'BEGIN IMMEDIATE');
    const existing = findExport(handle, record.sha256);
    if (existing) {
      this.undo();
      throw new ExportAlreadyInCase(existing);
    }
    const info = record.info;
    this.exportId = Number(
      db
        .prepare(
          `INSERT INTO exports (sha256, path, size, reader, platform, victim, tz, owner_key, owner_name, owner_phone,
             facts, messages, ingested_at, tool_version)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
        )
        .run(
          record.sha256,
          record.path,
          record.size,
          info.reader,
          info.platform,
          record.victim,
          record.tz,
          info.ownerKey,
          info.ownerName,
          info.ownerPhoneRaw,
          JSON.stringify(sortedObject(info.facts)),
          record.ingestedAt,
          TOOL,
        ).lastInsertRowid,
    );
    this.insertEvidence = db.prepare(
      `INSERT OR IGNORE INTO evidence (sha256, path, size, role, export_id, ingested_at, base) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertEvidence.run(record.sha256, record.path, record.size, 'export', this.exportId, record.ingestedAt, baseOf(record.path));
    this.insertChat = db.prepare(
      'INSERT OR IGNORE INTO chats (export_id, id, name, type, platform) VALUES (?, ?, ?, ?, ?)',
    );
    this.insertMessage = db.prepare(
      `INSERT INTO messages (id, export_id, platform, kind, chat_id, chat_name, victim, sender_key, sender_name,
         sender_raw, sender_phone, outgoing, sent_at, sent_at_local, time_basis, time_zone, edited, edited_at, text,
         forwarded, forwarded_from, reply_to, action, extra, src_file, src_sha256, src_entry, src_entry_sha256,
         src_line, src_offset, src_length, src_message_id, overlap_key, link_targets, search_folded)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertMedia = db.prepare(
      `INSERT INTO message_media (message_rowid, ord, kind, name, path, sha256, size, missing, mime, note)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertWarning = db.prepare(
      'INSERT INTO warnings (export_id, file, line, offset, code, message) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.insertContact = db.prepare(
      'INSERT INTO contacts (export_id, name, phone_raw, platform_id, src_offset) VALUES (?, ?, ?, ?, ?)',
    );
  }

  /** A further file of the export (ExportPart): recorded as evidence of it, with its hash. */
  addPart(part: ExportPart): void {
    this.insertEvidence.run(part.sha256, part.path, part.size, 'export-part', this.exportId, this.ingestedAt, baseOf(part.path));
  }

  get messages(): number {
    return this.messageCount;
  }

  /** `n` messages of this export were found to be copies of messages already in the case, and removed. */
  mergedAway(n: number): void {
    this.messageCount -= n;
  }

  /** The last row whose text is in the full-text index (0: none yet). */
  get indexedThrough(): number {
    return this.indexed;
  }

  /** The rowids of the messages written so far, first to last, and how far the full-text index holds them (null before the first). */
  get rows(): RowRange | null {
    return this.firstRowid === 0 ? null : { first: this.firstRowid, last: this.lastRowid, indexedThrough: this.indexed };
  }

  /**
   * Adds the texts of the messages written up to `rowid` (and not indexed yet) to the full-text
   * index, in one statement: SQLite reads the rows itself instead of taking a call per message.
   * Ingest indexes a long export a batch at a time while its reading waits on the phone thread;
   * commit indexes the rest. Copies merged away afterwards leave the index with their rows
   * (store/overlap.ts mergeCopies).
   */
  indexThrough(rowid: number): void {
    const last = Math.min(rowid, this.lastRowid);
    if (this.firstRowid === 0 || last <= this.indexed) return;
    this.handle.db
      .prepare(
        `INSERT INTO messages_fts (rowid, text, link_targets, search_folded)
         SELECT rowid, text, link_targets, search_folded FROM messages WHERE rowid > ? AND rowid <= ? AND (text != '' OR link_targets != '')`,
      )
      .run(Math.max(this.indexed, this.firstRowid - 1), last);
    this.indexed = last;
  }

  addChat(chat: Chat): void {
    this.insertChat.run(this.exportId, chat.id, chat.name, chat.type, chat.platform);
  }

  addContact(contact: AddressBookEntry): void {
    this.insertContact.run(this.exportId, contact.name, contact.phoneRaw, contact.platformId, contact.source.offset ?? null);
  }

  addWarning(warning: Warning): void {
    this.insertWarning.run(
      this.exportId,
      warning.file,
      warning.line ?? null,
      warning.offset ?? null,
      warning.code,
      warning.message,
    );
  }

  /** Adds a message; returns its rowid. */
  addMessage(m: Message): number {
    const extra: Record<string, unknown> = {};
    if (m.location) extra.location = m.location;
    if (m.contact) extra.contact = m.contact;
    if (m.markedPhones.length > 0) extra.markedPhones = m.markedPhones;
    if (m.links.length > 0) extra.links = m.links;
    const s = m.source;
    const targets = m.links.length === 0 ? '' : m.links.map((l) => l.href).join('\n');
    const rowid = Number(
      this.insertMessage.run(
        m.id,
        this.exportId,
        m.platform,
        m.kind,
        m.chat.id,
        m.chat.name,
        m.victim,
        m.sender?.key ?? null,
        m.sender?.name ?? null,
        m.sender?.raw ?? null,
        m.sender?.phone ?? null,
        m.outgoing === null ? null : m.outgoing ? 1 : 0,
        m.time.utc,
        m.time.local,
        m.time.basis,
        m.time.zone,
        m.edited ? 1 : 0,
        m.editedAt,
        m.text,
        m.forwarded ? 1 : 0,
        m.forwardedFrom,
        m.replyTo,
        m.action,
        Object.keys(extra).length > 0 ? JSON.stringify(extra) : null,
        s.file,
        s.sha256,
        s.entry ?? null,
        s.entrySha256 ?? null,
        s.line ?? null,
        s.offset ?? null,
        s.length ?? null,
        s.messageId ?? null,
        overlapKey({
          messageId: s.messageId ?? null,
          local: m.time.local,
          utc: m.time.utc,
          senderKey: m.sender?.key ?? null,
          kind: m.kind,
          text: m.text,
        }),
        targets,
        searchFoldOrEmpty(m.text),
      ).lastInsertRowid,
    );
    if (this.firstRowid === 0) this.firstRowid = rowid;
    this.lastRowid = rowid;
    m.media.forEach((media, ord) => {
      this.insertMedia.run(rowid, ord, media.kind, media.name, media.path, media.sha256, media.size, media.missing, media.mime, media.note ?? null);
      if (media.path !== null && media.sha256 !== null && media.size !== null) {
        this.insertEvidence.run(media.sha256, media.path, media.size, 'media', this.exportId, this.ingestedAt, baseOf(media.path));
      }
    });
    this.messageCount++;
    return rowid;
  }

  /** true when a message id is already taken in the case. */
  hasMessageId(id: string): boolean {
    return this.handle.db.prepare('SELECT 1 FROM messages WHERE id = ?').get(id) !== undefined;
  }

  commit(): void {
    if (this.done) return;
    this.handle.db.prepare('UPDATE exports SET messages = ? WHERE id = ?').run(this.messageCount, this.exportId);
    if (this.firstRowid !== 0) {
      const setCount = this.handle.db.prepare('UPDATE chats SET messages = ? WHERE export_id = ? AND id = ?');
      const counts = this.handle.db
        .prepare('SELECT chat_id AS id, count(*) AS n FROM messages WHERE rowid BETWEEN ? AND ? GROUP BY chat_id')
        .all(this.firstRowid, this.lastRowid) as { id: string; n: number }[];
      for (const c of counts) setCount.run(c.n, this.exportId, c.id);
      this.indexThrough(this.lastRowid);
    }
    recordChange(this.handle.db);
    this.handle.db.exec(this.nested ? `RELEASE ${SAVEPOINT}` : 'COMMIT');
    this.done = true;
  }

  /**
   * Undoes everything of this export. SQLite may have rolled the transaction back already (a full
   * disk, an I/O error): then there is nothing left to undo.
   */
  rollback(): void {
    if (this.done) return;
    this.done = true;
    this.undo();
  }

  private undo(): void {
    const db = this.handle.db;
    if (!db.inTransaction) return;
    if (this.nested) db.exec(`ROLLBACK TO ${SAVEPOINT}; RELEASE ${SAVEPOINT}`);
    else db.exec('ROLLBACK');
  }
}

/** The savepoint of an export written inside a transaction its caller holds. */
const SAVEPOINT = 'export_write';

/** How long a CommitGroup keeps its transaction open before committing the exports in it (500 ms: the 3,908-chat folder in 13.1-14.1 s; 2 s: 11.8-12.3 s). */
const GROUP_SPAN_MS = 2000;
/** How often, and for how long, a run of groups leaves the write lock to another process (CommitGroup.shareLock). */
const LOCK_SHARE_EVERY_MS = 10_000;
const LOCK_SHARE_MS = 150;

/**
 * Exports that land together: one transaction holds the exports read one after another, each in a
 * savepoint of its own (a file that fails is undone alone), and is committed once it has been open
 * two seconds (`due`). A folder of thousands of short chats committed each on its own, and the
 * commits (each writing the index pages its few messages touched, and the full-text index's
 * segment) took a third of the run. Each export still lands whole or not at all; a process killed
 * loses what it read since the last commit, which the next ingest of the same folder takes in.
 */
export class CommitGroup {
  private readonly handle: CaseHandle;
  private openedAt = 0;
  /** Exports landed in the open transaction, not committed yet (their paths). */
  private pending: string[] = [];
  /** Exports committed by this group. */
  committed = 0;
  private sharedAt = performance.now();

  constructor(handle: CaseHandle) {
    this.handle = handle;
  }

  /** Starts the group's transaction unless it is open (BEGIN IMMEDIATE: waits for the write lock). */
  open(): void {
    if (this.handle.db.inTransaction) return;
    this.handle.db.exec('BEGIN IMMEDIATE');
    this.openedAt = performance.now();
  }

  /** An export's savepoint was released into the group. */
  landed(path: string): void {
    this.pending.push(path);
  }

  /** The transaction has been open long enough to be committed. */
  get due(): boolean {
    return this.handle.db.inTransaction && performance.now() - this.openedAt >= GROUP_SPAN_MS;
  }

  /** Commits what the group holds (nothing when no transaction is open). */
  commit(): void {
    if (this.handle.db.inTransaction) this.handle.db.exec('COMMIT');
    this.committed += this.pending.length;
    this.pending = [];
  }

  /**
   * Between two groups: every LOCK_SHARE_EVERY_MS, leaves the case's write lock free a little
   * longer than another process waiting for it sleeps between its tries (SQLite's busy handler:
   * 100 ms), so that a second ingest into the case gets its turn and does not wait for the whole
   * run; otherwise the next group takes the lock microseconds after this one let it go.
   */
  async shareLock(): Promise<void> {
    if (this.handle.db.inTransaction || performance.now() - this.sharedAt < LOCK_SHARE_EVERY_MS) return;
    await new Promise((done) => setTimeout(done, LOCK_SHARE_MS));
    this.sharedAt = performance.now();
  }

  /**
   * After a failure that may have cost the transaction (a full disk): commits what it still holds
   * if SQLite kept it and the commit goes through, else rolls it back. Returns the paths of the
   * exports that landed in the group and were lost with it.
   */
  salvage(): string[] {
    const db = this.handle.db;
    try {
      if (db.inTransaction) this.commit();
    } catch {
      if (db.inTransaction) db.exec('ROLLBACK');
    }
    const lost = this.pending;
    this.pending = [];
    return lost;
  }
}

/** Records a loose image (not referenced by an export) as evidence. */
export function addLooseEvidence(
  handle: CaseHandle,
  file: { sha256: string; path: string; size: number },
  role: string,
  ingestedAt: string,
): boolean {
  const db = handle.db;
  return db.transaction(() => {
    const result = db
      .prepare('INSERT OR IGNORE INTO evidence (sha256, path, size, role, export_id, ingested_at, base) VALUES (?, ?, ?, ?, NULL, ?, ?)')
      .run(file.sha256, file.path, file.size, role, ingestedAt, baseOf(file.path));
    if (result.changes > 0) recordChange(db);
    return result.changes > 0;
  }).immediate();
}

function sortedObject(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Records an input that was rejected (once per path, content and reason). */
export function addRejection(
  handle: CaseHandle,
  file: { path: string; sha256: string | null; size: number | null; reason: string },
  rejectedAt: string,
): void {
  const db = handle.db;
  db.transaction(() => {
    const result = db
      .prepare('INSERT OR IGNORE INTO rejections (path, sha256, size, reason, rejected_at, tool_version) VALUES (?, ?, ?, ?, ?, ?)')
      .run(file.path, file.sha256, file.size, file.reason, rejectedAt, TOOL);
    if (result.changes > 0) recordChange(db);
  }).immediate();
}

/** Records a diagnostic that belongs to no single export (e.g. an image that cannot be read). */
export function addCaseWarning(handle: CaseHandle, warning: Warning): void {
  handle.db
    .prepare('INSERT INTO warnings (export_id, file, line, offset, code, message) VALUES (NULL, ?, ?, ?, ?, ?)')
    .run(warning.file, warning.line ?? null, warning.offset ?? null, warning.code, warning.message);
}
