// Contact cards (vCard files) that an export's messages attach: Telegram `contact_vcard`
// (contacts/contact_1.vcf in the export folder), WhatsApp `.vcf` attachments (beside the .txt, or
// an entry of the .zip). Read at ingest by the phone stage, which normalizes their TEL numbers.
//
// Each file is read read-only, checked against the SHA-256 recorded when its message was read
// (so what is reported is what was hashed), and never followed outside the export: the paths are
// the ones the readers already resolved and confined.
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createHash } from 'node:crypto';
import type { CaseHandle } from '../store/case.js';
import { phonesFromVCard } from '../phone/index.js';
import { ZipArchive, DEFAULT_ZIP_LIMITS } from '../readers/kit/zip-archive.js';
import { splitArchivePath } from './media-stage.js';

/** A vCard no bigger than this is read (cards with an embedded photo run to a few hundred KB). */
export const MAX_CARD_BYTES = 2 * 1024 * 1024;

export interface ContactCardFile {
  messageRowid: number;
  /** As the case records it: 'export/contacts/contact_1.vcf' or 'chat.zip!Name.vcf'. */
  path: string;
  sha256: string;
  /** TEL values as written in the card, in order. */
  tels: string[];
}

interface CardRow {
  message_rowid: number;
  path: string;
  sha256: string;
}

async function readFileCapped(absPath: string): Promise<Buffer> {
  const file = await open(absPath, 'r');
  try {
    const { size } = await file.stat();
    if (size > MAX_CARD_BYTES) throw new Error(`${size} bytes, more than a contact card (${MAX_CARD_BYTES} bytes at most)`);
    const bytes = Buffer.alloc(size);
    const { bytesRead } = await file.read(bytes, 0, size, 0);
    return bytes.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

async function readEntry(archive: ZipArchive, entry: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of archive.read(entry, MAX_CARD_BYTES)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * The contact cards attached to the messages of one export (those of rows `after` < rowid ≤
 * `through` when given), with their TEL values, in message order. A card that cannot be read, or
 * whose bytes no longer match the SHA-256 recorded at ingest, is left out and `warn` says why.
 */
export async function readContactCards(
  handle: CaseHandle,
  exportId: number,
  warn: (file: string, message: string) => void,
  rows: { after: number; through: number } = { after: 0, through: Number.MAX_SAFE_INTEGER },
): Promise<ContactCardFile[]> {
  const cards = handle.db
    .prepare(
      `SELECT mm.message_rowid, mm.path, mm.sha256 FROM message_media mm JOIN messages m ON m.rowid = mm.message_rowid
       WHERE m.export_id = ? AND mm.message_rowid > ? AND mm.message_rowid <= ? AND mm.kind = 'contact-card'
         AND mm.path IS NOT NULL AND mm.sha256 IS NOT NULL
       ORDER BY mm.message_rowid, mm.ord`,
    )
    .all(exportId, rows.after, rows.through) as CardRow[];
  if (cards.length === 0) return [];

  const out: ContactCardFile[] = [];
  const archives = new Map<string, ZipArchive>();
  try {
    for (const row of cards) {
      const { file, entry } = splitArchivePath(row.path);
      let bytes: Buffer;
      try {
        if (entry === null) bytes = await readFileCapped(resolve(file));
        else {
          let archive = archives.get(file);
          if (archive === undefined) {
            archive = await ZipArchive.open(resolve(file), file, DEFAULT_ZIP_LIMITS);
            archives.set(file, archive);
          }
          bytes = await readEntry(archive, entry);
        }
      } catch (error) {
        warn(row.path, `cannot read the contact card: ${(error as Error).message}; its numbers were not recorded`);
        continue;
      }
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      if (sha256 !== row.sha256) {
        warn(row.path, `the contact card changed since its message was read (SHA-256 ${sha256}, expected ${row.sha256}); its numbers were not recorded`);
        continue;
      }
      out.push({ messageRowid: row.message_rowid, path: row.path, sha256, tels: phonesFromVCard(bytes.toString('utf8')) });
    }
  } finally {
    for (const archive of archives.values()) archive.close();
  }
  return out;
}
