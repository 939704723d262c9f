// Errors the user can act on, kept apart from bugs: the CLI prints these briefly (with the
// position and a hint) and sets the exit code; anything else is a bug and shows its stack.

export interface Position {
  line?: number;
  column?: number;
  offset?: number;
  entry?: string;
}

/** One input could not be read. The run goes on with the other inputs; exit code 1. */
export class InputError extends Error {
  readonly file: string;
  readonly position: Position;
  readonly hint: string | null;
  constructor(file: string, message: string, position: Position = {}, hint: string | null = null) {
    super(message);
    this.name = 'InputError';
    this.file = file;
    this.position = position;
    this.hint = hint;
  }

  /** `file:line:column` / `file@byte N` / `file!entry:line` in one line, then the reason and hint. */
  describe(): string {
    return `${this.file}${this.reason()}`;
  }

  /** What describe() says after the file name: the position, the reason and the hint. */
  reason(): string {
    return `${formatPosition(this.position)}: ${this.message}${this.hint ? ` (${this.hint})` : ''}`;
  }
}

/** The command line itself is wrong (bad option value, missing case). Exit code 2. */
export class UsageError extends Error {
  readonly hint: string | null;
  constructor(message: string, hint: string | null = null) {
    super(message);
    this.name = 'UsageError';
    this.hint = hint;
  }
}

/**
 * The work could not be done for a reason outside threatlens and outside the command line: the
 * disk is full, the case is kept busy by another process, the disk fails, the output (-o FILE or
 * standard output) cannot be written. Not a bug and not a wrong command line: exit code 1, one line
 * naming what failed and where, then `hint` (what became of the data and what to do next).
 */
export class EnvironmentError extends Error {
  readonly hint: string | null;
  constructor(message: string, hint: string | null = null) {
    super(message);
    this.name = 'EnvironmentError';
    this.hint = hint;
  }
}

export function formatPosition(p: Position): string {
  let out = '';
  if (p.entry !== undefined) out += `!${p.entry}`;
  if (p.line !== undefined) {
    out += `:${p.line}`;
    if (p.column !== undefined) out += `:${p.column}`;
  }
  if (p.offset !== undefined) out += `${p.line !== undefined ? ' ' : ''}@byte ${p.offset}`;
  return out;
}

const SYSTEM_ERRORS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EIO: 'input/output error',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
  ENAMETOOLONG: 'name too long',
  EPIPE: 'the reader closed the pipe',
  EINVAL: 'the file does not take writes',
  EBADF: 'not open for writing',
  EXDEV: 'not on the same file system',
  EAGAIN: 'resource temporarily unavailable',
};

/** The system error code of `error` (ENOSPC, EIO…), or null when it is not a system error. */
export function systemErrorCode(error: unknown): string | null {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : null;
}

/** A system error in words with its code: `no space left on the device (ENOSPC)`. */
export function describeSystemError(error: unknown): string {
  const code = systemErrorCode(error);
  if (code === null) return error instanceof Error ? error.message : String(error);
  return `${SYSTEM_ERRORS[code] ?? (error as Error).message.replace(/^[A-Z0-9]+: /, '').replace(/, \w+( '.*')?$/, '')} (${code})`;
}
