import type { FileOutcome } from '../ingest/pipeline.js';
import type { Listing } from './listing.js';
import { phoneRegionNote } from './phones.js';

/** The detail of a file: why rejected, what it duplicates, or for an ingested export how its phone numbers were read. */
function detailOf(f: FileOutcome): string | null {
  if (f.detail !== null) return f.detail;
  return f.regionSource !== undefined ? phoneRegionNote(f.region ?? null, f.regionSource) : null;
}

export function fileJson(f: FileOutcome): Record<string, unknown> {
  return {
    path: f.path,
    status: f.status,
    reader: f.reader,
    victim: f.victim,
    chats: f.chats,
    messages: f.messages,
    size: f.size,
    sha256: f.sha256,
    detail: detailOf(f),
    region: f.region ?? null,
    regionSource: f.regionSource ?? null,
  };
}

export function fileListing(files: Iterable<FileOutcome>): Listing<FileOutcome> {
  return {
    kind: 'files',
    items: files,
    toJson: fileJson,
    columns: [
      {
        header: 'status',
        value: (f) => f.status,
        style: (c, t, f) => (f.status === 'rejected' ? c.red(t) : f.status === 'duplicate' ? c.dim(t) : c.green(t)),
      },
      { header: 'file', value: (f) => f.path, max: 60, cut: 'middle' },
      { header: 'reader', value: (f) => f.reader },
      { header: 'victim', value: (f) => f.victim, style: (c, t) => c.cyan(t) },
      { header: 'chats', value: (f) => f.chats, align: 'right' },
      { header: 'msgs', value: (f) => f.messages, align: 'right' },
      { header: 'sha256', value: (f) => (f.sha256 ? f.sha256.slice(0, 12) : ''), style: (c, t) => c.dim(t) },
      { header: 'detail', value: detailOf, flex: true },
    ],
  };
}
