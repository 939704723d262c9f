// Clustering sender identities into actors:
//   1. hard links (same account id, same phone) merge identities into accounts with union-find. The
//      accounts are fixed from here on: nothing a later join finds ever changes how common an item
//      is, so a join never makes its own evidence stronger (no cascades);
//   2. every signal produces evidence between identities: identifiers, pictures and camera facts as
//      items with everyone who shows them; sentences as families (variants of one sentence are one
//      item); co-timing as episodes between accounts;
//   3. evidence is weighed against chance between two unrelated accounts of this case:
//      - identifiers, pictures, camera serials: a prior for an item only two accounts show, discounted
//        by how many accounts show it (commonness); public web hosts are no identifiers at all;
//      - shared sentences and co-timing: a Poisson null model from the two accounts' own volumes and
//        the case's sharing rates and traffic (null-model.ts): bits = -log2 P(this much | chance);
//      - display names: 0 bits (the victim chose them);
//   4. a pair of accounts joins when its bits reach `joinBits` plus the look-elsewhere correction
//      (log2 of the account pairs compared), with at least `minFamilies` independent families; a pair
//      reaching `candidateBits` plus the same correction is shown as a candidate link;
//   5. clusters are the accounts connected by joins; links whose removal would split a cluster are
//      flagged as bridges; a chance check says what the null model expects chance alone to draw.
// Every output is sorted, so the same case and parameters give byte-identical results.
import { createHash } from 'node:crypto';
import { UnionFind } from './unionfind.js';
import { findBridges } from './bridges.js';
import { AGAINST, roundBits, sortedPair, type EvidenceContext } from './evidence.js';
import { identifierSignal } from './signals/identifiers.js';
import { mediaEvidence } from './signals/media.js';
import { textFamilies } from './signals/text.js';
import { timingPairs, type TimingPair } from './signals/timing.js';
import { nameEvidence } from './signals/names.js';
import { lookElsewhereBits, poissonTailBits, probabilityOf, randomHolderExpectation, type SharedItems } from './null-model.js';
import {
  DEFAULT_PARAMS,
  FAMILY_OF,
  type AttributionInput,
  type ChanceCheck,
  type Cluster,
  type ClusterParams,
  type ClusterResult,
  type Evidence,
  type EvidenceType,
  type Family,
  type FamilyNull,
  type PairScore,
  type Weighing,
} from './types.js';

/** Families derived from message content: one copied message can feed several of them at once. */
const CONTENT_FAMILIES: ReadonlySet<Family> = new Set(['identifier', 'image', 'text', 'camera']);
const SCRIPT_PAIRS = ['Cyrillic', 'Latin script', 'Cyrillic and Latin script'];

/** Families whose single item can make a candidate link on its own (see scorePair). */
const ITEM_CANDIDATE_FAMILIES: ReadonlySet<Family> = new Set(['identifier', 'image', 'camera']);
/** Families weighed by a null model per pair of accounts, not item by item. */
const NULL_FAMILIES: ReadonlySet<Family> = new Set(['text', 'timing']);

/** Identities that can be suspects: everyone but the victims' own accounts. */
export function suspectIdentities(input: AttributionInput): Set<string> {
  return new Set(input.identities.filter((i) => i.selfOf.length === 0).map((i) => i.key));
}

function clusterId(members: string[]): string {
  return `C-${createHash('sha256').update(members.join('\n')).digest('hex').slice(0, 10)}`;
}

/**
 * Accounts among the holders of an item, and the most bits the item can give between two accounts:
 * the chance that two unrelated accounts both show an item that `df` of the N accounts show is
 * about ((df - 1) / (N - 1))² (each of the two among the others who show it), so no more than
 * -log2 of that; nothing when more than maxDf accounts show it (common content).
 */
function popularityOf(holders: readonly string[], weighing: Weighing): { df: number; cap: number } {
  const accounts = new Set<string>();
  for (const h of holders) accounts.add(weighing.actorOf(h));
  const df = accounts.size;
  if (df > weighing.maxDf) return { df, cap: 0 };
  const n = weighing.actors;
  return { df, cap: df <= 1 || n <= 2 ? Infinity : -2 * Math.log2(Math.min(1, (df - 1) / (n - 1))) };
}

/** The evidence with weight, commonness and document frequency set for this weighing. */
export function weigh(e: Evidence, weighing: Weighing): Evidence {
  return cachedWeigher(weighing)(e);
}

/** `weigh` with the popularity of each holder list computed once (evidence of one item shares its list). */
function cachedWeigher(weighing: Weighing): (e: Evidence) => Evidence {
  const cache = new Map<readonly string[], { df: number; cap: number }>();
  return (e) => {
    if (!Number.isFinite(e.bits)) return { ...e, weight: e.bits, commonness: 1, df: 1 };
    let hit = cache.get(e.holders);
    if (!hit) cache.set(e.holders, (hit = popularityOf(e.holders, weighing)));
    if (NULL_FAMILIES.has(FAMILY_OF[e.type])) return { ...e, df: hit.df, commonness: 1 };
    const weight = roundBits(Math.min(e.bits, hit.cap));
    const shown = `shown by ${e.holders.length} identit${e.holders.length === 1 ? 'y' : 'ies'} in ${hit.df} of the ${weighing.actors} accounts`;
    const chance =
      e.bits === 0
        ? undefined
        : hit.cap === 0
          ? `${shown}: common content (more than maxDf ${weighing.maxDf}), no evidence`
          : weight < e.bits
            ? `${shown}: two unrelated accounts both show it with chance ((${hit.df} - 1) / (${weighing.actors} - 1))², ${roundBits(hit.cap)} bits, below the prior ${e.bits}`
            : `${shown}: the prior ${e.bits} bits (${
                Number.isFinite(hit.cap) ? `two unrelated accounts both show it with chance ((${hit.df} - 1) / (${weighing.actors} - 1))², ${roundBits(hit.cap)} bits` : 'too few accounts to measure how common it is'
              })`;
    return { ...e, df: hit.df, commonness: e.bits > 0 ? roundBits(weight / e.bits) : 0, weight, ...(chance !== undefined ? { chance } : {}) };
  };
}

/** Order of evidence pieces of one item: the strongest type first, then a fixed order (never by weight). */
function strongerPiece(x: Evidence, y: Evidence): boolean {
  if (x.bits !== y.bits) return x.bits > y.bits;
  if (x.type !== y.type) return x.type < y.type;
  return x.refs.join(' ') < y.refs.join(' ');
}

/**
 * Scores the evidence between two accounts (already weighed). Item families (identifier, image,
 * camera, name) add their items, repeats of a type saturating; the null-model families (text,
 * timing) give the bits of their null figure, shared out among their pieces for the ledger. Families
 * count towards the join rule when they reach `familyMinBits` and, for content families, do not rest
 * on exactly the messages of another content family.
 */
export function scorePair(
  a: string,
  b: string,
  evidence: Evidence[],
  params: ClusterParams,
  nulls: FamilyNull[] = [],
  lookElsewhere = 0,
): PairScore {
  const byType: PairScore['byType'] = {};
  const families: PairScore['families'] = {};
  // Between one pair of accounts an item counts once, however many identity pairs show it.
  const strongest = new Map<string, Evidence>();
  for (const e of evidence) {
    const held = strongest.get(e.item);
    if (!held || strongerPiece(e, held)) strongest.set(e.item, e);
  }
  const nullOf = new Map(nulls.map((n) => [n.family as Family, n]));
  const grouped = new Map<EvidenceType, Evidence[]>();
  for (const e of strongest.values()) grouped.set(e.type, [...(grouped.get(e.type) ?? []), e]);
  const familyRefs = new Map<Family, Set<string>>();
  const pieces: Evidence[] = [];
  for (const [type, items] of [...grouped].sort(([x], [y]) => (x < y ? -1 : 1))) {
    const family = FAMILY_OF[type];
    const refs = familyRefs.get(family) ?? new Set<string>();
    for (const e of items) for (const r of e.refs) refs.add(r);
    familyRefs.set(family, refs);
    const figure = nullOf.get(family);
    if (figure !== undefined) {
      // The family's bits, shared out over its items (of every type of the family).
      const itemsInFamily = [...strongest.values()].filter((e) => FAMILY_OF[e.type] === family).length;
      const share = roundBits(figure.bits / Math.max(1, itemsInFamily));
      for (const e of items) pieces.push({ ...e, weight: share, bits: share, chance: `${figure.basis}; family ${probabilityOf(figure.bits)}` });
      byType[type] = { items: items.length, bits: roundBits(share * items.length) };
      families[family] = figure.bits;
      continue;
    }
    for (const e of items) pieces.push(e);
    const weights = items.map((e) => e.weight).sort((x, y) => y - x);
    const bits = weights.reduce((sum, w, i) => sum + w / 2 ** i, 0);
    byType[type] = { items: items.length, bits: roundBits(bits) };
    families[family] = roundBits((families[family] ?? 0) + bits);
  }
  const score = roundBits(Object.values(families).reduce((s, v) => s + v, 0));
  const independent: Family[] = [];
  const setAside: PairScore['setAside'] = [];
  const accepted: { family: Family; refs: Set<string> }[] = [];
  for (const [family, bits] of (Object.entries(families) as [Family, number][]).sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))) {
    if (bits < params.familyMinBits) {
      if (bits > 0) setAside.push({ family, bits, reason: `below ${params.familyMinBits} bits` });
      continue;
    }
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
  const needed = { join: roundBits(params.joinBits + lookElsewhere), candidate: roundBits(params.candidateBits + lookElsewhere) };
  const joined = score >= needed.join && independent.length >= params.minFamilies;
  // A candidate beats chance and is worth an analyst's reading: two independent families, or one
  // item specific to a person (a private number, a photo, a camera). Shared sentences alone or timing
  // alone are what public templates, an organisation's boilerplate and busy hours give unrelated
  // people: never a candidate by themselves.
  const candidate =
    !joined && score >= needed.candidate && (independent.length >= params.minFamilies || independent.some((f) => ITEM_CANDIDATE_FAMILIES.has(f)));
  const sortedEvidence = pieces.sort(
    (x, y) => y.weight - x.weight || (x.type < y.type ? -1 : x.type > y.type ? 1 : 0) || (x.detail < y.detail ? -1 : x.detail > y.detail ? 1 : 0),
  );
  return { a, b, score, families, byType, evidence: sortedEvidence, independent, setAside, nulls, needed, joined, candidate, bridge: false };
}

export interface ClusteringOptions {
  /** Out: milliseconds per phase, for benchmarks (never part of the result: no clock in output). */
  timings?: Record<string, number>;
}

/** Number of a pair of account numbers (x != y), exact in a double. */
const pairNumber = (x: number, y: number, n: number): number => Math.min(x, y) * n + Math.max(x, y);

export function runClustering(input: AttributionInput, params: ClusterParams = DEFAULT_PARAMS, options: ClusteringOptions = {}): ClusterResult {
  const stats: Record<string, number> = {};
  const eligible = suspectIdentities(input);
  stats.identities = input.identities.length;
  stats.suspectIdentities = eligible.size;
  stats.messages = input.messages.length;
  let clock = performance.now();
  const lap = (phase: string): void => {
    const now = performance.now();
    if (options.timings) options.timings[phase] = (options.timings[phase] ?? 0) + now - clock;
    clock = now;
  };

  // 1. Accounts.
  const unions = new UnionFind();
  for (const key of [...eligible].sort()) unions.add(key);
  const hardLinks = input.accountLinks
    .filter((l) => eligible.has(l.a) && eligible.has(l.b) && l.a !== l.b)
    .map((l) => ({ ...l, pair: sortedPair(l.a, l.b) }))
    .sort((x, y) => (x.pair.join('\u0000') < y.pair.join('\u0000') ? -1 : 1));
  for (const l of hardLinks) unions.union(l.a, l.b);
  const accountOf = (key: string): string => unions.find(key);
  const accountRoots = [...new Set([...eligible].map(accountOf))].sort();
  const accountNumber = new Map(accountRoots.map((root, i) => [root, i]));
  const accountCount = accountRoots.length;
  const identityByKey = new Map(input.identities.map((i) => [i.key, i]));
  const victimsOfAccount: Set<string>[] = accountRoots.map(() => new Set<string>());
  for (const key of eligible) for (const v of identityByKey.get(key)?.victims ?? []) victimsOfAccount[accountNumber.get(accountOf(key))!]!.add(v);
  const shareVictim = (x: number, y: number): boolean => {
    const [small, large] = victimsOfAccount[x]!.size <= victimsOfAccount[y]!.size ? [victimsOfAccount[x]!, victimsOfAccount[y]!] : [victimsOfAccount[y]!, victimsOfAccount[x]!];
    for (const v of small) if (large.has(v)) return true;
    return false;
  };
  const ctx: EvidenceContext = { params };

  // 2. Evidence.
  const evidence: Evidence[] = hardLinks.map(
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
  );
  const identifiers = identifierSignal(input, eligible, ctx);
  for (const e of identifiers.evidence) evidence.push(e);
  lap('identifiers');
  for (const e of mediaEvidence(input, eligible, ctx)) evidence.push(e);
  lap('media');
  for (const e of nameEvidence(input, eligible, ctx)) evidence.push(e);
  lap('names');
  const timing = timingPairs(input, eligible, accountOf, ctx);
  stats.timingPairs = timing.length;
  lap('timing');
  const text = textFamilies(input, eligible, ctx, stats, options.timings ?? null);
  lap('text');

  // Item evidence between different accounts, by account pair; evidence inside an account by identity pair.
  const perPair = new Map<number, Evidence[]>();
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
    const pair = pairNumber(accountNumber.get(ra)!, accountNumber.get(rb)!, accountCount);
    const list = perPair.get(pair);
    if (list) list.push(e);
    else perPair.set(pair, [e]);
  }
  const timingByPair = new Map<number, TimingPair>();
  for (const t of timing) timingByPair.set(pairNumber(accountNumber.get(t.accounts[0])!, accountNumber.get(t.accounts[1])!, accountCount), t);

  // The script each account writes in (0 Cyrillic, 1 Latin, by its letters), for calibration.
  const scriptCount = Array.from({ length: accountCount }, () => [0, 0]);
  for (const m of input.messages) {
    if (!eligible.has(m.sender) || m.forwarded) continue;
    const acc = accountNumber.get(accountOf(m.sender))!;
    for (let i = 0; i < m.text.length; i++) {
      const c = m.text.charCodeAt(i);
      if (c >= 0x400 && c <= 0x4ff) scriptCount[acc]![0]!++;
      else if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) scriptCount[acc]![1]!++;
    }
  }
  const scriptOf = Uint8Array.from(scriptCount, ([cyrillic, latin]) => (latin! > cyrillic! ? 1 : 0));
  // Sentence families and identifiers: who holds each (accounts), how many each account holds, and
  // the random-holder model over them (null-model.ts).
  const senderAccount = Int32Array.from(text.senderKeys, (key) => accountNumber.get(accountOf(key)) ?? -1);
  const familyHolders: number[][] = [];
  for (let f = 0; f + 1 < text.holderStart.length; f++) {
    const accs: number[] = [];
    for (let k = text.holderStart[f]!; k < text.holderStart[f + 1]!; k++) {
      const acc = senderAccount[text.holders[k]!]!;
      if (acc >= 0 && !accs.includes(acc)) accs.push(acc);
    }
    familyHolders.push(accs);
  }
  const familiesPerAccount = heldPerAccount(
    accountCount,
    text.senderKeys.map((_, s) => ({ account: senderAccount[s]!, items: Array.from(text.families.subarray(text.familyStart[s]!, text.familyStart[s + 1]!)) })),
  );
  const textShared = sharedItemsModel(familyHolders, familiesPerAccount, accountCount, victimsOfAccount, scriptOf, params.textMinPopulation);
  const sharedFamilies = textShared.shared;
  const textModel = textShared.model;
  const identifierNumber = new Map<string, number>();
  const identifierHolders: number[][] = [];
  const identifierHoldings: { account: number; items: number[] }[] = [];
  for (const [key, items] of [...identifiers.itemsOf].sort(([x], [y]) => (x < y ? -1 : 1))) {
    const acc = accountNumber.get(accountOf(key));
    if (acc === undefined) continue;
    const numbers: number[] = [];
    for (const item of [...items].sort()) {
      let n = identifierNumber.get(item);
      if (n === undefined) {
        n = identifierHolders.length;
        identifierNumber.set(item, n);
        identifierHolders.push([]);
      }
      if (!identifierHolders[n]!.includes(acc)) identifierHolders[n]!.push(acc);
      numbers.push(n);
    }
    identifierHoldings.push({ account: acc, items: numbers });
  }
  // An identifier shown by more than maxDf accounts is common content: out of the counts, as out of the evidence.
  const commonIdentifiers = new Set(identifierHolders.flatMap((h, n) => (h.length > params.maxDf ? [n] : [])));
  const identifierShared = sharedItemsModel(
    identifierHolders.map((h, n) => (commonIdentifiers.has(n) ? [] : h)),
    heldPerAccount(accountCount, identifierHoldings.map((o) => ({ account: o.account, items: o.items.filter((n) => !commonIdentifiers.has(n)) }))),
    accountCount,
    victimsOfAccount,
    scriptOf,
    params.identifierMinPopulation,
  );
  const sharedIdentifiers = identifierShared.shared;
  const identifierModel = identifierShared.model;
  const allPairs = (accountCount * (accountCount - 1)) / 2;
  const lookElsewhere = lookElsewhereBits(allPairs);
  const weighing: Weighing = {
    actorOf: accountOf,
    actors: accountCount,
    maxDf: params.maxDf,
    pairsCompared: allPairs,
    lookElsewhere: roundBits(lookElsewhere),
    textModel,
    identifierModel,
  };
  stats.accounts = accountCount;
  stats.pairsCompared = allPairs;

  /** The null figures of a pair of accounts (numbers x, y), for the families it shows. */
  const nullsOf = (x: number, y: number): FamilyNull[] => {
    const out: FamilyNull[] = [];
    const pair = pairNumber(x, y, accountCount);
    const k = sharedFamilies.get(pair) ?? 0;
    if (k > 0) {
      const same = shareVictim(x, y);
      const kappa = kappaOf(textModel, x, y, same);
      const expected = kappa * randomHolderExpectation(textModel, x, y);
      out.push({
        family: 'text',
        observed: k,
        expected: roundExpected(expected),
        bits: roundBits(Math.min(params.maxNullBits, poissonTailBits(k, expected))),
        basis: `${k} sentence famil${k === 1 ? 'y' : 'ies'} shared, ${fmtExpected(expected)} expected by chance: the two write ${textModel.held[x]} and ${textModel.held[y]} families that ${textModel.spread[x]} and ${textModel.spread[y]} times also come from other accounts${kappa > 1 ? ` (× ${kappa.toFixed(2)}: the case's pairs of accounts ${same ? 'of a common victim' : 'of different victims'} writing ${SCRIPT_PAIRS[pairClass(textModel.script, x, y, same) % 3]} share that much more than the model expects)` : ''}`,
      });
    }
    const ids = sharedIdentifiers.get(pair) ?? 0;
    if (ids > 0 && NULL_FAMILIES.has('identifier')) {
      const same = shareVictim(x, y);
      const kappa = kappaOf(identifierModel, x, y, same);
      const expected = kappa * randomHolderExpectation(identifierModel, x, y);
      out.push({
        family: 'identifier',
        observed: ids,
        expected: roundExpected(expected),
        bits: roundBits(Math.min(params.maxNullBits, poissonTailBits(ids, expected))),
        basis: `${ids} identifier${ids === 1 ? '' : 's'} shared, ${fmtExpected(expected)} expected by chance: the two show ${identifierModel.held[x]} and ${identifierModel.held[y]} identifiers that ${identifierModel.spread[x]} and ${identifierModel.spread[y]} times also come from other accounts${kappa > 1 ? ` (× ${kappa.toFixed(2)}: the case's pairs of accounts ${same ? 'of a common victim' : 'of different victims'} writing ${SCRIPT_PAIRS[pairClass(textModel.script, x, y, same) % 3]} share that much more than the model expects)` : ''}`,
      });
    }
    const t = timingByPair.get(pair);
    if (t !== undefined) {
      const observed = t.episodes.length;
      out.push({
        family: 'timing',
        observed,
        expected: roundExpected(t.expected),
        bits: roundBits(Math.min(params.maxNullBits, poissonTailBits(observed, t.expected))),
        basis: `${observed} episodes, ${fmtExpected(t.expected)} coincidences expected by chance for these two accounts (${t.volumes[0]} and ${t.volumes[1]} timed messages, clocks to ${t.resolution === 60 ? 'the minute' : 'the second'})`,
      });
    }
    return out;
  };
  const weighed = cachedWeigher(weighing);
  const membersOfAccount = new Map<string, string[]>();
  for (const key of [...eligible].sort()) {
    const root = accountOf(key);
    membersOfAccount.set(root, [...(membersOfAccount.get(root) ?? []), key]);
  }
  /** Every piece of evidence between accounts x and y: items, sentence families, episodes. */
  const evidenceBetween = (x: number, y: number): Evidence[] => {
    const pair = pairNumber(x, y, accountCount);
    const out = (perPair.get(pair) ?? []).map(weighed);
    if (sharedFamilies.has(pair)) {
      for (const ka of membersOfAccount.get(accountRoots[x]!)!) {
        for (const kb of membersOfAccount.get(accountRoots[y]!)!) for (const e of text.piecesBetween(ka, kb)) out.push(weighed(e));
      }
    }
    for (const e of timingByPair.get(pair)?.episodes ?? []) out.push(weighed(e));
    return out;
  };
  const scoreNumbers = (x: number, y: number): PairScore => {
    const [a, b] = sortedPair(accountRoots[x]!, accountRoots[y]!);
    return scorePair(a, b, evidenceBetween(x, y), params, nullsOf(x, y), lookElsewhere);
  };

  // 3–4. Score every pair of accounts that shows evidence and could reach a candidate link: an upper
  // bound of its bits (items at full prior weight, null families at their bits) decides.
  const floor = params.candidateBits + lookElsewhere;
  const pairSet = new Set<number>([...perPair.keys(), ...sharedFamilies.keys(), ...sharedIdentifiers.keys(), ...timingByPair.keys()]);
  const pairNumbers = [...pairSet].sort((u, v) => u - v);
  const pairs: PairScore[] = [];
  let weak = 0;
  for (const pair of pairNumbers) {
    const x = Math.floor(pair / accountCount);
    const y = pair - x * accountCount;
    let bound = 0;
    const best = new Map<string, number>();
    for (const e of perPair.get(pair) ?? []) if (!NULL_FAMILIES.has(FAMILY_OF[e.type])) best.set(e.item, Math.max(best.get(e.item) ?? 0, e.bits));
    for (const bits of best.values()) bound += bits;
    const nulls = nullsOf(x, y);
    for (const n of nulls) bound += n.bits;
    if (bound < floor) {
      weak++;
      continue;
    }
    pairs.push(scoreNumbers(x, y));
  }
  stats.weakPairs = weak;
  stats.pairs = pairs.length;
  lap('pairs');

  // 5. Clusters: accounts connected by joins.
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
  const joinedByRoot = new Map<string, PairScore[]>();
  for (const p of pairs) {
    if (!p.joined) continue;
    const root = actors.find(p.a);
    const list = joinedByRoot.get(root);
    if (list) list.push(p);
    else joinedByRoot.set(root, [p]);
  }
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
        return scorePair(a, b, inside.get(key)!.map(weighed), params);
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
  stats.joinedPairs = pairs.filter((p) => p.joined).length;
  stats.clusters = clusters.length;
  stats.candidateLinks = candidates.length;

  // Pairs of accounts of different victims whose shared sentences reach 5 and 10 bits.
  const observedText = new Map<number, number>([
    [5, 0],
    [10, 0],
  ]);
  for (const pair of sharedFamilies.keys()) {
    const x = Math.floor(pair / accountCount);
    const y = pair - x * accountCount;
    if (shareVictim(x, y)) continue;
    const bits = nullsOf(x, y).find((f) => f.family === 'text')?.bits ?? 0;
    for (const atLeast of observedText.keys()) if (bits >= atLeast) observedText.set(atLeast, observedText.get(atLeast)! + 1);
  }
  const chance = chanceCheck(params, weighing, familiesPerAccount, observedText);
  stats.chanceExpectedJoins = chance.expectedJoins;
  stats.chanceExpectedCandidates = chance.expectedCandidates;
  lap('clusters');

  const scoreAccounts = (ka: string, kb: string): PairScore => {
    const x = accountNumber.get(accountOf(ka));
    const y = accountNumber.get(accountOf(kb));
    if (x === undefined || y === undefined || x === y) {
      const [a, b] = sortedPair(ka, kb);
      return scorePair(a, b, [], params);
    }
    return scoreNumbers(x, y);
  };
  return {
    params,
    clusters,
    candidates,
    pairs,
    evidence,
    accountOf,
    weighing,
    chance,
    scoreAccounts,
    stats,
  };
}

/** Items each account holds, counted once per account however many of its identities hold them. */
function heldPerAccount(accountCount: number, holdings: readonly { account: number; items: readonly number[] }[]): Float64Array {
  const sets: Set<number>[] = Array.from({ length: accountCount }, () => new Set<number>());
  for (const { account, items } of holdings) if (account >= 0) for (const item of items) sets[account]!.add(item);
  return Float64Array.from(sets, (set) => set.size);
}

/**
 * The random-holder model over items held by accounts (null-model.ts): the shared items of every
 * pair of accounts (k), each account's spread (S), and κ, calibrated per kind of pair: of a common
 * victim or of different victims, writing in one script or in two (relatives who write English share
 * English everyday sentences among themselves, not with those who write Russian). `minPopulation`:
 * the least total the model assumes (a pseudo-population).
 */
function sharedItemsModel(
  holdersOfItem: readonly (readonly number[])[],
  held: Float64Array,
  accountCount: number,
  victimsOfAccount: readonly Set<string>[],
  scriptOf: Uint8Array,
  minPopulation: number,
): { model: SharedItems; shared: Map<number, number> } {
  const shared = new Map<number, number>();
  for (const accs of holdersOfItem) {
    for (let x = 0; x < accs.length; x++) {
      for (let y = x + 1; y < accs.length; y++) {
        const pair = pairNumber(accs[x]!, accs[y]!, accountCount);
        shared.set(pair, (shared.get(pair) ?? 0) + 1);
      }
    }
  }
  const spread = new Float64Array(accountCount);
  for (const [pair, k] of shared) {
    const x = Math.floor(pair / accountCount);
    const y = pair - x * accountCount;
    spread[x]! += k;
    spread[y]! += k;
  }
  let heldTotal = 0;
  for (const u of held) heldTotal += u;
  const assumed = Math.max(heldTotal, minPopulation);
  const base = { held, spread, total: assumed };
  const firstCommonVictim = (x: number, y: number): string | null => {
    let best: string | null = null;
    for (const v of victimsOfAccount[x]!) if (victimsOfAccount[y]!.has(v) && (best === null || v < best)) best = v;
    return best;
  };
  const observed = [0, 0, 0, 0, 0, 0];
  const expected = [0, 0, 0, 0, 0, 0];
  const classOf = (x: number, y: number, same: boolean): number => pairClass(scriptOf, x, y, same);
  for (const [pair, k] of shared) {
    const x = Math.floor(pair / accountCount);
    const y = pair - x * accountCount;
    observed[classOf(x, y, firstCommonVictim(x, y) !== null)]! += k;
  }
  const byVictim = new Map<string, number[]>();
  for (let x = 0; x < accountCount; x++) if (held[x]! > 0) for (const v of victimsOfAccount[x]!) byVictim.set(v, [...(byVictim.get(v) ?? []), x]);
  for (const [v, members] of byVictim) {
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const x = members[i]!;
        const y = members[j]!;
        if (firstCommonVictim(x, y) !== v) continue;
        expected[classOf(x, y, true)]! += randomHolderExpectation(base, x, y);
      }
    }
  }
  // Over every pair, the model expects Σ_A S_A·(U - u_A)/(U' - u_A) / 2 (U' the population it
  // assumes), and within one script group the same sum over the group's own volume: closed forms,
  // so no pair is visited. Different-victim figures are these less the same-victim ones.
  const groupVolume = [0, 0];
  for (let x = 0; x < accountCount; x++) groupVolume[scriptOf[x]!]! += held[x]!;
  let all = 0;
  const within = [0, 0];
  for (let x = 0; x < accountCount; x++) {
    if (assumed - held[x]! <= 0) continue;
    all += (spread[x]! * (heldTotal - held[x]!)) / (assumed - held[x]!);
    within[scriptOf[x]!]! += (spread[x]! * (groupVolume[scriptOf[x]!]! - held[x]!)) / (assumed - held[x]!);
  }
  all /= 2;
  within[0]! /= 2;
  within[1]! /= 2;
  expected[3] = Math.max(0, within[0]! - expected[0]!);
  expected[4] = Math.max(0, within[1]! - expected[1]!);
  expected[5] = Math.max(0, all - within[0]! - within[1]! - expected[2]!);
  // κ = (observed + 5) / (expected + 5), never below 1: five pseudo-items keep a few pairs from
  // setting the rate for everyone.
  const kappa = observed.map((o, c) => Math.max(1, (o + 5) / (expected[c]! + 5)));
  return {
    shared,
    model: {
      held,
      spread,
      total: assumed,
      script: scriptOf,
      kappa,
      observed,
      expected: expected.map(roundExpected),
    },
  };
}

/**
 * The kind of a pair of accounts for calibration: of a common victim (0–2) or of different victims
 * (3–5), both writing Cyrillic, both Latin, or one each.
 */
function pairClass(script: Uint8Array, x: number, y: number, sameVictim: boolean): number {
  return (sameVictim ? 0 : 3) + (script[x] !== script[y] ? 2 : script[x]!);
}

/** κ of a pair of accounts (see sharedItemsModel). */
function kappaOf(model: SharedItems, x: number, y: number, sameVictim: boolean): number {
  return model.kappa[pairClass(model.script, x, y, sameVictim)]!;
}

function roundExpected(x: number): number {
  return Number(x.toPrecision(3));
}

function fmtExpected(x: number): string {
  return x >= 0.01 ? x.toFixed(2) : x.toExponential(1);
}

/**
 * What chance alone would draw in this case. The joins and candidate links expected between unrelated
 * accounts are bounded by the null model: a family's bits exceed x with probability at most 2^-x, so
 * two independent families sum to T or more with probability at most 2^-T (1 + T ln 2), summed over
 * the pairs of families and the account pairs compared. Beside it, for shared sentences, how many
 * pairs of accounts of different victims reach 5 and 10 bits in the case against how many the model
 * expects over all such pairs: a model that fits shows about as many as it expects (many more means
 * coordination, or a model that does not fit this case).
 */
function chanceCheck(
  params: ClusterParams,
  weighing: Weighing,
  familiesPerAccount: Float64Array,
  observedText: Map<number, number>,
): ChanceCheck {
  const familiesScored = 5; // identifier, image, camera, text, timing
  const familyPairs = (familiesScored * (familiesScored - 1)) / 2;
  const tail2 = (t: number): number => Math.min(1, 2 ** -t * (1 + t * Math.LN2));
  const m = weighing.pairsCompared;
  const expectedJoins = m * familyPairs * tail2(params.joinBits + weighing.lookElsewhere);
  const expectedCandidates = m * familiesScored * 2 ** -(params.candidateBits + weighing.lookElsewhere);
  const families: ChanceCheck['families'] = [];
  // Expected pairs reaching b bits of shared sentences over all pairs, accounts binned by their
  // figures (u, S) so that no pair is visited; pairs of a common victim are counted as if of different
  // victims, so the figure is a bound.
  const model = weighing.textModel;
  const bins = new Map<string, { held: number; spread: number; count: number }>();
  for (let x = 0; x < model.held.length; x++) {
    if (model.held[x]! === 0) continue;
    const key = `${Math.round(Math.log2(1 + model.held[x]!) * 4)}:${Math.round(Math.log2(1 + model.spread[x]!) * 4)}`;
    const bin = bins.get(key) ?? { held: 0, spread: 0, count: 0 };
    bin.held += model.held[x]!;
    bin.spread += model.spread[x]!;
    bin.count++;
    bins.set(key, bin);
  }
  const reps = [...bins.values()].map((b) => ({ held: b.held / b.count, spread: b.spread / b.count, count: b.count }));
  for (const atLeast of [5, 10]) {
    let expected = 0;
    for (let i = 0; i < reps.length; i++) {
      for (let j = i; j < reps.length; j++) {
        const a = reps[i]!;
        const b = reps[j]!;
        // The largest different-victim calibration: the bound errs towards chance.
        const lambda =
          Math.max(model.kappa[3]!, model.kappa[4]!, model.kappa[5]!) *
          randomHolderExpectation({ held: Float64Array.of(a.held, b.held), spread: Float64Array.of(a.spread, b.spread), total: model.total }, 0, 1);
        if (lambda <= 0) continue;
        let k = 1;
        while (k < 500 && poissonTailBits(k, lambda) < atLeast) k++;
        const p = 2 ** -poissonTailBits(k, lambda);
        expected += p * (i === j ? (a.count * (a.count - 1)) / 2 : a.count * b.count);
      }
    }
    families.push({ family: 'text', atLeast, observed: observedText.get(atLeast) ?? 0, expected: roundExpected(expected) });
  }
  return { pairs: m, expectedJoins: roundExpected(expectedJoins), expectedCandidates: roundExpected(expectedCandidates), families };
}

/**
 * The scored link between the accounts of two identities, exactly as the clustering scores pairs, or
 * null when both are one account.
 */
export function accountPair(result: ClusterResult, x: string, y: string): PairScore | null {
  const ra = result.accountOf(x);
  const rb = result.accountOf(y);
  if (ra === rb) return null;
  const [a, b] = sortedPair(ra, rb);
  return result.pairs.find((p) => p.a === a && p.b === b) ?? result.scoreAccounts(x, y);
}

/** Evidence between identities of one account (the hard link and whatever else they share), weighed. */
export function insideAccount(result: ClusterResult, x: string, y: string): PairScore {
  const [a, b] = sortedPair(x, y);
  const weighed = cachedWeigher(result.weighing);
  return scorePair(a, b, result.evidence.filter((e) => e.between[0] === a && e.between[1] === b).map(weighed), result.params);
}
