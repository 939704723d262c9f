// Where a command's data and diagnostics go: the terminal I/O (injectable, so tests run commands
// in-process), colour for tables, one-line diagnostics on stderr, and the data itself on stdout or
// -o FILE (checked before the work, written atomically after it).
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
  type Stats,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { describeSystemError, EnvironmentError, systemErrorCode, UsageError } from '../util/errors.js';
import { terminalSafe } from '../util/sanitize.js';
import { pieces, writeChunks } from '../util/write-chunks.js';
import type { RenderContext } from '../output/formats/index.js';

/** Terminal I/O, injectable so tests can run commands in-process. */
export interface Io {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

/**
 * One diagnostic line on stderr: escape sequences and controls stripped, and line breaks shown as
 * ⏎, so a hostile file name cannot forge a second line ("threatlens: ingested …").
 */
export function diagnose(io: Io, line: string): void {
  io.stderr.write(terminalSafe(line) + '\n');
}

type ColorLevel = 0 | 1 | 2 | 3;

/** What every command that writes data takes: --format, -o FILE and --no-color. */
export interface OutputOptions {
  /** A name from the command's format registry (output/formats/index.ts). */
  format: string;
  output?: string;
  color: boolean;
  bom?: boolean;
  absolutePaths?: boolean;
}

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
      writeChunks(fd, chunks);
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
    writeChunks(fd, chunks);
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
    for (const { text, last } of pieces(chunks)) {
      check();
      await new Promise<void>((resolve) => {
        const done = (): void => {
          stream.off('drain', done);
          wake = null;
          resolve();
        };
        wake = done;
        // Only the last piece is written with a callback (to know it was handed over): errors of the
        // others come as 'error' events. A callback on every piece made the listing of 38,610 files
        // hold 30-40 MB more heap while it was written (issue 14), the peak of the whole ingest.
        const room = last
          ? stream.write(text, (error?: Error | null) => {
              if (error) onError(error);
              else done();
            })
          : stream.write(text);
        if (!last && room) done();
        else if (!last) stream.on('drain', done);
      });
      check();
    }
  } finally {
    stream.off('error', onError);
  }
}

/** Where data goes: -o FILE, else stdout. Resolves when everything is written. */
export async function writeData(io: Io, options: OutputOptions, chunks: Iterable<string>): Promise<void> {
  if (options.output !== undefined) return writeOutputFile(options.output, chunks);
  return writeStream(io.stdout, chunks);
}

/** What a table needs from the terminal: colour (see colorLevel) and width. */
export function renderContext(io: Io, options: OutputOptions): RenderContext {
  return { chalk: chalkFor(io, options), width: io.stdout.columns ?? 160, bom: options.bom === true, absolutePaths: options.absolutePaths === true };
}
