// What every command shares: options common to several commands, finding the case, ingesting
// input paths given to analysis commands, writing data to stdout or -o FILE, and diagnostics.
import { Command, Option } from 'commander';
import { Chalk, type ChalkInstance } from 'chalk';
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fsyncSync,
  openSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { caseExists, openCase, type CaseHandle } from '../store/case.js';
import { ingest, type IngestOptions, type IngestReport, type ProgressEvent } from '../ingest/pipeline.js';
import { describeSystemError, EnvironmentError, systemErrorCode, UsageError } from '../util/errors.js';
import { checkRegion, checkZone, DATE_ORDERS, type DateOrder } from '../settings.js';
import { terminalSafe } from '../output/sanitize.js';
import { renderCsv, renderJson, renderJsonl, renderTable, type Listing } from '../output/listing.js';

export const DEFAULT_CASE_DIR = './threatlens-case';

export type Format = 'table' | 'csv' | 'json' | 'jsonl' | 'graphml' | 'gexf' | 'dot' | 'geojson' | 'html';

export interface OutputOptions {
  format: Format;
  output?: string;
  color: boolean;
}

export interface IngestCliOptions {
  case?: string;
  victim?: string;
  tz?: string;
  region?: string;
  dateOrder?: DateOrder;
}

/** Terminal I/O, injectable so tests can run commands in-process. */
export interface Io {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

export function addOutputOptions(cmd: Command, formats: Format[] = ['table', 'csv', 'json', 'jsonl']): Command {
  return cmd
    .addOption(new Option('-f, --format <format>', 'output format').choices(formats).default('table'))
    .option('-o, --output <file>', 'write the data to FILE instead of standard output')
    .option('--no-color', 'no colour in tables, even on a terminal or with $FORCE_COLOR (as $NO_COLOR does)');
}

export function addCaseOption(cmd: Command): Command {
  return cmd.option('-c, --case <dir>', `case directory (default: $THREATLENS_CASE, else ${DEFAULT_CASE_DIR})`);
}

/**
 * The value of --region, checked while the command line is parsed (before any case is opened or
 * file read) and upper-cased: one check, one message, for every command that takes --region. A code
 * libphonenumber-js does not know would otherwise surface as an internal error deep in the phone stage.
 */
export function parseRegion(value: string): string {
  return checkRegion(value);
}

/** --region CC, as every command that reads phone numbers takes it (checked by parseRegion). */
export function regionOption(description = 'default country for phone numbers written without +, e.g. RU'): Option {
  return new Option('--region <CC>', description).argParser(parseRegion);
}

export function addIngestOptions(cmd: Command, victimOption = true): Command {
  if (victimOption) cmd.option('--victim <label>', "whose export it is (default: the folder below PATH, or the file's folder)");
  return cmd
    .option('--tz <zone>', 'IANA zone (e.g. Europe/Moscow) of exports whose times carry no zone')
    .addOption(regionOption())
    .addOption(
      new Option('--date-order <order>', 'date order of WhatsApp exports when the file cannot prove it').choices(DATE_ORDERS),
    );
}

export function validateIngestOptions(options: IngestCliOptions): void {
  if (options.tz !== undefined) checkZone(options.tz);
  if (options.victim !== undefined && options.victim.trim() === '') {
    throw new UsageError('--victim needs a non-empty label');
  }
}

/** The case directory: --case, else $THREATLENS_CASE, else ./threatlens-case. */
export function caseDir(options: { case?: string }, env: NodeJS.ProcessEnv): string {
  return options.case ?? (env.THREATLENS_CASE || DEFAULT_CASE_DIR);
}

/**
 * One diagnostic line on stderr: escape sequences and controls stripped, and line breaks shown as
 * ⏎, so a hostile file name cannot forge a second line ("threatlens: ingested …").
 */
export function diagnose(io: Io, line: string): void {
  io.stderr.write(terminalSafe(line) + '\n');
}

/** Progress on stderr, only when stderr is a terminal; throttled. */
export function progressReporter(io: Io): ((event: ProgressEvent) => void) | undefined {
  if (!io.stderr.isTTY) return undefined;
  let files = 0;
  let current = '';
  let index = 0;
  let last = 0;
  const draw = (text: string): void => {
    io.stderr.write(`\r\u001b[2K${text}`);
  };
  return (event) => {
    if (event.type === 'start') files = event.files;
    else if (event.type === 'file') {
      current = terminalSafe(event.path);
      index = event.index + 1;
      draw(`ingesting [${index}/${files}] ${current}`);
    } else if (event.type === 'bytes') {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      const pct = event.total > 0 ? Math.floor((event.done / event.total) * 100) : 0;
      draw(`ingesting [${index}/${files}] ${current} ${pct}%`);
    } else if (event.type === 'images') {
      const now = Date.now();
      if (now - last < 100 && event.done < event.total) return;
      last = now;
      draw(`reading images ${event.done}/${event.total}`);
      if (event.done === event.total) io.stderr.write('\r\u001b[2K');
    } else {
      io.stderr.write('\r\u001b[2K');
    }
  };
}

export interface OpenedCase {
  handle: CaseHandle;
  report: IngestReport | null;
}

/**
 * Ingests `paths` into the case at `dir`. A case that does not exist yet is created only once some
 * input can be read: a mistyped path leaves no empty case behind (handle null, and the report says
 * so in caseNotCreated). An existing case records the rejections as always.
 */
export async function ingestIntoCase(
  dir: string,
  paths: string[],
  options: IngestCliOptions,
  io: Io,
): Promise<{ handle: CaseHandle | null; report: IngestReport }> {
  let handle: CaseHandle | null = caseExists(dir) ? openCase(dir, { create: false }) : null;
  try {
    const report = await ingest(handle ?? { dir, open: () => (handle = openCase(dir, { create: true })) }, paths, ingestOptions(options, io));
    return { handle, report };
  } catch (error) {
    handle?.close();
    throw error;
  }
}

/**
 * The case an analysis command works on. With input paths: ingest them into the --case given, or
 * into a throw-away in-memory case (also when --case names no case yet and nothing could be read,
 * see ingestIntoCase). Without: open the existing case.
 */
export async function caseForAnalysis(
  paths: string[],
  options: IngestCliOptions,
  io: Io,
): Promise<OpenedCase> {
  validateIngestOptions(options);
  if (paths.length === 0) {
    return { handle: openCase(caseDir(options, io.env), { create: false, access: 'read' }), report: null };
  }
  if (options.case !== undefined) {
    const { handle, report } = await ingestIntoCase(options.case, paths, options, io);
    return { handle: handle ?? openCase(null, { create: true }), report };
  }
  const handle = openCase(null, { create: true });
  try {
    return { handle, report: await ingest(handle, paths, ingestOptions(options, io)) };
  } catch (error) {
    handle.close();
    throw error;
  }
}

/** The pipeline's options from the command line's (checked by validateIngestOptions and parseRegion). */
export function ingestOptions(options: IngestCliOptions, io: Io): IngestOptions {
  return {
    victim: options.victim ?? null,
    tz: options.tz ?? null,
    dateOrder: options.dateOrder ?? null,
    region: options.region ?? null,
    progress: progressReporter(io),
  };
}

type ColorLevel = 0 | 1 | 2 | 3;

/**
 * How much colour tables on stdout get, from the command's own environment (io.env, not
 * process.env), in this order:
 * 1. --no-color, or -o FILE (a file is data, not a terminal): none;
 * 2. FORCE_COLOR, as chalk and Node read it: '0' or 'false' none, '2' 256 colours, '3' true
 *    colour, anything else (also empty) basic colour; even when stdout is not a terminal, and over
 *    NO_COLOR (Node gives it precedence too);
 * 3. NO_COLOR with any non-empty value (https://no-color.org): none;
 * 4. stdout not a terminal, or TERM=dumb: none; else what COLORTERM and TERM say the terminal has.
 */
export function colorLevel(io: Io, options: OutputOptions): ColorLevel {
  if (!options.color || options.output !== undefined) return 0;
  const env = io.env;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    return force === '2' ? 2 : force === '3' ? 3 : 1;
  }
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (io.stdout.isTTY !== true || env.TERM === 'dumb') return 0;
  if (env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit') return 3;
  if (/-256(?:colou?r)?$/i.test(env.TERM ?? '')) return 2;
  return 1;
}

export function chalkFor(io: Io, options: OutputOptions): ChalkInstance {
  return new Chalk({ level: colorLevel(io, options) });
}

/** The usage error for an -o FILE that cannot be written, from the system's error code. */
function outputError(path: string, code: string | undefined, fallback: string): UsageError {
  const why = code === 'ENOENT' ? 'its folder does not exist' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? fallback);
  return new UsageError(`cannot write -o ${path}: ${why}`, 'give a file path in a folder you can write to');
}

/**
 * Fails early (before any ingest or analysis) when -o FILE cannot be written: its folder is
 * missing or not writable (a regular file is written beside itself first, see writeOutputFile),
 * the path is a folder, or a device or pipe that may not be written. The file itself is not
 * created yet. Faults met while writing (a full disk) are EnvironmentErrors, after the work.
 */
export function checkOutputPath(path: string): void {
  let failure: UsageError | null = null;
  try {
    const target = statSync(path, { throwIfNoEntry: false });
    if (target?.isDirectory()) failure = outputError(path, 'EISDIR', '');
    else if (target !== undefined && !target.isFile()) accessSync(path, constants.W_OK);
    else accessSync(dirname(target !== undefined ? realpathSync(path) : resolve(path)), constants.W_OK);
  } catch (error) {
    failure = outputError(path, (error as NodeJS.ErrnoException).code, String(error));
  }
  if (failure !== null) throw failure;
}

/** Writes chunks through `flush` in pieces of at least 64 KiB; `last` marks the final piece. */
async function writeBuffered(chunks: Iterable<string>, flush: (text: string, last: boolean) => void | Promise<void>): Promise<void> {
  let buffer = '';
  for (const chunk of chunks) {
    buffer += chunk;
    if (buffer.length >= 1 << 16) {
      await flush(buffer, false);
      buffer = '';
    }
  }
  if (buffer.length > 0) await flush(buffer, true);
}

/** writeSync until every byte is written (a pipe or device may take part of a piece). */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
}

/** The fault as the investigator reads it; anything that is not a system error is a bug and passes. */
function asEnvironmentError(error: unknown, message: string, hint: string): unknown {
  return systemErrorCode(error) === null ? error : new EnvironmentError(`${message}: ${describeSystemError(error)}`, hint);
}

/** The hidden temporary name beside `real` that writeOutputFile writes before renaming. */
function temporaryName(real: string): string {
  const base = basename(real).slice(0, 180);
  return join(dirname(real), `.${base}.threatlens-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Writes -o FILE. A regular file (or a new one) is written to a temporary name beside it, synced,
 * then renamed over it: a full disk or an I/O error leaves the earlier file as it was (or no file),
 * never half of the data; the temporary file is removed. The new file keeps an existing file's
 * permissions. A device or pipe (/dev/stdout, a FIFO) is written in place: it cannot be renamed
 * over, and what reached it cannot be taken back. Faults are EnvironmentErrors (exit 1).
 */
export async function writeOutputFile(path: string, chunks: Iterable<string>): Promise<void> {
  const where = `cannot write -o ${path}`;
  let target: Stats | undefined;
  try {
    target = statSync(path, { throwIfNoEntry: false });
  } catch (error) {
    throw asEnvironmentError(error, where, 'nothing was written');
  }
  if (target !== undefined && !target.isFile()) {
    let fd: number;
    try {
      fd = openSync(path, 'w');
    } catch (error) {
      throw asEnvironmentError(error, where, 'nothing was written');
    }
    try {
      await writeBuffered(chunks, (text) => writeAll(fd, text));
    } catch (error) {
      throw asEnvironmentError(error, where, 'the data written to it is incomplete');
    } finally {
      closeSync(fd);
    }
    return;
  }
  const kept = target !== undefined ? `${path} was left as it was` : 'no file was left behind';
  let real: string;
  try {
    real = target !== undefined ? realpathSync(path) : resolve(path);
  } catch (error) {
    throw asEnvironmentError(error, where, 'nothing was written');
  }
  const temp = temporaryName(real);
  let fd: number;
  try {
    fd = openSync(temp, 'wx', 0o666);
  } catch (error) {
    throw asEnvironmentError(error, `${where}: cannot create a temporary file in ${dirname(real)}`, kept);
  }
  let open = true;
  try {
    if (target !== undefined) {
      fchmodSync(fd, target.mode & 0o7777);
      try {
        fchownSync(fd, target.uid, target.gid);
      } catch {
        // Only root may give a file away; the permissions above still hold.
      }
    }
    await writeBuffered(chunks, (text) => writeAll(fd, text));
    fsyncSync(fd);
    open = false;
    closeSync(fd);
    renameSync(temp, real);
  } catch (error) {
    if (open) closeSync(fd);
    rmSync(temp, { force: true });
    throw asEnvironmentError(error, where, kept);
  }
}

/**
 * Writes to a stream (stdout), waiting for it to drain between pieces and for the last piece to be
 * handed over. A stream error (a full disk behind a redirected stdout) is an EnvironmentError; EPIPE (the
 * reader has gone, `| head`) is passed on as it is, to end quietly.
 */
async function writeStream(stream: NodeJS.WritableStream, chunks: Iterable<string>): Promise<void> {
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const onError = (error: unknown): void => {
    failure ??= error;
    wake?.();
  };
  const check = (): void => {
    if (failure === null) return;
    if (systemErrorCode(failure) === 'EPIPE') throw failure;
    throw asEnvironmentError(failure, 'cannot write to standard output', 'the data written is incomplete');
  };
  stream.on('error', onError);
  try {
    await writeBuffered(chunks, async (text, last) => {
      check();
      await new Promise<void>((resolve) => {
        const done = (): void => {
          stream.off('drain', done);
          wake = null;
          resolve();
        };
        wake = done;
        const room = stream.write(text, (error?: Error | null) => {
          if (error) onError(error);
          else if (last) done();
        });
        if (!last && room) done();
        else if (!last) stream.on('drain', done);
      });
      check();
    });
  } finally {
    stream.off('error', onError);
  }
}

/** Where data goes: -o FILE, else stdout. Resolves when everything is written. */
export async function writeData(io: Io, options: OutputOptions, chunks: Iterable<string>): Promise<void> {
  if (options.output !== undefined) return writeOutputFile(options.output, chunks);
  return writeStream(io.stdout, chunks);
}

/** Renders a listing in the chosen format. */
export function renderListing<T>(listing: Listing<T>, io: Io, options: OutputOptions): Iterable<string> {
  switch (options.format) {
    case 'table':
      return [renderTable(listing, { chalk: chalkFor(io, options), width: io.stdout.columns ?? 160 })];
    case 'csv':
      return renderCsv(listing);
    case 'json':
      return renderJson(listing);
    case 'jsonl':
      return renderJsonl(listing);
    default:
      throw new UsageError(`--format ${options.format} is not available for ${listing.kind}`);
  }
}

/**
 * Tells the investigator, on stderr, what an ingest rejected and warned about (at most
 * `maxPerCode` warnings of each kind; 0 prints rejections only).
 */
export function reportIngestDiagnostics(report: IngestReport, io: Io, maxPerCode = 10): void {
  const err = (line: string): void => diagnose(io, line);
  for (const error of report.errors) err(`threatlens: rejected ${error.describe()}`);
  for (const skipped of report.skipped) err(`threatlens: skipped ${skipped.path}: ${skipped.reason}`);
  const perCode = new Map<string, number>();
  for (const w of report.warnings) {
    const n = (perCode.get(w.code) ?? 0) + 1;
    perCode.set(w.code, n);
    if (n <= maxPerCode) {
      const where = w.line !== undefined ? `:${w.line}` : w.offset !== undefined ? `@byte ${w.offset}` : '';
      err(`threatlens: warning: ${w.file}${where}: ${w.message} [${w.code}]`);
    }
  }
  for (const [code, n] of perCode) {
    if (n > maxPerCode && maxPerCode > 0) err(`threatlens: warning: … ${n - maxPerCode} more [${code}] warnings are kept in the case`);
  }
  if (report.caseNotCreated !== null) err(`threatlens: nothing could be read; no case created at ${report.caseNotCreated}`);
}

/** 1 when some input was rejected, else 0. */
export function ingestExitCode(report: IngestReport | null): number {
  return report !== null && report.errors.length > 0 ? 1 : 0;
}
