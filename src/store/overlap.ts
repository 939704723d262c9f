// A chat exported twice, in the case: finding the messages of a new export that an earlier export of
// the same chat already holds, and keeping each such message once with both sources. The decision
// whether two chats are one is ingest/overlap.ts's; this module only reads and writes.
//
// The new export's messages are the rows its writer inserted, a contiguous rowid range (one
// transaction appends them); earlier copies are looked for among the messages of the same victim
// (through the victim index), so nothing here scans the whole case.
import type { CaseHandle } from './case.js';

/** The rowids an export's writer inserted, first to last. */
export interface RowRange {
  first: number;
  last: number;
  /** The rows up to this one are in the full-text index already (ExportWriter.indexThrough); 0 or less: none. */
  indexedThrough: number;
}

/** A chat of the case that a new export's chat may continue, and how it compares. */
export interface ChatComparison {
  /** The chat id the case keeps (the first export's). */
  chatId: string;
  chatName: string;
  /** Messages of that chat already in the case (every earlier export of it). */
  held: number;
  /** Path of the earliest export holding it. */
  firstPath: string;
  /** Both chats are known by their ids (the same id): messages are copies by their ids alone. */
  byId: boolean;
  /** The new export's messages that are copies of messages of that chat (see copies). */
  pairs: { fresh: number; kept: number }[];
}

/**
 * True when the case holds messages of `victim` on `platform` written before row `before` (by
 * earlier exports). Without any, a new export has nothing to be a copy of, and its chats need no
 * comparing (which would index every overlap key of a long export only to find nothing).
 */
export function hasEarlierMessages(handle: CaseHandle, victim: string, platform: string, before: number): boolean {
  return handle.db.prepare('SELECT 1 FROM messages WHERE victim = ? AND rowid < ? AND platform = ? LIMIT 1').get(victim, before, platform) !== undefined;
}

/** The chats a new export wrote, with their message counts. */
export function exportChats(handle: CaseHandle, range: RowRange): { chatId: string; chatName: string; messages: number }[] {
  return handle.db
    .prepare(
      `SELECT chat_id AS chatId, min(chat_name) AS chatName, count(*) AS messages FROM messages
       WHERE rowid BETWEEN ? AND ? GROUP BY chat_id ORDER BY chat_id`,
    )
    .all(range.first, range.last) as { chatId: string; chatName: string; messages: number }[];
}

/**
 * The chats of the same victim and platform, in earlier exports, that may hold copies of the new
 * export's chat `chatId`: with `stableIds` (its reader's chat ids are the platform's) the chat of
 * that id, compared by message ids; and every chat holding a message with one of its overlap keys
 * whose reader does not keep ids (`stableReader` says which do), compared by content. Each with its
 * copies.
 */
export function compareChats(
  handle: CaseHandle,
  exportId: number,
  range: RowRange,
  chatId: string,
  victim: string,
  platform: string,
  stableIds: boolean,
  stableReader: (reader: string) => boolean,
): ChatComparison[] {
  const db = handle.db;
  const sameId = stableIds
    ? (db
        .prepare(
          `SELECT DISTINCT c.id AS chat_id FROM chats c JOIN exports e ON e.id = c.export_id
           WHERE c.id = ? AND e.victim = ? AND e.platform = ? AND c.export_id != ?`,
        )
        .all(chatId, victim, platform, exportId) as { chat_id: string }[])
    : [];
  // A chat of stable ids is compared by content only with chats of readers without them (Telegram
  // HTML beside JSON): when the victim has no such export, nothing is looked up message by message.
  const earlierReaders = db.prepare('SELECT DISTINCT reader FROM exports WHERE victim = ? AND platform = ? AND id != ?').all(victim, platform, exportId) as { reader: string }[];
  const contentCandidates = !stableIds || earlierReaders.some((e) => !stableReader(e.reader));
  const found = contentCandidates
    ? (db
        .prepare(
          `SELECT DISTINCT o.chat_id,
             (SELECT e.reader FROM chats f JOIN exports e ON e.id = f.export_id WHERE f.id = o.chat_id ORDER BY e.id LIMIT 1) AS reader
           FROM messages o
           WHERE o.victim = ? AND o.platform = ? AND o.rowid < ?
             AND o.overlap_key IN (SELECT overlap_key FROM messages WHERE rowid BETWEEN ? AND ? AND chat_id = ?)`,
        )
        .all(victim, platform, range.first, range.first, range.last, chatId) as { chat_id: string; reader: string | null }[])
    : [];
  const byContent = found.filter((c) => !(stableIds && stableReader(c.reader ?? '')));
  const about = db.prepare(
    `SELECT sum(c.messages) AS held, min(c.name) AS name,
            (SELECT e.path FROM chats f JOIN exports e ON e.id = f.export_id WHERE f.id = ? ORDER BY e.id LIMIT 1) AS firstPath
     FROM chats c WHERE c.id = ? AND c.export_id != ?`,
  );
  const out: ChatComparison[] = [];
  const compare = (other: string, byId: boolean): void => {
    if (out.some((c) => c.chatId === other)) return;
    const info = about.get(other, other, exportId) as { held: number | null; name: string; firstPath: string };
    out.push({ chatId: other, chatName: info.name, held: info.held ?? 0, firstPath: info.firstPath, byId, pairs: copies(handle, range, chatId, victim, other, !byId) });
  };
  for (const { chat_id: other } of sameId) compare(other, true);
  for (const { chat_id: other } of byContent) compare(other, false);
  return out.sort((a, b) => b.pairs.length - a.pairs.length || (a.chatId < b.chatId ? -1 : 1));
}

/**
 * Pairs (new rowid, kept rowid) of the messages of the new export's chat that are copies of
 * messages of the chat `keptChat`: equal overlap keys, the n-th copy of a key matched to the n-th
 * (a chat may hold "ok" twice in a minute), and the fields behind the key equal. With `verify`, two
 * messages of the same platform id must also agree on their minute (as UTC or as written) and text
 * (service lines, which HTML words otherwise and leaves undated, on the id): ids alone are only one
 * chat's.
 */
export function copies(handle: CaseHandle, range: RowRange, chatId: string, victim: string, keptChat: string, verify = false): { fresh: number; kept: number }[] {
  return handle.db
    .prepare(
      `WITH n AS (
         SELECT rowid, overlap_key, src_message_id, sender_key, text, kind, sent_at, sent_at_local, coalesce(sent_at_local, sent_at) AS t,
                row_number() OVER (PARTITION BY overlap_key ORDER BY rowid) AS k
         FROM messages WHERE rowid BETWEEN ? AND ? AND chat_id = ?),
       o AS (
         SELECT rowid, overlap_key, src_message_id, sender_key, text, kind, sent_at, sent_at_local, coalesce(sent_at_local, sent_at) AS t,
                row_number() OVER (PARTITION BY overlap_key ORDER BY rowid) AS k
         FROM messages WHERE victim = ? AND chat_id = ? AND rowid < ? AND overlap_key IN (SELECT overlap_key FROM n))
       SELECT n.rowid AS fresh, o.rowid AS kept FROM n JOIN o ON o.overlap_key = n.overlap_key AND o.k = n.k
       WHERE (n.src_message_id IS NOT NULL AND n.src_message_id = o.src_message_id
              AND (? = 0 OR n.kind = 'service' OR o.kind = 'service'
                   OR ((substr(n.sent_at, 1, 16) = substr(o.sent_at, 1, 16) OR substr(n.sent_at_local, 1, 16) = substr(o.sent_at_local, 1, 16))
                       AND rtrim(n.text) = rtrim(o.text))))
          OR (n.src_message_id IS NULL AND o.src_message_id IS NULL AND n.sender_key IS o.sender_key
              AND rtrim(n.text) = rtrim(o.text) AND substr(n.t, 1, 16) IS substr(o.t, 1, 16))
       ORDER BY n.rowid`,
    )
    .all(range.first, range.last, chatId, victim, keptChat, range.first, verify ? 1 : 0) as { fresh: number; kept: number }[];
}

/**
 * Keeps each copied message once: the new export's source is added to the kept message, a file the
 * kept message lacked (a .txt says "<Media omitted>", its .zip holds the photo) is taken from the
 * copy, and the copy is removed. The new export's other messages of the chat join the kept chat.
 */
export function mergeCopies(
  handle: CaseHandle,
  exportId: number,
  range: RowRange,
  chatId: string,
  kept: { chatId: string; chatName: string },
  pairs: readonly { fresh: number; kept: number }[],
): void {
  const db = handle.db;
  const addSource = db.prepare(
    `INSERT OR IGNORE INTO message_sources (message_rowid, export_id, src_file, src_sha256, src_entry, src_entry_sha256, src_line,
       src_offset, src_length, src_message_id)
     SELECT ?, export_id, src_file, src_sha256, src_entry, src_entry_sha256, src_line, src_offset, src_length, src_message_id
     FROM messages WHERE rowid = ?`,
  );
  const upgradeMedia = db.prepare(
    `UPDATE message_media AS k SET path = f.path, sha256 = f.sha256, size = f.size, missing = f.missing, mime = coalesce(f.mime, k.mime),
       name = f.name, kind = f.kind, note = f.note
     FROM message_media AS f
     WHERE k.message_rowid = ? AND f.message_rowid = ? AND f.ord = k.ord AND k.sha256 IS NULL AND f.sha256 IS NOT NULL`,
  );
  const dropMedia = db.prepare('DELETE FROM message_media WHERE message_rowid = ?');
  // A long export's rows may be in the full-text index and have their numbers recorded already
  // (ingest does both while reading): a copy dropped takes them with it. The index is told the
  // values it indexed (FTS5 'delete' on an external-content table).
  const dropIndexed = db.prepare(
    `INSERT INTO messages_fts (messages_fts, rowid, text, link_targets, search_folded)
     SELECT 'delete', rowid, text, link_targets, search_folded FROM messages WHERE rowid = ? AND (text != '' OR link_targets != '')`,
  );
  const dropSightings = db.prepare('DELETE FROM message_phones WHERE message_rowid = ?');
  const dropMessage = db.prepare('DELETE FROM messages WHERE rowid = ?');
  for (const p of pairs) {
    addSource.run(p.kept, p.fresh);
    upgradeMedia.run(p.kept, p.fresh);
    dropMedia.run(p.fresh);
    if (p.fresh <= range.indexedThrough) dropIndexed.run(p.fresh);
    dropSightings.run(p.fresh);
    dropMessage.run(p.fresh);
  }
  db.prepare('UPDATE messages SET chat_id = ?, chat_name = ? WHERE rowid BETWEEN ? AND ? AND chat_id = ?').run(
    kept.chatId,
    kept.chatName,
    range.first,
    range.last,
    chatId,
  );
  db.prepare('UPDATE OR IGNORE chats SET id = ?, name = ? WHERE export_id = ? AND id = ?').run(kept.chatId, kept.chatName, exportId, chatId);
}
