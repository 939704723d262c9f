// Private temporary folders for copies of evidence (images inside a .zip, copied out for the image
// decoders and exiftool, which read files).
//
// A case folder holds its own, under `<case>/tmp/`: a kill -9 in the middle of an ingest cannot be
// cleaned up after by the process itself (it left up to 441 MB under /tmp/threatlens-media-* when
// they lived in the system's temporary folder), so the next writable open of the case removes what
// a dead process left there. Copies of a victim's pictures then never leave the case folder, which
// is owner-only. Each folder is named after its host and process (`media-<host>-<pid>-XXXXXX`) so
// that the sweep never removes the folder of an ingest still running into the same case.
//
// Without a case folder (an in-memory case, or a read-only case) the copies go to the system's
// temporary folder, and whatever is still there when the process exits or is interrupted (Ctrl-C,
// SIGTERM) is removed then.
import { mkdirSync, readdirSync, rmdirSync, rmSync, statSync, chmodSync } from 'node:fs';
import { mkdtemp, rm, rmdir } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

/** The case's own temporary folder, below the case folder. */
export const CASE_TMP = 'tmp';

/** A folder of another host (a case on a shared drive) is swept only once it is this old. */
const FOREIGN_HOST_AGE_MS = 24 * 3600 * 1000;

/** A host name as a file name part: no separators or dots that would make the name ambiguous. */
const hostPart = (): string => hostname().replace(/[^A-Za-z0-9_]/g, '_') || 'host';

const PREFIX = 'media-';

export interface TempFolder {
  path: string;
  /** Removes the folder and everything in it; never throws. */
  remove(): Promise<void>;
}

/** Folders outside a case, removed at exit if their user has not removed them by then. */
const outside = new Set<string>();
let exitHooked = false;

function removeOutsideNow(): void {
  for (const path of outside) {
    try {
      rmSync(path, { recursive: true, force: true });
    } catch {
      // Exiting: nothing more can be done, and the folder is private (0700).
    }
  }
  outside.clear();
}

function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', removeOutsideNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    // Interrupted: remove the copies, then die of the same signal as without this handler.
    const onSignal = (): void => {
      removeOutsideNow();
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

/**
 * A new private (0700) temporary folder for evidence copies: inside the case folder when the case
 * has one that can be written, else in the system's temporary folder. `handle`: the case the
 * copies belong to (its folder, and whether it can be written), or null.
 */
export async function makeTempFolder(handle: { dir: string | null; readonly: boolean } | null): Promise<TempFolder> {
  if (handle !== null && handle.dir !== null && !handle.readonly) {
    const root = join(handle.dir, CASE_TMP);
    mkdirSync(root, { recursive: true, mode: 0o700 });
    const path = await mkdtemp(join(root, `${PREFIX}${hostPart()}-${process.pid}-`));
    chmodSync(path, 0o700);
    return {
      path,
      remove: async () => {
        await rm(path, { recursive: true, force: true }).catch(() => undefined);
        // The case keeps no empty tmp/ (another ingest's folder keeps it, and this fails then).
        await rmdir(root).catch(() => undefined);
      },
    };
  }
  const path = await mkdtemp(join(tmpdir(), 'threatlens-media-'));
  chmodSync(path, 0o700);
  outside.add(path);
  hookExit();
  return {
    path,
    remove: async () => {
      outside.delete(path);
      await rm(path, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}

/** Whether process `pid` of this host is running. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes what dead processes left in `<caseDir>/tmp/`: folders of this host whose process no
 * longer runs, folders of other hosts older than a day, and anything there not named like ours.
 * Called at every writable open of a case; never throws (a leftover is no reason to refuse a case).
 * Returns the names removed.
 */
export function sweepCaseTemp(caseDir: string): string[] {
  const root = join(caseDir, CASE_TMP);
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  const host = hostPart();
  const removed: string[] = [];
  for (const name of names) {
    const m = name.startsWith(PREFIX) ? /^([A-Za-z0-9_]+)-(\d+)-[A-Za-z0-9]+$/.exec(name.slice(PREFIX.length)) : null;
    let stale: boolean;
    if (m === null) stale = true;
    else if (m[1] === host) stale = Number(m[2]) !== process.pid && !alive(Number(m[2]));
    else {
      try {
        stale = Date.now() - statSync(join(root, name)).mtimeMs > FOREIGN_HOST_AGE_MS;
      } catch {
        stale = false;
      }
    }
    if (!stale) continue;
    try {
      rmSync(join(root, name), { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Left for the next open.
    }
  }
  try {
    rmdirSync(root);
  } catch {
    // Not empty: a running ingest's folder.
  }
  return removed;
}
