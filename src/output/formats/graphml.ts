// GraphML (Gephi, yEd, NetworkX): edge weight = bits, with status, types, families and bridges.
import { bridge, edgeWeight, families, graphOf, types, xml } from './graph.js';
import type { ClusterView } from './contract.js';

export function graphml(view: ClusterView): string[] {
  const { nodes, edges } = graphOf(view);
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    '  <key id="label" for="node" attr.name="label" attr.type="string"/>',
    '  <key id="kind" for="node" attr.name="kind" attr.type="string"/>',
    '  <key id="platform" for="node" attr.name="platform" attr.type="string"/>',
    '  <key id="names" for="node" attr.name="names" attr.type="string"/>',
    '  <key id="victims" for="node" attr.name="victims" attr.type="string"/>',
    '  <key id="messages" for="node" attr.name="messages" attr.type="int"/>',
    '  <key id="cluster" for="node" attr.name="cluster" attr.type="string"/>',
    '  <key id="weight" for="edge" attr.name="weight" attr.type="double"/>',
    '  <key id="status" for="edge" attr.name="status" attr.type="string"/>',
    '  <key id="types" for="edge" attr.name="types" attr.type="string"/>',
    '  <key id="families" for="edge" attr.name="families" attr.type="string"/>',
    '  <key id="bridge" for="edge" attr.name="bridge" attr.type="boolean"/>',
    '  <key id="count" for="edge" attr.name="messages" attr.type="int"/>',
    '  <graph id="threatlens" edgedefault="undirected">',
  ];
  for (const n of nodes) {
    out.push(
      `    <node id="${xml(n.key)}"><data key="label">${xml(n.label)}</data><data key="kind">${n.kind}</data><data key="platform">${xml(n.identity?.platform ?? '')}</data><data key="names">${xml((n.identity?.names ?? []).join(' | '))}</data><data key="victims">${xml((n.identity?.victims ?? []).join(', '))}</data><data key="messages">${n.identity?.messages ?? 0}</data><data key="cluster">${xml(n.cluster)}</data></node>`,
    );
  }
  edges.forEach((e, i) => {
    out.push(
      `    <edge id="e${i}" source="${xml(e.a)}" target="${xml(e.b)}"><data key="weight">${edgeWeight(e)}</data><data key="status">${xml(e.status)}</data><data key="types">${xml(types(e))}</data><data key="families">${xml(families(e))}</data><data key="bridge">${bridge(e)}</data><data key="count">${e.count}</data></edge>`,
    );
  });
  out.push('  </graph>', '</graphml>', '');
  return [out.join('\n')];
}
