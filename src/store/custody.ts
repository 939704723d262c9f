// The custody log: every command that changed a case, with when it ran and ended, the threatlens
// version, its arguments as typed, the working folder, the examiner, and what the case held when it
// ended. It lives in the case (table `custody`) and in the evidence manifest.
//
// An entry is written in the first transaction that changes the case (so a command killed half-way
// leaves its entry, with no end time, beside what it committed), and completed when the case is
// closed. A transaction rolled back takes its entry with it; the next change writes it again.
import type BetterSqlite3 from 'better-sqlite3';
import { userInfo } from 'node:os';
import { TOOL } from '../version.js';
import type { CaseCounts, CustodyEntry } from '../model.js';

export type { CaseCounts, CustodyEntry } from '../model.js';

type Db = BetterSqlite3.Database;

/** The command being run, as the custody log records it. The CLI says; a library caller is 'library'. */
export interface Invocation {
  command: string;
  arguments: string[];
  /** Who runs it, as said for this command (--examiner); before the case's own examiner. */
  examiner: string | null;
  /** Who runs it when neither the command nor the case says ($THREATLENS_EXAMINER). */
  defaultExaminer: string | null;
  note: string | null;
}

let invocation: Invocation = { command: 'library', arguments: [], examiner: null, defaultExaminer: null, note: null };

/** Sets the command the following changes belong to (the CLI, once per command). */
export function setInvocation(next: Invocation): void {
  invocation = next;
}

/** The meta row that says the evidence manifest may lag behind the database. */
export const MANIFEST_STALE = 'manifest.stale';
/** The meta row holding the case's examiner (threatlens custody --set-examiner). */
export const CASE_EXAMINER = 'examiner';

/** Marks the manifest as lagging behind the database; call inside the transaction that changes what it lists. */
export function markManifestStale(db: Db): void {
  db.prepare('INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)').run(MANIFEST_STALE, '1');
}

/** The custody entry each open database writes to (its row id), once its first change is written. */
const entries = new WeakMap<Db, { id: number; startedAt: string }>();
/** When each database was opened: the start of its entry. */
const opened = new WeakMap<Db, string>();

export function noteOpened(db: Db): void {
  opened.set(db, new Date().toISOString());
}

/**
 * The case is being changed (call inside the changing transaction): the manifest is stale, and the
 * command has its custody entry.
 */
export function recordChange(db: Db, outcome: string | null = null): void {
  markManifestStale(db);
  const entry = entries.get(db);
  if (entry !== undefined && db.prepare('SELECT 1 FROM custody WHERE id = ?').get(entry.id) !== undefined) {
    if (outcome !== null) db.prepare('UPDATE custody SET outcome = ? WHERE id = ?').run(outcome, entry.id);
    return;
  }
  const startedAt = entry?.startedAt ?? opened.get(db) ?? new Date().toISOString();
  const examiner = examinerFor(db);
  const id = Number(
    db
      .prepare(
        `INSERT INTO custody (started_at, tool, command, arguments, cwd, examiner, os_user, note, outcome)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(startedAt, TOOL, invocation.command, JSON.stringify(invocation.arguments), process.cwd(), examiner, osUser(), invocation.note, outcome)
      .lastInsertRowid,
  );
  entries.set(db, { id, startedAt });
}

/** Whether this database has written a change that its custody entry does not close yet. */
export function hasOpenEntry(db: Db): boolean {
  return entries.has(db);
}

/**
 * Completes the command's entry (end time, what the case holds now), in a transaction of its own.
 * Returns false when there was nothing to complete.
 */
export function finishEntry(db: Db): boolean {
  const entry = entries.get(db);
  if (entry === undefined) return false;
  entries.delete(db);
  db.exec('BEGIN IMMEDIATE');
  try {
    db.prepare('UPDATE custody SET finished_at = ?, counts = ? WHERE id = ?').run(new Date().toISOString(), JSON.stringify(caseCounts(db)), entry.id);
    markManifestStale(db);
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
  return true;
}

/** Who runs the command: its --examiner, else the case's examiner, else $THREATLENS_EXAMINER. */
export function examinerFor(db: Db): string | null {
  return invocation.examiner ?? caseExaminer(db) ?? invocation.defaultExaminer;
}

export function caseExaminer(db: Db): string | null {
  return (db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(CASE_EXAMINER) as string | undefined) ?? null;
}

/** Sets the case's examiner (a change of its own, logged). */
export function setCaseExaminer(db: Db, name: string): void {
  db.prepare('INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)').run(CASE_EXAMINER, name);
}

export function caseCounts(db: Db): CaseCounts {
  const count = (table: string): number => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  return {
    exports: count('exports'),
    messages: count('messages'),
    evidenceFiles: count('evidence'),
    rejected: count('rejections'),
    runs: count('runs'),
    decisions: count('decisions'),
  };
}

interface CustodyRow {
  id: number;
  started_at: string;
  finished_at: string | null;
  tool: string;
  command: string;
  arguments: string;
  cwd: string;
  examiner: string | null;
  os_user: string | null;
  note: string | null;
  outcome: string | null;
  counts: string | null;
}

/** The custody log, oldest first. */
export function custodyLog(db: Db): CustodyEntry[] {
  return (db.prepare('SELECT * FROM custody ORDER BY id').all() as CustodyRow[]).map((r) => ({
    id: r.id,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    tool: r.tool,
    command: r.command,
    arguments: JSON.parse(r.arguments) as string[],
    cwd: r.cwd,
    examiner: r.examiner,
    osUser: r.os_user,
    note: r.note,
    outcome: r.outcome,
    counts: r.counts === null ? null : (JSON.parse(r.counts) as CaseCounts),
  }));
}

function osUser(): string | null {
  try {
    return userInfo().username;
  } catch {
    return null; // a uid without a passwd entry (containers)
  }
}
