// Turning the paths an investigator typed into a sorted list of candidate files, each with the
// victim label it belongs to. Folders are walked recursively; hidden files and symbolic links are
// skipped (a link could lead out of the evidence folder).
import { lstat, readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, posix, relative, resolve, sep } from 'node:path';
import { InputError, UsageError } from '../util/errors.js';
import { checkDateOrder, checkRegion, checkZone, type DateOrder } from '../settings.js';

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

/** The file a Telegram Desktop export writes at the top of its own folder. */
const TELEGRAM_EXPORT_FILE = 'result.json';

/**
 * Victim label of a file when `--victim` is not given:
 * - a file found under a folder argument: the first folder below the argument
 *   (`case/anna/chat.txt` under `case` → `anna`), or the argument's own name for files directly in it;
 * - a file argument: the name of the folder holding it.
 * A Telegram export's own folder (`ChatExport_…/`, holding result.json) is never the victim: the
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
    } else throw new UsageError(`${shown}: unknown setting "${key}"`, 'known settings: victim, tz, region, dateOrder');
  }
  return out;
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
    }
  }
}

/** Expands the arguments into candidate files, in a stable order. */
export async function discover(args: string[], victim: string | null): Promise<Discovery> {
  const result: Discovery = { candidates: [], skipped: [], errors: [] };
  const seen = new Set<string>();
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
    const files: Found[] = [];
    const isDir = info.isDirectory();
    const none = { settings: {}, settingsFile: null };
    if (isDir) {
      await walk(arg, files, result.skipped, arg.replace(/[\\/]+$/, ''), { settings: {}, file: null });
    } else if (info.isFile() || info.isSymbolicLink()) {
      // A link named explicitly on the command line is the user's choice: follow it.
      files.push({ path: arg, ...none });
    } else {
      result.errors.push(new InputError(toDisplay(arg), 'not a regular file or folder'));
      continue;
    }
    const exportFolders = new Set(
      files.filter((f) => basename(f.path) === TELEGRAM_EXPORT_FILE).map((f) => dirname(resolve(f.path))),
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

/** The folder part of a display path, with its trailing slash (`a/b/` of `a/b/chat.txt`; empty at the top). */
export function displayFolder(displayPath: string): string {
  return displayPath.slice(0, displayPath.lastIndexOf('/') + 1);
}
