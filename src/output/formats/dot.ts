// Graphviz DOT: one subgraph per cluster; candidate and weak links dashed, bridges bold.
import { terminalSafe } from '../../util/sanitize.js';
import { families, graphOf, type GraphNode } from './graph.js';
import type { ClusterView } from './contract.js';

const dotString = (s: string): string => `"${terminalSafe(s).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export function dot({ result, identities, all }: ClusterView): string[] {
  const { nodes, edges } = graphOf(result, identities, all);
  const out = ['graph threatlens {', '  node [shape=box, fontname="Helvetica"];'];
  const byCluster = new Map<string, GraphNode[]>();
  for (const n of nodes) byCluster.set(n.cluster, [...(byCluster.get(n.cluster) ?? []), n]);
  for (const [cluster, members] of [...byCluster].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const lines = members.map((n) => `    ${dotString(n.key)} [label=${dotString(`${n.identity?.names[0] ?? ''}\n${n.key}`)}];`);
    if (cluster === '') out.push(...lines.map((l) => l.slice(2)));
    else out.push(`  subgraph ${dotString(`cluster_${cluster}`)} {`, `    label=${dotString(cluster)};`, ...lines, '  }');
  }
  for (const e of edges) {
    const style = e.status === 'candidate' || e.status === 'weak' ? 'dashed' : e.pair.bridge ? 'bold' : 'solid';
    const label = Number.isFinite(e.pair.score) ? `${e.pair.score.toFixed(1)} bits: ${families(e.pair)}` : 'same account';
    out.push(`  ${dotString(e.a)} -- ${dotString(e.b)} [label=${dotString(label)}, style=${style}];`);
  }
  out.push('}', '');
  return [out.join('\n')];
}
