// The graph every graph format draws: identities as nodes (with their cluster), and as edges the
// links inside clusters, the candidate links, and with `all` every other scored pair too.
import type { ClusterResult, Identity, PairScore } from '../../attribution/types.js';
import { HARD_EDGE_WEIGHT } from '../../attribution/types.js';
import { escapeHtml } from '../../util/sanitize.js';

export interface GraphNode {
  key: string;
  identity: Identity | undefined;
  cluster: string;
}

export interface GraphEdge {
  a: string;
  b: string;
  pair: PairScore;
  status: string;
}

export function graphOf(result: ClusterResult, identities: Map<string, Identity>, all: boolean): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const clusterOf = new Map<string, string>();
  for (const c of result.clusters) for (const m of c.members) clusterOf.set(m, c.id);
  const edges: GraphEdge[] = [];
  for (const c of result.clusters) {
    for (const l of c.links) edges.push({ a: l.a, b: l.b, pair: l, status: Number.isFinite(l.score) ? 'joined' : 'same-account' });
  }
  const shown = all ? result.pairs.filter((p) => !p.joined) : result.candidates;
  for (const p of shown) edges.push({ a: p.a, b: p.b, pair: p, status: p.candidate ? 'candidate' : 'weak' });
  const keys = new Set<string>();
  for (const e of edges) keys.add(e.a).add(e.b);
  if (all) for (const key of identities.keys()) keys.add(key);
  const nodes = [...keys].sort().map((key) => ({ key, identity: identities.get(key), cluster: clusterOf.get(key) ?? '' }));
  return { nodes, edges };
}

export const xml = (s: string): string => escapeHtml(s);
export const edgeWeight = (p: PairScore): number => (Number.isFinite(p.score) ? p.score : HARD_EDGE_WEIGHT);
export const types = (p: PairScore): string => Object.keys(p.byType).sort().join(' ');
export const families = (p: PairScore): string => Object.keys(p.families).sort().join(' ');
