// What threatlens reads: one row per reader of the registry, with what its exports give.
import { READERS } from '../readers/registry.js';
import type { ReaderCapabilities } from '../readers/reader.js';
import type { Platform } from '../model.js';

export interface ReaderRow extends ReaderCapabilities {
  /** Registry name (`telegram-json`): the `reader` of every ingested export. */
  reader: string;
  platform: Platform;
  description: string;
  /** The file at the top of a folder export (`result.json`), or null for a single-file export. */
  folderMarker: string | null;
  /** A chat exported twice is recognised by its id (else by its messages). */
  stableChatIds: boolean;
}

/** Every reader, in the order files are offered to them. */
export function readerRows(): ReaderRow[] {
  return READERS.map((r) => ({
    reader: r.name,
    platform: r.platform.name,
    description: r.description,
    folderMarker: r.folderMarker,
    stableChatIds: r.stableChatIds,
    ...r.capabilities,
  }));
}
