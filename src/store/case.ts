// The case: a directory holding one SQLite database (`case.sqlite`) and an evidence manifest
// (`evidence-manifest.json`), or a throw-away in-memory database for one-off analysis.
import Database from 'better-sqlite3';
import { mkdirSync, existsSync, writeFileSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MIGRATIONS, SCHEMA_VERSION } from './schema.js';
import { UsageError } from '../util/errors.js';
import { TOOL } from '../version.js';
import { senderScope } from '../util/hash.js';
import { overlapKey } from '../util/message-key.js';

export const DB_FILE = 'case.sqlite';
export const MANIFEST_FILE = 'evidence-manifest.json';

export interface CaseLocation {
  /** Directory of the case, or null for an in-memory case. */
  dir: string | null;
}

export type Db = Database.Database;

export interface OpenCaseOptions {
  /** Create the case directory and database when missing. */
  create: boolean;
}

/** An open case. `db` is exposed for the query modules in store/; nothing else should use SQL. */
export interface CaseHandle {
  dir: string | null;
  db: Db;
  close(): void;
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new UsageError(
      `this case was written by a newer threatlens (schema ${current}, this one knows ${SCHEMA_VERSION})`,
      'upgrade threatlens to open it',
    );
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare('INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)').run(
        `migration.${migration.version}`,
        `${migration.description} (${TOOL})`,
      );
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
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
  // REGEXP for `messages --grep`: JavaScript syntax, Unicode-aware.
  const compiled = new Map<string, RegExp>();
  db.function('regexp', { deterministic: true }, (pattern: unknown, value: unknown) => {
    if (typeof pattern !== 'string' || typeof value !== 'string') return 0;
    let re = compiled.get(pattern);
    if (!re) {
      re = new RegExp(pattern, 'u');
      compiled.set(pattern, re);
    }
    return re.test(value) ? 1 : 0;
  });
}

/** Whether `dir` holds a case (its database file). */
export function caseExists(dir: string): boolean {
  return existsSync(join(resolve(dir), DB_FILE));
}

/** Opens (or creates) the case at `dir`; `null` opens a fresh in-memory case. */
export function openCase(dir: string | null, options: OpenCaseOptions): CaseHandle {
  let db: Db;
  let absDir: string | null = null;
  if (dir === null) {
    db = new Database(':memory:');
  } else {
    absDir = resolve(dir);
    const dbPath = join(absDir, DB_FILE);
    if (!existsSync(dbPath)) {
      if (!options.create) {
        throw new UsageError(
          `no case at ${dir} (no ${DB_FILE} there)`,
          'ingest evidence first with `threatlens ingest PATH --case DIR`, or pass input paths to analyse them without a case',
        );
      }
      mkdirSync(absDir, { recursive: true });
    }
    db = new Database(dbPath);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  configure(db);
  migrate(db);
  if (!db.prepare("SELECT 1 FROM meta WHERE key = 'created_by'").get()) {
    db.prepare("INSERT INTO meta(key, value) VALUES ('created_by', ?)").run(TOOL);
  }
  return {
    dir: absDir,
    db,
    close: () => db.close(),
  };
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
 * size, SHA-256, role and when it was first taken in; and every input rejected, with the reason. Written atomically (temp file + rename).
 */
export function writeManifest(handle: CaseHandle): void {
  if (handle.dir === null) return;
  const rows = handle.db
    .prepare('SELECT sha256, path, size, role, ingested_at FROM evidence ORDER BY path, sha256')
    .all() as EvidenceRow[];
  const rejected = handle.db
    .prepare('SELECT path, sha256, size, reason, rejected_at FROM rejections ORDER BY path, ifnull(sha256, \'\'), reason')
    .all() as { path: string; sha256: string | null; size: number | null; reason: string; rejected_at: string }[];
  const manifest = {
    schema: 'threatlens/evidence-manifest/v1',
    tool: TOOL,
    files: rows.map((r) => ({ path: r.path, size: r.size, sha256: r.sha256, role: r.role, ingestedAt: r.ingested_at })),
    rejected: rejected.map((r) => ({ path: r.path, size: r.size, sha256: r.sha256, reason: r.reason, rejectedAt: r.rejected_at })),
  };
  const target = join(handle.dir, MANIFEST_FILE);
  const temp = `${target}.tmp`;
  writeFileSync(temp, JSON.stringify(manifest, null, 2) + '\n');
  renameSync(temp, target);
}
