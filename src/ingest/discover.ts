// Turning the paths an investigator typed into a sorted list of candidate files, each with the
// victim label it belongs to. Folders are walked recursively; hidden files and symbolic links are
// skipped (a link could lead out of the evidence folder), and so are FIFOs, sockets and devices,
// each with a notice. A pipe or a device is never opened: reading one waits for a writer forever
// (a FIFO) or never ends (/dev/zero).
import type { Dirent, Stats } from 'node:fs';
import { lstat, readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, posix, relative, resolve, sep } from 'node:path';
import { InputError, UsageError } from '../util/errors.js';
import { displayFolder } from '../readers/kit/provenance.js';
import { folderMarkers } from '../readers/registry.js';
import { checkDateOrder, checkRegion, checkZone, parseColumnMap, type ColumnMap, type DateOrder } from '../settings.js';

/**
 * A folder of evidence may hold `threatlens.json`, the investigator's notes on it:
 * `{"victim": "anna", "tz": "Europe/Vilnius", "region": "RU", "dateOrder": "dmy"}` (every field
 * optional). They apply to every file below that folder (the nearest file wins) wherever the command
 * line does not set the same option. The notes file is not evidence and is not ingested.
 */
export const SETTINGS_FILE = 'threatlens.json';

export interface FolderSettings {
  victim?: string;
  tz?: string;
  region?: string;
  dateOrder?: DateOrder;
  /** The columns of the folder's tables of messages (as --map). */
  map?: ColumnMap;
}

export interface Candidate {
  absPath: string;
  /** The path as the user would type it: the argument joined with the path below it. */
  displayPath: string;
  /** Victim label: `--victim`, else derived from the folder layout (see victimFor). */
  victim: string;
  /** The argument this file was found under. */
  root: string;
  /** Settings from the nearest threatlens.json above the file (within the argument), if any. */
  settings: FolderSettings;
  /** Where those settings came from. */
  settingsFile: string | null;
}

export interface Discovery {
  candidates: Candidate[];
  skipped: { path: string; reason: string }[];
  errors: InputError[];
}

function toDisplay(path: string): string {
  const forward = path.split(sep).join('/');
  const normalized = posix.normalize(forward);
  return normalized === '.' ? forward : normalized;
}


/**
 * Victim label of a file when `--victim` is not given:
 * - a file found under a folder argument: the first folder below the argument
 *   (`case/anna/chat.txt` under `case` → `anna`), or the argument's own name for files directly in it;
 * - a file argument: the name of the folder holding it.
 * A folder export's own folder (Telegram's `ChatExport_…/`, holding result.json) is never the victim: the
 * label then comes from the folder above it (`anna/ChatExport_2022-01-25/result.json` → `anna`).
 */
export function victimFor(arg: string, absPath: string, isDirArg: boolean, exportFolders: ReadonlySet<string>): string {
  if (isDirArg) {
    const root = resolve(arg);
    const rel = relative(root, absPath).split(sep);
    const first = rel.length > 1 ? rel[0]! : null;
    if (first !== null && !exportFolders.has(join(root, first))) return first;
    return basename(exportFolders.has(root) ? dirname(root) : root);
  }
  const folder = dirname(resolve(absPath));
  return basename(exportFolders.has(folder) ? dirname(folder) : folder);
}

/** Reads and checks a threatlens.json; a bad one is a usage error naming the file. */
export async function readSettings(path: string): Promise<FolderSettings> {
  const shown = toDisplay(path);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`${shown}: not valid JSON (${(error as Error).message})`, 'expected {"victim": "…", "tz": "Europe/…", "region": "RU"}');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UsageError(`${shown}: expected a JSON object`);
  const out: FolderSettings = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`${shown}: "${key}" must be a non-empty string`);
    if (key === 'victim') out.victim = value;
    else if (key === 'tz') {
      out.tz = checkZone(value, shown);
    } else if (key === 'region') {
      // The same check as --region: a code libphonenumber-js does not know cannot reach the phone stage.
      out.region = checkRegion(value, `${shown}: "region"`);
    } else if (key === 'dateOrder') {
      out.dateOrder = checkDateOrder(value, `${shown}: "dateOrder"`);
    } else if (key === 'map') {
      out.map = parseColumnMap(value, `${shown}: "map"`);
    } else throw new UsageError(`${shown}: unknown setting "${key}"`, 'known settings: victim, tz, region, dateOrder, map');
  }
  return out;
}

/** What a file that is neither a regular file nor a folder is, for messages: 'a FIFO (named pipe)'. */
export function specialKind(info: Stats | Dirent): string {
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file or folder';
}

interface Found {
  path: string;
  settings: FolderSettings;
  settingsFile: string | null;
}

async function walk(
  dir: string,
  out: Found[],
  skipped: Discovery['skipped'],
  display: string,
  inherited: { settings: FolderSettings; file: string | null },
): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let here = inherited;
  if (entries.some((e) => e.name === SETTINGS_FILE && e.isFile())) {
    const file = join(dir, SETTINGS_FILE);
    here = { settings: { ...inherited.settings, ...(await readSettings(file)) }, file: toDisplay(display === '' ? SETTINGS_FILE : `${display}/${SETTINGS_FILE}`) };
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const shown = display === '' ? entry.name : `${display}/${entry.name}`;
    if (entry.name.startsWith('.') || entry.name === SETTINGS_FILE) continue;
    if (entry.isSymbolicLink()) {
      skipped.push({ path: toDisplay(shown), reason: 'symbolic link not followed' });
    } else if (entry.isDirectory()) {
      await walk(path, out, skipped, shown, here);
    } else if (entry.isFile()) {
      out.push({ path: shown, settings: here.settings, settingsFile: here.file });
    } else {
      // A FIFO an evidence folder holds (a copy tool's leftover, or planted) would block the
      // ingest on open; said, like a link, so that nothing is left out silently.
      skipped.push({ path: toDisplay(shown), reason: `${specialKind(entry)}, not a regular file: not read` });
    }
  }
}

/** Expands the arguments into candidate files, in a stable order. */
export async function discover(args: string[], victim: string | null): Promise<Discovery> {
  const result: Discovery = { candidates: [], skipped: [], errors: [] };
  const seen = new Set<string>();
  // The files that mark a folder export (Telegram's result.json): such a folder is never a victim's.
  const markers = folderMarkers();
  for (const arg of args) {
    let info;
    try {
      info = await lstat(arg);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      result.errors.push(
        new InputError(toDisplay(arg), code === 'ENOENT' ? 'no such file or folder' : `cannot open (${code})`),
      );
      continue;
    }
    if (info.isSymbolicLink()) {
      // A link named explicitly on the command line is the user's choice: follow it, and judge what
      // it leads to (stat, not lstat) as if that had been named: a link to a FIFO or to /dev/zero
      // would otherwise be opened and read forever.
      let target: Stats;
      try {
        target = await stat(arg);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        result.errors.push(
          new InputError(
            toDisplay(arg),
            code === 'ENOENT' ? 'a symbolic link to a file that does not exist' : `a symbolic link whose target cannot be opened (${code})`,
            {},
            'name the evidence file itself',
          ),
        );
        continue;
      }
      if (!target.isFile() && !target.isDirectory()) {
        result.errors.push(
          new InputError(
            toDisplay(arg),
            `a symbolic link to ${specialKind(target)}, not to a regular file or folder: not read`,
            {},
            'name a regular file or folder: a pipe or a device would be read forever',
          ),
        );
        continue;
      }
      info = target;
    }
    const files: Found[] = [];
    const isDir = info.isDirectory();
    const none = { settings: {}, settingsFile: null };
    if (isDir) {
      await walk(arg, files, result.skipped, arg.replace(/[\\/]+$/, ''), { settings: {}, file: null });
    } else if (info.isFile()) {
      files.push({ path: arg, ...none });
    } else {
      result.errors.push(
        new InputError(toDisplay(arg), `${specialKind(info)}, not a regular file or folder: not read`, {}, 'name a regular file or folder: a pipe or a device would be read forever'),
      );
      continue;
    }
    const exportFolders = new Set(
      files.filter((f) => markers.has(basename(f.path))).map((f) => dirname(resolve(f.path))),
    );
    for (const file of files) {
      const absPath = resolve(file.path);
      if (seen.has(absPath)) continue;
      seen.add(absPath);
      result.candidates.push({
        absPath,
        displayPath: toDisplay(file.path),
        victim: victim ?? file.settings.victim ?? victimFor(arg, absPath, isDir, exportFolders),
        root: arg,
        settings: file.settings,
        settingsFile: file.settingsFile,
      });
    }
  }
  return result;
}

// Kept here for the orchestration modules that import it from discovery.
export { displayFolder };
