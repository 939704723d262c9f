// A chat exported twice, in the case: finding the messages of a new export that an earlier export of
// the same chat already holds, and keeping each such message once with both sources. The decision
// whether two chats are one is ingest/overlap.ts's; this module only reads and writes.
import type { CaseHandle } from './case.js';

/** A chat of the case that a new export's chat may continue: its id and how it compares. */
export interface ChatComparison {
  /** The chat id the case keeps (the first export's). */
  chatId: string;
  chatName: string;
  /** Messages of that chat already in the case (every earlier export of it). */
  held: number;
  /** Path of the earliest export holding it. */
  firstPath: string;
  /** The new export's messages that are copies of messages of that chat (see copies). */
  pairs: { fresh: number; kept: number }[];
}

/** The chats one export wrote, with their message counts. */
export function exportChats(handle: CaseHandle, exportId: number): { chatId: string; chatName: string; messages: number }[] {
  return handle.db
    .prepare(
      `SELECT chat_id AS chatId, min(chat_name) AS chatName, count(*) AS messages FROM messages
       WHERE export_id = ? GROUP BY chat_id ORDER BY chat_id`,
    )
    .all(exportId) as { chatId: string; chatName: string; messages: number }[];
}

/**
 * The chats of the same victim and platform, in earlier exports, that share messages with the new
 * export's chat `chatId` (by overlap key): `sameId` restricts them to the chat with the same id
 * (platforms with stable chat ids).
 */
export function compareChats(
  handle: CaseHandle,
  exportId: number,
  chatId: string,
  victim: string,
  platform: string,
  sameId: boolean,
): ChatComparison[] {
  const db = handle.db;
  const candidates = (
    sameId
      ? db.prepare('SELECT DISTINCT chat_id FROM messages WHERE chat_id = ? AND victim = ? AND platform = ? AND export_id != ?').all(chatId, victim, platform, exportId)
      : db
          .prepare(
            `SELECT DISTINCT o.chat_id FROM messages n JOIN messages o ON o.chat_id IN (
               SELECT DISTINCT chat_id FROM messages WHERE victim = ? AND platform = ? AND export_id != ?) AND o.overlap_key = n.overlap_key
             WHERE n.export_id = ? AND n.chat_id = ?`,
          )
          .all(victim, platform, exportId, exportId, chatId)
  ) as { chat_id: string }[];
  const out: ChatComparison[] = [];
  for (const { chat_id: other } of candidates) {
    const info = db
      .prepare(
        `SELECT s.held, s.name, e.path AS firstPath FROM (
           SELECT count(*) AS held, min(chat_name) AS name, min(export_id) AS first FROM messages WHERE chat_id = ? AND export_id != ?) s
         JOIN exports e ON e.id = s.first`,
      )
      .get(other, exportId) as { held: number; name: string; firstPath: string };
    out.push({ chatId: other, chatName: info.name, held: info.held, firstPath: info.firstPath, pairs: copies(handle, exportId, chatId, other) });
  }
  return out.sort((a, b) => b.pairs.length - a.pairs.length || (a.chatId < b.chatId ? -1 : 1));
}

/**
 * Pairs (new rowid, kept rowid) of the messages of the new export's chat that are copies of
 * messages of the chat `keptChat`: equal overlap keys, the n-th copy of a key matched to the n-th
 * (a chat may hold "ok" twice in a minute), and the fields behind the key equal.
 */
export function copies(handle: CaseHandle, exportId: number, chatId: string, keptChat: string): { fresh: number; kept: number }[] {
  return handle.db
    .prepare(
      `WITH n AS (
         SELECT rowid, overlap_key, src_message_id, sender_key, text, coalesce(sent_at_local, sent_at) AS t,
                row_number() OVER (PARTITION BY overlap_key ORDER BY rowid) AS k
         FROM messages WHERE export_id = ? AND chat_id = ?),
       o AS (
         SELECT rowid, overlap_key, src_message_id, sender_key, text, coalesce(sent_at_local, sent_at) AS t,
                row_number() OVER (PARTITION BY overlap_key ORDER BY rowid) AS k
         FROM messages WHERE chat_id = ? AND export_id != ?)
       SELECT n.rowid AS fresh, o.rowid AS kept FROM n JOIN o ON o.overlap_key = n.overlap_key AND o.k = n.k
       WHERE (n.src_message_id IS NOT NULL AND n.src_message_id = o.src_message_id)
          OR (n.src_message_id IS NULL AND o.src_message_id IS NULL AND n.sender_key IS o.sender_key
              AND rtrim(n.text) = rtrim(o.text) AND substr(n.t, 1, 16) IS substr(o.t, 1, 16))
       ORDER BY n.rowid`,
    )
    .all(exportId, chatId, keptChat, exportId) as { fresh: number; kept: number }[];
}

/**
 * Keeps each copied message once: the new export's source is added to the kept message, a file the
 * kept message lacked (a .txt says "<Media omitted>", its .zip holds the photo) is taken from the
 * copy, and the copy is removed. The new export's other messages of the chat join the kept chat.
 */
export function mergeCopies(
  handle: CaseHandle,
  exportId: number,
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
       name = f.name, kind = f.kind
     FROM message_media AS f
     WHERE k.message_rowid = ? AND f.message_rowid = ? AND f.ord = k.ord AND k.sha256 IS NULL AND f.sha256 IS NOT NULL`,
  );
  const ftsDelete = db.prepare(
    `INSERT INTO messages_fts (messages_fts, rowid, text, link_targets)
     SELECT 'delete', rowid, text, link_targets FROM messages WHERE rowid = ? AND (text != '' OR link_targets != '')`,
  );
  const dropMedia = db.prepare('DELETE FROM message_media WHERE message_rowid = ?');
  const dropSources = db.prepare('DELETE FROM message_sources WHERE message_rowid = ?');
  const dropMessage = db.prepare('DELETE FROM messages WHERE rowid = ?');
  for (const p of pairs) {
    addSource.run(p.kept, p.fresh);
    upgradeMedia.run(p.kept, p.fresh);
    ftsDelete.run(p.fresh);
    dropMedia.run(p.fresh);
    dropSources.run(p.fresh);
    dropMessage.run(p.fresh);
  }
  db.prepare('UPDATE messages SET chat_id = ?, chat_name = ? WHERE export_id = ? AND chat_id = ?').run(kept.chatId, kept.chatName, exportId, chatId);
  db.prepare('UPDATE OR IGNORE chats SET id = ?, name = ? WHERE export_id = ? AND id = ?').run(kept.chatId, kept.chatName, exportId, chatId);
}
