// Positional reads of a file through one cached window: metadata walkers (JPEG segments, PNG chunks)
// ask for a few bytes at a time, and most of those requests are served from the window already
// read, so a header of hundreds of small segments costs one or two system calls.

import { readSync } from 'node:fs';

/**
 * Bytes [position, position + length) of the file, fewer at its end. The Buffer may be a view into
 * the reader's window, valid until the next call: copy what must be kept.
 */
export type RangeReader = (position: number, length: number) => Promise<Buffer>;

/** Bytes read at once when a request falls outside the window. */
export const WINDOW_BYTES = 64 * 1024;

/** Reads exactly up to `length` bytes at `position` from a read-only descriptor (fewer at end of file). */
export function readFully(fd: number, position: number, length: number, size: number): Buffer {
  const buf = Buffer.allocUnsafe(Math.max(0, Math.min(length, size - position)));
  let filled = 0;
  while (filled < buf.length) {
    const n = readSync(fd, buf, filled, buf.length - filled, position + filled);
    if (n === 0) break;
    filled += n;
  }
  return buf.subarray(0, filled);
}

/** A RangeReader over a descriptor, with one `windowBytes` window cached. */
export function windowedReader(fd: number, size: number, windowBytes = WINDOW_BYTES): RangeReader {
  let start = 0;
  let window: Buffer = Buffer.alloc(0);
  return async (position, length) => {
    const end = Math.min(position + length, size);
    if (position < start || end > start + window.length) {
      start = position;
      window = readFully(fd, position, Math.max(length, windowBytes), size);
    }
    return window.subarray(position - start, Math.max(position - start, end - start));
  };
}
