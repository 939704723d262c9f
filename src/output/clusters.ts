// Clusters for people (tables, the evidence ledger) and for tools (JSON, CSV of evidence, and
// GraphML/GEXF/DOT graphs that open in Gephi or Graphviz with types and weights on the edges).
import type { ChalkInstance } from 'chalk';
import type { ChanceCheck, Cluster, ClusterResult, Evidence, PairScore } from '../attribution/types.js';
import { FAMILY_OF, HARD_EDGE_WEIGHT } from '../attribution/types.js';
import { revealObfuscation } from '../attribution/text.js';
import type { Identity } from '../attribution/types.js';
import type { Message } from '../model.js';
import type { Listing } from './listing.js';
import { escapeHtml, terminalSafe } from './sanitize.js';
import { sourceLabel } from './messages.js';

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function evidenceJson(e: Evidence): Record<string, unknown> {
  return {
    type: e.type,
    family: FAMILY_OF[e.type],
    between: e.between,
    weight: finite(e.weight),
    hard: !Number.isFinite(e.weight),
    bits: finite(e.bits),
    commonness: e.commonness,
    df: e.df,
    shownBy: e.holders.length,
    detail: e.detail,
    chance: e.chance ?? null,
    refs: e.refs,
    against: e.against,
  };
}

export function pairJson(p: PairScore): Record<string, unknown> {
  return {
    between: [p.a, p.b],
    score: finite(p.score),
    hard: !Number.isFinite(p.score),
    families: Object.fromEntries(Object.entries(p.families).map(([k, v]) => [k, finite(v!)])),
    types: Object.fromEntries(Object.entries(p.byType).map(([k, v]) => [k, { items: v!.items, bits: finite(v!.bits) }])),
    independentFamilies: p.independent,
    setAside: p.setAside,
    nulls: p.nulls,
    needed: p.needed,
    joined: p.joined,
    candidate: p.candidate,
    bridge: p.bridge,
    evidence: p.evidence.map(evidenceJson),
  };
}

function identityJson(i: Identity | undefined, key: string): Record<string, unknown> {
  if (!i) return { key };
  return {
    key: i.key,
    platform: i.platform,
    names: i.names,
    phones: i.phones,
    messages: i.messages,
    victims: i.victims,
    firstSeen: i.firstSeen,
    lastSeen: i.lastSeen,
  };
}

export function clusterJson(c: Cluster, identities: Map<string, Identity>): Record<string, unknown> {
  return {
    id: c.id,
    score: c.score,
    members: c.members.map((k) => identityJson(identities.get(k), k)),
    accounts: c.accounts,
    victims: c.victims,
    evidence: c.links.flatMap((l) => l.evidence).map(evidenceJson),
    links: c.links.map((l) => ({ ...pairJson(l), evidence: undefined })),
  };
}

function familiesText(p: PairScore): string {
  return Object.entries(p.families)
    .map(([f, v]) => `${f} ${Number.isFinite(v!) ? v!.toFixed(1) : 'same account'}`)
    .join(', ');
}

export function clusterListing(result: ClusterResult, identities: Map<string, Identity>): Listing<Cluster> {
  return {
    kind: 'clusters',
    items: result.clusters,
    toJson: (c) => clusterJson(c, identities),
    columns: [
      { header: 'cluster', value: (c) => c.id, style: (ch, t) => ch.bold(t) },
      { header: 'score', value: (c) => (c.score > 0 ? c.score.toFixed(1) : 'hard'), align: 'right' },
      { header: 'ids', value: (c) => c.members.length, align: 'right' },
      { header: 'accounts', value: (c) => c.accounts.length, align: 'right' },
      { header: 'victims', value: (c) => c.victims.join(', '), max: 30, style: (ch, t) => ch.red(t) },
      {
        header: 'members',
        value: (c) =>
          c.members.map((k) => {
            const name = identities.get(k)?.names[0];
            return name && !k.endsWith(name) ? `${k} (${name})` : k;
          }).join('; '),
        flex: true,
      },
      {
        header: 'evidence',
        value: (c) => [...new Set(c.links.flatMap((l) => Object.keys(l.families)))].sort().join(' '),
        max: 40,
        style: (ch, t) => ch.yellow(t),
      },
    ],
  };
}

/** One CSV/JSONL row per piece of evidence inside clusters and candidate links. */
export interface EvidenceRow {
  cluster: string;
  status: 'joined' | 'candidate' | 'same-account';
  bridge: boolean;
  evidence: Evidence;
}

export function evidenceRows(result: ClusterResult): EvidenceRow[] {
  const rows: EvidenceRow[] = [];
  for (const c of result.clusters) {
    for (const link of c.links) {
      for (const e of link.evidence) {
        rows.push({ cluster: c.id, status: Number.isFinite(link.score) ? 'joined' : 'same-account', bridge: link.bridge, evidence: e });
      }
    }
  }
  for (const link of result.candidates) for (const e of link.evidence) rows.push({ cluster: '', status: 'candidate', bridge: false, evidence: e });
  return rows;
}

export function evidenceListing(rows: EvidenceRow[]): Listing<EvidenceRow> {
  return {
    kind: 'evidence',
    items: rows,
    toJson: (r) => ({ cluster: r.cluster || null, status: r.status, bridge: r.bridge, ...evidenceJson(r.evidence) }),
    columns: [
      { header: 'cluster', value: (r) => r.cluster },
      { header: 'status', value: (r) => r.status },
      { header: 'bridge', value: (r) => (r.bridge ? 'yes' : '') },
      { header: 'type', value: (r) => r.evidence.type },
      { header: 'family', value: (r) => FAMILY_OF[r.evidence.type] },
      { header: 'a', value: (r) => r.evidence.between[0] },
      { header: 'b', value: (r) => r.evidence.between[1] },
      { header: 'weight', value: (r) => finite(r.evidence.weight) ?? 'hard' },
      { header: 'commonness', value: (r) => r.evidence.commonness },
      { header: 'df', value: (r) => r.evidence.df },
      { header: 'shownBy', value: (r) => r.evidence.holders.length },
      { header: 'detail', value: (r) => r.evidence.detail },
      { header: 'refs', value: (r) => r.evidence.refs.join(' ') },
    ],
  };
}

/** Candidate links, shown after the clusters in tables. */
export function candidateListing(result: ClusterResult): Listing<PairScore> {
  return {
    kind: 'candidates',
    items: result.candidates,
    toJson: pairJson,
    columns: [
      { header: 'a', value: (p) => p.a, max: 40 },
      { header: 'b', value: (p) => p.b, max: 40 },
      { header: 'score', value: (p) => p.score.toFixed(1), align: 'right' },
      { header: 'families', value: familiesText, flex: true, style: (c, t) => c.yellow(t) },
    ],
  };
}

// ——— graphs ———

interface GraphNode {
  key: string;
  identity: Identity | undefined;
  cluster: string;
}

interface GraphEdge {
  a: string;
  b: string;
  pair: PairScore;
  status: string;
}

function graphOf(result: ClusterResult, identities: Map<string, Identity>, all: boolean): { nodes: GraphNode[]; edges: GraphEdge[] } {
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

const xml = (s: string): string => escapeHtml(s);
const edgeWeight = (p: PairScore): number => (Number.isFinite(p.score) ? p.score : HARD_EDGE_WEIGHT);
const types = (p: PairScore): string => Object.keys(p.byType).sort().join(' ');
const families = (p: PairScore): string => Object.keys(p.families).sort().join(' ');

export function graphml(result: ClusterResult, identities: Map<string, Identity>, all = false): string {
  const { nodes, edges } = graphOf(result, identities, all);
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    '  <key id="label" for="node" attr.name="label" attr.type="string"/>',
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
    '  <graph id="threatlens" edgedefault="undirected">',
  ];
  for (const n of nodes) {
    out.push(
      `    <node id="${xml(n.key)}"><data key="label">${xml(n.identity?.names[0] ?? n.key)}</data><data key="platform">${xml(n.identity?.platform ?? '')}</data><data key="names">${xml((n.identity?.names ?? []).join(' | '))}</data><data key="victims">${xml((n.identity?.victims ?? []).join(', '))}</data><data key="messages">${n.identity?.messages ?? 0}</data><data key="cluster">${xml(n.cluster)}</data></node>`,
    );
  }
  edges.forEach((e, i) => {
    out.push(
      `    <edge id="e${i}" source="${xml(e.a)}" target="${xml(e.b)}"><data key="weight">${edgeWeight(e.pair)}</data><data key="status">${e.status}</data><data key="types">${xml(types(e.pair))}</data><data key="families">${xml(families(e.pair))}</data><data key="bridge">${e.pair.bridge}</data></edge>`,
    );
  });
  out.push('  </graph>', '</graphml>', '');
  return out.join('\n');
}

export function gexf(result: ClusterResult, identities: Map<string, Identity>, all = false): string {
  const { nodes, edges } = graphOf(result, identities, all);
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
    '    </attributes>',
    '    <attributes class="edge">',
    '      <attribute id="0" title="status" type="string"/>',
    '      <attribute id="1" title="types" type="string"/>',
    '      <attribute id="2" title="families" type="string"/>',
    '      <attribute id="3" title="bridge" type="boolean"/>',
    '    </attributes>',
    '    <nodes>',
  ];
  for (const n of nodes) {
    out.push(
      `      <node id="${xml(n.key)}" label="${xml(n.identity?.names[0] ?? n.key)}"><attvalues><attvalue for="0" value="${xml(n.identity?.platform ?? '')}"/><attvalue for="1" value="${xml((n.identity?.victims ?? []).join(', '))}"/><attvalue for="2" value="${n.identity?.messages ?? 0}"/><attvalue for="3" value="${xml(n.cluster)}"/></attvalues></node>`,
    );
  }
  out.push('    </nodes>', '    <edges>');
  edges.forEach((e, i) => {
    out.push(
      `      <edge id="${i}" source="${xml(e.a)}" target="${xml(e.b)}" weight="${edgeWeight(e.pair)}" label="${xml(types(e.pair))}"><attvalues><attvalue for="0" value="${e.status}"/><attvalue for="1" value="${xml(types(e.pair))}"/><attvalue for="2" value="${xml(families(e.pair))}"/><attvalue for="3" value="${e.pair.bridge}"/></attvalues></edge>`,
    );
  });
  out.push('    </edges>', '  </graph>', '</gexf>', '');
  return out.join('\n');
}

const dotString = (s: string): string => `"${terminalSafe(s).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export function dot(result: ClusterResult, identities: Map<string, Identity>, all = false): string {
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
  return out.join('\n');
}

// ——— the evidence ledger (explain) ———

function excerpt(text: string, n = 110): string {
  const one = terminalSafe(revealObfuscation(text));
  return one.length <= n ? one : `${one.slice(0, n - 1)}…`;
}

/** Why a pair is or is not joined, in the words of the rule. */
export function pairStatus(p: PairScore, params: ClusterResult['params']): string {
  if (!Number.isFinite(p.score)) return 'same account';
  if (p.joined) return 'joined';
  const why: string[] = [];
  if (p.score < p.needed.join) why.push(`${p.score.toFixed(2)} bits < ${p.needed.join}`);
  if (p.independent.length < params.minFamilies) why.push(`${p.independent.length} independent famil${p.independent.length === 1 ? 'y' : 'ies'} < ${params.minFamilies}`);
  return `${p.candidate ? 'candidate link' : 'not a candidate'} (not joined: ${why.join('; ')})`;
}

/** The rule, and how this pair meets it: the families that count and those set aside, with the reason. */
export function ruleLine(p: PairScore, params: ClusterResult['params']): string {
  const counted = p.independent.length > 0 ? p.independent.join(', ') : 'none';
  const aside = p.setAside.map((x) => `${x.family} ${x.bits.toFixed(2)} (${x.reason})`).join('; ');
  const correction = roundTwo(p.needed.join - params.joinBits);
  return (
    `rule: join at >= ${p.needed.join} bits (${params.joinBits} + ${correction} for the account pairs compared) with >= ${params.minFamilies} independent families (each >= ${params.familyMinBits} bits); ` +
    `candidate at >= ${p.needed.candidate} bits; this pair: ${p.score.toFixed(2)} bits, ${p.independent.length} independent (${counted})` +
    (aside ? `; set aside: ${aside}` : '')
  );
}

function roundTwo(x: number): number {
  return Math.round(x * 100) / 100;
}

const NULL_FAMILY_TYPES: ReadonlySet<string> = new Set(['near-duplicate-text', 'template-text', 'co-timing']);

/** How a piece of evidence was weighed, in one line. */
export function weightLine(e: Evidence): string {
  if (!Number.isFinite(e.weight)) return 'hard link';
  if (e.type === 'display-name') return 'not scored: the victim chose the saved name';
  const share = NULL_FAMILY_TYPES.has(e.type) ? ' (its share of the family)' : '';
  return `${e.weight.toFixed(2)} bits${share}${e.chance !== undefined ? `: ${e.chance}` : ''}`;
}

function ledgerForPair(p: PairScore, messages: Map<string, Message>, chalk: ChalkInstance, params: ClusterResult['params']): string[] {
  const out: string[] = [];
  const hard = !Number.isFinite(p.score);
  out.push(
    `${chalk.bold(`${p.a} ↔ ${p.b}`)}  ${hard ? '' : `${p.score.toFixed(2)} bits`}  [${familiesText(p)}]  ${pairStatus(p, params)}${p.bridge ? chalk.red('  BRIDGE: the cluster rests on this one link') : ''}`,
  );
  if (!hard) out.push(chalk.dim(`  ${ruleLine(p, params)}`));
  // Waterfall: each type's contribution, in order of strength; then the null figures behind the
  // families weighed against chance.
  for (const [type, t] of Object.entries(p.byType).sort((x, y) => (y[1]!.bits || 0) - (x[1]!.bits || 0))) {
    const weighedBy = p.nulls.some((n) => n.family === FAMILY_OF[type as Evidence['type']]) ? 'against chance' : 'repeats saturate';
    out.push(`  ${Number.isFinite(t!.bits) ? `+${t!.bits.toFixed(2)}`.padStart(7) : '   hard'}  ${type} (${t!.items} item${t!.items === 1 ? '' : 's'}, ${weighedBy})`);
  }
  for (const n of p.nulls) out.push(chalk.dim(`  ${n.family}: ${n.bits.toFixed(2)} bits = -log2 P(>= ${n.observed} | ${n.expected} expected): ${n.basis}`));
  for (const e of p.evidence) {
    out.push(`  ${chalk.yellow(e.type)}: ${terminalSafe(e.detail)}`);
    out.push(chalk.dim(`      ${weightLine(e)}`));
    for (const ref of e.refs) {
      const m = messages.get(ref);
      if (!m) {
        out.push(`      ${terminalSafe(ref)}`);
        continue;
      }
      const time = m.time.utc ? m.time.utc.replace('T', ' ').slice(0, 16) + 'Z' : 'time unknown';
      out.push(`      ${chalk.cyan(m.victim)}  ${time}  ${terminalSafe(m.sender?.key ?? '')}  ${chalk.dim(terminalSafe(sourceLabel(m)))}`);
      out.push(`        "${excerpt(m.text || m.media.map((x) => x.name).join(' '))}"${m.media.length > 0 ? `  [${m.media.map((x) => `${x.kind} ${x.sha256?.slice(0, 12) ?? 'missing'}`).join(', ')}]` : ''}`);
    }
    out.push(chalk.dim(`      against: ${e.against}`));
  }
  return out;
}

/** How commonness counted accounts, and the case's sentence sharing rates, in one line. */
function sourcesLine(result: ClusterResult): string {
  const w = result.weighing;
  const k = w.textModel.kappa.map((x) => x.toFixed(2));
  return (
    `commonness counts accounts: N = ${w.actors} in the case (identities of one account count as one); ` +
    `shared sentence families expected by the random-holder model, × ${k[0]}/${k[1]}/${k[2]} for pairs of a common victim writing Cyrillic/Latin/both, × ${k[3]}/${k[4]}/${k[5]} of different victims (the case shares that much more); ` +
    `${w.pairsCompared.toLocaleString('en')} account pairs compared (+${w.lookElsewhere} bits to join)`
  );
}

/** The chance check, in lines: what the null model says chance alone would draw in this case. */
export function chanceLines(chance: ChanceCheck): string[] {
  const out = [
    `chance check: at most ${chance.expectedJoins} joins and ${chance.expectedCandidates} candidate links expected between unrelated accounts among the ${chance.pairs.toLocaleString('en')} account pairs compared, had none been related`,
  ];
  for (const f of chance.families) {
    out.push(`  shared sentences >= ${f.atLeast} bits between accounts of different victims: ${f.observed} pairs in the case, ${f.expected} expected by chance`);
  }
  return out;
}

export function clusterLedger(
  c: Cluster,
  result: ClusterResult,
  identities: Map<string, Identity>,
  messages: Map<string, Message>,
  chalk: ChalkInstance,
): string {
  const out: string[] = [];
  out.push(chalk.bold(`Cluster ${c.id}: ${c.members.length} identities in ${c.accounts.length} accounts, victims ${c.victims.join(', ')}; ${c.score.toFixed(2)} bits of scored links`));
  out.push('', chalk.bold.underline('Members'));
  for (const key of c.members) {
    const i = identities.get(key);
    out.push(`  ${terminalSafe(key)}  ${terminalSafe((i?.names ?? []).join(' | '))}  ${i?.platform ?? ''}  ${i?.messages ?? 0} messages  victims: ${(i?.victims ?? []).join(', ')}  ${i?.firstSeen?.slice(0, 10) ?? ''}..${i?.lastSeen?.slice(0, 10) ?? ''}`);
  }
  out.push('', chalk.bold.underline('Evidence ledger'), chalk.dim(sourcesLine(result)));
  for (const link of c.links) out.push(...ledgerForPair(link, messages, chalk, result.params), '');
  out.push(chalk.bold.underline('Alternative explanations to rule out'));
  out.push('  forwarding, a public template, a common image, a recycled or virtual number, and the victim\'s own contact label (WhatsApp shows the victim\'s saved name).');
  return out.join('\n') + '\n';
}

export function pairLedger(
  keys: [string, string],
  pair: PairScore,
  result: ClusterResult,
  identities: Map<string, Identity>,
  messages: Map<string, Message>,
  chalk: ChalkInstance,
): string {
  const members = (root: string): string[] =>
    [...identities.values()].filter((i) => i.selfOf.length === 0 && result.accountOf(i.key) === root).map((i) => i.key).sort();
  const hard = !Number.isFinite(pair.score);
  const out = [chalk.bold(`Evidence between ${keys[0]} and ${keys[1]}`)];
  if (hard) out.push('Both are one account (hard link); the evidence between the two identities:');
  else {
    const sides = [pair.a, pair.b].map((root) => {
      const all = members(root);
      return all.length > 1 ? `${root} (account of ${all.join(', ')})` : root;
    });
    out.push(`Scored between their accounts, as the clustering scores them: ${sides.join(' and ')}`);
  }
  out.push(chalk.dim(sourcesLine(result)), '');
  if (pair.evidence.length === 0) out.push('  no evidence links these two identities');
  else out.push(...ledgerForPair(pair, messages, chalk, result.params));
  return out.join('\n') + '\n';
}
