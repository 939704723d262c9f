// The case: a directory holding one SQLite database (`case.sqlite`) and an evidence manifest
// (`evidence-manifest.json`), or a throw-away in-memory database for one-off analysis.
//
// Safety of the case on disk:
// - A threatlens case is marked (SQLite application_id); a database that is not one is refused and
//   never written, and a damaged one is named as such.
// - A case that cannot be written (read-only mount, no write permission) is opened read-only for
//   listing; commands that write say so.
// - Several processes may write into one case: each waits its turn (busy timeout, BEGIN IMMEDIATE),
//   and the case is created and migrated under the write lock.
// - The folder is created 0700 and its files 0600, whatever the umask.
// - The manifest follows every committed change: the change marks it stale in its own transaction,
//   and it is rewritten (temp file + rename) under the write lock, which clears the mark. A process
//   killed in between leaves the mark, and the next writable open rewrites the manifest.
import type BetterSqlite3 from 'better-sqlite3';
import { createRequire } from 'node:module';
import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  existsSync,
  fchmodSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MIGRATIONS, SCHEMA_VERSION } from './schema.js';
import { sweepCaseTemp } from './temp.js';
import { describeSystemError, EnvironmentError, UsageError } from '../util/errors.js';
import { TOOL } from '../version.js';
import { mapped, prettyJsonChunks } from '../util/json-stream.js';
import { writeChunks } from '../util/write-chunks.js';
import { senderScope } from '../util/hash.js';
import { overlapKey } from '../util/message-key.js';
import { searchFoldOrEmpty } from '../attribution/text.js';
import { caseExaminer, custodyLog, finishEntry, markManifestStale, MANIFEST_STALE, noteOpened, recordChange } from './custody.js';

export const DB_FILE = 'case.sqlite';
export const MANIFEST_FILE = 'evidence-manifest.json';

/** SQLite application_id of a threatlens case: 'TLNS'. Cases of schema 9 and before carry 0 (see identify). */
export const APPLICATION_ID = 0x544c4e53;

/** How long a process waits for another one writing into the same case before giving up. */
export const DEFAULT_BUSY_TIMEOUT_MS = 10 * 60 * 1000;


export interface CaseLocation {
  /** Directory of the case, or null for an in-memory case. */
  dir: string | null;
}

export type Db = BetterSqlite3.Database;

let sqlite: typeof BetterSqlite3 | null = null;
/** better-sqlite3, loaded with the first case opened (not when threatlens starts: --help needs no SQLite). */
function Database(): typeof BetterSqlite3 {
  return (sqlite ??= keepingStatements(createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3));
}

/** Statements a connection keeps, by their SQL (the oldest is let go past this). */
const KEPT_STATEMENTS = 256;

/**
 * better-sqlite3 whose connections keep the statements they prepare and hand the same one out
 * again for the same SQL, its modes reset (not raw, not plucked, not expanded). Each export of an
 * ingest prepared the same few dozen statements again, and a statement's memory is SQLite's, given
 * back only when the garbage collector finalizes its object, which a big heap does seldom: reading
 * 38,000 small exports held hundreds of MB of them (RSS 343 MB after the first 4,200 exports, 219
 * MB with statements kept). A statement in the middle of an iteration is never handed out twice:
 * a new one is prepared for the caller.
 */
function keepingStatements(base: typeof BetterSqlite3): typeof BetterSqlite3 {
  // better-sqlite3's constructor is a plain function whose type says it may also be called without new.
  const Base = base as unknown as new (...args: ConstructorParameters<typeof BetterSqlite3>) => BetterSqlite3.Database;
  class KeepingDatabase extends Base {
    readonly #kept = new Map<string, BetterSqlite3.Statement>();

    override prepare<BindParameters extends unknown[] | {} = unknown[], Result = unknown>(sql: string): BetterSqlite3.Statement<BindParameters, Result> {
      const kept = this.#kept.get(sql);
      if (kept !== undefined && !kept.busy) {
        if (kept.reader) kept.raw(false).pluck(false).expand(false);
        return kept as BetterSqlite3.Statement<BindParameters, Result>;
      }
      const made = super.prepare<BindParameters, Result>(sql);
      if (kept === undefined) {
        if (this.#kept.size >= KEPT_STATEMENTS) this.#kept.delete(this.#kept.keys().next().value as string);
        this.#kept.set(sql, made as BetterSqlite3.Statement);
      }
      return made;
    }
  }
  return KeepingDatabase as unknown as typeof BetterSqlite3;
}

export interface OpenCaseOptions {
  /** Create the case directory and database when missing. */
  create: boolean;
  /**
   * 'write' (the default; ingest): a case that cannot be written is a usage error. 'read' (listing,
   * cluster, explain): such a case is opened read-only, and nothing is written into it.
   */
  access?: 'read' | 'write';
  /** How long to wait for another process writing into the case, in milliseconds. */
  busyTimeoutMs?: number;
}

/** An open case. `db` is exposed for the query modules in store/; nothing else should use SQL. */
export interface CaseHandle {
  dir: string | null;
  /** The database file, or null for an in-memory case. */
  file: string | null;
  /** Opened read-only: nothing may be written (the commands that would write skip it or refuse). */
  readonly: boolean;
  db: Db;
  close(): void;
}

/** The case database most recently opened, for naming it in errors SQLite raises later (caseFault). */
let lastCaseFile: string | null = null;
let lastBusyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS;

type Kind = 'ours' | 'old' | 'empty' | 'foreign';

/**
 * What the database is: a threatlens case (marked), a threatlens case of schema 9 or before (no
 * mark, but threatlens's tables), an empty database (a case being created), or anything else.
 */
function identify(db: Db): { kind: Kind; userVersion: number } {
  // One read transaction: the mark, the version and the tables from the same committed state. Read
  // one by one, they could straddle another process creating the case (the mark and version read
  // before its commit, the tables after), and a case being created looked like another program's
  // database ("4 ingests at once" failed so, now and then).
  const read = db.transaction(() => ({
    app: db.pragma('application_id', { simple: true }) as number,
    userVersion: db.pragma('user_version', { simple: true }) as number,
    tables: new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]),
  }));
  const { app, userVersion, tables } = db.inTransaction ? read() : read.deferred();
  if (app === APPLICATION_ID) return { kind: 'ours', userVersion };
  if (app !== 0) return { kind: 'foreign', userVersion };
  if (tables.size === 0 && userVersion === 0) return { kind: 'empty', userVersion };
  if (userVersion >= 1 && ['meta', 'exports', 'messages', 'evidence'].every((t) => tables.has(t))) return { kind: 'old', userVersion };
  return { kind: 'foreign', userVersion };
}

function foreignError(file: string): UsageError {
  return new UsageError(
    `${file} is not a threatlens case: it is another program's SQLite database`,
    'threatlens left it untouched; give --case a folder of its own (a new folder is created as a case)',
  );
}

/** `found` 'on-open': before anything was written; 'while-working': SQLite met the damage in the middle of a command. */
function damagedError(file: string, what: string, found: 'on-open' | 'while-working' = 'on-open'): UsageError {
  return new UsageError(
    `the case database ${file} is damaged (${what})`,
    'restore case.sqlite from a copy or the case folder from a backup, or ingest the evidence again into a new case' +
      (found === 'on-open' ? '; threatlens did not change the file' : '; do not write into this one any further'),
  );
}

function readOnlyError(dir: string, why: string): UsageError {
  return new UsageError(
    `the case at ${dir} is read-only (${why}), and this command writes into it`,
    'copy the case folder to a place you can write to (or remount it read-write) and run it there; listing commands (messages, senders, phones, media, cluster, explain) work on it as it is',
  );
}

function newerError(version: number): UsageError {
  return new UsageError(
    `this case was written by a newer threatlens (schema ${version}, this one knows ${SCHEMA_VERSION})`,
    'upgrade threatlens to open it',
  );
}

function busyError(file: string, waitedMs: number): EnvironmentError {
  const waited = waitedMs >= 60_000 ? `${Math.round(waitedMs / 60_000)} minutes` : `${Math.round(waitedMs / 1000)} seconds`;
  return new EnvironmentError(
    `the case database ${file} is busy: another threatlens process kept it locked for ${waited}`,
    'run this again once the other ingest has finished; what was committed before is intact',
  );
}

/** Why a path cannot be written, in words, from an errno code. */
function whyNotWritable(code: string | undefined): string {
  if (code === 'EROFS') return 'read-only file system';
  if (code === 'EACCES' || code === 'EPERM') return 'no write permission';
  return code ?? 'cannot be written';
}

function errnoCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

function isSqliteCode(error: unknown, ...prefixes: string[]): boolean {
  const code = errnoCode(error);
  return typeof code === 'string' && prefixes.some((p) => code === p || code.startsWith(`${p}_`));
}

/**
 * The user-facing error for an SQLite (or disk) failure met while working on a case, or null when
 * it is not one the investigator can act on (then it is a bug). The case named is the one most
 * recently opened.
 */
export function caseFault(error: unknown): UsageError | EnvironmentError | null {
  if (error instanceof UsageError || error instanceof EnvironmentError) return null;
  const file = lastCaseFile ?? 'the in-memory case';
  if (isSqliteCode(error, 'SQLITE_FULL') || errnoCode(error) === 'ENOSPC') {
    return new EnvironmentError(
      `the disk is full: cannot write the case database ${file}`,
      'free some space and run again; what the case held before is intact (each export lands whole or not at all)',
    );
  }
  if (isSqliteCode(error, 'SQLITE_CORRUPT', 'SQLITE_NOTADB')) return damagedError(file, (error as Error).message, 'while-working');
  if (isSqliteCode(error, 'SQLITE_BUSY', 'SQLITE_LOCKED')) return busyError(file, lastBusyTimeoutMs);
  if (isSqliteCode(error, 'SQLITE_READONLY')) return readOnlyError(file, 'SQLite cannot write it');
  if (isSqliteCode(error, 'SQLITE_IOERR', 'SQLITE_CANTOPEN', 'SQLITE_PERM')) {
    return new EnvironmentError(
      `cannot read or write the case database ${file}: ${(error as Error).message} (${errnoCode(error)})`,
      'check the disk and the folder (still mounted? readable?), then run again',
    );
  }
  return null;
}

/**
 * Checks the header of an existing database file before SQLite opens it: random bytes, a file too
 * short for a header, or one shorter than its own header says (truncated) is damaged. An empty file
 * is a case being created. In WAL mode the header may lag behind the WAL, so the length is only
 * checked when there is no WAL content.
 */
function checkHeader(dbPath: string): 'empty' | 'ok' {
  let fd: number;
  try {
    fd = openSync(dbPath, 'r');
  } catch (error) {
    throw new UsageError(`cannot read the case database ${dbPath}: ${whyNotWritable(errnoCode(error)).replace('write', 'read')}`, 'check the permissions of the case folder');
  }
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return 'empty';
    const header = Buffer.alloc(100);
    const got = readSync(fd, header, 0, 100, 0);
    if (got < 100) return damaged(dbPath, `${size} bytes, shorter than an SQLite header`);
    if (header.toString('latin1', 0, 16) !== 'SQLite format 3\u0000') return damaged(dbPath, 'not an SQLite database: it starts with other bytes');
    const rawPageSize = header.readUInt16BE(16);
    const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
    if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) return damaged(dbPath, 'its header is not valid');
    const pages = header.readUInt32BE(28);
    const valid = header.readUInt32BE(92) === header.readUInt32BE(24);
    const wal = statSync(`${dbPath}-wal`, { throwIfNoEntry: false })?.size ?? 0;
    if (wal === 0 && valid && pages > 0 && size < pages * pageSize) {
      return damaged(dbPath, `truncated: ${size} bytes of the ${pages * pageSize} its header gives`);
    }
    return 'ok';
  } finally {
    closeSync(fd);
  }
}

function damaged(dbPath: string, what: string): never {
  throw damagedError(dbPath, what);
}

/** Whether this process can write the case folder and its database files (EROFS on a read-only mount, also for root). */
function writableProblem(absDir: string, dbPath: string): string | null {
  for (const path of [absDir, dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) {
    if (path !== absDir && !existsSync(path)) continue;
    try {
      accessSync(path, constants.W_OK);
    } catch (error) {
      return whyNotWritable(errnoCode(error));
    }
  }
  return null;
}

/**
 * mkdir -p, one folder at a time from the first that exists (0700 each): Node 20's recursive mkdir
 * never returns for some paths (under /proc). Returns whether `absDir` itself was created.
 */
function makeFolders(absDir: string): boolean {
  const missing: string[] = [];
  for (let at = absDir; !existsSync(at); at = dirname(at)) {
    missing.unshift(at);
    if (dirname(at) === at) break;
  }
  for (const folder of missing) {
    try {
      mkdirSync(folder, { mode: 0o700 });
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST') throw error; // another process made it meanwhile
    }
  }
  return missing.includes(absDir);
}

/** Creates the case folder (0700) and an empty database file (0600), whatever the umask; another process may be doing the same. */
function createCaseFiles(dir: string, absDir: string, dbPath: string): void {
  try {
    if (makeFolders(absDir)) chmodSync(absDir, 0o700);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') throw readOnlyError(dir, whyNotWritable(code));
    if (code === 'EEXIST' || code === 'ENOTDIR') throw notAFolderError(dir);
    if (code === 'ENOENT') throw new UsageError(`--case ${dir}: the case folder cannot be created there (${describeSystemError(error)})`, 'give --case a folder you can write to');
    throw error;
  }
  let fd: number;
  try {
    fd = openSync(dbPath, 'wx', 0o600);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'EEXIST') return;
    if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') throw readOnlyError(dir, whyNotWritable(code));
    throw error;
  }
  try {
    fchmodSync(fd, 0o600);
  } finally {
    closeSync(fd);
  }
}

function notAFolderError(dir: string): UsageError {
  return new UsageError(`--case ${dir} is not a folder`, 'a case is a folder holding case.sqlite; give the path of a folder (a new one is created)');
}

function configure(db: Db): void {
  db.pragma('foreign_keys = ON');
  // For migrations that derive values the way the writer does.
  db.function('threatlens_sender_scope', { deterministic: true }, (platform: unknown, victim: unknown) =>
    senderScope(String(platform), String(victim)),
  );
  db.function(
    'threatlens_overlap_key',
    { deterministic: true },
    (messageId: unknown, local: unknown, utc: unknown, senderKey: unknown, kind: unknown, text: unknown) =>
      overlapKey({
        messageId: typeof messageId === 'string' ? messageId : null,
        local: typeof local === 'string' ? local : null,
        utc: typeof utc === 'string' ? utc : null,
        senderKey: typeof senderKey === 'string' ? senderKey : null,
        kind: String(kind),
        text: String(text),
      }),
  );
  db.function('threatlens_search_fold', { deterministic: true }, (text: unknown) => searchFoldOrEmpty(String(text)));
  // REGEXP for `messages --grep`: JavaScript syntax, Unicode-aware.
  const compiled = new Map<string, RegExp>();
  const regExpOf = (pattern: string, flags: string): RegExp => {
    let re = compiled.get(flags + pattern);
    if (!re) {
      re = new RegExp(pattern, flags);
      compiled.set(flags + pattern, re);
    }
    return re;
  };
  db.function('regexp', { deterministic: true }, (pattern: unknown, value: unknown) =>
    typeof pattern === 'string' && typeof value === 'string' && regExpOf(pattern, 'u').test(value) ? 1 : 0,
  );
  // `messages --grep --fold`: case-insensitive, on the text and on its folded copy (search_folded).
  db.function('threatlens_grep_folded', { deterministic: true }, (pattern: unknown, text: unknown, folded: unknown) => {
    if (typeof pattern !== 'string' || typeof text !== 'string') return 0;
    const re = regExpOf(pattern, 'iu');
    return re.test(text) || (typeof folded === 'string' && folded !== '' && re.test(folded)) ? 1 : 0;
  });
}

/**
 * Creates the schema of an empty database, or brings an older case up to date, under the write
 * lock (BEGIN IMMEDIATE): of two processes creating one case, the second finds it created. Marks
 * the case as threatlens's (application_id).
 */
function setUp(db: Db, file: string): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    const { kind, userVersion } = identify(db);
    if (kind === 'foreign') throw foreignError(file);
    if (userVersion > SCHEMA_VERSION) throw newerError(userVersion);
    for (const migration of MIGRATIONS) {
      if (migration.version <= userVersion) continue;
      db.exec(migration.sql);
      db.prepare('INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)').run(
        `migration.${migration.version}`,
        `${migration.description} (${TOOL})`,
      );
      db.pragma(`user_version = ${migration.version}`);
    }
    if (kind !== 'ours') db.pragma(`application_id = ${APPLICATION_ID}`);
    db.prepare("INSERT OR IGNORE INTO meta(key, value) VALUES ('created_by', ?)").run(TOOL);
    if (kind === 'empty') markManifestStale(db);
    // An existing case brought up to date is changed: the command that opened it logs it.
    else if (userVersion < SCHEMA_VERSION && file !== ':memory:') recordChange(db);
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/** Whether the schema needs setUp: not yet created, not marked, or older than this threatlens. */
function needsSetUp(kind: Kind, userVersion: number): boolean {
  return kind !== 'ours' || userVersion < SCHEMA_VERSION;
}

/**
 * Opens a case that cannot be written. SQLite reads a WAL-mode database read-only only when its
 * -wal and -shm files exist (or can be created); a case closed cleanly has neither, so it is then
 * read into memory (the main file holds everything when there is no WAL content).
 */
function openReadOnly(dir: string, dbPath: string, timeout: number): Db {
  try {
    const db = new (Database())(dbPath, { readonly: true, fileMustExist: true, timeout });
    try {
      db.pragma('schema_version');
      return db;
    } catch (error) {
      db.close();
      throw error;
    }
  } catch (error) {
    // CANTOPEN (as root on a read-only mount), READONLY_DIRECTORY or READONLY_CANTINIT (without write permission).
    if (!isSqliteCode(error, 'SQLITE_CANTOPEN', 'SQLITE_READONLY')) throw error;
  }
  const wal = statSync(`${dbPath}-wal`, { throwIfNoEntry: false })?.size ?? 0;
  if (wal > 0) {
    throw new UsageError(
      `the case at ${dir} is read-only and its latest changes are still in ${DB_FILE}-wal, which SQLite cannot read without writing`,
      'copy the case folder (all its files) to a place you can write to and list it there',
    );
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(dbPath);
  } catch (error) {
    if (errnoCode(error) === 'ERR_FS_FILE_TOO_LARGE' || error instanceof RangeError) {
      throw new UsageError(`the case at ${dir} is read-only and too large to read into memory`, 'copy the case folder to a place you can write to and list it there');
    }
    throw error;
  }
  // A WAL-mode header (bytes 18-19 = 2) is read as a rollback-journal one: there is no WAL content.
  if (bytes.length >= 20 && bytes[18] === 2 && bytes[19] === 2) {
    bytes[18] = 1;
    bytes[19] = 1;
  }
  return new (Database())(bytes, { readonly: true });
}

/** Whether `dir` holds a case (its database file). */
export function caseExists(dir: string): boolean {
  return existsSync(join(resolve(dir), DB_FILE));
}

/** Opens (or creates) the case at `dir`; `null` opens a fresh in-memory case. */
export function openCase(dir: string | null, options: OpenCaseOptions): CaseHandle {
  if (dir === null) {
    const db = new (Database())(':memory:');
    configure(db);
    setUp(db, ':memory:');
    return { dir: null, file: null, readonly: false, db, close: () => db.close() };
  }
  const access = options.access ?? 'write';
  const timeout = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const absDir = resolve(dir);
  const dbPath = join(absDir, DB_FILE);
  const dirStat = statSync(absDir, { throwIfNoEntry: false });
  if (dirStat !== undefined && !dirStat.isDirectory()) throw notAFolderError(dir);
  const dbStat = dirStat === undefined ? undefined : statSync(dbPath, { throwIfNoEntry: false });
  if (dbStat === undefined) {
    if (!options.create) {
      throw new UsageError(
        `no case at ${dir} (no ${DB_FILE} there)`,
        'ingest evidence first with `threatlens ingest PATH --case DIR`, or pass input paths to analyse them without a case',
      );
    }
    createCaseFiles(dir, absDir, dbPath);
  } else if (!dbStat.isFile()) {
    throw damagedError(dbPath, dbStat.isDirectory() ? 'it is a folder, not a database file' : 'it is not a regular file');
  }
  lastCaseFile = dbPath;
  lastBusyTimeoutMs = timeout;
  checkHeader(dbPath);

  let db: Db | null = null;
  let readonly = false;
  const problem = writableProblem(absDir, dbPath);
  if (problem !== null) {
    if (access === 'write') throw readOnlyError(dir, problem);
    readonly = true;
  } else {
    try {
      db = openWritable(dbPath, timeout, options.create || access === 'write');
    } catch (error) {
      if (!isSqliteCode(error, 'SQLITE_READONLY', 'SQLITE_CANTOPEN')) throw translate(error, dbPath, dir);
      if (access === 'write') throw readOnlyError(dir, `SQLite cannot write it: ${(error as Error).message}`);
      readonly = true;
    }
  }
  if (readonly) {
    try {
      db = openReadOnly(dir, dbPath, timeout);
      const { kind, userVersion } = identify(db);
      if (kind === 'foreign') throw foreignError(dbPath);
      if (kind === 'empty') throw new UsageError(`no case at ${dir} (its ${DB_FILE} is empty)`, 'ingest evidence first with `threatlens ingest PATH --case DIR`');
      if (userVersion > SCHEMA_VERSION) throw newerError(userVersion);
      if (userVersion < SCHEMA_VERSION) {
        throw new UsageError(
          `the case at ${dir} was written by an older threatlens (schema ${userVersion}; this one reads ${SCHEMA_VERSION}) and is read-only, so it cannot be upgraded`,
          `open it once where it can be written (e.g. \`threatlens senders --case DIR\` on a writable copy): that upgrades it, and the upgraded case can then be listed read-only`,
        );
      }
      configure(db);
    } catch (error) {
      db?.close();
      throw translate(error, dbPath, dir);
    }
  }
  const opened = db!;
  noteOpened(opened);
  const handle: CaseHandle = { dir: absDir, file: dbPath, readonly, db: opened, close: () => closeCase(handle) };
  if (!readonly) {
    // Evidence copies a killed ingest left in <case>/tmp/ (see temp.ts).
    sweepCaseTemp(absDir);
    try {
      if (manifestStale(handle)) writeManifest(handle, { wait: false });
    } catch (error) {
      // A listing still works when the manifest cannot be rewritten now; ingest says why.
      if (access === 'write') {
        opened.close();
        throw error;
      }
    }
  }
  return handle;
}

/**
 * Closes a case on disk: the custody entry of the command that changed it is completed, and the
 * manifest rewritten to show it. Closing never fails on that account (it runs in `finally` blocks,
 * after the command's own error perhaps): an entry that cannot be completed stays without an end
 * time, which is what the log then says, and a manifest that cannot be rewritten stays marked stale.
 */
function closeCase(handle: CaseHandle): void {
  try {
    if (!handle.readonly && finishEntry(handle.db)) writeManifest(handle, { wait: false });
  } catch {
    // See above: the log and the stale mark say what did not happen.
  } finally {
    handle.db.close();
  }
}

/** The page size of new cases, in bytes. */
export const PAGE_SIZE = 8192;

/** Opens a case that can be written: refuses what is not a case before writing anything, then sets it up. */
function openWritable(dbPath: string, timeout: number, mayCreate: boolean): Db {
  const db = new (Database())(dbPath, { fileMustExist: true, timeout });
  try {
    const { kind, userVersion } = identify(db);
    if (kind === 'foreign') throw foreignError(dbPath);
    if (userVersion > SCHEMA_VERSION) throw newerError(userVersion);
    if (kind === 'empty' && !mayCreate) throw new UsageError(`no case at ${dbPath.slice(0, -DB_FILE.length - 1)} (its ${DB_FILE} is empty)`, 'ingest evidence first with `threatlens ingest PATH --case DIR`');
    // A new case gets 8 KiB pages (SQLite's default is 4 KiB): a large export is written with half
    // the page writes and B-tree splits, 17 % faster end to end at 1M messages, at the same memory.
    // Only before the first write; cases made with 4 KiB pages keep them.
    if (kind === 'empty') db.pragma(`page_size = ${PAGE_SIZE}`);
    // Persistent; a no-op when the case is in WAL mode already (every case since the first).
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    configure(db);
    if (needsSetUp(kind, userVersion)) setUp(db, dbPath);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** An SQLite error met while opening, as the investigator should read it. */
function translate(error: unknown, dbPath: string, dir: string): unknown {
  if (error instanceof UsageError || error instanceof EnvironmentError) return error;
  if (isSqliteCode(error, 'SQLITE_CORRUPT', 'SQLITE_NOTADB')) return damagedError(dbPath, (error as Error).message);
  if (isSqliteCode(error, 'SQLITE_BUSY', 'SQLITE_LOCKED')) return busyError(dbPath, lastBusyTimeoutMs);
  if (isSqliteCode(error, 'SQLITE_READONLY')) return readOnlyError(dir, 'SQLite cannot write it');
  return caseFault(error) ?? error;
}

function manifestStale(handle: CaseHandle): boolean {
  if (handle.dir === null) return false;
  if (!existsSync(join(handle.dir, MANIFEST_FILE))) return true;
  return handle.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(MANIFEST_STALE) === '1';
}

interface EvidenceRow {
  sha256: string;
  path: string;
  size: number;
  role: string;
  ingested_at: string;
}

/**
 * Rewrites the evidence manifest from the database: every file taken in, sorted by path, with
 * size, SHA-256, role and when it was first taken in; and every input rejected, with the reason.
 * Written atomically (temp file, flushed, then renamed over the old one), under the case's write
 * lock so that two processes cannot interleave, and only outside a transaction (it lists what is
 * committed). With `wait: false`, gives up (returns false) when another process holds the lock: that
 * process rewrites the manifest itself after its commit.
 */
export function writeManifest(handle: CaseHandle, options: { wait: boolean } = { wait: true }): boolean {
  if (handle.dir === null || handle.readonly) return false;
  const db = handle.db;
  if (db.inTransaction) throw new Error('writeManifest inside a transaction would list what is not committed');
  if (!options.wait) {
    const timeout = db.pragma('busy_timeout', { simple: true }) as number;
    db.pragma('busy_timeout = 0');
    try {
      db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      if (isSqliteCode(error, 'SQLITE_BUSY')) return false;
      throw error;
    } finally {
      db.pragma(`busy_timeout = ${timeout}`);
    }
  } else {
    db.exec('BEGIN IMMEDIATE');
  }
  const target = join(handle.dir, MANIFEST_FILE);
  try {
    const files = db.prepare('SELECT sha256, path, size, role, ingested_at FROM evidence ORDER BY path, sha256').iterate() as IterableIterator<EvidenceRow>;
    const rejected = db
      .prepare("SELECT path, sha256, size, reason, rejected_at FROM rejections ORDER BY path, ifnull(sha256, ''), reason")
      .iterate() as IterableIterator<{ path: string; sha256: string | null; size: number | null; reason: string; rejected_at: string }>;
    writeFileAtomic(
      target,
      prettyJsonChunks({ schema: 'threatlens/evidence-manifest/v1', tool: TOOL, examiner: caseExaminer(db) }, [
        ['files', mapped(files, (r) => ({ path: r.path, size: r.size, sha256: r.sha256, role: r.role, ingestedAt: r.ingested_at }))],
        ['rejected', mapped(rejected, (r) => ({ path: r.path, size: r.size, sha256: r.sha256, reason: r.reason, rejectedAt: r.rejected_at }))],
        ['custody', custodyLog(db)],
      ]),
    );
    db.prepare('INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)').run(MANIFEST_STALE, '0');
    db.exec('COMMIT');
    return true;
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    if (errnoCode(error) === 'ENOSPC' || isSqliteCode(error, 'SQLITE_FULL')) {
      throw new EnvironmentError(
        `the disk is full: the evidence manifest ${target} could not be rewritten`,
        'free some space; the database is intact, and the manifest is rewritten the next time the case is opened where it can be written',
      );
    }
    throw error;
  }
}

/** Writes the text of `chunks` to `target` through a temporary file (0600, flushed) renamed over it. */
function writeFileAtomic(target: string, chunks: Iterable<string>): void {
  const temp = `${target}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    fchmodSync(fd, 0o600);
    writeChunks(fd, chunks);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // Left for the next rewrite, which overwrites it.
    }
    throw error;
  }
  closeSync(fd);
  renameSync(temp, target);
}
