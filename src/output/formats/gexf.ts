// GEXF 1.3 (Gephi): edge weight = bits, with status, types, families and bridges as attributes.
import { bridge, edgeWeight, families, graphOf, types, xml } from './graph.js';
import type { ClusterView } from './contract.js';

export function gexf(view: ClusterView): string[] {
  const { nodes, edges } = graphOf(view);
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gexf xmlns="http://gexf.net/1.3" version="1.3">',
    '  <meta><creator>threatlens</creator><description>sender identities linked by evidence</description></meta>',
    '  <graph defaultedgetype="undirected" mode="static">',
    '    <attributes class="node">',
    '      <attribute id="0" title="platform" type="string"/>',
    '      <attribute id="1" title="victims" type="string"/>',
    '      <attribute id="2" title="messages" type="integer"/>',
    '      <attribute id="3" title="cluster" type="string"/>',
    '      <attribute id="4" title="kind" type="string"/>',
    '    </attributes>',
    '    <attributes class="edge">',
    '      <attribute id="0" title="status" type="string"/>',
    '      <attribute id="1" title="types" type="string"/>',
    '      <attribute id="2" title="families" type="string"/>',
    '      <attribute id="3" title="bridge" type="boolean"/>',
    '      <attribute id="4" title="messages" type="integer"/>',
    '    </attributes>',
    '    <nodes>',
  ];
  for (const n of nodes) {
    out.push(
      `      <node id="${xml(n.key)}" label="${xml(n.label)}"><attvalues><attvalue for="0" value="${xml(n.identity?.platform ?? '')}"/><attvalue for="1" value="${xml((n.identity?.victims ?? []).join(', '))}"/><attvalue for="2" value="${n.identity?.messages ?? 0}"/><attvalue for="3" value="${xml(n.cluster)}"/><attvalue for="4" value="${n.kind}"/></attvalues></node>`,
    );
  }
  out.push('    </nodes>', '    <edges>');
  edges.forEach((e, i) => {
    out.push(
      `      <edge id="${i}" source="${xml(e.a)}" target="${xml(e.b)}" weight="${edgeWeight(e)}" label="${xml(e.pair === null ? e.status : types(e))}"><attvalues><attvalue for="0" value="${xml(e.status)}"/><attvalue for="1" value="${xml(types(e))}"/><attvalue for="2" value="${xml(families(e))}"/><attvalue for="3" value="${bridge(e)}"/><attvalue for="4" value="${e.count}"/></attvalues></edge>`,
    );
  });
  out.push('    </edges>', '  </graph>', '</gexf>', '');
  return [out.join('\n')];
}
