// Streams a text file as lines with their 1-based number, byte offset and byte length, in fixed
// chunks so memory stays flat. A UTF-8 block of whole lines is not decoded: it is seen as latin1
// (one character per byte, a cheap copy), so line breaks, header digits and `: ` are found by
// character code at byte positions, and only the text a message keeps is decoded from the bytes.
// A UTF-16LE block is decoded (one character per two bytes), so positions are in characters.
import { isUtf8 } from 'node:buffer';
import { endianness } from 'node:os';
import { latin1Slice, ucs2Slice } from '../../util/buffer-slices.js';
import { InputError } from '../../util/errors.js';

export type TextEncoding = 'utf8' | 'utf16le';

/** Called once per line; `text` has no line break (CR of CRLF removed), `length` counts the break. */
export type LineSink = (text: string, line: number, offset: number, length: number) => void;

/** Chunk size for the file streams: large reads, few callbacks. */
export const CHUNK_BYTES = 1 << 20;

/**
 * Chunks are split into blocks of about this size: small enough that each block's latin1 view is
 * a young object (larger ones cost more in garbage collection than they save in calls).
 */
export const BLOCK_BYTES = 64 * 1024;

/** A line this long is not chat text: stop before memory grows. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

export interface EncodingInfo {
  encoding: TextEncoding;
  /** Bytes of the byte-order mark at the start of the file (skipped, but counted in offsets). */
  bomLength: number;
}

/** Reads the encoding from the first bytes: UTF-8 (with or without BOM) or UTF-16LE with BOM. */
export function detectEncoding(head: Buffer, file: string): EncodingInfo {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    return { encoding: 'utf8', bomLength: 3 };
  }
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf16le', bomLength: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) {
    throw new InputError(
      file,
      'the file is UTF-16 big-endian text, which is not supported',
      { offset: 0 },
      'convert it to UTF-8 (e.g. `iconv -f UTF-16BE -t UTF-8`) or re-export the chat from WhatsApp',
    );
  }
  return { encoding: 'utf8', bomLength: 0 };
}

/** Decodes a few head bytes for sniffing; never throws. */
export function decodeHead(head: Buffer): string {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) {
    return head.toString('utf16le', 2, head.length - (head.length % 2));
  }
  const start = head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  return head.toString('utf8', start);
}

const NEWLINE_UTF16 = Buffer.from([0x0a, 0x00]);

/**
 * Scratch space for decodeUtf8: text is decoded into UTF-16 code units here and copied into a
 * string in one go (cheaper, for short non-ASCII text, than V8's UTF-8 decoder).
 */
const SCRATCH = Buffer.alloc(1 << 17);
const UNITS = new Uint16Array(SCRATCH.buffer, SCRATCH.byteOffset, SCRATCH.length >> 1);
/** The scratch path writes UTF-16 in the machine's order and reads it back as UTF-16LE. */
const SCRATCH_OK = endianness() === 'LE';


/**
 * The text of the valid UTF-8 `b[a, e)` (whole characters), as `b.toString('utf8', a, e)`.
 */
function decodeUtf8(b: Buffer, a: number, e: number): string {
  let i = a;
  while (i < e && b[i]! < 0x80) i++;
  if (i === e) return latin1Slice.call(b, a, e);
  if (!SCRATCH_OK || e - a > UNITS.length) return b.toString('utf8', a, e);
  const units = UNITS;
  let n = 0;
  for (let k = a; k < i; k++) units[n++] = b[k]!;
  while (i < e) {
    const c = b[i]!;
    if (c < 0x80) {
      units[n++] = c;
      i++;
    } else if (c < 0xe0) {
      units[n++] = ((c & 0x1f) << 6) | (b[i + 1]! & 0x3f);
      i += 2;
    } else if (c < 0xf0) {
      units[n++] = ((c & 0x0f) << 12) | ((b[i + 1]! & 0x3f) << 6) | (b[i + 2]! & 0x3f);
      i += 3;
    } else {
      const cp = (((c & 0x07) << 18) | ((b[i + 1]! & 0x3f) << 12) | ((b[i + 2]! & 0x3f) << 6) | (b[i + 3]! & 0x3f)) - 0x10000;
      units[n++] = 0xd800 + (cp >> 10);
      units[n++] = 0xdc00 + (cp & 0x3ff);
      i += 4;
    }
  }
  return ucs2Slice.call(SCRATCH, 0, n * 2);
}

/**
 * Index of the first byte of `b` that does not start a well-formed UTF-8 sequence (the bytes
 * before it are valid), or b.length when all are valid. Overlong forms, surrogates and code
 * points above U+10FFFF are invalid, as isUtf8 holds them.
 */
export function invalidUtf8At(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0;
      else if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      else if (c === 0xf4) hi = 0x8f;
    } else return i;
    const second = b[i + 1];
    if (second === undefined || second < lo || second > hi) return i;
    for (let k = 2; k <= n; k++) {
      const next = b[i + k];
      if (next === undefined || next < 0x80 || next > 0xbf) return i;
    }
    i += n + 1;
  }
  return b.length;
}

const EMPTY = Buffer.alloc(0);

/**
 * Splits a byte stream into lines, pull-style: `load()` a chunk, then call `next()` until it
 * returns false. The current line is `view[start, end)` (line break and CR excluded); `decode()`
 * gives the text of any part of it. With `validate`, rejects bytes that are not text in the
 * declared encoding (invalid UTF-8, NUL bytes) with an InputError naming the line and offset.
 */
export class LineSplitter {
  /**
   * The loaded block of whole lines: UTF-8 bytes one character per byte (`latin1`), or the
   * decoded UTF-16 text. Line positions index this string.
   */
  view = '';
  start = 0;
  end = 0;
  /** 1-based number, byte offset and byte length (with its line break) of the current line. */
  line = 0;
  offset = 0;
  length = 0;
  /** true for UTF-8 (the view holds bytes), false for UTF-16 (the view holds text). */
  readonly latin1: boolean;
  /** The loaded block's bytes: for UTF-8, `bytes[i]` is `view.charCodeAt(i)`, but faster to read. */
  bytes: Buffer = Buffer.alloc(0);
  /** The loaded block is valid UTF-8. */
  private valid = false;

  private carry: Buffer | null = null;
  /**
   * Chunks that followed `carry` without a line break, kept apart and joined once a line break
   * arrives: joining on every chunk would copy a long line again and again (quadratic in its length
   * when it arrives in small pieces, as archive streams deliver it).
   */
  private carryMore: Buffer[] | null = null;
  private carryLength = 0;
  /** The part of the last block after the line that spanned into it, not yet split. */
  private rest: Buffer | null = null;
  /** A chunk larger than a block, loaded block by block from `queued` on. */
  private queue: Buffer | null = null;
  private queued = 0;
  /** File offset of block[0]. */
  private base = 0;
  /** Position in the view of the next line. */
  private pos = 0;
  /** The block is the unterminated last line of the file. */
  private final = false;
  /** The current line is the file's last and has no line break: the file may have been cut inside it. */
  get unterminated(): boolean {
    return this.final;
  }
  private pendingBom: number;
  private readonly unit: number;

  constructor(
    private readonly file: string,
    private readonly encoding: TextEncoding,
    bomLength: number,
    private readonly validate: boolean,
  ) {
    this.pendingBom = bomLength;
    this.unit = encoding === 'utf8' ? 1 : 2;
    this.latin1 = encoding === 'utf8';
  }

  /** Takes the next chunk of the file; its complete lines become available to next(). */
  load(chunk: Buffer): void {
    if (this.rest !== null || this.queue !== null) throw new Error('LineSplitter.load() before the loaded lines were read');
    if (chunk.length > BLOCK_BYTES) {
      this.queue = chunk;
      this.queued = 0;
      this.feed();
    } else {
      this.loadBlock(chunk);
    }
  }

  /** Loads the next block of the queued chunk. */
  private feed(): void {
    const queue = this.queue!;
    const from = this.queued;
    const to = Math.min(queue.length, from + BLOCK_BYTES);
    if (to === queue.length) this.queue = null;
    else this.queued = to;
    this.loadBlock(queue.subarray(from, to));
  }

  /** Loads a block of bytes that follows the last one (as load() would a chunk). */
  private loadBlock(chunk: Buffer): void {
    this.base += this.bytes.length;
    if (this.carry !== null && this.pendingBom === 0 && chunk.indexOf(0x0a) < 0) {
      (this.carryMore ??= []).push(Buffer.from(chunk));
      this.carryLength += chunk.length;
      if (this.carry.length + this.carryLength > MAX_LINE_BYTES) this.tooLong(0);
      this.setBlock(EMPTY);
      return;
    }
    this.joinCarry();
    let buf = chunk;
    if (this.carry !== null) {
      const first = this.latin1 && this.pendingBom === 0 ? chunk.indexOf(0x0a) : -1;
      if (first >= 0) {
        // Only the line spanning the two chunks is copied; the rest of the chunk follows it.
        const carry = this.carry;
        const last = chunk.lastIndexOf(0x0a);
        if (chunk.length - last - 1 > MAX_LINE_BYTES) this.tooLong(carry.length + last + 1);
        this.carry = null;
        this.rest = chunk.subarray(first + 1);
        this.setBlock(Buffer.concat([carry, chunk.subarray(0, first + 1)]));
        return;
      }
      buf = Buffer.concat([this.carry, chunk]);
      this.carry = null;
    }
    if (this.pendingBom > 0) {
      if (buf.length < this.pendingBom) {
        this.setBlock(Buffer.alloc(0));
        this.carry = buf;
        return;
      }
      buf = buf.subarray(this.pendingBom);
      this.base += this.pendingBom;
      this.pendingBom = 0;
    }
    this.cut(buf);
  }

  /** Joins the chunks kept beside `carry` into it (once per line that spans them). */
  private joinCarry(): void {
    if (this.carryMore === null) return;
    this.carry = Buffer.concat([this.carry!, ...this.carryMore]);
    this.carryMore = null;
    this.carryLength = 0;
  }

  /** Makes the whole lines of `buf` the block and keeps the unterminated rest for later. */
  private cut(buf: Buffer): void {
    const end = this.lastLineEnd(buf);
    const rest = buf.subarray(end);
    if (rest.length > MAX_LINE_BYTES) this.tooLong(end);
    this.carry = rest.length > 0 ? Buffer.from(rest) : null;
    this.setBlock(buf.subarray(0, end));
  }

  /** The line starting at `at` in the block being loaded has no end in sight. */
  private tooLong(at: number): never {
    throw new InputError(
      this.file,
      `a line is longer than ${MAX_LINE_BYTES} bytes`,
      { line: this.line + 1, offset: this.base + at },
      'this is not a chat export text (binary data or a file without line breaks)',
    );
  }

  /** At end of file: makes a last line without a line break available to next(). */
  finish(): void {
    if (this.rest !== null || this.queue !== null) throw new Error('LineSplitter.finish() before the loaded lines were read');
    this.base += this.bytes.length;
    this.joinCarry();
    const rest = this.carry ?? Buffer.alloc(0);
    this.carry = null;
    if (this.encoding === 'utf16le' && rest.length % 2 !== 0) {
      throw new InputError(this.file, 'truncated UTF-16 text', { offset: this.base + rest.length - 1 });
    }
    this.setBlock(rest);
    this.final = true;
  }

  /** Advances to the next line of the loaded block; false when the block is used up. */
  next(): boolean {
    while (this.pos >= this.view.length) {
      if (this.rest !== null) {
        // The block was the line spanning two chunks: go on with the rest of the second one.
        const rest = this.rest;
        this.rest = null;
        this.base += this.bytes.length;
        this.cut(rest);
      } else if (this.queue !== null) {
        this.feed();
      } else {
        return false;
      }
    }
    const view = this.view;
    const pos = this.pos;
    let nl = view.indexOf('\n', pos);
    let stop: number;
    if (nl < 0) {
      if (!this.final) return false;
      nl = view.length;
      stop = nl;
    } else {
      stop = nl + 1;
    }
    this.start = pos;
    this.end = nl > pos && view.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    this.line++;
    this.offset = this.base + pos * this.unit;
    this.length = (stop - pos) * this.unit;
    this.pos = stop;
    return true;
  }

  /** Text of `view[a, b)` (positions within the loaded block, at character boundaries). */
  decode(a: number, b: number): string {
    if (!this.latin1) return this.view.slice(a, b);
    return this.valid ? decodeUtf8(this.bytes, a, b) : this.bytes.toString('utf8', a, b);
  }

  /** UTF-16 length of the text of `view[a, b)`. */
  units(a: number, b: number): number {
    if (!this.latin1) return b - a;
    const bytes = this.bytes;
    let n = 0;
    for (let i = a; i < b; i++) {
      const c = bytes[i]!;
      // Continuation bytes add nothing; a 4-byte sequence is a surrogate pair.
      if (c < 0x80 || c >= 0xc0) n += c >= 0xf0 ? 2 : 1;
    }
    return n;
  }

  private setBlock(block: Buffer): void {
    if (this.validate && block.length > 0) this.check(block);
    // Unvalidated bytes (the second pass) are decoded by the strict path only when valid.
    this.valid = this.latin1 && (this.validate || isUtf8(block));
    this.bytes = block;
    this.view = block.length === 0 ? '' : this.latin1 ? latin1Slice.call(block, 0, block.length) : block.toString('utf16le');
    this.pos = 0;
  }

  /** Byte index just past the last complete line break in `buf` (0 when none). */
  private lastLineEnd(buf: Buffer): number {
    if (this.encoding === 'utf8') return buf.lastIndexOf(0x0a) + 1;
    let at = buf.length - 2;
    while (at >= 0) {
      at = buf.lastIndexOf(NEWLINE_UTF16, at);
      if (at < 0) return 0;
      if (at % 2 === 0) return at + 2;
      at -= 1;
    }
    return 0;
  }

  /** Rejects NUL bytes and invalid UTF-8, naming the first offending line. */
  private check(block: Buffer): void {
    if (this.encoding !== 'utf8') return;
    if (block.indexOf(0) < 0 && isUtf8(block)) return;
    let start = 0;
    let line = this.line;
    for (;;) {
      const nl = block.indexOf(0x0a, start);
      const stop = nl < 0 ? block.length : nl + 1;
      line += 1;
      const piece = block.subarray(start, stop);
      const nul = piece.indexOf(0);
      if (nul >= 0) {
        throw new InputError(
          this.file,
          'the file contains NUL bytes: it is binary data or UTF-16 text without a byte-order mark',
          { line, offset: this.base + start + nul },
          'a WhatsApp export is UTF-8 text; convert UTF-16 text to UTF-8, or pick the .txt or .zip WhatsApp wrote',
        );
      }
      if (!isUtf8(piece)) {
        const bad = invalidUtf8At(piece);
        throw new InputError(
          this.file,
          `the file is not valid UTF-8 text (byte 0x${piece[bad]!.toString(16).padStart(2, '0')} at column ${bad + 1} of the line's bytes)`,
          { line, offset: this.base + start + bad },
          'a WhatsApp export is UTF-8; if the file was re-saved in another encoding, convert it to UTF-8 (e.g. `iconv -f WINDOWS-1252 -t UTF-8`)',
        );
      }
      if (nl < 0) return;
      start = stop;
    }
  }
}
