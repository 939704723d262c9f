// Clusters for people (listings, the evidence ledger) and for tools (the JSON of clusters, pairs and
// evidence, and the rows of the evidence CSV). The graphs (GraphML, GEXF, DOT) are in formats/.
import type { ChalkInstance } from 'chalk';
import type { ChanceCheck, Cluster, ClusterResult, DecisionApplied, Evidence, PairScore } from '../attribution/types.js';
import { FAMILY_OF } from '../attribution/signals/index.js';
import { revealObfuscation } from '../attribution/text.js';
import type { Identity } from '../attribution/types.js';
import type { Message } from '../model.js';
import type { Listing } from './listing.js';
import { terminalSafe } from '../util/sanitize.js';
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
    ...(p.rejectedBy !== undefined ? { rejectedBy: p.rejectedBy.id } : {}),
    ...(p.heldApartBy !== undefined ? { heldApartBy: p.heldApartBy } : {}),
    evidence: p.evidence.map(evidenceJson),
  };
}

/** A decision and what it did in the run, as JSON. */
export function decisionAppliedJson(d: DecisionApplied): Record<string, unknown> {
  const x = d.decision;
  return { id: x.id, verdict: x.verdict, subject: x.subject, clusterId: x.clusterId, keys: x.keys, note: x.note, examiner: x.examiner, decidedAt: x.decidedAt, applied: d.applied, effect: d.effect };
}

/** The analyst's decisions in force and what each did, shown after the candidate links. */
export function decisionsAppliedListing(result: ClusterResult): Listing<DecisionApplied> {
  return {
    kind: 'decisions',
    items: result.decisions,
    toJson: decisionAppliedJson,
    columns: [
      { header: 'id', value: (d) => `#${d.decision.id}`, align: 'right' },
      { header: 'decision', value: (d) => d.decision.verdict, style: (c, t, d) => (d.decision.verdict === 'reject' ? c.red(t) : c.green(t)) },
      { header: 'identities', value: (d) => d.decision.keys.join(' '), max: 60, style: (c, t) => c.yellow(t) },
      { header: 'by', value: (d) => d.decision.examiner ?? '', max: 20 },
      { header: 'what it did in this run', value: (d) => d.effect, flex: true, style: (c, t, d) => (d.applied ? t : c.red(t)) },
    ],
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

// ——— the evidence ledger (explain) ———

function excerpt(text: string, n = 110): string {
  const one = terminalSafe(revealObfuscation(text));
  return one.length <= n ? one : `${one.slice(0, n - 1)}…`;
}

/** Why a pair is or is not joined, in the words of the rule. */
export function pairStatus(p: PairScore, params: ClusterResult['params']): string {
  if (p.evidence.some((e) => e.type === 'analyst-confirmed')) return 'one account: confirmed by the analyst';
  if (!Number.isFinite(p.score)) return 'same account';
  if (p.rejectedBy !== undefined) {
    const d = p.rejectedBy;
    return `rejected by the analyst (decision #${d.id}${d.examiner !== null ? `, ${d.examiner}` : ''}, ${d.decidedAt.slice(0, 10)}${d.note !== null ? `: ${d.note}` : ''}): never joined, whatever the evidence`;
  }
  if (p.heldApartBy !== undefined) return `joined by its evidence, but held apart: it would put together identities the analyst rejected (decision${p.heldApartBy.length === 1 ? '' : 's'} ${p.heldApartBy.map((id) => `#${id}`).join(', ')}); a candidate link`;
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
