// The output formats, by the result they render: one registry per result type, mapping the name
// given to --format to one function. A command offers exactly the names of its registry (in this
// order, which --help shows) and renders with the one chosen; a new format is a function in
// formats/<name>.ts and a line here.
import type { Analysis } from '../../app/analyze.js';
import type { Explanation } from '../../app/explain.js';
import type { MediaItem } from '../../media/types.js';
import { UsageError } from '../../util/errors.js';
import type { Listing } from '../listing.js';
import { mediaListing } from '../media.js';
import { csv } from './csv.js';
import { dot } from './dot.js';
import { gexf } from './gexf.js';
import { mediaGeoJson } from './geojson.js';
import { graphml } from './graphml.js';
import { analysisHtml } from './html.js';
import { json } from './json.js';
import { jsonl } from './jsonl.js';
import { table } from './table.js';
import type { ClusterView, Formats, Render } from './contract.js';

export type { ClusterView, Formats, Render, RenderContext } from './contract.js';

/** The four formats of every listing, over a result turned into a listing by `toListing`. */
function listingFormats<R, T>(toListing: (result: R) => Listing<T>): Formats<R> {
  return {
    table: (r, c) => table.listing(toListing(r), c),
    csv: (r) => csv.listing(toListing(r)),
    json: (r) => json.listing(toListing(r)),
    jsonl: (r) => jsonl.listing(toListing(r)),
  };
}

/**
 * messages, senders, phones, ingest's files: anything described as a Listing. (`any`: the formats
 * render listings of every item type, and Listing<T> takes and gives T, so no narrower type fits.)
 */
export const LISTING_FORMATS: Formats<Listing<any>> = listingFormats((listing: Listing<any>) => listing);

export const MEDIA_FORMATS: Formats<MediaItem[]> = { ...listingFormats(mediaListing), geojson: mediaGeoJson };

export const CLUSTER_FORMATS: Formats<ClusterView> = {
  table: table.clusters,
  csv: csv.clusters,
  json: json.clusters,
  jsonl: jsonl.clusters,
  graphml,
  gexf,
  dot,
};

export const ANALYSIS_FORMATS: Formats<Analysis> = {
  table: table.analysis,
  json: json.analysis,
  html: (a) => [analysisHtml(a, a.messages)],
};

export const EXPLANATION_FORMATS: Formats<Explanation> = { table: table.explanation, json: json.explanation };

/** The format `name` of `formats`; a usage error naming both when it has none. */
export function formatOf<R>(formats: Formats<R>, name: string, kind: string): Render<R> {
  const render = Object.hasOwn(formats, name) ? formats[name] : undefined;
  if (render === undefined) throw new UsageError(`--format ${name} is not available for ${kind}`, `formats for ${kind}: ${Object.keys(formats).join(', ')}`);
  return render;
}
