// Where a record came from, as every reader writes it: the evidence file as the user named it (with
// forward slashes), its SHA-256, and a place inside it (an archive entry, a line, a byte offset).
import type { SourceRef } from '../../model.js';
import type { InputFile } from '../reader.js';

/** The folder part of a display path, with its trailing slash (`a/b/` of `a/b/chat.txt`; empty at the top). */
export function displayFolder(displayPath: string): string {
  return displayPath.slice(0, displayPath.lastIndexOf('/') + 1);
}

/** The source of a record of `input`: its file and hash, plus the place given (line, offset, entry…). */
export function sourceOf(input: Pick<InputFile, 'displayPath' | 'sha256'>, at: Omit<SourceRef, 'file' | 'sha256'> = {}): SourceRef {
  return { file: input.displayPath, sha256: input.sha256, ...at };
}
