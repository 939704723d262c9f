// Clustering sender identities into actors:
//   1. hard links (same account id, same phone) merge identities into accounts with union-find;
//   2. every signal produces pairwise evidence between identities;
//   3. evidence is summed per pair of accounts: repeats of one type saturate (w1 + w2/2 + w3/4 …),
//      types add up within a family, families add up to the pair's score;
//   4. a pair joins when it reaches `joinBits` with at least `minFamilies` families; a single strong
//      family (`candidateBits`) is reported as a candidate link for the analyst to confirm;
//   5. joined pairs form clusters (union-find); links whose removal would split a cluster are
//      flagged as bridges.
// Every output is sorted, so the same case and parameters give byte-identical results.
import { createHash } from 'node:crypto';
import { UnionFind } from './unionfind.js';
import { findBridges } from './bridges.js';
import { AGAINST, roundBits, sortedPair, type EvidenceContext } from './evidence.js';
import { identifierEvidence } from './signals/identifiers.js';
import { mediaEvidence } from './signals/media.js';
import { textEvidence } from './signals/text.js';
import { timingEvidence } from './signals/timing.js';
import { nameEvidence } from './signals/names.js';
import {
  DEFAULT_PARAMS,
  FAMILY_OF,
  type AttributionInput,
  type Cluster,
  type ClusterParams,
  type ClusterResult,
  type Evidence,
  type EvidenceType,
  type Family,
  type PairScore,
} from './types.js';

/** Identities that can be suspects: everyone but the victims' own accounts. */
export function suspectIdentities(input: AttributionInput): Set<string> {
  return new Set(input.identities.filter((i) => i.selfOf.length === 0).map((i) => i.key));
}

function clusterId(members: string[]): string {
  return `C-${createHash('sha256').update(members.join('\n')).digest('hex').slice(0, 10)}`;
}

/** Scores the evidence between two accounts. */
export function scorePair(a: string, b: string, evidence: Evidence[], params: ClusterParams): PairScore {
  const byType: PairScore['byType'] = {};
  const families: PairScore['families'] = {};
  // Between one pair of accounts an item counts once (its strongest piece of evidence), however
  // many identity pairs of the two accounts show it.
  const strongest = new Map<string, Evidence>();
  for (const e of evidence) {
    const held = strongest.get(e.item);
    if (!held || e.weight > held.weight || (e.weight === held.weight && e.type < held.type)) strongest.set(e.item, e);
  }
  const grouped = new Map<EvidenceType, Evidence[]>();
  for (const e of strongest.values()) grouped.set(e.type, [...(grouped.get(e.type) ?? []), e]);
  for (const [type, items] of [...grouped].sort(([x], [y]) => (x < y ? -1 : 1))) {
    const weights = items.map((e) => e.weight).sort((x, y) => y - x);
    const bits = weights.reduce((sum, w, i) => sum + w / 2 ** i, 0);
    byType[type] = { items: items.length, bits: roundBits(bits) };
    const family = FAMILY_OF[type];
    families[family] = roundBits((families[family] ?? 0) + bits);
  }
  const score = roundBits(Object.values(families).reduce((s, v) => s + v, 0));
  const strongFamilies = (Object.entries(families) as [Family, number][]).filter(([, v]) => v >= params.familyMinBits);
  const joined = score >= params.joinBits && strongFamilies.length >= params.minFamilies;
  const candidate = !joined && strongFamilies.some(([, v]) => v >= params.candidateBits);
  const sortedEvidence = evidence
    .slice()
    .sort((x, y) => y.weight - x.weight || (x.type < y.type ? -1 : x.type > y.type ? 1 : 0) || (x.detail < y.detail ? -1 : x.detail > y.detail ? 1 : 0));
  return { a, b, score, families, byType, evidence: sortedEvidence, joined, candidate, bridge: false };
}

export function runClustering(input: AttributionInput, params: ClusterParams = DEFAULT_PARAMS): ClusterResult {
  const stats: Record<string, number> = {};
  const eligible = suspectIdentities(input);
  stats.identities = input.identities.length;
  stats.suspectIdentities = eligible.size;
  stats.messages = input.messages.length;

  // 1. Accounts.
  const accounts = new UnionFind();
  for (const key of [...eligible].sort()) accounts.add(key);
  const hardLinks = input.accountLinks
    .filter((l) => eligible.has(l.a) && eligible.has(l.b) && l.a !== l.b)
    .map((l) => ({ ...l, pair: sortedPair(l.a, l.b) }))
    .sort((x, y) => (x.pair.join('\u0000') < y.pair.join('\u0000') ? -1 : 1));
  for (const l of hardLinks) accounts.union(l.a, l.b);
  const accountOf = (key: string): string => accounts.find(key);
  const ctx: EvidenceContext = {
    params,
    identities: new Set([...eligible].map(accountOf)).size,
    accountOf,
  };

  // 2. Evidence.
  const evidence: Evidence[] = [
    ...hardLinks.map(
      (l): Evidence => ({
        type: 'same-account',
        between: l.pair,
        weight: Infinity,
        bits: Infinity,
        commonness: 1,
        df: 2,
        item: `account:${l.pair.join('|')}`,
        detail: l.detail,
        refs: l.refs.slice().sort(),
        against: AGAINST['same-account'],
      }),
    ),
    ...identifierEvidence(input, eligible, ctx),
    ...mediaEvidence(input, eligible, ctx),
    ...textEvidence(input, eligible, ctx, stats),
    ...timingEvidence(input, eligible, ctx),
    ...nameEvidence(input, eligible, ctx),
  ];
  stats.evidence = evidence.length;

  // 3. Scores between accounts (evidence inside one account is kept for the ledger only).
  const perPair = new Map<string, Evidence[]>();
  // Evidence inside one account, by identity pair (the hard link and whatever else they share).
  const inside = new Map<string, Evidence[]>();
  for (const e of evidence) {
    const ra = accountOf(e.between[0]);
    const rb = accountOf(e.between[1]);
    if (ra === rb) {
      const key = e.between.join('\u0000');
      inside.set(key, [...(inside.get(key) ?? []), e]);
      continue;
    }
    const [a, b] = sortedPair(ra, rb);
    const key = `${a}\u0000${b}`;
    const list = perPair.get(key);
    if (list) list.push(e);
    else perPair.set(key, [e]);
  }
  const pairs = [...perPair.keys()].sort().map((key) => {
    const [a, b] = key.split('\u0000') as [string, string];
    return scorePair(a, b, perPair.get(key)!, params);
  });

  // 4–5. Clusters.
  const actors = new UnionFind();
  for (const key of [...eligible].sort()) actors.add(accountOf(key));
  for (const pair of pairs) if (pair.joined) actors.union(pair.a, pair.b);
  const membersOf = new Map<string, string[]>();
  for (const key of [...eligible].sort()) {
    const root = actors.find(accountOf(key));
    membersOf.set(root, [...(membersOf.get(root) ?? []), key]);
  }
  const identityByKey = new Map(input.identities.map((i) => [i.key, i]));
  const clusters: Cluster[] = [];
  for (const members of membersOf.values()) {
    if (members.length < 2) continue;
    members.sort();
    const accountRoots = [...new Set(members.map(accountOf))].sort();
    const accountGroups = accountRoots.map((root) => members.filter((m) => accountOf(m) === root));
    const links = pairs.filter((p) => p.joined && accountRoots.includes(p.a));
    const hard = [...inside.keys()]
      .filter((key) => members.includes(key.split('\u0000')[0]!) && inside.get(key)!.some((e) => e.type === 'same-account'))
      .sort()
      .map((key) => {
        const [a, b] = key.split('\u0000') as [string, string];
        return scorePair(a, b, inside.get(key)!, params);
      });
    const bridges = findBridges(
      accountRoots,
      links.map((l) => [l.a, l.b] as [string, string]),
    );
    for (const link of links) link.bridge = bridges.has(`${link.a}\u0000${link.b}`);
    const victims = [...new Set(members.flatMap((m) => identityByKey.get(m)?.victims ?? []))].sort();
    clusters.push({
      id: clusterId(members),
      // Bits of the scored links that join the accounts; hard links (same account) are not scored.
      score: roundBits(links.reduce((sum, l) => sum + l.score, 0)),
      members,
      accounts: accountGroups,
      victims,
      links: [...hard, ...links],
    });
  }
  clusters.sort((x, y) => y.members.length - x.members.length || (x.id < y.id ? -1 : 1));
  const candidates = pairs.filter((p) => p.candidate).sort((x, y) => y.score - x.score || (x.a < y.a ? -1 : 1));
  stats.pairs = pairs.length;
  stats.joinedPairs = pairs.filter((p) => p.joined).length;
  stats.clusters = clusters.length;
  stats.candidateLinks = candidates.length;
  return { params, clusters, candidates, pairs, evidence, stats };
}
