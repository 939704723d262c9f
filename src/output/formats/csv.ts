// CSV for spreadsheets: a header row, every cell guarded against formula injection.
import { evidenceListing, evidenceRows } from '../clusters.js';
import { renderCsv } from '../listing.js';
import type { ClusterView, RenderContext } from './contract.js';

export const csv = {
  /** One row per piece of evidence of every link. */
  clusters: ({ result }: ClusterView, { bom }: RenderContext): Iterable<string> => renderCsv(evidenceListing(evidenceRows(result)), bom),
};
