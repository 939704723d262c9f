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
import { roundBits, sortedPair } from './evidence.js';
import { accountEvidence } from './signals/accounts.js';
import { CONTENT_FAMILIES, FAMILY_OF, inLedgerOrder, ITEM_CANDIDATE_FAMILIES, NULL_FAMILIES, SCORED_FAMILIES, SIGNALS } from './signals/index.js';
import { DEFAULT_PARAMS } from './params.js';
import type { AccountView, PairsFound } from './signals/signal.js';
import { lookElsewhereBits, poissonTailBits, probabilityOf, randomHolderExpectation } from './null-model.js';
import { heldPerAccount, pairNumber, roundExpected, sharedItemsModel } from './shared-items.js';
import type {
  AccountLink,
  AnalystDecision,
  AttributionInput,
  DecisionApplied,
  ChanceCheck,
  Cluster,
  ClusterParams,
  ClusterResult,
  Evidence,
  EvidenceContext,
  EvidenceType,
  Family,
  FamilyNull,
  PairScore,
  Weighing,
} from './types.js';


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
  /** Called as each phase begins (one per signal that finds evidence, then 'scoring pairs' and 'clusters'): for progress. */
  onPhase?: (phase: string) => void;
  /** How far the long steps inside a phase are (text templates, text verification): for progress. */
  onProgress?: (step: string, done: number, total: number) => void;
}

/** The phases runClustering announces through onPhase. */
export const CLUSTERING_PHASES = SIGNALS.filter((s) => s.phase !== 'accounts').length + 2;


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

  // 1. Accounts: hard links, and the links the analyst confirmed.
  const decided = decisionLinks(input, eligible);
  const unions = new UnionFind();
  for (const key of [...eligible].sort()) unions.add(key);
  const hardLinks = [...input.accountLinks, ...decided.confirmed]
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
  const ctx: EvidenceContext = options.onProgress ? { params, progress: options.onProgress } : { params };
  const membersOfAccount = new Map<string, string[]>();
  for (const key of [...eligible].sort()) {
    const root = accountOf(key);
    membersOfAccount.set(root, [...(membersOfAccount.get(root) ?? []), key]);
  }
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
  const accounts: AccountView = {
    count: accountCount,
    roots: accountRoots,
    accountOf,
    numberOf: (root) => accountNumber.get(root),
    membersOf: (x) => membersOfAccount.get(accountRoots[x]!)!,
    victims: victimsOfAccount,
    shareVictim,
    scriptOf,
  };

  // 2. Evidence, signal by signal in registry order: hard links, then the item signals (evidence
  // between identities, weighed by commonness), then the pair signals (weighed per pair of accounts by
  // a null model).
  const evidence: Evidence[] = accountEvidence(hardLinks);
  const holdings = new Map<string, Map<string, Set<string>>>();
  for (const signal of SIGNALS) {
    if (signal.phase !== 'items') continue;
    options.onPhase?.(`${signal.name} evidence`);
    const found = signal.items!(input, eligible, ctx);
    for (const e of found.evidence) evidence.push(e);
    if (found.holdings) holdings.set(signal.name, found.holdings);
    lap(signal.name);
  }
  const pairRuns = new Map<string, PairsFound>();
  for (const signal of SIGNALS) {
    if (signal.phase !== 'pairs') continue;
    options.onPhase?.(`${signal.name} evidence`);
    pairRuns.set(signal.name, signal.pairs!(input, eligible, accounts, ctx, stats, options.timings ?? null));
    lap(signal.name);
  }
  // Null figures and their pieces are listed in the order of the method's null models.
  const ledgerRuns = inLedgerOrder([...pairRuns.keys()]).map((name) => pairRuns.get(name)!);
  const textRun = pairRuns.get('text')!;

  options.onPhase?.('scoring pairs');
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
  // Identifiers: who holds each (accounts), how many each account holds, and the random-holder model
  // over them (null-model.ts), for the weighing.
  const identifierHoldings = holdings.get('identifiers') ?? new Map<string, Set<string>>();
  const identifierNumber = new Map<string, number>();
  const identifierHolders: number[][] = [];
  const identifierItems: { account: number; items: number[] }[] = [];
  for (const [key, items] of [...identifierHoldings].sort(([x], [y]) => (x < y ? -1 : 1))) {
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
    identifierItems.push({ account: acc, items: numbers });
  }
  // An identifier shown by more than maxDf accounts is common content: out of the counts, as out of the evidence.
  const commonIdentifiers = new Set(identifierHolders.flatMap((h, n) => (h.length > params.maxDf ? [n] : [])));
  const identifierShared = sharedItemsModel(
    identifierHolders.map((h, n) => (commonIdentifiers.has(n) ? [] : h)),
    heldPerAccount(accountCount, identifierItems.map((o) => ({ account: o.account, items: o.items.filter((n) => !commonIdentifiers.has(n)) }))),
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
    textModel: textRun.model!,
    identifierModel,
  };
  stats.accounts = accountCount;
  stats.pairsCompared = allPairs;

  /** The null figures of a pair of accounts (numbers x, y), for the families it shows. */
  const nullsOf = (x: number, y: number): FamilyNull[] => {
    const out: FamilyNull[] = [];
    for (const run of ledgerRuns) {
      const figure = run.nullOf(x, y);
      if (figure !== null) out.push(figure);
    }
    return out;
  };
  const weighed = cachedWeigher(weighing);
  /** Every piece of evidence between accounts x and y: items, then each pair signal's pieces. */
  const evidenceBetween = (x: number, y: number): Evidence[] => {
    const out = (perPair.get(pairNumber(x, y, accountCount)) ?? []).map(weighed);
    for (const run of ledgerRuns) for (const e of run.between(x, y)) out.push(weighed(e));
    return out;
  };
  const scoreNumbers = (x: number, y: number): PairScore => {
    const [a, b] = sortedPair(accountRoots[x]!, accountRoots[y]!);
    return scorePair(a, b, evidenceBetween(x, y), params, nullsOf(x, y), lookElsewhere);
  };

  // 3–4. Score every pair of accounts that shows evidence and could reach a candidate link: an upper
  // bound of its bits (items at full prior weight, null families at their bits) decides.
  const floor = params.candidateBits + lookElsewhere;
  const pairSet = new Set<number>([...perPair.keys(), ...sharedIdentifiers.keys()]);
  for (const run of ledgerRuns) for (const pair of run.pairs) pairSet.add(pair);
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

  // The analyst's rejections: a rejected link never joins and is not offered again; a rejection
  // between identities of one account cannot be honoured (the hard link stands) and says so.
  const apart = new Map<string, AnalystDecision>();
  for (const r of decided.rejected) {
    const [ra, rb] = sortedPair(accountOf(r.a), accountOf(r.b));
    if (ra === rb) {
      decided.effects.get(r.decision.id)!.conflicts.push(`${r.a} and ${r.b} are one account (${hardLinkDetail(evidence, r.a, r.b)})`);
      continue;
    }
    const key = `${ra}\u0000${rb}`;
    if (!apart.has(key)) apart.set(key, r.decision);
    decided.effects.get(r.decision.id)!.apart++;
  }
  for (const pair of pairs) {
    const decision = apart.get(`${pair.a}\u0000${pair.b}`);
    if (decision === undefined) continue;
    pair.rejectedBy = decision;
    pair.joined = false;
    pair.candidate = false;
  }

  // 5. Clusters: accounts connected by joins. With rejections, the strongest links join first, and a
  // link that would put two rejected accounts into one cluster is held apart (shown as a candidate).
  options.onPhase?.('clusters');
  const actors = new UnionFind();
  for (const root of accountRoots) actors.add(root);
  const joinOrder = apart.size === 0 ? pairs : [...pairs].sort((x, y) => y.score - x.score || (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : 1));
  for (const pair of joinOrder) {
    if (!pair.joined) continue;
    const blocking = apart.size === 0 ? [] : rejectionsBetween(actors, pair.a, pair.b, apart);
    if (blocking.length > 0) {
      pair.joined = false;
      pair.candidate = true;
      pair.heldApartBy = blocking;
      for (const id of blocking) decided.effects.get(id)!.heldApart++;
      continue;
    }
    actors.union(pair.a, pair.b);
  }
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
      .filter((key) => memberSet.has(key.split('\u0000')[0]!) && inside.get(key)!.some((e) => FAMILY_OF[e.type] === 'account'))
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
  const candidates = pairs.filter((p) => p.candidate && p.rejectedBy === undefined).sort((x, y) => y.score - x.score || (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : 1));
  stats.joinedPairs = pairs.filter((p) => p.joined).length;
  stats.clusters = clusters.length;
  stats.candidateLinks = candidates.length;

  // Pairs of accounts of different victims whose shared sentences reach 5 and 10 bits.
  const observedText = new Map<number, number>([
    [5, 0],
    [10, 0],
  ]);
  for (const pair of textRun.pairs) {
    const x = Math.floor(pair / accountCount);
    const y = pair - x * accountCount;
    if (shareVictim(x, y)) continue;
    const bits = textRun.nullOf(x, y)?.bits ?? 0;
    for (const atLeast of observedText.keys()) if (bits >= atLeast) observedText.set(atLeast, observedText.get(atLeast)! + 1);
  }
  const chance = chanceCheck(params, weighing, observedText);
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
    const scored = scoreNumbers(x, y);
    const decision = apart.get(`${scored.a}\u0000${scored.b}`);
    if (decision !== undefined) Object.assign(scored, { rejectedBy: decision, joined: false, candidate: false });
    return scored;
  };
  stats.decisions = decided.effects.size;
  return {
    params,
    clusters,
    candidates,
    decisions: decisionsApplied(decided),
    pairs,
    evidence,
    accountOf,
    weighing,
    chance,
    scoreAccounts,
    stats,
  };
}


interface DecisionEffect {
  decision: AnalystDecision;
  /** Why it cannot apply at all (an identity not in the case, or a victim's own account). */
  missing: string[];
  /** Rejections between identities of one account. */
  conflicts: string[];
  /** Links confirmed, account pairs kept apart, joins held apart. */
  confirmed: number;
  apart: number;
  heldApart: number;
}

/**
 * The analyst's decisions as links: a confirmed link (or every member of a confirmed cluster, tied to
 * its first) is a hard link marked as theirs; a rejected link (or every pair of a rejected cluster's
 * members) is a pair to keep apart. Identities no longer in the case, or victims' own accounts, are
 * named and left out.
 */
function decisionLinks(input: AttributionInput, eligible: Set<string>) {
  const effects = new Map<number, DecisionEffect>();
  const confirmed: AccountLink[] = [];
  const rejected: { a: string; b: string; decision: AnalystDecision }[] = [];
  const known = new Set(input.identities.map((i) => i.key));
  for (const decision of [...(input.decisions ?? [])].sort((x, y) => x.id - y.id)) {
    const effect: DecisionEffect = { decision, missing: [], conflicts: [], confirmed: 0, apart: 0, heldApart: 0 };
    effects.set(decision.id, effect);
    for (const key of decision.keys) {
      if (!known.has(key)) effect.missing.push(`${key} is not in the case`);
      else if (!eligible.has(key)) effect.missing.push(`${key} is a victim's own account`);
    }
    const keys = decision.keys.filter((k) => eligible.has(k));
    if (keys.length < 2) continue;
    const who = [`decision #${decision.id}`, decision.examiner, decision.decidedAt.slice(0, 10)].filter((x) => x !== null).join(', ');
    if (decision.verdict === 'confirm') {
      for (const key of keys.slice(1)) {
        confirmed.push({
          a: keys[0]!,
          b: key,
          detail: `confirmed by the analyst (${who})${decision.note !== null ? `: ${decision.note}` : ''}`,
          refs: [`decision:${decision.id}`],
          decision: decision.id,
        });
        effect.confirmed++;
      }
    } else {
      for (let i = 0; i < keys.length; i++) for (let j = i + 1; j < keys.length; j++) rejected.push({ a: keys[i]!, b: keys[j]!, decision });
    }
  }
  return { confirmed, rejected, effects };
}

/** The detail of the hard link that makes `a` and `b` one account, for a rejection that cannot apply. */
function hardLinkDetail(evidence: readonly Evidence[], a: string, b: string): string {
  const [x, y] = sortedPair(a, b);
  const direct = evidence.find((e) => FAMILY_OF[e.type] === 'account' && e.between[0] === x && e.between[1] === y);
  return direct?.detail ?? 'through hard links: same account id, same phone number, or links the analyst confirmed';
}

/** The rejections (decision ids) that joining the clusters of accounts `a` and `b` would break. */
function rejectionsBetween(actors: UnionFind, a: string, b: string, apart: Map<string, AnalystDecision>): number[] {
  const ca = actors.find(a);
  const cb = actors.find(b);
  const ids = new Set<number>();
  for (const [key, decision] of apart) {
    const [x, y] = key.split('\u0000') as [string, string];
    const cx = actors.find(x);
    const cy = actors.find(y);
    if ((cx === ca && cy === cb) || (cx === cb && cy === ca)) ids.add(decision.id);
  }
  return [...ids].sort((x, y) => x - y);
}

function decisionsApplied(decided: ReturnType<typeof decisionLinks>): DecisionApplied[] {
  return [...decided.effects.values()].map((e) => {
    const parts: string[] = [];
    if (e.decision.verdict === 'confirm' && e.confirmed > 0) parts.push(`${e.confirmed + 1} identities joined as one account`);
    if (e.decision.verdict === 'reject' && e.apart > 0) parts.push(`${e.apart} link${e.apart === 1 ? '' : 's'} kept apart`);
    if (e.heldApart > 0) parts.push(`${e.heldApart} further join${e.heldApart === 1 ? '' : 's'} held apart so as not to merge them through others`);
    const problems = [...e.missing, ...e.conflicts];
    const applied = parts.length > 0;
    return {
      decision: e.decision,
      applied,
      effect: [...parts, ...problems.map((p) => (applied ? `but ${p}` : `not applied: ${p}`))].join('; ') || 'not applied: fewer than two of its identities are suspects in the case',
    };
  });
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
  observedText: Map<number, number>,
): ChanceCheck {
  const familiesScored = SCORED_FAMILIES.length; // identifier, image, camera, text, timing
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
