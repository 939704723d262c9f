// Graphviz DOT: one subgraph per cluster; candidate and weak links dashed, bridges bold.
import { terminalSafe } from '../../util/sanitize.js';
import { families, graphOf, type GraphNode } from './graph.js';
import type { ClusterView } from './contract.js';

const dotString = (s: string): string => `"${terminalSafe(s).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export function dot(view: ClusterView): string[] {
  const { nodes, edges } = graphOf(view);
  const out = ['graph threatlens {', '  node [shape=box, fontname="Helvetica"];'];
  const byCluster = new Map<string, GraphNode[]>();
  for (const n of nodes) byCluster.set(n.cluster, [...(byCluster.get(n.cluster) ?? []), n]);
  for (const [cluster, members] of [...byCluster].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const lines = members.map((n) =>
      n.kind === 'identity'
        ? `    ${dotString(n.key)} [label=${dotString(`${n.identity?.names[0] ?? ''}\n${n.key}`)}];`
        : `    ${dotString(n.key)} [label=${dotString(`${n.kind}\n${n.label}`)}, shape=${n.kind === 'victim' ? 'doubleoctagon' : n.kind === 'image' ? 'note' : 'ellipse'}];`,
    );
    if (cluster === '') out.push(...lines.map((l) => l.slice(2)));
    else out.push(`  subgraph ${dotString(`cluster_${cluster}`)} {`, `    label=${dotString(cluster)};`, ...lines, '  }');
  }
  for (const e of edges) {
    if (e.pair === null) {
      out.push(`  ${dotString(e.a)} -- ${dotString(e.b)} [label=${dotString(`${e.status} (${e.count})`)}, style=dotted];`);
      continue;
    }
    const style = e.status === 'candidate' || e.status === 'weak' ? 'dashed' : e.pair.bridge ? 'bold' : 'solid';
    const label = Number.isFinite(e.pair.score) ? `${e.pair.score.toFixed(1)} bits: ${families(e)}` : 'same account';
    out.push(`  ${dotString(e.a)} -- ${dotString(e.b)} [label=${dotString(label)}, style=${style}];`);
  }
  out.push('}', '');
  return [out.join('\n')];
}
