import type { FileOutcome } from '../ingest/pipeline.js';
import type { Listing } from './listing.js';
import { phoneRegionNote } from './phones.js';

/**
 * The detail of a file: why rejected, what it duplicates, or for an ingested export which earlier
 * export it overlapped (and how many messages were new) and how its phone numbers were read.
 */
function detailOf(f: FileOutcome): string | null {
  if (f.status !== 'ingested') return f.detail;
  const parts = f.detail === null ? [] : [f.detail];
  for (const o of f.overlaps ?? []) parts.push(
    `${o.fresh} new, ${o.shared} already in the case (overlaps ${o.firstPath}, chat ${JSON.stringify(o.chatName)})`,
  );
  if (f.regionSource !== undefined) parts.push(phoneRegionNote(f.region ?? null, f.regionSource));
  return parts.length > 0 ? parts.join('; ') : null;
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
    overlaps: (f.overlaps ?? []).map((o) => ({ chat: { id: o.chatId, name: o.chatName }, firstExport: o.firstPath, shared: o.shared, new: o.fresh })),
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
