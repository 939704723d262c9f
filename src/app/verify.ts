// Verifying a case's evidence: every file and archive entry the case took in is hashed again, read
// only, and compared with the SHA-256 and size recorded when it was taken in. A relative path is
// found from the folder it was given from (evidence.base, recorded since schema 12), else from
// `root` (the investigator's --root, for evidence moved with the case), else the working folder.
// An archive entry (`a.zip!entry`) is read from the archive, never extracted.
import { statSync } from 'node:fs';
import { evidencePathOnDisk } from '../store/write.js';
import type { CaseHandle } from '../store/case.js';
import { sha256File } from '../util/hash.js';
import { describeSystemError } from '../util/errors.js';
import { DEFAULT_ZIP_LIMITS, ZipArchive } from '../readers/kit/zip-archive.js';
import type { CheckStatus, EvidenceCheck, Verification } from '../model.js';

export type { CheckStatus, EvidenceCheck, Verification } from '../model.js';

interface EvidenceRow {
  sha256: string;
  path: string;
  size: number;
  role: string;
  base: string | null;
}

export interface VerifyOptions {
  /** The folder relative paths are from, over the one recorded at ingest. */
  root?: string | null;
  /** Called after each file or entry, with how many of how many are done. */
  onProgress?: (done: number, total: number) => void;
}

export async function verifyCase(handle: CaseHandle, options: VerifyOptions = {}): Promise<Verification> {
  const rows = handle.db.prepare('SELECT sha256, path, size, role, base FROM evidence ORDER BY path, sha256').all() as EvidenceRow[];
  const where = (row: EvidenceRow, path: string): string => evidencePathOnDisk(path, row.base, options.root ?? null);
  // An entry's path is its archive's path, '!', the entry: the archive is the longest prefix that
  // is an evidence file of its own (a file name may hold a '!' too).
  const files = new Set(rows.filter((r) => r.role === 'export' || r.role === 'image').map((r) => r.path));
  const archiveOf = (path: string): { archive: string; entry: string } | null => {
    for (let at = path.lastIndexOf('!'); at > 0; at = path.lastIndexOf('!', at - 1)) {
      if (files.has(path.slice(0, at))) return { archive: path.slice(0, at), entry: path.slice(at + 1) };
    }
    return null;
  };

  const checks: EvidenceCheck[] = [];
  const byArchive = new Map<string, { row: EvidenceRow; entry: string }[]>();
  let done = 0;
  const progress = (): void => options.onProgress?.(++done, rows.length);
  for (const row of rows) {
    const inside = archiveOf(row.path);
    if (inside !== null) {
      const list = byArchive.get(inside.archive) ?? [];
      list.push({ row, entry: inside.entry });
      byArchive.set(inside.archive, list);
      continue;
    }
    checks.push(await checkFile(row, where(row, row.path)));
    progress();
  }
  for (const [archive, entries] of byArchive) {
    const lookedAt = where(entries[0]!.row, archive);
    let zip: ZipArchive | null = null;
    let problem: string | null = null;
    try {
      zip = await ZipArchive.open(lookedAt, archive, DEFAULT_ZIP_LIMITS);
    } catch (error) {
      problem = `the archive cannot be read: ${messageOf(error)}`;
    }
    try {
      for (const { row, entry } of entries) {
        checks.push(await checkEntry(row, lookedAt, zip, entry, problem));
        progress();
      }
    } finally {
      zip?.close();
    }
  }
  checks.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.sha256 < b.sha256 ? -1 : 1));
  const counts: Record<CheckStatus, number> = { ok: 0, changed: 0, missing: 0, unreadable: 0 };
  for (const c of checks) counts[c.status]++;
  return { checks, counts };
}

async function checkFile(row: EvidenceRow, lookedAt: string): Promise<EvidenceCheck> {
  const base = { path: row.path, role: row.role, lookedAt, sha256: row.sha256, size: row.size };
  const stat = statSync(lookedAt, { throwIfNoEntry: false });
  if (stat === undefined) return { ...base, status: 'missing', actualSha256: null, actualSize: null, problem: 'no such file' };
  // Never open what is not a regular file (a FIFO put in its place would block the read).
  if (!stat.isFile()) return { ...base, status: 'unreadable', actualSha256: null, actualSize: null, problem: 'not a regular file' };
  try {
    const now = await sha256File(lookedAt);
    return { ...base, status: now.sha256 === row.sha256 && now.size === row.size ? 'ok' : 'changed', actualSha256: now.sha256, actualSize: now.size, problem: null };
  } catch (error) {
    return { ...base, status: 'unreadable', actualSha256: null, actualSize: null, problem: describeSystemError(error) };
  }
}

async function checkEntry(row: EvidenceRow, lookedAt: string, zip: ZipArchive | null, entry: string, archiveProblem: string | null): Promise<EvidenceCheck> {
  const base = { path: row.path, role: row.role, lookedAt, sha256: row.sha256, size: row.size };
  if (zip === null) {
    const missing = statSync(lookedAt, { throwIfNoEntry: false }) === undefined;
    return { ...base, status: missing ? 'missing' : 'unreadable', actualSha256: null, actualSize: null, problem: missing ? 'the archive is missing' : archiveProblem };
  }
  if (!zip.entries.has(entry)) return { ...base, status: 'missing', actualSha256: null, actualSize: null, problem: 'the archive holds no such entry' };
  try {
    const now = await zip.hash(entry);
    const crc = now.crcMismatch === null ? null : 'the entry fails its CRC-32 check';
    return { ...base, status: now.sha256 === row.sha256 && now.size === row.size ? 'ok' : 'changed', actualSha256: now.sha256, actualSize: now.size, problem: crc };
  } catch (error) {
    return { ...base, status: 'unreadable', actualSha256: null, actualSize: null, problem: messageOf(error) };
  }
}

function messageOf(error: unknown): string {
  const e = error as { describe?: () => string; message?: string };
  return typeof e.describe === 'function' ? e.describe() : describeSystemError(error);
}
