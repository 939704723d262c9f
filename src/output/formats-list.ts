// `threatlens formats`: the readers and what each export gives, as a listing.
import type { ReaderRow } from '../app/formats.js';
import type { Listing } from './listing.js';

const yes = (b: boolean): string => (b ? 'yes' : '-');

export function readerListing(rows: Iterable<ReaderRow>): Listing<ReaderRow> {
  return {
    kind: 'formats',
    items: rows,
    toJson: (r) => ({
      reader: r.reader,
      platform: r.platform,
      description: r.description,
      folderMarker: r.folderMarker,
      accountIds: r.accountIds,
      phones: r.phones,
      zones: r.zones,
      media: r.media,
      forwards: r.forwards,
      stableChatIds: r.stableChatIds,
    }),
    columns: [
      { header: 'reader', value: (r) => r.reader, style: (c, t) => c.yellow(t) },
      { header: 'platform', value: (r) => r.platform },
      { header: 'ids', value: (r) => yes(r.accountIds) },
      { header: 'phones', value: (r) => yes(r.phones) },
      { header: 'zones', value: (r) => yes(r.zones) },
      { header: 'media', value: (r) => yes(r.media) },
      { header: 'forwards', value: (r) => yes(r.forwards) },
      { header: 'reads', value: (r) => r.description, flex: true },
    ],
  };
}
