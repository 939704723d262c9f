// Taking one export out of a case (threatlens remove): the export ingested by mistake. In one
// transaction, logged in the custody log:
// - a message another export also holds (a chat exported twice) stays, its next source (in the
//   order the exports were taken in) becoming its first;
// - the export's other messages go, with their full-text entries, numbers and media references;
// - its chats, address-book entries, warnings and evidence rows go, except a media file a message
//   that stays still cites (it is kept, as evidence of that message's export);
// - phone facts and image facts nothing refers to any more go.
// Runs of earlier clusterings, decisions and rejections stay: they are history.
import type { CaseHandle } from './case.js';
import { recordChange } from './custody.js';

export interface ExportRef {
  id: number;
  path: string;
  sha256: string;
  victim: string;
  messages: number;
}

/** What a removal takes out (or would, on a dry run). */
export interface Removal {
  export: ExportRef;
  /** Messages removed with it. */
  messagesRemoved: number;
  /** Messages it held that another export holds too: they stay, on that export's source. */
  messagesKept: number;
  evidenceFilesRemoved: number;
  /** Media files it took in that messages which stay still cite: kept. */
  evidenceFilesKept: number;
  phoneNumbersRemoved: number;
  imagesRemoved: number;
}

interface EvidenceRow {
  sha256: string;
  path: string;
  role: string;
}

/** Removes export `ref` (nothing is written with `dryRun`: the transaction is rolled back). */
export function removeExport(handle: CaseHandle, ref: ExportRef, options: { dryRun: boolean }): Removal {
  const db = handle.db;
  const run = db.transaction((): Removal => {
    recordChange(db);
    const x = ref.id;
    // 1. Messages another export holds too: their next source becomes the first.
    const shared = db
      .prepare(
        `SELECT m.rowid AS rowid, m.chat_id AS chatId, s.rowid AS sourceRow, s.export_id AS exportId FROM messages m
         JOIN message_sources s ON s.rowid = (SELECT min(rowid) FROM message_sources WHERE message_rowid = m.rowid AND export_id != ?)
         WHERE m.export_id = ?`,
      )
      .all(x, x) as { rowid: number; chatId: string; sourceRow: number; exportId: number }[];
    const promote = db.prepare(
      `UPDATE messages SET (export_id, src_file, src_sha256, src_entry, src_entry_sha256, src_line, src_offset, src_length, src_message_id) =
         (SELECT export_id, src_file, src_sha256, src_entry, src_entry_sha256, src_line, src_offset, src_length, src_message_id
          FROM message_sources WHERE rowid = ?)
       WHERE rowid = ?`,
    );
    const dropSource = db.prepare('DELETE FROM message_sources WHERE rowid = ?');
    const countChat = db.prepare('UPDATE chats SET messages = messages + 1 WHERE export_id = ? AND id = ?');
    const countExport = db.prepare('UPDATE exports SET messages = messages + 1 WHERE id = ?');
    for (const s of shared) {
      promote.run(s.sourceRow, s.rowid);
      dropSource.run(s.sourceRow);
      countChat.run(s.exportId, s.chatId);
      countExport.run(s.exportId);
    }
    db.prepare('DELETE FROM message_sources WHERE export_id = ?').run(x);

    // 2. Its own messages: out of the full-text index (with the values indexed, as FTS5 needs), then
    // their numbers, media references and rows.
    db.prepare(
      `INSERT INTO messages_fts (messages_fts, rowid, text, link_targets, search_folded)
       SELECT 'delete', rowid, text, link_targets, search_folded FROM messages WHERE export_id = ? AND (text != '' OR link_targets != '')`,
    ).run(x);
    db.prepare('DELETE FROM message_phones WHERE message_rowid IN (SELECT rowid FROM messages WHERE export_id = ?)').run(x);
    db.prepare('DELETE FROM message_media WHERE message_rowid IN (SELECT rowid FROM messages WHERE export_id = ?)').run(x);
    const messagesRemoved = db.prepare('DELETE FROM messages WHERE export_id = ?').run(x).changes;

    // 3. Its chats, address book, warnings; its evidence, but for media a staying message cites.
    for (const table of ['chats', 'contacts', 'warnings']) db.prepare(`DELETE FROM ${table} WHERE export_id = ?`).run(x);
    const citedBy = db.prepare(
      'SELECT m.export_id FROM message_media mm JOIN messages m ON m.rowid = mm.message_rowid WHERE mm.sha256 = ? AND mm.path = ? ORDER BY m.export_id LIMIT 1',
    );
    const reassign = db.prepare('UPDATE evidence SET export_id = ? WHERE sha256 = ? AND path = ?');
    const dropEvidence = db.prepare('DELETE FROM evidence WHERE sha256 = ? AND path = ?');
    let evidenceFilesRemoved = 0;
    let evidenceFilesKept = 0;
    for (const e of db.prepare('SELECT sha256, path, role FROM evidence WHERE export_id = ?').all(x) as EvidenceRow[]) {
      const other = e.role === 'media' ? (citedBy.pluck().get(e.sha256, e.path) as number | undefined) : undefined;
      if (other !== undefined) {
        reassign.run(other, e.sha256, e.path);
        evidenceFilesKept++;
      } else {
        dropEvidence.run(e.sha256, e.path);
        evidenceFilesRemoved++;
      }
    }
    db.prepare('DELETE FROM exports WHERE id = ?').run(x);

    // 4. Facts nothing refers to any more.
    const phoneNumbersRemoved = db
      .prepare(
        `DELETE FROM phones WHERE e164 NOT IN (SELECT e164 FROM message_phones)
           AND e164 NOT IN (SELECT e164 FROM contacts WHERE e164 IS NOT NULL)`,
      )
      .run().changes;
    const imagesRemoved = db.prepare('DELETE FROM media_facts WHERE sha256 NOT IN (SELECT sha256 FROM evidence)').run().changes;
    db.prepare('DELETE FROM media_hashes WHERE sha256 NOT IN (SELECT sha256 FROM evidence)').run();
    db.prepare('DELETE FROM media_anomalies WHERE sha256 NOT IN (SELECT sha256 FROM evidence)').run();
    db.prepare('DELETE FROM media_links WHERE sha_a NOT IN (SELECT sha256 FROM evidence) OR sha_b NOT IN (SELECT sha256 FROM evidence)').run();

    const removal: Removal = {
      export: ref,
      messagesRemoved,
      messagesKept: shared.length,
      evidenceFilesRemoved,
      evidenceFilesKept,
      phoneNumbersRemoved,
      imagesRemoved,
    };
    recordChange(db, removalSummary(removal));
    if (options.dryRun) throw new DryRun(removal);
    return removal;
  });
  try {
    return run();
  } catch (error) {
    if (error instanceof DryRun) return error.removal;
    throw error;
  }
}

/** Unwinds the transaction of a dry run, carrying what it would have done. */
class DryRun extends Error {
  constructor(readonly removal: Removal) {
    super('dry run');
  }
}

export function removalSummary(r: Removal): string {
  return (
    `removed export ${r.export.path} (sha256 ${r.export.sha256}, victim ${r.export.victim}): ` +
    `${r.messagesRemoved} messages, ${r.evidenceFilesRemoved} evidence files, ${r.phoneNumbersRemoved} phone numbers and ${r.imagesRemoved} images no longer in the case` +
    (r.messagesKept > 0 ? `; ${r.messagesKept} messages kept, another export holds them too` : '') +
    (r.evidenceFilesKept > 0 ? `; ${r.evidenceFilesKept} media files kept, messages that stay cite them` : '')
  );
}

/** Every export of the case, for finding the one to remove. */
export function listExportRefs(handle: CaseHandle): (ExportRef & { base: string | null })[] {
  return handle.db
    .prepare(
      `SELECT x.id, x.path, x.sha256, x.victim, x.messages, (SELECT base FROM evidence e WHERE e.export_id = x.id AND e.role = 'export' LIMIT 1) AS base
       FROM exports x ORDER BY x.path, x.id`,
    )
    .all() as (ExportRef & { base: string | null })[];
}
