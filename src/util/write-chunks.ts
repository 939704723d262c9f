// Text written in pieces: the output formats and the evidence manifest give many small chunks, and
// each write (a system call, or a stream's callback) costs the same for a line as for 64 KiB.
import { writeSync } from 'node:fs';

/** At least this many characters to a piece. */
const PIECE = 1 << 16;

/** The text of `chunks` in pieces of at least 64 KiB (the last may be shorter), each with whether it is the last. */
export function* pieces(chunks: Iterable<string>): Generator<{ text: string; last: boolean }> {
  let buffer = '';
  let ready: string | null = null;
  for (const chunk of chunks) {
    buffer += chunk;
    if (buffer.length >= PIECE) {
      if (ready !== null) yield { text: ready, last: false };
      ready = buffer;
      buffer = '';
    }
  }
  if (buffer.length > 0) {
    if (ready !== null) yield { text: ready, last: false };
    ready = buffer;
  }
  if (ready !== null) yield { text: ready, last: true };
}

/** writeSync until every byte is written (a pipe or device may take part of a piece). */
export function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
}

/** Writes the text of `chunks` to the open file `fd`, a piece at a time. */
export function writeChunks(fd: number, chunks: Iterable<string>): void {
  for (const { text } of pieces(chunks)) writeAll(fd, text);
}
