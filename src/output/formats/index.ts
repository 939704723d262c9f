// The output formats, by the result they render: one registry per result type, mapping the name
// given to --format to one function. A command offers exactly the names of its registry (in this
// order, which --help shows) and renders with the one chosen; a new format is a function in
// formats/<name>.ts and a line in a registry.
// Here: the formats of listings (messages, senders, phones, media, ingest's files), which most
// commands need and which need nothing of the attribution; the registries of the clustering's
// results are in results.ts, loaded by the commands that show them.
import type { MediaView } from '../../app/media.js';
import { mediaKml } from './kml.js';
import { UsageError } from '../../util/errors.js';
import { renderCsv, renderJson, renderJsonl, tableChunks, type Listing } from '../listing.js';
import { mediaListing } from '../media.js';
import { mediaGeoJson } from './geojson.js';
import { timesketchJsonl } from './timesketch.js';
import type { Message } from '../../model.js';
import type { Formats, Render } from './contract.js';

export type { ClusterView, Formats, Render, RenderContext } from './contract.js';

/** The four formats of every listing, over a result turned into a listing by `toListing`. */
function listingFormats<R, T>(toListing: (result: R) => Listing<T>): Formats<R> {
  return {
    table: (r, c) => tableChunks(toListing(r), c),
    csv: (r, c) => renderCsv(toListing(r), c.bom),
    json: (r) => renderJson(toListing(r)),
    jsonl: (r) => renderJsonl(toListing(r)),
  };
}

/**
 * messages, senders, phones, ingest's files: anything described as a Listing. (`any`: the formats
 * render listings of every item type, and Listing<T> takes and gives T, so no narrower type fits.)
 */
export const LISTING_FORMATS: Formats<Listing<any>> = listingFormats((listing: Listing<any>) => listing);

/** media: the listing formats over the images, and maps of the images and the places chats share. */
export const MEDIA_FORMATS: Formats<MediaView> = {
  ...listingFormats((view: MediaView) => mediaListing(view.items)),
  geojson: mediaGeoJson,
  kml: mediaKml,
};

/** messages: the listing formats, and Timesketch's JSON Lines. */
export const MESSAGE_FORMATS: Formats<Listing<Message>> = { ...LISTING_FORMATS, timesketch: (listing) => timesketchJsonl(listing.items) };

/** The format `name` of `formats`; a usage error naming both when it has none. */
export function formatOf<R>(formats: Formats<R>, name: string, kind: string): Render<R> {
  const render = Object.hasOwn(formats, name) ? formats[name] : undefined;
  if (render === undefined) throw new UsageError(`--format ${name} is not available for ${kind}`, `formats for ${kind}: ${Object.keys(formats).join(', ')}`);
  return render;
}
