// A streaming JSON "object cutter": reads a JSON document in chunks with flat memory and hands
// back only the values the caller selects, each parsed on its own with JSON.parse, together with
// its byte offset and length in the file.
//
// The scanner walks the document byte by byte. It keeps a stack of the containers the caller
// chose to `descend` into (shallow levels only), decodes object keys only in those, and for every
// value that starts inside them asks the selector what to do:
// - `descend`: walk into the object or array (events `start` and `end` mark it);
// - `value`:   cut the value's bytes out and JSON.parse them (event `value`);
// - `skip`:    pass over the value without materializing it.
// Inside a cut or skipped value only strings (with escapes) and bracket nesting are tracked; the
// strings are crossed with `indexOf('"')`. Values may span chunk boundaries anywhere, including
// inside a multi-byte UTF-8 sequence or between a backslash and the character it escapes.
//
// Fast path for pretty-printed files (Telegram Desktop writes them): a container opening at
// column k is cut at the next line holding only k spaces and its closing bracket, and JSON.parse
// proves the cut (a text that starts with '{' or '[' and parses is exactly that one value; else the
// byte walk above runs). Raw newlines cannot occur inside JSON strings, so the guess is cheap
// and, when it holds, the bytes of the value are walked by native code only.
//
// Errors (truncation, syntax) are thrown as JsonScanError with the absolute byte offset, the
// path of the innermost value being read and where that value started.
import { open, type FileHandle } from 'node:fs/promises';
import { utf8Slice } from '../../util/buffer-slices.js';
import { readLength, wholeFile, type InputFile } from '../reader.js';
import { SpareBuffers } from '../../util/spare-buffers.js';

export type PathSegment = string | number;
export type JsonPath = readonly PathSegment[];
export type ScanAction = 'descend' | 'value' | 'skip';
/** Decides what to do with the value at `path`. The array is reused: copy it to keep it. */
export type Selector = (path: JsonPath) => ScanAction;

/**
 * What the scanner found. Every event has all the fields, in the same order (the ones a kind does
 * not use are null, undefined, 0 or false), so code handling them sees one object shape: mixing
 * shapes made V8 recompile the reader at the first chat boundary of an export.
 */
export type ScanEvent =
  | { kind: 'value'; path: PathSegment[]; value: unknown; container: null; offset: number; length: number; repaired: boolean }
  | { kind: 'start'; path: PathSegment[]; value: undefined; container: 'object' | 'array'; offset: number; length: 0; repaired: false }
  | { kind: 'end'; path: PathSegment[]; value: undefined; container: 'object' | 'array'; offset: number; length: number; repaired: false };

function valueEvent(path: PathSegment[], value: unknown, offset: number, length: number, repaired: boolean): ScanEvent {
  return event('value', path, value, null, offset, length, repaired);
}

function containerEvent(kind: 'start' | 'end', path: PathSegment[], container: 'object' | 'array', offset: number, length: number): ScanEvent {
  return event(kind, path, undefined, container, offset, length, false);
}

/** The one place events are made (one object literal: one shape). */
function event(
  kind: ScanEvent['kind'],
  path: PathSegment[],
  value: unknown,
  container: 'object' | 'array' | null,
  offset: number,
  length: number,
  repaired: boolean,
): ScanEvent {
  return { kind, path, value, container, offset, length, repaired } as ScanEvent;
}

export class JsonScanError extends Error {
  /** Absolute byte offset where the problem was found. */
  readonly offset: number;
  /** Path of the innermost value being read when the problem was found. */
  readonly path: PathSegment[];
  /** Where that value started, when known. */
  readonly startOffset: number | null;
  /** true when the document ended too early (truncated file). */
  readonly eof: boolean;
  /** What the scanner expected at `offset` (e.g. `',' or '}'`), or the end-of-file description. */
  readonly expected: string;
  /** What it found instead (`'x'`, `byte 0x01`), null at end of file. */
  readonly found: string | null;
  constructor(
    message: string,
    details: {
      offset: number;
      path: PathSegment[];
      startOffset: number | null;
      eof: boolean;
      expected: string;
      found: string | null;
    },
  ) {
    super(message);
    this.name = 'JsonScanError';
    this.offset = details.offset;
    this.path = details.path;
    this.startOffset = details.startOffset;
    this.eof = details.eof;
    this.expected = details.expected;
    this.found = details.found;
  }
}

/** `chats.list[3].messages[12]`; the root is `(top level)`. */
export function formatPath(path: JsonPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out === '' ? '(top level)' : out;
}

// Bytes.
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const BOM = [0xef, 0xbb, 0xbf];

// Scanner modes.
const M_STRUCT = 0; // between tokens of descended containers
const M_KEY = 1; // inside a key string of a descended object
const M_VALUE = 2; // inside a value being cut or skipped
const M_DONE = 3; // the root value is complete

// Frame states.
const OBJ_FIRST = 0; // after '{': key or '}'
const OBJ_KEY = 1; // after ',': key
const OBJ_COLON = 2; // after a key: ':'
const OBJ_VALUE = 3; // after ':': value
const OBJ_NEXT = 4; // after a value: ',' or '}'
const ARR_FIRST = 5; // after '[': value or ']'
const ARR_VALUE = 6; // after ',': value
const ARR_NEXT = 7; // after a value: ',' or ']'

// Kinds of value being cut.
const V_CONTAINER = 0;
const V_STRING = 1;
const V_PRIMITIVE = 2;

interface Frame {
  obj: boolean;
  state: number;
  index: number;
  start: number;
}

function isWhitespace(c: number): boolean {
  return c === SPACE || c === LF || c === CR || c === TAB;
}

function describeByte(c: number | undefined): string {
  if (c === undefined) return 'end of file';
  if (c >= 0x21 && c <= 0x7e) return `'${String.fromCharCode(c)}'`;
  return `byte 0x${c.toString(16).padStart(2, '0')}`;
}

const EMPTY = Buffer.alloc(0);

export interface ScannerOptions {
  /**
   * Called when a cut value does not parse: returns a repaired text to parse instead (the event
   * is then marked `repaired`), or null to report the error.
   */
  repair?: (text: string) => string | null;
}

/**
 * Pull-based scanner: hand it a chunk with `write`, then call `next` until it returns null (the
 * chunk is used up), then write the next chunk; call `end` at end of file. A used-up chunk is not
 * referenced any more (parts of values that span chunks are copied), so its memory may be reused.
 * Synchronous; the file reading lives in `JsonFileScanner`. Handing events out one at a time keeps the number of live
 * parsed values small, which keeps the garbage collector cheap on multi-GB files.
 */
export class JsonScanner {
  private readonly select: Selector;
  /** The event produced by the last step, if any. */
  private ev: ScanEvent | null = null;
  private buf: Buffer = EMPTY;
  private i = 0;
  /** Absolute offset of byte 0 of the chunk being processed. */
  private base = 0;
  private mode = M_STRUCT;
  private bomPos = 0;
  private started = false;
  private readonly frames: Frame[] = [];
  /** Segments of the descended frames below the root, plus the segment of the value being read. */
  private readonly path: PathSegment[] = [];

  // Key being read (M_KEY).
  private keyStart = 0;
  private keyPieces: Buffer[] = [];
  private keyEscaped = false;
  private keyHasEscape = false;

  // Value being cut or skipped (M_VALUE).
  private vKind = V_CONTAINER;
  private vCapture = false;
  private vStart = 0;
  private vPieces: Buffer[] = [];
  private vDepth = 0;
  private vInString = false;
  private vEscaped = false;
  private vStack = new Uint8Array(64);

  private readonly repair: ((text: string) => string | null) | null;

  constructor(select: Selector, options: ScannerOptions = {}) {
    this.select = select;
    this.repair = options.repair ?? null;
  }

  /** Number of bytes handed to the scanner so far. */
  get bytesWritten(): number {
    return this.base + this.buf.length;
  }

  /** Hands the next chunk over; the previous one must have been used up by `next`. */
  write(buf: Buffer): void {
    if (this.i < this.buf.length) throw new Error('json-scanner: write() before the previous chunk was used up');
    this.base += this.buf.length;
    this.buf = buf;
    this.i = 0;
    if (this.bomPos < 3 && !this.started) {
      let i = 0;
      while (i < buf.length && this.bomPos < 3) {
        if (buf[i] === BOM[this.bomPos]) {
          this.bomPos++;
          i++;
        } else if (this.bomPos === 0) {
          this.bomPos = 3;
        } else {
          this.fail(this.base + i, 'a UTF-8 byte order mark or a JSON value', buf[i]);
        }
      }
      this.i = i;
    }
  }

  /** The next event of the current chunk, or null when the chunk is used up. */
  next(): ScanEvent | null {
    const buf = this.buf;
    const n = buf.length;
    let i = this.i;
    while (i < n) {
      const mode = this.mode;
      if (mode === M_VALUE) {
        const j = this.continueValue(buf, i, n);
        if (j < 0) {
          i = n;
          break;
        }
        i = j;
      } else if (mode === M_KEY) {
        const j = this.continueKey(buf, i, n);
        if (j < 0) {
          i = n;
          break;
        }
        i = j;
      } else {
        const c = buf[i]!;
        if (c === SPACE || c === LF || c === CR || c === TAB) {
          i++;
          continue;
        }
        if (mode === M_DONE) this.fail(this.base + i, 'end of file after the top-level value', c);
        i = this.structByte(buf, i, c);
      }
      const ev = this.ev;
      if (ev !== null) {
        this.ev = null;
        this.i = i;
        return ev;
      }
    }
    this.i = i;
    return null;
  }

  /** Writes a chunk and collects all its events. */
  push(buf: Buffer): ScanEvent[] {
    this.write(buf);
    const out: ScanEvent[] = [];
    for (let ev = this.next(); ev !== null; ev = this.next()) out.push(ev);
    return out;
  }

  /**
   * Call at end of file, after the last chunk was used up. Throws when the document is
   * incomplete; returns the last event when the document is a bare number or literal.
   */
  end(): ScanEvent | null {
    if (this.i < this.buf.length) throw new Error('json-scanner: end() before the last chunk was used up');
    this.base += this.buf.length;
    this.buf = EMPTY;
    this.i = 0;
    if (this.mode === M_VALUE && this.vKind === V_PRIMITIVE && this.frames.length === 0) {
      // A top-level number or literal runs until its delimiter; the end of the file is one.
      this.finishValue(EMPTY, 0);
    }
    if (this.mode === M_DONE) {
      const ev = this.ev;
      this.ev = null;
      return ev;
    }
    const at = this.base;
    if (!this.started) {
      throw new JsonScanError('the file is empty (expected a JSON value)', {
        offset: at,
        path: [],
        startOffset: null,
        eof: true,
        expected: 'a JSON value',
        found: null,
      });
    }
    let path: PathSegment[];
    let start: number;
    if (this.mode === M_VALUE) {
      // Inside a value being cut or skipped.
      path = this.path.slice();
      start = this.vStart;
    } else {
      // Between tokens (or inside a key) of a descended container: name the container.
      const top = this.frames[this.frames.length - 1]!;
      path = this.path.slice(0, this.frames.length - 1);
      start = top.start;
    }
    throw new JsonScanError(`unexpected end of file inside ${formatPath(path)} (started at byte ${start})`, {
      offset: at,
      path,
      startOffset: start,
      eof: true,
      expected: 'more data',
      found: null,
    });
  }

  private fail(offset: number, expected: string, found: number | undefined, startOffset: number | null = null): never {
    const path = this.path.slice();
    const what = describeByte(found);
    throw new JsonScanError(`expected ${expected} in ${formatPath(path)}, found ${what}`, {
      offset,
      path,
      startOffset,
      eof: false,
      expected,
      found: what,
    });
  }

  /** Handles one non-whitespace byte between tokens; returns the next index. */
  private structByte(buf: Buffer, i: number, c: number): number {
    const frames = this.frames;
    const top = frames.length > 0 ? frames[frames.length - 1]! : null;
    if (top === null) {
      // The root value.
      this.started = true;
      return this.beginValue(buf, i, c);
    }
    switch (top.state) {
      case OBJ_FIRST:
      case OBJ_KEY:
        if (c === QUOTE) {
          this.mode = M_KEY;
          this.keyStart = this.base + i;
          this.keyPieces = [];
          this.keyEscaped = false;
          this.keyHasEscape = false;
          return i + 1; // continueKey reads from after the opening quote
        }
        if (c === CLOSE_BRACE && top.state === OBJ_FIRST) return this.closeFrame(i);
        return this.fail(this.base + i, top.state === OBJ_FIRST ? `a key or '}'` : 'a key', c, top.start);
      case OBJ_COLON:
        if (c === COLON) {
          top.state = OBJ_VALUE;
          return i + 1;
        }
        return this.fail(this.base + i, `':' after the key`, c, top.start);
      case OBJ_VALUE:
        return this.beginValue(buf, i, c);
      case OBJ_NEXT:
        if (c === COMMA) {
          top.state = OBJ_KEY;
          this.path.pop();
          return i + 1;
        }
        if (c === CLOSE_BRACE) {
          this.path.pop();
          return this.closeFrame(i);
        }
        this.path.pop(); // report the object, not its last key
        return this.fail(this.base + i, `',' or '}'`, c, top.start);
      case ARR_FIRST:
        if (c === CLOSE_BRACKET) return this.closeFrame(i);
        this.path.push(top.index);
        top.state = ARR_VALUE;
        return this.beginValue(buf, i, c);
      case ARR_VALUE:
        this.path.push(top.index);
        return this.beginValue(buf, i, c);
      case ARR_NEXT:
        if (c === COMMA) {
          top.index++;
          top.state = ARR_VALUE;
          return i + 1;
        }
        if (c === CLOSE_BRACKET) return this.closeFrame(i);
        return this.fail(this.base + i, `',' or ']'`, c, top.start);
    }
    throw new Error('json-scanner: bad state');
  }

  /** Reads a key string of a descended object; returns the index after it, or -1 at chunk end. */
  private continueKey(buf: Buffer, i: number, n: number): number {
    const start = i;
    if (this.keyEscaped) {
      this.keyEscaped = false;
      i++;
    }
    for (;;) {
      if (i >= n) {
        if (i > n) this.keyEscaped = true;
        this.keyPieces.push(Buffer.from(buf.subarray(start, n)));
        return -1;
      }
      const d = buf[i]!;
      if (d === QUOTE) break;
      if (d === BACKSLASH) {
        this.keyHasEscape = true;
        i += 2;
        continue;
      }
      i++;
    }
    let raw: string;
    if (this.keyPieces.length === 0) raw = buf.toString('utf8', start, i);
    else {
      this.keyPieces.push(buf.subarray(start, i));
      raw = Buffer.concat(this.keyPieces).toString('utf8');
      this.keyPieces = [];
    }
    let key = raw;
    if (this.keyHasEscape) {
      try {
        key = JSON.parse(`"${raw}"`) as string;
      } catch {
        this.fail(this.keyStart, 'a valid key string', QUOTE);
      }
    }
    this.path.push(key);
    const top = this.frames[this.frames.length - 1]!;
    top.state = OBJ_COLON;
    this.mode = M_STRUCT;
    return i + 1;
  }

  /** A value starts at buf[i] in the top frame (or at the root); `this.path` names it. */
  private beginValue(buf: Buffer, i: number, c: number): number {
    const abs = this.base + i;
    const isContainer = c === OPEN_BRACE || c === OPEN_BRACKET;
    if (!isContainer && c !== QUOTE && c !== 0x2d && !(c >= 0x30 && c <= 0x39) && c !== 0x74 && c !== 0x66 && c !== 0x6e) {
      const top = this.frames[this.frames.length - 1];
      return this.fail(abs, 'a value', c, top ? top.start : null);
    }
    const action = this.select(this.path);
    if (action === 'descend' && isContainer) {
      const obj = c === OPEN_BRACE;
      this.frames.push({ obj, state: obj ? OBJ_FIRST : ARR_FIRST, index: 0, start: abs });
      this.ev = containerEvent('start', this.path.slice(), obj ? 'object' : 'array', abs, 0);
      return i + 1;
    }
    this.mode = M_VALUE;
    this.vCapture = action !== 'skip';
    this.vStart = abs;
    this.vPieces = [];
    this.vDepth = 0;
    this.vInString = false;
    this.vEscaped = false;
    if (isContainer) {
      this.vKind = V_CONTAINER;
      if (this.vCapture) {
        const end = this.guessEnd(buf, i, c);
        if (end > 0) return end;
      }
      return i; // continueValue counts the opening bracket
    }
    if (c === QUOTE) {
      this.vKind = V_STRING;
      this.vInString = true;
      // The quote ends the chunk: keep it, continueValue only runs on the next chunk.
      if (this.vCapture && i + 1 === buf.length) this.keepPiece(buf, i, i + 1);
      return i + 1;
    }
    this.vKind = V_PRIMITIVE;
    return i;
  }

  private readonly closers = new Map<number, Buffer>();

  /**
   * Fast path for pretty-printed files (tdesktop writes one): a container that opens at column k
   * closes with a newline, k spaces and the closing bracket, and raw newlines never occur inside
   * JSON strings. Find that pattern and let JSON.parse verify the cut: a text that starts with
   * '{' and parses is exactly one object, so a successful parse proves the cut is the real end.
   * Returns the index after the value (emitted), or -1 to scan byte by byte.
   */
  private guessEnd(buf: Buffer, i: number, c: number): number {
    let k = i - 1;
    while (k >= 0 && buf[k] === SPACE) k--;
    if (k < 0 || buf[k] !== LF) return -1;
    const indent = i - 1 - k;
    const id = indent * 2 + (c === OPEN_BRACE ? 0 : 1);
    let closer = this.closers.get(id);
    if (closer === undefined) {
      closer = Buffer.from(`\n${' '.repeat(indent)}${c === OPEN_BRACE ? '}' : ']'}`);
      this.closers.set(id, closer);
    }
    const at = buf.indexOf(closer, i + 1);
    if (at < 0) return -1;
    const end = at + closer.length;
    let value: unknown;
    try {
      value = JSON.parse(utf8Slice.call(buf, i, end));
    } catch {
      return -1;
    }
    this.ev = valueEvent(this.path.slice(), value, this.vStart, end - i, false);
    this.mode = M_STRUCT;
    this.afterValue();
    return end;
  }

  /**
   * Advances through the value being cut. Returns the index after the value (and emits it), or
   * -1 when the chunk ended first (the state is kept for the next chunk).
   */
  private continueValue(buf: Buffer, i: number, n: number): number {
    // Where the value's bytes begin in this chunk: its start, or byte 0 when it began earlier.
    const chunkStart = this.vStart >= this.base ? this.vStart - this.base : i;
    const kind = this.vKind;
    if (kind === V_PRIMITIVE) {
      while (i < n) {
        const c = buf[i]!;
        if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isWhitespace(c)) {
          return this.finishValue(buf, i, chunkStart);
        }
        i++;
      }
      if (this.vCapture) this.keepPiece(buf, chunkStart, n);
      return -1;
    }
    let depth = this.vDepth;
    let stack = this.vStack;
    if (this.vInString) {
      // Resume inside a string (continued from the previous chunk, or a string value).
      let from = i;
      if (this.vEscaped) {
        this.vEscaped = false;
        from++;
      }
      const end = this.findStringEnd(buf, from, n);
      if (end < 0) {
        if (this.vCapture) this.keepPiece(buf, chunkStart, n);
        return -1;
      }
      this.vInString = false;
      i = end + 1;
      if (kind === V_STRING) return this.finishValue(buf, i, chunkStart);
    }
    for (; i < n; i++) {
      const c = buf[i]!;
      if (c === QUOTE) {
        const end = this.findStringEnd(buf, i + 1, n);
        if (end < 0) {
          this.vInString = true;
          this.vDepth = depth;
          if (this.vCapture) this.keepPiece(buf, chunkStart, n);
          return -1;
        }
        i = end;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (depth === stack.length) {
          const bigger = new Uint8Array(stack.length * 2);
          bigger.set(stack);
          stack = this.vStack = bigger;
        }
        stack[depth++] = c;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (depth === 0 || stack[depth - 1] !== c - 2) {
          const expected = depth === 0 ? 'a value' : stack[depth - 1] === OPEN_BRACE ? `'}'` : `']'`;
          this.fail(this.base + i, expected, c, this.vStart);
        }
        if (--depth === 0) {
          this.vDepth = 0;
          return this.finishValue(buf, i + 1, chunkStart);
        }
      }
    }
    this.vDepth = depth;
    if (this.vCapture) this.keepPiece(buf, chunkStart, n);
    return -1;
  }

  /**
   * Keeps `buf[from, to)`, the part of a value being cut that this chunk holds, for when the value
   * ends in a later chunk. A copy: the caller may reuse a used-up chunk's memory for later reads.
   */
  private keepPiece(buf: Buffer, from: number, to: number): void {
    this.vPieces.push(Buffer.from(buf.subarray(from, to)));
  }

  /**
   * Index of the closing quote of a string whose content starts at `from`, or -1 when the chunk
   * ends first; then `vEscaped` says whether the chunk ended right after an escaping backslash.
   */
  private findStringEnd(buf: Buffer, from: number, n: number): number {
    let q = buf.indexOf(QUOTE, from);
    while (q >= 0) {
      // Count the backslashes right before the quote (within this chunk's part of the string).
      let k = q - 1;
      while (k >= from && buf[k] === BACKSLASH) k--;
      if (((q - 1 - k) & 1) === 0) return q;
      q = buf.indexOf(QUOTE, q + 1);
    }
    // Chunk ends inside the string: does it end with an unpaired backslash?
    let k = n - 1;
    while (k >= from && buf[k] === BACKSLASH) k--;
    this.vEscaped = ((n - 1 - k) & 1) === 1;
    return -1;
  }

  /** The value being cut ends just before buf[end]: emit it and return to the structure. */
  private finishValue(buf: Buffer, end: number, chunkStart = 0): number {
    const length = this.base + end - this.vStart;
    if (this.vCapture) {
      let text: string;
      let bytes: Buffer | null = null;
      if (this.vPieces.length === 0) text = utf8Slice.call(buf, this.vStart - this.base, end);
      else {
        this.vPieces.push(buf.subarray(chunkStart, end));
        bytes = Buffer.concat(this.vPieces);
        text = bytes.toString('utf8');
      }
      this.vPieces = [];
      let value: unknown;
      let repaired = false;
      try {
        value = JSON.parse(text);
      } catch (error) {
        const fixed = this.repair !== null ? this.repair(text) : null;
        if (fixed === null) this.parseFailure(text, error);
        try {
          value = JSON.parse(fixed);
          repaired = true;
        } catch {
          this.parseFailure(text, error);
        }
      }
      this.ev = valueEvent(this.path.slice(), value, this.vStart, length, repaired);
    }
    this.mode = M_STRUCT;
    this.afterValue();
    return end;
  }

  private parseFailure(text: string, error: unknown): never {
    const found = locateJsonError(text);
    const at = found ? this.vStart + Buffer.byteLength(text.slice(0, found.index), 'utf8') : this.vStart;
    const expected = found ? found.expected : String((error as Error).message);
    const path = this.path.slice();
    throw new JsonScanError(
      `invalid JSON in ${formatPath(path)} (started at byte ${this.vStart}): expected ${expected}` +
        (found ? `, found ${found.found}` : ''),
      { offset: at, path, startOffset: this.vStart, eof: false, expected, found: found ? found.found : null },
    );
  }

  /** A value of the top frame (or the root) is complete. */
  private afterValue(): void {
    const frames = this.frames;
    if (frames.length === 0) {
      this.mode = M_DONE;
      return;
    }
    const top = frames[frames.length - 1]!;
    if (top.obj) top.state = OBJ_NEXT;
    else {
      top.state = ARR_NEXT;
      this.path.pop();
    }
  }

  /** The top frame closes at buf[i]. */
  private closeFrame(i: number): number {
    const frame = this.frames.pop()!;
    const abs = this.base + i;
    this.ev = containerEvent('end', this.path.slice(), frame.obj ? 'object' : 'array', frame.start, abs + 1 - frame.start);
    this.afterValue();
    return i + 1;
  }
}

/**
 * Finds where a JSON text stops being valid, for error messages only (JSON.parse does not always
 * say where). Returns the UTF-16 index, what was expected there and what was found; null when
 * the text is valid.
 */
export function locateJsonError(text: string): { index: number; expected: string; found: string } | null {
  let i = 0;
  const n = text.length;
  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === SPACE || c === LF || c === CR || c === TAB) i++;
      else break;
    }
  };
  const foundAt = (j: number): string => {
    if (j >= n) return 'the end of the value';
    const c = text.codePointAt(j)!;
    return c >= 0x21 && c !== 0x7f ? `'${String.fromCodePoint(c)}'` : `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  };
  class Stop {
    constructor(
      readonly index: number,
      readonly expected: string,
    ) {}
  }
  const string = (): void => {
    // at opening quote
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        i++;
        return;
      }
      if (c < 0x20) throw new Stop(i, 'an escaped control character');
      if (c === BACKSLASH) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new Stop(i, 'a \\uXXXX escape');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else throw new Stop(i, 'a valid escape sequence');
      } else i++;
    }
    throw new Stop(i, `'"' closing the string`);
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') throw new Stop(i, 'a double-quoted key');
        string();
        ws();
        if (text[i] !== ':') throw new Stop(i, `':' after the key`);
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        throw new Stop(i, `',' or '}'`);
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        throw new Stop(i, `',' or ']'`);
      }
    }
    if (c === '"') return string();
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!m) throw new Stop(i, 'a value');
    i += m[0].length;
  };
  try {
    value();
    ws();
    if (i < n) throw new Stop(i, 'the end of the value');
    return null;
  } catch (stop) {
    if (stop instanceof Stop) return { index: stop.index, expected: stop.expected, found: foundAt(stop.index) };
    throw stop;
  }
}

export interface ScanFileOptions extends ScannerOptions {
  select: Selector;
  /** Bytes per read; 4 MiB by default. Tests use tiny sizes to put boundaries everywhere. */
  chunkSize?: number;
  /** Called after each chunk with the bytes consumed so far. */
  progress?: (bytesDone: number) => void;
}

export const DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024;

/** Read buffers of closed scanners, for the next file's (a pair per Telegram export, see SpareBuffers). */
const spareBuffers = new SpareBuffers(2);

/**
 * A JsonScanner fed from a file opened read-only, or from its bytes already read (`ofBytes`: a
 * short file that ingest read whole). Use `next` (synchronous) until it returns null, then
 * `await fill()`; `fill` returns false once the file is done. Callers that yield per value pay no
 * extra await per value this way.
 */
export class JsonFileScanner {
  private readonly scanner: JsonScanner;
  private readonly chunkSize: number;
  private readonly progress: ((bytesDone: number) => void) | undefined;
  private handle: FileHandle | null;
  private closed = false;
  /** The file's size when opened: no read buffer is longer than what is left of it (see readLength). */
  private readonly size: number;
  /** The whole file, when read before (then `handle` is null). */
  private readonly bytes: Buffer | null;
  private position = 0;
  private finished = false;
  private last: ScanEvent | null = null;
  private ahead: Promise<Buffer> | null = null;
  /**
   * Two read buffers, used in turn: one holds the chunk being scanned while the next chunk is read
   * ahead into the other. Reusing them keeps a multi-GB read from allocating (and the garbage
   * collector from tracking) a fresh chunk per read. Each is no longer than the file needs: a
   * folder of thousands of short exports allocated 8 MiB for each.
   */
  private readonly buffers: (Buffer | null)[] = [null, null];
  private turn = 0;

  private constructor(source: { handle: FileHandle; size: number } | { bytes: Buffer }, options: ScanFileOptions) {
    if ('bytes' in source) {
      this.handle = null;
      this.bytes = source.bytes;
      this.size = source.bytes.length;
    } else {
      this.handle = source.handle;
      this.bytes = null;
      this.size = source.size;
    }
    this.scanner = new JsonScanner(options.select, options);
    this.chunkSize = Math.max(1, Math.floor(options.chunkSize ?? DEFAULT_CHUNK_SIZE));
    this.progress = options.progress;
  }

  static async open(path: string, options: ScanFileOptions): Promise<JsonFileScanner> {
    const handle = await open(path, 'r');
    try {
      return new JsonFileScanner({ handle, size: (await handle.stat()).size }, options);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** A scanner of a file's bytes already in memory (scanned in place, in chunks of `chunkSize`). */
  static ofBytes(bytes: Buffer, options: ScanFileOptions): JsonFileScanner {
    return new JsonFileScanner({ bytes }, options);
  }

  /** A scanner of an input: of its bytes when ingest read it whole (see wholeFile), else of the file. */
  static async ofInput(input: InputFile, options: ScanFileOptions): Promise<JsonFileScanner> {
    const whole = wholeFile(input);
    return whole !== null ? JsonFileScanner.ofBytes(whole, options) : JsonFileScanner.open(input.absPath, options);
  }

  /** Bytes read so far. */
  get bytesRead(): number {
    return this.position;
  }

  next(): ScanEvent | null {
    const ev = this.scanner.next();
    if (ev !== null) return ev;
    const last = this.last;
    this.last = null;
    return last;
  }

  /** Reads the next chunk; false when the file is done (and checked complete). */
  async fill(): Promise<boolean> {
    if (this.finished || this.closed) return false;
    const pending = this.ahead ?? this.readChunk(this.position);
    this.ahead = null;
    const chunk = await pending;
    if (chunk.length === 0) {
      this.finished = true;
      this.last = this.scanner.end();
      return this.last !== null;
    }
    this.position += chunk.length;
    // The scanner takes the chunk (and checks it was done with the last one) before the read
    // ahead reuses the last one's buffer.
    this.scanner.write(chunk);
    // Read ahead while this chunk is parsed (a short read means the end of the file is near).
    if (chunk.length === this.chunkSize) this.ahead = this.readChunk(this.position);
    this.progress?.(this.position);
    return true;
  }

  private readChunk(position: number): Promise<Buffer> {
    if (this.bytes !== null) return Promise.resolve(this.bytes.subarray(position, position + this.chunkSize));
    const want = readLength(this.size, position, this.chunkSize);
    // The buffer of the chunk before the one being scanned: the scanner is done with it.
    const turn = this.turn;
    this.turn = 1 - turn;
    let buffer = this.buffers[turn];
    if (buffer === null || buffer === undefined || buffer.length < want) {
      if (buffer !== null && buffer !== undefined) spareBuffers.giveBack(buffer);
      buffer = this.buffers[turn] = spareBuffers.take(want);
    }
    const read = this.handle!.read(buffer, 0, want, position).then(({ bytesRead }) => buffer.subarray(0, bytesRead));
    read.catch(() => undefined); // a read-ahead nobody waits for must not crash the process
    return read;
  }

  async close(): Promise<void> {
    this.closed = true;
    const handle = this.handle;
    this.handle = null;
    const ahead = this.ahead;
    this.ahead = null;
    if (ahead !== null) await ahead.catch(() => undefined);
    if (handle !== null) await handle.close();
    // Nothing reads into them any more, and the scanner is done with them: the next file's.
    for (const [i, buffer] of this.buffers.entries()) {
      if (buffer !== null) spareBuffers.giveBack(buffer);
      this.buffers[i] = null;
    }
  }
}

/** Scans a file (opened read-only, or its bytes when ingest read it whole) and yields its events one at a time. */
export async function* scanJsonFile(file: string | InputFile, options: ScanFileOptions): AsyncGenerator<ScanEvent> {
  const scan = typeof file === 'string' ? await JsonFileScanner.open(file, options) : await JsonFileScanner.ofInput(file, options);
  try {
    for (;;) {
      const ev = scan.next();
      if (ev !== null) yield ev;
      else if (!(await scan.fill())) break;
    }
  } finally {
    await scan.close();
  }
}

/** Scans an in-memory document (tests, small inputs), in chunks of `chunkSize` bytes. */
export function scanJsonBuffer(
  data: Buffer,
  select: Selector,
  chunkSize = data.length || 1,
  options: ScannerOptions = {},
): ScanEvent[] {
  const scanner = new JsonScanner(select, options);
  const out: ScanEvent[] = [];
  for (let i = 0; i < data.length; i += chunkSize) {
    for (const event of scanner.push(data.subarray(i, Math.min(data.length, i + chunkSize)))) out.push(event);
  }
  const last = scanner.end();
  if (last !== null) out.push(last);
  return out;
}
