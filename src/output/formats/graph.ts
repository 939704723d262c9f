// The graph every graph format draws: identities as nodes (with their cluster), and as edges the
// links inside clusters, the candidate links, and with `all` every other scored pair too.
import type { Identity, PairScore } from '../../attribution/types.js';
import type { EntityKind } from '../../model.js';
import type { ClusterView } from './contract.js';
import { HARD_EDGE_WEIGHT } from '../../attribution/types.js';
import { escapeHtml } from '../../util/sanitize.js';

export interface GraphNode {
  key: string;
  /** A sender identity, or (--graph full) a victim, a phone number or an image. */
  kind: 'identity' | EntityKind;
  identity: Identity | undefined;
  cluster: string;
  /** What a person reads on the node. */
  label: string;
}

export interface GraphEdge {
  a: string;
  b: string;
  /** The scored link between two identities; null for an edge to a victim, number or image. */
  pair: PairScore | null;
  /** joined, same-account, candidate, weak; or the relation to an entity (wrote to, mentions, sent). */
  status: string;
  /** Messages behind an edge to an entity. */
  count: number;
}

export function graphOf({ result, identities, all, entities }: ClusterView): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const clusterOf = new Map<string, string>();
  for (const c of result.clusters) for (const m of c.members) clusterOf.set(m, c.id);
  const edges: GraphEdge[] = [];
  for (const c of result.clusters) {
    for (const l of c.links) edges.push({ a: l.a, b: l.b, pair: l, status: Number.isFinite(l.score) ? 'joined' : 'same-account', count: 0 });
  }
  const shown = all ? result.pairs.filter((p) => !p.joined) : result.candidates;
  for (const p of shown) edges.push({ a: p.a, b: p.b, pair: p, status: p.candidate ? 'candidate' : 'weak', count: 0 });
  const keys = new Set<string>();
  for (const e of edges) keys.add(e.a).add(e.b);
  if (all) for (const key of identities.keys()) keys.add(key);
  const nodes: GraphNode[] = [...keys]
    .sort()
    .map((key) => ({ key, kind: 'identity', identity: identities.get(key), cluster: clusterOf.get(key) ?? '', label: identities.get(key)?.names[0] ?? key }));
  if (entities !== undefined) {
    const around = new Map<string, GraphNode>();
    for (const e of entities) {
      if (!keys.has(e.from)) continue;
      if (!around.has(e.to)) around.set(e.to, { key: e.to, kind: e.kind, identity: undefined, cluster: '', label: e.label });
      edges.push({ a: e.from, b: e.to, pair: null, status: e.relation, count: e.count });
    }
    nodes.push(...[...around.values()].sort((x, y) => (x.key < y.key ? -1 : 1)));
  }
  return { nodes, edges };
}

export const xml = (s: string): string => escapeHtml(s);
/** Bits of a scored link; an edge to an entity weighs the messages behind it. */
export const edgeWeight = (e: GraphEdge): number => (e.pair === null ? e.count : Number.isFinite(e.pair.score) ? e.pair.score : HARD_EDGE_WEIGHT);
export const types = (e: GraphEdge): string => (e.pair === null ? '' : Object.keys(e.pair.byType).sort().join(' '));
export const families = (e: GraphEdge): string => (e.pair === null ? '' : Object.keys(e.pair.families).sort().join(' '));
export const bridge = (e: GraphEdge): boolean => e.pair?.bridge ?? false;
