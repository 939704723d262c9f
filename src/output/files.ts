import type { FileOutcome } from '../ingest/pipeline.js';
import type { Listing } from './listing.js';

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
    detail: f.detail,
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
      { header: 'detail', value: (f) => f.detail, flex: true },
    ],
  };
}
