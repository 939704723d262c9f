// Media below an export folder, named by paths relative to it (Telegram's `photos/photo_1@….jpg`,
// `chats/chat_NN/files/…`). Every path is confined to that folder: absolute paths, `..` escapes and
// symlinks leading out are refused and never opened. What a platform writes in place of a file it
// left out is the reader's to say (its `placeholder` function).
import { lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import type { MediaKind, MediaRef } from '../../model.js';
import { sha256FileInWorker, sha256Text } from '../../util/hash.js';

const MAX_CACHED_HASHES = 20_000;

/** What the resolver says about one referenced file. */
export interface MediaProblem {
  code: 'media-path-outside-export' | 'media-not-found';
  message: string;
}

export interface MediaRequest {
  kind: MediaKind;
  /** The value written in the export: a relative path or a placeholder. */
  value: string;
  fileName: string | null;
  declaredSize: number | null;
  mime: string | null;
}

export interface Resolved {
  media: MediaRef;
  problem: MediaProblem | null;
}

type HashInfo = { sha256: string; size: number };

/** Files up to this size are hashed with one synchronous read; larger ones are streamed. */
const SYNC_HASH_LIMIT = 4 * 1024 * 1024;

/**
 * Resolves media of one export folder. Checks are synchronous (metadata is cached by the OS and
 * a thread-pool round trip per file costs more than the check), so a message whose media is
 * missing, omitted or small costs no await. Hashes are cached per file, since stickers and
 * forwarded photos are referenced many times.
 */
export class TreeMedia {
  private readonly exportDir: string;
  private readonly displayDir: string;
  private realExportDir: string | null = null;
  /** Directory → whether its real path lies inside the export folder. */
  private readonly dirs = new Map<string, boolean>();
  private readonly cache = new Map<string, HashInfo | Promise<HashInfo | null>>();

  /**
   * @param inputAbsPath absolute path of the export's file in its folder (result.json)
   * @param inputDisplayPath the same file as the user named it (forward slashes)
   * @param placeholder why the export left a file out, from the value written in place of its path;
   *   null when the value is a path
   */
  constructor(
    inputAbsPath: string,
    inputDisplayPath: string,
    private readonly placeholder: (value: string) => string | null = () => null,
  ) {
    this.exportDir = dirname(inputAbsPath);
    this.displayDir = posix.dirname(inputDisplayPath);
  }

  /**
   * Media below `folderAbs` (shown as `folderDisplay`, forward slashes, '' or '.' for the current
   * folder), for exports whose paths start above the file read (Meta's `messages/inbox/…` from the
   * top of the download).
   */
  static inFolder(folderAbs: string, folderDisplay: string): TreeMedia {
    const shown = folderDisplay === '' || folderDisplay === '.' ? '_' : posix.join(folderDisplay, '_');
    return new TreeMedia(join(folderAbs, '_'), shown);
  }

  /** The media reference; a promise only when a large file must be streamed to be hashed. */
  resolve(req: MediaRequest): Resolved | Promise<Resolved> {
    const base: MediaRef = {
      kind: req.kind,
      name: req.fileName ?? '',
      path: null,
      sha256: null,
      size: req.declaredSize,
      missing: null,
      mime: req.mime,
    };
    const reason = this.placeholder(req.value);
    if (reason !== null) return { media: { ...base, missing: reason }, problem: null };
    if (req.value === '') return { media: { ...base, missing: 'omitted' }, problem: null };

    const rel = safeRelative(req.value);
    if (rel === null) {
      return {
        media: { ...base, name: base.name || lastSegment(req.value), missing: 'unsafe-path' },
        problem: {
          code: 'media-path-outside-export',
          message: `media path ${JSON.stringify(req.value)} points outside the export folder; it was not opened`,
        },
      };
    }
    const name = base.name || posix.basename(rel);
    const abs = resolve(this.exportDir, ...rel.split('/'));
    const display = this.displayDir === '.' ? rel : posix.join(this.displayDir, rel);
    const located = this.locate(abs);
    if (located === 'outside') {
      return {
        media: { ...base, name, missing: 'unsafe-path' },
        problem: {
          code: 'media-path-outside-export',
          message: `media path ${JSON.stringify(req.value)} resolves (through a link) outside the export folder; it was not opened`,
        },
      };
    }
    const notFound = (): Resolved => ({
      media: { ...base, name, path: display, missing: 'not-found' },
      problem: { code: 'media-not-found', message: `media file ${display} is referenced but missing` },
    });
    if (located === null) return notFound();
    const present = (info: HashInfo | null): Resolved =>
      info === null ? notFound() : { media: { ...base, name, path: display, sha256: info.sha256, size: info.size }, problem: null };
    const info = this.hash(located.real, located.size);
    return info instanceof Promise ? info.then(present) : present(info);
  }

  /** The real path and size of a regular file inside the export; null if absent; 'outside'. */
  private locate(abs: string): { real: string; size: number } | null | 'outside' {
    let st;
    try {
      st = lstatSync(abs, { throwIfNoEntry: false }); // no exception (and stack trace) per missing file
    } catch {
      return null; // ENOTDIR, EACCES…
    }
    if (st === undefined) return null;
    this.realExportDir ??= realpathSync(this.exportDir);
    let real = abs;
    if (st.isSymbolicLink()) {
      try {
        real = realpathSync(abs);
        st = statSync(real);
      } catch {
        return null; // a dangling link
      }
      if (!isInside(this.realExportDir, real)) return 'outside';
    } else {
      // The file itself is no link; one of its folders might be.
      const dir = dirname(abs);
      let inside = this.dirs.get(dir);
      if (inside === undefined) {
        let realDir: string;
        try {
          realDir = realpathSync(dir);
        } catch {
          return null;
        }
        inside = realDir === this.realExportDir || isInside(this.realExportDir, realDir);
        if (this.dirs.size >= MAX_CACHED_HASHES) this.dirs.clear();
        this.dirs.set(dir, inside);
      }
      if (!inside) return 'outside';
    }
    if (!st.isFile()) return null;
    return { real, size: st.size };
  }

  private hash(real: string, size: number): HashInfo | Promise<HashInfo | null> | null {
    const hit = this.cache.get(real);
    if (hit !== undefined) return hit;
    if (this.cache.size >= MAX_CACHED_HASHES) this.cache.clear(); // keep memory flat on huge exports
    if (size <= SYNC_HASH_LIMIT) {
      let info: HashInfo;
      try {
        const bytes = readFileSync(real, { flag: 'r' });
        info = { sha256: sha256Text(bytes), size: bytes.length };
      } catch {
        return null;
      }
      this.cache.set(real, info);
      return info;
    }
    const pending = sha256FileInWorker(real).catch(() => null);
    this.cache.set(real, pending);
    return pending;
  }
}

function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

function lastSegment(value: string): string {
  const parts = value.split(/[\\/]/);
  return parts[parts.length - 1] ?? '';
}

/**
 * The export-relative path (forward slashes, normalized) when `value` stays inside the export
 * folder; null for absolute paths, drive letters, NUL bytes and `..` escapes. Backslashes count
 * as separators, so `..\..\x` is caught too.
 */
export function safeRelative(value: string): string | null {
  if (value.includes('\0')) return null;
  const slashed = value.replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed)) return null;
  const norm = posix.normalize(slashed);
  if (norm === '..' || norm.startsWith('../')) return null;
  return norm;
}
