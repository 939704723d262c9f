// JSON Lines for pipelines (jq, grep): one item per line.
import { clusterListing } from '../clusters.js';
import { renderJsonl } from '../listing.js';
import type { ClusterView } from './contract.js';

export const jsonl = {
  /** One cluster per line. */
  clusters: ({ result, identities }: ClusterView): Iterable<string> => renderJsonl(clusterListing(result, identities)),
};
