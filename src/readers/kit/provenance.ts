// Where a record came from, as every reader writes it: the evidence file as the user named it (with
// forward slashes), its SHA-256, and a place inside it (an archive entry, a line, a byte offset).
// Readers build their SourceRefs inline on the hot path; the display paths they share live here.

/** The folder part of a display path, with its trailing slash (`a/b/` of `a/b/chat.txt`; empty at the top). */
export function displayFolder(displayPath: string): string {
  return displayPath.slice(0, displayPath.lastIndexOf('/') + 1);
}

