// Clustering sender identities into actors:
//   1. hard links (same account id, same phone) merge identities into accounts with union-find;
//   2. every signal produces pairwise evidence between identities, each naming its item and
//      everyone who shows the item;
//   3. accounts are grouped into independent sources: accounts that show two rare items of different
//      families together, far beyond chance, count as one source (sources.ts). The number of sources N
//      is fixed from here on;
//   4. evidence is weighed by commonness (how many sources show the item, of N), summed per pair of
//      accounts: one item counts once per pair, repeats of one type saturate (w1 + w2/2 + w3/4 …),
//      types add up within a family, families add up to the pair's score;
//   5. a pair joins when it reaches `joinBits` with at least `minFamilies` independent families; a
//      single strong family (`candidateBits`) is reported as a candidate link;
//   6. joined accounts become one source, and steps 4–6 repeat until a round joins no two sources.
//      With N fixed, merging sources can only lower an item's df, so weights, scores and joins only
//      grow: every join stays joined, the partition only coarsens, and the loop ends after at most N
//      rounds. The last round's weighing is the fixed point: every pair, and `explain`, is scored with
//      it;
//   7. clusters are the accounts connected by joins; links whose removal would split a cluster are
//      flagged as bridges.
// Every output is sorted, so the same case and parameters give byte-identical results.
import { createHash } from 'node:crypto';
import { UnionFind } from './unionfind.js';
import { findBridges } from './bridges.js';
import { AGAINST, commonness, roundBits, sortedPair, type EvidenceContext } from './evidence.js';
import { coHoldingGroups, sourcesOf } from './sources.js';
import { identifierEvidence } from './signals/identifiers.js';
import { mediaEvidence } from './signals/media.js';
import { textEvidence, type TextPruning } from './signals/text.js';
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
  type Weighing,
} from './types.js';

/** Families derived from message content: one copied message can feed several of them at once. */
const CONTENT_FAMILIES: ReadonlySet<Family> = new Set(['identifier', 'image', 'text', 'camera']);

/** Identities that can be suspects: everyone but the victims' own accounts. */
export function suspectIdentities(input: AttributionInput): Set<string> {
  return new Set(input.identities.filter((i) => i.selfOf.length === 0).map((i) => i.key));
}

function clusterId(members: string[]): string {
  return `C-${createHash('sha256').update(members.join('\n')).digest('hex').slice(0, 10)}`;
}

/** Independent sources among the holders of an item, its commonness factor under this weighing. */
function commonnessOf(holders: readonly string[], weighing: Weighing): { df: number; c: number } {
  const sources = new Set<string>();
  for (const h of holders) sources.add(weighing.actorOf(h));
  const df = sources.size;
  return { df, c: df > weighing.maxDf ? 0 : commonness(df, weighing.actors, weighing.exponent) };
}

/** The evidence with weight, commonness and document frequency set for this weighing. */
export function weigh(e: Evidence, weighing: Weighing): Evidence {
  return cachedWeigher(weighing)(e);
}

/** `weigh` with the factor of each holder list computed once (evidence of one item shares its list). */
function cachedWeigher(weighing: Weighing): (e: Evidence) => Evidence {
  const cache = new Map<readonly string[], { df: number; c: number }>();
  return (e) => {
    if (!Number.isFinite(e.bits)) return { ...e, weight: e.bits, commonness: 1, df: 1 };
    let hit = cache.get(e.holders);
    if (!hit) cache.set(e.holders, (hit = commonnessOf(e.holders, weighing)));
    return { ...e, df: hit.df, commonness: roundBits(hit.c), weight: roundBits(e.bits * hit.c) };
  };
}

/** Order of evidence pieces of one item: the strongest type first, then a fixed order (never by weight). */
function strongerPiece(x: Evidence, y: Evidence): boolean {
  if (x.bits !== y.bits) return x.bits > y.bits;
  if (x.type !== y.type) return x.type < y.type;
  return x.refs.join(' ') < y.refs.join(' ');
}

/**
 * Scores the evidence between two accounts (already weighed). Families count towards the join rule
 * when they reach `familyMinBits` and, for content families, do not rest on exactly the messages of
 * another content family. Every step is monotone in the weights: raising any weight never lowers the
 * score, a family's bits or the number of independent families.
 */
export function scorePair(a: string, b: string, evidence: Evidence[], params: ClusterParams): PairScore {
  const byType: PairScore['byType'] = {};
  const families: PairScore['families'] = {};
  // Between one pair of accounts an item counts once, however many identity pairs of the two accounts
  // show it: by its strongest type of evidence (chosen by prior bits, so the choice never changes
  // with the weighing).
  const strongest = new Map<string, Evidence>();
  for (const e of evidence) {
    const held = strongest.get(e.item);
    if (!held || strongerPiece(e, held)) strongest.set(e.item, e);
  }
  const grouped = new Map<EvidenceType, Evidence[]>();
  for (const e of strongest.values()) grouped.set(e.type, [...(grouped.get(e.type) ?? []), e]);
  const familyRefs = new Map<Family, Set<string>>();
  for (const [type, items] of [...grouped].sort(([x], [y]) => (x < y ? -1 : 1))) {
    const weights = items.map((e) => e.weight).sort((x, y) => y - x);
    const bits = weights.reduce((sum, w, i) => sum + w / 2 ** i, 0);
    byType[type] = { items: items.length, bits: roundBits(bits) };
    const family = FAMILY_OF[type];
    families[family] = roundBits((families[family] ?? 0) + bits);
    const refs = familyRefs.get(family) ?? new Set<string>();
    for (const e of items) for (const r of e.refs) refs.add(r);
    familyRefs.set(family, refs);
  }
  const score = roundBits(Object.values(families).reduce((s, v) => s + v, 0));
  // A content family that rests on exactly the messages of another content family is the same
  // evidence seen twice (one copied message carrying a number and a text, one photo carrying a
  // picture and a camera model): it does not count as an independent family. The count is the number
  // of distinct message sets, whatever the order.
  const independent: Family[] = [];
  const setAside: PairScore['setAside'] = [];
  const accepted: { family: Family; refs: Set<string> }[] = [];
  let strongestFamily = 0;
  for (const [family, bits] of (Object.entries(families) as [Family, number][]).sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))) {
    if (bits < params.familyMinBits) {
      setAside.push({ family, bits, reason: `below ${params.familyMinBits} bits` });
      continue;
    }
    strongestFamily = Math.max(strongestFamily, bits);
    if (!CONTENT_FAMILIES.has(family)) {
      independent.push(family);
      continue;
    }
    const refs = familyRefs.get(family)!;
    const same = accepted.find((o) => refs.size > 0 && o.refs.size === refs.size && [...refs].every((r) => o.refs.has(r)));
    if (same) setAside.push({ family, bits, reason: `rests on the same messages as ${same.family}` });
    else independent.push(family);
    accepted.push({ family, refs });
  }
  const joined = score >= params.joinBits && independent.length >= params.minFamilies;
  const candidate = !joined && strongestFamily >= params.candidateBits;
  const sortedEvidence = evidence
    .slice()
    .sort((x, y) => y.weight - x.weight || (x.type < y.type ? -1 : x.type > y.type ? 1 : 0) || (x.detail < y.detail ? -1 : x.detail > y.detail ? 1 : 0));
  return { a, b, score, families, byType, evidence: sortedEvidence, independent, setAside, joined, candidate, bridge: false };
}

export interface ClusteringOptions {
  /**
   * Two identities whose accounts keep all their text evidence, even when it cannot matter
   * (`explain KEY KEY`). It changes nothing else: such evidence is below the candidate floor and takes
   * no part in co-holding.
   */
  focus?: [string, string];
  /** Out: milliseconds per phase, for benchmarks (never part of the result: no clock in output). */
  timings?: Record<string, number>;
}

export function runClustering(input: AttributionInput, params: ClusterParams = DEFAULT_PARAMS, options: ClusteringOptions = {}): ClusterResult {
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
  const ctx: EvidenceContext = { params };

  // 2. Evidence.
  const evidence: Evidence[] = [
    ...hardLinks.map(
      (l): Evidence => ({
        type: 'same-account',
        between: l.pair,
        weight: Infinity,
        bits: Infinity,
        commonness: 1,
        df: 1,
        holders: l.pair,
        item: `account:${l.pair.join('|')}`,
        detail: l.detail,
        refs: l.refs.slice().sort(),
        against: AGAINST['same-account'],
      }),
    ),
  ];
  let clock = performance.now();
  const lap = (phase: string): void => {
    const now = performance.now();
    if (options.timings) options.timings[phase] = (options.timings[phase] ?? 0) + now - clock;
    clock = now;
  };
  const identifiers = identifierEvidence(input, eligible, ctx);
  lap('identifiers');
  const media = mediaEvidence(input, eligible, ctx);
  lap('media');
  const timing = timingEvidence(input, eligible, ctx);
  lap('timing');
  const names = nameEvidence(input, eligible, ctx);
  lap('names');
  // Text evidence between accounts that could not reach a candidate link even at full weight is not
  // built (see TextPruning): bound the bits other signals give each pair of accounts.
  const accountRoots = [...new Set([...eligible].map(accountOf))].sort();
  const accountNumber = new Map(accountRoots.map((root, i) => [root, i]));
  const pairOf = (x: string, y: string): number => {
    const a = accountNumber.get(accountOf(x))!;
    const b = accountNumber.get(accountOf(y))!;
    return a === b ? -1 : Math.min(a, b) * accountRoots.length + Math.max(a, b);
  };
  const otherBits = new Map<number, number>();
  for (const list of [evidence, identifiers, media, timing, names]) {
    for (const e of list) {
      const pair = pairOf(e.between[0], e.between[1]);
      if (pair >= 0) otherBits.set(pair, (otherBits.get(pair) ?? 0) + e.bits);
    }
  }
  const floor = Math.min(params.joinBits, params.candidateBits);
  const pruning: TextPruning = {
    pairOf,
    worth: (pair, textItems) => (otherBits.get(pair) ?? 0) + textItems * params.bits['near-duplicate-text'] >= floor,
    focus: options.focus ? pairOf(options.focus[0], options.focus[1]) : null,
    keptForFocus: [],
  };
  const text = textEvidence(input, eligible, ctx, stats, pruning, options.timings ?? null);
  lap('text');
  for (const list of [identifiers, media, text, timing, names]) for (const e of list) evidence.push(e);
  stats.evidence = evidence.length - pruning.keptForFocus.length;

  // 3. Independent sources: accounts, grouped by co-holding (never from evidence kept only for explain).
  // Only items shown by three identities or more can tie sources: only their messages' senders are needed.
  const wanted = new Set<string>();
  for (const e of evidence) if (e.holders.length >= 3) for (const r of e.refs) wanted.add(r);
  const senderOfMessage = new Map<string, string>();
  for (const m of input.messages) if (wanted.has(m.id)) senderOfMessage.set(m.id, m.sender);
  wanted.clear();
  const focusOnly = new Set(pruning.keptForFocus);
  const coHolding = coHoldingGroups(
    focusOnly.size > 0 ? evidence.filter((e) => !focusOnly.has(e)) : evidence,
    accountOf,
    (id) => senderOfMessage.get(id),
    accountRoots.length,
    params,
  );
  senderOfMessage.clear();
  const sources = sourcesOf(accountRoots, coHolding);
  const sourceCount = sources.groups().length;
  lap('sources');
  stats.accounts = accountRoots.length;
  stats.coHoldingGroups = coHolding.length;
  stats.sources = sourceCount;

  // Evidence between different accounts, by account pair; evidence inside an account by identity pair.
  const perPair = new Map<string, Evidence[]>();
  const inside = new Map<string, Evidence[]>();
  for (const e of evidence) {
    const ra = accountOf(e.between[0]);
    const rb = accountOf(e.between[1]);
    if (ra === rb) {
      const key = e.between.join('\u0000');
      const list = inside.get(key);
      if (list) list.push(e);
      else inside.set(key, [e]);
      continue;
    }
    const [a, b] = sortedPair(ra, rb);
    const key = `${a}\u0000${b}`;
    const list = perPair.get(key);
    if (list) list.push(e);
    else perPair.set(key, [e]);
  }
  // Pairs whose evidence could not reach a candidate link even at full weight (no discount, no
  // saturation) can never matter: they are left out of the rounds.
  const pairKeys = [...perPair.keys()]
    .filter((key) => {
      const list = perPair.get(key)!;
      if (list.length === 1) return list[0]!.bits >= floor;
      const best = new Map<string, number>();
      for (const e of list) best.set(e.item, Math.max(best.get(e.item) ?? 0, e.bits));
      let total = 0;
      for (const bits of best.values()) total += bits;
      return total >= floor;
    })
    .sort();
  stats.weakPairs = perPair.size - pairKeys.length;

  // 4–6. Score, join, merge joined accounts into one source, until a round joins no two sources.
  const weighing: Weighing = { actorOf: (key) => sources.find(accountOf(key)), actors: sourceCount, maxDf: params.maxDf, exponent: params.commonnessExponent };
  let pairs: PairScore[] = [];
  let rounds = 0;
  for (;;) {
    rounds++;
    const weighed = cachedWeigher(weighing);
    pairs = pairKeys.map((key) => {
      const [a, b] = key.split('\u0000') as [string, string];
      return scorePair(a, b, perPair.get(key)!.map(weighed), params);
    });
    // Merging only after the round: every pair of a round is scored with one partition.
    let merged = false;
    for (const pair of pairs) if (pair.joined && sources.union(pair.a, pair.b)) merged = true;
    if (!merged) break;
  }
  stats.rounds = rounds;
  lap('pairs and rounds');

  // 7. Clusters: accounts connected by joins.
  const actors = new UnionFind();
  for (const root of accountRoots) actors.add(root);
  for (const pair of pairs) if (pair.joined) actors.union(pair.a, pair.b);
  const membersOf = new Map<string, string[]>();
  for (const key of [...eligible].sort()) {
    const root = actors.find(accountOf(key));
    const list = membersOf.get(root);
    if (list) list.push(key);
    else membersOf.set(root, [key]);
  }
  const identityByKey = new Map(input.identities.map((i) => [i.key, i]));
  const joinedByRoot = new Map<string, PairScore[]>();
  for (const p of pairs) {
    if (!p.joined) continue;
    const root = actors.find(p.a);
    const list = joinedByRoot.get(root);
    if (list) list.push(p);
    else joinedByRoot.set(root, [p]);
  }
  const finalWeigh = cachedWeigher(weighing);
  const clusters: Cluster[] = [];
  for (const [root, members] of membersOf) {
    if (members.length < 2) continue;
    const memberSet = new Set(members);
    const roots = [...new Set(members.map(accountOf))].sort();
    const accountGroups = roots.map((r) => members.filter((m) => accountOf(m) === r));
    const links = joinedByRoot.get(root) ?? [];
    const hard = [...inside.keys()]
      .filter((key) => memberSet.has(key.split('\u0000')[0]!) && inside.get(key)!.some((e) => e.type === 'same-account'))
      .sort()
      .map((key) => {
        const [a, b] = key.split('\u0000') as [string, string];
        return scorePair(a, b, inside.get(key)!.map(finalWeigh), params);
      });
    const bridges = findBridges(
      roots,
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
  const candidates = pairs.filter((p) => p.candidate).sort((x, y) => y.score - x.score || (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : 1));
  lap('clusters');
  stats.pairs = pairs.length;
  stats.joinedPairs = pairs.filter((p) => p.joined).length;
  stats.clusters = clusters.length;
  stats.candidateLinks = candidates.length;
  return {
    params,
    clusters,
    candidates,
    pairs,
    evidence,
    accountOf,
    coHolding,
    weighing,
    stats,
  };
}

/**
 * The scored link between the accounts of two identities, exactly as the clustering scored it (the
 * final weighing), or null when both are one account. Pairs the clustering left out (too weak to
 * ever be a candidate) are scored here the same way.
 */
export function accountPair(result: ClusterResult, x: string, y: string): PairScore | null {
  const ra = result.accountOf(x);
  const rb = result.accountOf(y);
  if (ra === rb) return null;
  const [a, b] = sortedPair(ra, rb);
  const scored = result.pairs.find((p) => p.a === a && p.b === b);
  if (scored) return scored;
  const between = result.evidence.filter((e) => {
    const ea = result.accountOf(e.between[0]);
    const eb = result.accountOf(e.between[1]);
    return (ea === a && eb === b) || (ea === b && eb === a);
  });
  const weighed = cachedWeigher(result.weighing);
  return scorePair(a, b, between.map(weighed), result.params);
}

/** Evidence between identities of one account (the hard link and whatever else they share), weighed. */
export function insideAccount(result: ClusterResult, x: string, y: string): PairScore {
  const [a, b] = sortedPair(x, y);
  const weighed = cachedWeigher(result.weighing);
  return scorePair(a, b, result.evidence.filter((e) => e.between[0] === a && e.between[1] === b).map(weighed), result.params);
}
