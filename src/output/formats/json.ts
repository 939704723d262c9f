// JSON documents for tools: {"schema": "threatlens/v1", "kind": …}, two-space indented.
import type { Analysis } from '../../app/analyze.js';
import type { Explanation } from '../../app/explain.js';
import { analysisJson } from '../analysis.js';
import { candidateListing, clusterJson, clusterListing, decisionAppliedJson, pairJson } from '../clusters.js';
import { JSON_SCHEMA, renderJson } from '../listing.js';
import { escapeJsonText } from '../../util/sanitize.js';
import type { ClusterView } from './contract.js';

/** JSON has no Infinity: a hard limit is written "hard". */
const paramsJson = (p: object): unknown => JSON.parse(JSON.stringify(p, (_k, v) => (v === Infinity ? 'hard' : v)));

export const json = {

  /** The clusters with their evidence; candidates and the run's parameters beside them. */
  clusters: ({ result, identities }: ClusterView): Iterable<string> =>
    renderJson(clusterListing(result, identities), {
      params: paramsJson(result.params),
      stats: result.stats,
      chance: result.chance,
      candidates: result.candidates.map(candidateListing(result).toJson),
      decisions: result.decisions.map(decisionAppliedJson),
    }),

  analysis: (a: Analysis): string[] => [analysisJson(a)],

  explanation: (e: Explanation): string[] => {
    const doc =
      e.kind === 'cluster'
        ? { schema: JSON_SCHEMA, kind: 'cluster', run: e.run, ...clusterJson(e.cluster, e.identities), links: e.cluster.links.map(pairJson) }
        : { schema: JSON_SCHEMA, kind: 'link', run: e.run, keys: e.keys, cluster: e.together?.id ?? null, ...pairJson(e.pair) };
    return [escapeJsonText(JSON.stringify(doc, null, 2)) + '\n'];
  },
};
